// sslpp — SPDX-License-Identifier: MIT
//
// cert_compression.hpp: sslpp::cert_compression, the certificate compression algorithms
// of RFC 8879 that context::set_cert_compression takes. The codecs themselves (brotli,
// zlib) are opt-in: <sslpp/cert_compression_codecs.hpp> and the sslpp::cert_compression
// CMake target.
#pragma once

#include <sslpp/config.hpp>

#include <cstdint>

SSLPP_BEGIN_NAMESPACE

/// cert_compression: a certificate compression algorithm (RFC 8879), by its IANA number.
/// A TLS 1.3 server compresses its Certificate message with the first algorithm of its
/// own list that the client offers; a client offers its list and decompresses. A
/// three-certificate RSA chain shrinks by about a quarter (bench/: handshake bytes).
///
/// Using it takes the codecs: `#include <sslpp/cert_compression_codecs.hpp>` and link
/// the `sslpp::cert_compression` CMake target (Debian: libbrotli-dev, zlib1g-dev). Without
/// them, set_cert_compression does not compile, with a message saying this, so that the
/// core library needs neither brotli nor zlib.
enum class cert_compression : std::uint16_t {
  zlib = 1,    ///< zlib (RFC 1950), from zlib
  brotli = 2,  ///< brotli (RFC 7932), from libbrotli; what Chrome offers
};

namespace detail {
// Defined by <sslpp/cert_compression_codecs.hpp> only: set_cert_compression needs it complete.
struct cert_compression_codecs;
}  // namespace detail

SSLPP_END_NAMESPACE
