// The quick-start client through Boost.Asio's ssl (system OpenSSL): what
// sslpp_client.cpp does. Built on its own, never with BoringSSL's include directory.
#include <utility>  // Boost 1.74's awaitable.hpp uses std::exchange without including it

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>

#include <cstdio>
#include <iostream>

int main(int argc, char** argv) {
  namespace asio = boost::asio;
  const char* host = argc > 1 ? argv[1] : "example.org";
  const char* port = argc > 2 ? argv[2] : "443";
  try {
    asio::io_context io;
    asio::ssl::context ctx(asio::ssl::context::tls_client);
    ctx.set_options(asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1);
    ctx.set_default_verify_paths();
    ctx.set_verify_mode(asio::ssl::verify_peer);
    asio::ssl::stream<asio::ip::tcp::socket> tls(io, ctx);
    SSL_set_tlsext_host_name(tls.native_handle(), host);
    tls.set_verify_callback(asio::ssl::host_name_verification(host));
    asio::ip::tcp::resolver resolver(io);
    asio::connect(tls.next_layer(), resolver.resolve(host, port));
    tls.next_layer().set_option(asio::ip::tcp::no_delay(true));
    tls.handshake(asio::ssl::stream_base::client);
    std::cout << SSL_get_version(tls.native_handle()) << ' '
              << SSL_CIPHER_get_name(SSL_get_current_cipher(tls.native_handle())) << '\n';
  } catch (const std::exception& e) {
    std::cerr << e.what() << '\n';
    return 1;
  }
}
