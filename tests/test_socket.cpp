// sslpp::tcp_socket and tcp_listener: name resolution, adoption, errors.
#include "support.hpp"

#include <poll.h>
#include <sys/syscall.h>

#include <array>
#include <atomic>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

TEST_CASE("localhost names resolve to loopback without the hosts file", "[socket]") {
  // "sub.localhost" is in no hosts file: only the RFC 6761 rule can resolve it.
  auto listener = sslpp::tcp_listener::listen("127.0.0.1", 0);
  for (const char* name : {"localhost", "LocalHost.", "sub.localhost"}) {
    std::error_code ec;
    auto sock = sslpp::tcp_socket::connect(name, listener.port(), std::chrono::seconds(5), ec);
    CHECK_FALSE(ec);
    CHECK(sock.is_open());
    auto accepted = listener.accept(std::chrono::seconds(5));
    CHECK(accepted.is_open());
  }
  std::error_code ec;
  sslpp::tcp_socket::connect("notlocalhost.invalid", listener.port(), std::chrono::seconds(5), ec);
  CHECK(ec);
}

TEST_CASE("a refused connection names host and port", "[socket]") {
  const test::closed_port refusing;
  const auto port = refusing.port();
  try {
    sslpp::tcp_socket::connect("127.0.0.1", port);
    FAIL("connected to a closed port");
  } catch (const std::system_error& e) {
    CHECK(e.code() == std::errc::connection_refused);
    CHECK_THAT(std::string(e.what()), Catch::Contains("127.0.0.1:" + std::to_string(port)));
  }
}

TEST_CASE("a socket knows what it made, so a wrap need not ask the kernel", "[socket]") {
  auto listener = sslpp::tcp_listener::listen("127.0.0.1", 0);
  auto client = sslpp::tcp_socket::connect("127.0.0.1", listener.port(), std::chrono::seconds(5));
  auto served = listener.accept(std::chrono::seconds(5));
  for (auto* s : {&client, &served}) {
    CHECK(s->known_stream_socket());
    CHECK(s->known_nonblocking() == false);
  }
  client.set_blocking(false);
  CHECK(client.known_nonblocking() == true);
  // A wrap that would handshake on a socket it knows is non-blocking refuses, as Python does.
  CHECK_THROWS_AS(test::client_context_trusting_root().wrap_socket(std::move(client), "localhost"),
                  std::invalid_argument);
  // An adopted descriptor is not known: the wrap asks the kernel (a datagram socket is refused).
  sslpp::tcp_socket adopted(::socket(AF_INET, SOCK_DGRAM, 0));
  CHECK_FALSE(adopted.known_stream_socket());
  CHECK_FALSE(adopted.known_nonblocking().has_value());
  CHECK_THROWS_WITH(test::client_context_trusting_root().wrap_socket(std::move(adopted), "localhost"),
                    Catch::Contains("not a stream socket"));
  const int fd = served.release();
  CHECK_FALSE(served.known_stream_socket());
  ::close(fd);
}

// --- addresses (Python's getpeername / getsockname / accept's address) ----------------------------

TEST_CASE("peer_address and local_address give host and port, IPv4 and IPv6", "[socket][address]") {
  for (const std::string host : {"127.0.0.1", "::1"}) {
    DYNAMIC_SECTION(host) {
      auto listener = sslpp::tcp_listener::listen(host, 0);
      const sslpp::socket_address listening = listener.local_address();
      CHECK(listening.host == host);
      CHECK(listening.port == listener.port());
      auto client = sslpp::tcp_socket::connect(host, listener.port(), std::chrono::seconds(5));
      auto [served, address] = listener.accept_with_address(std::chrono::seconds(5));
      // Each end's view of the other agrees with the other's view of itself.
      CHECK(client.peer_address() == listening);
      CHECK(served.local_address() == listening);
      CHECK(served.peer_address() == client.local_address());
      CHECK(address == client.local_address());
      CHECK(address.host == host);
      CHECK(address.port != 0);
      CHECK(address.port != listening.port);
      const std::string port = std::to_string(listening.port);
      CHECK(listening.to_string() == (host == "::1" ? "[::1]:" + port : "127.0.0.1:" + port));
      CHECK(fmt::format("{}", listening) == listening.to_string());
      CHECK(listening.is_ipv6() == (host == "::1"));
    }
  }
}

