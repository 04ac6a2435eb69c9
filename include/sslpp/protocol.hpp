// sslpp — SPDX-License-Identifier: MIT
//
// protocol.hpp: the selectors of Python's ssl module — protocols, purposes,
// TLS versions, verify modes, options, verify flags and alerts.
#pragma once

#include <sslpp/config.hpp>
#include <sslpp/fwd.hpp>

#include <cstdint>
#include <type_traits>

SSLPP_BEGIN_NAMESPACE


/// protocol: tag objects that pick a context's side (Python's PROTOCOL_* constants).
namespace protocol {

/// tls_client_t: the type of `protocol::tls_client`.
struct tls_client_t {
  explicit constexpr tls_client_t() = default;
};
/// tls_server_t: the type of `protocol::tls_server`.
struct tls_server_t {
  explicit constexpr tls_server_t() = default;
};
/// tls_t: the type of `protocol::tls`.
struct tls_t {
  explicit constexpr tls_t() = default;
};
/// pinned_version_t: the type of the version-pinning protocol tags (`tlsv1_2` and the deprecated older ones).
template <int Minor>
struct pinned_version_t {
  explicit constexpr pinned_version_t() = default;
};
/// removed_protocol_t: the type of SSLv2 and SSLv3, kept only so that using them fails to
/// compile. It is declared, never completed without an error: any use of `sslv2` or `sslv3`
/// that needs the object (passing it, copying it, binding it to a reference) instantiates
/// it, and the static_assert below stops the build with one sentence naming the fix.
template <int Version>
struct removed_protocol_t {
  static_assert(Version != 2,
                "protocol::sslv2 is insecure (SSL 2.0 is prohibited by RFC 6176) and sslpp cannot speak it: "
                "use sslpp::protocol::tls_client or sslpp::protocol::tls_server");
  static_assert(Version != 3,
                "protocol::sslv3 is insecure (SSL 3.0 is prohibited by RFC 7568, POODLE) and sslpp cannot speak "
                "it: use sslpp::protocol::tls_client or sslpp::protocol::tls_server");
};

/// tls_client: a client context, negotiating the highest version both sides support (PROTOCOL_TLS_CLIENT).
inline constexpr tls_client_t tls_client{};
/// tls_server: a server context, negotiating the highest version both sides support (PROTOCOL_TLS_SERVER).
inline constexpr tls_server_t tls_server{};
/// tls: a context for either side (PROTOCOL_TLS). Deprecated as in Python 3.10: a context
/// that knows its side catches more mistakes.
[[deprecated("protocol::tls is deprecated as in Python 3.10: use protocol::tls_client or protocol::tls_server")]]
inline constexpr tls_t tls{};
/// tlsv1: pins TLS 1.0. Deprecated: TLS 1.0 is broken (RFC 8996).
[[deprecated("TLS 1.0 is deprecated (RFC 8996): use protocol::tls_client and set_minimum_version(tls_version::tlsv1_2)")]]
inline constexpr pinned_version_t<0> tlsv1{};
/// tlsv1_1: pins TLS 1.1. Deprecated: TLS 1.1 is broken (RFC 8996).
[[deprecated("TLS 1.1 is deprecated (RFC 8996): use protocol::tls_client and set_minimum_version(tls_version::tlsv1_2)")]]
inline constexpr pinned_version_t<1> tlsv1_1{};
/// tlsv1_2: a client context pinned to exactly TLS 1.2.
inline constexpr pinned_version_t<2> tlsv1_2{};
/// sslv2: exists only so that using it is a compile error (SSL 2.0 is prohibited by RFC 6176).
/// Declared and never defined: every use stops at removed_protocol_t's static_assert.
extern const removed_protocol_t<2> sslv2;
/// sslv3: exists only so that using it is a compile error (SSL 3.0 is prohibited by RFC 7568, POODLE).
/// Declared and never defined: every use stops at removed_protocol_t's static_assert.
extern const removed_protocol_t<3> sslv3;

}  // namespace protocol

