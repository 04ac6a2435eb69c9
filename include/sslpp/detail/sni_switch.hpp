// sslpp — SPDX-License-Identifier: MIT
//
// detail/sni_switch.hpp: the server side of SNI: the name a client asked for, and moving a
// connection to another context's certificate and client verification.
#pragma once

#include <sslpp/detail/backend_state.hpp>

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

/// requested_server_name: the host name a client asked for, or null.
inline const char* requested_server_name(const SSL* ssl) { return SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name); }

/// switch_context: serves this connection with another context's certificate and key
/// and its client verification: verify mode, callback (and so security level), depth,
/// verification flags and trust store. The backend's SSL_set_SSL_CTX moves only the
/// certificate and key; the rest was copied into the connection when it was made.
inline void switch_context(SSL* ssl, SSL_CTX* ctx) {
  if (!ctx) throw std::logic_error("sni_request::use_context: the context holds no settings: it was moved from");
  if (!SSL_set_SSL_CTX(ssl, ctx)) throw_backend_error("cannot switch the connection to another context");
  SSL_set_verify(ssl, SSL_CTX_get_verify_mode(ctx), SSL_CTX_get_verify_callback(ctx));
  // Replaced, not merged (X509_VERIFY_PARAM_set1 would OR the flags and keep the depth).
  X509_VERIFY_PARAM* to = SSL_get0_param(ssl);
  const X509_VERIFY_PARAM* from = SSL_CTX_get0_param(ctx);
  X509_VERIFY_PARAM_clear_flags(to, X509_VERIFY_PARAM_get_flags(to));
  X509_VERIFY_PARAM_set_flags(to, X509_VERIFY_PARAM_get_flags(const_cast<X509_VERIFY_PARAM*>(from)));
  X509_VERIFY_PARAM_set_depth(to, X509_VERIFY_PARAM_get_depth(from));
  if (!SSL_set1_verify_cert_store(ssl, SSL_CTX_get_cert_store(ctx)))
    throw_backend_error("cannot switch the connection to another context's trust store");
}

/// serve_without_client_certificates: this server connection asks no client for a
/// certificate (the verify callback is kept).
inline void serve_without_client_certificates(SSL* ssl) {
  SSL_set_verify(ssl, SSL_VERIFY_NONE, SSL_get_verify_callback(ssl));
}

}  // namespace detail
SSLPP_END_NAMESPACE
