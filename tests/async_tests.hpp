// async_tests.hpp: the tests of the asynchronous TLS stream, written once for both asio
// flavours. test_async_asio.cpp and test_async_boost.cpp include it after defining, in
// namespace `flavour`:
//   namespace net                the asio namespace (::asio or boost::asio)
//   template <class T> tls       the stream (sslpp::asio::stream or sslpp::boost_asio::stream)
//   error_code                   the flavour's error_code
//   to_std(ec)                   ec as a std::error_code (to compare with sslpp's codes)
//   deferred, tuple_of(token)    the flavour's spellings of those tokens
// and FLAVOUR_TAG, the Catch2 tag of the flavour.
#include "features_support.hpp"
#include "key_offload_support.hpp"
#include "transport_support.hpp"
#include "support.hpp"

#include <catch2/catch.hpp>

#include <array>
#include <atomic>
#include <chrono>
#include <functional>
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

namespace {

/// server_side: a server stream over the server end of a loopback pair.
tls_socket server_stream(tcp::socket sock, sslpp::wrap_options opts = {}) {
  return tls_socket(test::server_context_with(), std::move(sock), std::move(opts));
}

/// echo_line_server: serves one connection on `acceptor`: handshake, echo what arrives
/// until the client's close_notify, then close_notify back.
awaitable<void> echo_until_close(tls_socket s) {
  co_await s.async_handshake(use_awaitable);
  std::array<char, 4096> buf{};
  for (;;) {
    auto [ec, n] = co_await s.async_read_some(net::buffer(buf), tuple_of(use_awaitable));
    if (ec) break;
    co_await net::async_write(s, net::buffer(buf.data(), n), use_awaitable);
  }
  auto [ec] = co_await s.async_shutdown(tuple_of(use_awaitable));
  (void)ec;
}

}  // namespace

TEST_CASE("an sslpp server stream serves openssl s_client", FLAVOUR_TAG "[openssl]") {
  net::io_context io;
  tcp::acceptor acceptor(io, loopback(0));
  test::child client({"openssl", "s_client", "-connect", "127.0.0.1:" + std::to_string(acceptor.local_endpoint().port()),
                      "-CAfile", test::pki("ca.pem"), "-servername", "localhost", "-verify_return_error",
                      "-no_ign_eof"});
  client.write_stdin("hello from s_client\n");
  std::string line;
  error_code shutdown_ec;
  std::optional<sslpp::tls_version> version;
  net::co_spawn(
      io,
      [&]() -> awaitable<void> {
        tls_socket s(test::server_context_with(), co_await acceptor.async_accept(use_awaitable));
        co_await s.async_handshake(use_awaitable);
        version = s.version();
        std::string buf;
        const std::size_t n = co_await net::async_read_until(s, net::dynamic_buffer(buf), '\n', use_awaitable);
        line = buf.substr(0, n);
        const std::string reply = "echo: " + line;
        co_await net::async_write(s, net::buffer(reply), use_awaitable);
        // s_client answers close_notify with its own.
        co_await s.async_shutdown(10s, net::redirect_error(use_awaitable, shutdown_ec));
      },
      [](std::exception_ptr e) {
        if (e) std::rethrow_exception(e);
      });
  io.run();
  CHECK(line == "hello from s_client\n");
  CHECK(version == sslpp::tls_version::tlsv1_3);
  CHECK_FALSE(shutdown_ec);
  CHECK(client.wait() == 0);
  CHECK(client.output().find("echo: hello from s_client") != std::string::npos);
}

TEST_CASE("a client stream talks to openssl s_server", FLAVOUR_TAG "[openssl]") {
  std::uint16_t port = 0;
  auto server = feat::openssl_server({"-rev"}, port);  // answers each line reversed
  run([&](net::io_context&) -> awaitable<void> {
    tls_socket s(client_ctx(), co_await connect_to(port), "localhost");
    co_await s.async_handshake(use_awaitable);
    co_await net::async_write(s, net::buffer(std::string_view("stressed\n")), use_awaitable);
    std::string buf;
    // s_server -rev greets first ("CONNECTED"...); read lines until the reversed one.
    for (;;) {
      const std::size_t n = co_await net::async_read_until(s, net::dynamic_buffer(buf), '\n', use_awaitable);
      const std::string got = buf.substr(0, n);
      buf.erase(0, n);
      if (got.find("desserts") != std::string::npos) break;
    }
    CHECK(s.version() == sslpp::tls_version::tlsv1_3);
    co_await s.async_shutdown(use_awaitable);
  });
}

TEST_CASE("a certificate the client does not trust fails the handshake with its verify code", FLAVOUR_TAG "[python]") {
  py_server py("echo");
  run([&](net::io_context&) -> awaitable<void> {
    // A bare client context: verification on, no CA at all.
    tls_socket s(sslpp::context_for(sslpp::protocol::tls_client), co_await connect_to(py.port), "localhost");
    error_code ec;
    co_await s.async_handshake(net::redirect_error(use_awaitable, ec));
    CHECK(to_std(ec).category() == sslpp::verify_category());
    CHECK(to_std(ec).value() == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY);
    CHECK(ec.message() == "unable to get local issuer certificate");
  });
  py.child.wait_for_line("DONE");
}

TEST_CASE("a certificate for another host name fails the handshake with the mismatch code", FLAVOUR_TAG "[python]") {
  py_server py("echo");
  run([&](net::io_context&) -> awaitable<void> {
    tls_socket s(client_ctx(), co_await connect_to(py.port), "wrong.example");
    error_code ec;
    co_await s.async_handshake(net::redirect_error(use_awaitable, ec));
    CHECK(to_std(ec) == std::error_code(X509_V_ERR_HOSTNAME_MISMATCH, sslpp::verify_category()));
    CHECK(s.server_hostname() == "wrong.example");
  });
  py.child.wait_for_line("DONE");
}

