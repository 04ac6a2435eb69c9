// stream::close (Python's SSLSocket.close) and the addresses a stream forwards from its
// socket (getpeername / getsockname), against python3 `ssl` peers (tests/peers/line_peer.py).
#include "transport_support.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <sstream>
#include <string>

using namespace std::chrono_literals;

namespace {

std::string line_peer() { return std::string(SSLPP_SOURCE_DIR) + "/tests/peers/line_peer.py"; }

// watch_close: line_peer.py watch-close on `host`, which reports how the connection ended.
struct watch_close {
  explicit watch_close(const std::string& host = "127.0.0.1")
      : peer({test::python(), line_peer(), "watch-close", "--host", host, "--cert", test::pki("fullchain-ecdsa.pem"),
              "--key", test::pki("leaf-ecdsa.key")}),
        port(peer.wait_for_port_line("PORT ")) {}
  test::child peer;
  std::uint16_t port;
};

sslpp::stream<sslpp::tcp_socket> connect_to(const std::string& host, std::uint16_t port) {
  return test::client_context_trusting_root().wrap_socket(sslpp::tcp_socket::connect(host, port, 10s), "localhost");
}

}  // namespace

template <class T>
concept has_addresses = requires(const T& s, std::error_code& ec) {
  s.peer_address();
  s.local_address();
  s.peer_address(ec);
  s.local_address(ec);
};
static_assert(has_addresses<sslpp::stream<sslpp::tcp_socket>>);
static_assert(!has_addresses<sslpp::stream<test::pair_stream>>,
              "a stream forwards the addresses only when its socket has them");

TEST_CASE("stream::close ends the connection at once, without close_notify", "[stream][close]") {
  watch_close w;
  auto tls = connect_to("127.0.0.1", w.port);
  tls.sendall("hello\n");
  CHECK(w.peer.wait_for_line("GOT") == "GOT hello");
  tls.close();
  CHECK_FALSE(tls.is_open());
  // The peer sees the connection end, and not by a close_notify (Python's SSLEOFError).
  CHECK(w.peer.wait_for_line("END") == "END ragged");
  tls.close();  // idempotent
  CHECK_FALSE(tls.is_open());
}

TEST_CASE("shutdown then close is the clean end the peer can tell apart", "[stream][close]") {
  watch_close w;
  auto tls = connect_to("127.0.0.1", w.port);
  tls.shutdown();
  tls.close();
  CHECK(w.peer.wait_for_line("END") == "END close_notify");
}

TEST_CASE("a closed stream reports a clear error from I/O, never a crash", "[stream][close][emptied]") {
  watch_close w;
  auto tls = connect_to("127.0.0.1", w.port);
  tls.close();
  CHECK_THROWS_WITH(tls.read(10), Catch::Contains("it was closed"));
  CHECK_THROWS_AS(tls.sendall("x"), std::logic_error);
  CHECK_THROWS_AS(tls.shutdown(), std::logic_error);
  CHECK_THROWS_AS(tls.unwrap(), std::logic_error);
  CHECK_THROWS_AS(tls.socket(), std::logic_error);
  CHECK_THROWS_AS(tls.peer_address(), std::logic_error);
  CHECK(tls.native_handle() == nullptr);
  std::error_code ec;
  std::array<std::byte, 4> buf{};
  CHECK(tls.read(buf, ec) == 0);
  CHECK(ec == std::errc::not_connected);
  CHECK(tls.write(std::as_bytes(std::span("x", 1)), ec) == 0);
  CHECK(ec == std::errc::not_connected);
  CHECK(tls.peer_address(ec) == sslpp::socket_address{});
  CHECK(ec == std::errc::not_connected);
  CHECK(tls.local_address(ec) == sslpp::socket_address{});
  CHECK(ec == std::errc::not_connected);
  CHECK(w.peer.wait_for_line("END").starts_with("END"));
}

TEST_CASE("a stream forwards its socket's addresses, as the peer sees them", "[stream][address]") {
  for (const std::string host : {"127.0.0.1", "::1"}) {
    DYNAMIC_SECTION(host) {
      watch_close w(host);
      auto tls = connect_to(host, w.port);
      // The peer prints: ADDR <its peer's host> <port> <its own host> <port>.
      std::istringstream addr(w.peer.wait_for_line("ADDR"));
      std::string word, peer_host, own_host;
      unsigned peer_port = 0, own_port = 0;
      addr >> word >> peer_host >> peer_port >> own_host >> own_port;
      CHECK(tls.local_address() == sslpp::socket_address{peer_host, static_cast<std::uint16_t>(peer_port)});
      CHECK(tls.peer_address() == sslpp::socket_address{own_host, static_cast<std::uint16_t>(own_port)});
      CHECK(tls.peer_address().port == w.port);
      std::error_code ec;
      CHECK(tls.peer_address(ec).host == host);
      CHECK_FALSE(ec);
      tls.shutdown();
      CHECK(w.peer.wait_for_line("END") == "END close_notify");
    }
  }
}
