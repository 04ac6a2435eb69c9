// async_echo_server.cpp: a TLS echo server on standalone asio and C++20 coroutines, one
// coroutine per connection, each dropped after an idle timeout.
//
//   example_async_echo_server CERT KEY [IDLE_MS] [PORT]
//
// Listens on 127.0.0.1:PORT (0, the default, picks a free port), prints "PORT n", and
// echoes every connection until the client closes it or stays silent for IDLE_MS
// milliseconds (default 5000); then it sends close_notify and waits at most a second for
// the client's. Each connection's end is printed on one line ("closed: idle", "closed:
// end of stream", ...). A handshake that does not finish within the idle timeout is
// dropped too, so a stalled or half-open client costs a coroutine for that long at most.
#include <asio.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/experimental/awaitable_operators.hpp>
#include <sslpp/asio.hpp>
#include <sslpp/sslpp.hpp>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

using asio::awaitable;
using asio::use_awaitable;
using asio::ip::tcp;
using asio::experimental::as_tuple;
using namespace asio::experimental::awaitable_operators;
using tls_stream = sslpp::asio::stream<tcp::socket>;

namespace {

/// report: one line per connection's end, flushed at once (the tests read it).
void report(const std::string& what) {
  std::printf("closed: %s\n", what.c_str());
  std::fflush(stdout);
}

awaitable<void> serve(tls_stream tls, std::chrono::milliseconds idle) {
  asio::steady_timer handshake_timer(co_await asio::this_coro::executor, idle);
  auto handshake = co_await (tls.async_handshake(as_tuple(use_awaitable)) || handshake_timer.async_wait(use_awaitable));
  const std::error_code ec = handshake.index() == 1 ? std::make_error_code(std::errc::timed_out)
                                                    : std::get<0>(std::get<0>(handshake));
  if (ec) {
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
      break;
    }
    auto [rec, n] = std::get<0>(first);
    if (rec == asio::error::eof) {
      why = "end of stream";
      break;
    }
    if (rec) {
      why = "read failed: " + rec.message();
      break;
    }
    auto [wec, written] = co_await asio::async_write(tls, asio::buffer(buf.data(), n), as_tuple(use_awaitable));
    (void)written;
    if (wec) {
      why = "write failed: " + wec.message();
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
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s CERT KEY [IDLE_MS] [PORT]\n", argv[0]);
    return 2;
  }
  try {
    auto ctx = sslpp::context_for(sslpp::protocol::tls_server);
    ctx.load_cert_chain(argv[1], argv[2]);
    const std::chrono::milliseconds idle(argc > 3 ? std::atol(argv[3]) : 5000);
    const auto port = static_cast<unsigned short>(argc > 4 ? std::atoi(argv[4]) : 0);
    asio::io_context io;
    tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), port});
    std::printf("PORT %u\n", static_cast<unsigned>(acceptor.local_endpoint().port()));
    std::fflush(stdout);
    asio::co_spawn(io, listen(acceptor, ctx, idle), asio::detached);
    io.run();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "async_echo_server: %s\n", e.what());
    return 1;
  }
}
