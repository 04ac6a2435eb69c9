// Handshake failures that name their cause, against real peers: a TLS version mismatch in
// each direction (openssl s_server and s_client), a peer that does not speak TLS (python3's
// http.server; a plain HTTP client), and "unable to get local issuer certificate" naming
// the trust that was searched ($SSL_CERT_FILE naming a missing file included). Python's
// words come first in each message, and the error codes are the backend's, as before.
#include "features_support.hpp"

#include <array>
#include <cstdlib>

namespace {

// What connecting `ctx` to 127.0.0.1:port threw.
sslpp::ssl_error client_failure(const sslpp::client_context& ctx, std::uint16_t port,
                                sslpp::hostname host = "localhost") {
  try {
    auto tls = feat::connect(ctx, port, host);
    tls.sendall("ping");
    (void)tls.read(10);
  } catch (const sslpp::ssl_error& e) {
    return e;
  }
  FAIL("the connection did not fail");
  throw std::logic_error("unreachable");
}

// Sets an environment variable for one scope.
struct scoped_env {
  std::string name;
  std::optional<std::string> old;
  scoped_env(std::string n, const std::string& value) : name(std::move(n)) {
    if (const char* v = std::getenv(name.c_str())) old = v;
    ::setenv(name.c_str(), value.c_str(), 1);
  }
  ~scoped_env() {
    if (old) ::setenv(name.c_str(), old->c_str(), 1);
    else ::unsetenv(name.c_str());
  }
};

}  // namespace

TEST_CASE("a client requiring TLS 1.3 against a TLS 1.2 server says which versions and what to change", "[errors]") {
  std::uint16_t port = 0;
  auto server = feat::openssl_server({"-tls1_2"}, port);
  auto ctx = test::client_context_trusting_root();
  ctx.set_minimum_version(sslpp::tls_version::tlsv1_3);
  const auto e = client_failure(ctx, port);
  const std::string msg = e.what();
  INFO(msg);
  CHECK_THAT(msg, Catch::StartsWith("[SSL: TLSV1_ALERT_PROTOCOL_VERSION] tlsv1 alert protocol version"));  // Python's words
  CHECK_THAT(msg, Catch::Contains("this client allows TLS 1.3 only") && Catch::Contains("at most TLS 1.2") &&
                      Catch::Contains("lower set_minimum_version"));
  CHECK(e.reason() == "TLSV1_ALERT_PROTOCOL_VERSION");
  CHECK(e.code().category() == sslpp::boringssl_category());
}

TEST_CASE("a TLS 1.2 client against a TLS 1.3 server says to raise the maximum", "[errors]") {
  std::uint16_t port = 0;
  auto server = feat::openssl_server({"-tls1_3"}, port);
  auto ctx = test::client_context_trusting_root();
  ctx.set_maximum_version(sslpp::tls_version::tlsv1_2);
  const auto e = client_failure(ctx, port);
  const std::string msg = e.what();
  INFO(msg);
  CHECK_THAT(msg, Catch::StartsWith("[SSL: TLSV1_ALERT_PROTOCOL_VERSION]"));
  CHECK_THAT(msg, Catch::Contains("this client allows TLS 1.2 only") && Catch::Contains("raise set_maximum_version"));
}

TEST_CASE("a TLS 1.3-only server names what the client offered", "[errors]") {
  auto sctx = test::server_context_with();
  sctx.set_minimum_version(sslpp::tls_version::tlsv1_3);
  std::string message;
  auto server = feat::failing_server(sctx, message);
  test::child client({"openssl", "s_client", "-connect", "127.0.0.1:" + std::to_string(server.port()), "-tls1_2"});
  client.close_stdin();
  server.join();
  client.wait();
  INFO(message);
  CHECK_THAT(message, Catch::StartsWith("[SSL: UNSUPPORTED_PROTOCOL] unsupported protocol"));
  CHECK_THAT(message, Catch::Contains("this server allows TLS 1.3 only; the client offered at most TLS 1.2") &&
                          Catch::Contains("lower set_minimum_version"));
}

TEST_CASE("a plain HTTP server on the port: the client says the peer does not speak TLS and quotes it", "[errors]") {
  std::uint16_t port = 0;
  test::child http = test::serve_on_free_port(
      [&](std::uint16_t p) {
        return std::vector<std::string>{test::python(), "-u", "-m", "http.server", "--bind", "127.0.0.1",
                                        std::to_string(p)};
      },
      port);
  const auto e = client_failure(test::client_context_trusting_root(), port);
  const std::string msg = e.what();
  INFO(msg);
  CHECK_THAT(msg, Catch::StartsWith("[SSL: WRONG_VERSION_NUMBER] wrong version number"));
  // http.server answers a request it cannot read with its HTML error page alone.
  CHECK_THAT(msg, Catch::Contains("does not seem to speak TLS") && Catch::Contains("plain HTTP") &&
                      Catch::Contains("it sent \"<!DOCTYPE HTML>\""));
  CHECK(e.reason() == "WRONG_VERSION_NUMBER");
  CHECK(e.code().category() == sslpp::boringssl_category());
}