TEST_CASE("the client's host name rules are wrap_socket's", FLAVOUR_TAG) {
  net::io_context io;
  // no_hostname with check_hostname on is refused, as by wrap_socket.
  CHECK_THROWS_WITH(tls_socket(client_ctx(), tcp::socket(io), sslpp::no_hostname),
                    Catch::Contains("check_hostname requires server_hostname"));
  CHECK_THROWS_WITH(tls_socket(client_ctx(), tcp::socket(io), sslpp::runtime_hostname(std::string("bad..name"))),
                    Catch::Contains("invalid host name"));
  auto relaxed = client_ctx();
  relaxed.set_check_hostname(false);
  tls_socket none(relaxed, tcp::socket(io), sslpp::no_hostname);
  CHECK_FALSE(none.server_hostname());
  tls_socket dotted(client_ctx(), tcp::socket(io), "localhost.");
  CHECK(dotted.server_hostname() == "localhost");
  // A server context makes a server stream, with no host name.
  auto any_server = sslpp::context_for(sslpp::protocol::tls_server);
  tls_socket served(any_server, tcp::socket(io));
  CHECK(served.server_side());
}

TEST_CASE("every completion token: use_future, callbacks on a strand, deferred, use_awaitable, as_tuple, redirect_error",
          FLAVOUR_TAG) {
  net::io_context io;
  auto [client_sock, server_sock] = loopback_pair(io);
  auto work = net::make_work_guard(io);
  net::co_spawn(io, echo_until_close(server_stream(std::move(server_sock))), net::detached);
  std::thread runner([&] { io.run(); });
  auto strand = net::make_strand(io);
  tls_socket s(client_ctx(), std::move(client_sock), "localhost");

  // use_future
  s.async_handshake(net::use_future).get();
  CHECK(s.version() == sslpp::tls_version::tlsv1_3);

  // a callback, run on the strand it is bound to
  std::promise<std::pair<error_code, std::size_t>> wrote;
  net::post(strand, [&] {
    s.async_write_some(net::buffer(std::string_view("callback")),
                       net::bind_executor(strand, [&](error_code ec, std::size_t n) {
                         CHECK(strand.running_in_this_thread());
                         wrote.set_value({ec, n});
                       }));
  });
  auto [wec, wn] = wrote.get_future().get();
  CHECK_FALSE(wec);
  CHECK(wn == 8);
  std::array<char, 64> buf{};
  std::size_t got = net::async_read(s, net::buffer(buf.data(), 8), net::use_future).get();
  CHECK(std::string_view(buf.data(), got) == "callback");

  // deferred: nothing happens until the operation is launched
  auto op = s.async_write_some(net::buffer(std::string_view("deferred")), deferred);
  std::future<std::size_t> launched = std::move(op)(net::use_future);
  CHECK(launched.get() == 8);
  got = net::async_read(s, net::buffer(buf.data(), 8), net::use_future).get();
  CHECK(std::string_view(buf.data(), got) == "deferred");

  // use_awaitable, alone, with as_tuple and with redirect_error
  std::promise<void> done;
  net::co_spawn(
      strand,
      [&]() -> awaitable<void> {
        auto [tec, tn] = co_await s.async_write_some(net::buffer(std::string_view("as_tuple")), tuple_of(use_awaitable));
        CHECK_FALSE(tec);
        CHECK(tn == 8);
        std::string t(8, '\0');
        co_await net::async_read(s, net::buffer(t), use_awaitable);
        CHECK(t == "as_tuple");
        error_code ec;
        co_await net::async_write(s, net::buffer(std::string_view("awaited")), net::redirect_error(use_awaitable, ec));
        CHECK_FALSE(ec);
        std::string text(7, '\0');
        co_await net::async_read(s, net::buffer(text), net::redirect_error(use_awaitable, ec));
        CHECK(text == "awaited");
        co_await s.async_shutdown(5s, net::redirect_error(use_awaitable, ec));
        CHECK_FALSE(ec);
      },
      [&](std::exception_ptr) { done.set_value(); });
  done.get_future().get();
  work.reset();
  runner.join();
}

namespace {
/// counting_allocator: counts the allocations an operation makes through it.
template <class T>
struct counting_allocator {
  using value_type = T;
  std::atomic<int>* count;
  explicit counting_allocator(std::atomic<int>* c) : count(c) {}
  template <class U>
  counting_allocator(const counting_allocator<U>& o) : count(o.count) {}  // NOLINT
  T* allocate(std::size_t n) {
    ++*count;
    return std::allocator<T>().allocate(n);
  }
  void deallocate(T* p, std::size_t n) { std::allocator<T>().deallocate(p, n); }
  template <class U>
  bool operator==(const counting_allocator<U>& o) const { return count == o.count; }
};
}  // namespace

TEST_CASE("the handler's associated allocator serves the operation's memory", FLAVOUR_TAG) {
  net::io_context io;
  auto [client_sock, server_sock] = loopback_pair(io);
  net::co_spawn(io, echo_until_close(server_stream(std::move(server_sock))), net::detached);
  tls_socket s(client_ctx(), std::move(client_sock), "localhost");
  std::atomic<int> count{0};
  bool handshaken = false;
  s.async_handshake(net::bind_allocator(counting_allocator<void>(&count), [&](error_code ec) {
    CHECK_FALSE(ec);
    handshaken = true;
    s.async_shutdown([](error_code) {});
  }));
  io.run();
  CHECK(handshaken);
  CHECK(count > 0);
}

