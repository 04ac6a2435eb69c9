// async_echo_server.cpp: a TLS echo server on standalone asio and C++20 coroutines, one
// coroutine per connection, each dropped after an idle timeout.
//
//   example_async_echo_server [--quiet] [--stats] CERT KEY [IDLE_MS] [PORT]
//
// Listens on 127.0.0.1:PORT (0, the default, picks a free port), prints "PORT n", and
// echoes every connection until the client closes it or stays silent for IDLE_MS
// milliseconds (default 5000); then it sends close_notify and waits at most a second for
// the client's. Each connection's end is printed on one line ("closed: idle", "closed:
// end of stream", ...). A handshake that does not finish within the idle timeout is
// dropped too, so a stalled or half-open client costs a coroutine for that long at most.
//
// --quiet prints no line per connection. --stats answers each line read on standard input
// with one line: "STATS live=L accepted=A idle=I handshake_failed=H eof=E failed=F fds=D
// rss_kb=R tag=LINE" (connections open now and in all, how they ended, the process's open
// descriptors and resident memory) — what a load test watches.
#include <asio.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/experimental/awaitable_operators.hpp>
#include <sslpp/asio.hpp>
#include <sslpp/sslpp.hpp>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include <unistd.h>

using asio::awaitable;
using asio::use_awaitable;
using asio::ip::tcp;
using asio::experimental::as_tuple;
using namespace asio::experimental::awaitable_operators;
using tls_stream = sslpp::asio::stream<tcp::socket>;

namespace {

bool quiet = false;

/// counters: the connections, and how they ended.
struct counters {
  long live = 0, accepted = 0, idle = 0, handshake_failed = 0, eof = 0, failed = 0;
} counts;

/// report: one line per connection's end, flushed at once (the tests read it).
void report(const std::string& what) {
  if (quiet) return;
  std::printf("closed: %s\n", what.c_str());
  std::fflush(stdout);
}

/// stats_line: the counters, this process's open descriptors and its resident memory.
std::string stats_line() {
  long fds = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator("/proc/self/fd")) ++fds;
  --fds;  // the iterator's own
  long pages = 0, resident = 0;
  if (FILE* f = std::fopen("/proc/self/statm", "r")) {
    if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
    std::fclose(f);
  }
  return "STATS live=" + std::to_string(counts.live) + " accepted=" + std::to_string(counts.accepted) +
         " idle=" + std::to_string(counts.idle) + " handshake_failed=" + std::to_string(counts.handshake_failed) +
         " eof=" + std::to_string(counts.eof) + " failed=" + std::to_string(counts.failed) +
         " fds=" + std::to_string(fds) + " rss_kb=" + std::to_string(resident * ::sysconf(_SC_PAGESIZE) / 1024);
}

/// answer_stats: one STATS line for each line on standard input, until it ends.
awaitable<void> answer_stats() {
  asio::posix::stream_descriptor in(co_await asio::this_coro::executor, ::dup(0));
  std::string buf;
  for (;;) {
    auto [ec, n] = co_await asio::async_read_until(in, asio::dynamic_buffer(buf), '\n', as_tuple(use_awaitable));
    if (ec) co_return;
    const std::string tag = buf.substr(0, n - 1);
    buf.erase(0, n);
    const std::string line = stats_line() + " tag=" + tag + "\n";
    std::fputs(line.c_str(), stdout);
    std::fflush(stdout);
  }
}

/// live_connection: counts a connection while its coroutine runs.
struct live_connection {
  live_connection() { ++counts.live, ++counts.accepted; }
  ~live_connection() { --counts.live; }
  live_connection(const live_connection&) = delete;
  live_connection& operator=(const live_connection&) = delete;
};

awaitable<void> serve(tls_stream tls, std::chrono::milliseconds idle) {
  live_connection counted;
  asio::steady_timer handshake_timer(co_await asio::this_coro::executor, idle);
  auto handshake = co_await (tls.async_handshake(as_tuple(use_awaitable)) || handshake_timer.async_wait(use_awaitable));
  const std::error_code ec = handshake.index() == 1 ? std::make_error_code(std::errc::timed_out)
                                                    : std::get<0>(std::get<0>(handshake));
  if (ec) {
    ++counts.handshake_failed;
    report("handshake failed: " + ec.message());
    co_return;
  }
  std::array<char, 16384> buf;
  std::string why;
  for (;;) {
    asio::steady_timer timer(co_await asio::this_coro::executor, idle);
    auto first = co_await (tls.async_read_some(asio::buffer(buf), as_tuple(use_awaitable)) ||
                           timer.async_wait(use_awaitable));
    if (first.index() == 1) {  // the read was cancelled: the client said nothing for `idle`
      why = "idle";
      ++counts.idle;
      break;
    }
    auto [rec, n] = std::get<0>(first);
    if (rec == asio::error::eof) {
      why = "end of stream";
      ++counts.eof;
      break;
    }
    if (rec) {
      why = "read failed: " + rec.message();
      ++counts.failed;
      break;
    }
    auto [wec, written] = co_await asio::async_write(tls, asio::buffer(buf.data(), n), as_tuple(use_awaitable));
    (void)written;
    if (wec) {
      why = "write failed: " + wec.message();
      ++counts.failed;
      break;
    }
  }
  // close_notify, and at most a second for the client's: a client that never answers
  // cannot keep the connection.
  auto [sec] = co_await tls.async_shutdown(std::chrono::seconds(1), as_tuple(use_awaitable));
  report(why + (sec ? " (shutdown: " + sec.message() + ")" : ""));
}

awaitable<void> listen(tcp::acceptor& acceptor, sslpp::server_context ctx, std::chrono::milliseconds idle) {
  for (;;) {
    auto [ec, sock] = co_await acceptor.async_accept(as_tuple(use_awaitable));
    if (ec) {
      std::fprintf(stderr, "accept failed: %s\n", ec.message().c_str());
      continue;
    }
    asio::co_spawn(acceptor.get_executor(), serve(tls_stream(ctx, std::move(sock)), idle), asio::detached);
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args;
  bool stats = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--quiet") quiet = true;
    else if (a == "--stats") stats = true;
    else args.push_back(a);
  }
  if (args.size() < 2) {
    std::fprintf(stderr, "usage: %s [--quiet] [--stats] CERT KEY [IDLE_MS] [PORT]\n", argv[0]);
    return 2;
  }
  try {
    auto ctx = sslpp::context_for(sslpp::protocol::tls_server);
    ctx.load_cert_chain(args[0], args[1]);
    const std::chrono::milliseconds idle(args.size() > 2 ? std::atol(args[2].c_str()) : 5000);
    const auto port = static_cast<unsigned short>(args.size() > 3 ? std::atoi(args[3].c_str()) : 0);
    asio::io_context io;
    tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), port});
    std::printf("PORT %u\n", static_cast<unsigned>(acceptor.local_endpoint().port()));
    std::fflush(stdout);
    asio::co_spawn(io, listen(acceptor, ctx, idle), asio::detached);
    if (stats) asio::co_spawn(io, answer_stats(), asio::detached);
    io.run();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "async_echo_server: %s\n", e.what());
    return 1;
  }
}
