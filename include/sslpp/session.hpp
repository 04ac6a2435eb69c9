// sslpp — SPDX-License-Identifier: MIT
//
// session.hpp: sslpp::session, a TLS session a client can resume, and
// sslpp::session_statistics, a context's session counters (Python's session_stats()).
#pragma once

#include <sslpp/config.hpp>
#include <sslpp/detail/backend.hpp>
#include <sslpp/detail/error_capture.hpp>
#include <sslpp/detail/features.hpp>

#include <chrono>
#include <cstddef>
#include <span>
#include <vector>

SSLPP_BEGIN_NAMESPACE

/// session: a resumable TLS session (Python's SSLSession). Copies share it; an empty
/// session (`explicit operator bool` false) stands for "none yet".
///
/// A client's stream holds a session once the server sent one: in TLS 1.2 at the end of
/// the handshake, in TLS 1.3 when a NewSessionTicket arrives after it — which a read
/// takes in, so read from the stream before taking its session. Pass it to the next
/// `wrap_socket` in `wrap_options{.session = s}` to resume.
///
/// WARNING: a session holds the secrets of the connection it came from; anyone who gets
/// it can resume as that client. Keep serialized sessions (to_bytes) as secret as keys.
///
/// Thread Safety: a session is immutable; copies may be used from any thread.
///
/// Example:
///   auto first = ctx.wrap_socket(sslpp::tcp_socket::connect(host, port), "example.org");
///   first.read(1024);                  // takes in a TLS 1.3 ticket
///   sslpp::session s = first.session();
///   auto again = ctx.wrap_socket(sslpp::tcp_socket::connect(host, port), "example.org",
///                                {.session = s});   // again.session_reused() when the server agrees
class session {
 public:
  /// Makes an empty session.
  session() noexcept = default;
  /// Adopts a backend session.
  explicit session(detail::ssl_session_ptr s) noexcept : s_(std::move(s)) {}
  session(const session& other) : s_(detail::up_ref(other.s_.get())) {}
  session& operator=(const session& other) {
    if (this != &other) s_ = detail::up_ref(other.s_.get());
    return *this;
  }
  session(session&&) noexcept = default;
  session& operator=(session&&) noexcept = default;

  /// Whether this holds a session.
  explicit operator bool() const noexcept { return static_cast<bool>(s_); }

  /// id: the session's id (Python's SSLSession.id); empty for an empty session.
  std::vector<std::byte> id() const { return s_ ? detail::session_id_bytes(s_.get()) : std::vector<std::byte>{}; }
  /// time: when the session was made (Python's SSLSession.time).
  std::chrono::system_clock::time_point time() const {
    return std::chrono::system_clock::time_point(std::chrono::seconds(s_ ? detail::session_time(s_.get()) : 0));
  }
  /// timeout: how long after time() the session may be resumed (Python's SSLSession.timeout).
  std::chrono::seconds timeout() const { return std::chrono::seconds(s_ ? detail::session_timeout(s_.get()) : 0); }
  /// has_ticket: whether the server sent a ticket for it (Python's SSLSession.has_ticket).
  bool has_ticket() const noexcept { return s_ && detail::session_has_ticket(s_.get()); }
  /// ticket_lifetime_hint: the ticket's lifetime in seconds as the server announced it.
  unsigned long ticket_lifetime_hint() const noexcept {
    return s_ ? detail::session_ticket_lifetime_hint(s_.get()) : 0;
  }
  /// is_resumable: whether a client can offer this session.
  bool is_resumable() const noexcept { return s_ && detail::session_is_resumable(s_.get()); }

  /// to_bytes: the session serialized (to keep it across program runs); empty for an
  /// empty session.
  std::vector<std::byte> to_bytes() const {
    return s_ ? detail::session_to_bytes(s_.get()) : std::vector<std::byte>{};
  }
  /// from_bytes: a session serialized by to_bytes; throws ssl_error when the bytes are not one.
  static session from_bytes(std::span<const std::byte> der) { return session(detail::session_from_bytes(der, nullptr)); }
  /// from_bytes: as above, but never throws for bad bytes: an empty session with the
  /// backend's error (boringssl_category()) in `ec`. std::bad_alloc still propagates.
  static session from_bytes(std::span<const std::byte> der, std::error_code& ec) {
    return detail::capture_result(ec, [&] { return from_bytes(der); }).value_or(session{});
  }

  /// native_handle: the backend's SSL_SESSION, still owned by this object (null when empty).
  SSL_SESSION* native_handle() const noexcept { return s_.get(); }

  /// Two sessions are equal when they are the same backend session.
  friend bool operator==(const session& a, const session& b) noexcept { return a.s_.get() == b.s_.get(); }

 private:
  detail::ssl_session_ptr s_;
};

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
