// sslpp — SPDX-License-Identifier: MIT
//
// detail/psk_callbacks.hpp: TLS 1.2 pre-shared keys (RFC 4279, RFC 5489) behind Python 3.13's
// set_psk_client_callback / set_psk_server_callback: the backend's callbacks, the
// cipher suites a PSK context enables, and the words of a PSK handshake's failure.
//
// This BoringSSL implements PSK for TLS 1.2 (and older) only: its TLS 1.3 has no
// external PSK (RFC 8446 §4.2.11 with an out-of-band key; OpenSSL's
// SSL_CTX_set_psk_use_session_callback), so a TLS 1.3 handshake never calls the callbacks.
// A context given a PSK callback therefore negotiates TLS 1.2 at most (set_psk_callback
// lowers maximum_version) and refuses one whose minimum_version is TLS 1.3.
#pragma once

#include <sslpp/detail/backend.hpp>
#include <sslpp/detail/backend_state.hpp>
#include <sslpp/detail/error_impl.hpp>
#include <sslpp/psk.hpp>

#include <cstddef>
#include <cstring>
#include <exception>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

SSLPP_BEGIN_NAMESPACE
namespace detail {

/// psk_suites: the PSK suites a context gets when a PSK callback is set and its list has
/// none: the forward-secret ECDHE-PSK ones only (RFC 5489). The plain PSK suites (no
/// forward secrecy: whoever learns the key later reads every recorded session) stay off
/// unless named: set_ciphers("PSK") or "PSK-AES128-CBC-SHA".
inline constexpr const char* psk_suites =
    "ECDHE-PSK-CHACHA20-POLY1305:ECDHE-PSK-AES128-CBC-SHA:ECDHE-PSK-AES256-CBC-SHA";

inline std::string exception_words(const std::exception_ptr& e) {
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& x) {
    return x.what();
  } catch (...) {
    return "an exception not derived from std::exception";
  }
}

inline std::string quoted_identity(std::string_view id) {
  std::string out = "'";
  for (const char c : id) {
    if (c >= 0x20 && c < 0x7f) out += c;
    else out += '?';
  }
  return out + "'";
}

/// psk_origin: the features of the context `ssl` was made from, whose callbacks the
/// backend copied into the connection (an SNI switch does not change them).
inline const ctx_features* psk_origin(const SSL* ssl) {
  const conn_features* c = connection_features(ssl);
  return c ? c->origin : nullptr;
}

inline void removed_callback(conn_extras& x, const char* side) noexcept {
  try {
    x.problem = std::string("the PSK ") + side + " callback was removed after this connection was made";
  } catch (...) {
  }
}

// The backend calls these from C: nothing may unwind through it. A problem is kept in the
// connection's extras for the handshake's error message.
inline unsigned psk_client_callback(SSL* ssl, const char* hint, char* identity, unsigned max_identity_len,
                                    std::uint8_t* psk, unsigned max_psk_len) noexcept {
  conn_extras* x = connection_extras(ssl);
  const ctx_features* f = psk_origin(ssl);
  if (!x) return 0;
  if (!f || !f->psk_client) {
    removed_callback(*x, "client");
    return 0;
  }
  try {
    std::optional<std::string_view> h;
    if (hint) h = std::string_view(hint);
    psk_credentials c = f->psk_client(h);
    x->psk_identity = c.identity;
    // max_identity_len counts the NUL the backend needs after the identity.
    if (c.psk.empty()) {
      x->problem = "the PSK client callback returned an empty key (for the hint " +
                   (hint ? quoted_identity(hint) : std::string("none")) + "): the handshake was abandoned";
    } else if (c.identity.size() + 1 > max_identity_len) {
      x->problem = "the PSK identity the client callback returned is " + std::to_string(c.identity.size()) +
                   " bytes long; this backend sends at most " + std::to_string(max_identity_len - 1);
    } else if (c.identity.find('\0') != std::string::npos) {
      x->problem = "the PSK identity the client callback returned contains a NUL byte, which this backend cannot send";
    } else if (c.psk.size() > max_psk_len) {
      x->problem = "the pre-shared key the client callback returned is " + std::to_string(c.psk.size()) +
                   " bytes long; this backend takes at most " + std::to_string(max_psk_len);
    } else {
      std::memcpy(identity, c.identity.data(), c.identity.size());
      identity[c.identity.size()] = '\0';
      std::memcpy(psk, c.psk.data(), c.psk.size());
      x->psk_used = true;
      return static_cast<unsigned>(c.psk.size());
    }
  } catch (...) {
    try {
      x->problem = "the PSK client callback threw: " + exception_words(std::current_exception());
    } catch (...) {
    }
  }
  return 0;
}

