// sslpp — SPDX-License-Identifier: MIT
//
// summary.cpp: the client's summary in Python's words, and its JSON form.
#include "summary.hpp"

#include <fmt/core.h>

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
  fmt::print("{} {}\n", st.key("handshake:"), milliseconds_text(s.handshake_time));
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
  out += fmt::format(", \"handshake_ms\": {:.3f}", std::chrono::duration<double, std::milli>(s.handshake_time).count());
  out += fmt::format(", \"peercert_pem\": {}", s.peercert ? json_string(s.peercert->to_pem()) : "null");
  out += "}";
  return out;
}

}  // namespace sslpp_cli
