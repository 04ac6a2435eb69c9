// Rule: a server_context has no client wrap_socket(sock, hostname, ec) either.
// expect: a server_context does not connect to a host name: wrap an accepted socket with wrap_socket(sock) or wrap_socket(sock, ec)
#include "sides.hpp"

int main() {
  std::error_code ec;
#ifdef SSLPP_COMPILE_FAIL
  auto ctx = sslpp::create_default_context(sslpp::purpose::client_auth);
  auto tls = ctx.wrap_socket(sslpp::tcp_socket::connect("127.0.0.1", 443), "example.org", ec);
#else
  auto ctx = sslpp::create_default_context();
  auto tls = ctx.wrap_socket(sslpp::tcp_socket::connect("127.0.0.1", 443), "example.org", ec);
#endif
}