inline unsigned psk_server_callback(SSL* ssl, const char* identity, std::uint8_t* psk, unsigned max_psk_len) noexcept {
  conn_extras* x = connection_extras(ssl);
  const ctx_features* f = psk_origin(ssl);
  if (!x) return 0;
  if (!f || !f->psk_server) {
    removed_callback(*x, "server");
    return max_psk_len + 1;
  }
  // A length above max_psk_len makes the backend fail with internal_error (not
  // unknown_psk_identity): the server itself went wrong, not the client's identity.
  const unsigned internal_error = max_psk_len + 1;
  try {
    const std::string_view id = identity ? std::string_view(identity) : std::string_view();
    x->psk_identity = std::string(id);
    std::vector<std::byte> key = f->psk_server(id);
    if (key.empty()) {
      x->problem = "the PSK server callback has no key for the identity " + quoted_identity(id);
      return 0;
    }
    if (key.size() > max_psk_len) {
      x->problem = "the pre-shared key the server callback returned for " + quoted_identity(id) + " is " +
                   std::to_string(key.size()) + " bytes long; this backend takes at most " +
                   std::to_string(max_psk_len);
      return internal_error;
    }
    std::memcpy(psk, key.data(), key.size());
    x->psk_used = true;
    return static_cast<unsigned>(key.size());
  } catch (...) {
    try {
      x->problem = "the PSK server callback threw: " + exception_words(std::current_exception());
    } catch (...) {
    }
  }
  return internal_error;
}

/// refuse_tls13_only: a PSK callback on a context that negotiates TLS 1.3 only could never be called.
inline void refuse_tls13_only(SSL_CTX* ctx, const char* setter) {
  if (SSL_CTX_get_min_proto_version(ctx) >= TLS1_3_VERSION)
    throw std::invalid_argument(
        std::string(setter) +
        ": this context's minimum_version is TLS 1.3, and this BoringSSL has no TLS 1.3 external PSK (only TLS 1.2's "
        "PSK cipher suites): set_minimum_version(sslpp::tls_version::tlsv1_2) first");
}

/// enable_psk: what both setters do besides installing the callback: TLS 1.2 at most (the
/// only version whose PSK this backend has), and the ECDHE-PSK suites appended to the
/// cipher list unless it names a PSK suite already.
inline void enable_psk(SSL_CTX* ctx) {
  if (SSL_CTX_get_max_proto_version(ctx) > TLS1_2_VERSION && !SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION))
    throw_backend_error("cannot limit the context to TLS 1.2 for PSK");
  std::string list;
  const STACK_OF(SSL_CIPHER)* ciphers = SSL_CTX_get_ciphers(ctx);
  for (std::size_t i = 0; ciphers && i < sk_SSL_CIPHER_num(ciphers); ++i) {
    const SSL_CIPHER* c = sk_SSL_CIPHER_value(ciphers, i);
    if (SSL_CIPHER_get_auth_nid(c) == NID_auth_psk) return;  // the program chose its PSK suites
    if (SSL_CIPHER_get_min_version(c) >= TLS1_3_VERSION) continue;
    if (!list.empty()) list += ':';
    list += SSL_CIPHER_get_name(c);
  }
  if (!list.empty()) list += ':';
  list += psk_suites;
  if (!SSL_CTX_set_strict_cipher_list(ctx, list.c_str())) throw_backend_error("cannot enable the PSK cipher suites");
}

/// set_psk_client: installs (or, null, removes) a client context's PSK callback. A
/// session a PSK handshake made is authenticated by that key alone and resumes without
/// asking again, so a new callback (a key withdrawn, an identity changed) renews the
/// session context: the client then offers only sessions whose certificate chain verifies.
inline void set_psk_client(SSL_CTX* ctx, std::function<psk_credentials(std::optional<std::string_view>)> fn) {
  ctx_features& f = features_of(ctx);
  if (!fn) {
    SSL_CTX_set_psk_client_callback(ctx, nullptr);
    f.psk_client = nullptr;
    renew_session_context(ctx);
    return;
  }
  refuse_tls13_only(ctx, "set_psk_client_callback");
  enable_psk(ctx);
  f.psk_client = std::move(fn);
  SSL_CTX_set_psk_client_callback(ctx, psk_client_callback);
  renew_session_context(ctx);
}

