// Rule: a client_context makes no Boost.Asio stream without the server's host name.
// expect: a client must name the server: stream(ctx, std::move(next_layer), "host")
#include <boost/asio.hpp>
#include <sslpp/boost_asio.hpp>
#include <sslpp/sslpp.hpp>

int main() {
  boost::asio::io_context io;
  auto ctx = sslpp::create_default_context();
#ifdef SSLPP_COMPILE_FAIL
  sslpp::boost_asio::stream<boost::asio::ip::tcp::socket> tls(ctx, boost::asio::ip::tcp::socket(io));
#else
  sslpp::boost_asio::stream<boost::asio::ip::tcp::socket> tls(ctx, boost::asio::ip::tcp::socket(io), "example.org");
#endif
}
