// Rule: IPv4 text with a leading zero ("127.0.0.010") does not compile: getaddrinfo would
// read the part as octal (127.0.0.8) and the certificate check as decimal (127.0.0.10),
// the ambiguity of CVE-2021-29921.
// expect: hostname_literal_is_not_a_valid_ip_address
#include <sslpp/hostname.hpp>

int main() {
#ifdef SSLPP_COMPILE_FAIL
  sslpp::hostname h = "127.0.0.010";
  (void)h;
#else
  sslpp::hostname h = "127.0.0.10", z = "10.0.0.1";
  static_assert(sslpp::hostname("10.0.0.0").is_ip_address());
  (void)h, (void)z;
#endif
}
