// sslpp — SPDX-License-Identifier: MIT
//
// summary.cpp: the client's summary in Python's words, and its JSON form.
#include "summary.hpp"

#include <fmt/core.h>
#include <sslpp/format.hpp>

namespace sslpp_cli {

std::string json_string(std::string_view text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) out += fmt::format("\\u{:04x}", c);
        else out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

namespace {

std::string json_strings(const std::vector<std::string>& v) {
  std::string out = "[";
  for (std::size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + json_string(v[i]);
  return out + "]";
}

std::string name_json(const sslpp::distinguished_name& dn) {
  std::string out = "[";
  bool first_rdn = true;
  for (const auto& rdn : dn) {
    out += first_rdn ? "[" : ", [";
    first_rdn = false;
    bool first = true;
    for (const auto& a : rdn) {
      out += fmt::format("{}[{}, {}]", first ? "" : ", ", json_string(a.name), json_string(a.value));
      first = false;
    }
    out += "]";
  }
  return out + "]";
}

}  // namespace

std::string certificate_json(const sslpp::certificate& cert) {
  std::string out = "{";
  out += fmt::format("\"subject\": {}, \"issuer\": {}, \"version\": {}, \"serialNumber\": {}, \"notBefore\": {}, "
                     "\"notAfter\": {}",
                     name_json(cert.subject()), name_json(cert.issuer()), cert.version(),
                     json_string(cert.serial_number()), json_string(cert.not_before_text()),
                     json_string(cert.not_after_text()));
  if (cert.has_subject_alt_names()) {
    out += ", \"subjectAltName\": [";
    bool first = true;
    for (const auto& g : cert.subject_alt_names()) {
      out += fmt::format("{}[{}, {}]", first ? "" : ", ", json_string(fmt::format("{}", g.kind)),
                         g.kind == sslpp::general_name_kind::dir_name ? name_json(g.directory) : json_string(g.value));
      first = false;
    }
    out += "]";
  }
  if (auto v = cert.ocsp(); !v.empty()) out += ", \"OCSP\": " + json_strings(v);
  if (auto v = cert.ca_issuers(); !v.empty()) out += ", \"caIssuers\": " + json_strings(v);
  if (auto v = cert.crl_distribution_points(); !v.empty()) out += ", \"crlDistributionPoints\": " + json_strings(v);
  return out + "}";
}

void print_summary(const connection_summary& s) {
  const style& st = style::out();
  fmt::print("{} {}:{} ({})\n", st.key("connected:"), s.host, s.port, s.address);
  if (s.verified)
    fmt::print("{} {} (chain against {}; host name '{}')\n", st.key("verified:"), st.good("yes"), s.verified_against,
               s.server_hostname);
  else
    fmt::print("{} {} (--no-verify: nothing was checked)\n", st.key("verified:"), st.bad("NO"));
  fmt::print("{} {}\n", st.key("version:"), version_name(s.version));
  if (s.cipher) fmt::print("{} {} ({} bits)\n", st.key("cipher:"), s.cipher->name, s.cipher->secret_bits);
  if (s.group) fmt::print("{} {}\n", st.key("group:"), *s.group);
  fmt::print("{} {}\n", st.key("alpn:"), s.alpn ? *s.alpn : "none");
  fmt::print("{} {}\n", st.key("resumed:"), s.resumed ? "yes" : "no");
  if (s.ocsp_asked) {
    if (s.ocsp_bytes)
      fmt::print("{} stapled response, {} bytes (not verified by sslpp)\n", st.key("ocsp:"), *s.ocsp_bytes);
    else
      fmt::print("{} none stapled\n", st.key("ocsp:"));
  }
  if (s.ech) fmt::print("{} {}\n", st.key("ech:"), *s.ech);
  fmt::print("{} {}\n", st.key("handshake:"), milliseconds_text(s.handshake_time));
  if (!s.chain.empty()) {
    fmt::print("{}\n", st.key(s.verified ? "verified chain:" : "chain as sent (NOT verified):"));
    for (std::size_t i = 0; i < s.chain.size(); ++i) {
      const auto& c = s.chain[i];
      fmt::print("  {} subject: {}\n", i, c.subject().rfc4514());
      fmt::print("    issuer:  {}\n", c.issuer().rfc4514());
      fmt::print("    valid:   {} to {}\n", c.not_before_text(), c.not_after_text());
      fmt::print("    sha256:  {}\n", c.fingerprint(sslpp::digest::sha256));
    }
  }
  if (s.peercert) {
    fmt::print("{}\n", st.key("peer certificate:"));
    print_certificate(*s.peercert, "  ");
  } else {
    fmt::print("{} none\n", st.key("peer certificate:"));
  }
}

std::string summary_json(const connection_summary& s) {
  std::string out = "{";
  out += fmt::format("\"host\": {}, \"port\": {}, \"address\": {}, \"server_hostname\": {}", json_string(s.host), s.port,
                     json_string(s.address), json_string(s.server_hostname));
  out += fmt::format(", \"verified\": {}, \"verified_against\": {}", s.verified ? "true" : "false",
                     s.verified ? json_string(s.verified_against) : "null");
  out += fmt::format(", \"version\": {}", s.version ? json_string(version_name(s.version)) : "null");
  if (s.cipher)
    out += fmt::format(", \"cipher\": [{}, {}, {}]", json_string(s.cipher->name), json_string(s.cipher->protocol),
                       s.cipher->secret_bits);
  else
    out += ", \"cipher\": null";
  out += fmt::format(", \"group\": {}, \"alpn\": {}, \"resumed\": {}", s.group ? json_string(*s.group) : "null",
                     s.alpn ? json_string(*s.alpn) : "null", s.resumed ? "true" : "false");
  if (s.ocsp_asked) out += fmt::format(", \"ocsp_response_bytes\": {}", s.ocsp_bytes ? std::to_string(*s.ocsp_bytes) : "null");
  out += fmt::format(", \"ech\": {}", s.ech ? json_string(*s.ech) : "null");
  out += fmt::format(", \"handshake_ms\": {:.3f}", std::chrono::duration<double, std::milli>(s.handshake_time).count());
  out += fmt::format(", \"peercert\": {}", s.peercert ? certificate_json(*s.peercert) : "null");
  out += fmt::format(", \"peercert_sha256\": {}",
                     s.peercert ? json_string(s.peercert->fingerprint(sslpp::digest::sha256)) : "null");
  out += fmt::format(", \"peercert_pem\": {}", s.peercert ? json_string(s.peercert->to_pem()) : "null");
  out += ", \"chain\": [";
  for (std::size_t i = 0; i < s.chain.size(); ++i) {
    const auto& c = s.chain[i];
    out += fmt::format("{}{{\"subject\": {}, \"issuer\": {}, \"notBefore\": {}, \"notAfter\": {}, \"sha256\": {}}}",
                       i ? ", " : "", json_string(c.subject().rfc4514()), json_string(c.issuer().rfc4514()),
                       json_string(c.not_before_text()), json_string(c.not_after_text()),
                       json_string(c.fingerprint(sslpp::digest::sha256)));
  }
  out += "]";
  out += "}";
  return out;
}

}  // namespace sslpp_cli
