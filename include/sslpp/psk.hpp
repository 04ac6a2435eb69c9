// sslpp — SPDX-License-Identifier: MIT
//
// psk.hpp: sslpp::psk_credentials, what a client's PSK callback answers (Python 3.13's
// set_psk_client_callback returns the same pair).
#pragma once

#include <sslpp/config.hpp>

#include <cstddef>
#include <string>
#include <vector>

SSLPP_BEGIN_NAMESPACE

/// psk_credentials: the answer of a client's PSK callback (see
/// context::set_psk_client_callback): the identity the client names itself by, which
/// the server's callback receives to choose the key, and the pre-shared key itself.
///
/// An empty `psk` abandons the handshake (Python's "return a zero length PSK to reject
/// the connection"). This backend carries at most 128 bytes of identity, without NUL
/// bytes, and a key of at most 256 bytes (RFC 4279 allows longer; BoringSSL does not):
/// a longer identity or key fails the handshake with a message saying which.
///
/// Example:
///   ctx.set_psk_client_callback([](std::optional<std::string_view> hint) {
///     return sslpp::psk_credentials{"device-17", key_bytes};
///   });
struct psk_credentials {
  std::string identity;          ///< the client's PSK identity (may be empty in TLS 1.2)
  std::vector<std::byte> psk;    ///< the pre-shared key; empty: refuse to connect
};

SSLPP_END_NAMESPACE
