// sslpp — SPDX-License-Identifier: MIT
//
// detail/feature_rules.hpp: the validation rules of context settings — ALPN protocol
// names, key-exchange group names, signature algorithm names, cipher strings, channel binding types — as constexpr functions, so the
// same rules check a literal at compile time and a string at run time. No backend calls.
#pragma once

#include <sslpp/config.hpp>
#include <sslpp/detail/text.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

SSLPP_BEGIN_NAMESPACE
namespace detail {

/// alpn_fault: what is wrong with one ALPN protocol name (RFC 7301 §3.1: 1 to 255
/// bytes), or an empty view when it is fine.
constexpr std::string_view alpn_fault(std::string_view protocol) noexcept {
  if (protocol.empty()) return "an ALPN protocol name must not be empty";
  if (protocol.size() > 255) return "an ALPN protocol name must be at most 255 bytes long";
  return {};
}

/// group_entry: one key-exchange group the backend implements: a name accepted by
/// set_groups, the TLS SupportedGroups code point, and the backend's own name for it.
struct group_entry {
  std::string_view name;          ///< a name accepted in set_groups
  std::uint16_t id;               ///< the IANA TLS Supported Groups code point
  std::string_view backend_name;  ///< the name the backend's list syntax takes
};

/// known_groups: every group name set_groups accepts — the IANA registry names
/// (secp256r1, x25519, ...), the names OpenSSL and BoringSSL use (P-256, X25519,
/// prime256v1), and the backend's one post-quantum hybrid, CECPQ2 (X25519 + NTRU-HRSS,
/// an experimental code point Chrome used in 2019; there is no Kyber hybrid in this
/// BoringSSL). Compared ASCII case-insensitively.
inline constexpr group_entry known_groups[] = {
    {"X25519", 29, "X25519"},         {"x25519", 29, "X25519"},
    {"P-256", 23, "P-256"},           {"secp256r1", 23, "P-256"},   {"prime256v1", 23, "P-256"},
    {"P-384", 24, "P-384"},           {"secp384r1", 24, "P-384"},
    {"P-521", 25, "P-521"},           {"secp521r1", 25, "P-521"},
    {"P-224", 21, "P-224"},           {"secp224r1", 21, "P-224"},
    {"CECPQ2", 16696, "CECPQ2"},
};


/// find_group: the table entry for a group name, or null when the backend has no such group.
constexpr const group_entry* find_group(std::string_view name) noexcept {
  for (const auto& g : known_groups)
    if (iequals(g.name, name)) return &g;
  return nullptr;
}

/// group_name_for: the display name of a group code point ("X25519", "P-256"), or an
/// empty view for an unknown one.
constexpr std::string_view group_name_for(std::uint16_t id) noexcept {
  for (const auto& g : known_groups)
    if (g.id == id) return g.backend_name;
  return {};
}

/// group_fault: what is wrong with one group name, or an empty view.
constexpr std::string_view group_fault(std::string_view name) noexcept {
  if (name.empty()) return "a group name must not be empty";
  if (!find_group(name))
    return "unknown key-exchange group (known: X25519, P-256, P-384, P-521, P-224, CECPQ2 and their "
           "IANA names secp256r1, secp384r1, secp521r1, secp224r1, x25519)";
  return {};
}

/// group_list_fault: the first fault of a group list (which must not be empty), with
/// `*index` set to the offending entry (or the list's size when it is empty).
template <class Range>
constexpr std::string_view group_list_fault(const Range& names, std::size_t* index = nullptr) noexcept {
  std::size_t i = 0;
  for (const auto& n : names) {
    const std::string_view fault = group_fault(std::string_view(n));
    if (!fault.empty()) {
      if (index) *index = i;
      return fault;
    }
    ++i;
  }
  if (i == 0) {
    if (index) *index = 0;
    return "the group list must not be empty";
  }
  return {};
}

/// iana_group_name: the TLS Supported Groups registry's name of a group code point
/// ("x25519", "secp256r1"), as Python 3.15's SSLSocket.group() and get_groups() give it;
/// CECPQ2, an experimental code point, has no registry name and keeps its own. Empty for
/// a code point this backend does not implement.
constexpr std::string_view iana_group_name(std::uint16_t id) noexcept {
  switch (id) {
    case 29: return "x25519";
    case 23: return "secp256r1";
    case 24: return "secp384r1";
    case 25: return "secp521r1";
    case 21: return "secp224r1";
    case 16696: return "CECPQ2";
    default: return {};
  }
}

/// sigalg_entry: one TLS signature algorithm the backend implements: its name in the
/// TLS SignatureScheme registry (RFC 8446 4.2.3) and its code point.
struct sigalg_entry {
  std::string_view name;  ///< the registry's name, as Python 3.15's get_sigalgs() lists it
  std::uint16_t id;       ///< the SignatureScheme code point
};

/// known_sigalgs: every signature algorithm set_client_sigalgs / set_server_sigalgs
/// accept, in this backend's default order of preference (the SHA-1 ones last: they are
/// for legacy TLS 1.2 peers only). This BoringSSL has no rsa_pss_pss_* (RSA-PSS keys),
/// no ed448 and no post-quantum signatures.
inline constexpr sigalg_entry known_sigalgs[] = {
    {"ecdsa_secp256r1_sha256", 0x0403}, {"rsa_pss_rsae_sha256", 0x0804}, {"rsa_pkcs1_sha256", 0x0401},
    {"ecdsa_secp384r1_sha384", 0x0503}, {"rsa_pss_rsae_sha384", 0x0805}, {"rsa_pkcs1_sha384", 0x0501},
    {"rsa_pss_rsae_sha512", 0x0806},    {"rsa_pkcs1_sha512", 0x0601},    {"ecdsa_secp521r1_sha512", 0x0603},
    {"ed25519", 0x0807},                {"rsa_pkcs1_sha1", 0x0201},      {"ecdsa_sha1", 0x0203},
};

/// find_sigalg: the table entry for a signature algorithm name (ASCII case ignored), or null.
constexpr const sigalg_entry* find_sigalg(std::string_view name) noexcept {
  for (const auto& a : known_sigalgs)
    if (iequals(a.name, name)) return &a;
  return nullptr;
}

/// sigalg_name_for: the registry name of a signature algorithm code point, or an empty view.
constexpr std::string_view sigalg_name_for(std::uint16_t id) noexcept {
  for (const auto& a : known_sigalgs)
    if (a.id == id) return a.name;
  return {};
}

/// sigalg_fault: what is wrong with one signature algorithm name, or an empty view.
constexpr std::string_view sigalg_fault(std::string_view name) noexcept {
  if (name.empty()) return "a signature algorithm name must not be empty (two ':' in a row, or one at an end?)";
  if (!find_sigalg(name))
    return "unknown signature algorithm (known: ecdsa_secp256r1_sha256, ecdsa_secp384r1_sha384, "
           "ecdsa_secp521r1_sha512, rsa_pss_rsae_sha256, rsa_pss_rsae_sha384, rsa_pss_rsae_sha512, "
           "rsa_pkcs1_sha256, rsa_pkcs1_sha384, rsa_pkcs1_sha512, ed25519, rsa_pkcs1_sha1, ecdsa_sha1: "
           "TLS 1.3 scheme names, not OpenSSL's \"RSA+SHA256\" form)";
  return {};
}

/// cipher_suite_names: every TLS 1.2-and-older suite this BoringSSL implements, by
/// OpenSSL name and IANA name (both are accepted in a cipher string, alone only).
inline constexpr std::string_view cipher_suite_names[] = {
    "ECDHE-ECDSA-AES128-GCM-SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
    "ECDHE-RSA-AES128-GCM-SHA256",   "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
    "ECDHE-ECDSA-AES256-GCM-SHA384", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
    "ECDHE-RSA-AES256-GCM-SHA384",   "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
    "ECDHE-ECDSA-CHACHA20-POLY1305", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
    "ECDHE-RSA-CHACHA20-POLY1305",   "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
    "ECDHE-PSK-CHACHA20-POLY1305",   "TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256",
    "ECDHE-ECDSA-AES128-SHA",        "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
    "ECDHE-RSA-AES128-SHA",          "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
    "ECDHE-PSK-AES128-CBC-SHA",      "TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA",
    "ECDHE-ECDSA-AES256-SHA",        "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
    "ECDHE-RSA-AES256-SHA",          "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
    "ECDHE-PSK-AES256-CBC-SHA",      "TLS_ECDHE_PSK_WITH_AES_256_CBC_SHA",
    "AES128-GCM-SHA256",             "TLS_RSA_WITH_AES_128_GCM_SHA256",
    "AES256-GCM-SHA384",             "TLS_RSA_WITH_AES_256_GCM_SHA384",
    "AES128-SHA",                    "TLS_RSA_WITH_AES_128_CBC_SHA",
    "PSK-AES128-CBC-SHA",            "TLS_PSK_WITH_AES_128_CBC_SHA",
    "AES256-SHA",                    "TLS_RSA_WITH_AES_256_CBC_SHA",
    "PSK-AES256-CBC-SHA",            "TLS_PSK_WITH_AES_256_CBC_SHA",
    "DES-CBC3-SHA",                  "TLS_RSA_WITH_3DES_EDE_CBC_SHA",
};

/// cipher_aliases: the keywords of BoringSSL's cipher-string language (case-sensitive),
/// which may be joined with '+' ("ECDHE+AESGCM"). OpenSSL keywords BoringSSL lacks
/// (aNULL, eNULL, DHE, MEDIUM, LOW, SHA256, COMPLEMENTOFDEFAULT, @SECLEVEL, ...) are unknown.
inline constexpr std::string_view cipher_aliases[] = {
    "ALL",    "kRSA",   "RSA",     "kECDHE", "kEECDH",   "ECDHE", "EECDH", "ECDH", "kPSK",   "aRSA",  "aECDSA",
    "ECDSA",  "aPSK",   "PSK",     "3DES",   "AES128",   "AES256", "AES",   "AESGCM", "CHACHA20", "SHA1", "SHA",
    "SSLv3",  "TLSv1",  "TLSv1.2", "HIGH",   "FIPS",     "DEFAULT",
};

constexpr bool is_cipher_suite_name(std::string_view s) noexcept {
  for (auto n : cipher_suite_names)
    if (n == s) return true;
  return false;
}
constexpr bool is_cipher_alias(std::string_view s) noexcept {
  for (auto n : cipher_aliases)
    if (n == s) return true;
  return false;
}

/// cipher_rule_fault: what is wrong with one rule of a cipher string (no prefix): a suite
/// name alone, or aliases joined with '+'; an empty view when it is fine.
constexpr std::string_view cipher_rule_fault(std::string_view rule) noexcept {
  if (rule.empty()) return "an empty rule (two '+' or '|' in a row, or a bare prefix)";
  if (is_cipher_suite_name(rule)) return {};
  std::size_t start = 0;
  while (true) {
    const std::size_t plus = rule.find('+', start);
    const std::string_view term = rule.substr(start, plus == std::string_view::npos ? std::string_view::npos : plus - start);
    if (term.empty()) return "an empty term between '+' signs";
    if (!is_cipher_alias(term))
      return is_cipher_suite_name(term) ? "a cipher suite name cannot be combined with '+'"
                                        : "unknown cipher suite or keyword (names and keywords are case-sensitive)";
    if (plus == std::string_view::npos) return {};
    start = plus + 1;
  }
}

/// cipher_list_fault: what is wrong with a cipher string in the syntax set_ciphers takes
/// (BoringSSL's strict parser): elements separated by ':', each a rule with an optional
/// '!', '-' or '+' prefix, an equal-preference group "[rule|rule]", or "@STRENGTH"; and at
/// least one element must select suites (not only remove or reorder them). Sets
/// `*where` to the offending element's offset. An empty view means the syntax and names
/// are right; the backend still refuses, at run time, a string whose rules happen to
/// leave no suite at all ("AES:!AES").
constexpr std::string_view cipher_list_fault(std::string_view list, std::size_t* where = nullptr) noexcept {
  bool selects = false;
  std::size_t pos = 0;
  auto fail = [&](std::size_t at, std::string_view why) {
    if (where) *where = at;
    return why;
  };
  while (pos <= list.size()) {
    std::size_t end = list.find(':', pos);
    if (end == std::string_view::npos) end = list.size();
    std::string_view element = list.substr(pos, end - pos);
    const std::size_t at = pos;
    pos = end + 1;
    if (element.empty()) continue;  // "AES:" and "AES::CHACHA20" are accepted
    for (char c : element)
      if (c == ',' || c == ' ' || c == ';')
        return fail(at, "cipher strings are separated by ':' here (not ',', ' ' or ';')");
    // "@STRENGTH" may also follow a rule directly ("ALL@STRENGTH").
    if (element.size() >= 9 && element.substr(element.size() - 9) == "@STRENGTH") {
      element.remove_suffix(9);
      if (element.empty()) continue;
    }
    if (element.find('@') != std::string_view::npos)
      return fail(at, "unknown '@' command (BoringSSL knows only @STRENGTH; there are no security levels)");
    const char prefix = element[0];
    if (prefix == '!' || prefix == '-' || prefix == '+') {
      element.remove_prefix(1);
      if (element.empty() || element[0] == '[') return fail(at, "a prefix needs a rule after it");
    } else if (prefix == '~') {
      return fail(at, "'~' is not a cipher string prefix (use '!' or '-')");
    } else {
      selects = true;
    }
    if (element[0] == '[') {
      if (element.back() != ']') return fail(at, "an equal-preference group must end with ']'");
      std::string_view inner = element.substr(1, element.size() - 2);
      std::size_t start = 0;
      while (true) {
        const std::size_t bar = inner.find('|', start);
        const std::string_view rule = inner.substr(start, bar == std::string_view::npos ? std::string_view::npos : bar - start);
        // The backend skips an empty alternative ("[AES128|]").
        if (const auto f = rule.empty() ? std::string_view{} : cipher_rule_fault(rule); !f.empty()) return fail(at, f);
        if (bar == std::string_view::npos) break;
        start = bar + 1;
      }
      continue;
    }
    if (const auto f = cipher_rule_fault(element); !f.empty()) return fail(at, f);
  }
  if (!selects) return fail(0, "the cipher string selects no suite (it only removes or reorders)");
  return {};
}

/// channel_binding_kind: the channel binding types get_channel_binding knows.
enum class channel_binding_kind { unknown, tls_unique, tls_exporter };

/// channel_binding_for: the kind a type name stands for.
constexpr channel_binding_kind channel_binding_for(std::string_view type) noexcept {
  if (type == "tls-unique") return channel_binding_kind::tls_unique;
  if (type == "tls-exporter") return channel_binding_kind::tls_exporter;
  return channel_binding_kind::unknown;
}

}  // namespace detail
SSLPP_END_NAMESPACE
