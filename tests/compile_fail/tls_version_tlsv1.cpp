// Rule: tls_version::tlsv1 and tlsv1_1 are deprecated with a message naming tlsv1_2.
// expect: TLS 1.0 is deprecated (RFC 8996): use tls_version::tlsv1_2
// expect: TLS 1.1 is deprecated (RFC 8996): use tls_version::tlsv1_2
// mode: warning
#include <sslpp/sslpp.hpp>

int main() {
#ifdef SSLPP_COMPILE_FAIL
  auto ctx = sslpp::context_for(sslpp::protocol::tls_client);
  ctx.set_minimum_version(sslpp::tls_version::tlsv1);
  ctx.set_maximum_version(sslpp::tls_version::tlsv1_1);
#else
  auto ctx = sslpp::context_for(sslpp::protocol::tls_client);
  ctx.set_minimum_version(sslpp::tls_version::tlsv1_2);
  ctx.set_maximum_version(sslpp::tls_version::tlsv1_3);
#endif
}
