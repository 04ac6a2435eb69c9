// Rule: a host name literal with a character a host name cannot hold (a port) does not compile.
// expect: hostname_literal_has_a_character_a_host_name_cannot_hold
// expect: no spaces, ports, slashes or brackets
#include <sslpp/hostname.hpp>

int main() {
#ifdef SSLPP_COMPILE_FAIL
  sslpp::hostname h = "example.org:443";
  (void)h;
#else
  sslpp::hostname h = "example-1_a.org";
  (void)h;
#endif
}