TEST_CASE("addresses of a closed, unconnected or non-IP socket are clear errors", "[socket][address]") {
  std::error_code ec;
  sslpp::tcp_socket empty;
  CHECK(empty.peer_address(ec) == sslpp::socket_address{});
  CHECK(ec == std::errc::bad_file_descriptor);
  CHECK_THROWS_WITH(empty.local_address(), Catch::Contains("the socket is closed"));

  sslpp::tcp_socket unconnected(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  try {
    (void)unconnected.peer_address();
    FAIL("an unconnected socket has a peer address");
  } catch (const std::system_error& e) {
    CHECK(e.code() == std::errc::not_connected);
    CHECK_THAT(std::string(e.what()), Catch::Contains("getpeername"));
  }

  int fds[2];
  REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == 0);
  sslpp::tcp_socket a(fds[0]), b(fds[1]);
  (void)a.peer_address(ec);
  CHECK(ec == std::errc::address_family_not_supported);
  CHECK_THROWS_WITH(b.local_address(), Catch::Contains("not an IPv4 or IPv6 socket"));

  sslpp::tcp_listener no_listener;
  CHECK_THROWS_WITH(no_listener.local_address(), Catch::Contains("closed"));
}

// --- the std::error_code forms: every I/O entry point has one -----------------------------------

TEST_CASE("connect, listen and accept report failures in a std::error_code", "[socket][error_code]") {
  std::error_code ec;
  SECTION("a refused port") {
    const test::closed_port refusing;
    const auto port = refusing.port();
    auto s = sslpp::tcp_socket::connect("127.0.0.1", port, ec);
    CHECK(ec == std::errc::connection_refused);
    CHECK_FALSE(s.is_open());
    auto t = sslpp::tcp_socket::connect("127.0.0.1", port, std::chrono::seconds(5), ec);
    CHECK(ec == std::errc::connection_refused);
    CHECK_FALSE(t.is_open());
  }
  SECTION("a host name that does not resolve") {
    auto s = sslpp::tcp_socket::connect("no-such-host.invalid", 443, ec);
    REQUIRE(ec);
    CHECK(ec.category().name() == std::string("getaddrinfo"));
    CHECK_FALSE(ec.message().empty());
    CHECK_FALSE(s.is_open());
    try {
      sslpp::tcp_socket::connect("no-such-host.invalid", 443);
      FAIL("connected to a name that does not exist");
    } catch (const std::system_error& e) {
      CHECK_THAT(std::string(e.what()), Catch::Contains("no-such-host.invalid:443"));
    }
    auto l = sslpp::tcp_listener::listen("no-such-host.invalid", 0, ec);
    CHECK(ec);
    CHECK(l.native_handle() == -1);
  }
  SECTION("a port in use") {
    auto first = sslpp::tcp_listener::listen("127.0.0.1", 0);
    auto second = sslpp::tcp_listener::listen("127.0.0.1", first.port(), ec);
    CHECK(ec == std::errc::address_in_use);
    CHECK(second.native_handle() == -1);
    try {
      sslpp::tcp_listener::listen("127.0.0.1", first.port());
      FAIL("listened twice on one port");
    } catch (const std::system_error& e) {
      CHECK(e.code() == std::errc::address_in_use);
      CHECK_THAT(std::string(e.what()), Catch::Contains("127.0.0.1:" + std::to_string(first.port())));
    }
  }
  SECTION("accept on a closed or empty listener") {
    auto l = sslpp::tcp_listener::listen("127.0.0.1", 0);
    l.close();
    auto s = l.accept(ec);
    CHECK(ec == std::errc::bad_file_descriptor);
    CHECK_FALSE(s.is_open());
    auto a = l.accept_with_address(ec);
    CHECK(ec == std::errc::bad_file_descriptor);
    CHECK_FALSE(a.socket.is_open());
    CHECK_THROWS_WITH(l.accept(), Catch::Contains("the listener is closed"));
    sslpp::tcp_listener empty;
    (void)empty.accept(std::chrono::seconds(1), ec);
    CHECK(ec == std::errc::bad_file_descriptor);
  }
  SECTION("success clears the code") {
    ec = std::make_error_code(std::errc::io_error);
    auto l = sslpp::tcp_listener::listen("127.0.0.1", 0, ec);
    CHECK_FALSE(ec);
    ec = std::make_error_code(std::errc::io_error);
    auto c = sslpp::tcp_socket::connect("127.0.0.1", l.port(), ec);
    CHECK_FALSE(ec);
    ec = std::make_error_code(std::errc::io_error);
    auto s = l.accept(ec);
    CHECK_FALSE(ec);
    CHECK(s.is_open());
  }
}