/// purpose: what the peer's certificate will be checked for (Python's ssl.Purpose).
namespace purpose {
/// server_auth_t: the type of `purpose::server_auth`.
struct server_auth_t {
  explicit constexpr server_auth_t() = default;
};
/// client_auth_t: the type of `purpose::client_auth`.
struct client_auth_t {
  explicit constexpr client_auth_t() = default;
};
/// server_auth: a client context that authenticates servers (Purpose.SERVER_AUTH).
inline constexpr server_auth_t server_auth{};
/// client_auth: a server context that may authenticate clients (Purpose.CLIENT_AUTH).
inline constexpr client_auth_t client_auth{};
}  // namespace purpose

/// tls_version: a TLS protocol version, numbered as Python's ssl.TLSVersion.
enum class tls_version : int {
  minimum_supported = -2,  ///< the oldest version the backend supports
  maximum_supported = -1,  ///< the newest version the backend supports
  tlsv1 [[deprecated("TLS 1.0 is deprecated (RFC 8996): use tls_version::tlsv1_2")]] = 0x0301,
  tlsv1_1 [[deprecated("TLS 1.1 is deprecated (RFC 8996): use tls_version::tlsv1_2")]] = 0x0302,
  tlsv1_2 = 0x0303,  ///< TLS 1.2 (RFC 5246)
  tlsv1_3 = 0x0304,  ///< TLS 1.3 (RFC 8446)
};

/// verify_mode: whether and how the peer's certificate is required (Python's CERT_*).
enum class verify_mode {
  cert_none,      ///< WARNING: no verification at all; a man in the middle goes unnoticed
  cert_optional,  ///< verify a certificate if the peer sends one (servers: ask clients for one)
  cert_required,  ///< the peer must send a certificate that verifies
};

namespace detail {
// Called only from client_verify_mode's consteval constructor: not constexpr, so the
// compiler stops here and prints this name and, in its "declared here" note, this line.
void verify_mode_cert_none_on_a_client_does_not_compile_call_disable_verification();  // cert_none would turn off check_hostname's protection: write ctx.disable_verification() (WARNING: insecure), or pass a run-time value in a variable
}  // namespace detail

/// client_verify_mode: the argument of a client's `set_verify_mode`: a verify_mode checked
/// at compile time when it is written as a constant, at run time when it is a variable.
///
/// `ctx.set_verify_mode(sslpp::verify_mode::cert_none)` on a client does not compile: the
/// context's check_hostname is on unless the program turned it off, and a client that
/// accepts any certificate while believing it checks host names is Python's ValueError.
/// Turning verification off is spelled `ctx.disable_verification()`. A constant (a
/// prvalue such as `verify_mode::cert_required`) is checked by the consteval constructor;
/// a variable (an lvalue) is checked by set_verify_mode at run time, which throws
/// std::invalid_argument for cert_none while check_hostname is on.
class client_verify_mode {
 public:
  /// Checks a constant at compile time: cert_none does not compile.
  consteval client_verify_mode(verify_mode&& constant) : mode_(constant) {  // NOLINT(google-explicit-constructor)
    if (constant == verify_mode::cert_none)
      detail::verify_mode_cert_none_on_a_client_does_not_compile_call_disable_verification();
  }
  /// Takes a variable's value, checked at run time by set_verify_mode.
  constexpr client_verify_mode(const verify_mode& variable) noexcept : mode_(variable) {}  // NOLINT

  /// value: the verify_mode.
  constexpr verify_mode value() const noexcept { return mode_; }

 private:
  verify_mode mode_;
};

/// options: bit flags for a context (Python's OP_*). Combine with `|`, test with `&`.
enum class options : std::uint32_t {
  none = 0,
  no_compression = 1u << 0,            ///< never compress (CRIME); the backend cannot compress anyway
  no_ticket = 1u << 1,                 ///< no stateless session tickets (RFC 5077)
  cipher_server_preference = 1u << 2,  ///< the server's cipher order wins
  no_renegotiation = 1u << 3,          ///< refuse renegotiation; the backend always refuses it as a server
  single_ecdh_use = 1u << 4,           ///< a fresh ECDH key per handshake; the backend always does so
  enable_middlebox_compat = 1u << 5,   ///< TLS 1.3 middlebox compatibility mode
  ignore_unexpected_eof = 1u << 6,     ///< treat a missing close_notify as a clean end
};

