// Rule: argv[1] (a char*) given to wrap_bio as the host name is refused with one error naming
// sslpp::runtime_hostname(name), as wrap_socket does; the twin wraps it.
// expect-first: runtime_hostname
// expect: a host name held in a const char* is known only at run time: pass sslpp::runtime_hostname(name)
// max-lines: 20
#include <sslpp/sslpp.hpp>

int main(int argc, char** argv) {
  if (argc < 2) return 1;
  sslpp::memory_bio incoming, outgoing;
  auto ctx = sslpp::create_default_context();
#ifdef SSLPP_COMPILE_FAIL
  auto tls = ctx.wrap_bio(incoming, outgoing, argv[1]);
#else
  auto tls = ctx.wrap_bio(incoming, outgoing, sslpp::runtime_hostname(argv[1]));
#endif
}
