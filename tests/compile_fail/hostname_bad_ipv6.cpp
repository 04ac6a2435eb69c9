// Rule: a malformed IPv6 literal does not compile; valid IPv6 literals do.
// expect: hostname_literal_is_not_a_valid_ip_address
// expect: IPv6 as RFC 4291 text
#include <sslpp/hostname.hpp>

int main() {
#ifdef SSLPP_COMPILE_FAIL
  sslpp::hostname h = "2001:db8::1::2";
  (void)h;
#else
  sslpp::hostname a = "2001:db8::1", b = "::1", c = "::ffff:192.0.2.1", d = "2001:db8:0:0:0:0:0:1";
  static_assert(sslpp::hostname("::1").is_ip_address() && sslpp::hostname("192.0.2.1").is_ip_address());
  (void)a, (void)b, (void)c, (void)d;
#endif
}
