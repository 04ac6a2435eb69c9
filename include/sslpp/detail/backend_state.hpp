// sslpp — SPDX-License-Identifier: MIT
//
// detail/backend_state.hpp: what sslpp attaches to the backend's objects. State that the
// SSL_CTX must keep for sslpp's callbacks (SNI, ALPN, key log, sessions, security level)
// lives in ctx_features,
// owned by the SSL_CTX itself (ex_data), so it lives exactly as long as the backend
// context does — also when a server's SNI callback moves a connection to another context
// that the program has since dropped. Per-connection state lives in conn_features, owned
// by the SSL object the same way.
#pragma once

#include <sslpp/cert_store.hpp>
#include <sslpp/cipher.hpp>
#include <sslpp/private_key_signer.hpp>
#include <sslpp/psk.hpp>
#include <sslpp/session_statistics.hpp>
#include <sslpp/detail/backend.hpp>
#include <sslpp/detail/error_impl.hpp>
#include <sslpp/detail/feature_rules.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <mutex>
#include <new>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

SSLPP_BEGIN_NAMESPACE
namespace detail {

/// session_counters: Python's session_stats() keys that the backend does not count
/// itself (BoringSSL's SSL_CTX_sess_* counters are all stubs returning 0).
struct session_counters {
  std::atomic<long> connect{0}, connect_good{0}, accept{0}, accept_good{0}, hits{0}, misses{0};
};

/// ctx_features: what an SSL_CTX needs for sslpp's callbacks.
struct ctx_features {
  // Server ALPN preference list in wire format (length-prefixed), empty: no ALPN.
  std::string alpn_server_wire;
  // What the server does when a client's ALPN list shares nothing with it (set_alpn_mismatch):
  // true, RFC 7301's fatal no_application_protocol alert; false, go on without ALPN (Python).
  bool alpn_mismatch_refuses = true;
  // The SNI callback: returns the alert to refuse the handshake with, or nullopt.
  std::function<std::optional<std::uint8_t>(SSL*)> sni;
  std::size_t num_tickets = 2;  // BoringSSL's default, and Python's
  std::mutex keylog_mutex;
  std::FILE* keylog = nullptr;
  std::string keylog_path;
  session_counters counters;
  unsigned char session_context[32] = {};  // the current session id context (renew_session_context)
  // The security level whose key-size and digest floor verify_floor_callback applies to
  // the peer's chain (detail/verify_floor.hpp); OpenSSL's and Python's default, 2. Read
  // from the context a connection uses when it verifies (an SNI callback may switch it).
  std::atomic<int> security_level{2};
  // set_client_sigalgs / set_server_sigalgs as given (code points), empty: not set. The
  // backend holds them too; these say what was asked, for per-connection use and errors.
  std::vector<std::uint16_t> client_sigalgs;
  std::vector<std::uint16_t> server_sigalgs;
  // set_psk_client_callback / set_psk_server_callback (detail/psk_callbacks.hpp), null: not set.
  std::function<psk_credentials(std::optional<std::string_view>)> psk_client;
  std::function<std::vector<std::byte>(std::string_view)> psk_server;
  // load_cert_chain(certfile, signer): the private key's signer (detail/key_offload.hpp), null: none.
  std::function<std::optional<std::vector<std::byte>>(signing_request&)> signer;

