// sslpp::tcp_socket and tcp_listener: name resolution, adoption, errors.
#include "support.hpp"

#include <catch2/catch.hpp>

TEST_CASE("localhost names resolve to loopback without the hosts file", "[socket]") {
  // "sub.localhost" is in no hosts file: only the RFC 6761 rule can resolve it.
  auto listener = sslpp::tcp_listener::listen("127.0.0.1", 0);
  for (const char* name : {"localhost", "LocalHost.", "sub.localhost"}) {
    std::error_code ec;
    auto sock = sslpp::tcp_socket::connect(name, listener.port(), std::chrono::seconds(5), ec);
    CHECK_FALSE(ec);
    CHECK(sock.is_open());
    auto accepted = listener.accept(std::chrono::seconds(5));
    CHECK(accepted.is_open());
  }
  std::error_code ec;
  sslpp::tcp_socket::connect("notlocalhost.invalid", listener.port(), std::chrono::seconds(5), ec);
  CHECK(ec);
}

TEST_CASE("a refused connection names host and port", "[socket]") {
  const auto port = test::free_port();
  try {
    sslpp::tcp_socket::connect("127.0.0.1", port);
    FAIL("connected to a closed port");
  } catch (const std::system_error& e) {
    CHECK(e.code() == std::errc::connection_refused);
    CHECK_THAT(std::string(e.what()), Catch::Contains("127.0.0.1:" + std::to_string(port)));
  }
}
