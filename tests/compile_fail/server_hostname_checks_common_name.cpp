// Rule: a server_context has no hostname_checks_common_name (a client setting).
// expect: hostname_checks_common_name is a client setting: a server_context checks no host name
#include "sides.hpp"

int main() {
#ifdef SSLPP_COMPILE_FAIL
  auto ctx = sslpp::create_default_context(sslpp::purpose::client_auth);
  (void)ctx.hostname_checks_common_name();
#else
  auto ctx = sslpp::create_default_context();
  (void)ctx.hostname_checks_common_name();
#endif
}
