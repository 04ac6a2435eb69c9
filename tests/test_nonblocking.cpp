// Non-blocking sockets: want_read / want_write (exceptions and error codes) and resuming,
// on the descriptor path and the custom byte-stream path, the do_handshake_on_connect rule,
// and the poll() echo server example under 200 concurrent python3 asyncio TLS clients.
#include "transport_support.hpp"

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <poll.h>

#include <future>

namespace {

void set_nonblocking(int fd) { ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL, 0) | O_NONBLOCK); }

// Calls `op` until it stops reporting want_read/want_write, running `other` (the peer's
// step) in between; fails after too many rounds.
template <class Op, class Other>
void until_done(Op op, Other other, int& wants) {
  for (int i = 0; i < 100000; ++i) {
    std::error_code ec;
    op(ec);
    if (!ec) return;
    REQUIRE((ec == sslpp::ssl_errc::want_read || ec == sslpp::ssl_errc::want_write));
    ++wants;
    other();
  }
  FAIL("no progress");
}

}  // namespace

TEST_CASE("do_handshake_on_connect with a non-blocking socket is refused as in Python", "[nonblocking]") {
  test::server_thread server([](sslpp::tcp_socket) {});
  auto sock = sslpp::tcp_socket::connect("127.0.0.1", server.port());
  sock.set_blocking(false);
  auto ctx = test::client_context_trusting_root();
  CHECK_THROWS_WITH(ctx.wrap_socket(std::move(sock), "localhost"),
                    Catch::Contains("do_handshake_on_connect should not be specified for non-blocking sockets"));
  server.join();
}

TEST_CASE("a non-blocking client throws want_read_error and resumes to a full exchange", "[nonblocking]") {
  // The server answers only after the client's first handshake step returned, which then
  // must be a want_read (a fast server could otherwise answer before the client reads).
  std::promise<void> client_waited;
  auto go = client_waited.get_future();
  test::server_thread server([&go](sslpp::tcp_socket sock) {
    go.wait_for(std::chrono::seconds(20));  // bounded: a failed client must not hang the server
    auto tls = test::server_context_with().wrap_socket(std::move(sock));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    tls.sendall(tls.read(100));
    tls.shutdown();
  });
  auto sock = sslpp::tcp_socket::connect("127.0.0.1", server.port());
  sock.set_blocking(false);
  auto tls = test::client_context_trusting_root().wrap_socket(std::move(sock), "localhost",
                                                               {.do_handshake_on_connect = false});
  auto wait = [&](short ev) {
    ::pollfd p{tls.socket().native_handle(), ev, 0};
    REQUIRE(::poll(&p, 1, 10000) == 1);
  };
  int want_reads = 0;
  for (;;) {
    try {
      tls.do_handshake();
      break;
    } catch (const sslpp::want_read_error& e) {
      CHECK(e.code() == sslpp::ssl_errc::want_read);
      if (++want_reads == 1) client_waited.set_value();
      wait(POLLIN);
    } catch (const sslpp::want_write_error&) {
      wait(POLLOUT);
    }
  }
  CHECK(want_reads >= 1);
  CHECK(tls.version() == sslpp::tls_version::tlsv1_3);
  std::array<std::byte, 100> buf{};
  std::error_code ec;
  CHECK(tls.read(buf, ec) == 0);  // the server waits 100 ms before it echoes
  CHECK(ec == sslpp::ssl_errc::want_read);
  CHECK_THROWS_AS(tls.read(10), sslpp::want_read_error);
  tls.sendall("non-blocking hello");
  std::string got;
  while (got.size() < 18) {
    const std::size_t n = tls.read(buf, ec);
    if (ec == sslpp::ssl_errc::want_read) wait(POLLIN);
    else {
      REQUIRE_FALSE(ec);
      got.append(reinterpret_cast<const char*>(buf.data()), n);
    }
  }
  CHECK(got == "non-blocking hello");
  for (;;) {  // then the server's close_notify: a clean end
    const std::size_t n = tls.read(buf, ec);
    if (ec == sslpp::ssl_errc::want_read) wait(POLLIN);
    else {
      CHECK_FALSE(ec);
      CHECK(n == 0);
      break;
    }
  }
  server.join();
}

