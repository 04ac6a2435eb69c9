// A fourth look, at the code added last: tcp_listener::close() waking a blocked accept
// (descriptor numbers, races), stream::close() then every operation, sslpp::iostream over a
// closed or reset connection, and the asio stream's edge cases against real peers.
#include "support.hpp"

#include <sslpp/iostream.hpp>

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <array>
#include <chrono>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

using namespace std::chrono_literals;

namespace {

// A thread parked in a signal handler: the accept it runs cannot return until released,
// so what close() leaves behind can be looked at while that accept is still "waking".
std::atomic<bool> g_parked{false};
std::atomic<bool> g_release{false};
static_assert(std::atomic<bool>::is_always_lock_free);

extern "C" void park_handler(int) {
  g_parked.store(true);
  while (!g_release.load()) {
  }
}

bool sleeping_in_kernel(pid_t tid) {
  const std::string stat = test::read_text("/proc/self/task/" + std::to_string(tid) + "/stat");
  const std::size_t paren = stat.rfind(')');
  return paren != std::string::npos && paren + 2 < stat.size() && stat[paren + 2] == 'S';
}

void wait_sleeping(const std::atomic<pid_t>& tid) {
  while (tid == 0) std::this_thread::yield();
  const auto end = std::chrono::steady_clock::now() + 10s;
  while (!sleeping_in_kernel(tid) && std::chrono::steady_clock::now() < end) std::this_thread::sleep_for(1ms);
}

bool fd_valid(int fd) { return ::fcntl(fd, F_GETFD) != -1; }

}  // namespace

// --- tcp_listener::close ------------------------------------------------------------------------

TEST_CASE("review3: close() with an accept still waking leaves no descriptor number to reuse, and reads as closed",
          "[attack][socket][accept]") {
  struct sigaction sa {};
  sa.sa_handler = park_handler;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;  // no SA_RESTART: the accept's poll sees EINTR and looks again
  struct sigaction old {};
  REQUIRE(::sigaction(SIGUSR1, &sa, &old) == 0);
  g_parked = false;
  g_release = false;

  auto l = sslpp::tcp_listener::listen("127.0.0.1", 0);
  const int listening = l.native_handle();
  const std::uint16_t port = l.port();
  std::atomic<pid_t> tid{0};
  std::error_code accept_ec;
  bool returned_open = true;
  std::thread acceptor([&] {
    tid = static_cast<pid_t>(::syscall(SYS_gettid));
    auto s = l.accept(accept_ec);
    returned_open = s.is_open();
  });
  wait_sleeping(tid);
  REQUIRE(::pthread_kill(acceptor.native_handle(), SIGUSR1) == 0);
  while (!g_parked) std::this_thread::yield();

  // The accept is parked between its wait and its return; close() now.
  l.close();
  // Closed means closed to this thread at once, although the accept has not returned yet.
  CHECK(l.native_handle() == -1);
  std::error_code ec;
  (void)l.local_address(ec);
  CHECK(ec == std::errc::bad_file_descriptor);
  CHECK_THROWS_AS(l.port(), std::system_error);
  (void)l.accept(ec);
  CHECK(ec == std::errc::bad_file_descriptor);
  l.close();  // twice: nothing
  // It stopped listening now, not when the accept returns: connections are refused and
  // the port can be listened on again.
  (void)sslpp::tcp_socket::connect("127.0.0.1", port, 5s, ec);
  CHECK(ec == std::errc::connection_refused);
  {
    auto again = sslpp::tcp_listener::listen("127.0.0.1", port, ec);
    CHECK_FALSE(ec);
  }

  // Descriptors opened now must survive the woken accept's return: it closes only its own.
  std::vector<int> mine;
  for (int i = 0; i < 8; ++i) {
    const int fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    REQUIRE(fd >= 0);
    CHECK(fd != listening);  // the listening number is not free until the accept is done
    mine.push_back(fd);
  }
  g_release = true;
  acceptor.join();
  ::sigaction(SIGUSR1, &old, nullptr);
  CHECK(accept_ec == std::errc::operation_canceled);
  CHECK_FALSE(returned_open);
  for (int fd : mine) {
    CHECK(fd_valid(fd));
    ::close(fd);
  }
  // No longer listening.
  (void)sslpp::tcp_socket::connect("127.0.0.1", port, 5s, ec);
  CHECK(ec == std::errc::connection_refused);
}

