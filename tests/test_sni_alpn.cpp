// SNI and ALPN: the server's SNI callback (name seen, context swapped, handshake refused)
// and ALPN negotiation and validation, on loopback and against openssl s_server /
// s_client and python3's ssl.
#include "features_support.hpp"

#include <atomic>
#include <mutex>
#include <optional>
#include <string>

namespace {

// A server context that presents the wrong.example certificate (the SNI "other" site).
sslpp::server_context other_site() { return test::server_context_with("fullchain-wronghost.pem", "wronghost.key"); }

}  // namespace

// --- SNI ---

TEST_CASE("the SNI callback sees the name a client sends", "[sni]") {
  auto ctx = test::server_context_with();
  std::mutex m;
  std::optional<std::string> seen;
  bool called = false;
  ctx.set_sni_callback([&](sslpp::sni_request& r) {
    std::lock_guard<std::mutex> lock(m);
    called = true;
    if (auto name = r.server_name()) seen = std::string(*name);
  });
  auto server = feat::echo_server(ctx);
  auto client = test::client_context_trusting_root();
  auto tls = feat::connect(client, server.port(), "localhost.");  // one trailing dot is stripped
  feat::round_trip(tls);
  server.join();
  CHECK(called);
  CHECK(seen == "localhost");
}

TEST_CASE("a client connecting by IP address sends no SNI", "[sni]") {
  auto ctx = test::server_context_with();
  std::atomic<int> calls{0};
  std::atomic<bool> had_name{true};
  ctx.set_sni_callback([&](sslpp::sni_request& r) {
    ++calls;
    had_name = r.server_name().has_value();
  });
  auto server = feat::echo_server(ctx);
  auto client = test::client_context_trusting_root();
  auto tls = feat::connect(client, server.port(), "127.0.0.1");
  feat::round_trip(tls);
  server.join();
  // As OpenSSL, the backend calls the callback for every hello, with no name here.
  CHECK(calls == 1);
  CHECK_FALSE(had_name);
}

TEST_CASE("the SNI callback serves another site with use_context", "[sni]") {
  auto ctx = test::server_context_with();
  {
    auto other = other_site();  // dropped here: the callback's copy keeps it alive
    ctx.set_sni_callback([other](sslpp::sni_request& r) {
      if (r.server_name() == "wrong.example") r.use_context(other);
    });
  }
  auto server = feat::echo_server(ctx, {}, 2);
  auto client = test::client_context_trusting_root();
  {
    auto tls = feat::connect(client, server.port(), "wrong.example");
    REQUIRE(tls.getpeercert());
    CHECK(tls.getpeercert()->to_pem() == feat::pem_of("wronghost.pem"));
    feat::round_trip(tls);
  }
  {
    auto tls = feat::connect(client, server.port(), "localhost");
    CHECK(tls.getpeercert()->to_pem() == feat::pem_of("leaf-ecdsa.pem"));
    feat::round_trip(tls);
  }
  server.join();
}

TEST_CASE("the SNI callback refuses a handshake with the alert it chooses", "[sni]") {
  auto ctx = test::server_context_with();
  SECTION("unrecognized_name by default") {
    ctx.set_sni_callback([](sslpp::sni_request& r) { r.reject(); });
    std::string server_message;
    auto server = feat::failing_server(ctx, server_message);
    auto client = test::client_context_trusting_root();
    try {
      feat::connect(client, server.port(), "unknown.example");
      FAIL("the handshake succeeded");
    } catch (const sslpp::ssl_error& e) {
      CHECK_THAT(e.what(), Catch::Contains("UNRECOGNIZED_NAME"));
    }
    server.join();
  }
  SECTION("access_denied when asked") {
    ctx.set_sni_callback([](sslpp::sni_request& r) { r.reject(sslpp::alert::access_denied); });
    std::string server_message;
    auto server = feat::failing_server(ctx, server_message);
    auto client = test::client_context_trusting_root();
    CHECK_THROWS_WITH(feat::connect(client, server.port(), "localhost"), Catch::Contains("ACCESS_DENIED"));
    server.join();
  }
  SECTION("an exception in the callback fails that handshake only") {
    ctx.set_sni_callback([](sslpp::sni_request&) { throw std::runtime_error("callback broke"); });
    std::string server_message;
    auto server = feat::failing_server(ctx, server_message);
    auto client = test::client_context_trusting_root();
    CHECK_THROWS_WITH(feat::connect(client, server.port(), "localhost"), Catch::Contains("INTERNAL_ERROR"));
    server.join();
    CHECK_FALSE(server_message.empty());
  }
}

