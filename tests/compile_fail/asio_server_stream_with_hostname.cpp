// Rule: a server_context makes no asio stream for a host name (it does not connect to one).
// expect: a server_context does not connect to a host name: make the server stream with stream(server_ctx, std::move(next_layer))
#include <asio.hpp>
#include <sslpp/asio.hpp>
#include <sslpp/sslpp.hpp>

int main() {
  asio::io_context io;
  auto ctx = sslpp::context_for(sslpp::protocol::tls_server);
#ifdef SSLPP_COMPILE_FAIL
  sslpp::asio::stream<asio::ip::tcp::socket> tls(ctx, asio::ip::tcp::socket(io), "example.org");
#else
  sslpp::asio::stream<asio::ip::tcp::socket> tls(ctx, asio::ip::tcp::socket(io));
  static_assert(!std::is_constructible_v<sslpp::asio::stream<asio::ip::tcp::socket>, sslpp::server_context,
                                         asio::ip::tcp::socket, sslpp::hostname>);
#endif
}
