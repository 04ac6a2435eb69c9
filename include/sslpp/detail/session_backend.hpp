// sslpp — SPDX-License-Identifier: MIT
//
// detail/session_backend.hpp: the backend side of sessions: the newest session of a
// connection, its facts, its serialized form, tickets and the session counters.
#pragma once

#include <sslpp/detail/backend_state.hpp>
#include <sslpp/session_statistics.hpp>
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

/// session_of: the newest resumable session of a connection: a ticket the server sent
/// (TLS 1.3 tickets arrive after the handshake and are taken in by reads), else the
/// connection's own session when it can be resumed; null when there is none.
inline ssl_session_ptr session_of(const SSL* ssl) {
  if (auto* c = static_cast<conn_features*>(SSL_get_ex_data(ssl, conn_features_index())); c && c->latest_session)
    return up_ref(c->latest_session.get());
  SSL_SESSION* s = SSL_get_session(ssl);
  if (s && SSL_SESSION_is_resumable(s)) return up_ref(s);
  return {};
}

/// session_single_use: whether a client should offer `s` once only (TLS 1.3: RFC 8446
/// appendix C.4; a TLS 1.2 session is the same correlator however often it is used).
inline bool session_single_use(const SSL_SESSION* s) { return SSL_SESSION_should_be_single_use(s) != 0; }

/// session_was_reused: whether the handshake resumed a session.
inline bool session_was_reused(const SSL* ssl) { return SSL_session_reused(ssl) != 0; }

// The most tickets this backend sends after a handshake; it caps larger requests.
inline constexpr std::size_t backend_max_tickets = 16;

/// set_num_tickets: how many TLS 1.3 tickets a server sends; records what is sent.
inline void set_num_tickets(SSL_CTX* ctx, std::size_t n) {
  SSL_CTX_set_num_tickets(ctx, n);
  features_of(ctx).num_tickets = std::min(n, backend_max_tickets);
}

/// session_stats_of: Python's session_stats(): number (the server's session cache), and
/// the handshakes sslpp counts itself.
inline session_statistics session_stats_of(const SSL_CTX* ctx) {
  const session_counters& n = features_of(ctx).counters;
  session_statistics s;
  s.number = static_cast<long>(SSL_CTX_sess_number(ctx));
  s.connect = n.connect.load();
  s.connect_good = n.connect_good.load();
  s.accept = n.accept.load();
  s.accept_good = n.accept_good.load();
  s.hits = n.hits.load();
  s.misses = n.misses.load();
  return s;
}

/// session_id_bytes, session facts for sslpp::session.
inline std::vector<std::byte> session_id_bytes(const SSL_SESSION* s) {
  unsigned len = 0;
  const uint8_t* id = SSL_SESSION_get_id(s, &len);
  const auto* b = reinterpret_cast<const std::byte*>(id);
  return std::vector<std::byte>(b, b + len);
}
inline long session_time(const SSL_SESSION* s) { return static_cast<long>(SSL_SESSION_get_time(s)); }
inline long session_timeout(const SSL_SESSION* s) { return static_cast<long>(SSL_SESSION_get_timeout(s)); }
inline bool session_has_ticket(const SSL_SESSION* s) { return SSL_SESSION_has_ticket(s) != 0; }
inline unsigned long session_ticket_lifetime_hint(const SSL_SESSION* s) {
  // BoringSSL keeps a TLS 1.3 ticket's lifetime as the session's timeout, not as the hint.
  const auto hint = static_cast<unsigned long>(SSL_SESSION_get_ticket_lifetime_hint(s));
  if (hint == 0 && SSL_SESSION_has_ticket(s)) return static_cast<unsigned long>(SSL_SESSION_get_timeout(s));
  return hint;
}
inline bool session_is_resumable(const SSL_SESSION* s) { return SSL_SESSION_is_resumable(s) != 0; }
// The serialized form of a session: this magic, a byte saying whether a server name
// follows, its length and text, then the backend's own encoding. Keeping the name lets a
// session read back be checked against the host it is offered to.
inline constexpr std::string_view session_magic{"sslpp-session\x01", 14};

/// session_to_bytes: the session and the server name it was made for, serialized.
inline std::vector<std::byte> session_to_bytes(const SSL_SESSION* s, const std::optional<std::string>& name) {
  uint8_t* out = nullptr;
  std::size_t len = 0;
  if (!SSL_SESSION_to_bytes(s, &out, &len)) throw_backend_error("cannot serialize the session");
  bssl::UniquePtr<uint8_t> owned(out);
  std::vector<std::byte> v;
  v.reserve(session_magic.size() + 2 + (name ? name->size() : 0) + len);
  for (char c : session_magic) v.push_back(static_cast<std::byte>(c));
  v.push_back(std::byte{name ? std::uint8_t{1} : std::uint8_t{0}});
  v.push_back(static_cast<std::byte>(name ? name->size() : 0));  // at most 253 (hostname's rule)
  if (name)
    for (char c : *name) v.push_back(static_cast<std::byte>(c));
  const auto* b = reinterpret_cast<const std::byte*>(out);
  v.insert(v.end(), b, b + len);
  return v;
}

/// parsed_session: what session_from_bytes read.
struct parsed_session {
  ssl_session_ptr backend;
  std::optional<std::string> server_hostname;
};

/// session_from_bytes: a session serialized by session_to_bytes; throws ssl_error otherwise.
inline parsed_session session_from_bytes(std::span<const std::byte> bytes) {
  const auto text = [&](std::size_t at, std::size_t n) {
    return std::string_view(reinterpret_cast<const char*>(bytes.data()) + at, n);
  };
  const std::size_t header = session_magic.size() + 2;
  if (bytes.size() < header || text(0, session_magic.size()) != session_magic)
    throw ssl_error(make_error_code(ssl_errc::ssl),
                    "cannot parse the serialized session: it was not made by sslpp::session::to_bytes", "SSL",
                    "BAD_SESSION");
  const bool has_name = bytes[session_magic.size()] != std::byte{0};
  const auto name_size = static_cast<std::size_t>(bytes[session_magic.size() + 1]);
  if (bytes.size() < header + name_size)
    throw ssl_error(make_error_code(ssl_errc::ssl), "cannot parse the serialized session: it is truncated", "SSL",
                    "BAD_SESSION");
  parsed_session p;
  if (has_name) p.server_hostname = std::string(text(header, name_size));
  const auto der = bytes.subspan(header + name_size);
  // Parsing needs a context for its certificate handling; any TLS context will do.
  static const ssl_ctx_ptr any_ctx(SSL_CTX_new(TLS_method()));
  p.backend.reset(SSL_SESSION_from_bytes(reinterpret_cast<const uint8_t*>(der.data()), der.size(), any_ctx.get()));
  if (!p.backend) throw_backend_error("cannot parse the serialized session");
  return p;
}

}  // namespace detail
SSLPP_END_NAMESPACE
