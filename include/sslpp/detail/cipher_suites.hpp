// sslpp — SPDX-License-Identifier: MIT
//
// detail/cipher_suites.hpp: cipher suites: their names and protocol versions as Python
// shows them, a context's list, the suites both ends enable.
#pragma once

#include <sslpp/detail/backend_state.hpp>
#include <sslpp/detail/feature_rules.hpp>
#include <sslpp/cipher.hpp>
#include <fcntl.h>
#include <unistd.h>
#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <mutex>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

SSLPP_BEGIN_NAMESPACE
namespace detail {

/// cipher_protocol: the protocol version a suite was defined for, as Python (on OpenSSL 3)
/// names it; BoringSSL's SSL_CIPHER_get_version says "TLSv1/SSLv3" for every pre-1.3 suite.
inline std::string cipher_protocol(const SSL_CIPHER* c) {
  switch (SSL_CIPHER_get_min_version(c)) {
    case TLS1_3_VERSION: return "TLSv1.3";
    case TLS1_2_VERSION: return "TLSv1.2";
    case SSL3_VERSION: return "SSLv3";
    default: return "TLSv1.0";
  }
}

/// info_of: a suite's name (OpenSSL's, as Python shows it), protocol and secret bits.
inline cipher_info info_of(const SSL_CIPHER* c) {
  return cipher_info{SSL_CIPHER_get_name(c), cipher_protocol(c), SSL_CIPHER_get_bits(c, nullptr)};
}

/// current_cipher: the negotiated suite, nullopt before the handshake.
inline std::optional<cipher_info> current_cipher(const SSL* ssl) {
  const SSL_CIPHER* c = SSL_get_current_cipher(ssl);
  if (!c) return std::nullopt;
  return info_of(c);
}

inline std::string lower_nid_name(int nid) {
  if (nid == NID_undef) return {};
  const char* ln = OBJ_nid2ln(nid);
  std::string s = ln ? ln : "";
  for (char& ch : s) ch = ascii_lower(ch);
  return s;
}

// A field of the backend's description ("Kx=ECDH"), with OpenSSL's "any" for TLS 1.3's GENERIC.
inline std::string description_field(std::string_view desc, std::string_view key) {
  const std::size_t at = desc.find(key);
  if (at == std::string_view::npos) return {};
  std::size_t end = desc.find_first_of(" \n", at);
  std::string v(desc.substr(at + key.size(), end == std::string_view::npos ? std::string_view::npos : end - at - key.size()));
  return v == "GENERIC" ? "any" : v;
}

/// describe_cipher: one get_ciphers() entry, with Python's fields and values.
inline cipher_description describe_cipher(const SSL_CIPHER* c) {
  cipher_description d;
  d.id = SSL_CIPHER_get_id(c);
  d.name = SSL_CIPHER_get_name(c);
  d.protocol = cipher_protocol(c);
  int alg_bits = 0;
  d.strength_bits = SSL_CIPHER_get_bits(c, &alg_bits);
  d.alg_bits = alg_bits;
  d.aead = SSL_CIPHER_is_aead(c) != 0;
  d.symmetric = lower_nid_name(SSL_CIPHER_get_cipher_nid(c));
  d.digest = lower_nid_name(SSL_CIPHER_get_digest_nid(c));  // "" (Python's None) for AEADs
  d.kea = lower_nid_name(SSL_CIPHER_get_kx_nid(c));
  d.auth = lower_nid_name(SSL_CIPHER_get_auth_nid(c));
  char buf[256];
  const std::string_view backend = SSL_CIPHER_description(c, buf, sizeof buf);
  // OpenSSL's layout, as Python shows it: name, protocol, Kx, Au, Enc, Mac.
  char line[256];
  std::snprintf(line, sizeof line, "%-30s %-7s Kx=%-8s Au=%-4s Enc=%-22s Mac=%s", d.name.c_str(), d.protocol.c_str(),
                description_field(backend, "Kx=").c_str(), description_field(backend, "Au=").c_str(),
                description_field(backend, "Enc=").c_str(), description_field(backend, "Mac=").c_str());
  d.description = line;
  return d;
}

// The TLS 1.3 suites, always enabled in BoringSSL and not part of the cipher list.
inline constexpr std::uint16_t tls13_suites[] = {0x1301, 0x1302, 0x1303};

inline bool allows_tls13(const SSL_CTX* ctx) { return SSL_CTX_get_max_proto_version(ctx) >= TLS1_3_VERSION; }
inline bool allows_tls12(const SSL_CTX* ctx) { return SSL_CTX_get_min_proto_version(ctx) <= TLS1_2_VERSION; }

/// enabled_ciphers: the suites a context can negotiate, TLS 1.3's first as OpenSSL lists them.
inline std::vector<const SSL_CIPHER*> enabled_ciphers(const SSL_CTX* ctx) {
  std::vector<const SSL_CIPHER*> out;
  if (allows_tls13(ctx))
    for (std::uint16_t v : tls13_suites)
      if (const SSL_CIPHER* c = SSL_get_cipher_by_value(v)) out.push_back(c);
  if (allows_tls12(ctx)) {
    STACK_OF(SSL_CIPHER)* sk = SSL_CTX_get_ciphers(ctx);
    for (std::size_t i = 0; sk && i < sk_SSL_CIPHER_num(sk); ++i) out.push_back(sk_SSL_CIPHER_value(sk, i));
  }
  return out;
}

inline std::vector<cipher_description> describe_ciphers(const SSL_CTX* ctx) {
  std::vector<cipher_description> out;
  for (const SSL_CIPHER* c : enabled_ciphers(ctx)) out.push_back(describe_cipher(c));
  return out;
}

/// shared_cipher_list: for a server connection after the handshake, the suites the client
/// offered that this server also enables, in the server's order (Python's
/// shared_ciphers()); nullopt on a client or before the handshake.
inline std::optional<std::vector<cipher_info>> shared_cipher_list(const SSL* ssl) {
  if (!SSL_is_server(ssl) || !SSL_is_init_finished(ssl)) return std::nullopt;
  const auto* c = static_cast<conn_features*>(SSL_get_ex_data(ssl, conn_features_index()));
  if (!c) return std::nullopt;
  std::vector<cipher_info> out;
  for (const SSL_CIPHER* cipher : enabled_ciphers(SSL_get_SSL_CTX(ssl))) {
    const auto value = SSL_CIPHER_get_protocol_id(cipher);
    for (std::uint16_t offered : c->client_ciphers)
      if (offered == value) {
        out.push_back(info_of(cipher));
        break;
      }
  }
  return out;
}

/// cipher_string_plan: a run-time cipher string read as OpenSSL reads it, reduced to what
/// this backend has (see plan_cipher_string).
struct cipher_string_plan {
  std::string kept;                  ///< the elements this backend knows, ':'-joined, for the strict parser
  std::vector<std::string> skipped;  ///< the elements (or "[a|b]" alternatives) it does not have, as written
  std::string invalid;               ///< an element OpenSSL refuses too (unknown '@' command, stray character), or ""
  bool selects = false;              ///< whether a kept element adds suites (not only removes or reorders)
  bool asks_for_3des = false;        ///< whether an element adds 3DES by name (see asks_for_3des)
  int security_level = -1;           ///< the last "@SECLEVEL=n" (0 to 5), or -1
  std::size_t security_level_at = 0; ///< where in `skipped` that element is (taken out when it applies)
};

/// openssl_term: how one OpenSSL keyword is written with BoringSSL's: `base` (the terms
/// that select a superset of OpenSSL's suites), `minus` (terms each of whose suites
/// "base+term" selects must be taken out again) and `alts` (the same set as positive
/// alternatives "base+alt", for a rule that removes or moves suites, or a group
/// alternative). Where the keywords differ among the suites both have:
///  - HIGH: BoringSSL's holds 3DES, OpenSSL's does not (3DES is MEDIUM since 1.1.0);
///  - FIPS: BoringSSL's holds ChaCha20 (and 3DES), OpenSSL's AES and 3DES only;
///  - ECDHE, kECDHE, EECDH, kEECDH, ECDH: BoringSSL's hold the ECDHE-PSK suites, which
///    OpenSSL calls kECDHEPSK (BoringSSL does not know that name: kECDHE+aPSK);
///  - PSK: OpenSSL's is every PSK suite, BoringSSL's aPSK (its PSK is kPSK alone);
///  - CBC (OpenSSL 3): BoringSSL does not know it; its CBC suites are those with SHA1 MACs;
///  - SSLv3, TLSv1, TLSv1.0: OpenSSL matches a suite's minimum version, and defines the
///    ECDHE CBC suites for TLS 1.0 where BoringSSL says SSL 3.0 (TLSv1.0 it does not know).
struct openssl_term {
  std::string_view name, base;
  std::string_view minus[2];
  std::string_view alts[2];
};
inline constexpr openssl_term openssl_terms[] = {
    {"HIGH", "HIGH", {}, {"AES", "CHACHA20"}},
    {"FIPS", "FIPS", {"CHACHA20"}, {"AES", "3DES"}},
    {"ECDHE", "ECDHE", {"aPSK"}, {"aRSA", "aECDSA"}},
    {"kECDHE", "kECDHE", {"aPSK"}, {"aRSA", "aECDSA"}},
    {"EECDH", "EECDH", {"aPSK"}, {"aRSA", "aECDSA"}},
    {"kEECDH", "kEECDH", {"aPSK"}, {"aRSA", "aECDSA"}},
    {"ECDH", "ECDH", {"aPSK"}, {"aRSA", "aECDSA"}},
    {"kECDHEPSK", "kECDHE+aPSK", {}, {}},
    {"PSK", "aPSK", {}, {}},
    {"CBC", "SHA1", {}, {}},
    {"SSLv3", "SSLv3", {"kECDHE"}, {"kRSA", "kPSK"}},
    {"TLSv1", "SSLv3", {"kRSA", "kPSK"}, {"kECDHE"}},
    {"TLSv1.0", "SSLv3", {"kRSA", "kPSK"}, {"kECDHE"}},
};
inline const openssl_term* find_openssl_term(std::string_view name) noexcept {
  for (const auto& t : openssl_terms)
    if (t.name == name) return &t;
  return nullptr;
}

/// is_openssl_rule: whether every '+'-joined term of `rule` is a keyword this backend
/// knows or one openssl_terms writes with them (kECDHEPSK, TLSv1.0), or `rule` is a suite name.
inline bool is_openssl_rule(std::string_view rule) {
  if (cipher_rule_fault(rule).empty()) return true;
  for (std::size_t start = 0;;) {
    const std::size_t plus = rule.find('+', start);
    const std::string_view t = rule.substr(start, plus == std::string_view::npos ? std::string_view::npos : plus - start);
    if (t.empty() || (!is_cipher_alias(t) && !find_openssl_term(t))) return false;
    if (plus == std::string_view::npos) return true;
    start = plus + 1;
  }
}

/// join_terms: BoringSSL terms joined with '+', the version keywords last (BoringSSL
/// matches nothing when one comes first: "TLSv1.2+ECDHE").
inline std::string join_terms(const std::vector<std::string_view>& terms) {
  auto is_version = [](std::string_view t) { return t == "SSLv3" || t == "TLSv1" || t == "TLSv1.2"; };
  std::string out;
  for (int pass = 0; pass < 2; ++pass)
    for (std::string_view t : terms)
      if (is_version(t) == (pass == 1)) out += (out.empty() ? "" : "+") + std::string(t);
  return out;
}

/// openssl_meaning: a known rule (a suite name, or keywords joined with '+', see
/// is_openssl_rule) with its prefix ("", "!", "-" or "+"), rewritten so that it selects
/// what OpenSSL's selects (see openssl_terms). A rule R that adds suites keeps the
/// backend's order: it is written as its superset followed by "-R+term" for what must go
/// again (so a suite named before it goes too: the weaker outcome is never the one
/// chosen). A rule that removes or moves suites, and an alternative of an
/// equal-preference group, is written as positive alternatives instead (HIGH as
/// HIGH+AES and HIGH+CHACHA20). Returns the elements, or the group alternatives when `in_group`.
inline std::vector<std::string> openssl_meaning(std::string_view prefix, std::string_view rule, bool in_group = false) {
  if (is_cipher_suite_name(rule)) return {std::string(prefix) + std::string(rule)};
  std::vector<std::string_view> names;
  for (std::size_t start = 0;;) {
    const std::size_t plus = rule.find('+', start);
    names.push_back(rule.substr(start, plus == std::string_view::npos ? std::string_view::npos : plus - start));
    if (plus == std::string_view::npos) break;
    start = plus + 1;
  }
  // The superset: every term's base.
  std::vector<std::string_view> base;
  for (std::string_view n : names) {
    const openssl_term* t = find_openssl_term(n);
    const std::string_view b = t ? t->base : n;
    for (std::size_t start = 0;;) {
      const std::size_t plus = b.find('+', start);
      base.push_back(b.substr(start, plus == std::string_view::npos ? std::string_view::npos : plus - start));
      if (plus == std::string_view::npos) break;
      start = plus + 1;
    }
  }
  if (prefix.empty() && !in_group) {
    std::vector<std::string> out{join_terms(base)};
    for (std::string_view n : names)
      if (const openssl_term* t = find_openssl_term(n))
        for (std::string_view m : t->minus) {
          if (m.empty()) continue;
          std::vector<std::string_view> terms = base;
          terms.push_back(m);
          out.push_back("-" + join_terms(terms));
        }
    return out;
  }
  // Positive alternatives: the base with one alt of each term that has them.
  std::vector<std::vector<std::string_view>> alternatives{base};
  for (std::string_view n : names) {
    const openssl_term* t = find_openssl_term(n);
    if (!t || t->alts[0].empty()) continue;
    std::vector<std::vector<std::string_view>> next;
    for (const auto& a : alternatives)
      for (std::string_view extra : t->alts) {
        if (extra.empty()) continue;
        next.push_back(a);
        next.back().push_back(extra);
      }
    alternatives = std::move(next);
  }
  std::vector<std::string> out;
  for (const auto& a : alternatives) out.push_back(std::string(prefix) + join_terms(a));
  return out;
}

/// asks_for_3des: whether a rule that adds suites names 3DES itself (the suite, or the
/// 3DES keyword). OpenSSL 3 is built without 3DES (it is among its weak-ssl-ciphers),
/// so with OpenSSL, and so Python, no keyword ever selects it; here neither does one:
/// a string enables DES-CBC3-SHA only when it asks for it by name.
inline bool asks_for_3des(std::string_view rule) {
  if (rule == "DES-CBC3-SHA" || rule == "TLS_RSA_WITH_3DES_EDE_CBC_SHA") return true;
  for (std::size_t start = 0;;) {
    const std::size_t plus = rule.find('+', start);
    if (rule.substr(start, plus == std::string_view::npos ? std::string_view::npos : plus - start) == "3DES")
      return true;
    if (plus == std::string_view::npos) return false;
    start = plus + 1;
  }
}

/// plan_cipher_string: OpenSSL's (and so Python's) lenient reading of a cipher string.
/// Elements are separated by ':', ',', ';' or ' '; an element naming a suite or keyword
/// this backend does not have (OpenSSL's "aNULL", "MD5", "DHE-RSA-AES128-GCM-SHA256", ...)
/// is skipped, as OpenSSL skips names it does not know: every such name stands only for
/// suites this backend lacks, so skipping it selects (or excludes) exactly what OpenSSL
/// would among the suites both have; the OpenSSL keywords that do stand for suites here
/// are written with BoringSSL's (openssl_terms), and the keywords both know (HIGH, ECDHE,
/// AESGCM, ...) keep OpenSSL's meaning (see openssl_meaning). "@SECLEVEL=n" is recorded
/// (and listed as skipped until apply_cipher_string applies it). An unknown '@' command,
/// a level OpenSSL refuses or a character no cipher string holds is refused, as OpenSSL
/// refuses it.
inline cipher_string_plan plan_cipher_string(std::string_view text) {
  cipher_string_plan plan;
  auto keep = [&](std::string_view element) {
    if (!plan.kept.empty()) plan.kept += ':';
    plan.kept += element;
  };
  auto is_separator = [](char c) { return c == ':' || c == ',' || c == ';' || c == ' '; };
  auto is_name_char = [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
           c == '_' || c == '+' || c == '=';
  };
  std::size_t pos = 0;
  while (pos < text.size()) {
    if (is_separator(text[pos])) {
      ++pos;
      continue;
    }
    std::size_t end = pos;
    while (end < text.size() && !is_separator(text[end])) ++end;
    const std::string_view element = text.substr(pos, end - pos);
    pos = end;
    std::string_view rule = element;
    bool strength = false;
    if (rule.size() >= 9 && rule.substr(rule.size() - 9) == "@STRENGTH") {
      rule.remove_suffix(9);
      strength = true;
    }
    if (rule.substr(0, 10) == "@SECLEVEL=") {  // OpenSSL's security level (see apply_cipher_string)
      const std::string_view level = rule.substr(10);
      if (level.size() != 1 || level[0] < '0' || level[0] > '5') {  // OpenSSL refuses anything else
        plan.invalid = std::string(element);
        return plan;
      }
      plan.security_level = level[0] - '0';
      plan.security_level_at = plan.skipped.size();
      plan.skipped.emplace_back(element);
      continue;
    }
    if (rule.find('@') != std::string_view::npos) {
      plan.invalid = std::string(element);
      return plan;
    }
    if (!rule.empty()) {
      std::string_view prefix;
      if (rule[0] == '!' || rule[0] == '-' || rule[0] == '+') {
        prefix = rule.substr(0, 1);
        rule.remove_prefix(1);
      }
      if (rule.empty()) {
        plan.invalid = std::string(element);
        return plan;
      }
      if (rule[0] == '[') {  // BoringSSL's equal-preference group: keep the alternatives it has
        if (!prefix.empty() || rule.size() < 2 || rule.back() != ']') {
          plan.invalid = std::string(element);
          return plan;
        }
        std::string group;
        const std::string_view inner = rule.substr(1, rule.size() - 2);
        for (std::size_t start = 0;;) {
          const std::size_t bar = inner.find('|', start);
          const std::string_view alt =
              inner.substr(start, bar == std::string_view::npos ? std::string_view::npos : bar - start);
          if (!alt.empty()) {
            if (is_openssl_rule(alt)) {
              plan.asks_for_3des = plan.asks_for_3des || asks_for_3des(alt);
              for (const std::string& meaning : openssl_meaning("", alt, true)) {
                group += group.empty() ? "" : "|";
                group += meaning;
              }
            } else {
              plan.skipped.emplace_back(alt);
            }
          }
          if (bar == std::string_view::npos) break;
          start = bar + 1;
        }
        if (!group.empty()) {
          keep("[" + group + "]");
          plan.selects = true;
        }
      } else {
        for (char c : rule)
          if (!is_name_char(c)) {
            plan.invalid = std::string(element);
            return plan;
          }
        if (is_openssl_rule(rule)) {
          for (const std::string& meaning : openssl_meaning(prefix, rule)) keep(meaning);
          if (prefix.empty()) {
            plan.selects = true;
            plan.asks_for_3des = plan.asks_for_3des || asks_for_3des(rule);
          }
        } else {
          plan.skipped.emplace_back(std::string(prefix) + std::string(rule));
        }
      }
    }
    if (strength) keep("@STRENGTH");
  }
  return plan;
}

/// quoted_list: 'a', 'b', 'c'.
inline std::string quoted_list(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "'" : ", '") + i + "'";
  return out;
}