TEST_CASE("review3: descriptors another thread opens while close() wakes accepts are never closed under it",
          "[attack][socket][accept]") {
  for (int round = 0; round < 30; ++round) {
    auto l = sslpp::tcp_listener::listen("127.0.0.1", 0);
    std::atomic<int> started{0};
    std::error_code ecs[2];
    std::thread acceptors[2];
    for (int i = 0; i < 2; ++i)
      acceptors[i] = std::thread([&, i] {
        ++started;
        (void)l.accept(ecs[i]);
      });
    while (started < 2) std::this_thread::yield();
    std::atomic<bool> stop{false};
    std::vector<int> opened;
    std::thread opener([&] {
      while (!stop) {
        const int fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
        if (fd >= 0) opened.push_back(fd);
        if (opened.size() > 200) break;
      }
    });
    l.close();
    for (auto& t : acceptors) t.join();
    stop = true;
    opener.join();
    for (const auto& ec : ecs)
      CHECK((ec == std::errc::operation_canceled || ec == std::errc::bad_file_descriptor));
    int lost = 0;
    for (int fd : opened) {
      if (!fd_valid(fd)) ++lost;
      else ::close(fd);
    }
    REQUIRE(lost == 0);
  }
}

TEST_CASE("review3: close() during accept(timeout) cancels it, not a time-out", "[attack][socket][accept]") {
  auto l = sslpp::tcp_listener::listen("127.0.0.1", 0);
  std::atomic<pid_t> tid{0};
  std::error_code ec;
  std::string what;
  std::thread acceptor([&] {
    tid = static_cast<pid_t>(::syscall(SYS_gettid));
    try {
      (void)l.accept(60s);
    } catch (const std::system_error& e) {
      ec = e.code();
      what = e.what();
    }
  });
  wait_sleeping(tid);
  const auto start = std::chrono::steady_clock::now();
  l.close();
  acceptor.join();
  CHECK(std::chrono::steady_clock::now() - start < 30s);
  CHECK(ec == std::errc::operation_canceled);
  CHECK_THAT(what, Catch::Contains("closed (tcp_listener::close) while accept waited"));
}

TEST_CASE("review3: close() racing with arriving connections: a connection or a cancel, nothing else",
          "[attack][socket][accept]") {
  for (int round = 0; round < 50; ++round) {
    auto l = sslpp::tcp_listener::listen("127.0.0.1", 0);
    const std::uint16_t port = l.port();
    std::error_code accept_ec;
    bool got = false;
    std::atomic<bool> go{false};
    std::thread acceptor([&] {
      go = true;
      auto s = l.accept(10s, accept_ec);
      got = s.is_open();
    });
    std::thread connector([&] {
      std::error_code ec;
      while (!go) std::this_thread::yield();
      (void)sslpp::tcp_socket::connect("127.0.0.1", port, 5s, ec);
    });
    while (!go) std::this_thread::yield();
    if (round % 2) std::this_thread::yield();
    l.close();
    acceptor.join();
    connector.join();
    if (got) {
      CHECK_FALSE(accept_ec);
    } else {
      INFO(accept_ec.message());
      CHECK((accept_ec == std::errc::operation_canceled || accept_ec == std::errc::bad_file_descriptor));
    }
  }
}

TEST_CASE("review3: an empty or moved-from listener fails clearly, and close on it does nothing",
          "[attack][socket][accept]") {
  sslpp::tcp_listener empty;
  empty.close();
  std::error_code ec;
  (void)empty.accept(ec);
  CHECK(ec == std::errc::bad_file_descriptor);
  CHECK_THROWS_WITH(empty.accept(), Catch::Contains("the listener is closed"));
  auto l = sslpp::tcp_listener::listen("127.0.0.1", 0);
  auto moved = std::move(l);
  l.close();  // NOLINT(bugprone-use-after-move): the moved-from state is the point
  CHECK(moved.native_handle() >= 0);
  (void)l.accept_with_address(ec);
  CHECK(ec == std::errc::bad_file_descriptor);
  CHECK_THROWS_AS(l.port(), std::system_error);
}