TEST_CASE("cancellation: a read raced with a timer is cancelled, and the stream goes on", FLAVOUR_TAG) {
  using namespace net::experimental::awaitable_operators;
  run([&](net::io_context& io) -> awaitable<void> {
    auto [client_sock, server_sock] = loopback_pair(io);
    tls_socket server = server_stream(std::move(server_sock));
    tls_socket s(client_ctx(), std::move(client_sock), "localhost");
    co_await (s.async_handshake(use_awaitable) && server.async_handshake(use_awaitable));
    std::array<char, 64> buf{};
    net::steady_timer timer(io, 50ms);
    // The server says nothing yet: the timer wins, the read is cancelled.
    auto first = co_await (s.async_read_some(net::buffer(buf), use_awaitable) || timer.async_wait(use_awaitable));
    CHECK(first.index() == 1);
    // The stream still works: what the server sends now arrives whole.
    co_await net::async_write(server, net::buffer(std::string_view("still here")), use_awaitable);
    const std::string text = co_await read_exactly(s, 10);
    CHECK(text == "still here");
    // A bound cancellation slot: terminal cancellation completes the read with operation_aborted.
    net::cancellation_signal signal;
    error_code ec;
    std::size_t n = 99;
    bool completed = false;
    s.async_read_some(net::buffer(buf), net::bind_cancellation_slot(signal.slot(), [&](error_code e, std::size_t m) {
                        ec = e;
                        n = m;
                        completed = true;
                      }));
    co_await net::post(io, use_awaitable);  // the read is now waiting on the socket
    CHECK_FALSE(completed);
    signal.emit(net::cancellation_type::terminal);
    co_await net::post(io, use_awaitable);
    co_await net::post(io, use_awaitable);
    CHECK(completed);
    CHECK(ec == net::error::operation_aborted);
    CHECK(n == 0);
    // Once more through the same stream after that.
    co_await net::async_write(server, net::buffer(std::string_view("and again")), use_awaitable);
    const std::string again = co_await read_exactly(s, 9);
    CHECK(again == "and again");
  });
}

// A server context whose key answers only when the test says: `held` gets each request.
sslpp::server_context late_signer_context(std::optional<sslpp::signing_request>& held) {
  auto sctx = sslpp::context_for(sslpp::protocol::tls_server);
  sctx.load_cert_chain(test::pki("fullchain-ecdsa.pem"),
                       sslpp::private_key_signer{.sign = [&held](sslpp::signing_request& r)
                                                     -> std::optional<std::vector<std::byte>> {
                         held = std::move(r);
                         return std::nullopt;
                       }});
  return sctx;
}

TEST_CASE("a server handshake waits for a late private key signer without blocking its thread",
          FLAVOUR_TAG "[key_offload]") {
  std::optional<sslpp::signing_request> held;
  auto sctx = late_signer_context(held);
  run([&](net::io_context& io) -> awaitable<void> {
    auto [client_sock, server_sock] = loopback_pair(io);
    tls_socket server(sctx, std::move(server_sock));
    tls_socket client(client_ctx(), std::move(client_sock), "localhost");
    bool server_done = false, client_done = false;
    net::co_spawn(io, [&]() -> awaitable<void> {
      co_await server.async_handshake(use_awaitable);
      server_done = true;
    }, net::detached);
    net::co_spawn(io, [&]() -> awaitable<void> {
      co_await client.async_handshake(use_awaitable);
      client_done = true;
    }, net::detached);
    for (int i = 0; i < 1000 && !held; ++i) co_await net::steady_timer(io, 1ms).async_wait(use_awaitable);
    REQUIRE(held.has_value());
    // The one thread of this io_context still runs everything else while the signer works.
    int ticks = 0;
    for (; ticks < 5; ++ticks) co_await net::steady_timer(io, 1ms).async_wait(use_awaitable);
    CHECK(ticks == 5);
    CHECK_FALSE(server_done);
    // The answer comes from another thread, as a key service's would.
    auto key = test::read_key(test::pki("leaf-ecdsa.key"));
    std::thread([&] { held->completion.complete(test::sign_with(key.get(), held->algorithm, held->input)); }).join();
    for (int i = 0; i < 5000 && !(server_done && client_done); ++i) co_await net::post(io, use_awaitable);
    REQUIRE(server_done);
    REQUIRE(client_done);
    co_await net::async_write(client, net::buffer(std::string_view("signed late")), use_awaitable);
    const std::string got = co_await read_exactly(server, 11);
    CHECK(got == "signed late");
  });
}

TEST_CASE("a handshake waiting for its signer is cancellable, and a failing signer fails it", FLAVOUR_TAG "[key_offload]") {
  std::optional<sslpp::signing_request> held;
  auto sctx = late_signer_context(held);
  error_code client_ec;  // outlives the coroutine: the clients' handshakes end after it
  run([&](net::io_context& io) -> awaitable<void> {
    for (const bool cancel : {true, false}) {
      held.reset();
      auto [client_sock, server_sock] = loopback_pair(io);
      tls_socket server(sctx, std::move(server_sock));
      tls_socket client(client_ctx(), std::move(client_sock), "localhost");
      net::co_spawn(io, client.async_handshake(net::redirect_error(use_awaitable, client_ec)),
                    net::detached);
      net::cancellation_signal signal;
      std::optional<error_code> result;
      server.async_handshake(net::bind_cancellation_slot(signal.slot(), [&](error_code e) { result = e; }));
      for (int i = 0; i < 1000 && !held; ++i) co_await net::steady_timer(io, 1ms).async_wait(use_awaitable);
      REQUIRE(held.has_value());
      CHECK_FALSE(result.has_value());
      if (cancel) signal.emit(net::cancellation_type::terminal);
      else std::thread([&] { held->completion.fail("the KMS said no"); }).join();
      for (int i = 0; i < 1000 && !result; ++i) co_await net::post(io, use_awaitable);
      REQUIRE(result.has_value());
      INFO(result->message());
      if (cancel) CHECK(*result == net::error::operation_aborted);
      else CHECK(to_std(*result).category() == sslpp::boringssl_category());
      CHECK(held->completion.complete({std::byte{1}}) == cancel);  // a cancelled wait leaves the request open
      client.next_layer().close();
    }
  });
}

