// sslpp — SPDX-License-Identifier: MIT
//
// detail/session_state.hpp: what a sslpp::session holds (its backend session and where it
// came from), and session_access, through which sslpp's own code makes and reads sessions.
#pragma once

#include <sslpp/config.hpp>
#include <sslpp/detail/backend.hpp>
#include <sslpp/session.hpp>

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

SSLPP_BEGIN_NAMESPACE
namespace detail {
struct context_impl;

/// session_state: a backend session and what sslpp remembers of where it came from.
struct session_state {
  ssl_session_ptr backend;
  std::optional<std::string> server_hostname;  // the name it was made for (one trailing dot stripped)
  std::weak_ptr<const context_impl> origin;    // the context that made it; none after from_bytes
  bool loaded = false;                         // made by from_bytes: no origin context to compare
  mutable std::mutex rebinding{};              // serializes check_offered_session's id-context update

  session_state(ssl_session_ptr b, std::optional<std::string> name, std::weak_ptr<const context_impl> o, bool l)
      : backend(std::move(b)), server_hostname(std::move(name)), origin(std::move(o)), loaded(l) {}
};
/// session_access: what the wrap's session policy (detail/client_policy.hpp) reads of a session.
struct session_access {
  static const session_state* state(const session& s) noexcept { return s.state_.get(); }
  /// make: a session of a connection (only sslpp knows the name and context it was made
  /// under); an empty session when `s` is null.
  static session make(ssl_session_ptr s, std::optional<std::string> name, std::weak_ptr<const context_impl> origin) {
    return session(s ? std::make_shared<const session_state>(std::move(s), std::move(name), std::move(origin), false)
                     : nullptr);
  }
};
}  // namespace detail
SSLPP_END_NAMESPACE
