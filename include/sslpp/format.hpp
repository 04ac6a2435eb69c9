// sslpp — SPDX-License-Identifier: MIT
//
// format.hpp: fmt formatters for sslpp's values, printing what Python prints.
//
//   fmt::format("{}", cert)          pprint.pformat(ssl_sock.getpeercert()), character for character
//   fmt::format("{:pem}", cert)      the PEM text
//   fmt::format("{:sha256}", cert)   the fingerprint ("AB:CD:..."); also sha1, sha384, sha512
//   fmt::format("{}", dn)            Python's tuple form ((('commonName', 'x'),),)
//   fmt::format("{:rfc4514}", dn)    "CN=x,O=y"
//   fmt::format("{}", alt_name)      ('DNS', 'example.org')
//   fmt::format("{}", version)       "TLSv1.3"
//   fmt::format("{}", mode)          "CERT_REQUIRED"
//   fmt::format("{}", cipher)        ('TLS_AES_256_GCM_SHA384', 'TLSv1.3', 256)
//   fmt::format("{}", error)         error.what()
//   fmt::format("{}", digest)        "SHA256"
//   fmt::format("{}", address)       "127.0.0.1:443", "[::1]:443"
#pragma once

#include <sslpp/certificate.hpp>
#include <sslpp/cipher.hpp>
#include <sslpp/config.hpp>
#include <sslpp/error.hpp>
#include <sslpp/protocol.hpp>
#include <sslpp/socket_address.hpp>

// The formatters need only fmt's core: their format() members are not templates (they
// take fmt::format_context) and are defined in impl/format.ipp, which includes
// <fmt/format.h> (in the compiled mode, only the library does).
#include <fmt/core.h>

#include <concepts>
#include <initializer_list>
#include <string>
#include <string_view>

SSLPP_BEGIN_NAMESPACE

/// to_string: a TLS version as Python's SSLSocket.version() names it ("TLSv1.3"), or
/// Python's TLSVersion member name for the two bounds ("MINIMUM_SUPPORTED").
constexpr std::string_view to_string(tls_version v) noexcept {
  switch (static_cast<int>(v)) {
    case -2: return "MINIMUM_SUPPORTED";
    case -1: return "MAXIMUM_SUPPORTED";
    case 0x0300: return "SSLv3";
    case 0x0301: return "TLSv1";
    case 0x0302: return "TLSv1.1";
    case 0x0303: return "TLSv1.2";
    case 0x0304: return "TLSv1.3";
    default: return "unknown";
  }
}

/// to_string: a verify mode by Python's constant name ("CERT_REQUIRED").
constexpr std::string_view to_string(verify_mode m) noexcept {
  switch (m) {
    case verify_mode::cert_none: return "CERT_NONE";
    case verify_mode::cert_optional: return "CERT_OPTIONAL";
    case verify_mode::cert_required: return "CERT_REQUIRED";
  }
  return "unknown";
}

/// to_string: a digest's name as `openssl x509 -fingerprint` labels it ("SHA256").
constexpr std::string_view to_string(digest d) noexcept {
  switch (d) {
    case digest::sha1: return "SHA1";
    case digest::sha256: return "SHA256";
    case digest::sha384: return "SHA384";
    case digest::sha512: return "SHA512";
  }
  return "unknown";
}

/// python_text: `cert` exactly as Python's `pprint.pformat(ssl_sock.getpeercert())`
/// prints it (what `fmt::format("{}", cert)` gives).
SSLPP_DECL std::string python_text(const certificate& cert);

/// python_repr: a distinguished name as Python's repr() of its tuple form, on one line.
SSLPP_DECL std::string python_repr(const distinguished_name& dn);

SSLPP_END_NAMESPACE

SSLPP_BEGIN_NAMESPACE
namespace detail {
// Called by a formatter's parse() for a spec it does not know. They are not constexpr, so
// a format string checked at compile time (every literal, as fmt checks its own specs)
// stops there with an error naming the function, and its "declared here" note shows this
// line: the allowed specs. At run time (fmt::runtime) they throw fmt::format_error
// (defined in impl/format.ipp, with the same comments for the note of the definition).
[[noreturn]] SSLPP_DECL void unknown_format_spec_for_sslpp_certificate();  // use {}, {:pem}, {:sha1}, {:sha256}, {:sha384} or {:sha512}
[[noreturn]] SSLPP_DECL void unknown_format_spec_for_sslpp_distinguished_name();  // use {} or {:rfc4514}

/// spec_formatter: a formatter whose presentation is one of a few words ("pem", ...),
/// checked by parse() — at compile time for a literal format string.
struct spec_formatter {
  std::string_view spec;
  constexpr auto parse_one_of(fmt::format_parse_context& ctx, std::initializer_list<std::string_view> allowed,
                              void (*unknown)()) {
    auto it = ctx.begin();
    auto end = it;
    while (end != ctx.end() && *end != '}') ++end;
    spec = std::string_view(it, static_cast<std::size_t>(end - it));
    for (std::string_view a : allowed)
      if (a == spec) return end;
    unknown();
    return end;
  }
};
}  // namespace detail
SSLPP_END_NAMESPACE