TEST_CASE("closing the next layer completes the pending operations", FLAVOUR_TAG) {
  net::io_context io;
  auto [client_sock, server_sock] = loopback_pair(io);
  tls_socket server = server_stream(std::move(server_sock));
  tls_socket s(client_ctx(), std::move(client_sock), "localhost");
  error_code read_ec, server_ec;
  bool read_done = false;
  s.async_handshake([&](error_code ec) {
    REQUIRE_FALSE(ec);
    std::array<char, 16>* buf = new std::array<char, 16>;
    s.async_read_some(net::buffer(*buf), [&, buf](error_code e, std::size_t) {
      delete buf;
      read_ec = e;
      read_done = true;
    });
    net::post(io, [&] { s.next_layer().close(); });
  });
  server.async_handshake([&](error_code ec) { server_ec = ec; });
  io.run();
  CHECK_FALSE(server_ec);
  CHECK(read_done);
  CHECK(read_ec == net::error::operation_aborted);
}

TEST_CASE("bounded shutdown: a peer that never answers times out", FLAVOUR_TAG "[python]") {
  py_server py("silent");
  run([&](net::io_context&) -> awaitable<void> {
    tls_socket s(client_ctx(), co_await connect_to(py.port), "localhost");
    co_await s.async_handshake(use_awaitable);
    const auto start = std::chrono::steady_clock::now();
    error_code ec;
    co_await s.async_shutdown(300ms, net::redirect_error(use_awaitable, ec));
    CHECK(to_std(ec) == std::errc::timed_out);
    CHECK(std::chrono::steady_clock::now() - start >= 300ms);
    CHECK(std::chrono::steady_clock::now() - start < 20s);
    s.next_layer().close();
  });
  py.child.wait_for_line("DONE");
}

TEST_CASE("bounded shutdown: a peer that closes without close_notify is ssl_errc::eof", FLAVOUR_TAG "[python]") {
  py_server py("no_close_notify");
  run([&](net::io_context&) -> awaitable<void> {
    tls_socket s(client_ctx(), co_await connect_to(py.port), "localhost");
    co_await s.async_handshake(use_awaitable);
    error_code ec;
    co_await s.async_shutdown(20s, net::redirect_error(use_awaitable, ec));
    CHECK(to_std(ec) == sslpp::ssl_errc::eof);
  });
  py.child.wait_for_line("DONE");
}

TEST_CASE("bounded shutdown: a peer that answers close_notify completes it with success", FLAVOUR_TAG "[python]") {
  py_server py("echo");
  run([&](net::io_context&) -> awaitable<void> {
    tls_socket s(client_ctx(), co_await connect_to(py.port), "localhost");
    co_await s.async_handshake(use_awaitable);
    error_code ec;
    co_await s.async_shutdown(20s, net::redirect_error(use_awaitable, ec));
    CHECK_FALSE(ec);
    // After it, a read ends at once: the peer's close_notify came.
    const error_code after = co_await read_error(s);
    CHECK(after == net::error::eof);
  });
  py.child.wait_for_line("DONE");
}

TEST_CASE("shutdown without waiting sends close_notify, which ends the peer's reads", FLAVOUR_TAG "[python]") {
  py_server py("echo");
  run([&](net::io_context&) -> awaitable<void> {
    tls_socket s(client_ctx(), co_await connect_to(py.port), "localhost");
    co_await s.async_handshake(use_awaitable);
    co_await s.async_shutdown(use_awaitable);
    // The peer's echo loop ended (its recv returned b'') and it answered with close_notify.
    const error_code after = co_await read_error(s);
    CHECK(after == net::error::eof);
  });
  py.child.wait_for_line("DONE");
}

TEST_CASE("end of stream: the peer's close_notify reads as error::eof", FLAVOUR_TAG "[python]") {
  py_server py("close_notify");
  run([&](net::io_context&) -> awaitable<void> {
    tls_socket s(client_ctx(), co_await connect_to(py.port), "localhost");
    const std::string bye = co_await read_exactly(s, 3);  // handshakes first
    CHECK(bye == "bye");
    const error_code ec = co_await read_error(s);
    CHECK(ec == net::error::eof);
    co_await s.async_shutdown(use_awaitable);
  });
  py.child.wait_for_line("UNWRAPPED");
}

TEST_CASE("end of stream: a ragged EOF is error::eof while suppress_ragged_eofs, ssl_errc::eof otherwise",
          FLAVOUR_TAG "[python]") {
  for (const bool suppress : {true, false}) {
    DYNAMIC_SECTION("suppress_ragged_eofs " << suppress) {
      py_server py("ragged");
      run([&](net::io_context&) -> awaitable<void> {
        tls_socket s(client_ctx(), co_await connect_to(py.port), "localhost",
                     sslpp::wrap_options{.suppress_ragged_eofs = suppress});
        const std::string data = co_await read_exactly(s, 12);
        CHECK(data == "partial data");
        const error_code ec = co_await read_error(s);
        if (suppress) {
          CHECK(ec == net::error::eof);
        } else {
          CHECK(to_std(ec) == sslpp::ssl_errc::eof);
          CHECK(ec.message() == "EOF occurred in violation of protocol");
        }
        s.next_layer().close();
      });
      py.child.wait_for_line("DONE");
    }
  }
}

