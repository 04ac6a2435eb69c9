// Rule: a client_context has no PSK server callback (a server answers identities).
// expect: set_psk_server_callback is a server setting
#include "sides.hpp"

#include <cstddef>
#include <string_view>
#include <vector>

int main() {
#ifdef SSLPP_COMPILE_FAIL
  auto ctx = sslpp::create_default_context();
  ctx.set_psk_server_callback([](std::string_view) { return std::vector<std::byte>{}; }, "hint");
#else
  auto ctx = sslpp::create_default_context(sslpp::purpose::client_auth);
  ctx.set_psk_server_callback([](std::string_view) { return std::vector<std::byte>{}; }, "hint");
#endif
}
