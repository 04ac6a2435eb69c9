// Rule: a server_context has no PSK client callback (a client answers the server's hint).
// expect: set_psk_client_callback is a client setting
#include "sides.hpp"

#include <optional>
#include <string_view>

int main() {
#ifdef SSLPP_COMPILE_FAIL
  auto ctx = sslpp::create_default_context(sslpp::purpose::client_auth);
  ctx.set_psk_client_callback([](std::optional<std::string_view>) { return sslpp::psk_credentials{}; });
#else
  auto ctx = sslpp::create_default_context();
  ctx.set_psk_client_callback([](std::optional<std::string_view>) { return sslpp::psk_credentials{}; });
#endif
}
