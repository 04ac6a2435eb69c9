// Loose ends of the transports issue: ssl_object has stream's members minus the socket
// ones (checked between two ssl_objects and against a python3 ssl server), an emptied
// stream or ssl_object (unwrapped or moved from) reports a clear error, and tcp_socket
// tells a timeout from would-block on a non-blocking socket.
#include "transport_support.hpp"

#include <catch2/catch.hpp>

#include <fcntl.h>

namespace {

// A connected loopback TCP pair: {client, accepted}.
std::pair<sslpp::tcp_socket, sslpp::tcp_socket> tcp_pair() {
  auto listener = sslpp::tcp_listener::listen("127.0.0.1", 0);
  auto client = sslpp::tcp_socket::connect("127.0.0.1", listener.port(), std::chrono::seconds(5));
  auto server = listener.accept(std::chrono::seconds(5));
  return {std::move(client), std::move(server)};
}

bool would_block(const std::error_code& ec) {
  return ec == std::errc::operation_would_block || ec == std::errc::resource_unavailable_try_again;
}

}  // namespace

TEST_CASE("tcp_socket with a timeout reports would-block not timed_out when non-blocking", "[socket]") {
  auto [a, b] = tcp_pair();
  a.set_timeout(std::chrono::milliseconds(300));
  a.set_blocking(false);
  std::array<std::byte, 4096> buf{};
  std::error_code ec;

  // Reading with nothing to read: would-block at once, not a timeout.
  const auto start = std::chrono::steady_clock::now();
  CHECK(a.read_some(buf, ec) == 0);
  CHECK(would_block(ec));
  CHECK(ec != std::errc::timed_out);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::milliseconds(250));
  CHECK_THROWS_AS(a.read_some(buf), std::system_error);
  try {
    a.read_some(buf);
  } catch (const std::system_error& e) {
    CHECK(would_block(e.code()));
  }

  // Writing until the socket buffers are full: would-block, not a timeout.
  std::vector<std::byte> chunk(1 << 16, std::byte{'x'});
  std::size_t written = 0;
  for (int i = 0; i < 10000; ++i) {
    written += a.write_some(chunk, ec);
    if (ec) break;
  }
  CHECK(written > 0);
  CHECK(would_block(ec));
  CHECK(ec != std::errc::timed_out);

  // The same socket in blocking mode: the timeout applies and says so.
  auto [c, d] = tcp_pair();
  c.set_timeout(std::chrono::milliseconds(100));
  CHECK(c.read_some(buf, ec) == 0);
  CHECK(ec == std::errc::timed_out);
  // A non-blocking socket with no timeout at all: would-block too.
  d.set_blocking(false);
  CHECK(d.read_some(buf, ec) == 0);
  CHECK(would_block(ec));
}
