// The security level's floor on the peer's certificate chain (OpenSSL's levels, Python's
// default 2): an RSA-1024 leaf (66) or intermediate (67) and a SHA-1 signature (68) are
// refused, naming the certificate and the reason; a SHA-1 self-signed trust anchor is
// not judged; set_security_level lowers or raises the floor; a server refuses a weak
// client certificate, also after its SNI callback switched contexts. Peers: openssl
// s_server and s_client (run at their own level 0, so that they present weak keys), and
// sslpp itself (BoringSSL presents any key).
#include "features_support.hpp"

#include <cstdlib>
#include <mutex>
#include <optional>
#include <stdexcept>

namespace {

/// pki: a PKI file, with the files of tests/pki/floor_crl_pki.sh.
std::string pki(const std::string& name) { return feat::floor_crl_pki(name); }

/// weak_openssl_server: `openssl s_server` presenting `cert` / `key` (and `chain`), at
/// security level 0 so that it agrees to present a weak key or a SHA-1 chain.
std::unique_ptr<test::child> weak_openssl_server(const std::string& cert, const std::string& key,
                                                 const std::string& chain, std::uint16_t& port) {
  return std::make_unique<test::child>(test::serve_on_free_port(
      [&](std::uint16_t p) {
        std::vector<std::string> argv{"openssl", "s_server", "-accept", std::to_string(p), "-cert", pki(cert),
                                      "-key", pki(key), "-cipher", "DEFAULT@SECLEVEL=0"};
        if (!chain.empty()) argv.insert(argv.end(), {"-cert_chain", pki(chain)});
        return argv;
      },
      port));
}

/// sslpp_server: an sslpp server presenting `fullchain` / `key` to one client.
test::server_thread sslpp_server(const std::string& fullchain, const std::string& key) {
  auto ctx = sslpp::context_for(sslpp::protocol::tls_server);
  ctx.load_cert_chain(pki(fullchain), pki(key));
  return test::server_thread([ctx](sslpp::tcp_socket sock) {
    try {
      auto tls = ctx.wrap_socket(std::move(sock));
      tls.sendall("ok");
      tls.shutdown();
    } catch (const std::exception&) {
      // The client refusing the certificate is what most cases expect.
    }
  });
}

struct outcome {
  bool ok = false;
  long code = 0;
  std::string verify_message;
  std::string what;
};

/// connect_outcome: connects `ctx` to 127.0.0.1:port as "localhost"; ok, or the
/// cert_verification_error's code and texts.
outcome connect_outcome(const sslpp::client_context& ctx, std::uint16_t port) {
  outcome o;
  try {
    auto tls = feat::connect(ctx, port);
    o.ok = true;
  } catch (const sslpp::cert_verification_error& e) {
    o.code = e.verify_code();
    o.verify_message = e.verify_message();
    o.what = e.what();
  }
  return o;
}

sslpp::client_context trusting(const std::string& cafile) {
  return sslpp::create_default_context(sslpp::purpose::server_auth, sslpp::trust{.cafile = pki(cafile)});
}

}  // namespace

TEST_CASE("security_level is 2 by default and takes 0 to 5 only", "[security_level]") {
  CHECK(sslpp::create_default_context(sslpp::purpose::server_auth, sslpp::trust{.cafile = pki("ca.pem")})
            .security_level() == 2);
  CHECK(sslpp::create_default_context(sslpp::purpose::client_auth, sslpp::trust{.cafile = pki("ca.pem")})
            .security_level() == 2);
  CHECK(sslpp::context_for(sslpp::protocol::tls_client).security_level() == 2);
  auto server = sslpp::context_for(sslpp::protocol::tls_server);
  CHECK(server.security_level() == 2);
  for (int level = 0; level <= 5; ++level) {
    server.set_security_level(level);
    CHECK(server.security_level() == level);
  }
  CHECK_THROWS_WITH(server.set_security_level(6), Catch::Contains("6") && Catch::Contains("0 to 5"));
  CHECK_THROWS_AS(server.set_security_level(-1), std::invalid_argument);
  CHECK_THROWS_WITH(server.set_security_level(-1), Catch::Contains("-1"));
  CHECK(server.security_level() == 5);
}

