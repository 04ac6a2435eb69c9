// Host name rules (RFC 6125, as CPython 3.7+ with OpenSSL): one table of cases checked
// three ways — certificate::matches_hostname, a real sslpp handshake with the host name
// check on, and a real handshake made by Python's ssl module over OpenSSL (the oracle).
#include "certs_support.hpp"

#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <fstream>
#include <string>
#include <vector>

namespace {

using certs_test::pki;

// A case: the certificate (a leaf under the test root; "certs-X" has certs-X-full.pem and
// certs-X.key), the name, whether it matches, with the common-name fallback or not;
// `handshake`: also checked through sslpp's handshake and Python's (false where the name
// cannot be a server_hostname at all); `python_strips_dot`: false where Python 3.11
// differs on purpose — it hands a trailing dot to OpenSSL, which then matches nothing,
// while sslpp strips one trailing dot (API.md).
struct hostname_case {
  const char* cert;
  std::string name;
  bool matches;
  bool cn_fallback = false;
  bool handshake = true;
  bool python_strips_dot = true;
};

const std::vector<hostname_case> cases = {
    // exact names, case, trailing dot
    {"certs-hosts", "www.example.com", true},
    {"certs-hosts", "WWW.Example.COM", true},
    {"certs-hosts", "www.example.com.", true, false, true, false},
    {"certs-hosts", "example.com", false},
    {"certs-hosts", "wwww.example.com", false},
    {"certs-hosts", "ww.example.com", false},
    {"certs-hosts", "www.example.com.evil", false},
    {"certs-hosts", "upper.example.org", true},  // the SAN is "UPPER.Example.ORG"
    // wildcards: the whole leftmost label, exactly one label
    {"certs-hosts", "a.wild.example", true},
    {"certs-hosts", "A.WILD.EXAMPLE", true},
    {"certs-hosts", "a.wild.example.", true, false, true, false},
    {"certs-hosts", "wild.example", false},
    {"certs-hosts", "a.b.wild.example", false},
    {"certs-hosts", "xn--bcher-kva.wild.example", true},  // a whole-label wildcard may match an A-label
    // partial wildcards never match
    {"certs-hosts", "foo.partial.example", false},
    {"certs-hosts", "f.partial.example", false},
    {"certs-hosts", "partial.example", false},
    // more than one wildcard, or not leftmost: no wildcard at all
    {"certs-hosts", "a.b.double.example", false},
    {"certs-hosts", "x.double.example", false},
    {"certs-hosts", "sub.x.mid.example", false},
    // IDNA: A-labels compare as ASCII; a wildcard inside an A-label is no wildcard
    {"certs-hosts", "xn--bcher-kva.example", true},
    {"certs-hosts", "XN--BCHER-KVA.EXAMPLE", true},
    {"certs-hosts", "cafe.xn--caf-dma.example", true},
    {"certs-hosts", "xn--abc.idna.example", false},
    {"certs-hosts", "xn--.idna.example", false},
    {"certs-hosts", "b\xc3\xbc" "cher.example", false, false, false},  // a U-label is not a host name here
    // IP addresses: only against iPAddress SANs
    {"certs-hosts", "192.0.2.7", true},
    {"certs-hosts", "192.0.2.8", false},
    {"certs-hosts", "192.0.2.70", false},
    {"certs-hosts", "2001:db8::7", true},
    {"certs-hosts", "2001:DB8:0:0:0:0:0:7", true},
    {"certs-hosts", "2001:db8::8", false},
    {"certs-hosts", "::ffff:192.0.2.7", false},
    {"certs-hosts", "192.0.2.7.", false, false, false},  // neither an address nor a host name: refused
    {"certs-hosts", "[2001:db8::7]", false, false, false},
    // the subject CN: never with a DNS SAN present, only on request without one
    {"certs-hosts", "cn-not-in-san.example", false},
    {"certs-hosts", "cn-not-in-san.example", false, true},
    {"certs-hosts", "mail.example", false},  // an email SAN is not a DNS name
    {"certs-cnonly", "cn.example", false},
    {"certs-cnonly", "cn.example", true, true},
    {"certs-cnonly", "CN.Example.", true, true, true, false},
    {"certs-cnonly", "other.example", false, true},
    // a NUL byte inside a SAN never matches either half
    {"certs-nul", "null.example", false},
    {"certs-nul", "evil.example", false},
    {"certs-nul", "ok.example", true},
    {"certs-nul", std::string("null.example\0evil.example", 25), false, false, false},
};

std::string case_name(const hostname_case& c) {
  std::string n;
  for (char ch : c.name) n += ch == '\0' ? std::string("\\0") : std::string(1, ch);
  return fmt::format("{} '{}'{}", c.cert, n, c.cn_fallback ? " (cn fallback)" : "");
}

// Whether a default sslpp client (trusting the test root) accepts the server presenting
// `cert` when it connects to `name`.
bool sslpp_handshake_accepts(const hostname_case& c) {
  test::server_thread server([&](sslpp::tcp_socket sock) {
    auto ctx = test::server_context_with(std::string(c.cert) + "-full.pem", std::string(c.cert) + ".key");
    std::error_code ec;
    auto tls = ctx.wrap_socket(std::move(sock), {.do_handshake_on_connect = false});
    tls.do_handshake(ec);
  });
  auto ctx = test::client_context_trusting_root();
  ctx.set_hostname_checks_common_name(c.cn_fallback);
  try {
    auto tls = ctx.wrap_socket(sslpp::tcp_socket::connect("127.0.0.1", server.port()), sslpp::runtime_hostname(c.name));
    server.join();
    return true;
  } catch (const sslpp::cert_verification_error& e) {
    server.join();
    INFO(e.what());
    CHECK((e.verify_code() == X509_V_ERR_HOSTNAME_MISMATCH || e.verify_code() == X509_V_ERR_IP_ADDRESS_MISMATCH));
    return false;
  }
}

}  // namespace

