// Client certificates: a server with cert_required / cert_optional and its own CA list,
// clients with load_cert_chain, the refusals (no certificate, a certificate from the
// wrong CA), both ways against openssl and python3; post_handshake_auth's clear refusal.
#include "features_support.hpp"

#include <mutex>

namespace {

sslpp::server_context client_auth_server(sslpp::verify_mode mode) {
  auto ctx = test::server_context_with();
  ctx.load_verify_locations(test::pki("client-ca.pem"));
  ctx.set_verify_mode(mode);
  return ctx;
}

sslpp::client_context client_with(const std::string& cert, const std::string& key) {
  auto ctx = test::client_context_trusting_root();
  if (!cert.empty()) ctx.load_cert_chain(test::pki(cert), test::pki(key));
  return ctx;
}

// Connects and exchanges one message; "ok" or the error's text (a TLS 1.3 client learns
// of the server's refusal on its first read).
std::string client_outcome(const sslpp::client_context& ctx, std::uint16_t port) {
  try {
    auto tls = feat::connect(ctx, port);
    tls.sendall("ping");
    const std::string reply = tls.read(100);
    return reply == "ping" ? "ok" : "reply '" + reply + "'";
  } catch (const std::exception& e) {
    return e.what();
  }
}

}  // namespace

TEST_CASE("a server with cert_required accepts a client certificate from its CA", "[client_auth]") {
  std::mutex m;
  std::optional<sslpp::certificate> seen;
  auto server = feat::echo_server(client_auth_server(sslpp::verify_mode::cert_required), [&](auto& tls) {
    std::lock_guard<std::mutex> lock(m);
    seen = tls.getpeercert();
  });
  CHECK(client_outcome(client_with("client.pem", "client.key"), server.port()) == "ok");
  server.join();
  REQUIRE(seen);
  CHECK(seen->to_pem() == feat::pem_of("client.pem"));
}

TEST_CASE("a server with cert_required refuses a client without a certificate", "[client_auth]") {
  std::string server_message;
  auto server = feat::failing_server(client_auth_server(sslpp::verify_mode::cert_required), server_message);
  const std::string client_message = client_outcome(client_with("", ""), server.port());
  server.join();
  CHECK_THAT(server_message, Catch::Contains("PEER_DID_NOT_RETURN_A_CERTIFICATE"));
  CHECK_THAT(client_message, Catch::Contains("CERTIFICATE_REQUIRED"));
}

TEST_CASE("a server refuses a client certificate from the wrong CA", "[client_auth]") {
  for (auto mode : {sslpp::verify_mode::cert_required, sslpp::verify_mode::cert_optional}) {
    std::string server_message;
    auto server = feat::failing_server(client_auth_server(mode), server_message);
    const std::string client_message = client_outcome(client_with("client-wrongca.pem", "client-wrongca.key"),
                                                      server.port());
    server.join();
    CHECK_THAT(server_message, Catch::Contains("CERTIFICATE_VERIFY_FAILED") &&
                                   Catch::Contains("unable to get local issuer certificate"));
    CHECK_THAT(client_message, Catch::Contains("UNKNOWN_CA"));
  }
}

TEST_CASE("a server with cert_optional accepts a client without a certificate", "[client_auth]") {
  std::optional<sslpp::certificate> seen = sslpp::certificate::from_pem(test::read_text(test::pki("ca.pem")));
  auto server = feat::echo_server(client_auth_server(sslpp::verify_mode::cert_optional),
                                  [&](auto& tls) { seen = tls.getpeercert(); });
  CHECK(client_outcome(client_with("", ""), server.port()) == "ok");
  server.join();
  CHECK_FALSE(seen.has_value());
}

