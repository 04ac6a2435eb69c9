// Rule: a client_context has no wrap_bio(incoming, outgoing, ec) without the server's host name.
// expect: a client must name the server: wrap_bio(incoming, outgoing, "host", ec)
#include "sides.hpp"

int main() {
  sslpp::memory_bio incoming, outgoing;
  std::error_code ec;
#ifdef SSLPP_COMPILE_FAIL
  auto ctx = sslpp::create_default_context();
  auto tls = ctx.wrap_bio(incoming, outgoing, ec);
#else
  auto ctx = sslpp::create_default_context(sslpp::purpose::client_auth);
  auto tls = ctx.wrap_bio(incoming, outgoing, ec);
#endif
}
