// sslpp — SPDX-License-Identifier: MIT
//
// context.hpp: sslpp::context<side> (Python's SSLContext) and the functions that make one.
#pragma once

#include <sslpp/cert_compression.hpp>
#include <sslpp/cert_store.hpp>
#include <sslpp/certificate.hpp>
#include <sslpp/cipher.hpp>
#include <sslpp/config.hpp>
#include <sslpp/ech.hpp>
#include <sslpp/fwd.hpp>
#include <sslpp/session.hpp>
#include <sslpp/session_statistics.hpp>
#include <sslpp/sni.hpp>
#include <sslpp/detail/backend_fwd.hpp>
#include <sslpp/error.hpp>
#include <sslpp/hostname.hpp>
#include <sslpp/literals.hpp>
#include <sslpp/memory_bio.hpp>
#include <sslpp/password.hpp>
#include <sslpp/private_key_signer.hpp>
#include <sslpp/protocol.hpp>
#include <sslpp/psk.hpp>
#include <sslpp/socket.hpp>
#include <sslpp/ssl_object.hpp>
#include <sslpp/stream.hpp>
#include <sslpp/trust.hpp>

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <ranges>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>
#include <vector>

SSLPP_BEGIN_NAMESPACE

namespace detail {
struct context_access;
struct context_impl;

/// strings_of: the elements of a range of strings, copied, for the members that take any
/// range and hand it to a non-template member.
template <class R>
std::vector<std::string> strings_of(const R& range) {
  std::vector<std::string> out;
  for (const auto& s : range) out.emplace_back(std::string_view(s));
  return out;
}
}  // namespace detail

/// max_early_data_limit: the early data (bytes per connection) this BoringSSL's server
/// accepts, fixed by the backend; the one non-zero value set_max_early_data takes.
/// (detail::backend_max_early_data; impl/context.ipp checks that the two agree.)
inline constexpr std::size_t max_early_data_limit = 14336;

/// server_side_t: the type of `server_side`.
struct server_side_t {
  explicit constexpr server_side_t() = default;
};
/// server_side: asks a `context<side::any>` to wrap a socket as the server.
inline constexpr server_side_t server_side{};

namespace detail {
// The roles a context's type allows; members that only mean something for one role
// require it, so using them on the other side does not compile.
template <side S>
concept client_role = S != side::server;
template <side S>
concept server_role = S != side::client;
// The other side's members are declared deleted under these, so that a call fails with
// one "use of deleted function" error whose "declared here" note prints the deleted
// line, and the comment on it names the fix. (A requires-expression still finds such a
// member not callable.)
template <side S>
concept on_a_server_context = S == side::server;
template <side S>
concept on_a_client_context = S == side::client;
}  // namespace detail

/// context: TLS settings shared by many connections (Python's SSLContext), typed by the
/// side it serves. Copies share one backend context, so a setting changed through one
/// copy is seen by all, and by connections made afterwards.
///
/// A `client_context` verifies the server's certificate and host name unless told
/// otherwise; a `server_context` presents a certificate chain and may ask clients for one.
/// Members that only make sense on one side exist only on that side.
///
/// Thread Safety: configure a context first, then share it. Wrapping, handshakes and the
/// const members may run on many threads at once. A setter must not run while another
/// thread uses the context (wraps, handshakes, or reads settings): settings are not
/// locked. What a connection takes when:
///  - at the wrap: verify mode, check_hostname, hostname_checks_common_name, verify flags
///    and depth, versions, groups, the ALPN offer (client), whether PSK is on, the requests
///    for a stapled OCSP response and SCTs (client), the OCSP response and SCT list to send
///    (server; an SNI callback's use_context takes the other context's) — later changes do
///    not reach it;
///  - live, during its handshake: the trust store (a CA directory adds certificates as
///    handshakes look them up), the security level, the SNI callback, ALPN selection and
///    what a mismatch does (server), the key log file, num_tickets, the PSK callbacks and
///    the private key signer themselves, the session cache and counters, and
///    anything not listed here (the cipher list, say);
///  - the SNI callback runs on the thread of each handshake, so on many threads at once
///    when a server handshakes in parallel: what it captures must be safe to share
///    (a context copy is; a mutable container needs a lock);
///  - stream::context() and ssl_object::context() return this context, shared: a setter
///    called through them changes it for every connection made afterwards, and is subject
///    to the rule above.
///
/// Example:
///   sslpp::client_context ctx = sslpp::create_default_context();
///   auto tls = ctx.wrap_socket(sslpp::tcp_socket::connect("example.org", 443), "example.org");
template <side S>
class context {
 public:

  // --- verification ---

  /// verify_mode: whether the peer must present a certificate that verifies.
  sslpp::verify_mode verify_mode() const;

  /// set_verify_mode: changes verify_mode on a server: cert_optional or cert_required ask
  /// clients for a certificate.
  void set_verify_mode(sslpp::verify_mode mode)
    requires detail::on_a_server_context<S>;
  /// set_verify_mode: changes verify_mode on a client. `verify_mode::cert_none` written as
  /// a constant does not compile (see client_verify_mode): use disable_verification(). A
  /// variable holding cert_none while check_hostname is on throws std::invalid_argument
  /// and changes nothing (Python's ValueError).
  ///
  /// WARNING: cert_none on a client accepts any certificate, so anyone on the path can
  /// read and change the traffic.
  void set_verify_mode(client_verify_mode mode)
    requires detail::client_role<S>;
  /// disable_verification: turns check_hostname off and sets verify_mode to cert_none, in
  /// that order (Python's `ctx.check_hostname = False; ctx.verify_mode = CERT_NONE`). It is
  /// the one spelling of "do not verify the server" that compiles with a constant.
  ///
  /// WARNING: the client then accepts any certificate for any host, so anyone on the path
  /// can read and change the traffic. Use it for diagnostics only, never to "fix" a
  /// verification error.
  void disable_verification()
    requires detail::client_role<S>;

  /// check_hostname: whether a client checks that the server's certificate names the host.
  bool check_hostname() const
    requires detail::client_role<S>;

  /// set_check_hostname: turns the host name check on or off. Turning it on while
  /// verify_mode is cert_none also sets cert_required, as Python does. Sessions made
  /// before a change resume only if their certificate chain passes the new rules (a
  /// resumed handshake checks no certificate).
  ///
  /// WARNING: off, any certificate from a trusted CA is accepted for any host.
  void set_check_hostname(bool on)
    requires detail::client_role<S>;

  /// hostname_checks_common_name: whether a certificate without DNS names may match
  /// through its subject's common name (off by default, as browsers and RFC 6125 do).
  bool hostname_checks_common_name() const
    requires detail::client_role<S>;
  /// set_hostname_checks_common_name: allows the legacy common-name fallback. Sessions
  /// made before a change resume only if their chain passes the new rules.
  ///
  /// WARNING: the common name is not bound to a name type, so a CA that signs a CN it did
  /// not validate as a host name (an e-mail address, say) can be mistaken for a host.
  void set_hostname_checks_common_name(bool on)
    requires detail::client_role<S>;

