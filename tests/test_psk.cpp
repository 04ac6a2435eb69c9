// TLS-PSK (Python 3.13's set_psk_client_callback / set_psk_server_callback) over TLS 1.2's
// PSK suites: between sslpp peers, against openssl s_server -psk / s_client -psk both
// ways, and the ways it must fail (wrong key, unknown identity, a throwing callback,
// an identity too long, TLS 1.3). python3 here is 3.11, which has no PSK callbacks.
#include "features_support.hpp"

#include <algorithm>
#include <atomic>

namespace {

using Catch::Contains;

std::vector<std::byte> bytes_of(std::string_view hex) {
  std::vector<std::byte> out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
    out.push_back(static_cast<std::byte>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  return out;
}

const std::string key_hex = "a1b2c3d4e5f60718293a4b5c6d7e8f90";
const std::string other_hex = "ffeeddccbbaa99887766554433221100";

// A client context trusting the test root, with a PSK callback answering `identity` / `hex`
// and noting the hint it was given.
sslpp::client_context psk_client(std::string identity, std::string hex,
                                 std::shared_ptr<std::optional<std::string>> hint_seen = nullptr) {
  auto ctx = test::client_context_trusting_root();
  ctx.set_psk_client_callback([=](std::optional<std::string_view> hint) {
    if (hint_seen) *hint_seen = hint ? std::optional<std::string>(std::string(*hint)) : std::nullopt;
    return sslpp::psk_credentials{identity, bytes_of(hex)};
  });
  return ctx;
}

// A server context without a certificate that knows one identity's key.
sslpp::server_context psk_server(std::string identity, std::string hex, std::optional<std::string> hint = std::nullopt,
                                 std::shared_ptr<std::atomic<int>> calls = nullptr) {
  auto sctx = sslpp::context_for(sslpp::protocol::tls_server);
  sctx.set_psk_server_callback(
      [=](std::string_view id) {
        if (calls) ++*calls;
        return id == identity ? bytes_of(hex) : std::vector<std::byte>{};
      },
      hint);
  return sctx;
}

std::string failure_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::exception& e) {
    return e.what();
  }
  return {};
}

// openssl s_server -psk on a free port, TLS 1.2, no certificate.
std::unique_ptr<test::child> openssl_psk_server(std::vector<std::string> extra, std::uint16_t& port) {
  return std::make_unique<test::child>(test::serve_on_free_port(
      [&](std::uint16_t p) {
        std::vector<std::string> argv{"openssl", "s_server", "-accept", std::to_string(p), "-nocert"};
        argv.insert(argv.end(), extra.begin(), extra.end());
        return argv;
      },
      port));
}

}  // namespace

// --- settings ---

TEST_CASE("a PSK callback limits the context to TLS 1.2 and enables the ECDHE-PSK suites", "[psk]") {
  auto ctx = test::client_context_trusting_root();
  ctx.set_psk_client_callback([](std::optional<std::string_view>) { return sslpp::psk_credentials{}; });
  CHECK(ctx.maximum_version() == sslpp::tls_version::tlsv1_2);
  std::vector<std::string> names;
  for (const auto& c : ctx.get_ciphers()) names.push_back(c.name);
  CHECK(std::count_if(names.begin(), names.end(), [](const std::string& n) { return n.find("PSK") != n.npos; }) == 3);
  CHECK(std::find(names.begin(), names.end(), "ECDHE-ECDSA-AES128-GCM-SHA256") != names.end());  // the context's own stay
  CHECK(std::find(names.begin(), names.end(), "ECDHE-PSK-CHACHA20-POLY1305") != names.end());
  CHECK(std::find(names.begin(), names.end(), "PSK-AES128-CBC-SHA") == names.end());  // no forward secrecy: only when named
  auto named = test::client_context_trusting_root();
  named.set_ciphers("PSK");
  named.set_psk_client_callback([](std::optional<std::string_view>) { return sslpp::psk_credentials{}; });
  names.clear();
  for (const auto& c : named.get_ciphers()) names.push_back(c.name);
  CHECK(std::find(names.begin(), names.end(), "PSK-AES128-CBC-SHA") != names.end());
  CHECK(std::find(names.begin(), names.end(), "ECDHE-ECDSA-AES128-GCM-SHA256") == names.end());  // the list stays the program's
}

