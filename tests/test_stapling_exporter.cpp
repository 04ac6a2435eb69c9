// Beyond Python on the wire (API.md §9): OCSP stapling, Certificate Transparency SCTs,
// keying material exporters, and RFC 7301's answer to an ALPN list with nothing in common.
// Against openssl s_server / s_client, bssl-tool and python3, with real OCSP responses made
// by `openssl ocsp` for the test PKI at test time (tests/pki/ocsp_response.sh).
#include "features_support.hpp"

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace {

using bytes = std::vector<std::byte>;

bytes read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string s((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto* p = reinterpret_cast<const std::byte*>(s.data());
  return bytes(p, p + s.size());
}
void write_bytes(const std::string& path, const bytes& b) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
}
bytes as_bytes(std::string_view s) {
  const auto* p = reinterpret_cast<const std::byte*>(s.data());
  return bytes(p, p + s.size());
}
std::string hex(const bytes& b) {
  static const char* digits = "0123456789ABCDEF";
  std::string out;
  for (std::byte x : b) {
    out += digits[std::to_integer<int>(x) >> 4];
    out += digits[std::to_integer<int>(x) & 15];
  }
  return out;
}

// scratch: a file name in this process's own scratch directory (removed at exit).
std::string scratch(const std::string& name) {
  struct directory {
    std::string path = "/tmp/sslpp-stapling-" + std::to_string(::getpid());
    directory() {
      if (std::system(("mkdir -p '" + path + "'").c_str()) != 0) throw std::runtime_error("cannot make " + path);
    }
    ~directory() { [[maybe_unused]] int rc = std::system(("rm -rf '" + path + "'").c_str()); }
  };
  static const directory dir;
  return dir.path + "/" + name;
}

// ocsp_file: a real OCSP response about PKI certificate `cert` ("good" or "revoked"),
// made once per process by `openssl ocsp`, signed by the intermediate CA that issued it.
std::string ocsp_file(const std::string& cert = "leaf-ecdsa.pem", const std::string& status = "good") {
  static std::mutex m;
  std::lock_guard<std::mutex> lock(m);
  const std::string out = scratch("ocsp-" + cert + "-" + status + ".der");
  if (std::ifstream(out).good()) return out;
  std::string dir = test::pki("");
  dir.pop_back();
  const std::string cmd = "'" + std::string(SSLPP_SOURCE_DIR) + "/tests/pki/ocsp_response.sh' '" + dir + "' '" + cert +
                          "' '" + out + "' " + status;
  if (std::system(cmd.c_str()) != 0) throw std::runtime_error("failed: " + cmd);
  return out;
}

// openssl_ocsp_check: what `openssl ocsp` says of response bytes for `cert` ("...: good").
std::string openssl_ocsp_check(const bytes& response, const std::string& cert = "leaf-ecdsa.pem") {
  static int n = 0;
  const std::string path = scratch("received-" + std::to_string(n++) + ".der");
  write_bytes(path, response);
  test::child c({"openssl", "ocsp", "-respin", path, "-CAfile", test::pki("chain.pem"), "-issuer",
                 test::pki("intermediate.pem"), "-cert", test::pki(cert)});
  c.wait();
  return c.output();
}

// An SCT (RFC 6962 §3.2) with the right framing and made-up contents: version 0, a log id,
// a timestamp, no extensions, an "ECDSA with SHA-256" signature of `sig_len` bytes.
bytes fake_sct(std::uint8_t fill, std::size_t sig_len = 70) {
  bytes b;
  b.push_back(std::byte{0});                                     // v1
  for (int i = 0; i < 32; ++i) b.push_back(std::byte{fill});     // log id
  for (int i = 0; i < 8; ++i) b.push_back(std::byte(0x01 + i));  // timestamp
  b.push_back(std::byte{0});
  b.push_back(std::byte{0});  // extensions
  b.push_back(std::byte{4});
  b.push_back(std::byte{3});  // sha256, ecdsa
  b.push_back(std::byte(sig_len >> 8));
  b.push_back(std::byte(sig_len & 0xFF));
  for (std::size_t i = 0; i < sig_len; ++i) b.push_back(std::byte(fill ^ i));
  return b;
}
// sct_list: a SignedCertificateTimestampList of `scts`.
bytes sct_list(const std::vector<bytes>& scts) {
  bytes body;
  for (const auto& s : scts) {
    body.push_back(std::byte(s.size() >> 8));
    body.push_back(std::byte(s.size() & 0xFF));
    body.insert(body.end(), s.begin(), s.end());
  }
  bytes out{std::byte(body.size() >> 8), std::byte(body.size() & 0xFF)};
  out.insert(out.end(), body.begin(), body.end());
  return out;
}
const bytes& two_scts() {
  static const bytes list = sct_list({fake_sct(0xA1), fake_sct(0xB2, 71)});
  return list;
}

sslpp::client_context pinned_client(sslpp::tls_version v) {
  auto c = test::client_context_trusting_root();
  c.set_maximum_version(v);
  c.set_minimum_version(v);
  return c;
}

// One connection to an sslpp server made with `sctx`: the client's view after a round
// trip, with `look` run on the server's stream.
struct seen_by_client {
  std::optional<bytes> ocsp, scts;
};
seen_by_client connect_and_look(const sslpp::server_context& sctx, const sslpp::client_context& cctx,
                                std::function<void(sslpp::stream<sslpp::tcp_socket>&)> look = {}) {
  auto server = feat::echo_server(sctx, look);
  auto tls = feat::connect(cctx, server.port());
  seen_by_client out{tls.ocsp_response(), tls.signed_cert_timestamps()};
  feat::round_trip(tls);
  server.join();
  return out;
}

const char* version_name(sslpp::tls_version v) { return v == sslpp::tls_version::tlsv1_3 ? "1.3" : "1.2"; }

// sans-IO: a client and a server ssl_object with their buffers.
struct object_pair {
  sslpp::memory_bio c_in, c_out, s_in, s_out;
  sslpp::ssl_object client, server;
  object_pair(const sslpp::client_context& cctx, const sslpp::server_context& sctx)
      : client(cctx.wrap_bio(c_in, c_out, "localhost")), server(sctx.wrap_bio(s_in, s_out)) {}
  void handshake() {
    for (int round = 0; round < 10; ++round) {
      int done = 0;
      for (auto* o : {&client, &server}) {
        try {
          o->do_handshake();
          ++done;
        } catch (const sslpp::want_read_error&) {
        }
      }
      s_in.write(c_out.read());
      c_in.write(s_out.read());
      if (done == 2) return;
    }
    FAIL("the handshake did not finish in 10 rounds");
  }
};

}  // namespace

