// Rule: a client_context has no wrap_socket(sock) without the server's host name.
// expect: a client must name the server: wrap_socket(sock, "host")
#include "sides.hpp"

int main() {
#ifdef SSLPP_COMPILE_FAIL
  auto ctx = sslpp::create_default_context();
  auto tls = ctx.wrap_socket(sslpp::tcp_socket::connect("127.0.0.1", 443));
#else
  auto ctx = sslpp::create_default_context(sslpp::purpose::client_auth);
  auto listener = sslpp::tcp_listener::listen("127.0.0.1", 0);
  auto tls = ctx.wrap_socket(listener.accept());
#endif
}
