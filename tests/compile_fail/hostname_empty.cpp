// Rule: an empty host name literal given to a client's wrap_socket does not compile.
// expect: hostname_literal_is_empty
// expect: give the server's name, or sslpp::no_hostname
#include <sslpp/sslpp.hpp>

int main() {
#ifdef SSLPP_COMPILE_FAIL
  auto ctx = sslpp::create_default_context();
  auto tls = ctx.wrap_socket(sslpp::tcp_socket::connect("127.0.0.1", 443), "");
#else
  auto ctx = sslpp::create_default_context();
  auto tls = ctx.wrap_socket(sslpp::tcp_socket::connect("127.0.0.1", 443), "localhost");
#endif
}
