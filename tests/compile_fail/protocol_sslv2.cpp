// Rule: protocol::sslv2 does not compile, and the message names the replacement.
// expect: protocol::sslv2 is insecure
// expect: use sslpp::protocol::tls_client or sslpp::protocol::tls_server
#include <sslpp/sslpp.hpp>

int main() {
#ifdef SSLPP_COMPILE_FAIL
  auto ctx = sslpp::context_for(sslpp::protocol::sslv2);
  (void)ctx;
#else
  auto ctx = sslpp::context_for(sslpp::protocol::tls_server);
  (void)ctx;
#endif
}
