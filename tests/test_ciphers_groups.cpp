// Groups, cipher listings and the trust store: set_groups and the negotiated group
// (with openssl s_server), get_ciphers compared field by field with python3's,
// shared_ciphers, security_level, get_ca_certs / cert_store_stats compared with python3's,
// get_default_verify_paths with $SSL_CERT_FILE / $SSL_CERT_DIR.
#include "features_support.hpp"

#include <algorithm>
#include <cstdlib>
#include <set>
#include <sstream>

namespace {

// The group a default server and a client with `groups` agree on (server groups optional).
std::optional<std::string> negotiated(std::initializer_list<std::string_view> client_groups,
                                      std::initializer_list<std::string_view> server_groups = {}) {
  auto sctx = test::server_context_with();
  if (server_groups.size()) sctx.set_groups(server_groups);
  std::optional<std::string> server_saw;
  auto server = feat::echo_server(sctx, [&](auto& tls) { server_saw = tls.group(); });
  auto client = test::client_context_trusting_root();
  client.set_groups(client_groups);
  auto tls = feat::connect(client, server.port());
  feat::round_trip(tls);
  server.join();
  CHECK(server_saw == tls.group());
  return tls.group();
}

// python3's get_ciphers() for a cipher string, one line per suite with the fields compared.
std::string python_ciphers(const std::string& ciphers) {
  test::child py({test::python(), "-c",
                  "import ssl,sys\n"
                  "c=ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT);c.set_ciphers(sys.argv[1])\n"
                  "for d in c.get_ciphers():\n"
                  "  print(d['name'],d['id'],d['protocol'],d['strength_bits'],d['alg_bits'],d['aead'],d['symmetric'],"
                  "d['digest'] or '-',d['kea'],d['auth'])\n",
                  ciphers});
  REQUIRE(py.wait() == 0);
  return py.output();
}

std::string line_of(const sslpp::cipher_description& d) {
  std::ostringstream s;
  s << d.name << ' ' << d.id << ' ' << d.protocol << ' ' << d.strength_bits << ' ' << d.alg_bits << ' '
    << (d.aead ? "True" : "False") << ' ' << d.symmetric << ' ' << (d.digest.empty() ? "-" : d.digest) << ' ' << d.kea
    << ' ' << d.auth << '\n';
  return s.str();
}

}  // namespace

// --- groups ---

TEST_CASE("set_groups decides the key exchange group and the stream reports it", "[groups]") {
  CHECK(negotiated({"X25519"}) == "x25519");  // the TLS registry's names, as Python 3.15's group()
  CHECK(negotiated({"P-256"}) == "secp256r1");
  CHECK(negotiated({"secp384r1"}) == "secp384r1");
  CHECK(negotiated({"x25519", "P-521"}, {"P-521"}) == "secp521r1");
}

TEST_CASE("the post-quantum hybrid CECPQ2 is negotiated between sslpp peers", "[groups]") {
  CHECK(negotiated({"CECPQ2", "X25519"}, {"CECPQ2", "X25519"}) == "CECPQ2");
}

TEST_CASE("set_groups refuses unknown names and empty lists and keeps the old setting", "[groups]") {
  auto client = test::client_context_trusting_root();
  client.set_groups({"P-384"});
  // Run-time lists: the same names as a braced list of literals do not compile (tests/compile_fail).
  CHECK_THROWS_AS(client.set_groups(std::vector<std::string>{"X25519", "X448"}), std::invalid_argument);
  CHECK_THROWS_WITH(client.set_groups(std::vector<std::string>{"X25519", "X448"}),
                    Catch::Contains("'X448'") && Catch::Contains("unknown"));
  CHECK_THROWS_WITH(client.set_groups(std::vector<std::string>{}), Catch::Contains("empty"));
  CHECK_THROWS_WITH(client.set_groups(std::vector<std::string>{""}), Catch::Contains("empty"));
  auto server = feat::echo_server(test::server_context_with());
  auto tls = feat::connect(client, server.port());
  CHECK(tls.group() == "secp384r1");
  feat::round_trip(tls);
  server.join();
  static_assert(sslpp::detail::group_fault("X25519").empty());
  static_assert(sslpp::detail::group_fault("prime256v1").empty());
  static_assert(!sslpp::detail::group_fault("X448").empty());
  static_assert(sslpp::detail::group_list_fault(std::array<std::string_view, 2>{"P-256", "ffdhe2048"}) ==
                sslpp::detail::group_fault("ffdhe2048"));
}