/// verify_flags: certificate verification flags (Python's VERIFY_*), with Python's values.
enum class verify_flags : std::uint32_t {
  verify_default = 0,
  crl_check_leaf = 0x4,                 ///< check the leaf against a loaded CRL
  crl_check_chain = 0x4 | 0x8,          ///< check the whole chain against loaded CRLs
  x509_strict = 0x20,                   ///< RFC 5280 strictness (see README: what this backend checks)
  allow_proxy_certs = 0x40,             ///< accept RFC 3820 proxy certificates
  x509_trusted_first = 0x8000,          ///< prefer trusted certificates when building chains
  x509_partial_chain = 0x80000,         ///< an intermediate in the trust store is a trust anchor
};

/// alert: TLS alert descriptions (RFC 8446 §6), for `sni_request::reject` and error reports.
enum class alert : std::uint8_t {
  close_notify = 0,
  unexpected_message = 10,
  bad_record_mac = 20,
  record_overflow = 22,
  handshake_failure = 40,
  bad_certificate = 42,
  unsupported_certificate = 43,
  certificate_revoked = 44,
  certificate_expired = 45,
  certificate_unknown = 46,
  illegal_parameter = 47,
  unknown_ca = 48,
  access_denied = 49,
  decode_error = 50,
  decrypt_error = 51,
  protocol_version = 70,
  insufficient_security = 71,
  internal_error = 80,
  inappropriate_fallback = 86,
  user_canceled = 90,
  missing_extension = 109,
  unsupported_extension = 110,
  unrecognized_name = 112,
  bad_certificate_status_response = 113,
  unknown_psk_identity = 115,
  certificate_required = 116,
  no_application_protocol = 120,
};

/// alpn_mismatch: what a server does when a client offers ALPN protocols and none of them
/// is one the server accepts (server_context::set_alpn_mismatch).
enum class alpn_mismatch : std::uint8_t {
  /// refuse: fail the handshake with a fatal no_application_protocol alert, as RFC 7301
  /// §3.2 requires ("the server SHALL respond with a fatal no_application_protocol alert")
  /// and openssl s_server does. The default: the client learns at once that it cannot
  /// speak any protocol here, instead of sending, say, HTTP/2 to an HTTP/1.1 server.
  refuse,
  /// continue_without: go on without ALPN, so selected_alpn_protocol() is nullopt on both
  /// ends (what Python's ssl does, and sslpp did before).
  continue_without,
};

namespace detail {
template <class E>
inline constexpr bool is_bitmask = std::is_same_v<E, options> || std::is_same_v<E, verify_flags>;
}  // namespace detail

/// operator|: the union of two option or verify-flag sets.
template <class E>
  requires detail::is_bitmask<E>
constexpr E operator|(E a, E b) noexcept {
  using U = std::underlying_type_t<E>;
  return static_cast<E>(static_cast<U>(a) | static_cast<U>(b));
}
/// operator&: the intersection of two option or verify-flag sets.
template <class E>
  requires detail::is_bitmask<E>
constexpr E operator&(E a, E b) noexcept {
  using U = std::underlying_type_t<E>;
  return static_cast<E>(static_cast<U>(a) & static_cast<U>(b));
}
/// operator~: every flag not in the set.
template <class E>
  requires detail::is_bitmask<E>
constexpr E operator~(E a) noexcept {
  using U = std::underlying_type_t<E>;
  return static_cast<E>(~static_cast<U>(a));
}
/// operator|=: adds flags.
template <class E>
  requires detail::is_bitmask<E>
constexpr E& operator|=(E& a, E b) noexcept {
  return a = a | b;
}
/// operator&=: keeps only the given flags.
template <class E>
  requires detail::is_bitmask<E>
constexpr E& operator&=(E& a, E b) noexcept {
  return a = a & b;
}
/// has: whether every flag of `wanted` is in `set` (`has(ctx.options(), options::no_ticket)`).
template <class E>
  requires detail::is_bitmask<E>
constexpr bool has(E set, E wanted) noexcept {
  return (set & wanted) == wanted;
}

SSLPP_END_NAMESPACE
