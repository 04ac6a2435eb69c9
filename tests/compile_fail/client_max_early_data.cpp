// Rule: a client_context has no set_max_early_data (a server setting).
// expect: set_max_early_data is a server setting
#include "sides.hpp"

int main() {
#ifdef SSLPP_COMPILE_FAIL
  auto ctx = sslpp::create_default_context();
  ctx.set_max_early_data(sslpp::max_early_data_limit);
#else
  auto ctx = sslpp::create_default_context(sslpp::purpose::client_auth);
  ctx.set_max_early_data(sslpp::max_early_data_limit);
#endif
}
