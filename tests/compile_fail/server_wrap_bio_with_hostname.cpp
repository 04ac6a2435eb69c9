// Rule: a server_context has no client wrap_bio(incoming, outgoing, hostname).
// expect: a server_context does not connect to a host name: serve with wrap_bio(incoming, outgoing)
#include "sides.hpp"

namespace {
template <class C>
concept bio_wraps_as_client = requires(const C& c, sslpp::memory_bio& b) { c.wrap_bio(b, b, "example.org"); };
static_assert(bio_wraps_as_client<sslpp::client_context> && !bio_wraps_as_client<sslpp::server_context> &&
              bio_wraps_as_client<cf::any_context>);
}  // namespace

int main() {
  sslpp::memory_bio incoming, outgoing;
#ifdef SSLPP_COMPILE_FAIL
  auto ctx = sslpp::create_default_context(sslpp::purpose::client_auth);
  auto tls = ctx.wrap_bio(incoming, outgoing, "example.org");
#else
  auto ctx = sslpp::create_default_context();
  auto tls = ctx.wrap_bio(incoming, outgoing, "example.org");
#endif
}
