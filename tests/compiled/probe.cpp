// A program's translation unit in the compiled mode: it uses tcp_socket and tcp_listener,
// whose definitions must come from the sslpp_compiled library, not from this file
// (tests/compiled/check_probe.cmake reads its symbols with nm).
#include <sslpp/sslpp.hpp>

int probe() {
  auto listener = sslpp::tcp_listener::listen("127.0.0.1", 0);
  auto client = sslpp::tcp_socket::connect("127.0.0.1", listener.port());
  auto server = listener.accept();
  return client.peer_address().port == server.local_address().port ? 0 : 1;
}