TEST_CASE("sslpp's groups meet openssl s_server's", "[groups][openssl]") {
  std::uint16_t port = 0;
  auto peer = feat::openssl_server({"-groups", "P-384"}, port);
  auto client = test::client_context_trusting_root();
  client.set_groups({"X25519", "P-384"});  // a HelloRetryRequest moves to P-384
  auto tls = feat::connect(client, port);
  CHECK(tls.group() == "secp384r1");
  tls.sendall("hello\n");
  CHECK(peer->wait_for_output("hello"));
}

// --- ciphers ---

TEST_CASE("get_ciphers lists the suites with the fields Python gives", "[ciphers][python]") {
  const std::string list = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-CHACHA20-POLY1305:ECDHE-ECDSA-AES256-GCM-SHA384";
  auto client = test::client_context_trusting_root();
  client.set_ciphers(list);
  const auto ciphers = client.get_ciphers();
  REQUIRE(ciphers.size() == 6);
  for (std::size_t i = 0; i < 3; ++i) {
    CHECK(ciphers[i].protocol == "TLSv1.3");
    CHECK(ciphers[i].kea == "kx-any");
    CHECK(ciphers[i].auth == "auth-any");
  }
  CHECK_THAT(ciphers[3].description, Catch::StartsWith("ECDHE-ECDSA-AES128-GCM-SHA256  TLSv1.2 Kx=ECDH     Au=ECDSA"));
  // Python (on OpenSSL) orders TLS 1.3 suites its own way; compare each suite's fields.
  const std::string python = python_ciphers(list);
  for (const auto& d : ciphers) {
    INFO(d.name);
    CHECK_THAT(python, Catch::Contains(line_of(d)));
  }
  auto tls12 = test::client_context_trusting_root();
  tls12.set_maximum_version(sslpp::tls_version::tlsv1_2);
  for (const auto& d : tls12.get_ciphers()) CHECK(d.protocol == "TLSv1.2");
}

TEST_CASE("shared_ciphers lists what the client offered and the server enables", "[ciphers]") {
  auto sctx = test::server_context_with();
  std::optional<std::vector<sslpp::cipher_info>> shared;
  auto server = feat::echo_server(sctx, [&](auto& tls) { shared = tls.shared_ciphers(); });
  auto client = test::client_context_trusting_root();
  client.set_ciphers("ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256");
  auto tls = feat::connect(client, server.port());
  CHECK_FALSE(tls.shared_ciphers().has_value());  // on a client, as in Python
  feat::round_trip(tls);
  server.join();
  REQUIRE(shared);
  std::vector<std::string> names;
  for (const auto& c : *shared) names.push_back(c.name);
  // The TLS 1.3 suites, then the two TLS 1.2 suites in the server's order.
  CHECK(names == std::vector<std::string>{"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
                                          "TLS_CHACHA20_POLY1305_SHA256", "ECDHE-RSA-AES128-GCM-SHA256",
                                          "ECDHE-ECDSA-AES256-GCM-SHA384"});
  CHECK(shared->back().protocol == "TLSv1.2");
  CHECK(shared->back().secret_bits == 256);
}

TEST_CASE("security_level is 2, Python's default (the floor itself: test_security_level)", "[ciphers]") {
  CHECK(test::client_context_trusting_root().security_level() == 2);
  CHECK(test::server_context_with().security_level() == 2);
}

// --- trust store ---

