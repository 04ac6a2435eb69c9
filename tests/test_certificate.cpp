// sslpp::certificate against real oracles: every field compared with what python3's
// ssl._ssl._test_decode_cert and `openssl x509` report for the same file; the formatter
// compared character for character with pprint.pformat; malformed input; the chains of
// a real connection.
#include "certs_support.hpp"

#include <sslpp/detail/pyrepr.hpp>  // the pprint model, tested on its own below

#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

namespace {

using certs_test::oracle;
using certs_test::pki;
using certs_test::run;

// Every certificate file the PKI scripts make (leaves, CAs, bundles).
const std::vector<std::string> all_files = {
    "ca.pem",          "intermediate.pem",   "leaf-ecdsa.pem",       "leaf-rsa.pem",        "expired.pem",
    "notyet.pem",      "wronghost.pem",      "cn-only.pem",          "selfsigned.pem",      "client-ca.pem",
    "client.pem",      "other-ca.pem",       "certs-many.pem",       "certs-hosts.pem",     "certs-nul.pem",
    "certs-cnonly.pem", "certs-v1.pem",      "certs-ed25519.pem",    "certs-longname.pem",
};

// `openssl x509 -in FILE -noout ARGS...` as key=value lines.
std::map<std::string, std::string> openssl_fields(const std::string& file, std::vector<std::string> args) {
  args.insert(args.begin(), {"openssl", "x509", "-in", file, "-noout"});
  std::map<std::string, std::string> out;
  for (const auto& line : certs_test::split(run(args), "\n")) {
    const auto eq = line.find('=');
    if (eq != std::string::npos) out[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return out;
}

std::string write_temp(const std::string& name, const std::string& data) {
  const std::string path = "/tmp/sslpp-certs-" + std::to_string(::getpid()) + "-" + name;
  std::ofstream(path, std::ios::binary) << data;
  return path;
}

}  // namespace

TEST_CASE("the formatter prints what pprint prints for every test certificate", "[certificate][python]") {
  std::vector<std::string> paths;
  for (const auto& f : all_files) paths.push_back(pki(f));
  std::vector<std::string> args = {"decode"};
  args.insert(args.end(), paths.begin(), paths.end());
  const auto expected = certs_test::split(oracle(args), "\n\x1e\n");
  REQUIRE(expected.size() == paths.size());
  for (std::size_t i = 0; i < paths.size(); ++i) {
    INFO(paths[i]);
    const auto cert = sslpp::certificate::load(paths[i]);
    CHECK(fmt::format("{}", cert) == expected[i]);
    CHECK(sslpp::python_text(cert) == expected[i]);
  }
}

TEST_CASE("a long attribute value wraps as pprint wraps it", "[certificate][python]") {
  const auto text = fmt::format("{}", sslpp::certificate::load(pki("certs-longname.pem")));
  CHECK_THAT(text, Catch::Contains("'a rather long attribute value made of many words so that the '\n"));
  CHECK(text == oracle({"decode", pki("certs-longname.pem")}));
}

TEST_CASE("every field of a rich certificate equals the oracles", "[certificate][openssl]") {
  const std::string file = pki("certs-many.pem");
  const auto cert = sslpp::certificate::load(file);
  auto o = openssl_fields(file, {"-serial", "-startdate", "-enddate", "-subject", "-issuer", "-nameopt",
                                 "RFC2253,-esc_msb"});
  CHECK(cert.serial_number() == o["serial"]);
  CHECK(cert.serial_number() == "A1B2C3D4E5F60718293A4B5C6D7E8F90");
  CHECK(cert.not_before_text() == o["notBefore"]);
  CHECK(cert.not_after_text() == o["notAfter"]);
  CHECK(cert.not_before() == sslpp::cert_time_to_seconds(o["notBefore"]));
  CHECK(cert.not_after() == sslpp::cert_time_to_seconds(o["notAfter"]));
  CHECK(cert.issuer().rfc4514() == o["issuer"]);
  // openssl writes an attribute known only by its OID as '#' + DER hex; sslpp as text.
  CHECK(cert.subject().rfc4514() ==
        "DC=net,DC=example,serialNumber=SN-0042,1.2.3.4.5.6=custom attribute,emailAddress=admin@many.example,"
        "CN=many.example,UID=u42+OU=Certs Unit,O=sslpp tests Zürich,L=Berlin,ST=Berlin,C=DE");
  CHECK_THAT(o["subject"], Catch::Contains("1.2.3.4.5.6=#0C10"));
  CHECK(cert.version() == 3);

  const auto subject = cert.subject();
  REQUIRE(subject.size() == 11);
  CHECK(subject[0] == sslpp::relative_distinguished_name{{"countryName", "DE"}});
  CHECK(subject[3] == sslpp::relative_distinguished_name{{"organizationName", "sslpp tests Zürich"}});
  CHECK(subject[4] == sslpp::relative_distinguished_name{{"organizationalUnitName", "Certs Unit"}, {"userId", "u42"}});
  CHECK(subject.get("commonName") == "many.example");
  CHECK(subject.get("1.2.3.4.5.6") == "custom attribute");
  CHECK_FALSE(subject.get("title").has_value());
  CHECK(fmt::format("{}", subject) == oracle({"repr_subject", file}));
  CHECK(fmt::format("{:rfc4514}", cert.issuer()) == "O=sslpp tests,CN=sslpp Test Intermediate CA");

  using K = sslpp::general_name_kind;
  const std::vector<std::pair<K, std::string>> expected_sans = {
      {K::dns, "many.example"},
      {K::dns, "*.many.example"},
      {K::ip_address, "192.0.2.1"},
      {K::ip_address, "2001:DB8:0:0:1:0:0:1"},
      {K::ip_address, "0:0:0:0:0:0:0:1"},
      {K::email, "admin@many.example"},
      {K::uri, "https://many.example/path?q=1"},
      {K::dir_name, "CN=Dir Name,O=Dir Org,C=DE"},
      {K::registered_id, "1.2.3.4.5"},
      {K::other_name, "UPN:upn@many.example"},
      {K::other_name, "<unsupported>"},
  };
  const auto sans = cert.subject_alt_names();
  REQUIRE(sans.size() == expected_sans.size());
  for (std::size_t i = 0; i < sans.size(); ++i) {
    CHECK(sans[i].kind == expected_sans[i].first);
    CHECK(sans[i].value == expected_sans[i].second);
  }
  CHECK(sans[7].directory.get("organizationName") == "Dir Org");
  CHECK(fmt::format("{}", sans[3]) == "('IP Address', '2001:DB8:0:0:1:0:0:1')");
  CHECK(fmt::format("{}", sans[7]) ==
        "('DirName', ((('countryName', 'DE'),), (('organizationName', 'Dir Org'),), (('commonName', 'Dir Name'),)))");
  CHECK(fmt::format("{}", sans[9].kind) == "othername");

  // openssl's own text for the same extensions
  const std::string text = run({"openssl", "x509", "-in", file, "-noout", "-text"});
  CHECK_THAT(text, Catch::Contains("IP Address:2001:DB8:0:0:1:0:0:1") && Catch::Contains("Registered ID:1.2.3.4.5") &&
                       Catch::Contains("OCSP - URI:http://ocsp.example.net/") &&
                       Catch::Contains("CA Issuers - URI:http://ca.example.net/intermediate.der") &&
                       Catch::Contains("URI:http://crl.example.net/a.crl") &&
                       Catch::Contains("URI:http://crl.example.net/b.crl") && Catch::Contains("Version: 3 (0x2)") &&
                       Catch::Contains("Public-Key: (256 bit)") && Catch::Contains("NIST CURVE: P-256"));
  CHECK(cert.ocsp() == std::vector<std::string>{"http://ocsp.example.net/"});
  CHECK(cert.ca_issuers() == std::vector<std::string>{"http://ca.example.net/intermediate.der"});
  CHECK(cert.crl_distribution_points() ==
        std::vector<std::string>{"http://crl.example.net/a.crl", "http://crl.example.net/b.crl"});
  const auto key = cert.public_key();
  CHECK(key.algorithm == "EC");
  CHECK(key.bits == 256);
  CHECK(key.curve == "P-256");
}

TEST_CASE("fingerprints equal openssl x509 -fingerprint", "[certificate][openssl]") {
  for (const auto& f : {"leaf-rsa.pem", "certs-many.pem", "certs-ed25519.pem"}) {
    const auto cert = sslpp::certificate::load(pki(f));
    for (auto [d, name, spec] : {std::tuple{sslpp::digest::sha1, "sha1", "{:sha1}"},
                                 std::tuple{sslpp::digest::sha256, "sha256", "{:sha256}"},
                                 std::tuple{sslpp::digest::sha384, "sha384", "{:sha384}"},
                                 std::tuple{sslpp::digest::sha512, "sha512", "{:sha512}"}}) {
      INFO(f << " " << name);
      auto o = openssl_fields(pki(f), {"-fingerprint", std::string("-") + name});
      const std::string key = fmt::format("{} Fingerprint", name);
      REQUIRE(o.count(key) == 1);
      CHECK(cert.fingerprint(d) == o[key]);
      CHECK(fmt::format(fmt::runtime(spec), cert) == o[key]);
    }
  }
  CHECK(fmt::format("{}", sslpp::digest::sha256) == "SHA256");
}

TEST_CASE("versions keys and validity of other certificates", "[certificate][openssl]") {
  const auto v1 = sslpp::certificate::load(pki("certs-v1.pem"));
  CHECK(v1.version() == 1);
  CHECK_FALSE(v1.has_subject_alt_names());
  CHECK(v1.subject_alt_names().empty());
  CHECK(v1.ocsp().empty());
  CHECK(v1.crl_distribution_points().empty());
  CHECK(v1.serial_number() == "01");
  CHECK_THAT(run({"openssl", "x509", "-in", pki("certs-v1.pem"), "-noout", "-text"}), Catch::Contains("Version: 1 (0x0)"));

  const auto rsa = sslpp::certificate::load(pki("leaf-rsa.pem")).public_key();
  CHECK(rsa.algorithm == "RSA");
  CHECK(rsa.bits == 2048);
  CHECK(rsa.curve.empty());
  const auto ed = sslpp::certificate::load(pki("certs-ed25519.pem"));
  CHECK(ed.public_key().algorithm == "Ed25519");
  CHECK(ed.serial_number() == "7FFFFFFFFFFFFFFF");
  CHECK(ed.ocsp().empty());  // its AIA has only caIssuers: Python then has no 'OCSP' key
  CHECK(ed.ca_issuers() == std::vector<std::string>{"http://ca.example.net/only-issuers.der"});

  const auto expired = sslpp::certificate::load(pki("expired.pem"));
  using namespace std::chrono;
  CHECK(expired.not_before() == sys_days(2020y / January / 1));
  CHECK(expired.not_after() == sys_days(2021y / January / 1));
  CHECK(expired.not_before_text() == "Jan  1 00:00:00 2020 GMT");
  const auto notyet = sslpp::certificate::load(pki("notyet.pem"));
  CHECK(notyet.not_after_text() == "Dec 31 00:00:00 2099 GMT");
  CHECK(notyet.not_after() == sys_days(2099y / December / 31));
}

TEST_CASE("a DNS name with a NUL byte is shown faithfully and never matches", "[certificate][nul]") {
  const auto cert = sslpp::certificate::load(pki("certs-nul.pem"));
  const auto sans = cert.subject_alt_names();
  REQUIRE(sans.size() == 2);
  CHECK(sans[0].kind == sslpp::general_name_kind::dns);
  CHECK(sans[0].value == std::string("null.example\0evil.example", 25));
  CHECK(fmt::format("{}", sans[0]) == "('DNS', 'null.example\\x00evil.example')");
  CHECK_THAT(fmt::format("{}", cert), Catch::Contains("('DNS', 'null.example\\x00evil.example')"));
  CHECK(fmt::format("{}", cert) == oracle({"decode", pki("certs-nul.pem")}));
  CHECK_FALSE(cert.matches_hostname("null.example"));
  CHECK_FALSE(cert.matches_hostname("evil.example"));
  CHECK_FALSE(cert.matches_hostname(std::string_view("null.example\0evil.example", 25)));
  CHECK_FALSE(cert.matches_hostname("null.example", sslpp::common_name_fallback::if_no_dns_names));
  CHECK(cert.matches_hostname("ok.example"));
}

TEST_CASE("PEM and DER conversions equal openssl's", "[certificate][openssl]") {
  const std::string pem_path = pki("leaf-ecdsa.pem");
  const std::string der = run({"openssl", "x509", "-in", pem_path, "-outform", "DER"});
  const auto der_bytes = std::as_bytes(std::span(der.data(), der.size()));
  const auto cert = sslpp::certificate::load(pem_path);
  const auto mine = cert.to_der();
  CHECK(std::equal(mine.begin(), mine.end(), der_bytes.begin(), der_bytes.end()));
  CHECK(sslpp::der_cert_to_pem_cert(der_bytes) == test::read_text(pem_path));
  const auto back = sslpp::pem_cert_to_der_cert(test::read_text(pem_path));
  CHECK(std::equal(back.begin(), back.end(), der_bytes.begin(), der_bytes.end()));
  CHECK(fmt::format("{:pem}", cert) == test::read_text(pem_path));
  // A DER file loads as well, and is the same certificate.
  const std::string der_path = write_temp("leaf.der", der);
  CHECK(sslpp::certificate::load(der_path) == cert);
  CHECK(fmt::format("{}", sslpp::certificate::load(der_path)) == fmt::format("{}", cert));
  std::remove(der_path.c_str());
  // A bundle gives every certificate, in order.
  const auto all = sslpp::certificate::load_all(pki("certs-many-full.pem"));
  REQUIRE(all.size() == 2);
  CHECK(all[1] == sslpp::certificate::load(pki("intermediate.pem")));
}

TEST_CASE("cert_time_to_seconds agrees with Python", "[certificate][python]") {
  const std::vector<std::string> good = {"Jan  5 09:34:43 2018 GMT", "Jan 05 09:34:43 2018 GMT",
                                         "jan  5 09:34:43 2018 GMT", "Dec 31 23:59:59 1999 GMT",
                                         "Feb 29 00:00:00 2024 GMT", "Sep  9 12:00:00 2016 GMT",
                                         "Mar  5 14:15:22 2029 GMT", "Jan  1 00:00:00 1970 GMT",
                                         "Feb 30 00:00:00 2023 GMT", "Jan  5 23:59:60 2018 GMT",
                                         "Jan  5 9:4:3 2018 GMT",    "Jan  5 09:34:43  2018  gmt"};
  const std::vector<std::string> bad = {"",
                                        "Jan  5 09:34:43 2018",
                                        "Foo  5 09:34:43 2018 GMT",
                                        "Jan  5 09:34:43 2018 UTC",
                                        "Jan 32 09:34:43 2018 GMT",
                                        "Jan  0 00:00:00 2018 GMT",
                                        "Jan  5 09:34:43 2018 GMT ",
                                        "Janu 5 09:34:43 2018 GMT",
                                        "Jan  5 09:60:43 2018 GMT",
                                        "Jan  5 24:00:00 2018 GMT",
                                        "Jan  5 09:34 2018 GMT",
                                        "Jan5 09:34:43 2018 GMT",
                                        "Jan  5 09:34:43 18 GMT"};
  std::vector<std::string> args = {"cert_time"};
  args.insert(args.end(), good.begin(), good.end());
  args.insert(args.end(), bad.begin(), bad.end());
  const auto answers = certs_test::split(oracle(args), "\n");
  REQUIRE(answers.size() >= good.size() + bad.size());
  for (std::size_t i = 0; i < good.size(); ++i) {
    INFO(good[i]);
    REQUIRE(answers[i] != "ValueError");
    CHECK(sslpp::cert_time_to_seconds(good[i]).time_since_epoch().count() == std::stoll(answers[i]));
    // and back: the text form of that instant
    const auto t = sslpp::cert_time_to_seconds(good[i]);
    CHECK(sslpp::cert_time_to_seconds(sslpp::certificate::time_text(t)) == t);
  }
  for (std::size_t i = 0; i < bad.size(); ++i) {
    INFO("'" << bad[i] << "'");
    CHECK(answers[good.size() + i] == "ValueError");
    CHECK_THROWS_AS(sslpp::cert_time_to_seconds(bad[i]), std::invalid_argument);
  }
  CHECK_THROWS_WITH(sslpp::cert_time_to_seconds("Foo 1 2"), Catch::Contains("'Foo 1 2'"));
  CHECK(sslpp::certificate::time_text(sslpp::cert_time_to_seconds("Sep  9 12:00:00 2016 GMT")) ==
        "Sep  9 12:00:00 2016 GMT");
}

TEST_CASE("malformed certificate input gives a clear error", "[certificate][errors]") {
  const std::string pem = test::read_text(pki("leaf-ecdsa.pem"));
  SECTION("truncated PEM") {
    const std::string path = write_temp("truncated.pem", pem.substr(0, pem.size() / 2));
    CHECK_THROWS_MATCHES(sslpp::certificate::load(path), sslpp::ssl_error,
                         Catch::Matchers::Predicate<sslpp::ssl_error>([&](const sslpp::ssl_error& e) {
                           return std::string(e.what()).find(path) != std::string::npos && !e.reason().empty();
                         }));
    CHECK_THROWS_AS(sslpp::certificate::from_pem(pem.substr(0, pem.size() / 2)), sslpp::ssl_error);
    std::remove(path.c_str());
  }
  SECTION("PEM with a damaged body") {
    std::string damaged = pem;
    damaged[damaged.find('\n') + 10] = '*';
    CHECK_THROWS_AS(sslpp::certificate::from_pem(damaged), sslpp::ssl_error);
  }
  SECTION("garbage DER") {
    const std::string path = write_temp("garbage.der", std::string("\x30\x82\x01\x00garbage that is not DER", 27));
    CHECK_THROWS_WITH(sslpp::certificate::load(path),
                      Catch::Contains("cannot parse the DER certificate") && Catch::Contains(path));
    const std::string junk = "this is not a certificate";
    CHECK_THROWS_AS(sslpp::certificate::from_der(std::as_bytes(std::span(junk.data(), junk.size()))), sslpp::ssl_error);
    std::remove(path.c_str());
  }
  SECTION("empty file") {
    const std::string path = write_temp("empty.pem", "");
    CHECK_THROWS_WITH(sslpp::certificate::load(path), Catch::Contains("empty") && Catch::Contains(path));
    CHECK_THROWS_AS(sslpp::certificate::from_pem(""), sslpp::ssl_error);
    CHECK_THROWS_AS(sslpp::certificate::from_der({}), sslpp::ssl_error);
    std::remove(path.c_str());
  }
  SECTION("a PEM file with only a key") {
    CHECK_THROWS_WITH(sslpp::certificate::load(pki("leaf-ecdsa.key")),
                      Catch::Contains("no PEM certificate") && Catch::Contains("leaf-ecdsa.key"));
    CHECK_THROWS_AS(sslpp::pem_cert_to_der_cert(test::read_text(pki("leaf-ecdsa.key"))), sslpp::ssl_error);
  }
  SECTION("a missing file") {
    CHECK_THROWS_MATCHES(sslpp::certificate::load("/nonexistent/cert.pem"), std::system_error,
                         Catch::Matchers::Predicate<std::system_error>([](const std::system_error& e) {
                           return std::string(e.what()).find("/nonexistent/cert.pem") != std::string::npos &&
                                  e.code() == std::errc::no_such_file_or_directory;
                         }));
  }
}

TEST_CASE("the formatters of the other values print what Python prints", "[certificate][format]") {
  CHECK(fmt::format("{}", sslpp::tls_version::tlsv1_3) == "TLSv1.3");
  CHECK(fmt::format("{}", sslpp::tls_version::tlsv1_2) == "TLSv1.2");
  CHECK(fmt::format("{:>8}", sslpp::tls_version::tlsv1_2) == " TLSv1.2");
  CHECK(fmt::format("{}", sslpp::verify_mode::cert_required) == "CERT_REQUIRED");
  CHECK(fmt::format("{}", sslpp::cipher_info{"TLS_AES_256_GCM_SHA384", "TLSv1.3", 256}) ==
        "('TLS_AES_256_GCM_SHA384', 'TLSv1.3', 256)");
  const sslpp::cert_verification_error e(10, "certificate has expired",
                                         "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: x");
  CHECK(fmt::format("{}", e) == e.what());
  CHECK(fmt::format("{}", static_cast<const sslpp::ssl_error&>(e)) == e.what());
  CHECK_THROWS_AS(fmt::format(fmt::runtime("{:bogus}"), sslpp::certificate::load(pki("ca.pem"))), fmt::format_error);
  CHECK(fmt::format("{}", sslpp::distinguished_name{}) == "()");
}

TEST_CASE("the formatters of text values take width, fill and alignment", "[certificate][format]") {
  // The formatters built on fmt's string formatter keep its specs (in both build modes:
  // their format() is compiled in the library in the compiled mode).
  CHECK(fmt::format("{:<9}|", sslpp::tls_version::tlsv1_3) == "TLSv1.3  |");
  CHECK(fmt::format("{:*^15}", sslpp::verify_mode::cert_required) == "*CERT_REQUIRED*");
  CHECK(fmt::format("{:>8}", sslpp::digest::sha1) == "    SHA1");
  CHECK(fmt::format("{:.3}", sslpp::digest::sha256) == "SHA");
  CHECK(fmt::format("{:>5}", sslpp::general_name_kind::dns) == "  DNS");
  CHECK(fmt::format("{:-<26}", sslpp::general_name{sslpp::general_name_kind::dns, "a.example", {}}) ==
        "('DNS', 'a.example')------");
  CHECK(fmt::format("{:>16}", sslpp::socket_address{"::1", 443}) == "       [::1]:443");
  CHECK(fmt::format("{:>12.6}", sslpp::cipher_info{"TLS_AES_128_GCM_SHA256", "TLSv1.3", 128}) == "      ('TLS_");
  const sslpp::zero_return_error z(sslpp::make_error_code(sslpp::ssl_errc::zero_return), "closed");
  CHECK(fmt::format("{:_>8}", z) == "__closed");
  CHECK(fmt::format("{:{}}|", static_cast<const sslpp::ssl_error&>(z), 7) == "closed |");
  // Other outputs than fmt::format's own buffer.
  std::string out;
  fmt::format_to(std::back_inserter(out), "{} {:>4}", sslpp::tls_version::tlsv1_2, sslpp::digest::sha1);
  CHECK(out == "TLSv1.2 SHA1");
  char buf[8] = {};
  const auto r = fmt::format_to_n(buf, 4, "{}", sslpp::verify_mode::cert_none);
  CHECK(std::string(buf, 4) == "CERT");
  CHECK(r.size == 9);
}

TEST_CASE("strings are quoted and wrapped as pprint does", "[certificate][python]") {
  // The pprint model on its own, against Python, with the awkward strings.
  namespace py = sslpp::detail::py;
  const std::vector<std::string> strings = {
      "plain",
      "it's",
      "say \"hi\"",
      "both ' and \"",
      "tab\there",
      "back\\slash",
      std::string("nul\0byte", 8),
      "del\x7f",
      "caf\xc3\xa9 \xe2\x80\x8b zero-width",
      "a fairly long string with many words that must be split over several lines by pprint because it "
      "is far wider than eighty columns in total",
      "line one\nline two that is long enough to need to wrap somewhere after the first few words of it"};
  std::string file_text;
  py::object tuple = py::object::tuple();
  for (const auto& s : strings) {
    tuple.items.push_back(py::object::str(s));
    for (char c : s) {
      if (c == '\\') file_text += "\\\\";
      else if (c == '\n') file_text += "\\n";
      else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) file_text += fmt::format("\\x{:02x}", static_cast<unsigned char>(c));
      else file_text += c;
    }
    file_text += '\n';
  }
  const std::string path = write_temp("strings.txt", file_text);
  CHECK(py::pformat(tuple) == oracle({"pformat_strings", path}));
  std::remove(path.c_str());
}

TEST_CASE("a real connection gives the peer certificate and both chains", "[certificate][handshake]") {
  const auto leaf = sslpp::certificate::load(pki("certs-many.pem"));
  const auto intermediate = sslpp::certificate::load(pki("intermediate.pem"));
  const auto root = sslpp::certificate::load(pki("ca.pem"));
  auto serve = [](sslpp::tcp_socket sock) {
    auto ctx = test::server_context_with("certs-many-full.pem", "certs-many.key");
    std::error_code ec;
    auto tls = ctx.wrap_socket(std::move(sock), {.do_handshake_on_connect = false});
    tls.do_handshake(ec);
    if (!ec) {
      std::byte b[1];
      tls.read(b, ec);
      tls.shutdown(ec);
    }
  };
  SECTION("verified") {
    test::server_thread server(serve);
    auto ctx = test::client_context_trusting_root();
    auto tls = ctx.wrap_socket(sslpp::tcp_socket::connect("127.0.0.1", server.port()), "many.example");
    REQUIRE(tls.getpeercert().has_value());
    CHECK(*tls.getpeercert() == leaf);
    CHECK(fmt::format("{}", *tls.getpeercert()) == oracle({"decode", pki("certs-many.pem")}));
    const auto sent = tls.get_unverified_chain();
    REQUIRE(sent.size() == 2);
    CHECK(sent[0] == leaf);
    CHECK(sent[1] == intermediate);
    const auto verified = tls.get_verified_chain();
    REQUIRE(verified.size() == 3);
    CHECK(verified[0] == leaf);
    CHECK(verified[1] == intermediate);
    CHECK(verified[2] == root);
    CHECK(fmt::format("{}", *tls.version()) == "TLSv1.3");
    tls.write("x");
    tls.shutdown();
    server.join();
  }
  SECTION("unverified") {
    test::server_thread server(serve);
    auto ctx = sslpp::context_for(sslpp::protocol::tls_client);  // empty trust store
    ctx.disable_verification();
    auto tls = ctx.wrap_socket(sslpp::tcp_socket::connect("127.0.0.1", server.port()), sslpp::no_hostname);
    REQUIRE(tls.getpeercert().has_value());  // API.md: the object even when unverified
    CHECK(*tls.getpeercert() == leaf);
    CHECK(tls.get_unverified_chain().size() == 2);
    CHECK(tls.get_verified_chain().empty());
    tls.write("x");
    tls.shutdown();
    server.join();
  }
}

TEST_CASE("the formatter matches a real Python client's getpeercert", "[certificate][python][handshake]") {
  test::server_thread server([](sslpp::tcp_socket sock) {
    auto ctx = test::server_context_with("certs-many-full.pem", "certs-many.key");
    std::error_code ec;
    auto tls = ctx.wrap_socket(std::move(sock), {.do_handshake_on_connect = false});
    tls.do_handshake(ec);
    std::byte b[1];
    if (!ec) tls.read(b, ec);
  });
  const std::string python_says = oracle({"getpeercert", std::to_string(server.port()), "many.example", pki("ca.pem")});
  server.join();
  CHECK(fmt::format("{}", sslpp::certificate::load(pki("certs-many.pem"))) == python_says);
}

TEST_CASE("a server sees the client's certificate and chains", "[certificate][handshake]") {
  const auto client_cert = sslpp::certificate::load(pki("client.pem"));
  const auto client_ca = sslpp::certificate::load(pki("client-ca.pem"));
  std::vector<sslpp::certificate> sent, verified;
  std::optional<sslpp::certificate> peer;
  test::server_thread server([&](sslpp::tcp_socket sock) {
    auto ctx = test::server_context_with();
    ctx.set_verify_mode(sslpp::verify_mode::cert_required);
    ctx.load_verify_locations(pki("client-ca.pem"));
    auto tls = ctx.wrap_socket(std::move(sock));
    peer = tls.getpeercert();
    sent = tls.get_unverified_chain();
    verified = tls.get_verified_chain();
    tls.read(1);
    tls.shutdown();
  });
  auto ctx = test::client_context_trusting_root();
  ctx.load_cert_chain(pki("client.pem"), pki("client.key"));
  auto tls = ctx.wrap_socket(sslpp::tcp_socket::connect("127.0.0.1", server.port()), "localhost");
  tls.write("x");
  tls.read(1);
  server.join();
  REQUIRE(peer.has_value());
  CHECK(*peer == client_cert);
  REQUIRE(sent.size() == 1);
  CHECK(sent[0] == client_cert);
  REQUIRE(verified.size() == 2);
  CHECK(verified[0] == client_cert);
  CHECK(verified[1] == client_ca);
  CHECK(fmt::format("{}", *peer) == oracle({"decode", pki("client.pem")}));
}
