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

#if defined(SSLPP_HAVE_BOOST_CONTEXT)
#include <boost/asio/spawn.hpp>

TEST_CASE("yield_context: a stackful coroutine drives the stream", FLAVOUR_TAG) {
  net::io_context io;
  auto [client_sock, server_sock] = loopback_pair(io);
  net::co_spawn(io, echo_until_close(server_stream(std::move(server_sock))), net::detached);
  bool done = false;
  net::spawn(
      io,
      [&, sock = std::move(client_sock)](net::yield_context yield) mutable {
        tls_socket s(client_ctx(), std::move(sock), "localhost");
        s.async_handshake(yield);
        net::async_write(s, net::buffer(std::string_view("yield")), yield);
        std::string text(5, '\0');
        net::async_read(s, net::buffer(text), yield);
        CHECK(text == "yield");
        error_code ec;
        s.async_shutdown(5s, yield[ec]);
        CHECK_FALSE(ec);
        done = true;
      },
      net::detached);
  io.run();
  CHECK(done);
}
#else
TEST_CASE("yield_context: skipped, Boost.Context was not found", FLAVOUR_TAG) {
  WARN("skipped: Boost's yield_context needs the compiled Boost.Context library (apt-get install "
       "libboost-context1.81-dev), which was not found at configure time");
}
#endif
#else
#include <catch2/catch.hpp>
TEST_CASE("the asynchronous boost stream tests are skipped: Boost.Asio 1.80 or later (apt-get install libboost1.81-dev) was not found", "[async]") {
  WARN("skipped: Boost.Asio 1.80 or later (apt-get install libboost1.81-dev) was not found at configure time");
}
#endif
