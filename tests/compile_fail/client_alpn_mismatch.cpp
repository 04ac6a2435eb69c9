// Rule: a client_context has no set_alpn_mismatch (only a server chooses how to answer a mismatch).
// expect: set_alpn_mismatch is a server setting
#include "sides.hpp"

int main() {
#ifdef SSLPP_COMPILE_FAIL
  auto ctx = sslpp::create_default_context();
  ctx.set_alpn_mismatch(sslpp::alpn_mismatch::continue_without);
#else
  auto ctx = sslpp::create_default_context(sslpp::purpose::client_auth);
  ctx.set_alpn_mismatch(sslpp::alpn_mismatch::continue_without);
#endif
}
