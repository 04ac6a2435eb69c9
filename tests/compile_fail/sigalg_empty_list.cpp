// Rule: an empty braced signature algorithm list does not compile.
// expect: set_client_sigalgs / set_server_sigalgs need at least one algorithm
#include <sslpp/sslpp.hpp>

int main() {
  auto ctx = sslpp::context_for(sslpp::protocol::tls_server);
#ifdef SSLPP_COMPILE_FAIL
  ctx.set_client_sigalgs({});
#else
  ctx.set_client_sigalgs({"ecdsa_secp256r1_sha256"});
#endif
}
