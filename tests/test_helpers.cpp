// Module-level helpers: get_server_certificate (against openssl s_server, compared with
// python3's), channel bindings (tls-unique against python3, tls-exporter against openssl
// s_client's exported keying material), rand_bytes and the has_* / version constants.
#include "features_support.hpp"

#include <cctype>

namespace {

std::string hex(const std::vector<std::byte>& b) {
  static const char* digits = "0123456789abcdef";
  std::string s;
  for (std::byte x : b) {
    s += digits[static_cast<unsigned>(x) >> 4];
    s += digits[static_cast<unsigned>(x) & 15];
  }
  return s;
}

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

TEST_CASE("get_server_certificate returns the PEM openssl s_server presents as Python does", "[helpers][openssl]") {
  std::uint16_t port = 0;
  auto peer = feat::openssl_server({}, port);
  const std::string pem = sslpp::get_server_certificate("127.0.0.1", port);
  CHECK(pem == feat::pem_of("leaf-ecdsa.pem"));
  CHECK(sslpp::get_server_certificate("localhost", port, {.ca_certs = test::pki("ca.pem"),
                                                          .timeout = std::chrono::seconds(5)}) == pem);
  test::child py({test::python(), "-c",
                  "import ssl,sys\nprint(ssl.get_server_certificate(('127.0.0.1', int(sys.argv[1]))), end='')",
                  std::to_string(port)});
  REQUIRE(py.wait() == 0);
  CHECK(py.output() == pem);
  CHECK_THROWS_AS(sslpp::get_server_certificate("localhost", port, {.ca_certs = test::pki("other-ca.pem")}),
                  sslpp::cert_verification_error);
}

TEST_CASE("get_server_certificate reports refused connections and timeouts", "[helpers]") {
  CHECK_THROWS_AS(sslpp::get_server_certificate("127.0.0.1", test::closed_port().port()), std::system_error);
  // A listener that accepts and never answers: the handshake times out.
  auto silent = sslpp::tcp_listener::listen("127.0.0.1", 0);
  const auto start = std::chrono::steady_clock::now();
  CHECK_THROWS_WITH(sslpp::get_server_certificate("127.0.0.1", silent.port(), {.timeout = std::chrono::milliseconds(300)}),
                    Catch::Contains("timed out"));
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
}

TEST_CASE("tls-unique matches python3's on TLS 1.2 and does not exist on TLS 1.3", "[helpers][python]") {
  std::uint16_t port = 0;
  auto peer = feat::python_server("\"max\": \"TLSv1_2\"", port);
  auto client = test::client_context_trusting_root();
  auto tls = feat::connect(client, port);
  const auto unique = tls.get_channel_binding("tls-unique");
  REQUIRE(unique);
  CHECK(unique->size() == 12);  // the Finished message's verify_data
  feat::round_trip(tls);
  CHECK_THAT(peer->wait_for_line("INFO"), Catch::Contains("\"tls_unique\": \"" + hex(*unique) + "\""));
  CHECK(tls.get_channel_binding("tls-exporter"));  // BoringSSL always negotiates the extended master secret

  auto server = feat::echo_server(test::server_context_with());
  auto tls13 = feat::connect(client, server.port());
  CHECK_FALSE(tls13.get_channel_binding("tls-unique").has_value());
  CHECK_FALSE(tls13.get_channel_binding().has_value());  // tls-unique is the default, as in Python
  feat::round_trip(tls13);
  server.join();
}

TEST_CASE("tls-exporter equals openssl s_client's exported keying material", "[helpers][openssl]") {
  std::optional<std::vector<std::byte>> ours;
  auto server = test::server_thread([&](sslpp::tcp_socket sock) {
    auto tls = test::server_context_with().wrap_socket(std::move(sock));
    ours = tls.get_channel_binding("tls-exporter");
    tls.sendall("done\n");
    tls.shutdown();
  });
  test::child peer({"openssl", "s_client", "-connect", "127.0.0.1:" + std::to_string(server.port()), "-CAfile",
                    test::pki("ca.pem"), "-keymatexport", "EXPORTER-Channel-Binding", "-keymatexportlen", "32"});
  REQUIRE(peer.wait_for_output("done"));
  peer.close_stdin();
  peer.wait();
  server.join();
  REQUIRE(ours);
  REQUIRE(ours->size() == 32);
  CHECK_THAT(peer.output(), Catch::Contains("Keying material: " + upper(hex(*ours))));
}

TEST_CASE("channel bindings agree on both ends and are absent before the handshake", "[helpers]") {
  std::optional<std::vector<std::byte>> server_side;
  auto server = feat::echo_server(test::server_context_with(),
                                  [&](auto& tls) { server_side = tls.get_channel_binding("tls-exporter"); });
  auto client = test::client_context_trusting_root();
  auto tls = client.wrap_socket(sslpp::tcp_socket::connect("127.0.0.1", server.port()), "localhost",
                                {.do_handshake_on_connect = false});
  CHECK_FALSE(tls.get_channel_binding("tls-exporter").has_value());
  CHECK_THROWS_AS(tls.get_channel_binding("tls-server-end-point"), std::invalid_argument);
  CHECK_THROWS_WITH(tls.get_channel_binding("bogus"), Catch::Contains("'bogus'"));
  tls.do_handshake();
  const auto client_side = tls.get_channel_binding("tls-exporter");
  feat::round_trip(tls);
  server.join();
  REQUIRE(client_side);
  CHECK(client_side == server_side);
}

TEST_CASE("rand_bytes and the module constants", "[helpers]") {
  const auto a = sslpp::rand_bytes(32), b = sslpp::rand_bytes(32);
  CHECK(a.size() == 32);
  CHECK(a != b);
  CHECK(sslpp::rand_bytes(0).empty());
  STATIC_REQUIRE(sslpp::has_sni);
  STATIC_REQUIRE(sslpp::has_alpn);
  STATIC_REQUIRE(sslpp::has_tlsv1_3);
  CHECK_THAT(std::string(sslpp::openssl_version), Catch::Contains("BoringSSL"));
  CHECK(sslpp::openssl_version_number >= 0x10101000UL);
  CHECK(sslpp::channel_binding_types.size() == 2);
  CHECK(sslpp::channel_binding_types[0] == "tls-unique");
  CHECK(sslpp::channel_binding_types[1] == "tls-exporter");
}