// --- accept with a timeout, and close() from another thread ---------------------------------------

TEST_CASE("accept with a timeout fails with timed_out when nobody connects", "[socket][accept]") {
  using namespace std::chrono_literals;
  auto l = sslpp::tcp_listener::listen("127.0.0.1", 0);
  std::error_code ec;
  const auto start = std::chrono::steady_clock::now();
  auto s = l.accept(100ms, ec);
  CHECK(std::chrono::steady_clock::now() - start >= 100ms);
  CHECK(ec == std::errc::timed_out);
  CHECK_FALSE(s.is_open());
  try {
    (void)l.accept_with_address(50ms);
    FAIL("accepted nobody");
  } catch (const std::system_error& e) {
    CHECK(e.code() == std::errc::timed_out);
    CHECK_THAT(std::string(e.what()), Catch::Contains("no connection came within 50 ms"));
  }
  // The listener still works after a timeout.
  auto c = sslpp::tcp_socket::connect("127.0.0.1", l.port(), 5s);
  CHECK(l.accept(5s, ec).is_open());
  CHECK_FALSE(ec);
}

namespace {

// sleeping_in_kernel: whether thread `tid` of this process is blocked (state S) — here, in
// accept's poll. Read from /proc, so the test knows the accept is waiting before it closes.
bool sleeping_in_kernel(pid_t tid) {
  const std::string stat = test::read_text("/proc/self/task/" + std::to_string(tid) + "/stat");
  const std::size_t paren = stat.rfind(')');
  return paren != std::string::npos && paren + 2 < stat.size() && stat[paren + 2] == 'S';
}

}  // namespace

TEST_CASE("close() from another thread wakes a blocked accept", "[socket][accept]") {
  using namespace std::chrono_literals;
  auto l = sslpp::tcp_listener::listen("127.0.0.1", 0);
  const std::uint16_t port = l.port();
  std::atomic<pid_t> tid{0};
  std::error_code accept_ec;
  bool returned_open = true;
  std::thread acceptor([&] {
    tid = static_cast<pid_t>(::syscall(SYS_gettid));
    auto s = l.accept(accept_ec);  // no timeout: only close() can end it
    returned_open = s.is_open();
  });
  while (tid == 0) std::this_thread::yield();
  // Wait (bounded) until the acceptor sleeps in the kernel, so that close() meets a waiting
  // accept; were it earlier, accept would fail all the same (bad_file_descriptor).
  const auto end = std::chrono::steady_clock::now() + 10s;
  while (!sleeping_in_kernel(tid) && std::chrono::steady_clock::now() < end) std::this_thread::sleep_for(1ms);
  l.close();
  acceptor.join();
  CHECK(accept_ec == std::errc::operation_canceled);
  CHECK_FALSE(returned_open);
  // Closed means closed: no longer listening, later accepts fail at once, close is idempotent.
  l.close();
  CHECK(l.native_handle() == -1);
  std::error_code ec;
  (void)l.accept(ec);
  CHECK(ec == std::errc::bad_file_descriptor);
  (void)sslpp::tcp_socket::connect("127.0.0.1", port, ec);
  CHECK(ec == std::errc::connection_refused);
}

TEST_CASE("close() wakes every accept waiting on the listener, and a throwing accept says why",
          "[socket][accept]") {
  auto l = sslpp::tcp_listener::listen("127.0.0.1", 0);
  std::atomic<int> started{0};
  std::string what[2];
  std::thread t[2];
  for (int i = 0; i < 2; ++i)
    t[i] = std::thread([&, i] {
      ++started;
      try {
        (void)l.accept_with_address();
      } catch (const std::system_error& e) {
        what[i] = e.what();
      }
    });
  while (started < 2) std::this_thread::yield();
  l.close();
  for (auto& th : t) th.join();
  for (const auto& w : what) {
    const bool canceled = w.find("closed (tcp_listener::close) while accept waited") != std::string::npos;
    const bool closed_before = w.find("the listener is closed") != std::string::npos;
    CHECK((canceled || closed_before));
  }
}

// --- tcp_socket::close ----------------------------------------------------------------------------