/// apply_cipher_string: sets a context's TLS 1.2 cipher list from a run-time string read
/// as OpenSSL reads it (plan_cipher_string) and returns the elements it skipped. 3DES
/// comes in only when an element names it (asks_for_3des). "@SECLEVEL=n" above the
/// context's security level raises it to n, and leaves out what OpenSSL's level n refuses
/// among these suites (level 3: those without forward secrecy, the PSK ones and 3DES;
/// level 4 and 5 also AES-128 and SHA-1 MACs); one at or below the level is skipped (it
/// would lower the certificate floor: set_security_level does that, if it must). Throws
/// ssl_error starting with Python's words, "No cipher can be selected", when an element is
/// invalid or no suite remains, naming what was skipped; the context is then unchanged.
inline std::vector<std::string> apply_cipher_string(SSL_CTX* ctx, const std::string& ciphers) {
  cipher_string_plan plan = plan_cipher_string(ciphers);
  const std::string head = "No cipher can be selected from '" + ciphers + "'";
  const std::string skipped =
      plan.skipped.empty() ? std::string() : "; skipped, as this backend does not have them: " + quoted_list(plan.skipped);
  auto fail = [&](int reason, const std::string& why) {
    ERR_clear_error();
    ERR_put_error(ERR_LIB_SSL, 0, reason, __FILE__, __LINE__);
    const backend_error e = take_backend_error();
    throw ssl_error(std::error_code(static_cast<int>(e.packed), boringssl_category()), head + ": " + why + " " + e.text(),
                    e.library, e.reason);
  };
  if (!plan.invalid.empty())
    fail(SSL_R_INVALID_COMMAND, "'" + plan.invalid +
                                    "' is not a cipher string element (OpenSSL refuses it too: commands are @STRENGTH "
                                    "and @SECLEVEL=n, names hold letters, digits, '-', '.', '_', '+' and '=')" +
                                    skipped);
  if (!plan.selects)
    fail(SSL_R_NO_CIPHER_MATCH, plan.skipped.empty() ? "it selects no suite (it only removes or reorders)"
                                                     : "no suite this backend has remains" + skipped);
  if (!plan.asks_for_3des) plan.kept += ":-3DES";
  const bool raises = plan.security_level > features_of(ctx).security_level.load();
  if (raises && plan.security_level >= 3) plan.kept += ":-kRSA:-aPSK:-3DES";
  if (raises && plan.security_level >= 4) plan.kept += ":-AES128:-SHA1";
  if (!SSL_CTX_set_strict_cipher_list(ctx, plan.kept.c_str())) {
    const backend_error e = take_backend_error();
    throw ssl_error(e ? std::error_code(static_cast<int>(e.packed), boringssl_category())
                      : make_error_code(ssl_errc::ssl),
                    head + (e ? ": " + e.text() : std::string()) + skipped, e.library, e.reason);
  }
  if (raises) {
    features_of(ctx).security_level.store(plan.security_level);
    renew_session_context(ctx);
    plan.skipped.erase(plan.skipped.begin() + static_cast<std::ptrdiff_t>(plan.security_level_at));
  }
  return std::move(plan.skipped);
}

}  // namespace detail
SSLPP_END_NAMESPACE
