// Rule: a server_context has no set_ech_grease (a client setting).
// expect: set_ech_grease is a client setting
#include "sides.hpp"

int main() {
#ifdef SSLPP_COMPILE_FAIL
  auto ctx = sslpp::create_default_context(sslpp::purpose::client_auth);
  ctx.set_ech_grease(true);
#else
  auto ctx = sslpp::create_default_context();
  ctx.set_ech_grease(true);
#endif
}
