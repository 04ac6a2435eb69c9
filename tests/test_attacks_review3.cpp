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