TEST_CASE("get_ca_certs and cert_store_stats count what was loaded as Python does", "[trust_store][python]") {
  auto ctx = sslpp::context_for(sslpp::protocol::tls_client);
  CHECK(ctx.get_ca_certs().empty());
  CHECK(ctx.cert_store_stats().x509 == 0);
  ctx.load_verify_locations(test::pki("chain.pem"));  // intermediate + root
  ctx.load_verify_locations(test::pki("leaf-ecdsa.pem"));  // not a CA
  const auto st = ctx.cert_store_stats();
  CHECK(st.x509 == 3);
  CHECK(st.x509_ca == 2);
  CHECK(st.crl == 0);
  const auto cas = ctx.get_ca_certs();
  REQUIRE(cas.size() == 2);
  bool has_root = false;
  for (const auto& c : cas) has_root = has_root || c.to_pem() == feat::pem_of("ca.pem");
  CHECK(has_root);
  // Python counts the same files the same way.
  test::child py({test::python(), "-c",
                  "import ssl,sys\nc=ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)\n"
                  "c.load_verify_locations(sys.argv[1]);c.load_verify_locations(sys.argv[2])\n"
                  "s=c.cert_store_stats();print('STATS',s['x509'],s['crl'],s['x509_ca'],len(c.get_ca_certs()))\n",
                  test::pki("chain.pem"), test::pki("leaf-ecdsa.pem")});
  REQUIRE(py.wait() == 0);
  CHECK_THAT(py.output(), Catch::Contains("STATS 3 0 2 2"));
}

TEST_CASE("SSL_CERT_FILE and SSL_CERT_DIR decide the default verify paths and store", "[trust_store]") {
  const std::string dir = test::pki("");
  ::setenv("SSL_CERT_FILE", test::pki("ca.pem").c_str(), 1);
  ::setenv("SSL_CERT_DIR", dir.c_str(), 1);
  const auto paths = sslpp::get_default_verify_paths();
  auto ctx = sslpp::create_default_context();  // the "system" store is now the test root
  ::unsetenv("SSL_CERT_FILE");
  ::unsetenv("SSL_CERT_DIR");
  CHECK(paths.cafile == test::pki("ca.pem"));
  CHECK(paths.capath == dir);
  CHECK(paths.openssl_cafile_env == "SSL_CERT_FILE");
  CHECK(paths.openssl_capath_env == "SSL_CERT_DIR");
  CHECK(ctx.cert_store_stats().x509_ca == 1);
  auto server = feat::echo_server(test::server_context_with());
  auto tls = feat::connect(ctx, server.port());
  feat::round_trip(tls);
  server.join();

  const auto system = sslpp::get_default_verify_paths();
  if (test::read_text("/etc/ssl/certs/ca-certificates.crt").empty()) {
    WARN("no /etc/ssl/certs/ca-certificates.crt on this machine");
  } else {
    CHECK(system.cafile == "/etc/ssl/certs/ca-certificates.crt");
    CHECK(system.capath == "/etc/ssl/certs");
    CHECK(sslpp::create_default_context().cert_store_stats().x509_ca > 50);
  }
}

TEST_CASE("the constexpr cipher string rules agree with the backend", "[ciphers]") {
  // Each string: the constexpr rules (for compile-time checks of literals) must accept
  // exactly what set_ciphers accepts.
  const char* const strings[] = {
      "ALL", "kRSA", "ECDHE", "EECDH", "ECDH", "aECDSA", "AES128", "AESGCM", "CHACHA20", "SHA1", "TLSv1.2", "HIGH",
      "FIPS", "DEFAULT", "ECDH+AESGCM", "ECDHE+AESGCM:ECDHE+CHACHA20", "[AES128|CHACHA20]", "ALL:@STRENGTH",
      "ALL@STRENGTH", "AES:", "AES::CHACHA20", "ECDHE-ECDSA-AES128-GCM-SHA256",
      "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "ECDHE:!SHA1", "ECDHE:-AES256:+CHACHA20",
      "[ECDHE-ECDSA-AES128-GCM-SHA256|ECDHE-RSA-AES128-GCM-SHA256]:AES",
      // refused
      "SHA256", "SHA384", "COMPLEMENTOFDEFAULT", "MEDIUM", "eNULL", "aNULL", "DHE", "RC4", "CAMELLIA", "AESCCM",
      "@STRENGTH", "!aNULL", "-SHA1", "+AES", "TLSv1.3", "ecdhe", "ECDHE-ECDSA-AES128-GCM-SHA256+AES", "ALL,AES",
      "ALL AES", "~AES", "@SECLEVEL=2", "ECDHE:!aNULL", "[AES128|]", "[AES128", "ECDHE++AES", ""};
  // (set_ciphers reads a run-time string leniently, as OpenSSL does: the compile-time rules
  // are compared with the backend's strict parser, which is what a literal must satisfy.)
  for (const char* s : strings) {
    INFO("cipher string '" << s << "'");
    const bool rules_accept = sslpp::detail::cipher_list_fault(s).empty();
    auto ctx = sslpp::context_for(sslpp::protocol::tls_client);
    const bool backend_accepts = SSL_CTX_set_strict_cipher_list(ctx.native_handle(), s) == 1;
    ERR_clear_error();
    CHECK(rules_accept == backend_accepts);
  }
  static_assert(sslpp::detail::cipher_list_fault("ECDHE+AESGCM:!SHA1").empty());
  static_assert(!sslpp::detail::cipher_list_fault("ECDHE:!aNULL").empty());
}

