// Rule: a host name literal that ends with more than one dot does not compile.
// expect: hostname_literal_ends_with_more_than_one_dot
// expect: at most one trailing dot
#include <sslpp/hostname.hpp>

int main() {
#ifdef SSLPP_COMPILE_FAIL
  sslpp::hostname h = "example.org..";
  (void)h;
#else
  sslpp::hostname h = "example.org.";
  (void)h;
#endif
}