TEST_CASE("client certificates with openssl s_client and s_server", "[client_auth][openssl]") {
  SECTION("openssl s_client presents its certificate to sslpp") {
    std::optional<sslpp::certificate> seen;
    auto server = test::server_thread([&](sslpp::tcp_socket sock) {
      auto tls = client_auth_server(sslpp::verify_mode::cert_required).wrap_socket(std::move(sock));
      seen = tls.getpeercert();
      tls.sendall("done\n");
      tls.shutdown();
    });
    test::child peer({"openssl", "s_client", "-connect", "127.0.0.1:" + std::to_string(server.port()), "-CAfile",
                      test::pki("ca.pem"), "-cert", test::pki("client.pem"), "-key", test::pki("client.key")});
    REQUIRE(peer.wait_for_output("done"));
    peer.close_stdin();
    peer.wait();
    server.join();
    REQUIRE(seen);
    CHECK(seen->to_pem() == feat::pem_of("client.pem"));
  }
  SECTION("openssl s_client without a certificate is refused") {
    std::string server_message;
    auto server = feat::failing_server(client_auth_server(sslpp::verify_mode::cert_required), server_message);
    test::child peer({"openssl", "s_client", "-connect", "127.0.0.1:" + std::to_string(server.port()), "-CAfile",
                      test::pki("ca.pem")});
    peer.write_stdin("ping\n");
    server.join();
    peer.close_stdin();
    peer.wait();
    CHECK_THAT(server_message, Catch::Contains("PEER_DID_NOT_RETURN_A_CERTIFICATE"));
  }
  SECTION("sslpp presents its certificate to openssl s_server") {
    std::uint16_t port = 0;
    auto peer = feat::openssl_server({"-Verify", "1", "-CAfile", test::pki("client-ca.pem")}, port);
    auto tls = feat::connect(client_with("client.pem", "client.key"), port);
    tls.sendall("hello\n");
    CHECK(peer->wait_for_output("hello"));
    CHECK_THAT(peer->output(), Catch::Contains("sslpp test client") && Catch::Contains("verify return:1"));
  }
  SECTION("openssl s_server refuses sslpp without a certificate") {
    std::uint16_t port = 0;
    auto peer = feat::openssl_server({"-Verify", "1", "-CAfile", test::pki("client-ca.pem")}, port);
    CHECK_THAT(client_outcome(client_with("", ""), port), Catch::Contains("CERTIFICATE_REQUIRED"));
  }
}

TEST_CASE("client certificates with python3 ssl", "[client_auth][python]") {
  const std::string ca_fields = "\"cafile\": " + feat::json_str(test::pki("client-ca.pem")) + ", \"require\": true";
  SECTION("python server verifies sslpp's certificate") {
    std::uint16_t port = 0;
    auto peer = feat::python_server(ca_fields, port);
    CHECK(client_outcome(client_with("client.pem", "client.key"), port) == "ok");
    CHECK_THAT(peer->wait_for_line("INFO"), Catch::Contains("BEGIN CERTIFICATE"));
  }
  SECTION("python server refuses sslpp from the wrong CA") {
    std::uint16_t port = 0;
    auto peer = feat::python_server(ca_fields, port);
    CHECK_THAT(client_outcome(client_with("client-wrongca.pem", "client-wrongca.key"), port),
               Catch::Contains("UNKNOWN_CA"));
    CHECK_THAT(peer->wait_for_line("ERROR"), Catch::Contains("certificate verify failed"));
  }
  SECTION("python client presents its certificate to sslpp") {
    std::optional<sslpp::certificate> seen;
    auto server = feat::echo_server(client_auth_server(sslpp::verify_mode::cert_required),
                                    [&](auto& tls) { seen = tls.getpeercert(); });
    auto peer = feat::python_client(server.port(), "\"cert\": " + feat::json_str(test::pki("client.pem")) +
                                                       ", \"key\": " + feat::json_str(test::pki("client.key")));
    REQUIRE(peer->wait() == 0);
    server.join();
    REQUIRE(seen);
    CHECK(seen->to_pem() == feat::pem_of("client.pem"));
    CHECK_THAT(peer->output(), Catch::Contains("\"reply\": \"ping\""));
  }
}

TEST_CASE("post_handshake_auth is refused clearly because BoringSSL lacks it", "[client_auth]") {
  auto client = test::client_context_trusting_root();
  CHECK_FALSE(client.post_handshake_auth());
  CHECK_NOTHROW(client.set_post_handshake_auth(false));
  CHECK_THROWS_AS(client.set_post_handshake_auth(true), std::logic_error);
  CHECK_THROWS_WITH(client.set_post_handshake_auth(true),
                    Catch::Contains("BoringSSL") && Catch::Contains("post-handshake") && Catch::Contains("cert_required"));
  auto server = test::server_context_with();
  CHECK_THROWS_AS(server.set_post_handshake_auth(true), std::logic_error);
  CHECK_FALSE(server.post_handshake_auth());
  STATIC_REQUIRE_FALSE(sslpp::has_post_handshake_auth);
}
