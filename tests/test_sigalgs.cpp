// Signature algorithms (Python 3.15's set_client_sigalgs / set_server_sigalgs /
// get_sigalgs / client_sigalg / server_sigalg) and the groups' Python 3.15 names
// (group(), get_groups()): between sslpp peers, against openssl s_server / s_client
// with -sigalgs, and against python3.
#include "features_support.hpp"

#include <algorithm>

namespace {

using Catch::Contains;

sslpp::server_context rsa_server() { return test::server_context_with("fullchain-rsa.pem", "leaf-rsa.key"); }

// A server thread that keeps what its stream reported after the handshake.
struct seen_sigalgs {
  std::optional<std::string> client, server;
};

test::server_thread echo_noting(sslpp::server_context ctx, seen_sigalgs& seen) {
  return feat::echo_server(std::move(ctx), [&seen](auto& tls) {
    seen.client = tls.client_sigalg();
    seen.server = tls.server_sigalg();
  });
}

sslpp::server_context client_auth_server() {
  auto sctx = test::server_context_with();
  sctx.set_verify_mode(sslpp::verify_mode::cert_required);
  sctx.load_verify_locations(test::pki("client-ca.pem"));
  return sctx;
}

sslpp::client_context client_with_certificate() {
  auto ctx = test::client_context_trusting_root();
  ctx.load_cert_chain(test::pki("client.pem"), test::pki("client.key"));
  return ctx;
}

// openssl s_server with the RSA leaf and `extra` arguments, on a free port.
std::unique_ptr<test::child> openssl_rsa_server(std::vector<std::string> extra, std::uint16_t& port) {
  return std::make_unique<test::child>(test::serve_on_free_port(
      [&](std::uint16_t p) {
        std::vector<std::string> argv{"openssl", "s_server", "-accept", std::to_string(p), "-cert",
                                      test::pki("leaf-rsa.pem"), "-key", test::pki("leaf-rsa.key"), "-cert_chain",
                                      test::pki("intermediate.pem")};
        argv.insert(argv.end(), extra.begin(), extra.end());
        return argv;
      },
      port));
}

}  // namespace

// --- names ---

TEST_CASE("get_sigalgs lists the TLS 1.3 scheme names every setter accepts", "[sigalgs]") {
  const auto names = sslpp::get_sigalgs();
  REQUIRE(names.size() == 12);
  CHECK(names.front() == "ecdsa_secp256r1_sha256");
  for (const char* n : {"rsa_pss_rsae_sha256", "ed25519", "rsa_pkcs1_sha1", "ecdsa_secp521r1_sha512"})
    CHECK(std::find(names.begin(), names.end(), n) != names.end());
  auto ctx = test::client_context_trusting_root();
  for (const auto& n : names) {
    INFO(n);
    CHECK_NOTHROW(ctx.set_server_sigalgs(n));
    CHECK_NOTHROW(ctx.set_client_sigalgs(std::vector<std::string>{n}));
  }
  static_assert(sslpp::detail::sigalg_fault("rsa_pss_rsae_sha256").empty());
  static_assert(!sslpp::detail::sigalg_fault("RSA+SHA256").empty());
  static_assert(!sslpp::detail::sigalg_fault("rsa_pss_pss_sha256").empty());
}

TEST_CASE("the sigalg setters take Python's colon string, a braced list or a range", "[sigalgs]") {
  auto ctx = test::client_context_trusting_root();
  ctx.set_server_sigalgs("ecdsa_secp256r1_sha256:rsa_pss_rsae_sha256");  // checked at compile time
  ctx.set_server_sigalgs({"ed25519", "rsa_pss_rsae_sha384"});
  ctx.set_client_sigalgs(std::string("ecdsa_secp384r1_sha384:ecdsa_secp256r1_sha256"));
  ctx.set_client_sigalgs(std::vector<std::string>{"rsa_pss_rsae_sha256", "ecdsa_secp256r1_sha256:ed25519"});
  auto sctx = test::server_context_with();
  sctx.set_server_sigalgs({"ecdsa_secp256r1_sha256"});
  sctx.set_client_sigalgs("ecdsa_secp256r1_sha256");
}

