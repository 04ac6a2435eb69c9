// sslpp — SPDX-License-Identifier: MIT
//
// detail/text.hpp: the small text operations sslpp needs in many places — ASCII case
// folding (host names, month names, reason codes) and upper-case hex (serial numbers,
// fingerprints). No backend calls; usable at compile time.
#pragma once

#include <sslpp/config.hpp>

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

SSLPP_BEGIN_NAMESPACE
namespace detail {

/// ascii_lower: `c` in lower case when it is an ASCII capital letter, else `c` (never
/// locale-dependent, as host names and protocol tokens require).
constexpr char ascii_lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

/// iequals: whether two strings are equal, ASCII case ignored.
constexpr bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  return true;
}

/// upper_hex: `bytes` as upper-case hex, two digits a byte, `separator` (when not '\0')
/// between bytes — the form Python prints serial numbers ("0A1B") and fingerprints
/// ("0A:1B") in.
inline std::string upper_hex(std::span<const unsigned char> bytes, char separator = '\0') {
  static constexpr char digits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(bytes.size() * 3);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i && separator) out += separator;
    out += digits[bytes[i] >> 4];
    out += digits[bytes[i] & 15];
  }
  return out;
}

}  // namespace detail
SSLPP_END_NAMESPACE
