// Rule: a cipher string literal naming a suite or keyword this BoringSSL does not know does not compile; run-time strings are checked at run time.
// expect: in ‘constexpr’ expansion of ‘sslpp::v0::cipher_list("ECDHE+AESGCM:ECDHE-RSA-AES128-GCM-SHA512")’
// expect: cipher_literal_names_a_cipher_or_keyword_this_backend_does_not_know
// expect: suite names (ECDHE-RSA-AES128-GCM-SHA256 or TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256) and BoringSSL's keywords
#include <sslpp/sslpp.hpp>

int main() {
  auto ctx = sslpp::create_default_context();
#ifdef SSLPP_COMPILE_FAIL
  ctx.set_ciphers("ECDHE+AESGCM:ECDHE-RSA-AES128-GCM-SHA512");
#else
  ctx.set_ciphers("ECDHE+AESGCM:ECDHE-RSA-AES128-GCM-SHA256:TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256:!SHA1");
  const std::string from_config = "NOT-A-CIPHER";
  try { ctx.set_ciphers(from_config); } catch (const sslpp::ssl_error&) {}
#endif
}