// ---------------------------------------------------------------- OCSP stapling

TEST_CASE("a real OCSP response stapled by sslpp reaches an sslpp client byte for byte", "[ocsp]") {
  const bytes response = read_bytes(ocsp_file());
  REQUIRE(response.size() > 100);
  auto sctx = test::server_context_with();
  sctx.set_ocsp_response(response);
  for (auto v : {sslpp::tls_version::tlsv1_2, sslpp::tls_version::tlsv1_3}) {
    INFO("TLS " << version_name(v));
    auto cctx = pinned_client(v);
    CHECK_FALSE(cctx.ocsp_stapling());
    cctx.set_ocsp_stapling(true);
    CHECK(cctx.ocsp_stapling());
    std::optional<bytes> on_server = bytes{std::byte{1}};
    const auto seen = connect_and_look(sctx, cctx, [&](auto& tls) { on_server = tls.ocsp_response(); });
    REQUIRE(seen.ocsp.has_value());
    CHECK(*seen.ocsp == response);
    CHECK_FALSE(on_server.has_value());  // a server receives no response
    // The bytes are the real thing: openssl verifies the responder and reads the status.
    const std::string check = openssl_ocsp_check(*seen.ocsp);
    CHECK_THAT(check, Catch::Contains("Response verify OK") && Catch::Contains("leaf-ecdsa.pem: good"));
  }
}

TEST_CASE("a client that asks for OCSP and gets none sees nullopt, and one that does not ask gets none", "[ocsp]") {
  auto plain = test::server_context_with();
  auto stapling = test::server_context_with();
  stapling.set_ocsp_response(read_bytes(ocsp_file()));
  auto asking = test::client_context_trusting_root();
  asking.set_ocsp_stapling(true);
  auto not_asking = test::client_context_trusting_root();
  CHECK_FALSE(connect_and_look(plain, asking).ocsp.has_value());
  CHECK_FALSE(connect_and_look(stapling, not_asking).ocsp.has_value());
  // Turned off again, the client stops asking: the server sends nothing unasked.
  asking.set_ocsp_stapling(false);
  CHECK_FALSE(connect_and_look(stapling, asking).ocsp.has_value());
}

TEST_CASE("openssl s_client -status reads the OCSP response an sslpp server staples", "[ocsp][openssl]") {
  auto sctx = test::server_context_with();
  sctx.set_ocsp_response(read_bytes(ocsp_file()));
  for (const char* v : {"-tls1_2", "-tls1_3"}) {
    INFO(v);
    auto server = feat::echo_server(sctx);
    test::child peer({"openssl", "s_client", "-connect", "127.0.0.1:" + std::to_string(server.port()), "-status", v,
                      "-CAfile", test::pki("ca.pem"), "-servername", "localhost"});
    peer.write_stdin("ping\n");
    peer.wait_for_line("ping");
    peer.close_stdin();
    peer.wait();
    server.join();
    const std::string out = peer.output();
    CHECK_THAT(out, Catch::Contains("OCSP Response Status: successful") && Catch::Contains("Cert Status: good") &&
                        Catch::Contains("Serial Number: " + sslpp::certificate::load(test::pki("leaf-ecdsa.pem")).serial_number()));
  }
}

