// sslpp — SPDX-License-Identifier: MIT
//
// detail/channel_binding.hpp: channel bindings (RFC 5929 tls-unique, RFC 9266 tls-exporter).
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

/// channel_binding: the bytes of a channel binding, nullopt before the handshake or
/// when the type does not apply to the connection.
inline std::optional<std::vector<std::byte>> channel_binding(const SSL* ssl, channel_binding_kind kind) {
  if (!SSL_is_init_finished(ssl)) return std::nullopt;
  const int version = SSL_version(ssl);
  std::vector<std::byte> out;
  if (kind == channel_binding_kind::tls_unique) {
    // RFC 5929 tls-unique: the first Finished message; undefined for TLS 1.3 (RFC 8446 §C.5).
    if (version >= TLS1_3_VERSION) return std::nullopt;
    out.resize(EVP_MAX_MD_SIZE);
    std::size_t len = 0;
    if (!SSL_get_tls_unique(ssl, reinterpret_cast<uint8_t*>(out.data()), &len, out.size())) return std::nullopt;
    out.resize(len);
    return out;
  }
  if (kind == channel_binding_kind::tls_exporter) {
    // RFC 9266: 32 bytes exported with this label and no context; for TLS 1.2 only with
    // the extended master secret (RFC 9266 §3, RFC 7627).
    if (version < TLS1_3_VERSION && !SSL_get_extms_support(ssl)) return std::nullopt;
    static constexpr char label[] = "EXPORTER-Channel-Binding";
    out.resize(32);
    if (!SSL_export_keying_material(const_cast<SSL*>(ssl), reinterpret_cast<uint8_t*>(out.data()), out.size(), label,
                                    sizeof label - 1, nullptr, 0, 0))
      throw_backend_error("cannot export the tls-exporter channel binding");
    return out;
  }
  return std::nullopt;
}

}  // namespace detail
SSLPP_END_NAMESPACE
