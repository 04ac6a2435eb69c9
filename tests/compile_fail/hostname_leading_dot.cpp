// Rule: a host name literal that starts with a dot does not compile.
// expect: hostname_literal_starts_with_a_dot
// expect: write "example.org", not ".example.org"
#include <sslpp/hostname.hpp>

int main() {
#ifdef SSLPP_COMPILE_FAIL
  sslpp::hostname h = ".example.org";
  (void)h;
#else
  sslpp::hostname h = "example.org";
  (void)h;
#endif
}
