// sslpp — SPDX-License-Identifier: MIT
//
// detail/groups.hpp: the key-exchange groups a context offers, and the one a handshake used.
#pragma once

#include <sslpp/detail/backend_state.hpp>

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

/// set_groups_list: the key-exchange groups to offer or accept, in preference order;
/// throws std::invalid_argument naming an unknown or empty name.
template <class Range>
void set_groups_list(SSL_CTX* ctx, const Range& names) {
  std::string list;
  std::size_t count = 0;
  for (const auto& n : names) {
    const std::string_view name(n);
    const std::string_view fault = group_fault(name);
    if (!fault.empty()) throw std::invalid_argument("set_groups: '" + std::string(name) + "': " + std::string(fault));
    if (!list.empty()) list += ':';
    list += find_group(name)->backend_name;
    ++count;
  }
  if (count == 0) throw std::invalid_argument("set_groups: the group list must not be empty");
  if (!SSL_CTX_set1_curves_list(ctx, list.c_str())) throw_backend_error("cannot set the groups '" + list + "'");
}

/// negotiated_group: the key-exchange group of the handshake by its registry name
/// ("x25519", "secp256r1"), or nullopt.
inline std::optional<std::string> negotiated_group(const SSL* ssl) {
  const uint16_t id = SSL_get_curve_id(ssl);
  if (id == 0) return std::nullopt;
  const std::string_view known = iana_group_name(id);
  if (!known.empty()) return std::string(known);
  if (const char* name = SSL_get_curve_name(id)) return std::string(name);
  return "group " + std::to_string(id);
}

/// implemented_groups: Python 3.15's get_groups(): the groups this backend implements by
/// registry name, those usable up to `max_version` (CECPQ2 needs TLS 1.3); with
/// `include_aliases`, the other names set_groups accepts follow.
inline std::vector<std::string> implemented_groups(int max_version, bool include_aliases) {
  std::vector<std::string> out;
  const auto usable = [&](std::uint16_t id) { return id != 16696 || max_version >= TLS1_3_VERSION; };
  for (const std::uint16_t id : {std::uint16_t{29}, std::uint16_t{23}, std::uint16_t{24}, std::uint16_t{25},
                                 std::uint16_t{21}, std::uint16_t{16696}})
    if (usable(id)) out.emplace_back(iana_group_name(id));
  if (include_aliases)
    for (const auto& g : known_groups)
      if (usable(g.id) && std::find(out.begin(), out.end(), g.name) == out.end()) out.emplace_back(g.name);
  return out;
}

}  // namespace detail
SSLPP_END_NAMESPACE