TEST_CASE("a PSK callback on a TLS 1.3-only context throws saying this backend has no TLS 1.3 PSK", "[psk]") {
  auto ctx = test::client_context_trusting_root();
  ctx.set_minimum_version(sslpp::tls_version::tlsv1_3);
  CHECK_THROWS_AS(ctx.set_psk_client_callback([](std::optional<std::string_view>) { return sslpp::psk_credentials{}; }),
                  std::invalid_argument);
  CHECK_THROWS_WITH(ctx.set_psk_client_callback([](std::optional<std::string_view>) { return sslpp::psk_credentials{}; }),
                    Contains("no TLS 1.3 external PSK") && Contains("set_minimum_version"));
  auto sctx = sslpp::context_for(sslpp::protocol::tls_server);
  sctx.set_minimum_version(sslpp::tls_version::tlsv1_3);
  CHECK_THROWS_WITH(sctx.set_psk_server_callback([](std::string_view) { return std::vector<std::byte>{}; }),
                    Contains("no TLS 1.3 external PSK"));
  CHECK(sctx.maximum_version() == sslpp::tls_version::tlsv1_3);  // unchanged by the refused call
}

TEST_CASE("an identity hint longer than the protocol allows is refused when set", "[psk]") {
  auto sctx = sslpp::context_for(sslpp::protocol::tls_server);
  const auto cb = [](std::string_view) { return std::vector<std::byte>{}; };
  CHECK_THROWS_WITH(sctx.set_psk_server_callback(cb, std::string(129, 'h')),
                    Contains("identity hint is 129 bytes") && Contains("at most 128"));
  CHECK_THROWS_AS(sctx.set_psk_server_callback(cb, std::string("a\0b", 3)), std::invalid_argument);
  CHECK_NOTHROW(sctx.set_psk_server_callback(cb, std::string(128, 'h')));
}

// --- between sslpp peers ---

TEST_CASE("sslpp PSK client and server agree on a key and a PSK suite, without certificates", "[psk]") {
  auto calls = std::make_shared<std::atomic<int>>(0);
  auto server = feat::echo_server(psk_server("client-1", key_hex, "the-hint", calls));
  auto hint = std::make_shared<std::optional<std::string>>();
  auto client = psk_client("client-1", key_hex, hint);
  auto tls = client.wrap_socket(sslpp::tcp_socket::connect("127.0.0.1", server.port()), "localhost");
  feat::round_trip(tls);
  server.join();
  CHECK_THAT(tls.cipher()->name, Contains("PSK"));
  CHECK(tls.version() == sslpp::tls_version::tlsv1_2);
  CHECK_FALSE(tls.getpeercert().has_value());  // authenticated by the key, not a certificate
  CHECK(*hint == std::optional<std::string>("the-hint"));
  CHECK(*calls == 1);
}

TEST_CASE("a server without an identity hint gives the client callback nullopt", "[psk]") {
  auto server = feat::echo_server(psk_server("c", key_hex));
  auto hint = std::make_shared<std::optional<std::string>>("unset");
  auto tls = psk_client("c", key_hex, hint).wrap_socket(sslpp::tcp_socket::connect("127.0.0.1", server.port()), "localhost");
  feat::round_trip(tls);
  server.join();
  CHECK_FALSE(hint->has_value());
}

TEST_CASE("a wrong pre-shared key fails both ends with a message saying the keys differ", "[psk][attack]") {
  std::string server_message;
  auto server = feat::failing_server(psk_server("client-1", key_hex), server_message);
  const std::string client_message = failure_of([&] {
    auto tls = psk_client("client-1", other_hex).wrap_socket(sslpp::tcp_socket::connect("127.0.0.1", server.port()),
                                                             "localhost");
    tls.read(10);
  });
  server.join();
  CHECK_THAT(server_message, Contains("'client-1'") && Contains("wrong PSK"));
  CHECK_THAT(client_message, Contains("'client-1'") && Contains("wrong PSK"));
}

TEST_CASE("an identity the server does not know is refused with unknown_psk_identity", "[psk][attack]") {
  std::string server_message;
  auto server = feat::failing_server(psk_server("client-1", key_hex), server_message);
  const std::string client_message = failure_of([&] {
    psk_client("mallory", key_hex).wrap_socket(sslpp::tcp_socket::connect("127.0.0.1", server.port()), "localhost");
  });
  server.join();
  CHECK_THAT(server_message, Contains("PSK_IDENTITY_NOT_FOUND") && Contains("no key for the identity 'mallory'"));
  CHECK_THAT(client_message, Contains("UNKNOWN_PSK_IDENTITY") && Contains("'mallory'"));
}