// --- stream::close, then everything --------------------------------------------------------------

namespace {

sslpp::stream<sslpp::tcp_socket> client_of(std::uint16_t port, sslpp::wrap_options options = {}) {
  return test::client_context_trusting_root().wrap_socket(sslpp::tcp_socket::connect("127.0.0.1", port, 10s),
                                                          "localhost", options);
}

// A server that handshakes and then reads until the client goes (its close may reset).
test::server_thread idle_server() {
  return test::server_thread([](sslpp::tcp_socket s) {
    auto tls = test::server_context_with().wrap_socket(std::move(s));
    std::error_code ec;
    while (tls.read(100, ec).size() > 0 && !ec) {
    }
  });
}

// reset: ends a TCP connection with RST (SO_LINGER 0), not FIN.
void reset(sslpp::tcp_socket& s) {
  const ::linger lg{1, 0};
  ::setsockopt(s.native_handle(), SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
  s.close();
}

}  // namespace

TEST_CASE("review3: after stream::close every operation fails clearly and touches no reused descriptor",
          "[attack][stream][close]") {
  auto server = idle_server();
  auto tls = client_of(server.port());
  const int old_fd = tls.socket().native_handle();
  tls.close();
  // The freed number goes to a pipe: nothing the closed stream does may reach it.
  int p[2];
  REQUIRE(::pipe(p) == 0);
  CHECK((p[0] == old_fd || p[1] == old_fd));
  const char canary = 'C';
  REQUIRE(::write(p[1], &canary, 1) == 1);

  std::error_code ec;
  std::array<std::byte, 8> buf{};
  tls.do_handshake(ec);
  CHECK(ec == std::errc::not_connected);
  CHECK(tls.read(buf, ec) == 0);
  CHECK(ec == std::errc::not_connected);
  CHECK(tls.write(std::as_bytes(std::span("xy", 2)), ec) == 0);
  CHECK(ec == std::errc::not_connected);
  tls.sendall("xy", ec);
  CHECK(ec == std::errc::not_connected);
  tls.shutdown(sslpp::shutdown_mode::wait_for_peer, ec);
  CHECK(ec == std::errc::not_connected);
  CHECK_FALSE(tls.unwrap(ec).has_value());
  CHECK(ec == std::errc::not_connected);
  CHECK_THROWS_WITH(tls.do_handshake(), Catch::Contains("closed"));
  CHECK_THROWS_AS(tls.read(4), std::logic_error);
  CHECK_THROWS_AS(tls.pending(), std::logic_error);
  CHECK_THROWS_AS(tls.cipher(), std::logic_error);
  CHECK_THROWS_AS(tls.version(), std::logic_error);
  CHECK_THROWS_AS(tls.getpeercert(), std::logic_error);
  CHECK_THROWS_AS(tls.get_verified_chain(), std::logic_error);
  CHECK_THROWS_AS(tls.session(), std::logic_error);
  CHECK_THROWS_AS(tls.session_reused(), std::logic_error);
  CHECK_THROWS_AS(tls.selected_alpn_protocol(), std::logic_error);
  CHECK_THROWS_AS(tls.get_channel_binding(), std::logic_error);
  CHECK_THROWS_AS(tls.server_side(), std::logic_error);
  CHECK_THROWS_AS(tls.server_hostname(), std::logic_error);
  CHECK_THROWS_AS(tls.context(), std::logic_error);
  CHECK_THROWS_AS(tls.local_address(), std::logic_error);
  CHECK(tls.native_handle() == nullptr);
  CHECK_FALSE(tls.is_open());
  tls.close();

  // The pipe is untouched: the canary is still there, alone, and nothing was written.
  ::pollfd pf{p[0], POLLIN, 0};
  CHECK(::poll(&pf, 1, 0) == 1);
  char got[4] = {};
  CHECK(::read(p[0], got, sizeof got) == 1);
  CHECK(got[0] == 'C');
  CHECK(fd_valid(p[0]));
  CHECK(fd_valid(p[1]));
  ::close(p[0]);
  ::close(p[1]);
  server.join();
}

TEST_CASE("review3: a socket closed under its stream, its number reused by another socket, gets no TLS bytes",
          "[attack][stream][close]") {
  auto server = idle_server();
  auto tls = client_of(server.port());
  const int old_fd = tls.socket().native_handle();
  tls.socket().close();  // closed beneath the stream (not tls.close())
  // Another connection takes the number: a socketpair stands for it.
  int other[2];
  REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, other) == 0);
  REQUIRE((other[0] == old_fd || other[1] == old_fd));
  const int reused = other[0] == old_fd ? other[0] : other[1];
  const int far = other[0] == old_fd ? other[1] : other[0];
  const char canary[] = "the other connection's bytes";
  REQUIRE(::write(far, canary, sizeof canary) == static_cast<ssize_t>(sizeof canary));

  std::error_code ec;
  CHECK(tls.write(std::as_bytes(std::span("secret", 6)), ec) == 0);
  CHECK(ec == std::errc::bad_file_descriptor);
  std::array<std::byte, 64> buf{};
  CHECK(tls.read(buf, ec) == 0);
  CHECK(ec == std::errc::bad_file_descriptor);
  tls.shutdown(sslpp::shutdown_mode::wait_for_peer, ec);
  CHECK(ec == std::errc::bad_file_descriptor);
  tls.do_handshake(ec);  // done already, but the check comes first
  CHECK(ec == std::errc::bad_file_descriptor);
  CHECK_FALSE(tls.unwrap(ec).has_value());
  CHECK(ec == std::errc::bad_file_descriptor);
  CHECK_THROWS_WITH(tls.sendall("secret"), Catch::Contains("socket was closed"));
  CHECK_THROWS_AS(tls.read(4), sslpp::ssl_error);

  // Nothing reached the other connection, and its bytes are all still there for it.
  ::pollfd pf{far, POLLIN, 0};
  CHECK(::poll(&pf, 1, 0) == 0);
  char got[sizeof canary] = {};
  CHECK(::recv(reused, got, sizeof got, MSG_DONTWAIT) == static_cast<ssize_t>(sizeof canary));
  CHECK(std::string(got) == canary);
  ::close(other[0]);
  ::close(other[1]);
  tls.close();
  server.join();
}

