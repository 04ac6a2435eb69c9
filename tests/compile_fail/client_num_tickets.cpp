// Rule: a client_context has no num_tickets (a server setting).
// expect: set_num_tickets is a server setting: only a server sends session tickets
#include "sides.hpp"

int main() {
#ifdef SSLPP_COMPILE_FAIL
  auto ctx = sslpp::create_default_context();
  ctx.set_num_tickets(0);
#else
  auto ctx = sslpp::create_default_context(sslpp::purpose::client_auth);
  ctx.set_num_tickets(0);
#endif
}
