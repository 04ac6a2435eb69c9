// A program's translation unit in the compiled mode that wraps a tcp_socket and reads and
// writes through the stream: stream<tcp_socket>'s members must come from the sslpp_compiled
// library (extern template; tests/compiled/check_members.cmake reads the symbols with nm).
#include <sslpp/sslpp.hpp>

#include <string>

std::string stream_probe(const sslpp::client_context& ctx, std::uint16_t port) {
  auto tls = ctx.wrap_socket(sslpp::tcp_socket::connect("127.0.0.1", port), "localhost");
  tls.sendall("GET / HTTP/1.0\r\n\r\n");
  std::string reply = tls.read(100);
  tls.shutdown();
  return reply;
}