TEST_CASE("an RSA-1024 server leaf is refused with 66, naming the certificate", "[security_level][openssl]") {
  std::uint16_t port = 0;
  auto peer = weak_openssl_server("weak-rsa1024.pem", "weak-rsa1024.key", "intermediate.pem", port);
  const outcome o = connect_outcome(trusting("ca.pem"), port);
  CHECK_FALSE(o.ok);
  CHECK(o.code == 66);
  CHECK(o.verify_message ==
        "EE certificate key too weak: certificate 'O=sslpp tests,CN=localhost' at depth 0: RSA key of 1024 bits; "
        "security level 2 requires 2048");
  CHECK_THAT(o.what, Catch::StartsWith("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: EE certificate "
                                       "key too weak: certificate 'O=sslpp tests,CN=localhost'"));

  SECTION("the error_code wrap reports the same code, with OpenSSL's words") {
    std::error_code ec;
    auto tls = trusting("ca.pem").wrap_socket(sslpp::tcp_socket::connect("127.0.0.1", port, std::chrono::seconds(10)),
                                              "localhost", ec);
    CHECK_FALSE(tls);
    CHECK(ec == std::error_code(66, sslpp::verify_category()));
    CHECK(ec.message() == "EE certificate key too weak");
  }
  SECTION("set_security_level(1) accepts it") {
    auto ctx = trusting("ca.pem");
    ctx.set_security_level(1);
    CHECK(connect_outcome(ctx, port).ok);
  }
}

TEST_CASE("python3 refuses the same RSA-1024 leaf with the same words", "[security_level][python]") {
  std::uint16_t port = 0;
  auto peer = weak_openssl_server("weak-rsa1024.pem", "weak-rsa1024.key", "intermediate.pem", port);
  test::child py({test::python(), "-c",
                  "import ssl, socket, sys\n"
                  "c = ssl.create_default_context(cafile=sys.argv[1])\n"
                  "try:\n"
                  "    c.wrap_socket(socket.create_connection(('127.0.0.1', int(sys.argv[2]))), server_hostname='localhost')\n"
                  "except ssl.SSLCertVerificationError as e:\n"
                  "    print('CODE', e.verify_code, e.verify_message)\n",
                  pki("ca.pem"), std::to_string(port)});
  py.wait();
  const outcome o = connect_outcome(trusting("ca.pem"), port);
  CHECK_THAT(py.output(), Catch::Contains("CODE " + std::to_string(o.code) + " EE certificate key too weak"));
  CHECK_THAT(o.verify_message, Catch::StartsWith("EE certificate key too weak"));
}

TEST_CASE("an RSA-1024 intermediate is refused with 67, naming it", "[security_level]") {
  auto server = sslpp_server("fullchain-weak-int-leaf.pem", "weak-int-leaf.key");
  const outcome o = connect_outcome(trusting("ca.pem"), server.port());
  server.join();
  CHECK(o.code == 67);
  CHECK(o.verify_message ==
        "CA certificate key too weak: certificate 'O=sslpp tests,CN=sslpp Test Weak Intermediate CA' at depth 1: RSA "
        "key of 1024 bits; security level 2 requires 2048");
}

TEST_CASE("a SHA-1-signed leaf is refused with 68", "[security_level][openssl]") {
  std::uint16_t port = 0;
  auto peer = weak_openssl_server("sha1-leaf.pem", "sha1-leaf.key", "intermediate.pem", port);
  const outcome o = connect_outcome(trusting("ca.pem"), port);
  CHECK(o.code == 68);
  CHECK(o.verify_message ==
        "CA signature digest algorithm too weak: certificate 'O=sslpp tests,CN=localhost' at depth 0: signed with "
        "ecdsa-with-SHA1 (SHA1, 80-bit security); security level 2 requires 112");
  SECTION("level 1 allows SHA-1") {
    auto ctx = trusting("ca.pem");
    ctx.set_security_level(1);
    CHECK(connect_outcome(ctx, port).ok);
  }
}

