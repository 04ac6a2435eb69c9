// Rule: a host name literal that is a malformed IP address (IPv4 and IPv6 literals are accepted) does not compile.
// expect: hostname_literal_is_not_a_valid_ip_address
// expect: IPv4 as a.b.c.d (0-255 each)
#include <sslpp/hostname.hpp>

int main() {
#ifdef SSLPP_COMPILE_FAIL
  sslpp::hostname h = "192.0.2.256";
  (void)h;
#else
  sslpp::hostname h = "192.0.2.1";
  (void)h;
#endif
}