TEST_CASE("set_sni_callback with nullptr removes the callback", "[sni]") {
  auto ctx = test::server_context_with();
  ctx.set_sni_callback([](sslpp::sni_request& r) { r.reject(); });
  ctx.set_sni_callback(nullptr);
  auto server = feat::echo_server(ctx);
  auto client = test::client_context_trusting_root();
  auto tls = feat::connect(client, server.port());
  feat::round_trip(tls);
  server.join();
}

TEST_CASE("openssl s_server picks its certificate from the name sslpp sends", "[sni][openssl]") {
  std::uint16_t port = 0;
  auto peer = feat::openssl_server({"-servername", "wrong.example", "-cert2", test::pki("wronghost.pem"), "-key2",
                                    test::pki("wronghost.key")},
                                   port);
  // chain.pem: intermediate + root, so the intermediate s_server does not send for its
  // second certificate is still found (partial chains are on by default).
  auto client = sslpp::create_default_context(sslpp::purpose::server_auth, sslpp::trust{.cafile = test::pki("chain.pem")});
  auto tls = feat::connect(client, port, "wrong.example");
  CHECK(tls.getpeercert()->to_pem() == feat::pem_of("wronghost.pem"));
  tls.sendall("hello\n");
  CHECK(peer->wait_for_output("hello"));
}

TEST_CASE("a python3 server switches context on the name sslpp sends", "[sni][python]") {
  std::uint16_t port = 0;
  auto peer = feat::python_server("\"sni\": {\"wrong.example\": [" + feat::json_str(test::pki("fullchain-wronghost.pem")) +
                                      ", " + feat::json_str(test::pki("wronghost.key")) + "]}",
                                  port);
  auto client = test::client_context_trusting_root();
  auto tls = feat::connect(client, port, "wrong.example");
  CHECK(tls.getpeercert()->to_pem() == feat::pem_of("wronghost.pem"));
  feat::round_trip(tls);
  CHECK(peer->wait_for_output("\"sni\": \"wrong.example\""));
}

TEST_CASE("sslpp's SNI callback serves a python3 client the site it names", "[sni][python]") {
  auto ctx = test::server_context_with();
  auto other = other_site();
  std::mutex m;
  std::string seen;
  ctx.set_sni_callback([&](sslpp::sni_request& r) {
    std::lock_guard<std::mutex> lock(m);
    seen = std::string(r.server_name().value_or("(none)"));
    if (r.server_name() == "wrong.example") r.use_context(other);
  });
  auto server = feat::echo_server(ctx);
  auto peer = feat::python_client(server.port(), "\"server_hostname\": \"wrong.example\"");
  REQUIRE(peer->wait() == 0);
  server.join();
  CHECK(seen == "wrong.example");
  CHECK_THAT(peer->output(), Catch::Contains("\"reply\": \"ping\""));
}

// --- ALPN ---

TEST_CASE("ALPN picks the server's most preferred protocol the client offers", "[alpn]") {
  auto ctx = test::server_context_with();
  ctx.set_alpn_protocols({"http/1.1", "h2"});
  std::optional<std::string> server_saw;
  auto server = feat::echo_server(ctx, [&](auto& tls) { server_saw = tls.selected_alpn_protocol(); });
  auto client = test::client_context_trusting_root();
  client.set_alpn_protocols(std::vector<std::string>{"h2", "http/1.1"});
  auto tls = feat::connect(client, server.port());
  CHECK(tls.selected_alpn_protocol() == "http/1.1");
  feat::round_trip(tls);
  server.join();
  CHECK(server_saw == "http/1.1");
}

TEST_CASE("without a protocol in common the handshake goes on without ALPN when asked, as in Python", "[alpn]") {
  auto ctx = test::server_context_with();
  ctx.set_alpn_protocols({"bar"});
  // The default refuses (RFC 7301; tests/test_stapling_exporter.cpp): this is Python's choice.
  ctx.set_alpn_mismatch(sslpp::alpn_mismatch::continue_without);
  std::optional<std::string> server_saw = "unset";
  auto server = feat::echo_server(ctx, [&](auto& tls) { server_saw = tls.selected_alpn_protocol(); });
  auto client = test::client_context_trusting_root();
  client.set_alpn_protocols({"foo"});
  auto tls = feat::connect(client, server.port());
  CHECK_FALSE(tls.selected_alpn_protocol().has_value());
  feat::round_trip(tls);
  server.join();
  CHECK_FALSE(server_saw.has_value());
}

TEST_CASE("a client without ALPN gets no protocol and an empty list turns ALPN off", "[alpn]") {
  auto ctx = test::server_context_with();
  ctx.set_alpn_protocols({"h2"});
  auto server = feat::echo_server(ctx);
  auto client = test::client_context_trusting_root();
  client.set_alpn_protocols({"h2"});
  client.set_alpn_protocols(std::vector<std::string>{});
  auto tls = feat::connect(client, server.port());
  CHECK_FALSE(tls.selected_alpn_protocol().has_value());
  feat::round_trip(tls);
  server.join();
}

