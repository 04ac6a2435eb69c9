// Rule: protocol::tlsv1_1 is deprecated with a message naming the replacement.
// expect: TLS 1.1 is deprecated (RFC 8996)
// expect: set_minimum_version(tls_version::tlsv1_2)
// mode: warning
#include <sslpp/sslpp.hpp>

int main() {
#ifdef SSLPP_COMPILE_FAIL
  auto ctx = sslpp::context_for(sslpp::protocol::tlsv1_1);
  (void)ctx;
#else
  auto ctx = sslpp::context_for(sslpp::protocol::tls_client);
  ctx.set_minimum_version(sslpp::tls_version::tlsv1_2);
#endif
}
