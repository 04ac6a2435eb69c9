// Rule: a server_context has no client wrap_bio(incoming, outgoing, hostname, ec) either.
// expect: a server_context does not connect to a host name: serve with wrap_bio(incoming, outgoing) or wrap_bio(incoming, outgoing, ec)
#include "sides.hpp"

int main() {
  sslpp::memory_bio incoming, outgoing;
  std::error_code ec;
#ifdef SSLPP_COMPILE_FAIL
  auto ctx = sslpp::create_default_context(sslpp::purpose::client_auth);
  auto tls = ctx.wrap_bio(incoming, outgoing, "example.org", ec);
#else
  auto ctx = sslpp::create_default_context();
  auto tls = ctx.wrap_bio(incoming, outgoing, "example.org", ec);
#endif
}
