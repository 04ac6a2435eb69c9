// Handshakes between sslpp clients and servers on loopback: the good chain, and each bad
// certificate refused with its verify code.
#include "support.hpp"

// The backend's own constants and calls this test compares with (the compiled mode's headers
// do not bring BoringSSL's in).
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <catch2/catch.hpp>

namespace {

// Serves one TLS connection with `ctx`: echoes one message back, then closes cleanly.
test::server_thread echo_server(sslpp::server_context ctx) {
  return test::server_thread([ctx](sslpp::tcp_socket sock) {
    auto tls = ctx.wrap_socket(std::move(sock));
    const std::string msg = tls.read(1024);
    tls.sendall(msg);
    tls.shutdown();
  });
}

// Connects a default client to a server presenting `fullchain`/`key` and returns the verify code it failed with.
long verify_failure(const std::string& fullchain, const std::string& key, std::string& message,
                    sslpp::hostname host = "localhost") {
  auto server = test::server_thread([&](sslpp::tcp_socket sock) {
    auto ctx = test::server_context_with(fullchain, key);
    std::error_code ec;
    auto tls = ctx.wrap_socket(std::move(sock), {.do_handshake_on_connect = false});
    tls.do_handshake(ec);  // fails: the client rejects the certificate
  });
  auto ctx = test::client_context_trusting_root();
  try {
    ctx.wrap_socket(sslpp::tcp_socket::connect("127.0.0.1", server.port()), host);
  } catch (const sslpp::cert_verification_error& e) {
    message = e.what();
    server.join();
    return e.verify_code();
  }
  server.join();
  FAIL("the handshake succeeded with " << fullchain);
  return 0;
}

}  // namespace

TEST_CASE("a default client verifies a good chain and exchanges data", "[handshake]") {
  for (const auto& [chain, key] : {std::pair{"fullchain-ecdsa.pem", "leaf-ecdsa.key"},
                                   std::pair{"fullchain-rsa.pem", "leaf-rsa.key"}}) {
    auto server = echo_server(test::server_context_with(chain, key));
    auto ctx = test::client_context_trusting_root();
    auto tls = ctx.wrap_socket(sslpp::tcp_socket::connect("127.0.0.1", server.port()), "localhost");
    REQUIRE(tls.version() == sslpp::tls_version::tlsv1_3);
    REQUIRE(tls.cipher().has_value());
    CHECK(tls.cipher()->protocol == "TLSv1.3");
    CHECK(tls.cipher()->secret_bits >= 128);
    CHECK_FALSE(tls.server_side());
    CHECK(tls.server_hostname() == "localhost");
    REQUIRE(tls.getpeercert().has_value());
    tls.sendall("hello over TLS");
    CHECK(tls.read(100) == "hello over TLS");
    CHECK(tls.read(100).empty());  // the server's close_notify: a clean end of stream
    server.join();
  }
}

TEST_CASE("an IP address is verified against IP SANs", "[handshake]") {
  auto server = echo_server(test::server_context_with());
  auto ctx = test::client_context_trusting_root();
  auto tls = ctx.wrap_socket(sslpp::tcp_socket::connect("127.0.0.1", server.port()), "127.0.0.1");
  tls.sendall("x");
  CHECK(tls.read(10) == "x");
  server.join();
}

TEST_CASE("a default client refuses each bad certificate with the right verify code", "[handshake][verify]") {
  std::string message;
  SECTION("expired") {
    CHECK(verify_failure("fullchain-expired.pem", "expired.key", message) == X509_V_ERR_CERT_HAS_EXPIRED);
    CHECK_THAT(message, Catch::Contains("certificate has expired") && Catch::Contains("localhost"));
  }
  SECTION("not yet valid") {
    CHECK(verify_failure("fullchain-notyet.pem", "notyet.key", message) == X509_V_ERR_CERT_NOT_YET_VALID);
    CHECK_THAT(message, Catch::Contains("not yet valid"));
  }
  SECTION("wrong host") {
    CHECK(verify_failure("fullchain-wronghost.pem", "wronghost.key", message) == X509_V_ERR_HOSTNAME_MISMATCH);
    CHECK_THAT(message, Catch::Contains("Hostname mismatch, certificate is not valid for 'localhost'"));
  }
  SECTION("self-signed") {
    CHECK(verify_failure("selfsigned.pem", "selfsigned.key", message) == X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT);
    CHECK_THAT(message, Catch::Contains("self signed certificate"));
  }
  SECTION("a chain without its intermediate") {
    CHECK(verify_failure("leaf-ecdsa.pem", "leaf-ecdsa.key", message) ==
          X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY);
    CHECK_THAT(message, Catch::Contains("unable to get local issuer certificate"));
  }
  SECTION("CN only, without subjectAltName: no common-name fallback by default") {
    CHECK(verify_failure("fullchain-cn-only.pem", "cn-only.key", message) == X509_V_ERR_HOSTNAME_MISMATCH);
  }
  SECTION("an IP address the certificate does not name") {
    CHECK(verify_failure("fullchain-ecdsa.pem", "leaf-ecdsa.key", message, "127.0.0.2") ==
          X509_V_ERR_IP_ADDRESS_MISMATCH);
    CHECK_THAT(message, Catch::Contains("IP address mismatch, certificate is not valid for '127.0.0.2'"));
  }
}

