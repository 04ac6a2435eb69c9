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
#include <sslpp/detail/pyrepr.hpp>
#include <sslpp/error.hpp>
#include <sslpp/protocol.hpp>
#include <sslpp/socket_address.hpp>

#include <fmt/format.h>

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

namespace detail::py {

/// name_object: a distinguished name as Python's nested tuples.
inline object name_object(const distinguished_name& dn) {
  object rdns = object::tuple();
  for (const auto& rdn : dn) {
    object r = object::tuple();
    for (const auto& a : rdn) r.items.push_back(object::tuple({object::str(a.name), object::str(a.value)}));
    rdns.items.push_back(std::move(r));
  }
  return rdns;
}

/// general_name_object: ('DNS', 'example.org'); a DirName's value as its nested tuples.
inline object general_name_object(const general_name& g) {
  return object::tuple({object::str(std::string(to_string(g.kind))),
                        g.kind == general_name_kind::dir_name ? name_object(g.directory) : object::str(g.value)});
}

inline object strings_object(const std::vector<std::string>& v) {
  object t = object::tuple();
  for (const auto& s : v) t.items.push_back(object::str(s));
  return t;
}

/// certificate_object: the dict Python's getpeercert() (and ssl._ssl._test_decode_cert)
/// returns for `cert`: subject, issuer, version, serialNumber, notBefore, notAfter,
/// subjectAltName when the extension is there, OCSP / caIssuers / crlDistributionPoints
/// when they hold a URI.
inline object certificate_object(const certificate& cert) {
  object d = object::dict();
  d.set("subject", name_object(cert.subject()));
  d.set("issuer", name_object(cert.issuer()));
  d.set("version", object::integer(cert.version()));
  d.set("serialNumber", object::str(cert.serial_number()));
  d.set("notBefore", object::str(cert.not_before_text()));
  d.set("notAfter", object::str(cert.not_after_text()));
  if (cert.has_subject_alt_names()) {
    object sans = object::tuple();
    for (const auto& g : cert.subject_alt_names()) sans.items.push_back(general_name_object(g));
    d.set("subjectAltName", std::move(sans));
  }
  if (auto v = cert.ocsp(); !v.empty()) d.set("OCSP", strings_object(v));
  if (auto v = cert.ca_issuers(); !v.empty()) d.set("caIssuers", strings_object(v));
  if (auto v = cert.crl_distribution_points(); !v.empty()) d.set("crlDistributionPoints", strings_object(v));
  return d;
}

}  // namespace detail::py

/// python_text: `cert` exactly as Python's `pprint.pformat(ssl_sock.getpeercert())`
/// prints it (what `fmt::format("{}", cert)` gives).
inline std::string python_text(const certificate& cert) {
  return detail::py::pformat(detail::py::certificate_object(cert));
}

/// python_repr: a distinguished name as Python's repr() of its tuple form, on one line.
inline std::string python_repr(const distinguished_name& dn) { return detail::py::repr(detail::py::name_object(dn)); }

SSLPP_END_NAMESPACE

SSLPP_BEGIN_NAMESPACE
namespace detail {
// Called by a formatter's parse() for a spec it does not know. They are not constexpr, so
// a format string checked at compile time (every literal, as fmt checks its own specs)
// stops there with an error naming the function, and its "declared here" note shows this
// line: the allowed specs. At run time (fmt::runtime) they throw fmt::format_error.
[[noreturn]] inline void unknown_format_spec_for_sslpp_certificate() {  // use {}, {:pem}, {:sha1}, {:sha256}, {:sha384} or {:sha512}
  throw fmt::format_error(
      "sslpp: unknown format spec for sslpp::certificate (use {}, {:pem}, {:sha1}, {:sha256}, {:sha384} or {:sha512})");
}
[[noreturn]] inline void unknown_format_spec_for_sslpp_distinguished_name() {  // use {} or {:rfc4514}
  throw fmt::format_error("sslpp: unknown format spec for sslpp::distinguished_name (use {} or {:rfc4514})");
}

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
  template <class FormatContext>
  auto format(const sslpp::certificate& c, FormatContext& ctx) const {
    std::string text;
    if (spec.empty()) text = sslpp::python_text(c);
    else if (spec == "pem") text = c.to_pem();
    else if (spec == "sha1") text = c.fingerprint(sslpp::digest::sha1);
    else if (spec == "sha256") text = c.fingerprint(sslpp::digest::sha256);
    else if (spec == "sha384") text = c.fingerprint(sslpp::digest::sha384);
    else text = c.fingerprint(sslpp::digest::sha512);  // parse() let nothing else through
    return fmt::format_to(ctx.out(), "{}", text);
  }
};

