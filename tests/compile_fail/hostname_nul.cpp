// Rule: a host name literal holding a NUL byte does not compile.
// expect: hostname_literal_contains_a_nul_byte
// expect: would cut the name short
#include <sslpp/hostname.hpp>

int main() {
#ifdef SSLPP_COMPILE_FAIL
  sslpp::hostname h = "example.org\0evil.com";
  (void)h;
#else
  sslpp::hostname h = "example.org";
  (void)h;
#endif
}
