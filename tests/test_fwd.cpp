// sslpp/fwd.hpp declares the main types without pulling in the backend or fmt.
#include <sslpp/fwd.hpp>

#ifdef OPENSSL_HEADER_BASE_H
#error "sslpp/fwd.hpp must not include BoringSSL's headers"
#endif
#ifdef FMT_VERSION
#error "sslpp/fwd.hpp must not include fmt"
#endif

#include <type_traits>

// A header of a user's that only passes sslpp objects around.
void configure(sslpp::client_context& ctx);
void inspect(const sslpp::certificate& cert);
static_assert(std::is_same_v<sslpp::client_context, sslpp::context<sslpp::side::client>>);

#include <sslpp/sslpp.hpp>  // the complete types, where they are used

#include <catch2/catch.hpp>

void configure(sslpp::client_context& ctx) { ctx.set_minimum_version(sslpp::tls_version::tlsv1_3); }

TEST_CASE("types declared by fwd.hpp are the complete types of sslpp.hpp", "[fwd]") {
  auto ctx = sslpp::context_for(sslpp::protocol::tls_client);
  configure(ctx);
  CHECK(ctx.minimum_version() == sslpp::tls_version::tlsv1_3);
}
