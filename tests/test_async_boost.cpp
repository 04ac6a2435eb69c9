// test_async_boost.cpp: sslpp::boost_asio::stream, the asynchronous TLS stream over
// Boost.Asio (Debian libboost1.81-dev). The tests are tests/async_tests.hpp, shared with
// standalone asio's.
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
auto as_tuple(Token t) {
  return net::as_tuple(std::move(t));
}
}  // namespace flavour

#define FLAVOUR_TAG "[boost-async]"
#include "async_tests.hpp"