TEST_CASE("an sslpp client reads the OCSP response openssl s_server and bssl-tool staple", "[ocsp][openssl][bssl]") {
  const std::string file = ocsp_file();
  const bytes response = read_bytes(file);
  auto cctx = test::client_context_trusting_root();
  cctx.set_ocsp_stapling(true);
  SECTION("openssl s_server -status_file, TLS 1.2 and 1.3") {
    for (const char* v : {"-tls1_2", "-tls1_3"}) {
      INFO(v);
      std::uint16_t port = 0;
      auto peer = feat::openssl_server({"-status_file", file, v}, port);
      auto tls = feat::connect(cctx, port);
      REQUIRE(tls.ocsp_response().has_value());
      CHECK(*tls.ocsp_response() == response);
    }
  }
  SECTION("bssl-tool server -ocsp-response") {
    std::uint16_t port = 0;
    // -loop: one connection for each TLS version.
    test::child peer = test::serve_on_free_port(
        [&](std::uint16_t p) {
          return std::vector<std::string>{"bssl-tool", "server", "-accept", std::to_string(p), "-loop", "-cert",
                                          test::pki("fullchain-ecdsa.pem"), "-key", test::pki("leaf-ecdsa.key"),
                                          "-ocsp-response", file};
        },
        port);
    for (auto v : {sslpp::tls_version::tlsv1_2, sslpp::tls_version::tlsv1_3}) {
      INFO("TLS " << version_name(v));
      auto c = pinned_client(v);
      c.set_ocsp_stapling(true);
      auto tls = feat::connect(c, port);
      CHECK(tls.ocsp_response() == response);
    }
  }
}

TEST_CASE("bssl-tool client sees the OCSP staple and SCT list of an sslpp server", "[ocsp][ct][bssl]") {
  auto sctx = test::server_context_with();
  sctx.set_ocsp_response(read_bytes(ocsp_file()));
  sctx.set_signed_cert_timestamp_list(two_scts());
  for (bool ask : {true, false}) {
    INFO("bssl-tool asks: " << ask);
    auto server = feat::echo_server(sctx);
    std::vector<std::string> argv{"bssl-tool", "client", "-connect", "127.0.0.1:" + std::to_string(server.port()),
                                  "-server-name", "localhost", "-root-certs", test::pki("ca.pem")};
    if (ask) {
      argv.push_back("-ocsp-stapling");
      argv.push_back("-signed-certificate-timestamps");
    }
    test::child peer(argv);
    peer.write_stdin("ping\n");
    const std::string staple = peer.wait_for_line("OCSP staple:");
    const std::string sct = peer.wait_for_line("SCT list:");
    peer.wait_for_line("ping");
    peer.close_stdin();
    peer.wait();
    server.join();
    CHECK_THAT(staple, Catch::EndsWith(ask ? "yes" : "no"));
    CHECK_THAT(sct, Catch::EndsWith(ask ? "yes" : "no"));
  }
}

TEST_CASE("set_ocsp_response refuses bytes that are not a DER OCSP response and keeps the old one", "[ocsp][bad_input]") {
  const bytes response = read_bytes(ocsp_file());
  auto sctx = test::server_context_with();
  sctx.set_ocsp_response(response);
  CHECK_THROWS_WITH(sctx.set_ocsp_response(bytes{}), Catch::Contains("empty") && Catch::Contains("openssl ocsp"));
  // PEM / base64 text, or a file name passed by mistake.
  CHECK_THROWS_WITH(sctx.set_ocsp_response(as_bytes("-----BEGIN OCSP RESPONSE-----\nMIIB...")),
                    Catch::Contains("not a DER OCSPResponse") && Catch::Contains("PEM"));
  CHECK_THROWS_AS(sctx.set_ocsp_response(as_bytes(ocsp_file())), std::invalid_argument);
  // A DER SEQUENCE followed by more bytes, and one cut short.
  bytes trailing = response;
  trailing.push_back(std::byte{0});
  CHECK_THROWS_WITH(sctx.set_ocsp_response(trailing), Catch::Contains("not a DER OCSPResponse"));
  CHECK_THROWS_AS(sctx.set_ocsp_response(bytes(response.begin(), response.end() - 1)), std::invalid_argument);
  auto cctx = test::client_context_trusting_root();
  cctx.set_ocsp_stapling(true);
  CHECK(connect_and_look(sctx, cctx).ocsp == response);
}

TEST_CASE("the OCSP response set before load_cert_chain is still stapled, and a new one replaces it", "[ocsp]") {
  auto sctx = sslpp::context_for(sslpp::protocol::tls_server);
  const bytes first = read_bytes(ocsp_file());
  sctx.set_ocsp_response(first);
  sctx.load_cert_chain(test::pki("fullchain-ecdsa.pem"), test::pki("leaf-ecdsa.key"));
  auto cctx = test::client_context_trusting_root();
  cctx.set_ocsp_stapling(true);
  CHECK(connect_and_look(sctx, cctx).ocsp == first);
  const bytes second = read_bytes(ocsp_file("leaf-ecdsa.pem", "revoked"));
  sctx.set_ocsp_response(second);
  CHECK(connect_and_look(sctx, cctx).ocsp == second);
}

TEST_CASE("an SNI callback's use_context staples the other site's OCSP response", "[ocsp][sni]") {
  auto sctx = test::server_context_with();
  sctx.set_ocsp_response(read_bytes(ocsp_file()));
  auto other = test::server_context_with("fullchain-wronghost.pem", "wronghost.key");
  const bytes other_response = read_bytes(ocsp_file("wronghost.pem"));
  other.set_ocsp_response(other_response);
  sctx.set_sni_callback([other](sslpp::sni_request& r) {
    if (r.server_name() == "wrong.example") r.use_context(other);
  });
  auto server = feat::echo_server(sctx);
  auto cctx = test::client_context_trusting_root();
  cctx.set_ocsp_stapling(true);
  auto tls = feat::connect(cctx, server.port(), "wrong.example");
  CHECK(tls.ocsp_response() == other_response);
  CHECK_THAT(openssl_ocsp_check(*tls.ocsp_response(), "wronghost.pem"), Catch::Contains("wronghost.pem: good"));
  feat::round_trip(tls);
  server.join();
}

