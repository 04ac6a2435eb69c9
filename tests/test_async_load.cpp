// test_async_load.cpp: the bounded load test of the coroutine echo server
// (examples/async_echo_server.cpp, issue 15): 10,000 connections from an asio client
// driver, at most 128 at a time, one in ten misbehaving — in turn a client that stalls
// after its handshake, one that resets the connection, one that sends half a ClientHello
// and stalls. The server's memory stays flat, it leaks no descriptor, and every stalled
// peer is dropped by its idle timeout (short here: 300 ms). No timed assertion: the
// figures are counts, taken from the server's --stats lines. CTest label "load".
#if defined(SSLPP_HAVE_ASIO) && defined(SSLPP_HAVE_EXAMPLE_ASYNC_ECHO_SERVER)
#include "support.hpp"
#include "transport_support.hpp"

#include <asio.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <sslpp/asio.hpp>

#include <catch2/catch.hpp>

#include <array>
#include <chrono>
#include <map>
#include <sstream>
#include <string>

namespace {
using asio::awaitable;
using asio::use_awaitable;
using asio::ip::tcp;
using asio::experimental::as_tuple;
using tls_socket = sslpp::asio::stream<tcp::socket>;
using namespace std::chrono_literals;

constexpr int total = 10000;
constexpr int concurrency = 128;

struct tally {
  int good = 0, good_ok = 0;
  int stalls = 0, stalls_dropped = 0;
  int resets = 0;
  int halves = 0, halves_dropped = 0;
  int errors = 0;
  std::string first_error;
  sslpp::session session;  // offered by every good client once the first one has it
  void error(const std::string& what) {
    if (errors++ == 0) first_error = what;
  }
};

/// stats: the server's counters, read from one "STATS ..." line.
std::map<std::string, long> stats(test::child& server, int& query) {
  const std::string tag = "q" + std::to_string(++query);
  server.write_stdin(tag + "\n");
  const std::string line = server.wait_for_line("tag=" + tag, 30s);
  std::map<std::string, long> out;
  std::istringstream in(line);
  std::string word;
  while (in >> word)
    if (auto eq = word.find('='); eq != std::string::npos && word.substr(0, eq) != "tag")
      out[word.substr(0, eq)] = std::stol(word.substr(eq + 1));
  return out;
}

awaitable<void> good_client(tcp::endpoint ep, const sslpp::client_context& ctx, tally& t) {
  ++t.good;
  tcp::socket sock(co_await asio::this_coro::executor);
  co_await sock.async_connect(ep, use_awaitable);
  tls_socket s(ctx, std::move(sock), "localhost", sslpp::wrap_options{.session = t.session});
  co_await s.async_handshake(use_awaitable);
  const std::string msg = "a well-behaved client's 40-byte message.";
  co_await asio::async_write(s, asio::buffer(msg), use_awaitable);
  std::string back(msg.size(), '\0');
  co_await asio::async_read(s, asio::buffer(back), use_awaitable);
  if (back != msg) t.error("echo mismatch");
  if (!t.session) t.session = s.session();
  auto [ec] = co_await s.async_shutdown(10s, as_tuple(use_awaitable));
  if (ec) t.error("good client's shutdown: " + ec.message());
  else ++t.good_ok;
}

/// stall: handshakes, then says nothing: the server's idle timeout must end the connection
/// (its close_notify reads as eof here).
awaitable<void> stalling_client(tcp::endpoint ep, const sslpp::client_context& ctx, tally& t) {
  ++t.stalls;
  tcp::socket sock(co_await asio::this_coro::executor);
  co_await sock.async_connect(ep, use_awaitable);
  tls_socket s(ctx, std::move(sock), "localhost");
  co_await s.async_handshake(use_awaitable);
  std::array<char, 16> buf{};
  auto [ec, n] = co_await s.async_read_some(asio::buffer(buf), as_tuple(use_awaitable));
  if (ec == asio::error::eof) ++t.stalls_dropped;
  else t.error("stalled client: " + ec.message());
  co_await s.async_shutdown(as_tuple(use_awaitable));
}

/// reset: handshakes, sends a little, then resets the connection (SO_LINGER 0).
awaitable<void> resetting_client(tcp::endpoint ep, const sslpp::client_context& ctx, tally& t) {
  ++t.resets;
  tcp::socket sock(co_await asio::this_coro::executor);
  co_await sock.async_connect(ep, use_awaitable);
  tls_socket s(ctx, std::move(sock), "localhost");
  co_await s.async_handshake(use_awaitable);
  co_await asio::async_write(s, asio::buffer(std::string_view("then a reset")), use_awaitable);
  s.next_layer().set_option(asio::socket_base::linger(true, 0));
  s.next_layer().close();
}

/// half a handshake: the first bytes of a ClientHello, then silence; the server's
/// handshake timeout must drop it (it closes the connection: end of stream here).
awaitable<void> half_handshake_client(tcp::endpoint ep, tally& t) {
  ++t.halves;
  tcp::socket sock(co_await asio::this_coro::executor);
  co_await sock.async_connect(ep, use_awaitable);
  static constexpr unsigned char hello_start[] = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03};
  co_await asio::async_write(sock, asio::buffer(hello_start), use_awaitable);
  std::array<char, 256> buf{};
  for (;;) {
    auto [ec, n] = co_await sock.async_read_some(asio::buffer(buf), as_tuple(use_awaitable));
    if (ec == asio::error::eof || ec == asio::error::connection_reset) {
      ++t.halves_dropped;
      break;
    }
    if (ec) {
      t.error("half-handshake client: " + ec.message());
      break;
    }
  }
}