TEST_CASE("a run-time sigalg list with an unknown or empty name throws naming it", "[sigalgs]") {
  auto ctx = test::client_context_trusting_root();
  const std::string openssl_style = "ecdsa_secp256r1_sha256:RSA+SHA256";
  CHECK_THROWS_AS(ctx.set_server_sigalgs(openssl_style), std::invalid_argument);
  CHECK_THROWS_WITH(ctx.set_server_sigalgs(openssl_style),
                    Contains("set_server_sigalgs") && Contains("'RSA+SHA256'") && Contains("unknown signature algorithm"));
  CHECK_THROWS_WITH(ctx.set_client_sigalgs(std::vector<std::string>{"ed448"}),
                    Contains("set_client_sigalgs") && Contains("'ed448'"));
  CHECK_THROWS_WITH(ctx.set_client_sigalgs(std::string()), Contains("empty"));
  CHECK_THROWS_WITH(ctx.set_client_sigalgs(std::string("ed25519::rsa_pss_rsae_sha256")), Contains("empty"));
  CHECK_THROWS_WITH(ctx.set_client_sigalgs(std::vector<std::string>{}), Contains("empty"));
}

// --- between sslpp peers ---

TEST_CASE("set_server_sigalgs on a server decides what it signs with, and both ends report it", "[sigalgs]") {
  for (const auto max : {sslpp::tls_version::tlsv1_3, sslpp::tls_version::tlsv1_2}) {
    auto sctx = rsa_server();
    const std::string forced = max == sslpp::tls_version::tlsv1_3 ? "rsa_pss_rsae_sha512" : "rsa_pkcs1_sha384";
    sctx.set_server_sigalgs(std::vector<std::string>{forced});
    seen_sigalgs seen;
    auto server = echo_noting(sctx, seen);
    auto client = test::client_context_trusting_root();
    client.set_maximum_version(max);
    auto tls = feat::connect(client, server.port());
    feat::round_trip(tls);
    server.join();
    INFO(forced);
    CHECK(tls.server_sigalg() == forced);
    CHECK(seen.server == forced);  // the server's own choice, as it signed
    CHECK_FALSE(tls.client_sigalg().has_value());  // no client certificate
    CHECK_FALSE(seen.client.has_value());
  }
}

TEST_CASE("set_server_sigalgs on a client limits what the server may sign with", "[sigalgs]") {
  auto server_ctx = rsa_server();
  seen_sigalgs seen;
  auto server = echo_noting(server_ctx, seen);
  auto client = test::client_context_trusting_root();
  client.set_server_sigalgs("rsa_pss_rsae_sha384");
  auto tls = feat::connect(client, server.port());
  feat::round_trip(tls);
  server.join();
  CHECK(tls.server_sigalg() == "rsa_pss_rsae_sha384");
  CHECK(seen.server == "rsa_pss_rsae_sha384");
}

TEST_CASE("set_client_sigalgs governs the client certificate's signature on both sides", "[sigalgs][client_auth]") {
  for (const auto max : {sslpp::tls_version::tlsv1_3, sslpp::tls_version::tlsv1_2}) {
    auto sctx = client_auth_server();
    sctx.set_client_sigalgs({"ecdsa_secp256r1_sha256", "rsa_pss_rsae_sha256"});
    seen_sigalgs seen;
    auto server = echo_noting(sctx, seen);
    auto client = client_with_certificate();
    client.set_maximum_version(max);
    client.set_client_sigalgs("ecdsa_secp256r1_sha256");
    auto tls = feat::connect(client, server.port());
    feat::round_trip(tls);
    server.join();
    CHECK(seen.client == "ecdsa_secp256r1_sha256");
    CHECK(tls.client_sigalg() == "ecdsa_secp256r1_sha256");  // the client's own signature
    CHECK(tls.server_sigalg() == seen.server);
  }
}

TEST_CASE("a server accepting no algorithm the client certificate can sign with fails naming the lists",
          "[sigalgs][client_auth]") {
  auto sctx = client_auth_server();
  sctx.set_client_sigalgs("rsa_pss_rsae_sha256:ed25519");  // the client's key is ECDSA P-256
  std::string server_message;
  auto server = feat::failing_server(sctx, server_message);
  auto client = client_with_certificate();
  std::string client_message;
  try {
    auto tls = feat::connect(client, server.port());
    tls.read(10);
  } catch (const sslpp::ssl_error& e) {
    client_message = e.what();
  }
  server.join();
  CHECK_THAT(client_message, Contains("NO_COMMON_SIGNATURE_ALGORITHMS") && Contains("accepts none of them"));
  CHECK_FALSE(server_message.empty());
}