TEST_CASE("a session resumes through the async stream, and is refused for another host name", FLAVOUR_TAG) {
  run([&](net::io_context& io) -> awaitable<void> {
    using namespace net::experimental::awaitable_operators;
    auto ctx = client_ctx();
    auto sctx = test::server_context_with();
    sslpp::session saved;
    for (int round = 0; round < 2; ++round) {
      auto [client_sock, server_sock] = loopback_pair(io);
      tls_socket server(sctx, std::move(server_sock));
      tls_socket s(ctx, std::move(client_sock), "localhost", sslpp::wrap_options{.session = saved});
      co_await (s.async_handshake(use_awaitable) && server.async_handshake(use_awaitable));
      // A TLS 1.3 ticket comes after the handshake: a read takes it in.
      co_await net::async_write(server, net::buffer(std::string_view("x")), use_awaitable);
      const std::string x = co_await read_exactly(s, 1);
      CHECK(x == "x");
      CHECK(s.session_reused() == (round == 1));
      CHECK(server.session_reused() == (round == 1));
      if (round == 0) {
        saved = s.session();
        REQUIRE(saved);
      }
      co_await (s.async_shutdown(5s, use_awaitable) && server.async_shutdown(5s, use_awaitable));
    }
    // The policy of every wrap: a session is offered only to the name it was verified for.
    CHECK_THROWS_WITH(tls_socket(ctx, tcp::socket(io), "127.0.0.1", sslpp::wrap_options{.session = saved}),
                      Catch::Contains("Session refers to a different server name"));
    // ... and only by the context that verified it.
    CHECK_THROWS_WITH(tls_socket(client_ctx(), tcp::socket(io), "localhost", sslpp::wrap_options{.session = saved}),
                      Catch::Contains("different SSLContext"));
  });
}

TEST_CASE("Encrypted Client Hello through the async stream: accepted, and a rejection's retry configs", FLAVOUR_TAG) {
  run([&](net::io_context& io) -> awaitable<void> {
    using namespace net::experimental::awaitable_operators;
    // The public name is the server's own name here: one certificate serves both paths.
    const auto keys = sslpp::ech_keys::generate(1, "localhost");
    const auto stale = sslpp::ech_keys::generate(2, "localhost");
    auto sctx = test::server_context_with();
    sctx.set_ech_keys(keys);
    auto ctx = client_ctx();
    {
      auto [client_sock, server_sock] = loopback_pair(io);
      tls_socket server(sctx, std::move(server_sock));
      tls_socket s(ctx, std::move(client_sock), "localhost", sslpp::wrap_options{.ech_config_list = keys.config_list()});
      co_await (s.async_handshake(use_awaitable) && server.async_handshake(use_awaitable));
      CHECK(s.ech_accepted());
      CHECK(server.ech_accepted());
    }
    {
      auto [client_sock, server_sock] = loopback_pair(io);
      tls_socket server(sctx, std::move(server_sock));
      tls_socket s(ctx, std::move(client_sock), "localhost", sslpp::wrap_options{.ech_config_list = stale.config_list()});
      error_code cec, sec;
      co_await (s.async_handshake(net::redirect_error(use_awaitable, cec)) &&
                server.async_handshake(net::redirect_error(use_awaitable, sec)));
      CHECK(to_std(cec).category() == sslpp::boringssl_category());
      CHECK_THAT(to_std(cec).message(), Catch::Contains("ECH_REJECTED"));
      CHECK(s.ech_retry_configs() == std::optional<std::vector<std::byte>>(keys.config_list()));
    }
  });
}

TEST_CASE("TLS over TLS: the stream is itself a next layer", FLAVOUR_TAG) {
  using namespace net::experimental::awaitable_operators;
  run([&](net::io_context& io) -> awaitable<void> {
    auto [client_sock, server_sock] = loopback_pair(io);
    tls<tls_socket> inner_client(client_ctx(), tls_socket(client_ctx(), std::move(client_sock), "localhost"),
                                 "localhost");
    tls<tls_socket> inner_server(test::server_context_with(), server_stream(std::move(server_sock)));
    co_await (inner_client.async_handshake(use_awaitable) && inner_server.async_handshake(use_awaitable));
    CHECK(inner_client.version() == sslpp::tls_version::tlsv1_3);
    CHECK(inner_client.next_layer().version() == sslpp::tls_version::tlsv1_3);
    co_await net::async_write(inner_client, net::buffer(std::string_view("nested")), use_awaitable);
    std::string text(6, '\0');
    co_await net::async_read(inner_server, net::buffer(text), use_awaitable);
    CHECK(text == "nested");
  });
}

// ---- cost: the would-block path allocates nothing, an idle connection keeps little ----

#include <malloc.h>

#include <cstdlib>
#include <new>

namespace async_cost {
/// Calls of the global operator new while `counting` is on (the tests below run on one thread).
inline std::atomic<bool> counting{false};
inline std::atomic<long> news{0};
}  // namespace async_cost

void* operator new(std::size_t n) {
  if (async_cost::counting.load(std::memory_order_relaxed)) async_cost::news.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
// The nothrow forms are replaced too: Catch2 allocates with them and frees with the plain
// delete above, and a sanitizer's own nothrow new paired with std::free is a mismatch.
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  if (async_cost::counting.load(std::memory_order_relaxed)) async_cost::news.fetch_add(1, std::memory_order_relaxed);
  return std::malloc(n ? n : 1);
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }

namespace {
/// ping_pong: `rounds` one-byte round trips between `a` and `b` with callbacks; each side's
/// read starts before the peer wrote, so every read first meets would-block.
struct ping_pong {
  tls_socket& a;
  tls_socket& b;
  int rounds;
  char abuf = 0, bbuf = 0;
  int done = 0;
  int errors = 0;  // (no Catch assertion inside: its reporting allocates)
  void start() {
    b.async_read_some(net::buffer(&bbuf, 1), [this](error_code ec, std::size_t) { on_b(ec); });
    ping();
  }
  void ping() {
    a.async_read_some(net::buffer(&abuf, 1), [this](error_code ec, std::size_t) {
      errors += ec ? 1 : 0;
      if (!ec && ++done < rounds) ping();
    });
    net::async_write(a, net::buffer("p", 1), [this](error_code ec, std::size_t) { errors += ec ? 1 : 0; });
  }
  void on_b(error_code ec) {
    errors += ec ? 1 : 0;
    if (ec) return;
    net::async_write(b, net::buffer(&bbuf, 1), [this](error_code e, std::size_t) {
      errors += e ? 1 : 0;
      if (!e && done + 1 < rounds)
        b.async_read_some(net::buffer(&bbuf, 1), [this](error_code ec2, std::size_t) { on_b(ec2); });
    });
  }
};

/// handshaken_pair: a client and a server stream over a loopback pair, handshaken.
std::pair<tls_socket, tls_socket> handshaken_pair(net::io_context& io, const sslpp::client_context& cctx,
                                                  const sslpp::server_context& sctx) {
  auto [client_sock, server_sock] = loopback_pair(io);
  tls_socket c(cctx, std::move(client_sock), "localhost");
  tls_socket s(sctx, std::move(server_sock));
  int ok = 0;
  c.async_handshake([&](error_code ec) { ok += !ec; });
  s.async_handshake([&](error_code ec) { ok += !ec; });
  io.restart();
  io.run();
  REQUIRE(ok == 2);
  return {std::move(c), std::move(s)};
}
}  // namespace

TEST_CASE("cost: a steady one-byte round trip allocates nothing through operator new", FLAVOUR_TAG) {
  net::io_context io;
  auto [c, s] = handshaken_pair(io, client_ctx(), test::server_context_with());
  // Warm up: session tickets, asio's handler memory caches, the buffers' first sizes.
  ping_pong warm{c, s, 20};
  warm.start();
  io.restart();
  io.run();
  REQUIRE(warm.done == 20);
  REQUIRE(warm.errors == 0);
  ping_pong steady{c, s, 50};
  async_cost::news = 0;
  async_cost::counting = true;
  steady.start();
  io.restart();
  io.run();
  async_cost::counting = false;
  REQUIRE(steady.done == 50);
  REQUIRE(steady.errors == 0);
  // Before, every read that met would-block built its error message: two strings, 200
  // allocations here. What is left is asio's own (its per-thread handler memory cache
  // holds two blocks, and four operations are in flight at a time).
  INFO("operator new calls in 50 round trips: " << async_cost::news.load());
  CHECK(async_cost::news.load() < 25);
}

TEST_CASE("cost: an idle connection keeps small buffers, after a bulk transfer too", FLAVOUR_TAG) {
  net::io_context io;
  auto cctx = client_ctx();
  auto sctx = test::server_context_with();
  constexpr int pairs = 16;
  std::vector<std::pair<tls_socket, tls_socket>> conns;
  conns.reserve(pairs);
  const auto big = test::pattern(256 << 10, 3);
  std::vector<std::byte> back(big.size());
  const std::size_t before = mallinfo2().uordblks;
  std::array<char, 1> idle_buf[2 * pairs];
  int parked = 0, ended = 0;
  for (int i = 0; i < pairs; ++i) {
    conns.push_back(handshaken_pair(io, cctx, sctx));
    auto& [c, s] = conns.back();
    // 256 KiB each way (the big input and output buffers come into use), then each side
    // parks a read, as a server waiting for its client's next request does.
    int steps = 0;
    net::async_write(c, net::buffer(big), [&](error_code ec, std::size_t) { steps += !ec; });
    net::async_read(s, net::buffer(back), [&](error_code ec, std::size_t) { steps += !ec; });
    io.restart();
    io.run();
    net::async_write(s, net::buffer(big), [&](error_code ec, std::size_t) { steps += !ec; });
    net::async_read(c, net::buffer(back), [&](error_code ec, std::size_t) { steps += !ec; });
    io.restart();
    io.run();
    REQUIRE(steps == 4);
  }
  for (auto& [c, s] : conns)
    for (auto* t : {&c, &s}) t->async_read_some(net::buffer(idle_buf[parked++]), [&](error_code, std::size_t) { ++ended; });
  io.restart();
  while (io.poll() > 0) {}
  const std::size_t after = mallinfo2().uordblks;
  const std::size_t per_stream = (after - before) / (2 * pairs);
  INFO("heap per idle stream (TLS, socket, parked read): " << per_stream << " bytes");
  // asio::ssl::stream keeps ~70 KiB here (bench/README.md); the issue asks for at most a
  // quarter of that. Before, the 17 KiB input buffer and a 66 KiB output buffer stayed
  // (~28 KiB right after the handshake, ~100 KiB after a bulk transfer); now ~13 KiB, most
  // of it the TLS connection's own state (the client's includes the server's chain).
  CHECK(per_stream < 16 * 1024);
  for (auto& [c, s] : conns) {
    c.next_layer().close();
    s.next_layer().close();
  }
  io.restart();
  io.run();
  CHECK(ended == 2 * pairs);
}

