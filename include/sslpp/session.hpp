// sslpp — SPDX-License-Identifier: MIT
//
// session.hpp: sslpp::session, a TLS session a client can resume.
#pragma once

#include <sslpp/config.hpp>
#include <sslpp/detail/backend_fwd.hpp>
#include <sslpp/session_statistics.hpp>

#include <sslpp/detail/chrono.hpp>
#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

SSLPP_BEGIN_NAMESPACE

namespace detail {
struct context_impl;
struct session_state;   // detail/session_state.hpp
struct session_access;  // detail/session_state.hpp
}  // namespace detail

/// session: a resumable TLS session (Python's SSLSession). Copies share it; an empty
/// session (`explicit operator bool` false) stands for "none yet".
///
/// A client's stream holds a session once the server sent one: in TLS 1.2 at the end of
/// the handshake, in TLS 1.3 when a NewSessionTicket arrives after it — which a read
/// takes in, so read from the stream before taking its session. Pass it to the next
/// `wrap_socket` in `wrap_options{.session = s}` to resume.
///
/// A resumed handshake checks no certificate, so a session is bound to what was checked
/// when it was made: the server name it was made for (server_hostname()) and the context
/// that made it (any copy of it). A client wrap given a session for another name (compared
/// as the host name check compares: ASCII case ignored, one trailing dot stripped) or made
/// by another context throws std::invalid_argument naming both (Python's "Session refers
/// to a different SSLContext"); the error_code wraps report errc::invalid_argument. A
/// session read back with from_bytes has no context to compare: its name still must match,
/// and the certificate chain it holds must verify under the wrapping context (its trust
/// store, host name check and security level) before it is offered.
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
  /// Whether this holds a session.
  explicit operator bool() const noexcept { return static_cast<bool>(state_); }

  /// server_hostname: the server name the session was made for (one trailing dot
  /// stripped), nullopt when it was made without one (sslpp::no_hostname) or is empty.
  /// A cache of sessions keys them by this name.
  std::optional<std::string> server_hostname() const;

  /// id: the session's id (Python's SSLSession.id); empty for an empty session.
  std::vector<std::byte> id() const;
  /// time: when the session was made (Python's SSLSession.time).
  std::chrono::system_clock::time_point time() const;
  /// timeout: how long after time() the session may be resumed (Python's SSLSession.timeout).
  std::chrono::seconds timeout() const;
  /// has_ticket: whether the server sent a ticket for it (Python's SSLSession.has_ticket).
  bool has_ticket() const noexcept;
  /// ticket_lifetime_hint: the ticket's lifetime in seconds as the server announced it.
  unsigned long ticket_lifetime_hint() const noexcept;
  /// is_resumable: whether a client can offer this session.
  bool is_resumable() const noexcept;

  /// to_bytes: the session serialized with the server name it was made for (to keep it
  /// across program runs); empty for an empty session.
  std::vector<std::byte> to_bytes() const;
  /// from_bytes: a session serialized by to_bytes; throws ssl_error when the bytes are not
  /// one. It keeps its server name; see the class comment for how a wrap checks it.
  static session from_bytes(std::span<const std::byte> bytes);
  /// from_bytes: as above, but never throws for bad bytes: an empty session with the
  /// backend's error (boringssl_category()) in `ec`. std::bad_alloc still propagates.
  static session from_bytes(std::span<const std::byte> bytes, std::error_code& ec);

  /// native_handle: the backend's SSL_SESSION, still owned by this object (null when empty).
  ///
  /// WARNING: a session offered through the backend directly (SSL_set_session) skips the
  /// host name and context checks above.
  SSL_SESSION* native_handle() const noexcept;

  /// Two sessions are equal when they are the same backend session.
  friend bool operator==(const session& a, const session& b) noexcept {
    return a.native_handle() == b.native_handle();
  }

 private:
  friend struct detail::session_access;
  /// Holds `state` (a session_access::make result; null for an empty session).
  explicit session(std::shared_ptr<const detail::session_state> state) noexcept : state_(std::move(state)) {}

  SSL_SESSION* raw() const noexcept;

  std::shared_ptr<const detail::session_state> state_;
};

SSLPP_END_NAMESPACE

#if SSLPP_WITH_DEFINITIONS
#include <sslpp/impl/session.ipp>
#endif