TEST_CASE("tcp_socket::close ends the connection now, is idempotent, and later I/O fails cleanly",
          "[socket][close]") {
  using namespace std::chrono_literals;
  auto l = sslpp::tcp_listener::listen("127.0.0.1", 0);
  auto client = sslpp::tcp_socket::connect("127.0.0.1", l.port(), 5s);
  auto served = l.accept(5s);
  client.close();
  CHECK_FALSE(client.is_open());
  CHECK(client.native_handle() == -1);
  client.close();  // again: nothing happens
  CHECK_FALSE(client.known_stream_socket());
  // The peer sees the end of the stream.
  served.set_timeout(10s);
  std::array<std::byte, 8> buf{};
  CHECK(served.read_some(buf) == 0);
  // Later I/O on the closed socket: Python's "[Errno 9] Bad file descriptor", never a crash.
  std::error_code ec;
  CHECK(client.read_some(buf, ec) == 0);
  CHECK(ec == std::errc::bad_file_descriptor);
  CHECK(client.write_some(std::as_bytes(std::span("x", 1)), ec) == 0);
  CHECK(ec == std::errc::bad_file_descriptor);
  CHECK_THROWS_AS(client.write_some(std::as_bytes(std::span("x", 1))), std::system_error);
}

TEST_CASE("accept on a listener an event loop made non-blocking does not wait", "[socket][accept]") {
  using namespace std::chrono_literals;
  auto l = sslpp::tcp_listener::listen("127.0.0.1", 0);
  const int fd = l.native_handle();
  REQUIRE(::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL, 0) | O_NONBLOCK) == 0);
  std::error_code ec;
  const auto start = std::chrono::steady_clock::now();
  CHECK_FALSE(l.accept(ec).is_open());  // no timeout given, yet it returns at once
  CHECK(ec == std::errc::operation_would_block);
  CHECK(std::chrono::steady_clock::now() - start < 5s);
  auto c = sslpp::tcp_socket::connect("127.0.0.1", l.port(), 5s);
  ::pollfd p{fd, POLLIN, 0};
  REQUIRE(::poll(&p, 1, 10000) == 1);
  auto s = l.accept(ec);
  CHECK_FALSE(ec);
  REQUIRE(s.is_open());
  CHECK(s.known_nonblocking() == false);  // the accepted socket blocks, as from a blocking listener
  CHECK((::fcntl(s.native_handle(), F_GETFL, 0) & O_NONBLOCK) == 0);
}

// ------------------------------------------------ the test suite's own port helpers (support.hpp)

namespace {
// A python3 peer that binds the port it is given (without SO_REUSEADDR), listens, and waits.
std::vector<std::string> python_listener(std::uint16_t port) {
  return {test::python(), "-c",
          "import socket, sys, time\n"
          "s = socket.socket()\n"
          "s.bind(('127.0.0.1', int(sys.argv[1])))\n"
          "s.listen()\n"
          "time.sleep(60)\n",
          std::to_string(port)};
}
}  // namespace

TEST_CASE("test support: a closed_port refuses connections and no listener can take it", "[socket][support]") {
  const test::closed_port refusing;
  std::error_code ec;
  sslpp::tcp_socket::connect("127.0.0.1", refusing.port(), std::chrono::seconds(5), ec);
  CHECK(ec == std::errc::connection_refused);
  CHECK_THROWS_AS(sslpp::tcp_listener::listen("127.0.0.1", refusing.port()), std::system_error);
}

TEST_CASE("test support: listens_on tells the peer's own listening socket from another process's", "[socket][support]") {
  std::uint16_t port = 0;
  test::child peer = test::serve_on_free_port(python_listener, port);
  CHECK(peer.listens_on(port));
  auto other = sslpp::tcp_listener::listen("127.0.0.1", 0);  // this process's, not the peer's
  CHECK_FALSE(peer.listens_on(other.port()));
  auto connected = sslpp::tcp_socket::connect("127.0.0.1", port, std::chrono::seconds(5));
  CHECK(connected.is_open());
}

TEST_CASE("test support: serve_on_free_port starts the peer again when its port was taken first", "[socket][support]") {
  // The first port handed to the peer is taken by a listener here before the peer starts, as
  // another test's server could: the peer cannot bind it and exits, and is started again.
  std::vector<std::uint16_t> offered;
  std::optional<sslpp::tcp_listener> thief;
  std::uint16_t port = 0;
  test::child peer = test::serve_on_free_port(
      [&](std::uint16_t p) {
        if (offered.empty() || offered.back() != p) offered.push_back(p);
        if (!thief) thief = sslpp::tcp_listener::listen("127.0.0.1", p);
        return python_listener(p);
      },
      port);
  REQUIRE(offered.size() >= 2);
  CHECK(port != offered.front());
  CHECK(port == offered.back());
  CHECK(peer.listens_on(port));
  CHECK_FALSE(peer.listens_on(offered.front()));  // the thief's port: something listens there, not the peer
}
