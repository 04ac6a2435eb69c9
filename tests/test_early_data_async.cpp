// 0-RTT early data through the asynchronous stream (sslpp::asio::stream, standalone asio):
// an async client's wrap_options::early_data goes early and is delivered once; an async
// server gets it only through early_data(), never through async_read_some.
#if defined(SSLPP_HAVE_ASIO)
#include <asio.hpp>
#include <sslpp/asio.hpp>

#include "features_support.hpp"

namespace {

using tcp = asio::ip::tcp;

sslpp::server_context early_server() {
  auto sctx = test::server_context_with();
  sctx.set_max_early_data(sslpp::max_early_data_limit);
  return sctx;
}

template <class F>
void run(F body) {
  asio::io_context io;
  std::exception_ptr failure;
  asio::co_spawn(io, body(io), [&](std::exception_ptr e) { failure = e; });
  io.run();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace

TEST_CASE("early data: an async client sends it once, early when the server allows it", "[early_data][asio-async]") {
  const bool allow = GENERATE(true, false);
  auto sctx = allow ? early_server() : test::server_context_with();
  std::string early, ordinary;
  auto count = std::make_shared<int>(0);
  test::server_thread server(
      [sctx, &early, &ordinary, count](sslpp::tcp_socket sock) {
        auto tls = sctx.wrap_socket(std::move(sock));
        if ((*count)++ == 1) {
          early = tls.early_data().accept_replay_risk_text();
          while (ordinary.empty() || ordinary.back() != '!') ordinary += tls.read(100);
          tls.sendall("got " + early + "|" + ordinary);
        } else {
          tls.sendall(tls.read(100));
        }
        tls.shutdown();
      },
      2);
  auto cctx = test::client_context_trusting_root();
  sslpp::session s;
  {
    auto first = feat::connect(cctx, server.port());
    feat::round_trip(first);
    s = first.session();
  }
  REQUIRE(s);
  std::string reply;
  bool accepted = !allow;
  run([&](asio::io_context& io) -> asio::awaitable<void> {
    tcp::socket sock(io);
    co_await sock.async_connect({asio::ip::make_address("127.0.0.1"), server.port()}, asio::use_awaitable);
    sslpp::asio::stream<tcp::socket> tls(cctx, std::move(sock), "localhost", {.session = s, .early_data = "EARLY"});
    co_await tls.async_handshake(asio::use_awaitable);
    accepted = tls.early_data_accepted();
    co_await asio::async_write(tls, asio::buffer(std::string_view("!")), asio::use_awaitable);
    char buf[100];
    const std::size_t n = co_await tls.async_read_some(asio::buffer(buf), asio::use_awaitable);
    reply.assign(buf, n);
  });
  server.join();
  CHECK(accepted == allow);
  CHECK(reply == (allow ? "got EARLY|!" : "got |EARLY!"));
}

TEST_CASE("early data: an async server gets it only through early_data()", "[early_data][asio-async]") {
  auto sctx = early_server();
  auto cctx = test::client_context_trusting_root();
  asio::io_context io;
  tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), 0});
  const std::uint16_t port = acceptor.local_endpoint().port();
  std::string early, ordinary;
  std::exception_ptr failure;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        for (int i = 0; i < 2; ++i) {
          tcp::socket sock = co_await acceptor.async_accept(asio::use_awaitable);
          sslpp::asio::stream<tcp::socket> tls(sctx, std::move(sock));
          co_await tls.async_handshake(asio::use_awaitable);
          if (i == 1) early = tls.early_data().accept_replay_risk_text();
          char buf[100];
          const std::size_t n = co_await tls.async_read_some(asio::buffer(buf), asio::use_awaitable);
          if (i == 1) ordinary.assign(buf, n);
          co_await asio::async_write(tls, asio::buffer(buf, n), asio::use_awaitable);
          co_await tls.async_shutdown(asio::use_awaitable);
        }
      },
      [&](std::exception_ptr e) { failure = e; });
  std::thread io_thread([&] { io.run(); });
  sslpp::session s;
  {
    auto first = feat::connect(cctx, port);
    feat::round_trip(first);
    s = first.session();
  }
  REQUIRE(s);
  auto tls = feat::connect(cctx, port, "localhost", {.session = s, .early_data = "0RTT"});
  CHECK(tls.early_data_accepted());
  tls.sendall("plain");
  CHECK(tls.read(100) == "plain");
  io_thread.join();
  if (failure) std::rethrow_exception(failure);
  CHECK(early == "0RTT");
  CHECK(ordinary == "plain");
}
#else
#include <catch2/catch.hpp>
TEST_CASE("the asynchronous early data tests are skipped: standalone asio (apt-get install libasio-dev) was not found",
          "[early_data]") {
  SUCCEED();
}
#endif