  // The client's host name settings do not exist on a server_context:
  bool check_hostname() const requires detail::on_a_server_context<S> = delete;  // check_hostname is a client setting: a server_context checks no host name (use a client_context)
  void set_check_hostname(bool) requires detail::on_a_server_context<S> = delete;  // set_check_hostname is a client setting: a server_context checks no host name (use a client_context)
  bool hostname_checks_common_name() const requires detail::on_a_server_context<S> = delete;  // hostname_checks_common_name is a client setting: a server_context checks no host name
  void set_hostname_checks_common_name(bool) requires detail::on_a_server_context<S> = delete;  // set_hostname_checks_common_name is a client setting: a server_context checks no host name
  void disable_verification() requires detail::on_a_server_context<S> = delete;  // disable_verification is a client setting: a server_context verifies clients only when set_verify_mode asks

  /// verify_flags: the certificate verification flags.
  sslpp::verify_flags verify_flags() const;
  /// set_verify_flags: replaces the verification flags.
  void set_verify_flags(sslpp::verify_flags flags);

  // --- protocol ---

  /// minimum_version: the oldest TLS version this context negotiates.
  tls_version minimum_version() const;
  /// set_minimum_version: sets the oldest version (tls_version::minimum_supported: the backend's oldest).
  void set_minimum_version(tls_version v);
  /// maximum_version: the newest TLS version this context negotiates.
  tls_version maximum_version() const;
  /// set_maximum_version: sets the newest version.
  void set_maximum_version(tls_version v);

  /// options: the option flags in effect.
  sslpp::options options() const;
  /// set_options: replaces the option flags.
  void set_options(sslpp::options o);

  /// set_ciphers: the TLS 1.2 cipher suites, in OpenSSL's cipher-list syntax. A literal
  /// is checked at compile time (see cipher_list: a suite or keyword this backend does not
  /// have does not compile, and the error names it). A run-time string (a configuration
  /// file's) is read as OpenSSL, and so Python, reads it: names and exclusions this
  /// backend does not have ("!aNULL", "!MD5", "DHE-RSA-AES128-GCM-SHA256", "@SECLEVEL=2")
  /// are skipped (see cipher_list_skipped), and it throws ssl_error ("No cipher can be
  /// selected from '...'", naming the skipped elements) only when no suite remains or an
  /// element is malformed; the context is then unchanged. As with OpenSSL 3, which is built
  /// without 3DES, no keyword selects DES-CBC3-SHA: only naming it ("DES-CBC3-SHA",
  /// "3DES") does. "@SECLEVEL=n" above security_level() raises the level to n and leaves
  /// out the suites OpenSSL's level n refuses; one at or below it is skipped (lowering the
  /// certificate floor takes set_security_level). TLS 1.3 suites are fixed by the backend.
  void set_ciphers(cipher_list ciphers);
  /// cipher_list_skipped: the elements of the last set_ciphers string that this backend
  /// does not have and so skipped, as written ("!aNULL", "DHE-RSA-AES128-GCM-SHA256");
  /// empty when it used every element.
  std::vector<std::string> cipher_list_skipped() const;

  // --- trust and credentials ---

  /// load_verify_locations: adds CA certificates from a PEM or DER file, and the CRLs
  /// (-----BEGIN X509 CRL-----) of a PEM one, which verify_flags::crl_check_leaf and
  /// crl_check_chain use.
  void load_verify_locations(const std::string& cafile);
  /// load_verify_locations: adds every source `t` names (file, directory, in-memory data).
  void load_verify_locations(const trust& t);
  /// set_default_verify_paths: adds the system's trust store (see get_default_verify_paths).
  void set_default_verify_paths();
  /// load_default_certs: Python's name for set_default_verify_paths.
  void load_default_certs();

  // The error_code overloads of the loading members never throw for a missing or
  // unreadable file, malformed data, a wrong password or a mismatched key: `ec` gets the
  // code the throwing form's exception carries (the errno in the generic category for a
  // file, so `ec == std::errc::no_such_file_or_directory` works; a boringssl_category()
  // error or ssl_errc::ssl for bad data or a wrong password) and is cleared on success.
  // std::bad_alloc still propagates, and so does what a password callback throws unless
  // it is a std::system_error or std::invalid_argument (detail::capture_error).
  // After a failure the context is unchanged: everything is read and parsed, and a key
  // checked against its certificate, before anything is installed. (Only the backend
  // running out of memory halfway through installing could leave part of it in place.)

  /// load_verify_locations: adds CA certificates (and a PEM file's CRLs) from a file; reports failure in `ec`.
  void load_verify_locations(const std::string& cafile, std::error_code& ec);
  /// load_verify_locations: adds every source `t` names; reports failure in `ec` (then none is added).
  void load_verify_locations(const trust& t, std::error_code& ec);
  /// set_default_verify_paths: adds the system's trust store; reports failure (an unreadable
  /// or malformed bundle) in `ec`.
  void set_default_verify_paths(std::error_code& ec);
  /// load_default_certs: Python's name for set_default_verify_paths; reports failure in `ec`.
  void load_default_certs(std::error_code& ec);

  /// load_cert_chain: the certificate chain (PEM, leaf first) this side presents and its
  /// private key (`keyfile`, or the same file when empty), decrypted with `pw` when needed.
  /// Missing files throw std::system_error naming the path; a wrong password or a key
  /// that does not match the certificate throws ssl_error saying so.
  void load_cert_chain(const std::string& certfile, const std::string& keyfile = {}, const password& pw = {});
  /// load_cert_chain_pem: load_cert_chain from PEM text in memory (`key_pem` empty: the
  /// key is in `cert_pem`).
  void load_cert_chain_pem(std::string_view cert_pem, std::string_view key_pem = {}, const password& pw = {});
  /// load_cert_chain: as above; reports failure in `ec` (a missing file as its errno in the
  /// generic category, a wrong password or mismatched key as the backend's error) and then
  /// leaves the certificate and key this context had.
  void load_cert_chain(const std::string& certfile, const std::string& keyfile, const password& pw,
                       std::error_code& ec);
  /// load_cert_chain: the chain and key of `certfile`, or `keyfile`, without a password; reports failure in `ec`.
  void load_cert_chain(const std::string& certfile, const std::string& keyfile, std::error_code& ec);
  /// load_cert_chain: the chain and key of one file, without a password; reports failure in `ec`.
  void load_cert_chain(const std::string& certfile, std::error_code& ec);
  /// load_cert_chain: the certificate chain (PEM, leaf first) of `certfile`, whose private
  /// key stays outside the process: `signer` makes each handshake signature (see
  /// private_key_signer: at once, or later through the request's completion, while a
  /// non-blocking handshake reports want_private_key_operation). It replaces the chain and
  /// key or signer loaded before; a later load_cert_chain with a key file replaces it. A
  /// missing file throws std::system_error naming it; a signer without a `sign` function
  /// throws std::invalid_argument. sslpp cannot check that the signer's key matches the
  /// certificate: a wrong key fails each handshake at the peer (a bad signature).
  void load_cert_chain(const std::string& certfile, private_key_signer signer);
  /// load_cert_chain: the chain of `certfile` with a private key signer; reports failure in `ec`.
  void load_cert_chain(const std::string& certfile, private_key_signer signer, std::error_code& ec);

  /// load_cert_chain_pem: as above; reports failure in `ec` and then changes nothing.
  void load_cert_chain_pem(std::string_view cert_pem, std::string_view key_pem, const password& pw,
                           std::error_code& ec);
  /// load_cert_chain_pem: PEM text without a password; reports failure in `ec`.
  void load_cert_chain_pem(std::string_view cert_pem, std::string_view key_pem, std::error_code& ec);
  /// load_cert_chain_pem: certificate and key in one PEM text, without a password; reports failure in `ec`.
  void load_cert_chain_pem(std::string_view cert_pem, std::error_code& ec);

