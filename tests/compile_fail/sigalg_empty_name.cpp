// Rule: an empty name in a signature algorithm literal ("::" or a ':' at an end) does not compile.
// expect: sigalg_literal_has_an_empty_name
#include <sslpp/sslpp.hpp>

int main() {
  auto ctx = sslpp::context_for(sslpp::protocol::tls_server);
#ifdef SSLPP_COMPILE_FAIL
  ctx.set_server_sigalgs("ed25519::rsa_pss_rsae_sha256");
#else
  ctx.set_server_sigalgs("ed25519:rsa_pss_rsae_sha256");
#endif
}