TEST_CASE("a PSK server callback that throws fails that handshake cleanly, and the server goes on", "[psk][attack]") {
  auto sctx = sslpp::context_for(sslpp::protocol::tls_server);
  std::atomic<int> calls{0};
  sctx.set_psk_server_callback([&](std::string_view id) -> std::vector<std::byte> {
    if (calls++ == 0) throw std::runtime_error("key store offline");
    return id == "c" ? bytes_of(key_hex) : std::vector<std::byte>{};
  });
  std::string first_message;
  auto server = test::server_thread(
      [&](sslpp::tcp_socket sock) {
        try {
          auto tls = sctx.wrap_socket(std::move(sock));
          tls.sendall(tls.read(100));
          tls.shutdown();
        } catch (const sslpp::ssl_error& e) {
          first_message = e.what();
        }
      },
      2);
  const auto client = psk_client("c", key_hex);
  const std::string client_message = failure_of(
      [&] { client.wrap_socket(sslpp::tcp_socket::connect("127.0.0.1", server.port()), "localhost"); });
  auto tls = client.wrap_socket(sslpp::tcp_socket::connect("127.0.0.1", server.port()), "localhost");
  feat::round_trip(tls);
  server.join();
  CHECK_THAT(first_message, Contains("the PSK server callback threw: key store offline"));
  CHECK_THAT(client_message, Contains("INTERNAL_ERROR"));
}

TEST_CASE("a PSK client callback that throws, refuses or answers too long fails the handshake saying which",
          "[psk][attack]") {
  struct answer {
    std::function<sslpp::psk_credentials()> make;
    std::string expected;
  };
  const std::vector<answer> answers{
      {[]() -> sslpp::psk_credentials { throw std::runtime_error("no key for you"); },
       "the PSK client callback threw: no key for you"},
      {[] { return sslpp::psk_credentials{"c", {}}; }, "returned an empty key"},
      {[] { return sslpp::psk_credentials{std::string(129, 'i'), bytes_of(key_hex)}; },
       "is 129 bytes long; this backend sends at most 128"},
      {[] { return sslpp::psk_credentials{std::string("a\0b", 3), bytes_of(key_hex)}; }, "contains a NUL byte"},
      {[] { return sslpp::psk_credentials{"c", std::vector<std::byte>(257, std::byte{1})}; },
       "is 257 bytes long; this backend takes at most 256"},
  };
  for (const auto& a : answers) {
    auto calls = std::make_shared<std::atomic<int>>(0);
    std::string server_message;
    auto server = feat::failing_server(psk_server("c", key_hex, std::nullopt, calls), server_message);
    auto ctx = test::client_context_trusting_root();
    ctx.set_psk_client_callback([&](std::optional<std::string_view>) { return a.make(); });
    const std::string message =
        failure_of([&] { ctx.wrap_socket(sslpp::tcp_socket::connect("127.0.0.1", server.port()), "localhost"); });
    server.join();
    INFO(message);
    CHECK_THAT(message, Contains(a.expected) && Contains("PSK_IDENTITY_NOT_FOUND"));
    CHECK(*calls == 0);  // nothing reached the server's callback
  }
}

TEST_CASE("PSK is never used without a callback: a client and a server that only enable the suites",
          "[psk][attack]") {
  // The server enables the PSK suites but has no callback: it must not pick one.
  auto sctx = test::server_context_with();
  sctx.set_ciphers("PSK:ECDHE-ECDSA-AES128-GCM-SHA256");
  sctx.set_maximum_version(sslpp::tls_version::tlsv1_2);
  auto server = feat::echo_server(sctx);
  auto client = psk_client("c", key_hex);  // offers PSK suites and the certificate ones
  {
    auto tls = feat::connect(client, server.port());
    feat::round_trip(tls);
    server.join();
    CHECK(tls.cipher()->name == "ECDHE-ECDSA-AES128-GCM-SHA256");
    CHECK(tls.getpeercert().has_value());  // and the certificate was verified
  }

  // A client that enables only PSK suites but has no callback offers none of them.
  std::uint16_t port = 0;
  auto peer = openssl_psk_server({"-psk", key_hex, "-tls1_2"}, port);
  auto bare = test::client_context_trusting_root();
  bare.set_ciphers("PSK");
  bare.set_maximum_version(sslpp::tls_version::tlsv1_2);
  const std::string message = failure_of([&] { feat::connect(bare, port); });
  CHECK_FALSE(message.empty());
  CHECK_THAT(message, !Contains("PSK_IDENTITY"));

  // A callback set and then removed (Python's None) leaves none.
  auto removed = psk_client("Client_identity", key_hex);
  removed.set_psk_client_callback(nullptr);
  removed.set_ciphers("PSK");
  CHECK_FALSE(failure_of([&] { feat::connect(removed, port); }).empty());
  auto kept = psk_client("Client_identity", key_hex);  // the control: with it, the same server is reached
  auto tls = feat::connect(kept, port);
  CHECK_THAT(tls.cipher()->name, Contains("PSK"));
}

// --- openssl ---

