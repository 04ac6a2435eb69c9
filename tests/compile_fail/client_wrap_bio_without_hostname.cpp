// Rule: a client_context has no wrap_bio(incoming, outgoing) without the server's host name.
// expect: a client must name the server: wrap_bio(incoming, outgoing, "host")
#include "sides.hpp"

namespace {
template <class C>
concept bio_wraps_as_server = requires(const C& c, sslpp::memory_bio& b) { c.wrap_bio(b, b); };
static_assert(bio_wraps_as_server<sslpp::server_context> && !bio_wraps_as_server<sslpp::client_context> &&
              !bio_wraps_as_server<cf::any_context>);
}  // namespace

int main() {
  sslpp::memory_bio incoming, outgoing;
#ifdef SSLPP_COMPILE_FAIL
  auto ctx = sslpp::create_default_context();
  auto tls = ctx.wrap_bio(incoming, outgoing);
#else
  auto ctx = sslpp::create_default_context(sslpp::purpose::client_auth);
  auto tls = ctx.wrap_bio(incoming, outgoing);
#endif
}