TEST_CASE("sigalgs before the handshake and after a resumption are nullopt", "[sigalgs][sessions]") {
  auto sctx = rsa_server();
  auto server = feat::echo_server(sctx, {}, 2);
  auto client = test::client_context_trusting_root();
  auto first = feat::connect(client, server.port());
  feat::round_trip(first);
  CHECK(first.server_sigalg().has_value());
  auto again = feat::connect(client, server.port(), "localhost", {.do_handshake_on_connect = false,
                                                                  .session = first.session()});
  CHECK_FALSE(again.server_sigalg().has_value());
  again.do_handshake();
  feat::round_trip(again);
  server.join();
  REQUIRE(again.session_reused());
  CHECK_FALSE(again.server_sigalg().has_value());  // a resumed handshake has no signature
}

TEST_CASE("a context for both sides maps the sigalg lists by the role of each connection", "[sigalgs]") {
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
  auto any = sslpp::context_for(sslpp::protocol::tls);
#pragma GCC diagnostic pop
  any.load_verify_locations(test::pki("ca.pem"));
  any.set_server_sigalgs("rsa_pss_rsae_sha384");  // as a client: what it accepts from servers
  seen_sigalgs seen;
  auto server = echo_noting(rsa_server(), seen);
  auto tls = any.wrap_socket(sslpp::tcp_socket::connect("127.0.0.1", server.port()), "localhost");
  feat::round_trip(tls);
  server.join();
  CHECK(tls.server_sigalg() == "rsa_pss_rsae_sha384");
}

// --- openssl ---

TEST_CASE("openssl s_server -sigalgs: the forced algorithm is the one sslpp reports", "[sigalgs][openssl]") {
  std::uint16_t port = 0;
  auto peer = openssl_rsa_server({"-sigalgs", "rsa_pss_rsae_sha384"}, port);
  auto tls = feat::connect(test::client_context_trusting_root(), port);
  CHECK(tls.server_sigalg() == "rsa_pss_rsae_sha384");
  tls.sendall("hello\n");
  CHECK(peer->wait_for_output("hello"));
}

TEST_CASE("sslpp's set_server_sigalgs picks what openssl s_server signs with", "[sigalgs][openssl]") {
  std::uint16_t port = 0;
  auto peer = openssl_rsa_server({}, port);
  auto client = test::client_context_trusting_root();
  client.set_server_sigalgs({"rsa_pss_rsae_sha512"});
  auto tls = feat::connect(client, port);
  CHECK(tls.server_sigalg() == "rsa_pss_rsae_sha512");
  tls.sendall("hello\n");
  CHECK(peer->wait_for_output("hello"));
}

TEST_CASE("a client whose server sigalgs openssl s_server cannot meet fails naming its list", "[sigalgs][openssl]") {
  std::uint16_t port = 0;
  auto peer = feat::openssl_server({}, port);  // an ECDSA P-256 key
  auto client = test::client_context_trusting_root();
  client.set_server_sigalgs("ed25519:rsa_pss_rsae_sha256");
  std::string message;
  try {
    feat::connect(client, port);
  } catch (const sslpp::ssl_error& e) {
    message = e.what();
  }
  CHECK_THAT(message, Contains("ed25519:rsa_pss_rsae_sha256") && Contains("set_server_sigalgs"));
}

TEST_CASE("openssl s_client sees the algorithm sslpp's server was told to sign with", "[sigalgs][openssl]") {
  auto sctx = rsa_server();
  sctx.set_server_sigalgs("rsa_pss_rsae_sha384:rsa_pss_rsae_sha256");
  std::optional<std::string> seen;
  auto server = test::server_thread([&](sslpp::tcp_socket sock) {
    auto tls = sctx.wrap_socket(std::move(sock));
    seen = tls.server_sigalg();
    tls.sendall("done\n");
    tls.shutdown();
  });
  test::child peer({"openssl", "s_client", "-connect", "127.0.0.1:" + std::to_string(server.port()), "-CAfile",
                    test::pki("ca.pem")});
  REQUIRE(peer.wait_for_output("done"));
  peer.close_stdin();
  peer.wait();
  server.join();
  CHECK(seen == "rsa_pss_rsae_sha384");
  CHECK_THAT(peer.output(), Contains("Peer signature type: RSA-PSS") && Contains("Peer signing digest: SHA384"));
}

