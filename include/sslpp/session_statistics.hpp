// sslpp — SPDX-License-Identifier: MIT
//
// session_statistics.hpp: sslpp::session_statistics, a context's session counters
// (Python's SSLContext.session_stats()).
#pragma once

#include <sslpp/config.hpp>

SSLPP_BEGIN_NAMESPACE

/// session_statistics: a context's session counters, the keys of Python's
/// SSLContext.session_stats(). `number` is the server's session cache size; the
/// handshake counts are kept by sslpp (BoringSSL's own counters are stubs). Counts that
/// cannot happen on BoringSSL (renegotiation as a server or client of sslpp, cache
/// timeouts and overflows it does not report) stay 0.
struct session_statistics {
  long number = 0;               ///< sessions in the server's cache
  long connect = 0;              ///< client handshakes started
  long connect_good = 0;         ///< client handshakes completed
  long connect_renegotiate = 0;  ///< always 0: sslpp never renegotiates
  long accept = 0;               ///< server handshakes started
  long accept_good = 0;          ///< server handshakes completed
  long accept_renegotiate = 0;   ///< always 0: BoringSSL servers refuse renegotiation
  long hits = 0;                 ///< server handshakes that resumed a session
  long misses = 0;               ///< server handshakes where the client's offered session was not resumed
  long timeouts = 0;             ///< always 0: not reported by the backend
  long cache_full = 0;           ///< always 0: not reported by the backend
};

SSLPP_END_NAMESPACE
