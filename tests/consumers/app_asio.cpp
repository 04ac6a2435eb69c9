// app_asio.cpp: a consumer of sslpp::asio from the install tree — both asynchronous stream
// headers compile and make a stream.
#include <asio.hpp>
#include <sslpp/asio.hpp>
#if defined(CONSUMER_HAVE_BOOST_ASIO)
#include <boost/asio.hpp>
#include <sslpp/boost_asio.hpp>
#endif
#include <sslpp/sslpp.hpp>

int main() {
  asio::io_context io;
  auto ctx = sslpp::create_default_context();
  sslpp::asio::stream<asio::ip::tcp::socket> tls(ctx, asio::ip::tcp::socket(io), "example.org");
#if defined(CONSUMER_HAVE_BOOST_ASIO)
  boost::asio::io_context bio;
  sslpp::boost_asio::stream<boost::asio::ip::tcp::socket> btls(ctx, boost::asio::ip::tcp::socket(bio), "example.org");
  return tls.server_side() || btls.server_side() ? 1 : 0;
#else
  return tls.server_side() ? 1 : 0;
#endif
}
