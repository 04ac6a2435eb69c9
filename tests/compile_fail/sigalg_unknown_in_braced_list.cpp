// Rule: a braced list of signature algorithm literals with an unknown name does not compile.
// expect: sigalg_list("ed25519", "ed448")
// expect: sigalg_literal_names_a_signature_algorithm_this_backend_does_not_know
#include <sslpp/sslpp.hpp>

int main() {
  auto ctx = sslpp::create_default_context();
#ifdef SSLPP_COMPILE_FAIL
  ctx.set_client_sigalgs({"ed25519", "ed448"});
#else
  ctx.set_client_sigalgs({"ed25519", "ecdsa_secp256r1_sha256"});
  ctx.set_client_sigalgs(std::vector<std::string>{"ed448"});  // compiles; throws std::invalid_argument when run
#endif
}