/// set_psk_server: installs (or, null, removes) a server context's PSK callback and
/// identity hint. A resumed handshake asks the callback nothing, so a new callback (an
/// identity revoked, a key rotated) renews the session context: tickets and cached
/// sessions from before do not resume, and every client is asked for its key again.
inline void set_psk_server(SSL_CTX* ctx, std::function<std::vector<std::byte>(std::string_view)> fn,
                           const std::optional<std::string>& hint) {
  ctx_features& f = features_of(ctx);
  if (!fn) {
    SSL_CTX_set_psk_server_callback(ctx, nullptr);
    SSL_CTX_use_psk_identity_hint(ctx, nullptr);
    f.psk_server = nullptr;
    renew_session_context(ctx);
    return;
  }
  if (hint && (hint->size() > PSK_MAX_IDENTITY_LEN || hint->find('\0') != std::string::npos))
    throw std::invalid_argument("set_psk_server_callback: the identity hint is " + std::to_string(hint->size()) +
                                " bytes long or contains a NUL byte; this backend sends at most " +
                                std::to_string(PSK_MAX_IDENTITY_LEN) + " bytes without NUL");
  refuse_tls13_only(ctx, "set_psk_server_callback");
  enable_psk(ctx);
  if (!SSL_CTX_use_psk_identity_hint(ctx, hint ? hint->c_str() : nullptr))
    throw_backend_error("cannot set the PSK identity hint");
  f.psk_server = std::move(fn);
  SSL_CTX_set_psk_server_callback(ctx, psk_server_callback);
  renew_session_context(ctx);
}

/// explain_psk: a PSK handshake's failure in words, or "" when PSK has no part in it.
inline std::string explain_psk(const SSL* ssl, int reason, bool server_side) {
  const auto* c = static_cast<const conn_features*>(SSL_get_ex_data(ssl, conn_features_index()));
  const ctx_features* f = c && c->origin ? c->origin : find_features(SSL_get_SSL_CTX(ssl));
  const bool psk_context = f && (server_side ? static_cast<bool>(f->psk_server) : static_cast<bool>(f->psk_client));
  if (!psk_context) return {};
  const conn_extras* x = find_extras(ssl);
  std::string out;
  if (x && !x->problem.empty()) {
    out = x->problem;
  } else if (reason == SSL_R_TLSV1_ALERT_UNKNOWN_PSK_IDENTITY) {
    out = "the server has no pre-shared key for the identity " +
          (x ? quoted_identity(x->psk_identity) : std::string("this client sent"));
  } else if (x && x->psk_used &&
             (reason == SSL_R_DECRYPTION_FAILED_OR_BAD_RECORD_MAC || reason == SSL_R_SSLV3_ALERT_BAD_RECORD_MAC ||
              reason == SSL_R_DIGEST_CHECK_FAILED || reason == SSL_R_TLSV1_ALERT_DECRYPT_ERROR)) {
    out = "the two ends' pre-shared keys for the identity " + quoted_identity(x->psk_identity) +
          " differ (the peer could not check this end's Finished message, or this end the peer's): wrong PSK";
  } else if (server_side && reason == SSL_R_DATA_LENGTH_TOO_LONG) {
    out = "the client's PSK identity is longer than " + std::to_string(PSK_MAX_IDENTITY_LEN) +
          " bytes or contains a NUL byte, which this backend refuses";
  }
  if (SSL_get_max_proto_version(ssl) >= TLS1_3_VERSION) {
    if (!out.empty()) out += "; ";
    out += "this BoringSSL has no TLS 1.3 external PSK, so its PSK handshakes are TLS 1.2 ones: keep "
           "maximum_version at tls_version::tlsv1_2 (set_psk_" +
           std::string(server_side ? "server" : "client") + "_callback set it so)";
  }
  return out;
}

}  // namespace detail
SSLPP_END_NAMESPACE
