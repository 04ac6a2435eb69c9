// Rule: the host name literal of an asio client stream is checked at compile time, as wrap_socket's.
// expect: hostname_literal_has_two_dots_in_a_row
#include <asio.hpp>
#include <sslpp/asio.hpp>
#include <sslpp/sslpp.hpp>

int main() {
  asio::io_context io;
  auto ctx = sslpp::create_default_context();
#ifdef SSLPP_COMPILE_FAIL
  sslpp::asio::stream<asio::ip::tcp::socket> tls(ctx, asio::ip::tcp::socket(io), "example..org");
#else
  sslpp::asio::stream<asio::ip::tcp::socket> tls(ctx, asio::ip::tcp::socket(io), "example.org");
#endif
}