TEST_CASE("the host name table has enough cases", "[hostname]") {
  CHECK(cases.size() >= 30);
}

TEST_CASE("matches_hostname follows the table", "[hostname]") {
  for (const auto& c : cases) {
    INFO(case_name(c));
    const auto cert = sslpp::certificate::load(pki(std::string(c.cert) + ".pem"));
    CHECK(cert.matches_hostname(c.name, c.cn_fallback ? sslpp::common_name_fallback::if_no_dns_names
                                                      : sslpp::common_name_fallback::never) == c.matches);
  }
}

TEST_CASE("a real sslpp handshake follows the table", "[hostname][handshake]") {
  for (const auto& c : cases) {
    if (!c.handshake) {
      // Not a name a client can connect to: runtime_hostname says why.
      CHECK_THROWS_AS(sslpp::runtime_hostname(c.name), std::invalid_argument);
      continue;
    }
    INFO(case_name(c));
    CHECK(sslpp_handshake_accepts(c) == c.matches);
  }
}

TEST_CASE("Python over OpenSSL agrees with the table", "[hostname][python]") {
  const std::string list = "/tmp/sslpp-hostnames-" + std::to_string(::getpid()) + ".txt";
  std::vector<const hostname_case*> asked;
  {
    std::ofstream out(list);
    for (const auto& c : cases) {
      if (!c.handshake) continue;
      out << pki(std::string(c.cert) + "-full.pem") << '\t' << pki(std::string(c.cert) + ".key") << '\t' << c.name
          << '\t' << (c.cn_fallback ? 1 : 0) << '\n';
      asked.push_back(&c);
    }
  }
  const auto answers = certs_test::split(certs_test::oracle({"hostnames", pki("ca.pem"), list}), "\n");
  std::remove(list.c_str());
  REQUIRE(answers.size() >= asked.size());
  for (std::size_t i = 0; i < asked.size(); ++i) {
    INFO(case_name(*asked[i]) << ": python says " << answers[i]);
    const bool python_matches = asked[i]->matches && asked[i]->python_strips_dot;
    CHECK(answers[i] == (python_matches ? "1" : "0"));
  }
}

TEST_CASE("matches_hostname refuses what is no host name", "[hostname]") {
  const auto cert = sslpp::certificate::load(pki("certs-hosts.pem"));
  CHECK_FALSE(cert.matches_hostname(""));
  CHECK_FALSE(cert.matches_hostname("."));
  CHECK_FALSE(cert.matches_hostname("www.example.com.."));
  CHECK_FALSE(cert.matches_hostname("*.wild.example"));  // a pattern is not a name
  CHECK_FALSE(cert.matches_hostname("192.0.2.7."));      // an address with a trailing dot is neither
}