TEST_CASE("while data flows, a reset reads as the reset and a bare EOF as a truncation, never as a clean end",
          FLAVOUR_TAG) {
  // A reader receives straight from the socket while data flows (detail/async_stream.hpp),
  // not through the next layer's async_read_some: the peer's reset and its EOF without
  // close_notify must still end the stream as they do through the reactor. Here the data
  // waits in the socket before the client reads, so its reads take the direct path and
  // meet the reset (or the EOF) there.
  for (const bool reset : {true, false}) {
    DYNAMIC_SECTION((reset ? "reset after 256 KiB" : "TCP close without close_notify after 256 KiB")) {
      net::io_context io;
      auto [client_sock, server_sock] = loopback_pair(io);
      client_sock.set_option(net::socket_base::receive_buffer_size(2 << 20));
      server_sock.set_option(net::socket_base::send_buffer_size(2 << 20));
      // With suppress_ragged_eofs a reset mistaken for an EOF would read as a clean end.
      tls_socket c(client_ctx(), std::move(client_sock), "localhost",
                   sslpp::wrap_options{.suppress_ragged_eofs = reset});
      tls_socket s(test::server_context_with(), std::move(server_sock));
      int ok = 0;
      c.async_handshake([&](error_code ec) { ok += !ec; });
      s.async_handshake([&](error_code ec) { ok += !ec; });
      io.run();
      REQUIRE(ok == 2);
      const auto big = test::pattern(256 << 10, 5);
      error_code write_end = net::error::operation_aborted;
      net::async_write(s, net::buffer(big), [&](error_code ec, std::size_t) { write_end = ec; });
      io.restart();
      io.run();  // the client does not read yet: all of it waits in the sockets' buffers
      REQUIRE(!write_end);
      if (reset) s.next_layer().set_option(net::socket_base::linger(true, 0));  // close sends RST
      s.next_layer().close();
      std::size_t received = 0;
      error_code read_end;
      std::array<char, 16384> buf;
      std::function<void()> read_more = [&] {
        c.async_read_some(net::buffer(buf), [&](error_code ec, std::size_t n) {
          received += n;
          if (ec) {
            read_end = ec;
            return;
          }
          read_more();
        });
      };
      read_more();
      io.restart();
      io.run();
      INFO("received " << received << " of " << big.size() << " bytes; the read ended with " << read_end.message());
      if (reset) {
        CHECK(read_end == net::error::connection_reset);
        CHECK(received <= big.size());
      } else {
        CHECK(to_std(read_end) == sslpp::ssl_errc::eof);
        CHECK(received == big.size());
      }
    }
  }
}

// ---- operations parked behind another's read or write, cancelled ----

TEST_CASE("cancellation: a read parked behind the handshake's read completes alone with operation_aborted",
          FLAVOUR_TAG) {
  net::io_context io;
  auto [client_sock, server_sock] = loopback_pair(io);
  tls_socket server = server_stream(std::move(server_sock));
  tls_socket s(client_ctx(), std::move(client_sock), "localhost");
  error_code hs_ec = net::error::would_block, read_ec;
  bool read_done = false;
  s.async_handshake([&](error_code ec) { hs_ec = ec; });
  while (io.poll() > 0) {}  // the ClientHello went out; the handshake now reads (the server is not started)
  std::array<char, 16> buf{};
  net::cancellation_signal signal;
  s.async_read_some(net::buffer(buf), net::bind_cancellation_slot(signal.slot(), [&](error_code ec, std::size_t n) {
                      read_ec = ec;
                      CHECK(n == 0);
                      read_done = true;
                    }));
  while (io.poll() > 0) {}
  CHECK_FALSE(read_done);  // parked behind the handshake's read
  signal.emit(net::cancellation_type::terminal);
  while (io.poll() > 0) {}
  CHECK(read_done);
  CHECK(read_ec == net::error::operation_aborted);
  CHECK(hs_ec == net::error::would_block);  // the handshake goes on
  // The server answers: the handshake completes, and the stream works.
  server.async_handshake([](error_code ec) { CHECK_FALSE(ec); });
  io.run();
  CHECK_FALSE(hs_ec);
  std::string got(4, '\0');
  net::async_write(server, net::buffer(std::string_view("ping")), [](error_code ec, std::size_t) { CHECK_FALSE(ec); });
  net::async_read(s, net::buffer(got), [](error_code ec, std::size_t) { CHECK_FALSE(ec); });
  io.restart();
  io.run();
  CHECK(got == "ping");
}

TEST_CASE("cancellation: a shutdown parked behind a write in flight completes with operation_aborted",
          FLAVOUR_TAG) {
  net::io_context io;
  auto [c, s] = handshaken_pair(io, client_ctx(), test::server_context_with());
  // Small socket buffers, and a server that does not read yet: the write stays in flight.
  io.restart();  // handshaken_pair ran it to the end
  c.next_layer().set_option(net::socket_base::send_buffer_size(4096));
  s.next_layer().set_option(net::socket_base::receive_buffer_size(4096));
  const auto big = test::pattern(64 << 10, 5);
  error_code write_ec = net::error::would_block, shut_ec;
  std::size_t written = 0;
  bool shut_done = false;
  c.async_write_some(net::buffer(big), [&](error_code ec, std::size_t n) {
    write_ec = ec;
    written = n;
  });
  while (io.poll() > 0) {}
  REQUIRE(write_ec == net::error::would_block);  // still in flight
  net::cancellation_signal signal;
  c.async_shutdown(net::bind_cancellation_slot(signal.slot(), [&](error_code ec) {
    shut_ec = ec;
    shut_done = true;
  }));
  while (io.poll() > 0) {}
  CHECK_FALSE(shut_done);  // parked behind the write
  signal.emit(net::cancellation_type::terminal);
  while (io.poll() > 0) {}
  CHECK(shut_done);
  CHECK(shut_ec == net::error::operation_aborted);
  CHECK(write_ec == net::error::would_block);  // the write goes on
  // The server reads: the write completes whole.
  std::vector<std::byte> back(big.size());
  net::async_read(s, net::buffer(back), [](error_code ec, std::size_t) { CHECK_FALSE(ec); });
  io.restart();
  io.run();
  CHECK_FALSE(write_ec);
  CHECK(written == big.size());
  CHECK(back == big);
}