TEST_CASE("a SHA-1 self-signed trust anchor is not judged, and a good chain passes", "[security_level]") {
  SECTION("SHA-1 root, SHA-256 leaf") {
    auto server = sslpp_server("sha1-root-leaf.pem", "sha1-root-leaf.key");
    const outcome o = connect_outcome(trusting("sha1-root.pem"), server.port());
    server.join();
    CHECK(o.ok);
    CHECK(o.verify_message.empty());
  }
  SECTION("P-256 chain") {
    auto server = sslpp_server("fullchain-ecdsa.pem", "leaf-ecdsa.key");
    CHECK(connect_outcome(trusting("ca.pem"), server.port()).ok);
    server.join();
  }
  SECTION("RSA-2048 leaf at level 2, refused at level 3") {
    auto server = sslpp_server("fullchain-rsa.pem", "leaf-rsa.key");
    CHECK(connect_outcome(trusting("ca.pem"), server.port()).ok);
    server.join();
    auto again = sslpp_server("fullchain-rsa.pem", "leaf-rsa.key");
    auto ctx = trusting("ca.pem");
    ctx.set_security_level(3);
    const outcome o = connect_outcome(ctx, again.port());
    again.join();
    CHECK(o.code == 66);
    CHECK_THAT(o.verify_message, Catch::EndsWith("RSA key of 2048 bits; security level 3 requires 3072"));
  }
}

namespace {

sslpp::server_context client_cert_server() {
  auto ctx = test::server_context_with();
  ctx.load_verify_locations(pki("client-ca.pem"));
  ctx.set_verify_mode(sslpp::verify_mode::cert_required);
  return ctx;
}

}  // namespace

TEST_CASE("a server refuses an RSA-1024 client certificate from openssl s_client", "[security_level][openssl]") {
  std::optional<sslpp::cert_verification_error> refused;
  auto server = test::server_thread([&](sslpp::tcp_socket sock) {
    try {
      auto tls = client_cert_server().wrap_socket(std::move(sock));
      tls.sendall("accepted\n");
    } catch (const sslpp::cert_verification_error& e) {
      refused = e;
    }
  });
  test::child peer({"openssl", "s_client", "-connect", "127.0.0.1:" + std::to_string(server.port()), "-CAfile",
                    pki("ca.pem"), "-cert", pki("client-rsa1024.pem"), "-key", pki("client-rsa1024.key"), "-cipher",
                    "DEFAULT@SECLEVEL=0"});
  server.join();
  peer.close_stdin();
  peer.wait();
  REQUIRE(refused);
  CHECK(refused->verify_code() == 66);
  CHECK(refused->verify_message() ==
        "EE certificate key too weak: certificate 'O=sslpp tests,CN=sslpp weak client' at depth 0: RSA key of 1024 "
        "bits; security level 2 requires 2048");
  CHECK_THAT(refused->what(), Catch::StartsWith("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: EE "
                                                "certificate key too weak"));
  CHECK_THAT(peer.output(), !Catch::Contains("accepted"));
}

TEST_CASE("a server reads the level of the context its SNI callback switched to", "[security_level][sni]") {
  auto lenient = client_cert_server();
  lenient.set_security_level(1);
  for (const bool switch_context : {false, true}) {
    auto front = client_cert_server();
    if (switch_context) front.set_sni_callback([lenient](sslpp::sni_request& r) { r.use_context(lenient); });
    std::string server_error;
    auto server = test::server_thread([&](sslpp::tcp_socket sock) {
      try {
        auto tls = front.wrap_socket(std::move(sock));
        tls.sendall("ping");
        tls.shutdown();
      } catch (const std::exception& e) {
        server_error = e.what();
      }
    });
    auto client = trusting("ca.pem");
    client.load_cert_chain(pki("client-rsa1024.pem"), pki("client-rsa1024.key"));
    try {
      auto tls = feat::connect(client, server.port());
      tls.read(10);
    } catch (const std::exception&) {
    }
    server.join();
    INFO("switched to the level-1 context: " << switch_context);
    if (switch_context) CHECK(server_error.empty());
    else CHECK_THAT(server_error, Catch::Contains("EE certificate key too weak"));
  }
}
