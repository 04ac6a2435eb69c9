// test_async_asio.cpp: sslpp::asio::stream, the asynchronous TLS stream over standalone
// asio (Debian libasio-dev). The tests are tests/async_tests.hpp, shared with Boost.Asio's.
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
auto as_tuple(Token t) {
  return net::experimental::as_tuple(std::move(t));
}
}  // namespace flavour

#define FLAVOUR_TAG "[asio-async]"
#include "async_tests.hpp"
