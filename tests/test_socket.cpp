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

TEST_CASE("a socket knows what it made, so a wrap need not ask the kernel", "[socket]") {
  auto listener = sslpp::tcp_listener::listen("127.0.0.1", 0);
  auto client = sslpp::tcp_socket::connect("127.0.0.1", listener.port(), std::chrono::seconds(5));
  auto served = listener.accept(std::chrono::seconds(5));
  for (auto* s : {&client, &served}) {
    CHECK(s->known_stream_socket());
    CHECK(s->known_nonblocking() == false);
  }
  client.set_blocking(false);
  CHECK(client.known_nonblocking() == true);
  // A wrap that would handshake on a socket it knows is non-blocking refuses, as Python does.
  CHECK_THROWS_AS(test::client_context_trusting_root().wrap_socket(std::move(client), "localhost"),
                  std::invalid_argument);
  // An adopted descriptor is not known: the wrap asks the kernel (a datagram socket is refused).
  sslpp::tcp_socket adopted(::socket(AF_INET, SOCK_DGRAM, 0));
  CHECK_FALSE(adopted.known_stream_socket());
  CHECK_FALSE(adopted.known_nonblocking().has_value());
  CHECK_THROWS_WITH(test::client_context_trusting_root().wrap_socket(std::move(adopted), "localhost"),
                    Catch::Contains("not a stream socket"));
  const int fd = served.release();
  CHECK_FALSE(served.known_stream_socket());
  ::close(fd);
}
