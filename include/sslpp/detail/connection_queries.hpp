// sslpp — SPDX-License-Identifier: MIT
//
// detail/connection_queries.hpp: the members that ask a TLS connection what was negotiated
// (Python's SSLSocket/SSLObject getpeercert, cipher, version, session, ALPN, chains, channel
// binding, group and signature algorithms...), written once and shared by stream<Socket> and ssl_object, and the check that
// turns the use of an emptied connection (closed, unwrapped or moved from) into a clear error.
#pragma once

#include <sslpp/certificate.hpp>
#include <sslpp/cipher.hpp>
#include <sslpp/config.hpp>
#include <sslpp/detail/backend_fwd.hpp>
#include <sslpp/detail/emptiable.hpp>
#include <sslpp/protocol.hpp>
#include <sslpp/replayable.hpp>
#include <sslpp/session.hpp>

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

SSLPP_BEGIN_NAMESPACE
namespace detail {

class engine;

/// queries: the members of connection_queries, over a connection's engine, as non-template
/// functions (detail/impl/connection_queries.ipp): the compiled library defines them once for
/// every connection type.
namespace queries {
SSLPP_DECL std::optional<certificate> getpeercert(const engine& e);
SSLPP_DECL std::optional<std::vector<std::byte>> getpeercert_der(const engine& e);
SSLPP_DECL std::vector<certificate> get_unverified_chain(const engine& e);
SSLPP_DECL std::vector<certificate> get_verified_chain(const engine& e);
SSLPP_DECL std::optional<cipher_info> cipher(const engine& e);
SSLPP_DECL std::optional<tls_version> version(const engine& e);
SSLPP_DECL sslpp::session session(const engine& e);
SSLPP_DECL bool session_reused(const engine& e);
SSLPP_DECL bool early_data_accepted(const engine& e);
SSLPP_DECL replayable early_data(const engine& e);
SSLPP_DECL std::string early_data_reason(const engine& e);
SSLPP_DECL std::optional<std::string> selected_alpn_protocol(const engine& e);
SSLPP_DECL std::optional<std::vector<cipher_info>> shared_ciphers(const engine& e);
SSLPP_DECL std::optional<std::string> group(const engine& e);
SSLPP_DECL std::optional<std::string> client_sigalg(const engine& e);
SSLPP_DECL std::optional<std::string> server_sigalg(const engine& e);
SSLPP_DECL std::optional<std::vector<std::byte>> get_channel_binding(const engine& e, std::string_view type);
SSLPP_DECL std::optional<std::vector<std::byte>> ocsp_response(const engine& e);
SSLPP_DECL std::optional<std::vector<std::byte>> signed_cert_timestamps(const engine& e);
SSLPP_DECL std::vector<std::byte> export_keying_material(const engine& e, std::string_view label, std::size_t length,
                                                         std::optional<std::span<const std::byte>> context);
SSLPP_DECL bool ech_accepted(const engine& e);
SSLPP_DECL std::optional<std::vector<std::byte>> ech_retry_configs(const engine& e);
SSLPP_DECL std::size_t pending(const engine& e);
SSLPP_DECL bool server_side(const engine& e);
SSLPP_DECL const std::optional<std::string>& server_hostname(const engine& e);
SSLPP_DECL SSL* native_handle(const engine* e) noexcept;
}  // namespace queries

/// connection_queries: the query members of a TLS connection, for `Derived` (stream<Socket>
/// or ssl_object), which must befriend this class and provide
///   const engine& checked_engine() const;            // throws std::logic_error once emptied
///   const engine* engine_or_null() const noexcept;   // null once emptied
/// Each member throws that std::logic_error on an emptied (closed, unwrapped or moved-from)
/// connection, except native_handle(), which returns nullptr then.
template <class Derived>
class connection_queries {
 public:
  /// getpeercert: the certificate the peer sent, or nullopt when it sent none (a client
  /// of a server that did not ask, or before the handshake). `context().verify_mode()`
  /// says whether it was verified.
  std::optional<certificate> getpeercert() const { return queries::getpeercert(engine_checked()); }
  /// getpeercert_der: the peer certificate's DER bytes, or nullopt.
  std::optional<std::vector<std::byte>> getpeercert_der() const { return queries::getpeercert_der(engine_checked()); }

  /// get_unverified_chain: the certificates the peer sent, its own first, as sent
  /// (Python 3.13's get_unverified_chain); empty before the handshake or when it sent none.
  std::vector<certificate> get_unverified_chain() const { return queries::get_unverified_chain(engine_checked()); }
  /// get_verified_chain: the chain verification built, from the peer's certificate to
  /// the trust anchor (Python 3.13's get_verified_chain); empty when the peer's
  /// certificate was not verified successfully. This BoringSSL keeps no verified chain,
  /// so it is rebuilt with the connection's store and verify parameters (see
  /// detail::verified_chain).
  std::vector<certificate> get_verified_chain() const { return queries::get_verified_chain(engine_checked()); }