TEST_CASE("review3: a socket made non-blocking after the wrap makes the stream's reads want_read, never a hang",
          "[attack][stream]") {
  auto server = idle_server();
  auto tls = client_of(server.port());
  tls.socket().set_blocking(false);
  std::error_code ec;
  std::array<std::byte, 16> buf{};
  const auto start = std::chrono::steady_clock::now();
  CHECK(tls.read(buf, ec) == 0);
  CHECK(ec == sslpp::ssl_errc::want_read);
  CHECK(std::chrono::steady_clock::now() - start < 10s);
  CHECK_THROWS_AS(tls.read(4), sslpp::want_read_error);
  tls.close();
  server.join();
}

TEST_CASE("review3: an iostream over a closed stream fails reads and writes with not_connected",
          "[attack][iostream][close]") {
  auto server = idle_server();
  auto tls = client_of(server.port());
  sslpp::iostream io(tls);
  tls.close();
  std::string line;
  CHECK_FALSE(std::getline(io, line));
  CHECK(io.bad());
  CHECK(io.error() == std::errc::not_connected);
  io.clear();
  io << "x" << std::flush;
  CHECK(io.bad());
  server.join();
}

TEST_CASE("review3: a peer resetting the connection mid-line is a failure, never a complete line",
          "[attack][iostream]") {
  for (const bool suppress : {true, false}) {
    DYNAMIC_SECTION("suppress_ragged_eofs " << suppress) {
      std::promise<void> sent;
      auto sent_f = sent.get_future();
      std::promise<void> go;
      auto go_f = go.get_future().share();
      test::server_thread server([&](sslpp::tcp_socket s) {
        auto tls = test::server_context_with().wrap_socket(std::move(s));
        tls.sendall("complete\npart");
        sent.set_value();
        go_f.wait();
        reset(tls.socket());
      });
      auto tls = client_of(server.port(), {.suppress_ragged_eofs = suppress});
      sslpp::iostream io(tls);
      std::string line;
      REQUIRE(std::getline(io, line));
      CHECK(line == "complete");
      sent_f.wait();
      go.set_value();
      const bool got = static_cast<bool>(std::getline(io, line));
      INFO("line: '" << line << "' error: " << io.error().message());
      CHECK_FALSE(got);
      CHECK(io.bad());
      CHECK(io.error() == std::errc::connection_reset);
      server.join();
    }
  }
}

