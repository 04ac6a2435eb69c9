// Rule: a host name literal with two dots in a row does not compile.
// expect: hostname_literal_has_two_dots_in_a_row
// expect: has an empty label between the dots
#include <sslpp/hostname.hpp>

int main() {
#ifdef SSLPP_COMPILE_FAIL
  sslpp::hostname h = "www..example.org";
  (void)h;
#else
  sslpp::hostname h = "www.example.org.";
  (void)h;
#endif
}
