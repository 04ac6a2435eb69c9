// Rule: a signature algorithm literal naming an algorithm this BoringSSL does not implement
// (here OpenSSL's "RSA+SHA256" form) does not compile, and the message shows the list.
// expect: sigalg_list("ecdsa_secp256r1_sha256:RSA+SHA256")
// expect: sigalg_literal_names_a_signature_algorithm_this_backend_does_not_know
// expect: known: ecdsa_secp256r1_sha256
#include <sslpp/sslpp.hpp>

int main() {
  auto ctx = sslpp::create_default_context();
#ifdef SSLPP_COMPILE_FAIL
  ctx.set_server_sigalgs("ecdsa_secp256r1_sha256:RSA+SHA256");
#else
  ctx.set_server_sigalgs("ecdsa_secp256r1_sha256:rsa_pss_rsae_sha256");
  ctx.set_server_sigalgs(std::string("ecdsa_secp256r1_sha256:RSA+SHA256"));  // compiles; throws when run
#endif
}
