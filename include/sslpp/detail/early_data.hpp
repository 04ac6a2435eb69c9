// sslpp — SPDX-License-Identifier: MIT
//
// detail/early_data.hpp: the state of one connection's TLS 1.3 0-RTT early data (the
// engine's handshake drives it) and the context setting that allows it on a server.
#pragma once

#include <sslpp/detail/backend.hpp>

#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

SSLPP_BEGIN_NAMESPACE
namespace detail {

/// backend_max_early_data: the early data this BoringSSL's server accepts per connection
/// and writes into its tickets (kMaxEarlyDataAccepted in ssl/internal.h). It has no
/// SSL_CTX_set_max_early_data, so the number is fixed.
inline constexpr std::size_t backend_max_early_data = 14336;

/// early_data_state: where one connection is in its early-data handshake.
///
/// Client (wrap_options::early_data given): offering → writing (the ClientHello went out
/// with a 0-RTT-capable session: the data is written as early data) → finishing (the
/// rest of the handshake) → done. When the session cannot carry early data, or the server
/// rejects it (SSL_ERROR_EARLY_DATA_REJECTED: the connection is reset, and BoringSSL has
/// dropped what was written), it goes to resend instead: the full handshake, then the
/// same bytes as ordinary data. Either way the server gets them exactly once.
///
/// Server (its context allows early data): handshaking → collecting (the handshake
/// returned early with early data accepted: records are read into `received` until the
/// handshake has finished; a record that arrives after it is ordinary data and waits in
/// `backlog` for the next read) → done.
struct early_data_state {
  enum class phase { offering, writing, finishing, resend, handshaking, collecting, done };
  phase at = phase::done;
  std::string to_send;              // client: the bytes to deliver
  std::vector<std::byte> received;  // server: the early data
  std::vector<std::byte> backlog;   // server: ordinary data read past the end of the handshake
  std::size_t backlog_read = 0;     // how much of backlog read() has handed out
  int reason = 0;                   // SSL_get_early_data_reason once the handshake is done
};

/// set_early_data: allows (or refuses) early data on a server context; `max_bytes` must be
/// 0 or this backend's fixed limit (see backend_max_early_data).
inline void set_early_data(SSL_CTX* ctx, bool& enabled, std::size_t max_bytes) {
  if (max_bytes != 0 && max_bytes != backend_max_early_data)
    throw std::invalid_argument(
        "set_max_early_data(" + std::to_string(max_bytes) +
        "): this BoringSSL has no SSL_CTX_set_max_early_data; its servers accept exactly " +
        std::to_string(backend_max_early_data) +
        " bytes of early data (the limit it writes into every ticket): pass sslpp::max_early_data_limit to accept "
        "early data, or 0 to refuse it");
  SSL_CTX_set_early_data_enabled(ctx, max_bytes != 0 ? 1 : 0);
  enabled = max_bytes != 0;
}

/// early_data_reason_text: BoringSSL's word for why 0-RTT was accepted or rejected.
inline std::string early_data_reason_text(int reason) {
  const char* s = SSL_early_data_reason_string(static_cast<ssl_early_data_reason_t>(reason));
  return s ? s : "unknown";
}

}  // namespace detail
SSLPP_END_NAMESPACE