  // --- context features (SNI, ALPN, sessions, key log, groups, ciphers, trust store) ---

  /// set_sni_callback: calls `callback(sslpp::sni_request&)` during each handshake, once
  /// the client's hello is read, with the server name the client asked for (Python's
  /// sni_callback). The callback may `use_context(other)` to present another certificate,
  /// `reject(alert)` to fail the handshake, or leave the request alone. An exception
  /// escaping the callback fails that handshake with an internal_error alert. Only
  /// server contexts have it.
  template <class F>
    requires detail::server_role<S> && std::invocable<F&, sni_request&>
  void set_sni_callback(F callback) {
    set_sni_function(std::function<void(sni_request&)>(std::move(callback)));
  }
  /// set_sni_callback: removes the SNI callback (Python's `sni_callback = None`).
  void set_sni_callback(std::nullptr_t)
    requires detail::server_role<S>;
  template <class F>
  void set_sni_callback(F&&) requires detail::on_a_client_context<S> = delete;  // set_sni_callback is a server setting: a client sends its server name with wrap_socket(sock, "host") (use a server_context)

  /// set_psk_client_callback: TLS-PSK (RFC 4279) on a client, as Python 3.13's
  /// set_psk_client_callback: during a handshake that chose a PSK cipher suite,
  /// `callback(identity_hint)` gets the server's identity hint (nullopt when it sent none)
  /// and returns a psk_credentials: the identity to send and the key. An empty key
  /// abandons the handshake; an exception escaping the callback fails it, its message in
  /// the error. Certificates are the better choice where they can be had.
  ///
  /// This backend has PSK for TLS 1.2 only (no TLS 1.3 external PSK), so this also lowers
  /// maximum_version to TLS 1.2, and throws std::invalid_argument when minimum_version is
  /// TLS 1.3. Unlike Python, where `set_ciphers("PSK")` is the caller's to remember, it
  /// enables the forward-secret ECDHE-PSK suites (ECDHE-PSK-CHACHA20-POLY1305,
  /// ECDHE-PSK-AES128-CBC-SHA, ECDHE-PSK-AES256-CBC-SHA) after the context's own unless
  /// the cipher list names a PSK suite already: set_ciphers("PSK") (before or after)
  /// chooses all PSK suites, plain PSK without forward secrecy included. The certificate
  /// suites stay on, so a server that picks one is verified as usual. Without a PSK
  /// callback no PSK suite is ever offered. Setting (or removing) the callback ends the
  /// resumption of earlier sessions: one a PSK handshake made is then offered no more
  /// (it holds no certificate to verify), so a withdrawn key authenticates nothing.
  template <class F>
    requires detail::client_role<S> && std::invocable<F&, std::optional<std::string_view>> &&
             std::convertible_to<std::invoke_result_t<F&, std::optional<std::string_view>>, psk_credentials>
  void set_psk_client_callback(F callback) {
    set_psk_client_function([cb = std::move(callback)](std::optional<std::string_view> hint) mutable -> psk_credentials {
      return cb(hint);
    });
  }
  /// set_psk_client_callback: removes the client's PSK callback (Python's None); the
  /// version and cipher settings it made stay.
  void set_psk_client_callback(std::nullptr_t)
    requires detail::client_role<S>;
  template <class F>
  void set_psk_client_callback(F&&) requires detail::on_a_server_context<S> = delete;  // set_psk_client_callback is a client setting: a server answers identities with set_psk_server_callback(f, identity_hint)

  /// set_psk_server_callback: TLS-PSK on a server, as Python 3.13's
  /// set_psk_server_callback: `callback(identity)` gets the identity the client sent and
  /// returns its key, or an empty vector for an identity it does not know (the client
  /// then gets an unknown_psk_identity alert). An exception escaping the callback fails
  /// the handshake with an internal_error alert, its message in the server's error.
  /// `identity_hint` (at most 128 bytes, no NUL; nullopt: none) is sent to clients to
  /// help them choose an identity. A server without a certificate serves PSK clients only.
  /// Versions and suites as set_psk_client_callback: TLS 1.2 at most (throws
  /// std::invalid_argument when minimum_version is TLS 1.3, or for a hint too long), the
  /// ECDHE-PSK suites unless the list names PSK suites already.
  /// Setting (or removing) the callback ends the resumption of earlier sessions (a
  /// resumed handshake asks the callback nothing): a revoked identity cannot come back
  /// with a ticket it was given before.
  template <class F>
    requires detail::server_role<S> && std::invocable<F&, std::string_view> &&
             std::convertible_to<std::invoke_result_t<F&, std::string_view>, std::vector<std::byte>>
  void set_psk_server_callback(F callback, std::optional<std::string> identity_hint = std::nullopt) {
    set_psk_server_function(
        [cb = std::move(callback)](std::string_view identity) mutable -> std::vector<std::byte> { return cb(identity); },
        identity_hint);
  }
  /// set_psk_server_callback: removes the server's PSK callback and identity hint.
  void set_psk_server_callback(std::nullptr_t)
    requires detail::server_role<S>;
  template <class F, class... Hint>
  void set_psk_server_callback(F&&, Hint&&...) requires detail::on_a_client_context<S> = delete;  // set_psk_server_callback is a server setting: a client answers the server's hint with set_psk_client_callback(f)

  /// set_alpn_protocols: the application protocols (RFC 7301 ALPN) a client offers, or a
  /// server accepts, most preferred first ({"h2", "http/1.1"}). A server picks the first
  /// of its own list the client offers; when there is none in common it refuses the
  /// handshake with a no_application_protocol alert, as RFC 7301 requires (Python's
  /// server goes on without ALPN instead: set_alpn_mismatch(alpn_mismatch::continue_without)).
  /// A client that offers no ALPN is served without it either way. An empty list turns
  /// ALPN off. Throws std::invalid_argument naming a protocol that is empty
  /// or longer than 255 bytes, and changes nothing then.
  /// A braced list of literals is checked at compile time (see alpn_list).
  void set_alpn_protocols(alpn_list protocols);
  /// set_alpn_protocols: the same from any range of strings (a std::vector<std::string>).
  template <std::ranges::input_range R>
    requires std::convertible_to<std::ranges::range_reference_t<R>, std::string_view>
  void set_alpn_protocols(const R& protocols) {
    set_alpn_strings(detail::strings_of(protocols));
  }

  /// alpn_mismatch: what this server does when a client's ALPN protocols share nothing
  /// with its own: alpn_mismatch::refuse (the default, RFC 7301's fatal
  /// no_application_protocol alert) or alpn_mismatch::continue_without (Python's).
  sslpp::alpn_mismatch alpn_mismatch() const
    requires detail::server_role<S>;
  /// set_alpn_mismatch: chooses alpn_mismatch(). With continue_without the handshake
  /// succeeds with no protocol selected, so the application must check
  /// selected_alpn_protocol() before it speaks one (it is nullopt then, never a guess).
  void set_alpn_mismatch(sslpp::alpn_mismatch m)
    requires detail::server_role<S>;
  sslpp::alpn_mismatch alpn_mismatch() const requires detail::on_a_client_context<S> = delete;  // alpn_mismatch is a server setting: a client whose protocols the server does not accept gets its no_application_protocol alert (use a server_context)
  void set_alpn_mismatch(sslpp::alpn_mismatch) requires detail::on_a_client_context<S> = delete;  // set_alpn_mismatch is a server setting: a client checks selected_alpn_protocol() after the handshake (use a server_context)

