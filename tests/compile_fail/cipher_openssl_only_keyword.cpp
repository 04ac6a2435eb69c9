// Rule: OpenSSL-only cipher string syntax (@SECLEVEL, ',' separators) does not compile.
// expect: cipher_literal_has_an_unknown_at_command
// expect: BoringSSL knows only @STRENGTH
#include <sslpp/sslpp.hpp>

int main() {
  auto ctx = sslpp::create_default_context();
#ifdef SSLPP_COMPILE_FAIL
  ctx.set_ciphers("HIGH:@SECLEVEL=2");
#else
  ctx.set_ciphers("HIGH:@STRENGTH");
#endif
}
