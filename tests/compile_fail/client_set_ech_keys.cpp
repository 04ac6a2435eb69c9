// Rule: a client_context has no set_ech_keys (a server setting: a client offers ECH with a config list).
// expect: set_ech_keys is a server setting
#include "sides.hpp"

int main() {
  const auto keys = sslpp::ech_keys::generate(1, "public.example");
#ifdef SSLPP_COMPILE_FAIL
  auto ctx = sslpp::create_default_context();
  ctx.set_ech_keys(keys);
#else
  auto ctx = sslpp::create_default_context(sslpp::purpose::client_auth);
  ctx.set_ech_keys(keys);
#endif
}