/// fmt::formatter<sslpp::distinguished_name>: `{}` Python's tuple form, `{:rfc4514}` RFC 4514 text.
template <>
struct fmt::formatter<sslpp::distinguished_name> : sslpp::detail::spec_formatter {
  constexpr auto parse(fmt::format_parse_context& ctx) {
    return parse_one_of(ctx, {"", "rfc4514"}, sslpp::detail::unknown_format_spec_for_sslpp_distinguished_name);
  }
  template <class FormatContext>
  auto format(const sslpp::distinguished_name& dn, FormatContext& ctx) const {
    if (spec.empty()) return fmt::format_to(ctx.out(), "{}", sslpp::python_repr(dn));
    return fmt::format_to(ctx.out(), "{}", dn.rfc4514());
  }
};

/// fmt::formatter<sslpp::general_name>: Python's pair, ('DNS', 'example.org').
template <>
struct fmt::formatter<sslpp::general_name> : fmt::formatter<std::string_view> {
  template <class FormatContext>
  auto format(const sslpp::general_name& g, FormatContext& ctx) const {
    const std::string text = sslpp::detail::py::repr(sslpp::detail::py::general_name_object(g));
    return fmt::formatter<std::string_view>::format(text, ctx);
  }
};

/// fmt::formatter<sslpp::general_name_kind>: Python's tag ("DNS", "IP Address", ...).
template <>
struct fmt::formatter<sslpp::general_name_kind> : fmt::formatter<std::string_view> {
  template <class FormatContext>
  auto format(sslpp::general_name_kind k, FormatContext& ctx) const {
    return fmt::formatter<std::string_view>::format(to_string(k), ctx);
  }
};

/// fmt::formatter<sslpp::tls_version>: "TLSv1.3", as Python's SSLSocket.version().
template <>
struct fmt::formatter<sslpp::tls_version> : fmt::formatter<std::string_view> {
  template <class FormatContext>
  auto format(sslpp::tls_version v, FormatContext& ctx) const {
    return fmt::formatter<std::string_view>::format(sslpp::to_string(v), ctx);
  }
};

/// fmt::formatter<sslpp::verify_mode>: "CERT_REQUIRED".
template <>
struct fmt::formatter<sslpp::verify_mode> : fmt::formatter<std::string_view> {
  template <class FormatContext>
  auto format(sslpp::verify_mode m, FormatContext& ctx) const {
    return fmt::formatter<std::string_view>::format(sslpp::to_string(m), ctx);
  }
};

/// fmt::formatter<sslpp::digest>: "SHA256".
template <>
struct fmt::formatter<sslpp::digest> : fmt::formatter<std::string_view> {
  template <class FormatContext>
  auto format(sslpp::digest d, FormatContext& ctx) const {
    return fmt::formatter<std::string_view>::format(sslpp::to_string(d), ctx);
  }
};

/// fmt::formatter<sslpp::socket_address>: "host:port", "[::1]:443" for IPv6 (its to_string()).
template <>
struct fmt::formatter<sslpp::socket_address> : fmt::formatter<std::string_view> {
  template <class FormatContext>
  auto format(const sslpp::socket_address& a, FormatContext& ctx) const {
    return fmt::formatter<std::string_view>::format(a.to_string(), ctx);
  }
};

/// fmt::formatter<sslpp::cipher_info>: Python's cipher() tuple, ('TLS_AES_256_GCM_SHA384', 'TLSv1.3', 256).
template <>
struct fmt::formatter<sslpp::cipher_info> : fmt::formatter<std::string_view> {
  template <class FormatContext>
  auto format(const sslpp::cipher_info& c, FormatContext& ctx) const {
    namespace py = sslpp::detail::py;
    const std::string text =
        py::repr(py::object::tuple({py::object::str(c.name), py::object::str(c.protocol), py::object::integer(c.secret_bits)}));
    return fmt::formatter<std::string_view>::format(text, ctx);
  }
};

/// fmt::formatter<E> for sslpp::ssl_error and every exception derived from it: its what().
template <class E>
  requires std::derived_from<E, sslpp::ssl_error>
struct fmt::formatter<E> : fmt::formatter<std::string_view> {
  template <class FormatContext>
  auto format(const E& e, FormatContext& ctx) const {
    return fmt::formatter<std::string_view>::format(std::string_view(e.what()), ctx);
  }
};