TEST_CASE("sslpp passes a stapled OCSP response through without trusting it", "[ocsp][attack]") {
  // A server may staple a response for another certificate, or one that says its own is
  // revoked: sslpp validates neither (documented on ocsp_response()); the handshake
  // succeeds on the certificate's own verification, and the application gets the exact
  // bytes to judge.
  auto cctx = test::client_context_trusting_root();
  cctx.set_ocsp_stapling(true);
  SECTION("a response about another certificate") {
    auto sctx = test::server_context_with();
    const bytes foreign = read_bytes(ocsp_file("wronghost.pem"));
    sctx.set_ocsp_response(foreign);
    const auto seen = connect_and_look(sctx, cctx);
    REQUIRE(seen.ocsp == foreign);
    // An OCSP checker sees that it is not about the certificate that was presented.
    CHECK_THAT(openssl_ocsp_check(*seen.ocsp), !Catch::Contains("leaf-ecdsa.pem: good"));
  }
  SECTION("a response saying the certificate is revoked") {
    auto sctx = test::server_context_with();
    const bytes revoked = read_bytes(ocsp_file("leaf-ecdsa.pem", "revoked"));
    sctx.set_ocsp_response(revoked);
    const auto seen = connect_and_look(sctx, cctx);
    REQUIRE(seen.ocsp == revoked);
    CHECK_THAT(openssl_ocsp_check(*seen.ocsp), Catch::Contains("leaf-ecdsa.pem: revoked"));
  }
  SECTION("asking for a staple weakens nothing: a certificate that does not verify still fails") {
    auto sctx = test::server_context_with("fullchain-wronghost.pem", "wronghost.key");
    sctx.set_ocsp_response(read_bytes(ocsp_file("wronghost.pem")));
    std::string message;
    auto server = feat::failing_server(sctx, message);
    CHECK_THROWS_AS(feat::connect(cctx, server.port(), "localhost"), sslpp::cert_verification_error);
    server.join();
  }
}

TEST_CASE("a resumed connection reports the OCSP response of the handshake that made its session", "[ocsp][sessions]") {
  auto sctx = test::server_context_with();
  const bytes response = read_bytes(ocsp_file());
  sctx.set_ocsp_response(response);
  for (auto v : {sslpp::tls_version::tlsv1_2, sslpp::tls_version::tlsv1_3}) {
    INFO("TLS " << version_name(v));
    auto cctx = pinned_client(v);
    cctx.set_ocsp_stapling(true);
    auto server = feat::echo_server(sctx, {}, 2);
    sslpp::session s;
    {
      auto tls = feat::connect(cctx, server.port());
      feat::round_trip(tls);  // the read takes in a TLS 1.3 ticket
      s = tls.session();
    }
    REQUIRE(s);
    auto tls = feat::connect(cctx, server.port(), "localhost", {.session = s});
    CHECK(tls.session_reused());
    CHECK(tls.ocsp_response() == response);
    feat::round_trip(tls);
    server.join();
  }
}

// ---------------------------------------------------------------- Certificate Transparency

TEST_CASE("SCTs set on an sslpp server reach an sslpp client byte for byte", "[ct]") {
  auto sctx = test::server_context_with();
  sctx.set_signed_cert_timestamp_list(two_scts());
  for (auto v : {sslpp::tls_version::tlsv1_2, sslpp::tls_version::tlsv1_3}) {
    INFO("TLS " << version_name(v));
    auto cctx = pinned_client(v);
    CHECK_FALSE(cctx.signed_cert_timestamps());
    cctx.set_signed_cert_timestamps(true);
    CHECK(cctx.signed_cert_timestamps());
    std::optional<bytes> on_server = bytes{std::byte{1}};
    const auto seen = connect_and_look(sctx, cctx, [&](auto& tls) { on_server = tls.signed_cert_timestamps(); });
    CHECK(seen.scts == two_scts());
    CHECK_FALSE(seen.ocsp.has_value());
    CHECK_FALSE(on_server.has_value());
  }
}

TEST_CASE("a client that asks for SCTs and gets none sees nullopt, and one that does not ask gets none", "[ct]") {
  auto plain = test::server_context_with();
  auto with_scts = test::server_context_with();
  with_scts.set_signed_cert_timestamp_list(two_scts());
  auto asking = test::client_context_trusting_root();
  asking.set_signed_cert_timestamps(true);
  CHECK_FALSE(connect_and_look(plain, asking).scts.has_value());
  CHECK_FALSE(connect_and_look(with_scts, test::client_context_trusting_root()).scts.has_value());
}