  ctx_features() = default;
  ctx_features(const ctx_features&) = delete;
  ctx_features& operator=(const ctx_features&) = delete;
  ~ctx_features() {
    if (keylog) std::fclose(keylog);
  }
};

/// conn_extras: per-connection state only PSK and private-key offload use, made when
/// first needed (a pointer in conn_features keeps other connections small).
struct conn_extras {
  std::string psk_identity;            // the PSK identity this connection used or was offered
  bool psk_used = false;               // a PSK callback gave a key (the handshake is a PSK one)
  std::string problem;                 // what a PSK callback or the signer did wrong, for the error
  std::shared_ptr<signing_slot> signing;  // the signature under way (private-key offload)
};

/// conn_features: per-connection state of sslpp's callbacks.
struct conn_features {
  ssl_session_ptr latest_session;       // the newest session (ticket) the server sent
  std::vector<std::uint16_t> client_ciphers;  // the suites in the client's hello (server side)
  bool offered_session = false;        // the client offered a session to resume (server side)
  ctx_features* origin = nullptr;      // the context the connection was made from
  long floor_code = 0;                 // the verify code the security level's floor set, 0: none
  std::unique_ptr<std::string> floor_detail;  // which certificate it refused and why (only then: a pointer keeps idle connections small)
  std::uint16_t client_max_version = 0;  // the highest version the client's hello offered (server side)
  std::vector<std::uint16_t> client_hello_sigalgs;  // the client's signature_algorithms (server side)
  std::uint16_t own_sigalg = 0;        // the algorithm this end signed its handshake with, 0: none
  // Where a client's new sessions go besides latest_session (wrap_options::session_cache);
  // called inside the backend's frames, so it must not throw. Null without a cache.
  std::unique_ptr<std::function<void(SSL_SESSION*)>> session_sink;
  std::unique_ptr<conn_extras> extras;  // PSK and private-key offload only (connection_extras)
};

inline void free_ctx_features(void*, void* ptr, CRYPTO_EX_DATA*, int, long, void*) {
  delete static_cast<ctx_features*>(ptr);
}
inline void free_conn_features(void*, void* ptr, CRYPTO_EX_DATA*, int, long, void*) {
  delete static_cast<conn_features*>(ptr);
}
inline int ctx_features_index() {
  static const int index = SSL_CTX_get_ex_new_index(0, nullptr, nullptr, nullptr, free_ctx_features);
  return index;
}
inline int conn_features_index() {
  static const int index = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, free_conn_features);
  return index;
}

/// find_features: the ctx_features of a context made by sslpp, or null for a foreign SSL_CTX.
inline ctx_features* find_features(const SSL_CTX* ctx) {
  return static_cast<ctx_features*>(SSL_CTX_get_ex_data(ctx, ctx_features_index()));
}
/// features_of: the ctx_features of a context made by sslpp; throws std::logic_error for a foreign one.
inline ctx_features& features_of(const SSL_CTX* ctx) {
  ctx_features* f = find_features(ctx);
  if (!f) throw std::logic_error("sslpp: this SSL_CTX was not made by sslpp");
  return *f;
}
/// connection_features: the conn_features of a connection, made on first use (null only
/// when out of memory).
inline conn_features* connection_features(const SSL* ssl) {
  auto* c = static_cast<conn_features*>(SSL_get_ex_data(ssl, conn_features_index()));
  if (c) return c;
  c = new (std::nothrow) conn_features;
  if (!c) return nullptr;
  if (!SSL_set_ex_data(const_cast<SSL*>(ssl), conn_features_index(), c)) {
    delete c;
    return nullptr;
  }
  c->origin = find_features(SSL_get_SSL_CTX(ssl));
  return c;
}

/// connection_extras: the conn_extras of a connection, made on first use (null only when
/// out of memory).
inline conn_extras* connection_extras(const SSL* ssl) {
  conn_features* c = connection_features(ssl);
  if (!c) return nullptr;
  if (!c->extras) c->extras.reset(new (std::nothrow) conn_extras);
  return c->extras.get();
}
/// find_extras: the conn_extras of a connection, or null when none were made.
inline const conn_extras* find_extras(const SSL* ssl) {
  const auto* c = static_cast<const conn_features*>(SSL_get_ex_data(ssl, conn_features_index()));
  return c ? c->extras.get() : nullptr;
}

// --- callbacks ---

inline int servername_callback(SSL* ssl, int* alert, void* arg) {
  auto* f = static_cast<ctx_features*>(arg);
  if (!f || !f->sni) return SSL_TLSEXT_ERR_OK;
  try {
    if (const auto refuse = f->sni(ssl)) {
      *alert = *refuse;
      return SSL_TLSEXT_ERR_ALERT_FATAL;
    }
    return SSL_TLSEXT_ERR_OK;
  } catch (...) {
    // An exception must not cross the backend's C frames: fail this handshake instead.
    *alert = SSL_AD_INTERNAL_ERROR;
    return SSL_TLSEXT_ERR_ALERT_FATAL;
  }
}

