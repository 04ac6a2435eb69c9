// Rule: an IPv4 address with a trailing dot is neither an address nor a host name, so it
// is never sent as SNI (RFC 6066 forbids address literals there): it does not compile.
// expect: hostname_literal_is_an_ip_address_with_a_trailing_dot
// expect: write the address without the dot
#include <sslpp/hostname.hpp>

int main() {
#ifdef SSLPP_COMPILE_FAIL
  sslpp::hostname h = "127.0.0.1.";
  (void)h;
#else
  sslpp::hostname h = "127.0.0.1", n = "example.org.";
  static_assert(sslpp::hostname("127.0.0.1").is_ip_address() && !sslpp::hostname("example.org.").is_ip_address());
  (void)h, (void)n;
#endif
}
