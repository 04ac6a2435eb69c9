// sslpp — SPDX-License-Identifier: MIT
//
// detail/impl/client_policy.ipp: the definitions of detail/client_policy.hpp's wrap policy and
// the checks behind it. Included by detail/client_policy.hpp in the header-only mode
// (SSLPP_DECL is `inline`), and compiled once into the sslpp_compiled library in the
// compiled mode (see config.hpp).
#pragma once

#include <sslpp/config.hpp>
#include <sslpp/detail/backend.hpp>
#include <sslpp/detail/cert_status.hpp>
#include <sslpp/detail/client_policy.hpp>
#include <sslpp/detail/context_impl.hpp>
#include <sslpp/detail/ech_backend.hpp>
#include <sslpp/detail/engine.hpp>
#include <sslpp/detail/error_impl.hpp>
#include <sslpp/detail/sigalgs.hpp>
#include <sslpp/detail/sni_switch.hpp>
#include <sslpp/detail/text.hpp>
#include <sslpp/hostname.hpp>
#include <sslpp/session.hpp>
#include <sslpp/detail/session_state.hpp>
#include <sslpp/session_cache.hpp>

#include <cstring>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>

SSLPP_BEGIN_NAMESPACE
namespace detail {

/// verification_summary: a context's verification settings in words, for error messages.
SSLPP_DECL std::string verification_summary(const context_impl& c) {
  std::string s = "verify_mode ";
  s += c.mode == sslpp::verify_mode::cert_none ? "cert_none"
       : c.mode == sslpp::verify_mode::cert_optional ? "cert_optional"
                                                     : "cert_required";
  s += c.check_hostname ? ", check_hostname on" : ", check_hostname off";
  return s;
}

SSLPP_DECL std::string quoted_name(const std::optional<std::string>& name) {
  return name ? "'" + *name + "'" : std::string("no host name (sslpp::no_hostname)");
}

/// verify_session_chain: checks an offered session the way a full handshake would check
/// its certificate: the chain stored in the
/// session must verify under this connection's trust store and parameters (host name,
/// flags, depth, security level). Returns the verify result (X509_V_OK when it does).
SSLPP_DECL long verify_session_chain(SSL* ssl, const SSL_SESSION* s) {
  const STACK_OF(CRYPTO_BUFFER)* stored = SSL_SESSION_get0_peer_certificates(s);
  if (!stored || sk_CRYPTO_BUFFER_num(stored) == 0) return X509_V_ERR_UNSPECIFIED;
  bssl::UniquePtr<STACK_OF(X509)> chain(sk_X509_new_null());
  if (!chain) throw std::bad_alloc();
  for (std::size_t i = 0; i < sk_CRYPTO_BUFFER_num(stored); ++i) {
    X509* x = X509_parse_from_buffer(sk_CRYPTO_BUFFER_value(stored, i));
    if (!x || !sk_X509_push(chain.get(), x)) {
      X509_free(x);
      ERR_clear_error();
      return X509_V_ERR_UNSPECIFIED;
    }
  }
  bssl::UniquePtr<X509_STORE_CTX> sctx(X509_STORE_CTX_new());
  SSL_CTX* ctx = SSL_get_SSL_CTX(ssl);
  if (!sctx || !X509_STORE_CTX_init(sctx.get(), SSL_CTX_get_cert_store(ctx), sk_X509_value(chain.get(), 0),
                                    chain.get())) {
    ERR_clear_error();
    return X509_V_ERR_UNSPECIFIED;
  }
  // The same callback and parameters as the handshake's own verification.
  X509_STORE_CTX_set_ex_data(sctx.get(), SSL_get_ex_data_X509_STORE_CTX_idx(), ssl);
  X509_STORE_CTX_set_default(sctx.get(), "ssl_server");
  X509_VERIFY_PARAM_set1(X509_STORE_CTX_get0_param(sctx.get()), SSL_get0_param(ssl));
  if (auto* cb = SSL_get_verify_callback(ssl)) X509_STORE_CTX_set_verify_cb(sctx.get(), cb);
  const bool ok = X509_verify_cert(sctx.get()) == 1;
  ERR_clear_error();
  return ok ? X509_V_OK : X509_STORE_CTX_get_error(sctx.get());
}

/// check_offered_session: refuses a session this client must not offer. A resumed
/// handshake checks no certificate, so a session may only be offered for the name it was
/// made for, by the context (any copy of it) that verified the server when it was made.
SSLPP_DECL void check_offered_session(engine& e, const session& offered) {
  const session_state& s = *session_access::state(offered);
  const std::optional<std::string>& name = e.server_hostname();
  const bool same_name = s.server_hostname.has_value() == name.has_value() &&
                         (!name || iequals(*s.server_hostname, *name));
  if (!same_name)
    throw std::invalid_argument("Session refers to a different server name: it was made for " +
                                quoted_name(s.server_hostname) + ", this connection is for " + quoted_name(name) +
                                " (a resumed handshake checks no certificate, so a session is only offered to the "
                                "name it was verified for)");
  const context_impl& here = *e.context();
  const auto origin = s.origin.lock();
  if (!s.loaded && origin.get() != &here)
    throw std::invalid_argument(
      "Session refers to a different SSLContext: it was made by " +
      (origin ? "another context (" + verification_summary(*origin) + ")" : std::string("a context that no longer exists")) +
      ", this connection's context is another (" + verification_summary(here) +
      "); a resumed handshake checks no certificate, so only the context that verified the server may offer its "
      "session");
  // Whether the session holds this context's current session id context (under
  // s.rebinding). The context renews it whenever its verification settings change
  // (renew_session_context), so a session this context made that still holds it was
  // verified under the settings in force now.
  const ctx_features& f = features_of(SSL_get_SSL_CTX(e.ssl()));
  const auto bound_to_current_settings = [&] {
    unsigned len = 0;
    const uint8_t* current = SSL_SESSION_get0_id_context(s.backend.get(), &len);
    return len == sizeof f.session_context && std::memcmp(current, f.session_context, len) == 0;
  };
  if (!s.loaded) {
    std::lock_guard<std::mutex> lock(s.rebinding);
    if (bound_to_current_settings()) return;  // made here, nothing changed: its chain passed this very check
  }
  // The context may verify more now than when the session was made (verification turned
  // on, CAs or CRLs replaced, a higher security level), and a session read by from_bytes
  // has no context to compare (and bytes from storage may have been altered): the chain
  // the session holds must pass today's check.
  if (here.mode != sslpp::verify_mode::cert_none) {
    const long result = verify_session_chain(e.ssl(), s.backend.get());
    if (result != X509_V_OK)
      throw std::invalid_argument("Session refers to a different SSLContext: the session for " +
                                  quoted_name(s.server_hostname) +
                                  " holds a certificate chain this context does not accept now (" +
                                  std::string(X509_verify_cert_error_string(result)) + ")");
  }
  // Checked as above, it belongs to this context as it is now: the backend offers only a
  // session whose id context is the context's current one. Written only when it differs,
  // under the session's lock, so wraps on several threads offering one session do not race.
  std::lock_guard<std::mutex> lock(s.rebinding);
  if (bound_to_current_settings()) return;
  if (!SSL_SESSION_set1_id_context(s.backend.get(), f.session_context, sizeof f.session_context))
    throw_backend_error("cannot offer the session for resumption");
}

/// keep_sessions_in: stores every session the server sends on this connection in `cache`,
/// bound to the connection's host name and context as session() binds them.
SSLPP_DECL void keep_sessions_in(engine& e, session_cache& cache) {
  conn_features* c = connection_features(e.ssl());
  if (!c) throw std::bad_alloc();
  auto sink = [&cache, name = e.server_hostname(),
               origin = std::weak_ptr<const context_impl>(e.context())](SSL_SESSION* s) noexcept {
    // Called inside the backend's frames: a session that cannot be stored is not stored.
    try {
      cache.put(session_access::make(up_ref(s), name, origin));
    } catch (...) {
    }
  };
  c->session_sink = std::make_unique<std::function<void(SSL_SESSION*)>>(std::move(sink));
}

/// offer_cached_session: offers the newest session `cache` holds for this connection's
/// host name and context that check_offered_session allows; one it refuses (its chain no
/// longer verifies here) is dropped from the cache. None: a full handshake.
SSLPP_DECL void offer_cached_session(engine& e, session_cache& cache) {
  for (;;) {
    const session s = session_cache_access::take(cache, e.server_hostname(), e.context());
    if (!s) return;
    try {
      check_offered_session(e, s);
    } catch (const std::invalid_argument&) {
      session_cache_access::forget(cache, s);
      continue;
    }
    if (!SSL_set_session(e.ssl(), s.native_handle())) throw_backend_error("cannot offer the session for resumption");
    return;
  }
}

/// start_ech: a client connection offers Encrypted Client Hello with `list`, or GREASE
/// ECH when the context asks for it. ECH is refused where it would protect nothing: a
/// client that does not verify the server would trust retry configs from anyone (they
/// are only as good as the check of the public name's certificate), and one limited to
/// TLS 1.2 cannot encrypt its hello.
SSLPP_DECL void start_ech(engine& e, std::span<const std::byte> list) {
  const context_impl& c = *e.context();
  if (!list.empty()) {
    if (c.mode == sslpp::verify_mode::cert_none)
      throw std::invalid_argument(
          "wrap_options::ech_config_list needs a client that verifies the server (verify_mode cert_required): a "
          "server that rejects ECH is trusted for its retry configs only once its certificate verified for the "
          "public name, and with verification off anyone on the path could send some");
    if (SSL_get_max_proto_version(e.ssl()) < TLS1_3_VERSION)
      throw std::invalid_argument(
          "wrap_options::ech_config_list needs TLS 1.3 (Encrypted Client Hello exists only there), and this "
          "context's maximum_version is lower: raise set_maximum_version");
  }
  apply_client_ech(e.ssl(), list, c.ech_grease);
}

/// start_client: sets a client connection up: refuses a server context and no_hostname
/// while check_hostname is on, sets SNI and the host name check, offers ECH with
/// `ech_config_list` (start_ech), and offers `offered`
/// when check_offered_session allows it, else a session from `cache` (which then keeps
/// the connection's new sessions). `wrap` names the call in messages.
SSLPP_DECL void start_client(engine& e, const hostname& host, const session& offered, std::string_view wrap,
                         session_cache* cache, std::span<const std::byte> ech_config_list) {
  const context_impl& c = *e.context();
  if (c.made_for_servers)
    throw std::invalid_argument(
        "Cannot create a client connection with a server context (context_for(protocol::tls_server) or "
        "create_default_context(purpose::client_auth)): wrap it with a client_context");
  if (host.is_none()) {
    if (c.check_hostname)
      throw std::invalid_argument("check_hostname requires server_hostname: pass the server's host name to " +
                                  std::string(wrap) +
                                  ", or call set_check_hostname(false) before using sslpp::no_hostname");
  } else {
    e.set_client_hostname(host.canonical(), host.is_ip_address());
  }
  apply_client_sigalgs(e.ssl());
  request_cert_status(e.ssl(), c.ocsp_stapling, c.signed_cert_timestamps);
  start_ech(e, ech_config_list);
  if (cache) keep_sessions_in(e, *cache);
  if (!offered) {
    if (cache) offer_cached_session(e, *cache);
    return;
  }
  check_offered_session(e, offered);
  if (!SSL_set_session(e.ssl(), offered.native_handle()))
    throw_backend_error("cannot offer the session for resumption");
}

/// start_server: sets a server connection up. A context of either side (context<side::any>)
/// keeps the client's cert_required for its client connections, but serves with cert_none
/// unless set_verify_mode chose otherwise, as Python's PROTOCOL_TLS server does.
SSLPP_DECL void start_server(engine& e, const session& offered, const session_cache* cache,
                         std::span<const std::byte> ech_config_list) {
  if (!ech_config_list.empty())
    throw std::invalid_argument(
        "a server does not offer Encrypted Client Hello: wrap_options::ech_config_list is for client connections "
        "(a server decrypts with the keys of set_ech_keys)");
  if (offered)
    throw std::invalid_argument(
        "a server does not resume a session it is given: wrap_options::session is for client connections");
  if (cache)
    throw std::invalid_argument(
        "a server keeps its sessions itself (tickets and its context's cache): wrap_options::session_cache is for "
        "client connections");
  const context_impl& c = *e.context();
  if (!c.made_for_servers && !c.verify_mode_chosen) serve_without_client_certificates(e.ssl());
}

/// start_early_data: a client wrap's early data (wrap_options::early_data) goes to the
/// engine, which sends it in its first flight when the session allows, else after the
/// handshake; a server wrap given some throws.
SSLPP_DECL void start_early_data(engine& e, std::string_view data, bool client) {
  if (data.empty()) return;
  if (!client)
    throw std::invalid_argument(
        "wrap_options::early_data is what a client sends: a server allows early data with "
        "set_max_early_data(sslpp::max_early_data_limit) and reads it with early_data()");
  e.offer_early_data(std::string(data));
}

}  // namespace detail
SSLPP_END_NAMESPACE
