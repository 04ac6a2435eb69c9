// Rule: protocol::sslv3 does not compile, even when only copied, and the message names the replacement.
// expect: protocol::sslv3 is insecure
// expect: use sslpp::protocol::tls_client or sslpp::protocol::tls_server
#include <sslpp/protocol.hpp>

int main() {
#ifdef SSLPP_COMPILE_FAIL
  auto p = sslpp::protocol::sslv3;
  (void)p;
#else
  auto p = sslpp::protocol::tls_client;
  (void)p;
#endif
}
