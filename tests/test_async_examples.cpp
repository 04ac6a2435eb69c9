// test_async_examples.cpp: the asio examples run against real peers — the coroutine echo
// server (examples/async_echo_server.cpp) with openssl s_client and python3 ssl clients,
// and the Boost.Beast HTTPS client (examples/beast_https_client.cpp) against python3's
// http.server behind ssl. Each part is skipped where its example was not built (its
// library was not found: see tests/cmake/async.cmake).
#include "support.hpp"
#include "transport_support.hpp"

#include <catch2/catch.hpp>

#include <netdb.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

namespace {
std::string example(const std::string& name) { return std::string(SSLPP_BINARY_DIR) + "/examples/example_" + name; }
std::string peer(const std::string& name) { return std::string(SSLPP_SOURCE_DIR) + "/tests/peers/" + name; }

/// count: how many times `what` occurs in `text`.
std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = 0; (at = text.find(what, at)) != std::string::npos; at += what.size()) ++n;
  return n;
}
// resolves: whether `host` has an address here. The Beast client resolves the host it is
// given, as any client does; a bare Debian root without /etc/hosts cannot resolve "localhost".
bool resolves(const char* host) {
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (::getaddrinfo(host, nullptr, &hints, &found) != 0) return false;
  ::freeaddrinfo(found);
  return true;
}
}  // namespace

#if defined(SSLPP_HAVE_EXAMPLE_ASYNC_ECHO_SERVER)
TEST_CASE("the coroutine echo server serves many clients at once and drops idle ones", "[async][example]") {
  // A long idle timeout first: the clients' echoes must never be cut by it.
  test::child server({example("async_echo_server"), test::pki("fullchain-ecdsa.pem"), test::pki("leaf-ecdsa.key"),
                      "20000"});
  const std::uint16_t port = server.wait_for_port_line("PORT ");

  // 16 python3 ssl clients at once, each echoing random data in several rounds; each closes
  // with close_notify, which the server sees as the end of the stream.
  test::child clients({test::python(), test::peer_script(), "clients", "16", "--port", std::to_string(port),
                       "--cafile", test::pki("ca.pem"), "--rounds", "4"});
  CHECK(clients.wait(std::chrono::seconds(120)) == 0);
  CHECK(clients.output().find("OK 16 of 16") != std::string::npos);

  // openssl s_client: a line out, the same line back.
  test::child s_client({"openssl", "s_client", "-connect", "127.0.0.1:" + std::to_string(port), "-CAfile",
                        test::pki("ca.pem"), "-servername", "localhost", "-verify_return_error", "-quiet",
                        "-no_ign_eof"});
  s_client.write_stdin("echo me, s_client\n");
  s_client.wait_for_line("echo me, s_client");
  s_client.close_stdin();
  CHECK(s_client.wait() == 0);

  // Every connection ended as the end of its stream.
  for (int i = 0; i < 17; ++i) server.wait_for_line("closed: end of stream");
  INFO(server.output());
  CHECK(count(server.output(), "closed: end of stream") == 17);
}

TEST_CASE("the coroutine echo server drops a client that stays silent, and one that never handshakes",
          "[async][example]") {
  test::child server({example("async_echo_server"), test::pki("fullchain-ecdsa.pem"), test::pki("leaf-ecdsa.key"),
                      "300"});
  const std::uint16_t port = server.wait_for_port_line("PORT ");
  // A TLS client that handshakes, echoes once, then says nothing (its stdin stays open).
  test::child quiet({"openssl", "s_client", "-connect", "127.0.0.1:" + std::to_string(port), "-CAfile",
                     test::pki("ca.pem"), "-servername", "localhost", "-quiet", "-no_ign_eof"});
  quiet.write_stdin("one line\n");
  quiet.wait_for_line("one line");
  // The server drops it after 300 ms of silence, with close_notify: s_client ends.
  server.wait_for_line("closed: idle");
  CHECK(quiet.wait() == 0);
  // A TCP client that never starts TLS is dropped by the same timeout.
  auto raw = sslpp::tcp_socket::connect("127.0.0.1", port);
  server.wait_for_line("closed: handshake failed");
  std::array<std::byte, 16> buf{};
  std::error_code ec;
  raw.set_timeout(std::chrono::seconds(10));
  CHECK(raw.read_some(buf, ec) == 0);  // the server closed it
}
#endif

#if defined(SSLPP_HAVE_EXAMPLE_BEAST_HTTPS_CLIENT)
TEST_CASE("the Beast HTTPS client fetches a page from python3's http.server behind ssl", "[async][example][beast]") {
  if (!resolves("localhost")) {
    WARN("skipped: \"localhost\" does not resolve on this machine (no /etc/hosts entry for it)");
    return;
  }
  const auto dir = std::filesystem::temp_directory_path() / ("sslpp-beast-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "hello.txt") << "hello from http.server over TLS\n";
  {
    test::child server({test::python(), peer("https_server.py"), dir.string(), "--cert",
                        test::pki("fullchain-ecdsa.pem"), "--key", test::pki("leaf-ecdsa.key")});
    const std::uint16_t port = server.wait_for_port_line("PORT ");
    test::child client({example("beast_https_client"), "localhost", std::to_string(port), "/hello.txt",
                        test::pki("ca.pem")});
    CHECK(client.wait(std::chrono::seconds(60)) == 0);
    INFO(client.output());
    CHECK(client.output().find("HTTP/1.1 200 OK") != std::string::npos);
    CHECK(client.output().find("hello from http.server over TLS") != std::string::npos);

    // A missing page: the status says so and the client exits 1.
    test::child missing({example("beast_https_client"), "localhost", std::to_string(port), "/nope.txt",
                         test::pki("ca.pem")});
    CHECK(missing.wait(std::chrono::seconds(60)) == 1);
    CHECK(missing.output().find("HTTP/1.1 404") != std::string::npos);

    // Without the test root (the system's trust store only): verification fails, with its reason.
    test::child untrusted({example("beast_https_client"), "localhost", std::to_string(port), "/hello.txt"});
    CHECK(untrusted.wait(std::chrono::seconds(60)) == 1);
    CHECK(untrusted.output().find("unable to get local issuer certificate") != std::string::npos);
  }
  std::filesystem::remove_all(dir);
}
#endif

TEST_CASE("the asio examples are built where their libraries are", "[async][example]") {
#if !defined(SSLPP_HAVE_EXAMPLE_ASYNC_ECHO_SERVER)
  WARN("skipped: examples/async_echo_server.cpp was not built (standalone asio not found)");
#endif
#if !defined(SSLPP_HAVE_EXAMPLE_BEAST_HTTPS_CLIENT)
  WARN("skipped: examples/beast_https_client.cpp was not built (Boost.Beast not found)");
#endif
  SUCCEED();
}