/// fmt::formatter<sslpp::certificate>: `{}` is Python's pprint of getpeercert();
/// `{:pem}` the PEM text; `{:sha1}`, `{:sha256}`, `{:sha384}`, `{:sha512}` the fingerprint.
template <>
struct fmt::formatter<sslpp::certificate> : sslpp::detail::spec_formatter {
  constexpr auto parse(fmt::format_parse_context& ctx) {
    return parse_one_of(ctx, {"", "pem", "sha1", "sha256", "sha384", "sha512"},
                        sslpp::detail::unknown_format_spec_for_sslpp_certificate);
  }
  /// format: writes the value as described above.
  auto format(const sslpp::certificate& c, fmt::format_context& ctx) const -> fmt::format_context::iterator;
};

/// fmt::formatter<sslpp::distinguished_name>: `{}` Python's tuple form, `{:rfc4514}` RFC 4514 text.
template <>
struct fmt::formatter<sslpp::distinguished_name> : sslpp::detail::spec_formatter {
  constexpr auto parse(fmt::format_parse_context& ctx) {
    return parse_one_of(ctx, {"", "rfc4514"}, sslpp::detail::unknown_format_spec_for_sslpp_distinguished_name);
  }
  /// format: writes the value as described above.
  auto format(const sslpp::distinguished_name& dn, fmt::format_context& ctx) const -> fmt::format_context::iterator;
};

/// fmt::formatter<sslpp::general_name>: Python's pair, ('DNS', 'example.org').
template <>
struct fmt::formatter<sslpp::general_name> : fmt::formatter<std::string_view> {
  /// format: writes the value as described above.
  auto format(const sslpp::general_name& g, fmt::format_context& ctx) const -> fmt::format_context::iterator;
};

/// fmt::formatter<sslpp::general_name_kind>: Python's tag ("DNS", "IP Address", ...).
template <>
struct fmt::formatter<sslpp::general_name_kind> : fmt::formatter<std::string_view> {
  /// format: writes the value as described above.
  auto format(sslpp::general_name_kind k, fmt::format_context& ctx) const -> fmt::format_context::iterator;
};

/// fmt::formatter<sslpp::tls_version>: "TLSv1.3", as Python's SSLSocket.version().
template <>
struct fmt::formatter<sslpp::tls_version> : fmt::formatter<std::string_view> {
  /// format: writes the value as described above.
  auto format(sslpp::tls_version v, fmt::format_context& ctx) const -> fmt::format_context::iterator;
};

/// fmt::formatter<sslpp::verify_mode>: "CERT_REQUIRED".
template <>
struct fmt::formatter<sslpp::verify_mode> : fmt::formatter<std::string_view> {
  /// format: writes the value as described above.
  auto format(sslpp::verify_mode m, fmt::format_context& ctx) const -> fmt::format_context::iterator;
};

/// fmt::formatter<sslpp::digest>: "SHA256".
template <>
struct fmt::formatter<sslpp::digest> : fmt::formatter<std::string_view> {
  /// format: writes the value as described above.
  auto format(sslpp::digest d, fmt::format_context& ctx) const -> fmt::format_context::iterator;
};

/// fmt::formatter<sslpp::socket_address>: "host:port", "[::1]:443" for IPv6 (its to_string()).
template <>
struct fmt::formatter<sslpp::socket_address> : fmt::formatter<std::string_view> {
  /// format: writes the value as described above.
  auto format(const sslpp::socket_address& a, fmt::format_context& ctx) const -> fmt::format_context::iterator;
};

/// fmt::formatter<sslpp::cipher_info>: Python's cipher() tuple, ('TLS_AES_256_GCM_SHA384', 'TLSv1.3', 256).
template <>
struct fmt::formatter<sslpp::cipher_info> : fmt::formatter<std::string_view> {
  /// format: writes the value as described above.
  auto format(const sslpp::cipher_info& c, fmt::format_context& ctx) const -> fmt::format_context::iterator;
};

SSLPP_BEGIN_NAMESPACE
namespace detail {
/// error_formatter: the formatter of ssl_error and of every exception derived from it (one
/// non-template format() for all of them).
struct error_formatter : fmt::formatter<std::string_view> {
  /// format: writes e.what(), with the width and alignment of the spec.
  auto format(const ssl_error& e, fmt::format_context& ctx) const -> fmt::format_context::iterator;
};
}  // namespace detail
SSLPP_END_NAMESPACE

/// fmt::formatter<E> for sslpp::ssl_error and every exception derived from it: its what().
template <class E>
  requires std::derived_from<E, sslpp::ssl_error>
struct fmt::formatter<E> : sslpp::detail::error_formatter {};

#if SSLPP_WITH_DEFINITIONS
#include <sslpp/impl/format.ipp>
#endif
