// sslpp — SPDX-License-Identifier: MIT
//
// session_cache.hpp: sslpp::session_cache, a client's store of sessions to resume, keyed
// by host name and the context that made them.
#pragma once

#include <sslpp/config.hpp>
#include <sslpp/session.hpp>

#include <sslpp/detail/chrono.hpp>
#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

SSLPP_BEGIN_NAMESPACE

namespace detail {
struct context_impl;
struct session_cache_access;
}  // namespace detail

/// session_cache: the sessions a client may resume, for connections made with
/// `wrap_options{.session_cache = &cache}`: such a wrap offers the newest session cached
/// for its host name by its context, and every session the server sends on it (TLS 1.3
/// tickets arrive after the handshake and reads take them in) is stored here.
///
/// The wrap's session rules apply to a cached session as to one passed in
/// `wrap_options::session`: it is offered only to the host name it was made for (ASCII
/// case ignored, one trailing dot stripped), only by the context (any copy of it) that
/// made it, and only while the certificate chain it holds still verifies under that
/// context. A session that fails them is dropped from the cache, and the wrap goes on
/// with a full handshake. A session given in wrap_options::session is offered instead of
/// a cached one.
///
/// TLS 1.3 sessions are single-use (RFC 8446 appendix C.4: a reused ticket lets an
/// observer link the connections), so offering one removes it; the server sends new ones
/// on the connection that used it (two by default). TLS 1.2 sessions stay until evicted.
/// The cache keeps at most `per_host` sessions per host name and context (the newest)
/// and at most `capacity` in all, evicting the least recently used; expired sessions are
/// dropped when met.
///
/// Lifetime: a connection stores its new sessions through a pointer to the cache, so the
/// cache must outlive every connection made with it.
///
/// WARNING: sessions hold the secrets of the connections they came from: anyone who can
/// read the cache can resume as this client.
///
/// Thread Safety: every member may be called from many threads at once, and many
/// connections on many threads may use one cache.
///
/// Example:
///   sslpp::session_cache cache;
///   auto ctx = sslpp::create_default_context();
///   auto first = ctx.wrap_socket(sslpp::tcp_socket::connect(host, 443), "example.org", {.session_cache = &cache});
///   first.read(1024);  // takes in the server's tickets
///   auto again = ctx.wrap_socket(sslpp::tcp_socket::connect(host, 443), "example.org", {.session_cache = &cache});
///   // again.session_reused() when the server agrees
class session_cache {
 public:
  /// Makes an empty cache holding at most `capacity` sessions, at most `per_host` of them
  /// for one host name and context. Both must be at least 1 (std::invalid_argument).
  explicit session_cache(std::size_t capacity = 256, std::size_t per_host = 4);
  session_cache(const session_cache&) = delete;
  session_cache& operator=(const session_cache&) = delete;

  /// put: stores a session (a connection's session(), or one read back with
  /// session::from_bytes, which any context may offer once its chain verifies there),
  /// keyed by its server_hostname() and the context that made it. An empty or
  /// non-resumable session is ignored.
  void put(const session& s);

  /// size: how many sessions the cache holds.
  std::size_t size() const;
  /// count: how many sessions the cache holds for `host_name` (ASCII case ignored, one
  /// trailing dot stripped), from any context.
  std::size_t count(std::string_view host_name) const;
  /// capacity: the most sessions the cache holds.
  std::size_t capacity() const noexcept { return capacity_; }
  /// per_host: the most sessions it holds for one host name and context.
  std::size_t per_host() const noexcept { return per_host_; }
  /// clear: drops every session.
  void clear();

 private:
  friend struct detail::session_cache_access;

  struct entry {
    session value;
    std::optional<std::string> name;  // lower case, no trailing dot
  };

  static std::optional<std::string> key_name(std::optional<std::string> name);
  static bool same_origin(const session& a, const session& b);
  static bool same_key(const entry& a, const entry& b);
  static bool expired(const session& s);

  // take: the newest session for `name` that `origin` may offer (its own, or one read by
  // from_bytes), removed when it is single-use; an empty session when there is none.
  // Sessions of contexts that no longer exist, and expired ones, are dropped on the way.
  session take(const std::optional<std::string>& name, const std::shared_ptr<const detail::context_impl>& origin);
  // forget: drops `s` (the wrap's rules refused it).
  void forget(const session& s);

  std::size_t capacity_;
  std::size_t per_host_;
  mutable std::mutex mutex_;
  std::list<entry> entries_;  // most recently used first
};

namespace detail {
/// session_cache_access: what the wrap's session policy (detail/client_policy.hpp) uses.
struct session_cache_access {
  static session take(session_cache& c, const std::optional<std::string>& name,
                      const std::shared_ptr<const context_impl>& origin) {
    return c.take(name, origin);
  }
  static void forget(session_cache& c, const session& s) { c.forget(s); }
};
}  // namespace detail

SSLPP_END_NAMESPACE

#if SSLPP_WITH_DEFINITIONS
#include <sslpp/impl/session_cache.ipp>
#endif
