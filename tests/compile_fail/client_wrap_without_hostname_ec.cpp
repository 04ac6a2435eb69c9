// Rule: a client_context has no wrap_socket(sock, opts, ec) without the server's host name.
// expect: a client must name the server: wrap_socket(sock, "host", ec)
#include "sides.hpp"

int main() {
  std::error_code ec;
#ifdef SSLPP_COMPILE_FAIL
  auto ctx = sslpp::create_default_context();
  auto tls = ctx.wrap_socket(sslpp::tcp_socket::connect("127.0.0.1", 443), sslpp::wrap_options{}, ec);
#else
  auto ctx = sslpp::create_default_context(sslpp::purpose::client_auth);
  auto listener = sslpp::tcp_listener::listen("127.0.0.1", 0);
  auto tls = ctx.wrap_socket(listener.accept(), sslpp::wrap_options{}, ec);
#endif
}
