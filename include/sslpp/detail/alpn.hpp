// sslpp — SPDX-License-Identifier: MIT
//
// detail/alpn.hpp: ALPN (RFC 7301): the wire format of a protocol list, offering and
// accepting it, the protocol chosen.
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

/// alpn_wire: protocol names in ALPN's wire format; throws std::invalid_argument naming
/// the first bad one.
template <class Range>
std::string alpn_wire(const Range& protocols) {
  std::string wire;
  for (const auto& p : protocols) {
    const std::string_view name(p);
    const std::string_view fault = alpn_fault(name);
    if (!fault.empty()) {
      const std::string shown = name.size() > 40 ? std::string(name.substr(0, 40)) + "..." : std::string(name);
      throw std::invalid_argument("set_alpn_protocols: " + std::string(fault) + " ('" + shown + "', " +
                                  std::to_string(name.size()) + " bytes)");
    }
    wire.push_back(static_cast<char>(name.size()));
    wire.append(name);
  }
  return wire;
}

/// set_alpn: offers (client) or accepts (server) `wire`; both roles for a context of either side.
inline void set_alpn(SSL_CTX* ctx, const std::string& wire, bool client, bool server) {
  // The extension's protocol list has a 16-bit length (RFC 7301 §3.1).
  if (wire.size() > 0xFFFF)
    throw std::invalid_argument("set_alpn_protocols: the protocols take " + std::to_string(wire.size()) +
                                " bytes in ALPN's wire format, more than the 65535 the extension holds");
  if (client &&
      SSL_CTX_set_alpn_protos(ctx, reinterpret_cast<const uint8_t*>(wire.data()), static_cast<unsigned>(wire.size())) != 0)
    throw_backend_error("cannot set the ALPN protocols");
  if (server) features_of(ctx).alpn_server_wire = wire;
}

/// selected_alpn: the negotiated protocol, nullopt when none was.
inline std::optional<std::string> selected_alpn(const SSL* ssl) {
  const uint8_t* data = nullptr;
  unsigned len = 0;
  SSL_get0_alpn_selected(ssl, &data, &len);
  if (!data || len == 0) return std::nullopt;
  return std::string(reinterpret_cast<const char*>(data), len);
}

}  // namespace detail
SSLPP_END_NAMESPACE
