// Rule: a client_context has no set_ocsp_response (a server staples; a client asks).
// expect: set_ocsp_response is a server setting: a client asks for the server's with set_ocsp_stapling(true)
#include "sides.hpp"

#include <cstddef>
#include <vector>

int main() {
  const std::vector<std::byte> der(8);
#ifdef SSLPP_COMPILE_FAIL
  auto ctx = sslpp::create_default_context();
  ctx.set_ocsp_response(der);
#else
  auto ctx = sslpp::create_default_context(sslpp::purpose::client_auth);
  ctx.set_ocsp_response(der);
#endif
}
