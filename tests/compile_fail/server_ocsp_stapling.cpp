// Rule: a server_context has no set_ocsp_stapling (a client asks for a staple; a server sends one).
// expect: set_ocsp_stapling is a client setting: a server staples a response with set_ocsp_response(der)
#include "sides.hpp"

int main() {
#ifdef SSLPP_COMPILE_FAIL
  auto ctx = sslpp::create_default_context(sslpp::purpose::client_auth);
  ctx.set_ocsp_stapling(true);
#else
  auto ctx = sslpp::create_default_context();
  ctx.set_ocsp_stapling(true);
#endif
}
