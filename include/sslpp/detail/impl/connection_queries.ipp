// sslpp — SPDX-License-Identifier: MIT
//
// detail/impl/connection_queries.ipp: the definitions of detail::queries, the members of
// detail::connection_queries (shared by stream<Socket>, ssl_object and the asio streams).
// Included by detail/connection_queries.hpp in the header-only mode (SSLPP_DECL is
// `inline`), and compiled once into the sslpp_compiled library in the compiled mode.
#pragma once

#include <sslpp/certificate.hpp>
#include <sslpp/cipher.hpp>
#include <sslpp/config.hpp>
#include <sslpp/detail/alpn.hpp>
#include <sslpp/detail/backend_state.hpp>
#include <sslpp/detail/cert_status.hpp>
#include <sslpp/detail/channel_binding.hpp>
#include <sslpp/detail/cipher_suites.hpp>
#include <sslpp/detail/connection_queries.hpp>
#include <sslpp/detail/engine.hpp>
#include <sslpp/detail/exporter.hpp>
#include <sslpp/detail/groups.hpp>
#include <sslpp/detail/peer_chain.hpp>
#include <sslpp/detail/session_backend.hpp>
#include <sslpp/detail/sigalgs.hpp>
#include <sslpp/protocol.hpp>
#include <sslpp/replayable.hpp>
#include <sslpp/session.hpp>

#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

SSLPP_BEGIN_NAMESPACE
namespace detail {
namespace queries {

SSLPP_DECL std::optional<certificate> getpeercert(const engine& e) {
  if (x509_ptr x = peer_certificate(e.ssl())) return certificate_access::make(std::move(x));
  return std::nullopt;
}

SSLPP_DECL std::optional<std::vector<std::byte>> getpeercert_der(const engine& e) {
  if (auto c = getpeercert(e)) return c->to_der();
  return std::nullopt;
}

SSLPP_DECL std::vector<certificate> get_unverified_chain(const engine& e) {
  std::vector<certificate> out;
  for (auto& x : peer_chain(e.ssl())) out.push_back(certificate_access::make(std::move(x)));
  return out;
}

SSLPP_DECL std::vector<certificate> get_verified_chain(const engine& e) {
  std::vector<certificate> out;
  for (auto& x : verified_chain(e.ssl())) out.push_back(certificate_access::make(std::move(x)));
  return out;
}

SSLPP_DECL std::optional<cipher_info> cipher(const engine& e) { return current_cipher(e.ssl()); }

SSLPP_DECL std::optional<tls_version> version(const engine& e) {
  if (const int v = negotiated_version(e.ssl())) return static_cast<tls_version>(v);
  return std::nullopt;
}

SSLPP_DECL sslpp::session session(const engine& e) {
  return session_access::make(session_of(e.ssl()), e.server_hostname(), e.context());
}

SSLPP_DECL bool session_reused(const engine& e) { return session_was_reused(e.ssl()); }

SSLPP_DECL bool early_data_accepted(const engine& e) { return e.early_data_accepted(); }

SSLPP_DECL replayable early_data(const engine& e) {
  if (!e.server_side())
    throw std::logic_error(
        "early_data() is what a server received: a client sends it with wrap_options::early_data and learns "
        "whether it went early from early_data_accepted()");
  const std::vector<std::byte>* bytes = e.early_data_received();
  return bytes ? replayable_access::make(*bytes) : replayable();
}

SSLPP_DECL std::string early_data_reason(const engine& e) { return early_data_reason_text(e.early_data_reason()); }

SSLPP_DECL std::optional<std::string> selected_alpn_protocol(const engine& e) { return selected_alpn(e.ssl()); }

SSLPP_DECL std::optional<std::vector<cipher_info>> shared_ciphers(const engine& e) {
  return shared_cipher_list(e.ssl());
}

SSLPP_DECL std::optional<std::string> group(const engine& e) { return negotiated_group(e.ssl()); }

SSLPP_DECL std::optional<std::string> client_sigalg(const engine& e) { return handshake_sigalg(e.ssl(), false); }

SSLPP_DECL std::optional<std::string> server_sigalg(const engine& e) { return handshake_sigalg(e.ssl(), true); }

SSLPP_DECL std::optional<std::vector<std::byte>> get_channel_binding(const engine& e, std::string_view type) {
  SSL* const s = e.ssl();
  const auto kind = channel_binding_for(type);
  if (kind == channel_binding_kind::unknown)
    throw std::invalid_argument("get_channel_binding: unknown channel binding type '" + std::string(type) +
                                "' (known: tls-unique, tls-exporter)");
  return channel_binding(s, kind);
}

SSLPP_DECL std::optional<std::vector<std::byte>> ocsp_response(const engine& e) {
  return stapled_ocsp_response(e.ssl());
}

SSLPP_DECL std::optional<std::vector<std::byte>> signed_cert_timestamps(const engine& e) {
  return received_sct_list(e.ssl());
}

SSLPP_DECL std::vector<std::byte> export_keying_material(const engine& e, std::string_view label, std::size_t length,
                                                         std::optional<std::span<const std::byte>> context) {
  return detail::export_keying_material(e.ssl(), label, length, context);
}

SSLPP_DECL bool ech_accepted(const engine& e) { return SSL_ech_accepted(e.ssl()) != 0; }

SSLPP_DECL std::optional<std::vector<std::byte>> ech_retry_configs(const engine& e) { return e.ech_retry_configs(); }

SSLPP_DECL std::size_t pending(const engine& e) { return e.pending(); }

SSLPP_DECL bool server_side(const engine& e) { return e.server_side(); }

SSLPP_DECL const std::optional<std::string>& server_hostname(const engine& e) { return e.server_hostname(); }

SSLPP_DECL SSL* native_handle(const engine* e) noexcept { return e ? e->ssl() : nullptr; }

}  // namespace queries
}  // namespace detail
SSLPP_END_NAMESPACE
