// Rule: a host name literal with a label over 63 characters does not compile.
// expect: hostname_literal_has_a_label_longer_than_63_characters
// expect: 63 characters at most (RFC 1035)
#include <sslpp/hostname.hpp>

int main() {
#ifdef SSLPP_COMPILE_FAIL
  sslpp::hostname h = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.example";
  (void)h;
#else
  sslpp::hostname h = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.example";
  (void)h;
#endif
}