  /// set_groups: the key-exchange groups (Python's set_ecdh_curve, generalised), most
  /// preferred first: TLS registry names ("x25519", "secp256r1", "secp384r1",
  /// "secp521r1") or the usual short ones ("X25519", "P-256", "P-384", "P-521"), and this
  /// backend's post-quantum hybrid "CECPQ2" (X25519 + NTRU-HRSS, experimental). Throws
  /// std::invalid_argument naming an unknown name, or for an empty list, and changes
  /// nothing then.
  /// A braced list of literals is checked at compile time (see group_list).
  void set_groups(group_list names);
  /// set_groups: the same from any range of strings.
  template <std::ranges::input_range R>
    requires std::convertible_to<std::ranges::range_reference_t<R>, std::string_view>
  void set_groups(const R& names) {
    set_groups_strings(detail::strings_of(names));
  }

  // --- Python 3.15: get_groups, signature algorithms ---

  /// get_groups: the key-exchange groups this backend implements (Python 3.15's
  /// get_groups), by their TLS registry names ("x25519", "secp256r1", "secp384r1",
  /// "secp521r1", "secp224r1", and the experimental "CECPQ2", left out when
  /// maximum_version() is below TLS 1.3); with `include_aliases`, the other names
  /// set_groups accepts ("X25519", "P-256", "prime256v1", ...) follow.
  std::vector<std::string> get_groups(bool include_aliases = false) const;

  /// set_server_sigalgs: the signature algorithms the server may sign its handshake with
  /// (Python 3.15's set_server_sigalgs), most preferred first, by TLS 1.3 scheme name:
  /// `"ecdsa_secp256r1_sha256:rsa_pss_rsae_sha256"` or `{"ed25519", "rsa_pss_rsae_sha256"}`
  /// (sslpp::get_sigalgs() lists them). On a server context these are what it signs with
  /// (among those its key allows); on a client context what it accepts from the server,
  /// and what its signature_algorithms extension offers. A handshake with nothing in
  /// common fails with NO_COMMON_SIGNATURE_ALGORITHMS (a message naming both lists).
  /// Literals are checked at compile time (see sigalg_list); an unknown name in a
  /// run-time string throws std::invalid_argument naming it, and changes nothing.
  void set_server_sigalgs(sigalg_list names);
  /// set_server_sigalgs: the same from any range of strings.
  template <std::ranges::input_range R>
    requires std::convertible_to<std::ranges::range_reference_t<R>, std::string_view>
  void set_server_sigalgs(const R& names) {
    set_sigalgs_strings(false, detail::strings_of(names));
  }
  /// set_client_sigalgs: the signature algorithms for client certificates (Python 3.15's
  /// set_client_sigalgs), as set_server_sigalgs takes them. On a server context these
  /// are what it accepts from a client certificate (and lists in its certificate
  /// request); on a client context what it signs with, among those its key allows.
  void set_client_sigalgs(sigalg_list names);
  /// set_client_sigalgs: the same from any range of strings.
  template <std::ranges::input_range R>
    requires std::convertible_to<std::ranges::range_reference_t<R>, std::string_view>
  void set_client_sigalgs(const R& names) {
    set_sigalgs_strings(true, detail::strings_of(names));
  }

  /// num_tickets: how many TLS 1.3 session tickets the server sends after each handshake (2 by default).
  std::size_t num_tickets() const
    requires detail::server_role<S>;
  /// set_num_tickets: changes num_tickets (0: no TLS 1.3 resumption). Only servers send
  /// tickets. The backend sends at most 16; num_tickets() then reports 16.
  void set_num_tickets(std::size_t n)
    requires detail::server_role<S>;
  std::size_t num_tickets() const requires detail::on_a_client_context<S> = delete;  // num_tickets is a server setting: only a server sends session tickets (use a server_context)
  void set_num_tickets(std::size_t) requires detail::on_a_client_context<S> = delete;  // set_num_tickets is a server setting: only a server sends session tickets (use a server_context)

  // --- certificate compression (Beyond Python) ---

  /// set_cert_compression: the RFC 8879 certificate compression algorithms, most preferred
  /// first: `{sslpp::cert_compression::brotli, sslpp::cert_compression::zlib}`. A client
  /// offers them and decompresses the server's certificates (and a server a client's); a
  /// server compresses its Certificate message with the first of its list the client
  /// offered (TLS 1.3 only: TLS 1.2 sends certificates uncompressed). It needs the opt-in
  /// codecs: `#include <sslpp/cert_compression_codecs.hpp>` and the sslpp::cert_compression
  /// CMake target (brotli and zlib); without them the call does not compile and the error
  /// says so. Once per context: the backend cannot remove an algorithm once added, so a
  /// second call throws std::logic_error; an empty list or one naming an algorithm twice
  /// throws std::invalid_argument. Either leaves the context unchanged.
  ///
  /// Compressing and decompressing cost about 0.1 ms a handshake for both ends together
  /// (the backend keeps no cache of the result); a three-certificate RSA chain shrinks by
  /// about a quarter (bench/handshake_bytes.cpp).
  template <class Codecs = detail::cert_compression_codecs>
  void set_cert_compression(std::initializer_list<cert_compression> algorithms) {
    if constexpr (requires { sizeof(Codecs); }) {
      Codecs::install(check_cert_compression(algorithms), algorithms);
      cert_compression_installed();
    } else {
      static_assert(sizeof(Codecs*) == 0,
                    "set_cert_compression needs the brotli and zlib codecs: #include "
                    "<sslpp/cert_compression_codecs.hpp> and link the sslpp::cert_compression CMake target");
    }
  }
  /// has_cert_compression: whether set_cert_compression gave this context its list.
  bool has_cert_compression() const;

  // --- 0-RTT early data (Beyond Python) ---

  /// max_early_data: how many bytes of TLS 1.3 0-RTT early data the server accepts per
  /// connection: 0 (the default: refused) or max_early_data_limit.
  std::size_t max_early_data() const
    requires detail::server_role<S>;
  /// set_max_early_data: allows TLS 1.3 0-RTT early data on resumed connections (the
  /// tickets this server issues from then on say so), or refuses it with 0. This
  /// BoringSSL has no SSL_CTX_set_max_early_data: its limit is fixed at
  /// max_early_data_limit (14336) bytes, so any other non-zero `n` throws
  /// std::invalid_argument saying that, and changes nothing.
  ///
  /// What the server then sees: early data only through stream::early_data(), as
  /// sslpp::replayable, never in read(). sslpp's server takes it in and hands it over once
  /// the handshake has finished (the client's Finished verified), before any ordinary
  /// data: a replayed first flight, which cannot finish the handshake, is never delivered.
  /// The price is that the server answers no sooner than without 0-RTT (it sends no
  /// half-RTT data); the data still crosses with the ClientHello. The type stays
  /// replayable all the same: BoringSSL keeps no record of tickets seen (no anti-replay
  /// cache, RFC 8446 §8), so another server sharing the ticket key that acts on early
  /// data before the Finished (half-RTT) would act on a replay, and a client may send the
  /// same request again on a new connection after a failure.
  ///
  /// WARNING: early data can be replayed (see sslpp::replayable): act only on requests
  /// that are harmless twice.
  void set_max_early_data(std::size_t n)
    requires detail::server_role<S>;
  std::size_t max_early_data() const requires detail::on_a_client_context<S> = delete;  // max_early_data is a server setting: a client sends early data with wrap_options{.early_data = ...} (use a server_context)
  void set_max_early_data(std::size_t) requires detail::on_a_client_context<S> = delete;  // set_max_early_data is a server setting: a client sends early data with wrap_options{.early_data = ...} and a session

