// async_tests.hpp: the tests of the asynchronous TLS stream, written once for both asio
// flavours. test_async_asio.cpp and test_async_boost.cpp include it after defining, in
// namespace `flavour`:
//   namespace net                the asio namespace (::asio or boost::asio)
//   template <class T> tls       the stream (sslpp::asio::stream or sslpp::boost_asio::stream)
//   error_code                   the flavour's error_code
//   to_std(ec)                   ec as a std::error_code (to compare with sslpp's codes)
//   deferred, as_tuple(token)    the flavour's spellings of those tokens
// and FLAVOUR_TAG, the Catch2 tag of the flavour.
#include "features_support.hpp"
#include "transport_support.hpp"
#include "support.hpp"

#include <catch2/catch.hpp>

#include <array>
#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace flavour;
using tcp = net::ip::tcp;
using tls_socket = tls<tcp::socket>;
using namespace std::chrono_literals;
using net::awaitable;
using net::use_awaitable;

std::string async_peer_script() { return std::string(SSLPP_SOURCE_DIR) + "/tests/peers/async_peer.py"; }

/// py_server: async_peer.py in `mode` for `connections` connections.
struct py_server {
  explicit py_server(const std::string& mode, int connections = 1)
      : child({test::python(), async_peer_script(), mode, "--cert", test::pki("fullchain-ecdsa.pem"), "--key",
               test::pki("leaf-ecdsa.key"), "--connections", std::to_string(connections)}) {
    port = child.wait_for_port_line("PORT ");
  }
  test::child child;
  std::uint16_t port = 0;
};

tcp::endpoint loopback(std::uint16_t port) { return {net::ip::make_address("127.0.0.1"), port}; }

/// run: runs `body` as a coroutine on a fresh io_context until it ends; rethrows what it threw.
template <class F>
void run(F body) {
  net::io_context io;
  std::exception_ptr failure;
  net::co_spawn(io, body(io), [&](std::exception_ptr e) { failure = e; });
  io.run();
  if (failure) std::rethrow_exception(failure);
}

awaitable<tcp::socket> connect_to(std::uint16_t port) {
  tcp::socket sock(co_await net::this_coro::executor);
  co_await sock.async_connect(loopback(port), use_awaitable);
  co_return sock;
}

/// read_exactly: reads `n` bytes of text.
awaitable<std::string> read_exactly(tls_socket& s, std::size_t n) {
  std::string out(n, '\0');
  co_await net::async_read(s, net::buffer(out), use_awaitable);
  co_return out;
}

/// read_error: the code the next read completes with (it must not deliver data).
awaitable<error_code> read_error(tls_socket& s) {
  std::array<char, 64> buf{};
  error_code ec;
  std::size_t n = co_await s.async_read_some(net::buffer(buf), net::redirect_error(use_awaitable, ec));
  CHECK(n == 0);
  co_return ec;
}

sslpp::client_context client_ctx() { return test::client_context_trusting_root(); }

/// loopback_pair: a connected TCP pair on `io` (client end, server end).
std::pair<tcp::socket, tcp::socket> loopback_pair(net::io_context& io) {
  tcp::acceptor acceptor(io, loopback(0));
  tcp::socket client(io);
  client.connect(acceptor.local_endpoint());
  tcp::socket server = acceptor.accept();
  return {std::move(client), std::move(server)};
}

}  // namespace

TEST_CASE("handshake and echo with a python3 ssl server, then a shutdown it answers", FLAVOUR_TAG "[python]") {
  py_server py("echo");
  run([&](net::io_context&) -> awaitable<void> {
    tls_socket s(client_ctx(), co_await connect_to(py.port), "localhost");
    co_await s.async_handshake(use_awaitable);
    CHECK(s.version() == sslpp::tls_version::tlsv1_3);
    CHECK(s.server_hostname() == "localhost");
    REQUIRE(s.getpeercert());
    CHECK(s.getpeercert()->matches_hostname("localhost"));
    CHECK(s.cipher());
    CHECK_FALSE(s.server_side());
    const std::string msg = "hello through sslpp's asio stream";
    co_await net::async_write(s, net::buffer(msg), use_awaitable);
    // (never co_await inside CHECK: Catch's macro expands its expression twice)
    const std::string echoed = co_await read_exactly(s, msg.size());
    CHECK(echoed == msg);
    // Four megabytes each way, written and read at once (one read and one write in flight):
    // many records, writes bigger than one async_write_some takes.
    using namespace net::experimental::awaitable_operators;
    const auto big = test::pattern(4 << 20, 7);
    std::vector<std::byte> back(big.size());
    co_await (net::async_write(s, net::buffer(big), use_awaitable) &&
              net::async_read(s, net::buffer(back), use_awaitable));
    CHECK(back == big);
    error_code ec;
    co_await s.async_shutdown(5s, net::redirect_error(use_awaitable, ec));
    CHECK_FALSE(ec);
  });
  py.child.wait_for_line("DONE");
}