inline int alpn_select_callback(SSL*, const uint8_t** out, uint8_t* out_len, const uint8_t* in, unsigned in_len,
                                void* arg) {
  auto* f = static_cast<ctx_features*>(arg);
  if (!f || f->alpn_server_wire.empty()) return SSL_TLSEXT_ERR_NOACK;
  uint8_t* selected = nullptr;
  // The server's order wins, as in Python. No overlap: RFC 7301 §3.2's fatal
  // no_application_protocol alert (the backend sends it for ALERT_FATAL), or, when the
  // context asked for Python's behaviour, no ALPN.
  const auto* server = reinterpret_cast<const uint8_t*>(f->alpn_server_wire.data());
  if (SSL_select_next_proto(&selected, out_len, server, static_cast<unsigned>(f->alpn_server_wire.size()), in,
                            in_len) != OPENSSL_NPN_NEGOTIATED)
    return f->alpn_mismatch_refuses ? SSL_TLSEXT_ERR_ALERT_FATAL : SSL_TLSEXT_ERR_NOACK;
  *out = selected;
  return SSL_TLSEXT_ERR_OK;
}

inline void keylog_callback(const SSL* ssl, const char* line) {
  ctx_features* f = find_features(SSL_get_SSL_CTX(ssl));
  if (!f) return;
  std::lock_guard<std::mutex> lock(f->keylog_mutex);
  if (!f->keylog) return;
  std::fputs(line, f->keylog);
  std::fputc('\n', f->keylog);
  std::fflush(f->keylog);
}

inline int new_session_callback(SSL* ssl, SSL_SESSION* session) {
  conn_features* c = connection_features(ssl);
  if (!c) return 0;
  c->latest_session.reset(session);  // returning 1: we keep the reference we were given
  if (c->session_sink) (*c->session_sink)(session);
  return 1;
}

inline enum ssl_select_cert_result_t select_certificate_callback(const SSL_CLIENT_HELLO* hello) {
  conn_features* c = connection_features(hello->ssl);
  if (!c) return ssl_select_cert_success;
  // This runs inside the backend's C frames: running out of memory fails the handshake
  // rather than unwinding through them.
  try {
    c->client_ciphers.clear();
    c->client_ciphers.reserve(hello->cipher_suites_len / 2);  // kept for the connection's life: no slack
    for (std::size_t i = 0; i + 1 < hello->cipher_suites_len; i += 2)
      c->client_ciphers.push_back(
          static_cast<std::uint16_t>(hello->cipher_suites[i] << 8 | hello->cipher_suites[i + 1]));
  } catch (...) {
    return ssl_select_cert_error;
  }
  const uint8_t* data = nullptr;
  std::size_t len = 0;
  const bool ticket = SSL_early_callback_ctx_extension_get(hello, TLSEXT_TYPE_session_ticket, &data, &len) && len > 0;
  const bool psk = SSL_early_callback_ctx_extension_get(hello, TLSEXT_TYPE_pre_shared_key, &data, &len) != 0;
  // A TLS 1.2 session id is an offer too; a TLS 1.3 client's random session id
  // (middlebox compatibility) comes with a pre_shared_key extension when it resumes.
  bool tls13 = SSL_early_callback_ctx_extension_get(hello, TLSEXT_TYPE_supported_versions, &data, &len) != 0;
  c->offered_session = ticket || psk || (!tls13 && hello->session_id_len > 0);
  // For a "no common signature algorithm" error: what the client accepts.
  c->client_hello_sigalgs.clear();
  if (SSL_early_callback_ctx_extension_get(hello, TLSEXT_TYPE_signature_algorithms, &data, &len) && len >= 2) {
    try {
      for (std::size_t i = 2; i + 1 < len && i < 2 + (static_cast<std::size_t>(data[0]) << 8 | data[1]); i += 2)
        c->client_hello_sigalgs.push_back(static_cast<std::uint16_t>(data[i] << 8 | data[i + 1]));
    } catch (...) {
      return ssl_select_cert_error;
    }
  }
  // For a version mismatch's error: the highest version offered (GREASE values skipped).
  c->client_max_version = hello->version;
  if (tls13 && len >= 1) {
    c->client_max_version = 0;
    for (std::size_t i = 1; i + 1 < len && i <= data[0]; i += 2) {
      const auto v = static_cast<std::uint16_t>(data[i] << 8 | data[i + 1]);
      if ((v & 0x0f0f) != 0x0a0a && v > c->client_max_version) c->client_max_version = v;
    }
  }
  return ssl_select_cert_success;
}