// serverinfo_pem: an openssl s_server -serverinfo file that answers a client asking for
// extension 18 (signed_certificate_timestamp) with `data`, in the TLS 1.2 ServerHello.
// (openssl s_server has no SCT option, but sends from such a file any extension a client
// asked for.)
std::string serverinfo_pem(const bytes& data, const std::string& name) {
  bytes info{std::byte{0}, std::byte{18}, std::byte(data.size() >> 8), std::byte(data.size() & 0xFF)};
  info.insert(info.end(), data.begin(), data.end());
  const std::string der = scratch(name + ".bin"), pem = scratch(name + ".pem");
  write_bytes(der, info);
  const std::string cmd = "(echo '-----BEGIN SERVERINFO FOR sslpp-----'; base64 -w 64 '" + der +
                          "'; echo '-----END SERVERINFO FOR sslpp-----') > '" + pem + "'";
  if (std::system(cmd.c_str()) != 0) throw std::runtime_error("failed: " + cmd);
  return pem;
}

TEST_CASE("an sslpp client reads the SCTs openssl s_server sends as serverinfo", "[ct][openssl]") {
  std::uint16_t port = 0;
  auto peer = feat::openssl_server({"-serverinfo", serverinfo_pem(two_scts(), "serverinfo-good"), "-tls1_2"}, port);
  auto cctx = test::client_context_trusting_root();
  cctx.set_signed_cert_timestamps(true);
  auto tls = feat::connect(cctx, port);
  CHECK(tls.signed_cert_timestamps() == two_scts());
}

TEST_CASE("a server sending a malformed SCT list fails the handshake instead of handing over garbage", "[ct][openssl][attack]") {
  // An empty list, and a list whose length covers less than its SCT: the client refuses
  // the ServerHello (PARSE_TLSEXT, a decode_error alert) rather than pass such bytes to the application.
  const std::vector<bytes> bad = {bytes{std::byte{0}, std::byte{0}},
                                  bytes{std::byte{0}, std::byte{2}, std::byte{0}, std::byte{5}, std::byte{1}}};
  int n = 0;
  for (const auto& list : bad) {
    INFO("malformed list " << n);
    std::uint16_t port = 0;
    auto peer = feat::openssl_server({"-serverinfo", serverinfo_pem(list, "serverinfo-bad" + std::to_string(n++)),
                                      "-tls1_2"},
                                     port);
    auto cctx = test::client_context_trusting_root();
    cctx.set_signed_cert_timestamps(true);
    CHECK_THROWS_WITH(feat::connect(cctx, port), Catch::Contains("PARSE_TLSEXT"));
    // A client that did not ask never reads the extension (the server does not send it).
    auto tls = feat::connect(test::client_context_trusting_root(), port);
    CHECK_FALSE(tls.signed_cert_timestamps().has_value());
  }
}

TEST_CASE("set_signed_cert_timestamp_list names what is wrong with a malformed list", "[ct][bad_input]") {
  auto sctx = test::server_context_with();
  sctx.set_signed_cert_timestamp_list(two_scts());
  CHECK_THROWS_WITH(sctx.set_signed_cert_timestamp_list(bytes{}), Catch::Contains("shorter than its 2-byte length"));
  CHECK_THROWS_WITH(sctx.set_signed_cert_timestamp_list(bytes{std::byte{0}, std::byte{0}}),
                    Catch::Contains("holds no SCT"));
  CHECK_THROWS_WITH(sctx.set_signed_cert_timestamp_list(sct_list({fake_sct(1), bytes{}})),
                    Catch::Contains("SCT 2 is empty"));
  bytes trailing = two_scts();
  trailing.push_back(std::byte{7});
  CHECK_THROWS_WITH(sctx.set_signed_cert_timestamp_list(trailing), Catch::Contains("1 bytes follow"));
  bytes cut = two_scts();
  cut[1] = std::byte(std::to_integer<int>(cut[1]) - 1);  // the list claims one byte less than its SCTs take
  CHECK_THROWS_WITH(sctx.set_signed_cert_timestamp_list(cut), Catch::Contains("SignedCertificateTimestampList"));
  // A bare SCT, without the list's framing.
  CHECK_THROWS_AS(sctx.set_signed_cert_timestamp_list(fake_sct(3)), std::invalid_argument);
  // The old list is still sent.
  auto cctx = test::client_context_trusting_root();
  cctx.set_signed_cert_timestamps(true);
  CHECK(connect_and_look(sctx, cctx).scts == two_scts());
}

TEST_CASE("OCSP, SCTs and the exporter on sans-IO ssl_objects", "[ocsp][ct][exporter][sans_io]") {
  auto sctx = test::server_context_with();
  const bytes response = read_bytes(ocsp_file());
  sctx.set_ocsp_response(response);
  sctx.set_signed_cert_timestamp_list(two_scts());
  auto cctx = test::client_context_trusting_root();
  cctx.set_ocsp_stapling(true);
  cctx.set_signed_cert_timestamps(true);
  object_pair p(cctx, sctx);
  CHECK_FALSE(p.client.ocsp_response().has_value());  // before the handshake
  CHECK_THROWS_WITH(p.client.export_keying_material("EXPORTER-test", 16), Catch::Contains("handshake has not completed"));
  p.handshake();
  CHECK(p.client.ocsp_response() == response);
  CHECK(p.client.signed_cert_timestamps() == two_scts());
  CHECK_FALSE(p.server.ocsp_response().has_value());
  CHECK(p.client.export_keying_material("EXPORTER-test", 48) == p.server.export_keying_material("EXPORTER-test", 48));
}

