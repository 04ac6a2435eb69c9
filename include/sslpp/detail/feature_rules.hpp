// sslpp — SPDX-License-Identifier: MIT
//
// detail/feature_rules.hpp: the validation rules of context settings — ALPN protocol
// names, key-exchange group names, channel binding types — as constexpr functions, so the
// same rules check a literal at compile time and a string at run time. No backend calls.
#pragma once

#include <sslpp/config.hpp>

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

/// alpn_list_fault: the first fault of a protocol list (an empty list is fine: it turns
/// ALPN off), with `*index` set to the offending entry.
template <class Range>
constexpr std::string_view alpn_list_fault(const Range& protocols, std::size_t* index = nullptr) noexcept {
  std::size_t i = 0;
  for (const auto& p : protocols) {
    const std::string_view fault = alpn_fault(std::string_view(p));
    if (!fault.empty()) {
      if (index) *index = i;
      return fault;
    }
    ++i;
  }
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

constexpr char ascii_lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
constexpr bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  return true;
}

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
