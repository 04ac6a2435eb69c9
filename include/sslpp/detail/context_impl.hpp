// sslpp — SPDX-License-Identifier: MIT
//
// detail/context_impl.hpp: the backend state behind sslpp::context and its protocol
// settings (versions, verification mode and flags, options, ciphers). Trust loading,
// the system store and the context's own key live in trust_loading.hpp,
// system_store.hpp and private_key.hpp.
#pragma once

#include <sslpp/detail/backend.hpp>
#include <sslpp/detail/backend_state.hpp>
#include <sslpp/detail/cipher_suites.hpp>
#include <sslpp/detail/error_impl.hpp>
#include <sslpp/detail/verify_floor.hpp>
#include <sslpp/protocol.hpp>

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

SSLPP_BEGIN_NAMESPACE
namespace detail {

/// default_cipher_list: CPython 3.13's default list ("ECDH+AESGCM:ECDH+CHACHA20:ECDH+AES:
/// DHE+AES:!aNULL:!eNULL:!aDSS:!SHA1:!AESCCM") as it resolves on BoringSSL: forward-secret
/// AEAD suites only (BoringSSL has no DHE and no SHA-2 CBC suites). TLS 1.3 suites are
/// always enabled and not configurable in BoringSSL.
inline constexpr const char* default_cipher_list =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

/// context_impl: one SSL_CTX plus the settings the backend does not keep itself.
/// Shared by every copy of a context and by every stream made from it.
struct context_impl {
  ssl_ctx_ptr ctx;
  bool made_for_servers = false;  // context_for(tls_server) / purpose::client_auth: refuses client wraps
  bool check_hostname = false;
  bool hostname_checks_common_name = false;
  sslpp::verify_mode mode = sslpp::verify_mode::cert_none;
  bool verify_mode_chosen = false;  // set_verify_mode was called (a context<side::any> then serves with it)
  sslpp::options opts = sslpp::options::none;
  sslpp::verify_flags vflags = sslpp::verify_flags::verify_default;
  std::vector<std::string> ciphers_skipped;  // what the last set_ciphers skipped (cipher_list_skipped())
  std::vector<std::string> trust_sources;    // what the trust store was loaded from, for verify errors
  // Beyond Python (API.md §9): what a client asks the server to send with its certificate.
  bool ocsp_stapling = false;           // set_ocsp_stapling: a stapled OCSP response
  bool signed_cert_timestamps = false;  // set_signed_cert_timestamps: Certificate Transparency SCTs
  bool early_data = false;                   // set_max_early_data allowed 0-RTT (server)
  bool cert_compression_set = false;         // set_cert_compression was called (it cannot be undone)
  bool ech_grease = false;                   // set_ech_grease: client wraps send a GREASE ECH extension
};

/// version_number: a tls_version as the backend's protocol number.
inline uint16_t protocol_number(tls_version v, bool for_minimum) {
  switch (static_cast<int>(v)) {
    case -2: return TLS1_VERSION;
    case -1: return TLS1_3_VERSION;
    case 0x0301: return TLS1_VERSION;
    case 0x0302: return TLS1_1_VERSION;
    case 0x0303: return TLS1_2_VERSION;
    case 0x0304: return TLS1_3_VERSION;
  }
  throw std::invalid_argument(std::string("unknown TLS version number ") + std::to_string(static_cast<int>(v)) +
                              (for_minimum ? " for minimum_version" : " for maximum_version"));
}

/// verify_flags_in_backend: the flags the backend implements (this BoringSSL has no X509_STRICT).
inline unsigned long backend_verify_flags(sslpp::verify_flags f) {
  unsigned long bits = 0;
  const auto v = static_cast<std::uint32_t>(f);
  if (v & 0x4) bits |= X509_V_FLAG_CRL_CHECK;
  if (v & 0x8) bits |= X509_V_FLAG_CRL_CHECK_ALL;
  if (v & 0x20) bits |= X509_V_FLAG_X509_STRICT;
  if (v & 0x8000) bits |= X509_V_FLAG_TRUSTED_FIRST;
  if (v & 0x80000) bits |= X509_V_FLAG_PARTIAL_CHAIN;
  return bits;
}

inline void apply_verify_mode(context_impl& c, sslpp::verify_mode m) {
  int flags = SSL_VERIFY_NONE;
  if (m == sslpp::verify_mode::cert_optional) flags = SSL_VERIFY_PEER;
  if (m == sslpp::verify_mode::cert_required) flags = SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT;
  // Every mode carries the security level's floor (detail/verify_floor.hpp): it is the
  // only place the backend lets sslpp judge each certificate of a verified chain.
  SSL_CTX_set_verify(c.ctx.get(), flags, verify_floor_callback);
  c.mode = m;
  renew_session_context(c.ctx.get());
}

/// apply_host_name_rules: the client's host name check (check_hostname) and its
/// common-name fallback. A resumed handshake checks no certificate, so sessions made under
/// other host name rules must not resume as if they had been checked under these: a change
/// renews the session context, and check_offered_session then checks the session's chain
/// (and name) as a full handshake would.
inline void apply_host_name_rules(context_impl& c, bool check_hostname, bool common_name_fallback) {
  const bool changed = c.check_hostname != check_hostname || c.hostname_checks_common_name != common_name_fallback;
  c.check_hostname = check_hostname;
  c.hostname_checks_common_name = common_name_fallback;
  if (changed) renew_session_context(c.ctx.get());
}

inline void apply_options(context_impl& c, sslpp::options o) {
  SSL_CTX_clear_options(c.ctx.get(), SSL_OP_NO_TICKET | SSL_OP_CIPHER_SERVER_PREFERENCE);
  uint32_t bits = 0;
  if (has(o, sslpp::options::no_ticket)) bits |= SSL_OP_NO_TICKET;
  if (has(o, sslpp::options::cipher_server_preference)) bits |= SSL_OP_CIPHER_SERVER_PREFERENCE;
  SSL_CTX_set_options(c.ctx.get(), bits);
  c.opts = o;
}

inline void apply_verify_flags(context_impl& c, sslpp::verify_flags f) {
  X509_VERIFY_PARAM* param = SSL_CTX_get0_param(c.ctx.get());
  X509_VERIFY_PARAM_clear_flags(param, backend_verify_flags(~sslpp::verify_flags::verify_default));
  X509_VERIFY_PARAM_set_flags(param, backend_verify_flags(f));
  c.vflags = f;
  renew_session_context(c.ctx.get());
}

/// set_cipher_list: the TLS 1.2 cipher list from a run-time string, read as OpenSSL reads
/// it (detail::apply_cipher_string); remembers what it skipped.
inline void set_cipher_list(context_impl& c, const std::string& ciphers) {
  c.ciphers_skipped = apply_cipher_string(c.ctx.get(), ciphers);
}

/// new_context: an SSL_CTX with sslpp's secure base settings (those of any Python 3.10+
/// SSLContext): TLS 1.2 to 1.3, forward-secret AEAD ciphers, verification by side.
inline std::shared_ptr<context_impl> new_context(bool server) {
  auto c = std::make_shared<context_impl>();
  c->ctx.reset(SSL_CTX_new(TLS_method()));
  if (!c->ctx) throw_backend_error("cannot create a TLS context");
  c->made_for_servers = server;
  install_features(c->ctx.get());  // SNI, ALPN, tickets, key log (detail/backend_state.hpp)
  SSL_CTX_set_min_proto_version(c->ctx.get(), TLS1_2_VERSION);
  SSL_CTX_set_max_proto_version(c->ctx.get(), TLS1_3_VERSION);
  set_cipher_list(*c, default_cipher_list);
  // Retrying a non-blocking write may pass the same data from a different address.
  SSL_CTX_set_mode(c->ctx.get(), SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  apply_options(*c, sslpp::options::no_compression | sslpp::options::cipher_server_preference |
                        sslpp::options::no_renegotiation | sslpp::options::single_ecdh_use |
                        sslpp::options::enable_middlebox_compat);
  apply_verify_flags(*c, sslpp::verify_flags::x509_trusted_first);
  if (server) {
    apply_verify_mode(*c, sslpp::verify_mode::cert_none);
  } else {
    apply_verify_mode(*c, sslpp::verify_mode::cert_required);
    c->check_hostname = true;
  }
  return c;
}

inline tls_version get_min_version(const context_impl& c) {
  return static_cast<tls_version>(SSL_CTX_get_min_proto_version(c.ctx.get()));
}
inline tls_version get_max_version(const context_impl& c) {
  return static_cast<tls_version>(SSL_CTX_get_max_proto_version(c.ctx.get()));
}
inline void set_min_version(context_impl& c, tls_version v) {
  if (!SSL_CTX_set_min_proto_version(c.ctx.get(), protocol_number(v, true)))
    throw_backend_error("cannot set minimum_version");
}
inline void set_max_version(context_impl& c, tls_version v) {
  if (!SSL_CTX_set_max_proto_version(c.ctx.get(), protocol_number(v, false)))
    throw_backend_error("cannot set maximum_version");
}

}  // namespace detail
SSLPP_END_NAMESPACE