/// message_callback: notes the signature algorithm this end signs its handshake with,
/// from the message that carries it (the backend has no getter for its own choice): a
/// CertificateVerify (TLS 1.2 client, TLS 1.3 both sides) starts with it, a TLS 1.2
/// ECDHE ServerKeyExchange has it after the key share.
inline void message_callback(int is_write, int, int content_type, const void* buf, std::size_t len, SSL* ssl, void*) {
  if (!is_write || content_type != SSL3_RT_HANDSHAKE || len < 6 || SSL_version(ssl) < TLS1_2_VERSION) return;
  const auto* m = static_cast<const std::uint8_t*>(buf);
  std::uint16_t sigalg = 0;
  if (m[0] == SSL3_MT_CERTIFICATE_VERIFY) {
    sigalg = static_cast<std::uint16_t>(m[4] << 8 | m[5]);
  } else if (m[0] == SSL3_MT_SERVER_KEY_EXCHANGE && m[4] == 3 /* named_curve */ && len >= 8) {
    // curve_type(1) named_curve(2) point(1 + n), then SignatureScheme(2) and signature(2 + n);
    // the lengths must add up exactly (a PSK suite's exchange has no signature).
    const std::size_t at = 4 + 4 + m[7];
    if (at + 4 > len) return;
    const std::size_t sig_len = static_cast<std::size_t>(m[at + 2]) << 8 | m[at + 3];
    if (at + 4 + sig_len != len) return;
    sigalg = static_cast<std::uint16_t>(m[at] << 8 | m[at + 1]);
  } else {
    return;
  }
  if (conn_features* c = connection_features(ssl)) c->own_sigalg = sigalg;
}

inline void info_callback(const SSL* ssl, int type, int) {
  if (type != SSL_CB_HANDSHAKE_START && type != SSL_CB_HANDSHAKE_DONE) return;
  conn_features* c = connection_features(ssl);
  if (!c || !c->origin) return;
  session_counters& n = c->origin->counters;
  const bool server = SSL_is_server(ssl);
  if (type == SSL_CB_HANDSHAKE_START) {
    ++(server ? n.accept : n.connect);
    return;
  }
  ++(server ? n.accept_good : n.connect_good);
  if (server) {
    if (SSL_session_reused(ssl)) ++n.hits;
    else if (c->offered_session) ++n.misses;
  }
}

/// renew_session_context: gives the context a new random session id context. A server
/// resumes only sessions made under its context's current one, and an SNI switch takes
/// the other context's: so a session made by another context (one that asked no client
/// certificate, or trusted other CAs) never resumes into this one, nor one made before
/// this context's verification settings last changed (a ticket issued before
/// set_verify_mode(cert_required) would skip the client certificate).
inline void renew_session_context(SSL_CTX* ctx) {
  ctx_features& f = features_of(ctx);
  if (!RAND_bytes(f.session_context, sizeof f.session_context) ||
      !SSL_CTX_set_session_id_context(ctx, f.session_context, sizeof f.session_context))
    throw_backend_error("cannot set the session id context");
}

/// install_features: attaches sslpp's feature state and callbacks to a new SSL_CTX.
inline void install_features(SSL_CTX* ctx) {
  auto* f = new ctx_features;
  if (!SSL_CTX_set_ex_data(ctx, ctx_features_index(), f)) {
    delete f;
    throw_backend_error("cannot attach sslpp's state to the TLS context");
  }
  SSL_CTX_set_tlsext_servername_callback(ctx, servername_callback);
  SSL_CTX_set_tlsext_servername_arg(ctx, f);
  SSL_CTX_set_alpn_select_cb(ctx, alpn_select_callback, f);
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_BOTH);
  SSL_CTX_sess_set_new_cb(ctx, new_session_callback);
  SSL_CTX_set_select_certificate_cb(ctx, select_certificate_callback);
  SSL_CTX_set_info_callback(ctx, info_callback);
  SSL_CTX_set_msg_callback(ctx, message_callback);
  renew_session_context(ctx);
}

}  // namespace detail
SSLPP_END_NAMESPACE