// --- cipher strings from real configurations, read at run time as OpenSSL reads them ---

namespace {

// The TLS 1.2 suite names a context enables, in order.
std::vector<std::string> tls12_names(const sslpp::client_context& ctx) {
  std::vector<std::string> out;
  for (const auto& d : ctx.get_ciphers())
    if (d.protocol != "TLSv1.3") out.push_back(d.name);
  return out;
}

// python3's (OpenSSL's) TLS 1.2 suites for a cipher string, in order, or "ERROR" when it refuses it.
std::vector<std::string> python_tls12_names(const std::string& ciphers) {
  test::child py({test::python(), "-c",
                  "import ssl,sys\n"
                  "c=ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)\n"
                  "try:\n  c.set_ciphers(sys.argv[1])\nexcept ssl.SSLError:\n  print('ERROR'); sys.exit(0)\n"
                  "for d in c.get_ciphers():\n"
                  "  if d['protocol'] != 'TLSv1.3': print(d['name'])\n",
                  ciphers});
  REQUIRE(py.wait() == 0);
  std::vector<std::string> out;
  std::istringstream lines(py.output());
  for (std::string line; std::getline(lines, line);)
    if (!line.empty()) out.push_back(line);
  return out;
}

struct real_string {
  const char* where;
  const char* text;
  bool explicit_order;  // a list of suite names: the order must be OpenSSL's too
};

// nginx's default ssl_ciphers; Apache's Debian default and its httpd-ssl.conf example; Mozilla's
// modern (v4; v5 is TLS 1.3 only) and intermediate (v5.7) profiles; CPython 3.11's default
// (Modules/_ssl.c PY_SSL_DEFAULT_CIPHER_STRING, ssl._DEFAULT_CIPHERS).
const real_string real_strings[] = {
    {"nginx default", "HIGH:!aNULL:!MD5", false},
    {"Apache (Debian ssl.conf)", "HIGH:!aNULL", false},
    {"Apache (httpd-ssl.conf)", "HIGH:MEDIUM:!MD5:!RC4:!3DES", false},
    {"Mozilla modern v4",
     "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:"
     "ECDHE-RSA-CHACHA20-POLY1305:ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
     "ECDHE-ECDSA-AES256-SHA384:ECDHE-RSA-AES256-SHA384:ECDHE-ECDSA-AES128-SHA256:ECDHE-RSA-AES128-SHA256",
     true},
    {"Mozilla intermediate v5.7",
     "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
     "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:"
     "DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:DHE-RSA-CHACHA20-POLY1305",
     true},
    {"CPython 3.11 default",
     "@SECLEVEL=2:ECDH+AESGCM:ECDH+CHACHA20:ECDH+AES:DHE+AES:!aNULL:!eNULL:!aDSS:!SHA1:!AESCCM", false},
    {"keywords", "TLSv1.2+ECDHE:!PSK:AES128,kRSA+AES", false},
};

}  // namespace

