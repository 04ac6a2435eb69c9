// Rule: a host name read into a char buffer at run time is not taken for a literal (it
// would fail as a non-constant consteval call): one error names sslpp::runtime_hostname.
// A const char array initialised from a literal is a literal and is checked (the twin).
// expect-first: runtime_hostname
// expect: a host name held in a char array is known only at run time
// max-lines: 20
#include <sslpp/sslpp.hpp>

#include <cstring>

int main(int argc, char** argv) {
  auto ctx = sslpp::create_default_context();
#ifdef SSLPP_COMPILE_FAIL
  char name[256] = "example.org";
  if (argc > 1) std::strncpy(name, argv[1], sizeof name - 1);
  auto tls = ctx.wrap_socket(sslpp::tcp_socket::connect(name, 443), name);
#else
  (void)argc;
  (void)argv;
  static constexpr char name[] = "example.org";
  auto tls = ctx.wrap_socket(sslpp::tcp_socket::connect(name, 443), name);
#endif
}