TEST_CASE("review3: a line longer than the iostream's buffer arrives whole, and so do the next",
          "[attack][iostream]") {
  const std::string longline(200000, 'L');
  test::server_thread server([&](sslpp::tcp_socket s) {
    auto tls = test::server_context_with().wrap_socket(std::move(s));
    tls.sendall(longline + "\nshort\n" + longline);
    tls.shutdown();
  });
  auto tls = client_of(server.port());
  sslpp::iostream io(tls, 7);
  std::string line;
  REQUIRE(std::getline(io, line));
  CHECK(line.size() == longline.size());
  CHECK(line == longline);
  REQUIRE(std::getline(io, line));
  CHECK(line == "short");
  REQUIRE(std::getline(io, line));
  CHECK(line == longline);
  CHECK(io.eof());
  CHECK_FALSE(io.bad());
  CHECK_FALSE(std::getline(io, line));
  server.join();
}


namespace {

std::vector<std::string> raw_tail_argv(const std::string& mode, bool tls12) {
  std::vector<std::string> argv{test::python(), std::string(SSLPP_SOURCE_DIR) + "/tests/peers/raw_tail_peer.py", mode,
                                "--cert", test::pki("fullchain-ecdsa.pem"), "--key", test::pki("leaf-ecdsa.key")};
  if (tls12) argv.push_back("--tls12");
  return argv;
}

}  // namespace

TEST_CASE("review3: the blocking stream, too, never delivers bytes after close_notify or a truncated record",
          "[attack][stream]") {
  for (const bool tls12 : {false, true}) {
    DYNAMIC_SECTION((tls12 ? "TLS 1.2" : "TLS 1.3")) {
      SECTION("after close_notify") {
        test::child peer(raw_tail_argv("after_close_notify", tls12));
        auto tls = client_of(peer.wait_for_port_line("PORT "));
        CHECK(tls.read(100) == "bye");
        CHECK(tls.read(100).empty());
        CHECK(tls.read(100).empty());
        CHECK(peer.wait_for_line("SENT") == "SENT");
        tls.close();
      }
      SECTION("truncated, suppress_ragged_eofs off") {
        test::child peer(raw_tail_argv("truncated", tls12));
        auto tls = client_of(peer.wait_for_port_line("PORT "), {.suppress_ragged_eofs = false});
        CHECK(tls.read(100) == "bye");
        CHECK_THROWS_AS(tls.read(100), sslpp::eof_error);
        CHECK(peer.wait_for_line("SENT") == "SENT");
        tls.close();
      }
      SECTION("truncated, suppress_ragged_eofs on") {
        test::child peer(raw_tail_argv("truncated", tls12));
        auto tls = client_of(peer.wait_for_port_line("PORT "));
        CHECK(tls.read(100) == "bye");
        CHECK(tls.read(100).empty());
        CHECK(peer.wait_for_line("SENT") == "SENT");
        tls.close();
      }
    }
  }
}

// --- the asio stream ----------------------------------------------------------------------------

#if defined(SSLPP_HAVE_ASIO)
#include <asio.hpp>
#include <sslpp/asio.hpp>

