// test_async_boost.cpp: sslpp::boost_asio::stream, the asynchronous TLS stream over
// Boost.Asio (Debian libboost1.81-dev). The tests are tests/async_tests.hpp, shared with
// standalone asio's.
#if defined(SSLPP_HAVE_BOOST_ASIO)
#include <boost/asio.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <sslpp/boost_asio.hpp>

namespace flavour {
namespace net = boost::asio;
template <class T>
using tls = sslpp::boost_asio::stream<T>;
using error_code = boost::system::error_code;
inline std::error_code to_std(const error_code& ec) { return ec; }
inline constexpr auto deferred = net::deferred;
template <class Token>
auto tuple_of(Token t) {
  return net::as_tuple(std::move(t));
}
}  // namespace flavour

#define FLAVOUR_TAG "[boost-async]"
#include "async_tests.hpp"
#else
#include <catch2/catch.hpp>
TEST_CASE("the asynchronous boost stream tests are skipped: Boost.Asio 1.80 or later (apt-get install libboost1.81-dev) was not found", "[async]") {
  WARN("skipped: Boost.Asio 1.80 or later (apt-get install libboost1.81-dev) was not found at configure time");
}
#endif