// ---------------------------------------------------------------- keying material exporters

TEST_CASE("export_keying_material gives both ends the same bytes, in TLS 1.2 and 1.3", "[exporter]") {
  auto sctx = test::server_context_with();
  const bytes ctx_bytes = as_bytes("context");
  for (auto v : {sslpp::tls_version::tlsv1_2, sslpp::tls_version::tlsv1_3}) {
    INFO("TLS " << version_name(v));
    bytes server_plain, server_ctx, server_empty_ctx;
    auto server = feat::echo_server(sctx, [&](auto& tls) {
      server_plain = tls.export_keying_material("EXPORTER-sslpp-test", 32);
      server_ctx = tls.export_keying_material("EXPORTER-sslpp-test", 32, ctx_bytes);
      server_empty_ctx = tls.export_keying_material("EXPORTER-sslpp-test", 32, bytes{});
    });
    auto tls = feat::connect(pinned_client(v), server.port());
    const bytes plain = tls.export_keying_material("EXPORTER-sslpp-test", 32);
    const bytes with_ctx = tls.export_keying_material("EXPORTER-sslpp-test", 32, ctx_bytes);
    const bytes empty_ctx = tls.export_keying_material("EXPORTER-sslpp-test", 32, bytes{});
    feat::round_trip(tls);
    server.join();
    CHECK(plain.size() == 32);
    CHECK(plain == server_plain);
    CHECK(with_ctx == server_ctx);
    CHECK(empty_ctx == server_empty_ctx);
    CHECK(plain != with_ctx);
    // TLS 1.2 tells no context from an empty one (RFC 5705); TLS 1.3 does not (RFC 8446 §7.5).
    if (v == sslpp::tls_version::tlsv1_2) CHECK(plain != empty_ctx);
    else CHECK(plain == empty_ctx);
    // Another label, another length: other bytes (a shorter export is not a prefix in TLS 1.3).
    CHECK(tls.export_keying_material("EXPORTER-other", 32) != plain);
    CHECK(tls.export_keying_material("EXPORTER-sslpp-test", 1).size() == 1);
  }
}

TEST_CASE("export_keying_material matches openssl s_client -keymatexport on the same connection", "[exporter][openssl]") {
  auto sctx = test::server_context_with();
  for (const char* v : {"-tls1_2", "-tls1_3"}) {
    INFO(v);
    bytes exported;
    auto server = feat::echo_server(sctx, [&](auto& tls) { exported = tls.export_keying_material("EXPORTER-sslpp", 40); });
    test::child peer({"openssl", "s_client", "-connect", "127.0.0.1:" + std::to_string(server.port()), v,
                      "-keymatexport", "EXPORTER-sslpp", "-keymatexportlen", "40", "-CAfile", test::pki("ca.pem"),
                      "-servername", "localhost"});
    peer.write_stdin("ping\n");
    const std::string line = peer.wait_for_line("Keying material:");
    peer.wait_for_line("ping");
    peer.close_stdin();
    peer.wait();
    server.join();
    REQUIRE(exported.size() == 40);
    CHECK_THAT(line, Catch::EndsWith(hex(exported)));
  }
}

TEST_CASE("export_keying_material matches openssl s_server -keymatexport as a client", "[exporter][openssl]") {
  for (const char* v : {"-tls1_2", "-tls1_3"}) {
    INFO(v);
    std::uint16_t port = 0;
    auto peer = feat::openssl_server({"-keymatexport", "EXPORTER-sslpp-client", "-keymatexportlen", "24", v}, port);
    auto tls = feat::connect(test::client_context_trusting_root(), port);
    const bytes exported = tls.export_keying_material("EXPORTER-sslpp-client", 24);
    tls.sendall("hello\n");
    const std::string line = peer->wait_for_line("Keying material:");
    CHECK_THAT(line, Catch::EndsWith(hex(exported)));
  }
}

TEST_CASE("exported keys differ between two connections with the same peers", "[exporter][attack]") {
  // What an exporter binds is the connection: a replayed or relayed authentication that
  // carries one connection's exported value must not fit another's, resumed or not.
  auto sctx = test::server_context_with();
  for (auto v : {sslpp::tls_version::tlsv1_2, sslpp::tls_version::tlsv1_3}) {
    INFO("TLS " << version_name(v));
    auto cctx = pinned_client(v);
    auto server = feat::echo_server(sctx, {}, 3);
    auto one = feat::connect(cctx, server.port());
    feat::round_trip(one);
    auto two = feat::connect(cctx, server.port());
    feat::round_trip(two);
    auto three = feat::connect(cctx, server.port(), "localhost", {.session = one.session()});
    feat::round_trip(three);
    server.join();
    const bytes a = one.export_keying_material("EXPORTER-sslpp", 32);
    const bytes b = two.export_keying_material("EXPORTER-sslpp", 32);
    const bytes c = three.export_keying_material("EXPORTER-sslpp", 32);
    CHECK(a != b);
    CHECK(a != c);
    CHECK(b != c);
  }
}

