// Rule: a host name held in a std::string_view (not a literal) is refused by every function taking a
// sslpp::hostname, with one error naming sslpp::runtime_hostname(name); the twin wraps it.
// expect-first: runtime_hostname
// expect: a host name held in a std::string_view is known only at run time: pass sslpp::runtime_hostname(name)
// max-lines: 20
#include <sslpp/sslpp.hpp>

int main(int argc, char** argv) {
  const std::string_view name = argc > 1 ? argv[1] : "example.org";
  auto ctx = sslpp::create_default_context();
#ifdef SSLPP_COMPILE_FAIL
  auto tls = ctx.wrap_socket(sslpp::tcp_socket::connect(name, 443), name);
#else
  auto tls = ctx.wrap_socket(sslpp::tcp_socket::connect(name, 443), sslpp::runtime_hostname(name));
#endif
}