TEST_CASE("set_alpn_protocols refuses empty and over-long names and names them", "[alpn]") {
  auto client = test::client_context_trusting_root();
  // Run-time lists: a braced list of literals with "" does not compile (tests/compile_fail).
  CHECK_THROWS_AS(client.set_alpn_protocols(std::vector<std::string>{"h2", ""}), std::invalid_argument);
  CHECK_THROWS_WITH(client.set_alpn_protocols(std::vector<std::string>{"h2", ""}), Catch::Contains("empty"));
  const std::string long_name(256, 'x');
  CHECK_THROWS_WITH(client.set_alpn_protocols(std::vector<std::string>{long_name}),
                    Catch::Contains("255") && Catch::Contains("xxxxxxxx") && Catch::Contains("256 bytes"));
  CHECK_NOTHROW(client.set_alpn_protocols(std::vector<std::string>{std::string(255, 'y')}));
  // The list as a whole has a 16-bit length: 257 names of 255 bytes (65792 on the wire) do not fit.
  const std::vector<std::string> too_many(257, std::string(255, 'z'));
  CHECK_THROWS_WITH(client.set_alpn_protocols(too_many), Catch::Contains("65792 bytes") && Catch::Contains("65535"));
  CHECK_NOTHROW(client.set_alpn_protocols(std::vector<std::string>(255, std::string(255, 'z'))));
  static_assert(sslpp::detail::alpn_fault("h2").empty());
  static_assert(!sslpp::detail::alpn_fault("").empty());
}

TEST_CASE("ALPN with openssl s_server and s_client", "[alpn][openssl]") {
  SECTION("sslpp client") {
    std::uint16_t port = 0;
    auto peer = feat::openssl_server({"-alpn", "h2,http/1.1"}, port);
    auto client = test::client_context_trusting_root();
    client.set_alpn_protocols({"spdy/1", "http/1.1"});
    auto tls = feat::connect(client, port);
    CHECK(tls.selected_alpn_protocol() == "http/1.1");
  }
  SECTION("sslpp server") {
    auto ctx = test::server_context_with();
    ctx.set_alpn_protocols({"h2", "http/1.1"});
    std::optional<std::string> server_saw;
    auto server = test::server_thread([&](sslpp::tcp_socket sock) {
      auto tls = ctx.wrap_socket(std::move(sock));
      server_saw = tls.selected_alpn_protocol();
      tls.sendall("done\n");
      tls.shutdown();
    });
    test::child peer({"openssl", "s_client", "-connect", "127.0.0.1:" + std::to_string(server.port()), "-alpn",
                      "http/1.1,h2", "-CAfile", test::pki("ca.pem"), "-servername", "localhost"});
    REQUIRE(peer.wait_for_output("done"));
    peer.close_stdin();
    peer.wait();
    server.join();
    CHECK(server_saw == "h2");
    CHECK_THAT(peer.output(), Catch::Contains("ALPN protocol: h2"));
  }
}

TEST_CASE("ALPN with python3 ssl on both sides", "[alpn][python]") {
  SECTION("python server") {
    std::uint16_t port = 0;
    auto peer = feat::python_server("\"alpn\": [\"h2\"]", port);
    auto client = test::client_context_trusting_root();
    client.set_alpn_protocols({"http/1.1", "h2"});
    auto tls = feat::connect(client, port);
    CHECK(tls.selected_alpn_protocol() == "h2");
    feat::round_trip(tls);
    CHECK(peer->wait_for_output("\"alpn\": \"h2\""));
  }
  SECTION("python client without overlap: refused with no_application_protocol") {
    auto ctx = test::server_context_with();
    ctx.set_alpn_protocols({"h2"});
    std::string message;
    auto server = feat::failing_server(ctx, message);
    auto peer = feat::python_client(server.port(), "\"alpn\": [\"imap\"]");
    REQUIRE(peer->wait() == 0);
    server.join();
    CHECK_THAT(peer->output(), Catch::Contains("ERROR") && Catch::Contains("alert no application protocol"));
    CHECK_THAT(message, Catch::Contains("NO_APPLICATION_PROTOCOL"));
  }
  SECTION("python client without overlap: served without ALPN with continue_without") {
    auto ctx = test::server_context_with();
    ctx.set_alpn_protocols({"h2"});
    ctx.set_alpn_mismatch(sslpp::alpn_mismatch::continue_without);
    auto server = feat::echo_server(ctx);
    auto peer = feat::python_client(server.port(), "\"alpn\": [\"imap\"]");
    REQUIRE(peer->wait() == 0);
    server.join();
    CHECK_THAT(peer->output(), Catch::Contains("\"alpn\": null") && Catch::Contains("\"reply\": \"ping\""));
  }
}