  /// session_stats: the context's session counters (Python's session_stats()).
  session_statistics session_stats() const;

  /// keylog_filename: the file TLS secrets are logged to, or "" when they are not.
  std::string keylog_filename() const;
  /// set_keylog_filename: appends the secrets of every later handshake to `path` in the
  /// NSS key log format that Wireshark and tshark read (created when missing; "" stops
  /// logging). Throws std::system_error naming the path when it cannot be opened.
  ///
  /// WARNING: the file decrypts every logged connection. Use it for debugging only.
  void set_keylog_filename(const std::string& path);
  /// set_keylog_filename: as above; a file that cannot be opened is reported in `ec` (its
  /// errno, generic category) and logging stays as it was.
  void set_keylog_filename(const std::string& path, std::error_code& ec);

  /// post_handshake_auth: whether TLS 1.3 post-handshake client authentication is on —
  /// always false: BoringSSL does not implement it (RFC 8446 §4.6.2).
  bool post_handshake_auth() const noexcept;
  /// set_post_handshake_auth: `false` is accepted and changes nothing; `true` throws
  /// std::logic_error, since BoringSSL cannot do TLS 1.3 post-handshake authentication:
  /// ask for the client certificate in the handshake instead (server
  /// set_verify_mode(cert_optional or cert_required)).
  void set_post_handshake_auth(bool on);

  /// get_ciphers: the cipher suites this context can negotiate, in preference order, TLS
  /// 1.3's first, each with the fields of Python's get_ciphers() dicts.
  std::vector<cipher_description> get_ciphers() const;

  /// security_level: the floor this context puts on the keys and signatures of the
  /// peer's certificate chain when it verifies one (a client the server's, a server a
  /// client's), with OpenSSL's levels: 0 none; 1 RSA/DSA/DH keys of at least 1024 bits, EC
  /// of 160, no MD5 signature; 2 (the default, as in Python) 2048 and 224 bits, no MD5
  /// or SHA-1; 3 3072 and 256 bits; 4 7680 and 384 (SHA-384 or better); 5 15360 and 512
  /// (SHA-512). The trust anchor's own signature is not judged. A certificate below the
  /// floor fails verification with cert_verification_error: verify code 66 "EE
  /// certificate key too weak" (the leaf), 67 "CA certificate key too weak" or 68 "CA
  /// signature digest algorithm too weak", its message naming the certificate's subject
  /// and the reason. (BoringSSL has no security levels; sslpp applies this floor itself
  /// and does not apply the level to cipher suites or groups, which its defaults limit.)
  int security_level() const;

  /// set_security_level: sets the level (0 to 5, see security_level) for later
  /// verifications; anything else throws std::invalid_argument naming the value. A
  /// server's SNI callback that switches a connection to another context switches to
  /// that context's level too.
  ///
  /// WARNING: a level below 2 accepts RSA keys of 1024 bits and SHA-1 signatures (level 0
  /// any key and MD5), which an attacker with enough computing power can forge or
  /// factor. Lower it only to reach a legacy peer that cannot be fixed, on a context used
  /// for nothing else.
  void set_security_level(int level);

  /// get_ca_certs: the CA certificates in the trust store (Python's get_ca_certs()); a
  /// CA directory's only after a verification looked them up.
  ///
  /// Thread Safety: a handshake that looks a certificate up in a CA directory adds it to
  /// the store, and this backend offers no way to walk the store under its lock (CPython
  /// 3.13 fixed the same race with OpenSSL's X509_STORE_get1_objects, which BoringSSL
  /// lacks). With a CA directory loaded, call this and cert_store_stats() only while no
  /// handshake of this context is in progress; CA files and data are loaded up front and
  /// never change the store during handshakes.
  std::vector<certificate> get_ca_certs() const;
  /// cert_store_stats: what the trust store holds (Python's cert_store_stats()).
  cert_store_statistics cert_store_stats() const;

  // --- Beyond Python (API.md §9): OCSP stapling, Certificate Transparency ---

  /// ocsp_stapling: whether a client asks servers to staple an OCSP response (off by default).
  bool ocsp_stapling() const
    requires detail::client_role<S>;
  /// set_ocsp_stapling: asks servers for a stapled OCSP response (RFC 6066 status_request),
  /// which stream::ocsp_response() then gives. Taken by connections wrapped afterwards. A
  /// server without one simply sends none; the handshake does not fail for it.
  ///
  /// WARNING: sslpp hands the response over as bytes and does not verify it (signature,
  /// certificate, dates, status): a revoked certificate still verifies. Check the response
  /// yourself before treating a certificate as not revoked.
  void set_ocsp_stapling(bool on)
    requires detail::client_role<S>;
  /// signed_cert_timestamps: whether a client asks servers for Certificate Transparency SCTs (off by default).
  bool signed_cert_timestamps() const
    requires detail::client_role<S>;
  /// set_signed_cert_timestamps: asks servers for their signed certificate timestamps
  /// (RFC 6962 §3.3's TLS extension), which stream::signed_cert_timestamps() then gives.
  /// Taken by connections wrapped afterwards.
  ///
  /// WARNING: sslpp does not verify SCTs nor enforce a CT policy; that is the caller's.
  void set_signed_cert_timestamps(bool on)
    requires detail::client_role<S>;

  /// set_ocsp_response: the OCSP response (DER OCSPResponse, as `openssl ocsp -respout`
  /// writes it) this server staples to its certificate for clients that ask; replaces the
  /// previous one. Throws std::invalid_argument for empty bytes or bytes that are not one
  /// DER SEQUENCE (PEM or base64 text, say), and changes nothing then. sslpp does not
  /// check that the response is about this context's certificate or still fresh: renew
  /// it before its nextUpdate. An SNI callback's use_context(other) staples `other`'s.
  void set_ocsp_response(std::span<const std::byte> der)
    requires detail::server_role<S>;
  /// set_signed_cert_timestamp_list: the SignedCertificateTimestampList (RFC 6962 §3.3: a
  /// 2-byte length, then each SCT with its own 2-byte length) this server sends to clients
  /// that ask; replaces the previous one. Throws std::invalid_argument naming what is
  /// wrong with a malformed list (no SCT, an empty one, lengths that do not add up), and
  /// changes nothing then.
  void set_signed_cert_timestamp_list(std::span<const std::byte> list)
    requires detail::server_role<S>;

  bool ocsp_stapling() const requires detail::on_a_server_context<S> = delete;  // ocsp_stapling is a client setting: a server staples a response with set_ocsp_response(der)
  void set_ocsp_stapling(bool) requires detail::on_a_server_context<S> = delete;  // set_ocsp_stapling is a client setting: a server staples a response with set_ocsp_response(der)
  bool signed_cert_timestamps() const requires detail::on_a_server_context<S> = delete;  // signed_cert_timestamps is a client setting: a server sends SCTs with set_signed_cert_timestamp_list(list)
  void set_signed_cert_timestamps(bool) requires detail::on_a_server_context<S> = delete;  // set_signed_cert_timestamps is a client setting: a server sends SCTs with set_signed_cert_timestamp_list(list)
  void set_ocsp_response(std::span<const std::byte>) requires detail::on_a_client_context<S> = delete;  // set_ocsp_response is a server setting: a client asks for the server's with set_ocsp_stapling(true) (use a server_context)
  void set_signed_cert_timestamp_list(std::span<const std::byte>) requires detail::on_a_client_context<S> = delete;  // set_signed_cert_timestamp_list is a server setting: a client asks for the server's with set_signed_cert_timestamps(true) (use a server_context)
  // --- Beyond Python: Encrypted Client Hello ---

