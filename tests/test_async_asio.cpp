// test_async_asio.cpp: sslpp::asio::stream, the asynchronous TLS stream over standalone
// asio (Debian libasio-dev). The tests are tests/async_tests.hpp, shared with Boost.Asio's.
#if defined(SSLPP_HAVE_ASIO)
#include <asio.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/experimental/awaitable_operators.hpp>
#include <asio/experimental/deferred.hpp>
#include <sslpp/asio.hpp>

namespace flavour {
namespace net = ::asio;
template <class T>
using tls = sslpp::asio::stream<T>;
using error_code = std::error_code;
inline std::error_code to_std(const error_code& ec) { return ec; }
inline constexpr auto deferred = net::experimental::deferred;
template <class Token>
auto tuple_of(Token t) {
  return net::experimental::as_tuple(std::move(t));
}
}  // namespace flavour

#define FLAVOUR_TAG "[asio-async]"
#include "async_tests.hpp"
#else
#include <catch2/catch.hpp>
TEST_CASE("the asynchronous asio stream tests are skipped: standalone asio (apt-get install libasio-dev) was not found", "[async]") {
  WARN("skipped: standalone asio (apt-get install libasio-dev) was not found at configure time");
}
#endif