  /// cipher: the negotiated cipher, or nullopt before the handshake.
  std::optional<cipher_info> cipher() const { return queries::cipher(engine_checked()); }

  /// version: the negotiated TLS version, or nullopt before the handshake.
  std::optional<tls_version> version() const { return queries::version(engine_checked()); }

  /// session: the session to resume this connection with later (pass it in
  /// wrap_options{.session = s} to a wrap for the same host name by the same context);
  /// empty until the server sent one. A TLS 1.3 server
  /// sends its tickets after the handshake and a read takes them in, so read before
  /// asking (as in Python).
  sslpp::session session() const { return queries::session(engine_checked()); }
  /// session_reused: whether the handshake resumed an earlier session.
  bool session_reused() const { return queries::session_reused(engine_checked()); }

  /// early_data_accepted: whether the handshake carried TLS 1.3 0-RTT early data — on a
  /// client, whether wrap_options::early_data went early (false: it went right after the
  /// handshake instead); on a server, whether early_data() holds what the client sent so.
  bool early_data_accepted() const { return queries::early_data_accepted(engine_checked()); }
  /// early_data: on a server, the bytes the client sent as 0-RTT early data, as
  /// sslpp::replayable (read them with accept_replay_risk()); empty when none came (early
  /// data not allowed by set_max_early_data, not offered, or rejected: see
  /// early_data_reason()) and until the handshake has finished. Never part of what read()
  /// returns. A client's early data is what it sent: asking a client throws std::logic_error.
  replayable early_data() const { return queries::early_data(engine_checked()); }
  /// early_data_reason: why 0-RTT was accepted or not, in BoringSSL's words ("accepted",
  /// "disabled", "no_session_offered", "session_not_resumed", "unsupported_for_session",
  /// "ticket_age_skew", "alpn_mismatch", ...), or "unknown" before the handshake got that far.
  std::string early_data_reason() const { return queries::early_data_reason(engine_checked()); }

  /// selected_alpn_protocol: the application protocol both sides agreed on with ALPN, or
  /// nullopt when none was (no ALPN, no overlap, or before the handshake).
  std::optional<std::string> selected_alpn_protocol() const { return queries::selected_alpn_protocol(engine_checked()); }

  /// shared_ciphers: on a server after the handshake, the cipher suites the client
  /// offered that the server also enables, in the server's order; nullopt on a client
  /// (as in Python).
  std::optional<std::vector<cipher_info>> shared_ciphers() const { return queries::shared_ciphers(engine_checked()); }

  /// group: the key-exchange group the handshake used, by its TLS registry name as
  /// Python 3.15's SSLSocket.group() gives it ("x25519", "secp256r1", "secp384r1"; this
  /// backend's experimental hybrid is "CECPQ2"), or nullopt before the handshake.
  std::optional<std::string> group() const { return queries::group(engine_checked()); }

  /// client_sigalg: the signature algorithm the client's certificate signed the handshake
  /// with ("ecdsa_secp256r1_sha256", "rsa_pss_rsae_sha256", ...; Python 3.15's
  /// client_sigalg()), or nullopt: before the handshake, when the client sent no
  /// certificate, or when the session was resumed (a resumed handshake has no signature).
  std::optional<std::string> client_sigalg() const { return queries::client_sigalg(engine_checked()); }
  /// server_sigalg: the signature algorithm the server signed the handshake with (Python
  /// 3.15's server_sigalg()), or nullopt before the handshake or when the session was
  /// resumed.
  std::optional<std::string> server_sigalg() const { return queries::server_sigalg(engine_checked()); }

  /// get_channel_binding: the channel binding of this connection for `type`:
  /// "tls-unique" (RFC 5929; TLS 1.2 only) or "tls-exporter" (RFC 9266; TLS 1.3, or TLS
  /// 1.2 with the extended master secret). nullopt before the handshake or when the type
  /// does not apply; an unknown type throws std::invalid_argument.
  std::optional<std::vector<std::byte>> get_channel_binding(std::string_view type = "tls-unique") const { return queries::get_channel_binding(engine_checked(), type); }

  // --- Beyond Python (API.md §9): stapled OCSP response, SCTs, keying material exporters ---

