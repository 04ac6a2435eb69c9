// Rule: a server_context has no check_hostname (a client setting).
// expect: set_check_hostname is a client setting: a server_context checks no host name
#include "sides.hpp"

int main() {
#ifdef SSLPP_COMPILE_FAIL
  auto ctx = sslpp::create_default_context(sslpp::purpose::client_auth);
  ctx.set_check_hostname(false);
#else
  auto ctx = sslpp::create_default_context();
  ctx.set_check_hostname(false);
#endif
}