  /// set_ech_keys: decrypts the Encrypted Client Hello (ECH) of clients that offer
  /// `keys`'s config, and sends that config as the retry config to clients that offer
  /// an unknown or old one. Replaces the keys set before; may be called while
  /// connections are being served (key rotation: connections already started keep the
  /// keys they began with). Throws ssl_error when the backend refuses the keys.
  ///
  /// The server must also hold a certificate valid for each key's public name (load it,
  /// or switch to it in the SNI callback when server_hostname is the public name): a
  /// client whose config was not accepted authenticates the server for that name before
  /// it takes the retry configs. When ECH is accepted the SNI callback sees the real
  /// name, decrypted.
  void set_ech_keys(const ech_keys& keys)
    requires detail::server_role<S>;
  /// set_ech_keys: several keys, for rotation: every key of `current` (most preferred
  /// first) decrypts and is sent as a retry config; `also_accepted` only decrypts (keys
  /// being retired, whose configs DNS caches may still hand out). Publish
  /// ech_keys::config_list_of(current). Throws std::invalid_argument when `current` is
  /// empty.
  void set_ech_keys(const std::vector<ech_keys>& current, const std::vector<ech_keys>& also_accepted = {})
    requires detail::server_role<S>;
  template <class... A>
  void set_ech_keys(A&&...) requires detail::on_a_client_context<S> = delete;  // set_ech_keys is a server setting: a client offers ECH with wrap_options{.ech_config_list = the server's config list}

  /// ech_grease: whether client connections send a GREASE ECH extension when they offer no
  /// ECH config (off by default).
  bool ech_grease() const
    requires detail::client_role<S>;
  /// set_ech_grease: with `true`, a client connection made without
  /// wrap_options::ech_config_list sends a random ECH extension ("GREASE", RFC 8701's idea),
  /// so that connections that do use ECH do not stand out, and servers and middleboxes that
  /// choke on the extension are found early. It hides nothing by itself: the server name
  /// still goes in clear. Taken at the wrap.
  void set_ech_grease(bool on)
    requires detail::client_role<S>;
  bool ech_grease() const requires detail::on_a_server_context<S> = delete;  // ech_grease is a client setting: a server answers ECH with the keys of set_ech_keys
  void set_ech_grease(bool) requires detail::on_a_server_context<S> = delete;  // set_ech_grease is a client setting: a server answers ECH with the keys of set_ech_keys

  // --- connections ---
  //
  // One entry point per side, in a throwing form and an error_code form:
  //
  //   client  (client_context, context<side::any>)  wrap_socket(sock, host, opts = {})
  //   server  (server_context)                       wrap_socket(sock, opts = {})
  //   server  (context<side::any>)                   wrap_socket(sock, server_side, opts = {})
  //
  // and the same for wrap_bio(incoming, outgoing, ...). The error_code forms end in
  // `std::error_code& ec`, with or without `opts`. Every form names its peer (the server's
  // host name, or none when serving) and goes through make_stream / make_object below;
  // the host name and session policy is applied there, once (detail/client_policy.hpp).
  // The other side's forms are deleted, each with a comment naming the fix, which the
  // compiler prints.
  //
  // The error_code forms never throw for a connection that fails. A failed handshake
  // (made when opts.do_handshake_on_connect is set, the default) returns nullopt, closes
  // the socket and puts in `ec` the code the throwing wrap's exception carries: a
  // verification failure's X509_V_ERR_* value in verify_category()
  // (`ec == std::error_code(X509_V_ERR_CERT_HAS_EXPIRED, sslpp::verify_category())`),
  // ssl_errc::eof for a peer that hung up, a boringssl_category() error for a protocol
  // failure, the errno for a transport failure (errc::timed_out after a tcp_socket
  // timeout). Misuse that the throwing wrap reports with std::invalid_argument (no_hostname
  // while check_hostname is on, a session for another host, a non-blocking socket with
  // do_handshake_on_connect) is std::errc::invalid_argument. The handshake's failure costs
  // no exception; std::bad_alloc still propagates. wrap_bio makes no handshake, so a
  // peer's failure shows in do_handshake(ec).
  //
  // Example:
  //   std::error_code ec;
  //   auto tls = ctx.wrap_socket(std::move(sock), "example.org", ec);
  //   if (!tls) fmt::print(stderr, "handshake failed: {}\n", ec.message());

  /// wrap_socket: starts TLS as a client over `sock` for the server `host`, which is used
  /// for SNI and the host name check. A literal is checked at compile time; use
  /// runtime_hostname(str) for a run-time name and no_hostname for none.
  template <byte_stream Socket>
    requires detail::client_role<S>
  stream<Socket> wrap_socket(Socket sock, hostname host, wrap_options opts = {}) const {
    return make_stream(std::move(sock), &host, std::move(opts));
  }
  /// wrap_socket: the client wrap; the connection, or nullopt with the failure in `ec`.
  template <byte_stream Socket>
    requires detail::client_role<S>
  std::optional<stream<Socket>> wrap_socket(Socket sock, hostname host, wrap_options opts, std::error_code& ec) const {
    return make_stream(std::move(sock), &host, std::move(opts), ec);
  }
  /// wrap_socket: the client wrap with default options; reports failure in `ec`.
  template <byte_stream Socket>
    requires detail::client_role<S>
  std::optional<stream<Socket>> wrap_socket(Socket sock, hostname host, std::error_code& ec) const {
    return make_stream(std::move(sock), &host, wrap_options{}, ec);
  }

  /// wrap_socket: starts TLS as a server over an accepted socket.
  template <byte_stream Socket>
    requires(S == side::server)
  stream<Socket> wrap_socket(Socket sock, wrap_options opts = {}) const {
    return make_stream(std::move(sock), nullptr, std::move(opts));
  }
  /// wrap_socket: the server wrap; the connection, or nullopt with the failure in `ec`.
  template <byte_stream Socket>
    requires(S == side::server)
  std::optional<stream<Socket>> wrap_socket(Socket sock, wrap_options opts, std::error_code& ec) const {
    return make_stream(std::move(sock), nullptr, std::move(opts), ec);
  }
  /// wrap_socket: the server wrap with default options; reports failure in `ec`.
  template <byte_stream Socket>
    requires(S == side::server)
  std::optional<stream<Socket>> wrap_socket(Socket sock, std::error_code& ec) const {
    return make_stream(std::move(sock), nullptr, wrap_options{}, ec);
  }

  /// wrap_socket: on a context of either side, starts TLS as the server.
  template <byte_stream Socket>
    requires(S == side::any)
  stream<Socket> wrap_socket(Socket sock, server_side_t, wrap_options opts = {}) const {
    return make_stream(std::move(sock), nullptr, std::move(opts));
  }
  /// wrap_socket: on a context of either side, the server wrap; reports failure in `ec`.
  template <byte_stream Socket>
    requires(S == side::any)
  std::optional<stream<Socket>> wrap_socket(Socket sock, server_side_t, wrap_options opts, std::error_code& ec) const {
    return make_stream(std::move(sock), nullptr, std::move(opts), ec);
  }
  /// wrap_socket: on a context of either side, the server wrap with default options; reports failure in `ec`.
  template <byte_stream Socket>
    requires(S == side::any)
  std::optional<stream<Socket>> wrap_socket(Socket sock, server_side_t, std::error_code& ec) const {
    return make_stream(std::move(sock), nullptr, wrap_options{}, ec);
  }