  /// ocsp_response: on a client that asked for one (client_context::set_ocsp_stapling),
  /// the DER OCSPResponse the server stapled to its certificate; nullopt when none came,
  /// when the client did not ask, before the handshake, and on a server. After a resumed
  /// handshake it is the response of the handshake that made the session.
  ///
  /// WARNING: these are the server's bytes as it sent them. sslpp does not parse or
  /// verify them: neither the responder's signature, nor that the response is about this
  /// certificate, nor its dates, nor the status it gives. A server may staple a stale
  /// response, or one for another certificate. Check it with an OCSP library (against
  /// get_verified_chain()'s issuer) before relying on it.
  std::optional<std::vector<std::byte>> ocsp_response() const { return queries::ocsp_response(engine_checked()); }

  /// signed_cert_timestamps: on a client that asked for them
  /// (client_context::set_signed_cert_timestamps), the SignedCertificateTimestampList the
  /// server sent in the TLS extension (RFC 6962 §3.3: a 2-byte length, then each SCT with
  /// its own 2-byte length); nullopt when none came, when the client did not ask, before
  /// the handshake, and on a server. SCTs embedded in the certificate itself are in the
  /// certificate, not here.
  ///
  /// WARNING: sslpp checks only the list's framing (the backend refuses a malformed one);
  /// it verifies no SCT's signature and knows no CT log. Check them against the logs you
  /// trust before counting a certificate as logged.
  std::optional<std::vector<std::byte>> signed_cert_timestamps() const { return queries::signed_cert_timestamps(engine_checked()); }

  /// export_keying_material: `length` bytes of keying material derived from this
  /// connection's secrets under `label` (RFC 5705; RFC 8446 §7.5 in TLS 1.3), the same on
  /// both ends and different on every other connection: keys for a protocol that runs
  /// beside TLS, or a value that binds an authentication to this connection. `context`,
  /// when given, is mixed in too (TLS 1.2 tells no context from an empty one; TLS 1.3
  /// treats them alike). Labels starting with "EXPORTER" are registered with IANA; use
  /// your own otherwise.
  ///
  /// Throws std::invalid_argument for an empty label, one of TLS 1.2's own PRF labels
  /// ("master secret", "key expansion", ...), a length of 0, a TLS 1.3 label over 249
  /// bytes or length over 255 hash lengths, or a TLS 1.2 context over 65535 bytes; and
  /// std::logic_error before the handshake has completed, and on a TLS 1.2 connection
  /// without the extended master secret (RFC 7627), whose exported keys a man in the
  /// middle can make equal on two connections.
  std::vector<std::byte> export_keying_material(std::string_view label, std::size_t length,
                                                std::optional<std::span<const std::byte>> context = std::nullopt) const {
    return queries::export_keying_material(engine_checked(), label, length, context);
  }
  /// ech_accepted: whether the handshake used Encrypted Client Hello: on a client, the
  /// server decrypted the ClientHello this client encrypted (wrap_options::ech_config_list);
  /// on a server, this server decrypted the client's (set_ech_keys). False before the
  /// handshake, and without ECH (GREASE included).
  bool ech_accepted() const { return queries::ech_accepted(engine_checked()); }
  /// ech_retry_configs: after a client's handshake failed because the server rejected its
  /// Encrypted Client Hello (ech_rejected_error, or the backend's ECH_REJECTED code for the
  /// error_code forms and the asio streams), the ECHConfigList the server sent to retry
  /// with, authenticated for the public name as ech_rejected_error::retry_configs() is
  /// (empty: it sent none); nullopt otherwise.
  std::optional<std::vector<std::byte>> ech_retry_configs() const { return queries::ech_retry_configs(engine_checked()); }

  /// pending: decrypted bytes buffered and readable without touching the transport.
  std::size_t pending() const { return queries::pending(engine_checked()); }

  /// server_side: whether this end is the server.
  bool server_side() const { return queries::server_side(engine_checked()); }
  /// server_hostname: the host name a client connects to (one trailing dot stripped),
  /// nullopt on a server or with no_hostname.
  const std::optional<std::string>& server_hostname() const { return queries::server_hostname(engine_checked()); }

  /// native_handle: the backend's SSL object, owned by this connection; nullptr once the
  /// connection was unwrapped (stream) or moved from.
  ///
  /// WARNING: this is the escape hatch to the backend. sslpp does not see what is changed
  /// through it: a setting made on the backend object directly bypasses sslpp's own
  /// (verification, host name and session checks, the security level), and freeing or
  /// retaining it wrongly corrupts the object.
  SSL* native_handle() const noexcept { return queries::native_handle(derived().engine_or_null()); }

 protected:
  connection_queries() = default;

  /// engine_checked: the connection's engine; throws std::logic_error once it was emptied.
  const engine& engine_checked() const { return derived().checked_engine(); }

 private:
  const Derived& derived() const noexcept { return static_cast<const Derived&>(*this); }
};

}  // namespace detail
SSLPP_END_NAMESPACE

#if SSLPP_WITH_DEFINITIONS
#include <sslpp/detail/impl/connection_queries.ipp>
#endif