/// worker: takes the next connection number until `end`; one in ten misbehaves.
awaitable<void> worker(tcp::endpoint ep, const sslpp::client_context& ctx, tally& t, int& next, int end) {
  while (next < end) {
    const int i = next++;
    try {
      if (i % 10 != 9) co_await good_client(ep, ctx, t);
      else if ((i / 10) % 3 == 0) co_await stalling_client(ep, ctx, t);
      else if ((i / 10) % 3 == 1) co_await resetting_client(ep, ctx, t);
      else co_await half_handshake_client(ep, t);
    } catch (const std::exception& e) {
      t.error("connection " + std::to_string(i) + ": " + e.what());
    }
  }
}

/// drive: connections [next, end) through `concurrency` workers.
void drive(tcp::endpoint ep, const sslpp::client_context& ctx, tally& t, int& next, int end) {
  asio::io_context io;
  for (int w = 0; w < concurrency; ++w) asio::co_spawn(io, worker(ep, ctx, t, next, end), asio::detached);
  io.run();
}
}  // namespace

TEST_CASE("load: 10,000 connections through the coroutine echo server, one in ten misbehaving", "[async][load]") {
  test::child server({std::string(SSLPP_BINARY_DIR) + "/examples/example_async_echo_server", "--quiet", "--stats",
                      test::pki("fullchain-ecdsa.pem"), test::pki("leaf-ecdsa.key"), "300"});
  const std::uint16_t port = server.wait_for_port_line("PORT ");
  const tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), port);
  auto ctx = test::client_context_trusting_root();
  int query = 0;
  const auto start = stats(server, query);

  tally t;
  int next = 0;
  drive(ep, ctx, t, next, 2000);  // warm-up: the allocator's and the kernel's steady state
  // Wait until the server closed everything the clients left (a reset or a last
  // close_notify may still be in its hands).
  auto wait_quiet = [&] {
    auto s = stats(server, query);
    for (int i = 0; i < 500 && s["live"] != 0; ++i) s = stats(server, query);
    return s;
  };
  const auto warm = wait_quiet();
  drive(ep, ctx, t, next, total);
  const auto end = wait_quiet();

  INFO("first client error: " << t.first_error);
  CHECK(t.errors == 0);
  CHECK(t.good + t.stalls + t.resets + t.halves == total);
  CHECK(t.good_ok == t.good);
  // Every stalled peer was dropped by the idle timeout, and the server counted each.
  CHECK(t.stalls_dropped == t.stalls);
  CHECK(t.halves_dropped == t.halves);
  CHECK(end.at("idle") == t.stalls);
  CHECK(end.at("eof") == t.good);
  CHECK(end.at("handshake_failed") >= t.halves);  // a reset may also land inside the server's handshake
  CHECK(end.at("handshake_failed") + end.at("failed") == t.halves + t.resets);
  CHECK(end.at("accepted") == total);
  CHECK(end.at("live") == 0);
  // No descriptor leak: the server holds what it held before the first connection.
  CHECK(end.at("fds") == start.at("fds"));
  CHECK(warm.at("fds") == start.at("fds"));
  // RSS flat: 8,000 more connections after the warm-up grow it by less than 4 MiB (a leak
  // of 512 bytes per connection would exceed that).
  INFO("server RSS: " << start.at("rss_kb") << " KiB at start, " << warm.at("rss_kb") << " KiB after 2,000, "
                      << end.at("rss_kb") << " KiB after 10,000");
  CHECK(end.at("rss_kb") - warm.at("rss_kb") < 4096);
}
#else
#include <catch2/catch.hpp>
TEST_CASE("the load test is skipped: standalone asio (apt-get install libasio-dev) was not found", "[async][load]") {
  WARN("skipped: the load test needs standalone asio and the example async_echo_server");
}
#endif