TEST_CASE("hostname_checks_common_name allows the legacy CN match when asked", "[handshake][verify]") {
  auto server = echo_server(test::server_context_with("fullchain-cn-only.pem", "cn-only.key"));
  auto ctx = test::client_context_trusting_root();
  ctx.set_hostname_checks_common_name(true);
  auto tls = ctx.wrap_socket(sslpp::tcp_socket::connect("127.0.0.1", server.port()), "localhost");
  tls.sendall("cn");
  CHECK(tls.read(10) == "cn");
  server.join();
}

TEST_CASE("a client that trusts another CA refuses the server", "[handshake][verify]") {
  auto server = test::server_thread([](sslpp::tcp_socket sock) {
    auto ctx = test::server_context_with();
    std::error_code ec;
    ctx.wrap_socket(std::move(sock), {.do_handshake_on_connect = false}).do_handshake(ec);
  });
  auto ctx = sslpp::create_default_context(sslpp::purpose::server_auth, {.cafile = test::pki("other-ca.pem")});
  REQUIRE_THROWS_AS(ctx.wrap_socket(sslpp::tcp_socket::connect("127.0.0.1", server.port()), "localhost"),
                    sslpp::cert_verification_error);
  server.join();
}

TEST_CASE("trust from in-memory PEM and DER data", "[handshake][trust]") {
  const std::string pem = test::read_text(test::pki("ca.pem"));
  const auto der = sslpp::certificate::from_pem(pem).to_der();
  for (const sslpp::trust& t : {sslpp::trust{.cadata = pem}, sslpp::trust{.cadata = der}}) {
    auto server = echo_server(test::server_context_with());
    auto ctx = sslpp::create_default_context(sslpp::purpose::server_auth, t);
    auto tls = ctx.wrap_socket(sslpp::tcp_socket::connect("127.0.0.1", server.port()), "localhost");
    tls.sendall("data");
    CHECK(tls.read(10) == "data");
    server.join();
  }
}

TEST_CASE("no_hostname is refused while check_hostname is on", "[handshake][hostname]") {
  auto ctx = test::client_context_trusting_root();
  auto listener = sslpp::tcp_listener::listen("127.0.0.1", 0);
  auto sock = sslpp::tcp_socket::connect("127.0.0.1", listener.port());
  REQUIRE_THROWS_WITH(ctx.wrap_socket(std::move(sock), sslpp::no_hostname),
                      Catch::Contains("check_hostname requires server_hostname"));
}

TEST_CASE("no_hostname works once check_hostname is off, and still verifies the chain", "[handshake][hostname]") {
  auto server = echo_server(test::server_context_with("fullchain-wronghost.pem", "wronghost.key"));
  auto ctx = test::client_context_trusting_root();
  ctx.set_check_hostname(false);
  CHECK(ctx.verify_mode() == sslpp::verify_mode::cert_required);
  auto tls = ctx.wrap_socket(sslpp::tcp_socket::connect("127.0.0.1", server.port()), sslpp::no_hostname);
  CHECK_FALSE(tls.server_hostname().has_value());
  tls.sendall("ok");
  CHECK(tls.read(10) == "ok");
  server.join();
}

TEST_CASE("a trailing dot in the host name is stripped", "[handshake][hostname]") {
  auto server = echo_server(test::server_context_with());
  auto ctx = test::client_context_trusting_root();
  auto tls = ctx.wrap_socket(sslpp::tcp_socket::connect("127.0.0.1", server.port()), "localhost.");
  CHECK(tls.server_hostname() == "localhost");
  tls.sendall("dot");
  CHECK(tls.read(10) == "dot");
  server.join();
}

TEST_CASE("a server limited to TLS 1.2 still talks to a default client, one limited to 1.1 is refused",
          "[handshake][version]") {
  SECTION("TLS 1.2") {
    auto sctx = test::server_context_with();
    sctx.set_maximum_version(sslpp::tls_version::tlsv1_2);
    auto server = echo_server(sctx);
    auto ctx = test::client_context_trusting_root();
    auto tls = ctx.wrap_socket(sslpp::tcp_socket::connect("127.0.0.1", server.port()), "localhost");
    CHECK(tls.version() == sslpp::tls_version::tlsv1_2);
    CHECK(tls.cipher()->protocol == "TLSv1.2");
    tls.sendall("v12");
    CHECK(tls.read(10) == "v12");
    server.join();
  }
  SECTION("TLS 1.1") {
    auto sctx = test::server_context_with();
    sctx.set_minimum_version(sslpp::tls_version::minimum_supported);
    sctx.set_maximum_version(static_cast<sslpp::tls_version>(0x0302));
    auto server = test::server_thread([sctx](sslpp::tcp_socket sock) {
      std::error_code ec;
      sctx.wrap_socket(std::move(sock), {.do_handshake_on_connect = false}).do_handshake(ec);
    });
    auto ctx = test::client_context_trusting_root();
    try {
      ctx.wrap_socket(sslpp::tcp_socket::connect("127.0.0.1", server.port()), "localhost");
      FAIL("a TLS 1.1 server was accepted");
    } catch (const sslpp::ssl_error& e) {
      CHECK(e.library() == "SSL");
      CHECK_THAT(std::string(e.what()), Catch::Contains("localhost") && Catch::Contains("VERSION"));
    }
    server.join();
  }
}