TEST_CASE("non-blocking writes retried with the same bytes lose and duplicate nothing on both paths", "[nonblocking]") {
  // One thread drives both ends over a socketpair: the server on the descriptor path, the
  // client through a byte_stream that is no descriptor; both non-blocking.
  int fds[2];
  REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) == 0);
  set_nonblocking(fds[0]);
  set_nonblocking(fds[1]);
  auto server = test::server_context_with().wrap_socket(sslpp::tcp_socket(fds[0]), {.do_handshake_on_connect = false});
  auto client = test::client_context_trusting_root().wrap_socket(test::pair_stream(fds[1]), "localhost",
                                                                  {.do_handshake_on_connect = false});
  int wants = 0;
  bool server_done = false;
  std::error_code sec;
  auto server_step = [&] {
    if (!server_done) {
      server.do_handshake(sec);
      server_done = !sec;
    }
  };
  until_done([&](std::error_code& ec) { client.do_handshake(ec); }, server_step, wants);
  until_done([&](std::error_code& ec) { server.do_handshake(ec); }, [] {}, wants);

  const auto data = test::pattern(8 << 20, 11);  // far more than the socket buffers hold
  test::sha256 sent, received;
  sent.update(data);
  std::size_t got = 0;
  std::vector<std::byte> buf(1 << 16);
  auto drain = [&] {
    for (;;) {
      std::error_code ec;
      const std::size_t n = server.read(buf, ec);
      if (ec) break;
      received.update(std::span(buf.data(), n));
      got += n;
    }
  };
  int want_writes = 0;
  std::span<const std::byte> rest(data);
  while (!rest.empty()) {
    std::error_code ec;
    const std::size_t n = client.write(rest.first(std::min<std::size_t>(rest.size(), 1 << 20)), ec);
    if (ec) {
      REQUIRE(ec == sslpp::ssl_errc::want_write);
      ++want_writes;
      drain();  // then retry with the same bytes
      continue;
    }
    rest = rest.subspan(n);
  }
  while (got < data.size()) drain();
  CHECK(want_writes > 0);
  CHECK(got == data.size());
  CHECK(received.hex() == sent.hex());

  // A non-blocking shutdown that waits for the peer resumes too.
  std::error_code ec;
  client.shutdown(sslpp::shutdown_mode::wait_for_peer, ec);
  CHECK(ec == sslpp::ssl_errc::want_read);  // ours is sent, the server's is not there yet
  CHECK(server.read(buf, ec) == 0);          // the client's close_notify: a clean end
  CHECK_FALSE(ec);
  server.shutdown(ec);
  CHECK_FALSE(ec);
  client.shutdown(sslpp::shutdown_mode::wait_for_peer, ec);
  CHECK_FALSE(ec);
}

TEST_CASE("a byte stream that would block in wrap_socket's handshake is refused clearly", "[nonblocking]") {
  auto [a, b] = test::stream_pair();
  set_nonblocking(a.fd());
  auto ctx = test::client_context_trusting_root();
  CHECK_THROWS_WITH(ctx.wrap_socket(std::move(a), "localhost"),
                    Catch::Contains("do_handshake_on_connect should not be specified for non-blocking sockets"));
}

TEST_CASE("the poll echo server example serves 200 concurrent python3 TLS clients", "[nonblocking][python][example]") {
  const std::string exe = std::string(SSLPP_BINARY_DIR) + "/examples/example_poll_echo_server";
  REQUIRE(::access(exe.c_str(), X_OK) == 0);
  test::child server({exe, test::pki("fullchain-ecdsa.pem"), test::pki("leaf-ecdsa.key")});
  const std::uint16_t port = server.wait_for_port_line("listening on 127.0.0.1:");
  test::child clients({test::python(), test::peer_script(), "clients", "200", "--port", std::to_string(port),
                       "--cafile", test::pki("ca.pem"), "--rounds", "3"});
  const int rc = clients.wait(std::chrono::seconds(150));
  INFO(clients.output());
  CHECK(rc == 0);
  CHECK_THAT(clients.output(), Catch::Contains("OK 200 of 200"));
  // Still serving afterwards: one more sslpp client.
  auto tls = test::client_context_trusting_root().wrap_socket(
      sslpp::tcp_socket::connect("127.0.0.1", port, std::chrono::seconds(10)),
      "localhost");
  tls.sendall("one more");
  CHECK(tls.read(100) == "one more");
}
