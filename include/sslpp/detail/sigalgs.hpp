// sslpp — SPDX-License-Identifier: MIT
//
// detail/sigalgs.hpp: the signature algorithms a context signs with and accepts (Python
// 3.15's set_client_sigalgs / set_server_sigalgs), the ones a handshake used, and the
// words of a "no common signature algorithm" failure.
//
// Python's two settings name whose signature they govern: set_server_sigalgs the
// server's handshake signature, set_client_sigalgs a client certificate's. BoringSSL's
// two settings name what this end does: SSL_CTX_set_signing_algorithm_prefs (what it
// signs with) and SSL_CTX_set_verify_algorithm_prefs (what it accepts from the peer, and
// advertises: the client's signature_algorithms extension, the server's
// CertificateRequest). So on a client context server_sigalgs are its verify prefs and
// client_sigalgs its signing prefs; on a server context the other way round. A
// context<side::any> holds the server's mapping and a client connection made from it
// gets the client's, set on that connection (start_client).
#pragma once

#include <sslpp/detail/backend_state.hpp>
#include <sslpp/detail/feature_rules.hpp>
#include <sslpp/literals.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

SSLPP_BEGIN_NAMESPACE
namespace detail {

/// sigalg_ids: the code points of `names`; throws std::invalid_argument naming an
/// unknown or empty name (or for an empty list), `setter` saying which call it was.
inline std::vector<std::uint16_t> sigalg_ids(const sigalg_list& names, std::string_view setter) {
  std::vector<std::uint16_t> ids;
  names.for_each_name([&](std::string_view name) {
    const std::string_view fault = sigalg_fault(name);
    if (!fault.empty())
      throw std::invalid_argument(std::string(setter) + ": '" + std::string(name) + "': " + std::string(fault));
    ids.push_back(find_sigalg(name)->id);
  });
  if (ids.empty()) throw std::invalid_argument(std::string(setter) + ": the signature algorithm list must not be empty");
  return ids;
}

/// sigalg_ids: the same for a range of strings (each may hold names separated by ':').
template <class Range>
std::vector<std::uint16_t> sigalg_ids_of_range(const Range& names, std::string_view setter) {
  std::vector<std::uint16_t> ids;
  bool any = false;
  for (const auto& n : names) {
    any = true;
    for (const std::uint16_t id : sigalg_ids(sigalg_list(std::string_view(n)), setter)) ids.push_back(id);
  }
  if (!any) throw std::invalid_argument(std::string(setter) + ": the signature algorithm list must not be empty");
  return ids;
}

/// sigalg_names: "a:b:c" for code points, for messages.
inline std::string sigalg_names(const std::vector<std::uint16_t>& ids) {
  std::string out;
  for (const std::uint16_t id : ids) {
    if (!out.empty()) out += ':';
    const std::string_view name = sigalg_name_for(id);
    if (!name.empty()) {
      out += name;
    } else {
      static constexpr char hex[] = "0123456789abcdef";
      out += "0x";
      for (int shift = 12; shift >= 0; shift -= 4) out += hex[(id >> shift) & 0xf];
    }
  }
  return out;
}

/// set_signing: what this end signs with (empty: the backend's defaults for its key).
inline void set_signing(SSL* ssl, const std::vector<std::uint16_t>& ids) {
  if (!SSL_set_signing_algorithm_prefs(ssl, ids.data(), ids.size()))
    throw_backend_error("cannot set the signature algorithms '" + sigalg_names(ids) + "'");
}
/// set_verifying: what this end accepts from the peer (empty: the backend's defaults).
inline void set_verifying(SSL* ssl, const std::vector<std::uint16_t>& ids) {
  if (!SSL_set_verify_algorithm_prefs(ssl, ids.data(), ids.size()))
    throw_backend_error("cannot set the signature algorithms '" + sigalg_names(ids) + "'");
}

/// store_sigalgs: records `ids` as the context's client (`for_client_auth`) or server
/// signature algorithms and gives them to the backend, mapped as the file comment says;
/// `client_context` says which mapping the context has.
inline void store_sigalgs(SSL_CTX* ctx, bool for_client_auth, bool client_context, std::vector<std::uint16_t> ids) {
  ctx_features& f = features_of(ctx);
  const bool signs = for_client_auth == client_context;
  const int ok = signs ? SSL_CTX_set_signing_algorithm_prefs(ctx, ids.data(), ids.size())
                       : SSL_CTX_set_verify_algorithm_prefs(ctx, ids.data(), ids.size());
  if (!ok) throw_backend_error("cannot set the signature algorithms '" + sigalg_names(ids) + "'");
  (for_client_auth ? f.client_sigalgs : f.server_sigalgs) = std::move(ids);
}

/// apply_client_sigalgs: gives a client connection the client's mapping of its context's
/// lists (a context<side::any> holds the server's), when either was set.
inline void apply_client_sigalgs(SSL* ssl) {
  const ctx_features* f = find_features(SSL_get_SSL_CTX(ssl));
  if (!f || (f->client_sigalgs.empty() && f->server_sigalgs.empty())) return;
  set_signing(ssl, f->client_sigalgs);
  set_verifying(ssl, f->server_sigalgs);
}

/// all_sigalg_names: every signature algorithm name this backend knows (Python 3.15's get_sigalgs()).
inline std::vector<std::string> all_sigalg_names() {
  std::vector<std::string> out;
  for (const auto& a : known_sigalgs) out.emplace_back(a.name);
  return out;
}

/// sigalg_text: the registry name of a code point, nullopt for 0.
inline std::optional<std::string> sigalg_text(std::uint16_t id) {
  if (id == 0) return std::nullopt;
  return sigalg_names({id});
}

/// handshake_sigalg: the signature algorithm of the server's (`server` true) or the
/// client's handshake signature, or nullopt: before the handshake, when that side did not
/// sign (no client certificate; a resumed session, which checks no signature; a suite
/// without one).
inline std::optional<std::string> handshake_sigalg(const SSL* ssl, bool server) {
  if (!SSL_is_init_finished(ssl) || SSL_session_reused(ssl)) return std::nullopt;
  if (static_cast<bool>(SSL_is_server(ssl)) != server) return sigalg_text(SSL_get_peer_signature_algorithm(ssl));
  const auto* c = static_cast<const conn_features*>(SSL_get_ex_data(ssl, conn_features_index()));
  return sigalg_text(c ? c->own_sigalg : 0);
}

/// signing_candidates: the algorithms a server can sign with: its list, or those its key
/// allows.
inline std::string signing_candidates(const SSL* ssl, const ctx_features* f) {
  if (f && !f->server_sigalgs.empty()) return sigalg_names(f->server_sigalgs) + " (set_server_sigalgs)";
  std::vector<std::uint16_t> ids;
  if (const EVP_PKEY* key = SSL_get_privatekey(ssl))
    for (const auto& a : known_sigalgs)
      if (SSL_get_signature_algorithm_key_type(a.id) == EVP_PKEY_id(key)) ids.push_back(a.id);
  return ids.empty() ? std::string("none (no private key)") : sigalg_names(ids) + " (what its key allows)";
}

/// explain_sigalgs: a "no common signature algorithm" failure in words naming both lists
/// as far as this end knows them, or "" when the failure is another.
inline std::string explain_sigalgs(const SSL* ssl, int reason, bool server_side) {
  const ctx_features* f = find_features(SSL_get_SSL_CTX(ssl));
  if (reason == SSL_R_NO_COMMON_SIGNATURE_ALGORITHMS && server_side) {
    const auto* c = static_cast<const conn_features*>(SSL_get_ex_data(ssl, conn_features_index()));
    const std::string theirs = c && !c->client_hello_sigalgs.empty() ? sigalg_names(c->client_hello_sigalgs)
                                                                     : std::string("none");
    return "this server can sign with " + signing_candidates(ssl, f) + "; the client accepts " + theirs +
           ": no algorithm is in both";
  }
  if (reason == SSL_R_NO_COMMON_SIGNATURE_ALGORITHMS) {
    const std::string ours = f && !f->client_sigalgs.empty() ? sigalg_names(f->client_sigalgs) + " (set_client_sigalgs)"
                                                             : std::string("what its key allows");
    return "this client can sign its certificate with " + ours +
           "; the server's certificate request accepts none of them";
  }
  if ((reason == SSL_R_SSLV3_ALERT_HANDSHAKE_FAILURE || reason == SSL_R_HANDSHAKE_FAILURE_ON_CLIENT_HELLO ||
       reason == SSL_R_WRONG_SIGNATURE_TYPE) && !server_side && f &&
      !f->server_sigalgs.empty())
    return "this client accepts server signatures made with " + sigalg_names(f->server_sigalgs) +
           " only (set_server_sigalgs); the server " +
           (reason == SSL_R_WRONG_SIGNATURE_TYPE ? std::string("signed with another")
                                                 : std::string("refused the handshake, perhaps because it can sign with none of them"));
  return {};
}

}  // namespace detail
SSLPP_END_NAMESPACE
