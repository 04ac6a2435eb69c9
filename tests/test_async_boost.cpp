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

#include <boost/beast/core/tcp_stream.hpp>

// Beast's tcp_stream watches its own operations' time limits: TLS's bytes must go through
// them, never straight to its socket's descriptor.
static_assert(!sslpp::detail::native_stream_socket<boost::beast::tcp_stream>);

TEST_CASE("direct I/O: over Beast's tcp_stream, a bulk transfer arrives whole and the stream's time limits still hold",
          FLAVOUR_TAG) {
  namespace beast = boost::beast;
  net::io_context io;
  auto [client_sock, server_sock] = loopback_pair(io);
  tls<beast::tcp_stream> c(client_ctx(), beast::tcp_stream(std::move(client_sock)), "localhost");
  tls_socket s(test::server_context_with(), std::move(server_sock));
  const auto big = test::pattern(1 << 20, 91);
  std::vector<std::byte> got(big.size());
  int ok = 0;
  c.async_handshake([&](error_code ec) { ok += !ec; });
  s.async_handshake([&](error_code ec) {
    ok += !ec;
    net::async_write(s, net::buffer(big), [&](error_code e, std::size_t) { ok += !e; });
  });
  io.run();
  REQUIRE(ok == 3);
  net::async_read(c, net::buffer(got), [&](error_code e, std::size_t) { ok += !e; });
  io.restart();
  io.run();
  CHECK(ok == 4);
  CHECK(got == big);
  // The server sends nothing more: the tcp_stream's limit ends the next read.
  c.next_layer().expires_after(std::chrono::milliseconds(200));
  error_code timed;
  std::array<char, 16> buf;
  c.async_read_some(net::buffer(buf), [&](error_code ec, std::size_t) { timed = ec; });
  io.restart();
  io.run();
  CHECK(timed == beast::error::timeout);
}

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