TEST_CASE("export_keying_material refuses bad input with a clear error", "[exporter][bad_input]") {
  auto sctx = test::server_context_with();
  SECTION("before the handshake") {
    auto server = feat::echo_server(sctx);
    auto tls = feat::connect(test::client_context_trusting_root(), server.port(), "localhost",
                             {.do_handshake_on_connect = false});
    CHECK_THROWS_AS(tls.export_keying_material("EXPORTER-x", 16), std::logic_error);
    CHECK_THROWS_WITH(tls.export_keying_material("EXPORTER-x", 16), Catch::Contains("handshake has not completed"));
    tls.do_handshake();
    CHECK(tls.export_keying_material("EXPORTER-x", 16).size() == 16);
    feat::round_trip(tls);
    server.join();
  }
  for (auto v : {sslpp::tls_version::tlsv1_2, sslpp::tls_version::tlsv1_3}) {
    DYNAMIC_SECTION("after a TLS " << version_name(v) << " handshake") {
      auto server = feat::echo_server(sctx);
      auto tls = feat::connect(pinned_client(v), server.port());
      CHECK_THROWS_WITH(tls.export_keying_material("", 16), Catch::Contains("label is empty"));
      CHECK_THROWS_WITH(tls.export_keying_material("EXPORTER-x", 0), Catch::Contains("length of 0"));
      for (const char* reserved : {"master secret", "key expansion", "client finished", "server finished",
                                   "extended master secret"})
        CHECK_THROWS_WITH(tls.export_keying_material(reserved, 16), Catch::Contains("RFC 5705 reserves"));
      if (v == sslpp::tls_version::tlsv1_3) {
        CHECK_THROWS_WITH(tls.export_keying_material(std::string(250, 'L'), 16), Catch::Contains("249 bytes"));
        CHECK(tls.export_keying_material(std::string(249, 'L'), 16).size() == 16);
        CHECK_THROWS_WITH(tls.export_keying_material("EXPORTER-x", 255 * 32 + 1),
                          Catch::Contains("at most 8160 bytes"));
        CHECK(tls.export_keying_material("EXPORTER-x", 255 * 32).size() == 255 * 32);
      } else {
        CHECK_THROWS_WITH(tls.export_keying_material("EXPORTER-x", 16, bytes(65536)), Catch::Contains("65535"));
        CHECK(tls.export_keying_material("EXPORTER-x", 16, bytes(65535)).size() == 16);
      }
      feat::round_trip(tls);
      server.join();
    }
  }
}

TEST_CASE("export_keying_material refuses a TLS 1.2 connection without the extended master secret", "[exporter][attack][python]") {
  // python3's client with OP_NO_EXTENDED_MASTER_SECRET (OpenSSL 3's bit 0): the triple
  // handshake attack could give this connection's master secret to another one.
  auto sctx = test::server_context_with();
  std::string message;
  bool got = false;
  auto server = test::server_thread([&](sslpp::tcp_socket sock) {
    auto tls = sctx.wrap_socket(std::move(sock));
    try {
      tls.export_keying_material("EXPORTER-x", 16);
      got = true;
    } catch (const std::logic_error& e) {
      message = e.what();
    }
    tls.sendall(tls.read(100));
    tls.shutdown();
  });
  const std::string script =
      "import socket, ssl\n"
      "c = ssl.create_default_context(cafile='" + test::pki("ca.pem") + "')\n"
      "c.maximum_version = ssl.TLSVersion.TLSv1_2\n"
      "c.options |= 0x1\n"
      "with c.wrap_socket(socket.create_connection(('127.0.0.1', " + std::to_string(server.port()) +
      ")), server_hostname='localhost') as s:\n"
      "    s.sendall(b'ping'); print('reply', s.recv(10))\n";
  test::child py({test::python(), "-c", script});
  CHECK(py.wait() == 0);
  server.join();
  CHECK_FALSE(got);
  CHECK_THAT(message, Catch::Contains("extended master secret") && Catch::Contains("triple handshake"));
}

// ---------------------------------------------------------------- ALPN with nothing in common

TEST_CASE("a server refuses a client whose ALPN protocols it does not accept with no_application_protocol", "[alpn]") {
  auto sctx = test::server_context_with();
  CHECK(sctx.alpn_mismatch() == sslpp::alpn_mismatch::refuse);
  sctx.set_alpn_protocols({"h2", "http/1.1"});
  for (auto v : {sslpp::tls_version::tlsv1_2, sslpp::tls_version::tlsv1_3}) {
    INFO("TLS " << version_name(v));
    std::string server_message;
    auto server = feat::failing_server(sctx, server_message);
    auto cctx = pinned_client(v);
    cctx.set_alpn_protocols({"spdy/3", "imap"});
    CHECK_THROWS_WITH(feat::connect(cctx, server.port()), Catch::Contains("NO_APPLICATION_PROTOCOL"));
    server.join();
    CHECK_THAT(server_message, Catch::Contains("NO_APPLICATION_PROTOCOL"));
  }
}

