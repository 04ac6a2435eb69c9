// Rule: an empty group literal list does not compile.
// expect: set_groups needs at least one group
#include <sslpp/sslpp.hpp>

int main() {
  auto ctx = sslpp::create_default_context();
#ifdef SSLPP_COMPILE_FAIL
  ctx.set_groups({});
#else
  ctx.set_groups({"X25519"});
#endif
}