#include "features_support.hpp"

namespace {

using atcp = asio::ip::tcp;
using async_tls = sslpp::asio::stream<atcp::socket>;

// raw_tail: tests/peers/raw_tail_peer.py in `mode`.
struct raw_tail {
  explicit raw_tail(const std::string& mode, bool tls12 = false)
      : child(raw_tail_argv(mode, tls12)),
        port(child.wait_for_port_line("PORT ")) {}
  test::child child;
  std::uint16_t port;
};

atcp::socket connect_async(asio::io_context& io, std::uint16_t port) {
  atcp::socket s(io);
  s.connect({asio::ip::make_address("127.0.0.1"), port});
  return s;
}

// read_all_of: reads until an error; returns what arrived and the error.
std::pair<std::string, std::error_code> read_until_error(asio::io_context& io, async_tls& s) {
  std::string got;
  std::error_code last;
  std::array<char, 256> buf{};
  std::function<void()> next = [&] {
    s.async_read_some(asio::buffer(buf), [&](std::error_code ec, std::size_t n) {
      got.append(buf.data(), n);
      if (ec) {
        last = ec;
        return;
      }
      next();
    });
  };
  next();
  io.restart();
  io.run();
  return {got, last};
}

std::pair<std::size_t, std::error_code> read_once(asio::io_context& io, async_tls& s) {
  std::array<char, 256> buf{};
  std::size_t got = 99;
  std::error_code ec;
  s.async_read_some(asio::buffer(buf), [&](std::error_code e, std::size_t n) {
    ec = e;
    got = n;
  });
  io.restart();
  io.run();
  return {got, ec};
}

}  // namespace

TEST_CASE("review3 async: bytes after the peer's close_notify are never delivered", "[attack][async]") {
  for (const bool tls12 : {false, true}) {
    DYNAMIC_SECTION((tls12 ? "TLS 1.2" : "TLS 1.3")) {
      raw_tail peer("after_close_notify", tls12);
      asio::io_context io;
      async_tls s(test::client_context_trusting_root(), connect_async(io, peer.port), "localhost");
      auto [got, ec] = read_until_error(io, s);
      CHECK(got == "bye");
      CHECK(ec == asio::error::eof);
      // Again: still the end, never the bytes that followed it.
      auto [n, again] = read_once(io, s);
      CHECK(n == 0);
      CHECK(again == asio::error::eof);
      CHECK(peer.child.wait_for_line("SENT") == "SENT");  // the bytes after close_notify went out
      s.next_layer().close();
    }
  }
}

TEST_CASE("review3 async: a truncated record then EOF is ssl_errc::eof without suppress_ragged_eofs, and delivers nothing of it",
          "[attack][async]") {
  for (const bool suppress : {false, true}) {
    DYNAMIC_SECTION("suppress_ragged_eofs " << suppress) {
      raw_tail peer("truncated");
      asio::io_context io;
      async_tls s(test::client_context_trusting_root(), connect_async(io, peer.port), "localhost",
                  sslpp::wrap_options{.suppress_ragged_eofs = suppress});
      auto [got, ec] = read_until_error(io, s);
      CHECK(got == "bye");
      INFO(ec.message());
      if (suppress) CHECK(ec == asio::error::eof);
      else CHECK(ec == sslpp::ssl_errc::eof);
      CHECK(peer.child.wait_for_line("SENT") == "SENT");  // the half record went out
      s.next_layer().close();
    }
  }
}

TEST_CASE("review3 async: a TLS 1.2 server's renegotiation request is refused as by the blocking stream",
          "[attack][async][renegotiation]") {
  std::uint16_t port = 0;
  auto server = feat::openssl_server({"-tls1_2"}, port);
  asio::io_context io;
  async_tls s(test::client_context_trusting_root(), connect_async(io, port), "localhost");
  std::error_code hs;
  s.async_handshake([&](std::error_code e) { hs = e; });
  io.run();
  REQUIRE_FALSE(hs);
  REQUIRE(s.version() == sslpp::tls_version::tlsv1_2);
  server->write_stdin("r\n");  // s_server: send a HelloRequest
  auto [got, ec] = read_until_error(io, s);
  INFO("got '" << got << "': " << ec.message());
  CHECK(got.empty());
  CHECK(ec);
  CHECK(ec != asio::error::eof);
  CHECK_THAT(ec.message(), Catch::Contains("NO_RENEGOTIATION"));
  s.next_layer().close();
}

