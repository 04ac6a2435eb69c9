// beast_https_client.cpp: an HTTPS GET with Boost.Beast over sslpp::boost_asio::stream, in a
// C++20 coroutine, with Beast's tcp_stream timeouts under TLS.
//
//   example_beast_https_client HOST PORT TARGET [CAFILE]
//
// Connects to HOST:PORT, verifies the server's certificate for HOST (against CAFILE, or
// the system's trust store), sends `GET TARGET`, prints the status line and the body, and
// closes with a shutdown bounded to two seconds. Exits 0 on a 2xx answer, 1 otherwise.
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <sslpp/boost_asio.hpp>
#include <sslpp/sslpp.hpp>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::use_awaitable;

namespace {

asio::awaitable<int> fetch(sslpp::client_context ctx, std::string host, std::string port, std::string target) {
  auto ex = co_await asio::this_coro::executor;
  asio::ip::tcp::resolver resolver(ex);
  const auto endpoints = co_await resolver.async_resolve(host, port, use_awaitable);

  beast::tcp_stream tcp(ex);
  tcp.expires_after(std::chrono::seconds(10));  // Beast's timeout bounds connect, handshake and I/O
  co_await tcp.async_connect(endpoints, use_awaitable);

  // The host name is only known at run time: runtime_hostname checks it (SNI and the
  // certificate's host name check use it).
  sslpp::boost_asio::stream<beast::tcp_stream> tls(ctx, std::move(tcp), sslpp::runtime_hostname(host));
  co_await tls.async_handshake(use_awaitable);

  http::request<http::empty_body> request{http::verb::get, target, 11};
  request.set(http::field::host, host);
  request.set(http::field::user_agent, "sslpp-beast-example");
  co_await http::async_write(tls, request, use_awaitable);

  beast::flat_buffer buffer;
  http::response<http::string_body> response;
  co_await http::async_read(tls, buffer, response, use_awaitable);
  std::cout << "HTTP/1.1 " << response.result_int() << " " << response.reason() << "\n" << response.body();
  std::cout.flush();

  // close_notify, and at most two seconds for the server's: a server that never answers
  // (many do not) cannot hang the client. A server that just closes is fine too.
  beast::get_lowest_layer(tls).expires_never();
  auto [ec] = co_await tls.async_shutdown(std::chrono::seconds(2), asio::as_tuple(use_awaitable));
  if (ec && ec != sslpp::ssl_errc::eof) std::cerr << "shutdown: " << ec.message() << "\n";
  co_return response.result_int() / 100 == 2 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::cerr << "usage: " << argv[0] << " HOST PORT TARGET [CAFILE]\n";
    return 2;
  }
  try {
    auto ctx = argc > 4 ? sslpp::create_default_context(sslpp::purpose::server_auth, sslpp::trust{.cafile = argv[4]})
                        : sslpp::create_default_context();
    asio::io_context io;
    int status = 1;
    asio::co_spawn(io, fetch(ctx, argv[1], argv[2], argv[3]), [&](std::exception_ptr e, int rc) {
      if (e) std::rethrow_exception(e);
      status = rc;
    });
    io.run();
    return status;
  } catch (const std::exception& e) {
    std::cerr << "beast_https_client: " << e.what() << "\n";
    return 1;
  }
}