  // The wraps of the other side do not exist (each line covers the throwing and the error_code forms):
  template <class Socket, class... Rest>
  void wrap_socket(Socket, hostname, Rest&&...) const requires detail::on_a_server_context<S> = delete;  // a server_context does not connect to a host name: wrap an accepted socket with wrap_socket(sock) or wrap_socket(sock, ec), or use a client_context
  template <class Socket>
  void wrap_socket(Socket, wrap_options = {}) const requires detail::client_role<S> = delete;  // a client must name the server: wrap_socket(sock, "host"), wrap_socket(sock, sslpp::runtime_hostname(name)) or sslpp::no_hostname; a context<side::any> serves with wrap_socket(sock, sslpp::server_side)
  template <class Socket, class... Rest>
  void wrap_socket(Socket, std::error_code&, Rest&&...) const requires detail::client_role<S> = delete;  // a client must name the server: wrap_socket(sock, "host", ec), wrap_socket(sock, sslpp::runtime_hostname(name), ec) or sslpp::no_hostname; a context<side::any> serves with wrap_socket(sock, sslpp::server_side, ec)
  template <class Socket>
  void wrap_socket(Socket, wrap_options, std::error_code&) const requires detail::client_role<S> = delete;  // a client must name the server: wrap_socket(sock, "host", ec), wrap_socket(sock, sslpp::runtime_hostname(name), ec) or sslpp::no_hostname; a context<side::any> serves with wrap_socket(sock, sslpp::server_side, ec)

  /// wrap_bio: sans-IO TLS as a client of the server `host` (SNI and the host name check,
  /// as wrap_socket): an ssl_object reading the peer's bytes from `incoming` and writing
  /// its own to `outgoing` (Python's wrap_bio). No handshake happens until do_handshake().
  /// Only `opts.session`, `opts.session_cache` and `opts.early_data` are used.
  ssl_object wrap_bio(memory_bio& incoming, memory_bio& outgoing, hostname host, wrap_options opts = {}) const
    requires detail::client_role<S>;
  /// wrap_bio: the client wrap_bio; the object, or nullopt with the failure in `ec`.
  std::optional<ssl_object> wrap_bio(memory_bio& incoming, memory_bio& outgoing, hostname host, wrap_options opts,
                                     std::error_code& ec) const
    requires detail::client_role<S>;
  /// wrap_bio: the client wrap_bio with default options; reports failure in `ec`.
  std::optional<ssl_object> wrap_bio(memory_bio& incoming, memory_bio& outgoing, hostname host,
                                     std::error_code& ec) const
    requires detail::client_role<S>;

  /// wrap_bio: sans-IO TLS as the server.
  ssl_object wrap_bio(memory_bio& incoming, memory_bio& outgoing, wrap_options opts = {}) const
    requires(S == side::server);
  /// wrap_bio: the server wrap_bio; the object, or nullopt with the failure in `ec`.
  std::optional<ssl_object> wrap_bio(memory_bio& incoming, memory_bio& outgoing, wrap_options opts,
                                     std::error_code& ec) const
    requires(S == side::server);
  /// wrap_bio: the server wrap_bio with default options; reports failure in `ec`.
  std::optional<ssl_object> wrap_bio(memory_bio& incoming, memory_bio& outgoing, std::error_code& ec) const
    requires(S == side::server);

  /// wrap_bio: on a context of either side, sans-IO TLS as the server.
  ssl_object wrap_bio(memory_bio& incoming, memory_bio& outgoing, server_side_t, wrap_options opts = {}) const
    requires(S == side::any);
  /// wrap_bio: on a context of either side, the server wrap_bio; reports failure in `ec`.
  std::optional<ssl_object> wrap_bio(memory_bio& incoming, memory_bio& outgoing, server_side_t, wrap_options opts,
                                     std::error_code& ec) const
    requires(S == side::any);
  /// wrap_bio: on a context of either side, the server wrap_bio with default options; reports failure in `ec`.
  std::optional<ssl_object> wrap_bio(memory_bio& incoming, memory_bio& outgoing, server_side_t,
                                     std::error_code& ec) const
    requires(S == side::any);

  // The wrap_bios of the other side do not exist (each line covers the throwing and the error_code forms):
  template <class... Rest>
  void wrap_bio(memory_bio&, memory_bio&, hostname, Rest&&...) const requires detail::on_a_server_context<S> = delete;  // a server_context does not connect to a host name: serve with wrap_bio(incoming, outgoing) or wrap_bio(incoming, outgoing, ec), or use a client_context
  void wrap_bio(memory_bio&, memory_bio&, wrap_options = {}) const requires detail::client_role<S> = delete;  // a client must name the server: wrap_bio(incoming, outgoing, "host"), wrap_bio(incoming, outgoing, sslpp::runtime_hostname(name)) or sslpp::no_hostname; a context<side::any> serves with wrap_bio(incoming, outgoing, sslpp::server_side)
  template <class... Rest>
  void wrap_bio(memory_bio&, memory_bio&, std::error_code&, Rest&&...) const requires detail::client_role<S> = delete;  // a client must name the server: wrap_bio(incoming, outgoing, "host", ec), wrap_bio(incoming, outgoing, sslpp::runtime_hostname(name), ec) or sslpp::no_hostname; a context<side::any> serves with wrap_bio(incoming, outgoing, sslpp::server_side, ec)
  void wrap_bio(memory_bio&, memory_bio&, wrap_options, std::error_code&) const requires detail::client_role<S> = delete;  // a client must name the server: wrap_bio(incoming, outgoing, "host", ec), wrap_bio(incoming, outgoing, sslpp::runtime_hostname(name), ec) or sslpp::no_hostname; a context<side::any> serves with wrap_bio(incoming, outgoing, sslpp::server_side, ec)

  /// native_handle: the backend's SSL_CTX, owned by this context (null once it was moved from).
  ///
  /// WARNING: this is the escape hatch to the backend. sslpp does not see what is changed
  /// through it: a setting made on the backend object directly bypasses sslpp's own
  /// (verification, host name and session checks, the security level), and freeing or
  /// retaining it wrongly corrupts the object.
  SSL_CTX* native_handle() const noexcept;

 private:
  friend class sni_request;
  friend struct detail::context_access;
  // Adopts shared backend state (made by context_for, or shared by a connection).
  explicit context(std::shared_ptr<detail::context_impl> impl) noexcept : impl_(std::move(impl)) {}

  // make_stream / make_object: every wrap ends here. `host` is the server's name for a
  // client wrap and null for a server wrap; the stream and the ssl_object apply the host
  // name and session policy (detail/client_policy.hpp) as they start.
  template <byte_stream Socket>
  stream<Socket> make_stream(Socket sock, const hostname* host, wrap_options opts) const {
    return stream<Socket>(std::move(sock), shared_impl(), host == nullptr, host, std::move(opts));
  }
  template <byte_stream Socket>
  std::optional<stream<Socket>> make_stream(Socket sock, const hostname* host, wrap_options opts,
                                            std::error_code& ec) const {
    return stream<Socket>::open(std::move(sock), shared_impl(), host == nullptr, host, std::move(opts), ec);
  }
  ssl_object make_object(memory_bio& incoming, memory_bio& outgoing, const hostname* host,
                         const wrap_options& opts) const;
  std::optional<ssl_object> make_object(memory_bio& incoming, memory_bio& outgoing, const hostname* host,
                                        const wrap_options& opts, std::error_code& ec) const;