// ---- a UNIX-domain socket as the next layer ----

TEST_CASE("a UNIX-domain stream socket is a next layer", FLAVOUR_TAG) {
  using unix_socket = net::local::stream_protocol::socket;
  using namespace net::experimental::awaitable_operators;
  run([&](net::io_context& io) -> awaitable<void> {
    unix_socket a(io), b(io);
    net::local::connect_pair(a, b);
    tls<unix_socket> client(client_ctx(), std::move(a), "localhost");
    tls<unix_socket> server(test::server_context_with(), std::move(b));
    co_await (client.async_handshake(use_awaitable) && server.async_handshake(use_awaitable));
    CHECK(client.version() == sslpp::tls_version::tlsv1_3);
    REQUIRE(client.getpeercert());
    const auto big = test::pattern(1 << 20, 9);
    std::vector<std::byte> back(big.size());
    co_await (net::async_write(client, net::buffer(big), use_awaitable) &&
              net::async_read(server, net::buffer(back), use_awaitable));
    CHECK(back == big);
    co_await (client.async_shutdown(5s, use_awaitable) && server.async_shutdown(5s, use_awaitable));
    std::array<char, 4> buf{};
    auto [ec, n] = co_await server.async_read_some(net::buffer(buf), tuple_of(use_awaitable));
    CHECK(ec == net::error::eof);
    CHECK(n == 0);
  });
}

// ---- a timed shutdown meets application data, then close_notify ----

TEST_CASE("bounded shutdown: application data before the peer's close_notify fails at once, reading first succeeds",
          FLAVOUR_TAG "[python]") {
  SECTION("shutdown straight away: an ssl error, not a wait for the timeout") {
    py_server py("data_then_close");
    run([&](net::io_context&) -> awaitable<void> {
      tls_socket s(client_ctx(), co_await connect_to(py.port), "localhost");
      co_await s.async_handshake(use_awaitable);
      co_await net::async_write(s, net::buffer(std::string_view("go")), use_awaitable);
      error_code ec;
      co_await s.async_shutdown(60s, net::redirect_error(use_awaitable, ec));
      CHECK(to_std(ec).category() == sslpp::boringssl_category());
      CHECK(to_std(ec) != std::errc::timed_out);
      s.next_layer().close();
    });
    py.child.wait_for_line("DONE");
  }
  SECTION("read to the end of the stream first: the data, error::eof, then a clean shutdown") {
    py_server py("data_then_close");
    run([&](net::io_context&) -> awaitable<void> {
      tls_socket s(client_ctx(), co_await connect_to(py.port), "localhost");
      co_await net::async_write(s, net::buffer(std::string_view("go")), use_awaitable);
      std::string got;
      auto [ec, n] = co_await net::async_read(s, net::dynamic_buffer(got), tuple_of(use_awaitable));
      CHECK(ec == net::error::eof);
      CHECK(got == "late data");
      error_code sec;
      co_await s.async_shutdown(60s, net::redirect_error(use_awaitable, sec));
      CHECK_FALSE(sec);
    });
    py.child.wait_for_line("UNWRAPPED");
  }
}

TEST_CASE("beyond Python on the async streams: stapled OCSP bytes, SCTs and exported keys", FLAVOUR_TAG) {
  // The queries of API.md §9 are the shared connection_queries: the async client asks for
  // a staple and SCTs as wrap_socket's client does, and both ends export the same keys.
  const std::vector<std::byte> ocsp_like{std::byte{0x30}, std::byte{0x03}, std::byte{0x0A}, std::byte{0x01},
                                         std::byte{0x00}};  // OCSPResponse{responseStatus successful}
  const std::vector<std::byte> scts{std::byte{0}, std::byte{3}, std::byte{0}, std::byte{1}, std::byte{0x42}};
  auto sctx = test::server_context_with();
  sctx.set_ocsp_response(ocsp_like);
  sctx.set_signed_cert_timestamp_list(scts);
  auto cctx = client_ctx();
  cctx.set_ocsp_stapling(true);
  cctx.set_signed_cert_timestamps(true);
  net::io_context io;
  auto [c, s] = loopback_pair(io);
  tls_socket client(cctx, std::move(c), "localhost");
  tls_socket server(sctx, std::move(s));
  std::vector<std::byte> client_keys, server_keys;
  auto spawn = [&](tls_socket& t, std::vector<std::byte>& keys) {
    net::co_spawn(
        io,
        [&]() -> awaitable<void> {
          co_await t.async_handshake(use_awaitable);
          keys = t.export_keying_material("EXPORTER-sslpp-async", 32);
        },
        [](std::exception_ptr e) {
          if (e) std::rethrow_exception(e);
        });
  };
  spawn(client, client_keys);
  spawn(server, server_keys);
  io.run();
  CHECK(client.ocsp_response() == ocsp_like);
  CHECK(client.signed_cert_timestamps() == scts);
  CHECK_FALSE(server.ocsp_response().has_value());
  REQUIRE(client_keys.size() == 32);
  CHECK(client_keys == server_keys);
}

// ---- attacks on the direct socket I/O over an asio socket ----

#include "async_direct_io_tests.hpp"
