// sslpp — SPDX-License-Identifier: MIT
//
// sni.hpp: sslpp::sni_request, what a server's SNI callback sees and decides.
#pragma once

#include <sslpp/config.hpp>
#include <sslpp/detail/backend_fwd.hpp>
#include <sslpp/fwd.hpp>
#include <sslpp/protocol.hpp>

#include <optional>
#include <string_view>

SSLPP_BEGIN_NAMESPACE

template <side S>
class context;

/// sni_request: one client's request for a server name (TLS Server Name Indication,
/// RFC 6066 §3), handed to the callback of `server_context::set_sni_callback` while the
/// handshake waits. The callback may serve the connection with another context's
/// certificate (`use_context`), refuse it with an alert (`reject`), or do neither: the
/// connection then goes on with the context it was made with.
///
/// It is a view of the connection being set up: valid only during the callback.
///
/// Example:
///   sctx.set_sni_callback([&](sslpp::sni_request& r) {
///     if (r.server_name() == "other.example") r.use_context(other_ctx);
///     else if (!r.server_name()) r.reject();
///   });
class sni_request {
 public:
  /// server_name: the host name the client asked for, or nullopt when it sent none (it
  /// connected by IP address, or is an old client).
  std::optional<std::string_view> server_name() const noexcept;

  /// use_context: serves this connection with `other`'s certificate chain and key, and
  /// with its client verification: verify mode (so a client without the certificate
  /// `other` requires is refused), trust store, depth, verification flags and security
  /// level. A context<side::any> serves with cert_none unless its set_verify_mode was
  /// called, as its own wraps do. The session cache, ALPN and ticket settings stay those
  /// of the context the connection was made with, as in OpenSSL and Python. `other` may
  /// be dropped afterwards: the connection keeps what it needs alive. A moved-from
  /// `other` throws std::logic_error (which fails the handshake).
  template <side S>
    requires(S != side::client)
  void use_context(const context<S>& other) {
    switch_to(other.native_handle());
    if constexpr (S == side::any)
      if (!other.verify_mode_chosen()) serve_without_client_certificates();
  }

  /// reject: fails the handshake, sending the client `a` (by default
  /// unrecognized_name, RFC 6066's alert for an unknown name).
  void reject(sslpp::alert a = sslpp::alert::unrecognized_name) noexcept { rejected_ = a; }

  /// rejected: the alert reject() chose, or nullopt.
  std::optional<sslpp::alert> rejected() const noexcept { return rejected_; }

  sni_request(const sni_request&) = delete;
  sni_request& operator=(const sni_request&) = delete;

 private:
  template <side>
  friend class context;
  // Made by the context's SNI callback for the backend's connection `ssl`.
  explicit sni_request(SSL* ssl) noexcept : ssl_(ssl) {}
  // switch_to: use_context's work on the backend context `ctx` (null: `other` was moved
  // from, std::logic_error); serve_without_client_certificates: asks no client certificate.
  void switch_to(SSL_CTX* ctx);
  void serve_without_client_certificates();

  SSL* ssl_;
  std::optional<sslpp::alert> rejected_;
};

SSLPP_END_NAMESPACE

#if SSLPP_WITH_DEFINITIONS
#include <sslpp/impl/sni.ipp>
#endif