TEST_CASE("review3 async: a TLS 1.2 client's renegotiation request to an async server is refused",
          "[attack][async][renegotiation]") {
  asio::io_context io;
  atcp::acceptor acceptor(io, atcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  test::child client({"openssl", "s_client", "-connect", "127.0.0.1:" + std::to_string(acceptor.local_endpoint().port()),
                      "-tls1_2", "-CAfile", test::pki("ca.pem")});
  async_tls s(test::server_context_with(), acceptor.accept());
  std::error_code hs;
  s.async_handshake([&](std::error_code e) { hs = e; });
  io.run();
  REQUIRE_FALSE(hs);
  REQUIRE(client.wait_for_output("Verify return code: 0"));
  client.write_stdin("R\n");  // s_client: renegotiate
  auto [got, ec] = read_until_error(io, s);
  INFO("got '" << got << "': " << ec.message());
  CHECK(got.empty());
  CHECK(ec);
  CHECK_THAT(ec.message(), Catch::Contains("NO_RENEGOTIATION"));
  s.next_layer().close();
}

TEST_CASE("review3 async: every operation after the next layer was closed fails cleanly", "[attack][async][close]") {
  asio::io_context io;
  atcp::acceptor acceptor(io, atcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  atcp::socket c(io);
  c.connect(acceptor.local_endpoint());
  atcp::socket sv = acceptor.accept();
  async_tls server(test::server_context_with(), std::move(sv));
  async_tls client(test::client_context_trusting_root(), std::move(c), "localhost");
  std::error_code a, b;
  server.async_handshake([&](std::error_code e) { a = e; });
  client.async_handshake([&](std::error_code e) { b = e; });
  io.run();
  REQUIRE_FALSE(a);
  REQUIRE_FALSE(b);
  client.next_layer().close();
  // A fresh descriptor may take the number: nothing may reach it.
  int p[2];
  REQUIRE(::pipe(p) == 0);

  std::error_code hs_ec, r_ec, w_ec, sd_ec, sdt_ec;
  std::size_t r_n = 99, w_n = 99;
  std::array<char, 16> buf{};
  client.async_handshake([&](std::error_code e) { hs_ec = e; });  // done already: success is fine
  client.async_read_some(asio::buffer(buf), [&](std::error_code e, std::size_t n) {
    r_ec = e;
    r_n = n;
  });
  io.restart();
  io.run();
  client.async_write_some(asio::buffer(std::string_view("data")), [&](std::error_code e, std::size_t n) {
    w_ec = e;
    w_n = n;
  });
  io.restart();
  io.run();
  client.async_shutdown([&](std::error_code e) { sd_ec = e; });
  io.restart();
  io.run();
  client.async_shutdown(200ms, [&](std::error_code e) { sdt_ec = e; });
  io.restart();
  io.run();
  INFO(r_ec.message() << " / " << w_ec.message() << " / " << sd_ec.message() << " / " << sdt_ec.message());
  CHECK(r_ec);
  CHECK(r_n == 0);
  CHECK(w_ec);
  // (the documented count on failure: the bytes TLS took, which never reach anyone)
  CHECK(w_n <= 4);
  CHECK(sd_ec);
  CHECK(sdt_ec);
  ::pollfd pf{p[0], POLLIN, 0};
  CHECK(::poll(&pf, 1, 0) == 0);  // nothing written to the pipe
  CHECK(fd_valid(p[0]));
  CHECK(fd_valid(p[1]));
  ::close(p[0]);
  ::close(p[1]);
  // Queries still answer from the finished handshake.
  CHECK(client.version() == sslpp::tls_version::tlsv1_3);
}
#endif  // SSLPP_HAVE_ASIO
