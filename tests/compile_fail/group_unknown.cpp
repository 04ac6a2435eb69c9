// Rule: a group literal list naming a group this BoringSSL does not implement does not compile.
// expect: in ‘constexpr’ expansion of ‘sslpp::v0::group_list("X25519", "X448")’
// expect: group_literal_names_a_group_this_backend_does_not_know
// expect: known: X25519, P-256
#include <sslpp/sslpp.hpp>

int main() {
  auto ctx = sslpp::create_default_context();
#ifdef SSLPP_COMPILE_FAIL
  ctx.set_groups({"X25519", "X448"});
#else
  ctx.set_groups({"X25519", "P-256", "secp384r1"});
  ctx.set_groups(std::vector<std::string>{"P-256"});
#endif
}