TEST_CASE("sslpp's PSK client reaches openssl s_server -psk -nocert -tls1_2", "[psk][openssl]") {
  for (const std::string suite : {"", "PSK-AES128-CBC-SHA", "ECDHE-PSK-AES256-CBC-SHA"}) {
    std::uint16_t port = 0;
    std::vector<std::string> args{"-psk", key_hex, "-psk_identity", "sensor-9", "-psk_hint", "from-openssl", "-tls1_2"};
    if (!suite.empty()) args.insert(args.end(), {"-cipher", suite});
    auto peer = openssl_psk_server(args, port);
    auto hint = std::make_shared<std::optional<std::string>>();
    auto client = psk_client("sensor-9", key_hex, hint);
    if (suite == "PSK-AES128-CBC-SHA") client.set_ciphers("PSK");
    auto tls = feat::connect(client, port);
    tls.sendall("hello psk\n");
    INFO(suite);
    CHECK(peer->wait_for_output("hello psk"));
    CHECK_THAT(tls.cipher()->name, Contains("PSK"));
    if (!suite.empty()) CHECK(tls.cipher()->name == suite);
    CHECK(*hint == std::optional<std::string>("from-openssl"));
  }
}

TEST_CASE("sslpp's PSK client with a wrong key against openssl s_server fails saying so", "[psk][openssl][attack]") {
  std::uint16_t port = 0;
  auto peer = openssl_psk_server({"-psk", key_hex, "-tls1_2"}, port);
  const std::string message = failure_of([&] {
    auto tls = feat::connect(psk_client("Client_identity", other_hex), port);
    tls.read(10);
  });
  CHECK_THAT(message, Contains("wrong PSK"));
}

TEST_CASE("a PSK client raised back to TLS 1.3 meeting a TLS 1.3 server says TLS 1.3 has no PSK here",
          "[psk][openssl]") {
  std::uint16_t port = 0;
  auto peer = openssl_psk_server({"-psk", key_hex}, port);  // TLS 1.3 allowed: it picks 1.3
  auto client = psk_client("Client_identity", key_hex);
  client.set_maximum_version(sslpp::tls_version::tlsv1_3);
  const std::string message = failure_of([&] {
    auto tls = feat::connect(client, port);
    tls.read(10);
  });
  CHECK_THAT(message, Contains("no TLS 1.3 external PSK"));
}

TEST_CASE("openssl s_client -psk -tls1_2 reaches sslpp's PSK server", "[psk][openssl]") {
  auto calls = std::make_shared<std::atomic<int>>(0);
  auto sctx = psk_server("gateway", key_hex, "sslpp-hint", calls);
  std::string got;
  auto server = test::server_thread([&](sslpp::tcp_socket sock) {
    auto tls = sctx.wrap_socket(std::move(sock));
    got = tls.cipher()->name;
    tls.sendall("done\n");
    tls.shutdown();
  });
  test::child peer({"openssl", "s_client", "-connect", "127.0.0.1:" + std::to_string(server.port()), "-psk", key_hex,
                    "-psk_identity", "gateway", "-tls1_2"});
  REQUIRE(peer.wait_for_output("done"));
  peer.close_stdin();
  peer.wait();
  server.join();
  CHECK_THAT(got, Contains("PSK"));
  CHECK(*calls == 1);
  CHECK_THAT(peer.output(), Contains("PSK identity hint: sslpp-hint"));
}

TEST_CASE("openssl s_client with an identity longer than 128 bytes is refused before the callback",
          "[psk][openssl][attack]") {
  auto calls = std::make_shared<std::atomic<int>>(0);
  std::string server_message;
  auto server = feat::failing_server(psk_server("gateway", key_hex, std::nullopt, calls), server_message);
  test::child peer({"openssl", "s_client", "-connect", "127.0.0.1:" + std::to_string(server.port()), "-psk", key_hex,
                    "-psk_identity", std::string(200, 'x'), "-tls1_2"});
  server.join();
  peer.close_stdin();
  peer.wait();
  CHECK(*calls == 0);
  CHECK_THAT(server_message, Contains("longer than 128 bytes"));
}

TEST_CASE("openssl s_client -psk without a PSK callback on the server gets no PSK suite", "[psk][openssl][attack]") {
  auto sctx = test::server_context_with();
  sctx.set_ciphers("PSK");  // the suites, but no callback
  std::string server_message;
  auto server = feat::failing_server(sctx, server_message);
  test::child peer({"openssl", "s_client", "-connect", "127.0.0.1:" + std::to_string(server.port()), "-psk", key_hex,
                    "-tls1_2", "-cipher", "PSK"});
  server.join();
  peer.close_stdin();
  peer.wait();
  CHECK_THAT(server_message, Contains("NO_SHARED_CIPHER"));
}