TEST_CASE("alpn_mismatch::continue_without serves the client without ALPN, as Python does", "[alpn]") {
  auto sctx = test::server_context_with();
  sctx.set_alpn_protocols({"h2"});
  sctx.set_alpn_mismatch(sslpp::alpn_mismatch::continue_without);
  CHECK(sctx.alpn_mismatch() == sslpp::alpn_mismatch::continue_without);
  std::optional<std::string> server_saw = "unset";
  auto server = feat::echo_server(sctx, [&](auto& tls) { server_saw = tls.selected_alpn_protocol(); });
  auto cctx = test::client_context_trusting_root();
  cctx.set_alpn_protocols({"imap"});
  auto tls = feat::connect(cctx, server.port());
  CHECK_FALSE(tls.selected_alpn_protocol().has_value());
  feat::round_trip(tls);
  server.join();
  CHECK_FALSE(server_saw.has_value());
  // And back: refuse again.
  sctx.set_alpn_mismatch(sslpp::alpn_mismatch::refuse);
  std::string message;
  auto refusing = feat::failing_server(sctx, message);
  CHECK_THROWS_WITH(feat::connect(cctx, refusing.port()), Catch::Contains("NO_APPLICATION_PROTOCOL"));
  refusing.join();
}

TEST_CASE("a client offering no ALPN, or a server without ALPN, is not refused", "[alpn]") {
  auto with_alpn = test::server_context_with();
  with_alpn.set_alpn_protocols({"h2"});
  auto without_alpn = test::server_context_with();
  auto offering = test::client_context_trusting_root();
  offering.set_alpn_protocols({"imap"});
  {
    auto server = feat::echo_server(with_alpn);
    auto tls = feat::connect(test::client_context_trusting_root(), server.port());
    CHECK_FALSE(tls.selected_alpn_protocol().has_value());
    feat::round_trip(tls);
    server.join();
  }
  {
    auto server = feat::echo_server(without_alpn);
    auto tls = feat::connect(offering, server.port());
    CHECK_FALSE(tls.selected_alpn_protocol().has_value());
    feat::round_trip(tls);
    server.join();
  }
}

TEST_CASE("openssl s_client -alpn with nothing in common gets the no_application_protocol alert", "[alpn][openssl]") {
  auto sctx = test::server_context_with();
  sctx.set_alpn_protocols({"h2", "http/1.1"});
  SECTION("refused by default") {
    std::string message;
    auto server = feat::failing_server(sctx, message);
    test::child peer({"openssl", "s_client", "-connect", "127.0.0.1:" + std::to_string(server.port()), "-alpn",
                      "spdy/3,imap", "-CAfile", test::pki("ca.pem"), "-servername", "localhost"});
    peer.close_stdin();
    CHECK(peer.wait() != 0);
    server.join();
    CHECK_THAT(peer.output(), Catch::Contains("no application protocol"));
    CHECK_THAT(message, Catch::Contains("NO_APPLICATION_PROTOCOL"));
  }
  SECTION("served without ALPN with continue_without") {
    sctx.set_alpn_mismatch(sslpp::alpn_mismatch::continue_without);
    auto server = feat::echo_server(sctx);
    test::child peer({"openssl", "s_client", "-connect", "127.0.0.1:" + std::to_string(server.port()), "-alpn",
                      "spdy/3,imap", "-CAfile", test::pki("ca.pem"), "-servername", "localhost"});
    peer.write_stdin("ping\n");
    peer.wait_for_line("ping");
    peer.close_stdin();
    peer.wait();
    server.join();
    CHECK_THAT(peer.output(), Catch::Contains("No ALPN negotiated"));
  }
}

TEST_CASE("an ALPN mismatch never selects a protocol the client did not offer", "[alpn][attack]") {
  // tlsfuzzer's "only http/1.X" probes: names that differ from the server's by a byte, a
  // case or a length must not match; under either setting, nothing is ever selected
  // that the client did not offer (the backend's matcher falls back to the server's first
  // protocol, which must not leak out).
  auto sctx = test::server_context_with();
  sctx.set_alpn_protocols({"http/1.1"});
  const std::vector<std::vector<std::string>> offers = {
      {"http/1.0"}, {"http/1."}, {"http/1.10"}, {"HTTP/1.1"}, {"http/1.1 "}, {std::string("http/1.1\0", 9)}};
  for (const auto& offer : offers) {
    INFO("client offers '" << offer[0] << "' (" << offer[0].size() << " bytes)");
    auto cctx = test::client_context_trusting_root();
    cctx.set_alpn_protocols(offer);
    {
      std::string message;
      auto server = feat::failing_server(sctx, message);
      CHECK_THROWS_WITH(feat::connect(cctx, server.port()), Catch::Contains("NO_APPLICATION_PROTOCOL"));
      server.join();
    }
    auto lenient = test::server_context_with();
    lenient.set_alpn_protocols({"http/1.1"});
    lenient.set_alpn_mismatch(sslpp::alpn_mismatch::continue_without);
    std::optional<std::string> server_saw = "unset";
    auto server = feat::echo_server(lenient, [&](auto& tls) { server_saw = tls.selected_alpn_protocol(); });
    auto tls = feat::connect(cctx, server.port());
    CHECK_FALSE(tls.selected_alpn_protocol().has_value());
    feat::round_trip(tls);
    server.join();
    CHECK_FALSE(server_saw.has_value());
  }
}
