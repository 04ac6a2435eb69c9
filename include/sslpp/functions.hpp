// sslpp — SPDX-License-Identifier: MIT
//
// functions.hpp: the module-level helpers and constants of Python's ssl module —
// get_server_certificate, rand_bytes, get_sigalgs, has_sni / has_alpn / has_tlsv1_3,
// openssl_version, channel_binding_types.
#pragma once

#include <sslpp/config.hpp>
#include <sslpp/context.hpp>
#include <sslpp/detail/backend_version.hpp>  // the backend's version numbers, constexpr below
#include <sslpp/hostname.hpp>
#include <sslpp/socket.hpp>

#include <array>
#include <sslpp/detail/chrono.hpp>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

SSLPP_BEGIN_NAMESPACE

/// server_certificate_options: how get_server_certificate connects (Python's keyword
/// arguments ca_certs and timeout).
struct server_certificate_options {
  std::string ca_certs{};                   ///< verify against these CAs (a PEM file); "" verifies nothing
  std::chrono::milliseconds timeout{};      ///< connect and handshake timeout; 0 waits as long as the system does
  std::string server_hostname{};            ///< the name to send in SNI; "" sends `host` (not for IP addresses)
};

/// get_server_certificate: connects to `host`:`port`, completes a TLS handshake and
/// returns the certificate the server presented, as PEM text (Python's
/// ssl.get_server_certificate). With `opts.ca_certs` the certificate must verify against
/// those CAs (its host name is not checked, as in Python); without, it is not verified.
/// Throws std::system_error when the connection fails, cert_verification_error when the
/// certificate does not verify, ssl_error for other handshake failures.
///
/// WARNING: without ca_certs the result is whatever the other end sent — fine for
/// looking at it, never a basis for trusting it.
///
/// Example:
///   std::string pem = sslpp::get_server_certificate("example.org", 443);
std::string get_server_certificate(std::string_view host, std::uint16_t port,
                                   const server_certificate_options& opts = {});

/// get_server_certificate: as above, but never throws for a failed connection: it returns
/// "" and puts in `ec` the code the throwing form's exception carries — the errno of a
/// failed connect (`ec == std::errc::connection_refused`), a verification failure's
/// X509_V_ERR_* value in verify_category(), the backend's code of another handshake
/// failure, the errno of an unreadable `opts.ca_certs`, std::errc::invalid_argument for a
/// host name runtime_hostname refuses, ssl_errc::ssl when the server sent no certificate.
/// std::bad_alloc still propagates.
std::string get_server_certificate(std::string_view host, std::uint16_t port,
                                   const server_certificate_options& opts, std::error_code& ec);
/// get_server_certificate: with default options; "" and the failure in `ec` when it fails.
std::string get_server_certificate(std::string_view host, std::uint16_t port, std::error_code& ec);

/// rand_bytes: `n` cryptographically strong random bytes (Python's ssl.RAND_bytes).
std::vector<std::byte> rand_bytes(std::size_t n);

/// get_sigalgs: every TLS signature algorithm this backend implements, by TLS 1.3 scheme
/// name, in its default order of preference (Python 3.15's ssl.get_sigalgs()): the names
/// set_client_sigalgs and set_server_sigalgs take.
std::vector<std::string> get_sigalgs();

/// has_sni: the backend can send and receive Server Name Indication (always true).
inline constexpr bool has_sni = true;
/// has_alpn: the backend supports ALPN (always true).
inline constexpr bool has_alpn = true;
/// has_tlsv1_3: the backend speaks TLS 1.3 (always true).
inline constexpr bool has_tlsv1_3 = true;
/// has_tlsv1_2: the backend speaks TLS 1.2 (always true).
inline constexpr bool has_tlsv1_2 = true;
/// has_never_check_common_name: a certificate's common name can be kept out of host
/// name checks (always true; sslpp's default).
inline constexpr bool has_never_check_common_name = true;
/// has_post_handshake_auth: false — BoringSSL has no TLS 1.3 post-handshake authentication.
inline constexpr bool has_post_handshake_auth = false;

/// openssl_version: the backend's version text, as Python's ssl.OPENSSL_VERSION
/// ("OpenSSL 1.1.1 (compatible; BoringSSL)").
inline constexpr std::string_view openssl_version = detail::backend_version_string;
/// openssl_version_number: the OpenSSL version number the backend claims (Python's
/// OPENSSL_VERSION_NUMBER).
inline constexpr unsigned long openssl_version_number = detail::backend_version_number;
/// boringssl_api_version: BoringSSL's BORINGSSL_API_VERSION of the headers sslpp was built with.
inline constexpr int boringssl_api_version = detail::backend_api_version;

/// channel_binding_types: the types stream::get_channel_binding takes (Python's
/// CHANNEL_BINDING_TYPES, plus RFC 9266's tls-exporter).
inline constexpr std::array<std::string_view, 2> channel_binding_types{"tls-unique", "tls-exporter"};

SSLPP_END_NAMESPACE

#if SSLPP_WITH_DEFINITIONS
#include <sslpp/impl/functions.ipp>
#endif
