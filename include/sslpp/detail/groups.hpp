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

/// negotiated_group: the key-exchange group of the handshake ("X25519", "P-256"), or nullopt.
inline std::optional<std::string> negotiated_group(const SSL* ssl) {
  const uint16_t id = SSL_get_curve_id(ssl);
  if (id == 0) return std::nullopt;
  const std::string_view known = group_name_for(id);
  if (!known.empty()) return std::string(known);
  if (const char* name = SSL_get_curve_name(id)) return std::string(name);
  return "group " + std::to_string(id);
}

}  // namespace detail
SSLPP_END_NAMESPACE