  // The non-template halves of the member templates above: each template turns its
  // callable or range into a std::function or strings and passes it here, so that the
  // header needs no backend declaration (compiled mode: the library defines these).
  void set_alpn_wire(const std::string& wire);
  void set_alpn_strings(const std::vector<std::string>& protocols);
  void set_groups_strings(const std::vector<std::string>& names);
  void set_sigalgs_strings(bool for_client_auth, const std::vector<std::string>& names);
  void set_sni_function(std::function<void(sni_request&)> callback);
  void set_psk_client_function(std::function<psk_credentials(std::optional<std::string_view>)> callback);
  void set_psk_server_function(std::function<std::vector<std::byte>(std::string_view)> callback,
                               const std::optional<std::string>& identity_hint);
  // check_cert_compression: throws as set_cert_compression documents; else the backend
  // context for the codecs to install into.
  SSL_CTX* check_cert_compression(std::initializer_list<cert_compression> algorithms) const;
  void cert_compression_installed();
  // verify_mode_chosen: whether set_verify_mode was called (sni_request::use_context).
  bool verify_mode_chosen() const;

  // impl: the shared backend state; throws std::logic_error once this context was moved from.
  detail::context_impl& impl() const;
  const std::shared_ptr<detail::context_impl>& shared_impl() const;

  std::shared_ptr<detail::context_impl> impl_;
};

namespace detail {
/// context_access: how sslpp's own code makes a context around backend state.
struct context_access {
  template <side S>
  static context<S> make(std::shared_ptr<context_impl> impl) noexcept {
    return context<S>(std::move(impl));
  }
  /// impl: the backend state `c` shares, for a connection type made outside context
  /// (the asio streams); throws std::logic_error when `c` was moved from.
  template <side S>
  static const std::shared_ptr<context_impl>& impl(const context<S>& c) {
    return c.shared_impl();
  }
};
}  // namespace detail

// client_context and server_context are declared in fwd.hpp.

#if !SSLPP_WITH_DEFINITIONS
// Compiled mode: the members of the three contexts, and their wraps of a tcp_socket, are
// compiled once into the sslpp_compiled library (impl/context.ipp). A wrap of any other
// byte stream is instantiated from the member templates above in the program itself.
extern template class context<side::client>;
extern template class context<side::server>;
extern template class context<side::any>;
extern template stream<tcp_socket> context<side::client>::wrap_socket<tcp_socket>(tcp_socket, hostname,
                                                                                   wrap_options) const;
extern template std::optional<stream<tcp_socket>> context<side::client>::wrap_socket<tcp_socket>(
    tcp_socket, hostname, wrap_options, std::error_code&) const;
extern template std::optional<stream<tcp_socket>> context<side::client>::wrap_socket<tcp_socket>(
    tcp_socket, hostname, std::error_code&) const;
extern template stream<tcp_socket> context<side::server>::wrap_socket<tcp_socket>(tcp_socket, wrap_options) const;
extern template std::optional<stream<tcp_socket>> context<side::server>::wrap_socket<tcp_socket>(
    tcp_socket, wrap_options, std::error_code&) const;
extern template std::optional<stream<tcp_socket>> context<side::server>::wrap_socket<tcp_socket>(
    tcp_socket, std::error_code&) const;
extern template stream<tcp_socket> context<side::any>::wrap_socket<tcp_socket>(tcp_socket, hostname,
                                                                                wrap_options) const;
extern template std::optional<stream<tcp_socket>> context<side::any>::wrap_socket<tcp_socket>(
    tcp_socket, hostname, wrap_options, std::error_code&) const;
extern template std::optional<stream<tcp_socket>> context<side::any>::wrap_socket<tcp_socket>(
    tcp_socket, hostname, std::error_code&) const;
extern template stream<tcp_socket> context<side::any>::wrap_socket<tcp_socket>(tcp_socket, server_side_t,
                                                                                wrap_options) const;
extern template std::optional<stream<tcp_socket>> context<side::any>::wrap_socket<tcp_socket>(
    tcp_socket, server_side_t, wrap_options, std::error_code&) const;
extern template std::optional<stream<tcp_socket>> context<side::any>::wrap_socket<tcp_socket>(
    tcp_socket, server_side_t, std::error_code&) const;
#endif

// stream::context needs the complete context type, so it is defined here (and
// ssl_object::context in impl/context.ipp).
template <class Socket>
context<side::any> stream<Socket>::context() const {
  return detail::context_access::make<side::any>(state().engine.context());
}

/// context_for: a bare client context, as Python's SSLContext(PROTOCOL_TLS_CLIENT): secure
/// protocol and cipher defaults, cert_required and check_hostname on, and an empty trust
/// store (load one with load_verify_locations or load_default_certs).
client_context context_for(protocol::tls_client_t);
/// context_for: a bare server context, as Python's SSLContext(PROTOCOL_TLS_SERVER).
server_context context_for(protocol::tls_server_t);
/// context_for: a context for either side (deprecated protocol::tls), with the client's defaults.
context<side::any> context_for(protocol::tls_t);
/// context_for: a client context pinned to exactly one TLS version.
template <int Minor>
client_context context_for(protocol::pinned_version_t<Minor>) {
  client_context ctx = context_for(protocol::tls_client);
  const auto v = static_cast<tls_version>(0x0301 + Minor);
  ctx.set_minimum_version(v);
  ctx.set_maximum_version(v);
  return ctx;
}
/// context_for: SSLv2 and SSLv3 do not compile: naming the argument completes
/// protocol::removed_protocol_t, whose static_assert says what to use instead. This
/// overload only keeps a second "no matching function" error out of the output; it is
/// never defined.
template <int Version>
client_context context_for(const protocol::removed_protocol_t<Version>&);

/// create_default_context: a client context with CPython 3.13's secure defaults that
/// trusts the sources in `t`, or the system store when `t` is empty: TLS 1.2 minimum,
/// cert_required, check_hostname, no common-name fallback, strict X.509 flags, the
/// modern cipher list, and, as Python, key logging to $SSLKEYLOGFILE when it is set.
client_context create_default_context(purpose::server_auth_t, const trust& t = {});
/// create_default_context: the same for a client (purpose::server_auth).
client_context create_default_context();

/// create_default_context: a server context with the same defaults. It does not ask
/// clients for certificates (set_verify_mode(cert_required) to do so) and trusts only the
/// CAs in `t` to verify them: with an empty `t` its trust store is empty, as Python's is,
/// so a server that requires client certificates names their CA with
/// load_verify_locations (or calls load_default_certs to trust every public CA, which
/// is rarely what client authentication wants). Key logging follows $SSLKEYLOGFILE too.
server_context create_default_context(purpose::client_auth_t, const trust& t = {});

/// get_default_verify_paths: where the system trust store is, as the create functions find it.
default_verify_paths get_default_verify_paths();

SSLPP_END_NAMESPACE

#if SSLPP_WITH_DEFINITIONS
#include <sslpp/impl/context.ipp>
#endif
