// Rule: a client_context has no set_signed_cert_timestamp_list (a server sends SCTs; a client asks).
// expect: set_signed_cert_timestamp_list is a server setting: a client asks for the server's with set_signed_cert_timestamps(true)
#include "sides.hpp"

#include <cstddef>
#include <vector>

int main() {
  const std::vector<std::byte> list(8);
#ifdef SSLPP_COMPILE_FAIL
  auto ctx = sslpp::create_default_context();
  ctx.set_signed_cert_timestamp_list(list);
#else
  auto ctx = sslpp::create_default_context(sslpp::purpose::client_auth);
  ctx.set_signed_cert_timestamp_list(list);
#endif
}
