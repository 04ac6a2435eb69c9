// Rule: a client_context has no sni_callback (a server setting).
// expect: set_sni_callback is a server setting
#include "sides.hpp"

int main() {
#ifdef SSLPP_COMPILE_FAIL
  auto ctx = sslpp::create_default_context();
  ctx.set_sni_callback([](sslpp::sni_request&) {});
#else
  auto ctx = sslpp::create_default_context(sslpp::purpose::client_auth);
  ctx.set_sni_callback([](sslpp::sni_request&) {});
#endif
}
