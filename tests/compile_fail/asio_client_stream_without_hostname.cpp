// Rule: a client_context makes no asio stream without the server's host name.
// expect: a client must name the server: stream(ctx, std::move(next_layer), "host")
#include <asio.hpp>
#include <sslpp/asio.hpp>
#include <sslpp/sslpp.hpp>

int main() {
  asio::io_context io;
#ifdef SSLPP_COMPILE_FAIL
  auto ctx = sslpp::create_default_context();
  sslpp::asio::stream<asio::ip::tcp::socket> tls(ctx, asio::ip::tcp::socket(io));
#else
  auto ctx = sslpp::create_default_context();
  sslpp::asio::stream<asio::ip::tcp::socket> tls(ctx, asio::ip::tcp::socket(io), "example.org");
  static_assert(!std::is_constructible_v<sslpp::asio::stream<asio::ip::tcp::socket>, sslpp::client_context,
                                         asio::ip::tcp::socket>);
#endif
}
