// asio's ip::tcp::socket, used synchronously, as the Socket of sslpp::stream: it exposes its
// descriptor as an int native_handle(), so it takes the descriptor path with no adapter and
// no asio include in sslpp. asio (Debian libasio-dev) is a test-only dependency: without
// it this file only says it is skipped (see tests/cmake/transport.cmake).
#include "transport_support.hpp"

#include <catch2/catch.hpp>

#if defined(SSLPP_HAVE_ASIO)
#include <asio.hpp>

#include <future>

#include <poll.h>

static_assert(sslpp::native_socket<asio::ip::tcp::socket> && sslpp::byte_stream<asio::ip::tcp::socket>);

namespace {
asio::ip::tcp::socket asio_connect(asio::io_context& io, std::uint16_t port) {
  asio::ip::tcp::socket sock(io);
  sock.connect({asio::ip::make_address("127.0.0.1"), port});
  return sock;
}
// (asio's own wait() reports would_block on a socket in user non-blocking mode.)
void wait_readable(int fd) {
  ::pollfd p{fd, POLLIN, 0};
  REQUIRE(::poll(&p, 1, 10000) == 1);
}
}  // namespace

TEST_CASE("an asio socket carries TLS to a python3 ssl server", "[asio][python]") {
  test::python_server py("echo");
  asio::io_context io;
  auto tls = test::client_context_trusting_root().wrap_socket(asio_connect(io, py.port()), "localhost");
  CHECK(tls.version() == sslpp::tls_version::tlsv1_3);
  tls.sendall("through asio's socket");
  CHECK(tls.read(100) == "through asio's socket");
  tls.shutdown(sslpp::shutdown_mode::wait_for_peer);
  CHECK(py.process().wait() == 0);
}

TEST_CASE("an asio acceptor's socket serves TLS and unwraps back to asio for clear text", "[asio]") {
  asio::io_context io;
  asio::ip::tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), 0});
  const auto port = acceptor.local_endpoint().port();
  std::string clear;
  std::thread server([&] {
    asio::ip::tcp::socket sock = acceptor.accept();
    auto tls = test::server_context_with().wrap_socket(std::move(sock));
    tls.sendall(tls.read(100));
    asio::ip::tcp::socket plain = tls.unwrap();  // STARTTLS in reverse: clear text after TLS
    asio::write(plain, asio::buffer(std::string_view("clear again\n")));
  });
  auto tls = test::client_context_trusting_root().wrap_socket(sslpp::tcp_socket::connect("127.0.0.1", port), "localhost");
  tls.sendall("ping");
  CHECK(tls.read(100) == "ping");
  sslpp::tcp_socket plain = tls.unwrap();
  std::array<std::byte, 64> buf{};
  std::size_t n = 0;
  while (n < 12) {
    const std::size_t k = plain.read_some(std::span(buf).subspan(n));
    if (k == 0) break;
    n += k;
  }
  CHECK(std::string(reinterpret_cast<const char*>(buf.data()), n) == "clear again\n");
  server.join();
}

TEST_CASE("a non-blocking asio socket reports want_read", "[asio][nonblocking]") {
  // The server answers only after the client's first handshake step returned: that step
  // must then report want_read (on a fast machine the answer could otherwise be there).
  std::promise<void> client_waited;
  auto go = client_waited.get_future();
  test::server_thread server([&go](sslpp::tcp_socket sock) {
    go.wait_for(std::chrono::seconds(20));  // bounded: a failed client must not hang the server
    auto tls = test::server_context_with().wrap_socket(std::move(sock));
    tls.sendall(tls.read(100));
  });
  asio::io_context io;
  auto sock = asio_connect(io, server.port());
  sock.non_blocking(true);
  auto tls = test::client_context_trusting_root().wrap_socket(std::move(sock), "localhost",
                                                               {.do_handshake_on_connect = false});
  std::error_code ec;
  int wants = 0;
  for (;;) {
    tls.do_handshake(ec);
    if (!ec) break;
    REQUIRE(ec == sslpp::ssl_errc::want_read);
    if (++wants == 1) client_waited.set_value();
    wait_readable(tls.socket().native_handle());
  }
  CHECK(wants > 0);
  tls.sendall("x");
  std::string got;
  while (got.empty()) {
    try {
      got = tls.read(10);
    } catch (const sslpp::want_read_error&) {
      wait_readable(tls.socket().native_handle());
    }
  }
  CHECK(got == "x");
  server.join();
}

TEST_CASE("128 MiB through an asio socket arrive with the same checksum", "[asio][transfer]") {
  std::string hash;
  std::size_t bytes = 0;
  test::server_thread server([&](sslpp::tcp_socket sock) {
    auto tls = test::server_context_with().wrap_socket(std::move(sock));
    test::sha256 h;
    std::vector<std::byte> buf(1 << 17);
    for (std::size_t n; (n = tls.read(buf)) > 0;) h.update(std::span(buf.data(), n)), bytes += n;
    hash = h.hex();
  });
  asio::io_context io;
  auto tls = test::client_context_trusting_root().wrap_socket(asio_connect(io, server.port()), "localhost");
  const std::size_t total = test::transfer_size(test::default_transfer);
  const auto block = test::pattern(1 << 20, 5);
  test::sha256 sent;
  for (std::size_t done = 0; done < total;) {
    std::span<const std::byte> chunk(block.data(), std::min(block.size(), total - done));
    tls.sendall(chunk);
    sent.update(chunk);
    done += chunk.size();
  }
  tls.shutdown();
  server.join();
  CHECK(bytes == total);
  CHECK(hash == sent.hex());
}

#else
TEST_CASE("asio is not installed so the asio transport tests are skipped", "[asio]") {
  WARN("asio.hpp not found (apt-get install libasio-dev): asio tests skipped");
}
#endif
