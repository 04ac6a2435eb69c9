// sslpp — SPDX-License-Identifier: MIT
//
// session.hpp: sslpp::session, a TLS session a client can resume.
#pragma once

#include <sslpp/config.hpp>
#include <sslpp/detail/backend.hpp>

SSLPP_BEGIN_NAMESPACE

/// session: a resumable TLS session (Python's SSLSession). Copies share it; an empty
/// session (`explicit operator bool` false) stands for "none yet".
///
/// Example:
///   auto first = ctx.wrap_socket(sslpp::tcp_socket::connect(host, port), "example.org");
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
  /// native_handle: the backend's SSL_SESSION, still owned by this object (null when empty).
  SSL_SESSION* native_handle() const noexcept { return s_.get(); }

 private:
  detail::ssl_session_ptr s_;
};

SSLPP_END_NAMESPACE