TEST_CASE("openssl s_client -sigalgs disjoint from the server's list fails naming both lists", "[sigalgs][openssl]") {
  auto sctx = rsa_server();
  sctx.set_server_sigalgs("rsa_pss_rsae_sha256");
  std::string message;
  auto server = feat::failing_server(sctx, message);
  test::child peer({"openssl", "s_client", "-connect", "127.0.0.1:" + std::to_string(server.port()), "-CAfile",
                    test::pki("ca.pem"), "-sigalgs", "ecdsa_secp256r1_sha256:rsa_pss_rsae_sha512"});
  peer.close_stdin();
  server.join();
  peer.wait();
  CHECK_THAT(message, Contains("NO_COMMON_SIGNATURE_ALGORITHMS") && Contains("rsa_pss_rsae_sha256 (set_server_sigalgs)") &&
                          Contains("the client accepts ecdsa_secp256r1_sha256:rsa_pss_rsae_sha512"));
}

TEST_CASE("openssl s_client -client_sigalgs: sslpp's server reports the client certificate's algorithm",
          "[sigalgs][openssl][client_auth]") {
  auto sctx = client_auth_server();
  std::optional<std::string> seen;
  auto server = test::server_thread([&](sslpp::tcp_socket sock) {
    auto tls = sctx.wrap_socket(std::move(sock));
    seen = tls.client_sigalg();
    tls.sendall("done\n");
    tls.shutdown();
  });
  test::child peer({"openssl", "s_client", "-connect", "127.0.0.1:" + std::to_string(server.port()), "-CAfile",
                    test::pki("ca.pem"), "-cert", test::pki("client.pem"), "-key", test::pki("client.key"),
                    "-client_sigalgs", "ecdsa_secp256r1_sha256"});
  REQUIRE(peer.wait_for_output("done"));
  peer.close_stdin();
  peer.wait();
  server.join();
  CHECK(seen == "ecdsa_secp256r1_sha256");
}

// --- python3 ---

TEST_CASE("python3 peers meet sslpp's sigalg settings", "[sigalgs][python]") {
  SECTION("sslpp client, python3 server with an RSA key") {
    std::uint16_t port = 0;
    auto peer = feat::python_server("\"cert\": " + feat::json_str(test::pki("fullchain-rsa.pem")) +
                                        ", \"key\": " + feat::json_str(test::pki("leaf-rsa.key")),
                                    port);
    auto client = test::client_context_trusting_root();
    client.set_server_sigalgs("rsa_pss_rsae_sha384");
    auto tls = feat::connect(client, port);
    feat::round_trip(tls);
    CHECK(tls.server_sigalg() == "rsa_pss_rsae_sha384");
    CHECK_THAT(peer->wait_for_line("INFO"), Contains("TLSv1.3"));
  }
  SECTION("python3 client, sslpp server") {
    auto sctx = rsa_server();
    sctx.set_server_sigalgs({"rsa_pss_rsae_sha512"});
    seen_sigalgs seen;
    auto server = echo_noting(sctx, seen);
    auto peer = feat::python_client(server.port());
    CHECK_THAT(peer->wait_for_line("INFO"), Contains("TLSv1.3"));
    peer->wait();
    server.join();
    CHECK(seen.server == "rsa_pss_rsae_sha512");
  }
}

// --- groups, as Python 3.15 names them ---

TEST_CASE("group() and get_groups() use the TLS registry's names as Python 3.15 does", "[groups]") {
  auto ctx = test::client_context_trusting_root();
  CHECK(ctx.get_groups() ==
        std::vector<std::string>{"x25519", "secp256r1", "secp384r1", "secp521r1", "secp224r1", "CECPQ2"});
  const auto aliases = ctx.get_groups(true);
  CHECK(std::find(aliases.begin(), aliases.end(), "P-256") != aliases.end());
  CHECK(std::find(aliases.begin(), aliases.end(), "prime256v1") != aliases.end());
  ctx.set_maximum_version(sslpp::tls_version::tlsv1_2);
  CHECK(ctx.get_groups().size() == 5);  // CECPQ2 is TLS 1.3 only
  for (const auto& g : ctx.get_groups(true)) CHECK_NOTHROW(ctx.set_groups(std::vector<std::string>{g}));

  auto server = feat::echo_server(test::server_context_with());
  auto client = test::client_context_trusting_root();
  client.set_groups({"P-384"});
  auto tls = feat::connect(client, server.port());
  feat::round_trip(tls);
  server.join();
  CHECK(tls.group() == "secp384r1");
}