TEST_CASE("set_ciphers takes the cipher strings of real configurations as OpenSSL does", "[ciphers]") {
  // Every suite this backend has (DES-CBC3-SHA is left out of the comparison: Debian's
  // OpenSSL 3 is built without 3DES, so python3 never lists it).
  auto all = sslpp::context_for(sslpp::protocol::tls_client);
  all.set_ciphers("ALL");
  std::vector<std::string> ours_all = tls12_names(all);
  std::erase(ours_all, "DES-CBC3-SHA");
  const std::set<std::string> backend(ours_all.begin(), ours_all.end());
  for (const auto& r : real_strings) {
    INFO(r.where << ": '" << r.text << "'");
    auto ctx = sslpp::context_for(sslpp::protocol::tls_client);
    REQUIRE_NOTHROW(ctx.set_ciphers(std::string(r.text)));
    std::vector<std::string> ours = tls12_names(ctx);
    CHECK(std::find(ours.begin(), ours.end(), "DES-CBC3-SHA") == ours.end());  // e.g. OpenSSL's HIGH has no 3DES
    // OpenSSL's choice, among the suites this backend has.
    std::vector<std::string> openssl;
    for (const auto& name : python_tls12_names(r.text))
      if (backend.count(name)) openssl.push_back(name);
    if (r.explicit_order) {
      CHECK(ours == openssl);
    } else {
      CHECK(std::set<std::string>(ours.begin(), ours.end()) == std::set<std::string>(openssl.begin(), openssl.end()));
    }
  }
  // What was skipped, as written.
  auto ctx = sslpp::context_for(sslpp::protocol::tls_client);
  ctx.set_ciphers(std::string("HIGH:!aNULL:!MD5"));
  CHECK(ctx.cipher_list_skipped() == std::vector<std::string>{"!aNULL", "!MD5"});
  ctx.set_ciphers(std::string(real_strings[5].text));
  CHECK(ctx.cipher_list_skipped() ==
        std::vector<std::string>{"@SECLEVEL=2", "DHE+AES", "!aNULL", "!eNULL", "!aDSS", "!AESCCM"});
  ctx.set_ciphers("ECDHE+AESGCM");
  CHECK(ctx.cipher_list_skipped().empty());
}

TEST_CASE("set_ciphers refuses a string that leaves no usable suite and names what it skipped", "[ciphers]") {
  auto ctx = sslpp::context_for(sslpp::protocol::tls_client);
  ctx.set_ciphers("ECDHE-ECDSA-AES128-GCM-SHA256");
  const std::string nothing = "!aNULL:!MD5:DHE-RSA-AES128-GCM-SHA256:CAMELLIA";
  try {
    ctx.set_ciphers(nothing);
    FAIL("a string with no suite this backend has was accepted");
  } catch (const sslpp::ssl_error& e) {
    const std::string msg = e.what();
    CHECK_THAT(msg, Catch::StartsWith("No cipher can be selected from '" + nothing + "'"));  // Python's words
    CHECK_THAT(msg, Catch::Contains("'!aNULL', '!MD5', 'DHE-RSA-AES128-GCM-SHA256', 'CAMELLIA'"));
    CHECK(e.reason() == "NO_CIPHER_MATCH");
    CHECK(e.code().category() == sslpp::boringssl_category());
  }
  // OpenSSL, which has DHE and Camellia, takes it; but none of what it picks is here.
  auto all = sslpp::context_for(sslpp::protocol::tls_client);
  all.set_ciphers("ALL");
  const std::vector<std::string> here = tls12_names(all);
  const std::vector<std::string> openssl = python_tls12_names(nothing);
  CHECK(openssl.size() > 5);
  for (const auto& name : openssl) CHECK(std::find(here.begin(), here.end(), name) == here.end());
  // The context is unchanged.
  CHECK(tls12_names(ctx) == std::vector<std::string>{"ECDHE-ECDSA-AES128-GCM-SHA256"});
  // An element OpenSSL refuses is refused, named.
  CHECK_THROWS_WITH(ctx.set_ciphers(std::string("HIGH:@FOO")),
                    Catch::StartsWith("No cipher can be selected") && Catch::Contains("'@FOO'"));
  CHECK(python_tls12_names("HIGH:@FOO") == std::vector<std::string>{"ERROR"});
}