TEST_CASE("a server answering HTTP/1.1 400 or an SSH banner is quoted, and bytes that are not text are not", "[errors]") {
  for (const std::string& answer : {std::string("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"),
                                   std::string("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n"),
                                   std::string("\x01\x02\x03\x04\x05\x06\x07\x08", 8)}) {
    test::server_thread server([answer](sslpp::tcp_socket sock) {
      std::array<std::byte, 4096> buf{};
      (void)sock.read_some(buf);  // the client's hello
      sock.write_some(std::as_bytes(std::span(answer.data(), answer.size())));
      // Until the client, having read the answer, gives up and closes: closing first with
      // unread bytes would send a reset that could overtake the answer.
      std::error_code ec;
      while (sock.read_some(buf, ec) > 0 && !ec) {
      }
    });
    const auto e = client_failure(test::client_context_trusting_root(), server.port());
    const std::string msg = e.what();
    INFO(msg);
    CHECK_THAT(msg, Catch::StartsWith("[SSL: WRONG_VERSION_NUMBER] wrong version number") &&
                        Catch::Contains("does not seem to speak TLS"));
    if (answer[0] == 'H') CHECK_THAT(msg, Catch::EndsWith("; it sent \"HTTP/1.1 400 Bad Request\""));
    else if (answer[0] == 'S') CHECK_THAT(msg, Catch::EndsWith("; it sent \"SSH-2.0-OpenSSH_9.2p1 Debian-2+d...\""));  // a long line, cut
    else CHECK_THAT(msg, !Catch::Contains("it sent"));
    server.join();
  }
}

TEST_CASE("a plain HTTP client: the server says so and quotes the request line", "[errors]") {
  std::string message;
  auto server = feat::failing_server(test::server_context_with(), message);
  auto plain = sslpp::tcp_socket::connect("127.0.0.1", server.port());
  const std::string request = "GET /index.html HTTP/1.1\r\nHost: localhost\r\n\r\n";
  plain.write_some(std::as_bytes(std::span(request.data(), request.size())));
  server.join();
  INFO(message);
  CHECK_THAT(message, Catch::StartsWith("[SSL: HTTP_REQUEST] http request"));
  CHECK_THAT(message, Catch::Contains("plain HTTP") && Catch::Contains("\"GET /index.html HTTP/1.1\""));
}

TEST_CASE("unable to get local issuer certificate names the trust that was searched", "[errors]") {
  // One connection per run (each SECTION runs the test case again); its handshake fails.
  const auto sctx = test::server_context_with();
  test::server_thread server([sctx](sslpp::tcp_socket sock) {
    try {
      auto tls = sctx.wrap_socket(std::move(sock));
      (void)tls.read(10);
    } catch (const sslpp::ssl_error&) {
    }
  });
  SECTION("a CA file without the issuer") {
    auto ctx = sslpp::context_for(sslpp::protocol::tls_client);
    ctx.load_verify_locations(test::pki("other-ca.pem"));
    const auto e = client_failure(ctx, server.port());
    INFO(e.what());
    CHECK_THAT(e.what(), Catch::StartsWith("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: unable to "
                                           "get local issuer certificate"));
    CHECK_THAT(e.what(), Catch::Contains("the trust store holds 1 certificate loaded from file '" +
                                         test::pki("other-ca.pem") + "' (1 certificate)"));
    CHECK(e.code() == std::error_code(20, sslpp::verify_category()));
  }
  SECTION("nothing loaded") {
    auto ctx = sslpp::context_for(sslpp::protocol::tls_client);
    const auto e = client_failure(ctx, server.port());
    CHECK_THAT(e.what(), Catch::Contains("unable to get local issuer certificate") &&
                             Catch::Contains("the trust store is empty: nothing was loaded"));
  }
  SECTION("the system store from $SSL_CERT_FILE") {
    scoped_env env("SSL_CERT_FILE", test::pki("other-ca.pem"));
    scoped_env dir("SSL_CERT_DIR", "/nonexistent-sslpp-dir");
    const auto e = client_failure(sslpp::create_default_context(), server.port());
    INFO(e.what());
    CHECK_THAT(e.what(), Catch::Contains("the system store from $SSL_CERT_FILE, file '" + test::pki("other-ca.pem") +
                                         "' (1 certificate)"));
    CHECK_THAT(e.what(), Catch::Contains("$SSL_CERT_DIR='/nonexistent-sslpp-dir', which names no directory"));
  }
  SECTION("$SSL_CERT_FILE naming a missing file is reported") {
    scoped_env env("SSL_CERT_FILE", "/nonexistent-sslpp/ca-bundle.crt");
    const auto e = client_failure(sslpp::create_default_context(), server.port());
    INFO(e.what());
    CHECK_THAT(e.what(), Catch::Contains("unable to get local issuer certificate") &&
                             Catch::Contains("$SSL_CERT_FILE='/nonexistent-sslpp/ca-bundle.crt', which names no "
                                             "readable file"));
  }
  server.join();
}
