// sslpp — SPDX-License-Identifier: MIT
//
// impl/format.ipp: the definitions of format.hpp: Python's text of a certificate and a
// name, and the formatters' format() members. Included by format.hpp in the header-only
// mode (SSLPP_DECL is `inline`), and compiled once into the sslpp_compiled library in the
// compiled mode (see config.hpp), where a program's formatting needs only <fmt/core.h>.
#pragma once

#include <sslpp/certificate.hpp>
#include <sslpp/cipher.hpp>
#include <sslpp/config.hpp>
#include <sslpp/detail/pyrepr.hpp>
#include <sslpp/error.hpp>
#include <sslpp/format.hpp>
#include <sslpp/protocol.hpp>
#include <sslpp/socket_address.hpp>

#include <fmt/format.h>

#include <string>
#include <string_view>
#include <vector>

SSLPP_BEGIN_NAMESPACE

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

SSLPP_DECL std::string python_text(const certificate& cert) {
  return detail::py::pformat(detail::py::certificate_object(cert));
}

SSLPP_DECL std::string python_repr(const distinguished_name& dn) { return detail::py::repr(detail::py::name_object(dn)); }

namespace detail {
[[noreturn]] SSLPP_DECL void unknown_format_spec_for_sslpp_certificate() {  // use {}, {:pem}, {:sha1}, {:sha256}, {:sha384} or {:sha512}
  throw fmt::format_error(
      "sslpp: unknown format spec for sslpp::certificate (use {}, {:pem}, {:sha1}, {:sha256}, {:sha384} or {:sha512})");
}
[[noreturn]] SSLPP_DECL void unknown_format_spec_for_sslpp_distinguished_name() {  // use {} or {:rfc4514}
  throw fmt::format_error("sslpp: unknown format spec for sslpp::distinguished_name (use {} or {:rfc4514})");
}
}  // namespace detail

SSLPP_DECL auto detail::error_formatter::format(const ssl_error& e, fmt::format_context& ctx) const
    -> fmt::format_context::iterator {
  return fmt::formatter<std::string_view>::format(std::string_view(e.what()), ctx);
}

SSLPP_END_NAMESPACE

SSLPP_DECL auto fmt::formatter<sslpp::certificate>::format(
    const sslpp::certificate& c, fmt::format_context& ctx) const
    -> fmt::format_context::iterator {
  std::string text;
  if (spec.empty()) text = sslpp::python_text(c);
  else if (spec == "pem") text = c.to_pem();
  else if (spec == "sha1") text = c.fingerprint(sslpp::digest::sha1);
  else if (spec == "sha256") text = c.fingerprint(sslpp::digest::sha256);
  else if (spec == "sha384") text = c.fingerprint(sslpp::digest::sha384);
  else text = c.fingerprint(sslpp::digest::sha512);  // parse() let nothing else through
  return fmt::format_to(ctx.out(), "{}", text);
}

SSLPP_DECL auto fmt::formatter<sslpp::distinguished_name>::format(
    const sslpp::distinguished_name& dn, fmt::format_context& ctx) const
    -> fmt::format_context::iterator {
  if (spec.empty()) return fmt::format_to(ctx.out(), "{}", sslpp::python_repr(dn));
  return fmt::format_to(ctx.out(), "{}", dn.rfc4514());
}

SSLPP_DECL auto fmt::formatter<sslpp::general_name>::format(
    const sslpp::general_name& g, fmt::format_context& ctx) const
    -> fmt::format_context::iterator {
  const std::string text = sslpp::detail::py::repr(sslpp::detail::py::general_name_object(g));
  return fmt::formatter<std::string_view>::format(text, ctx);
}

SSLPP_DECL auto fmt::formatter<sslpp::general_name_kind>::format(
    sslpp::general_name_kind k, fmt::format_context& ctx) const
    -> fmt::format_context::iterator {
  return fmt::formatter<std::string_view>::format(to_string(k), ctx);
}

SSLPP_DECL auto fmt::formatter<sslpp::tls_version>::format(sslpp::tls_version v, fmt::format_context& ctx) const
    -> fmt::format_context::iterator {
  return fmt::formatter<std::string_view>::format(sslpp::to_string(v), ctx);
}

SSLPP_DECL auto fmt::formatter<sslpp::verify_mode>::format(sslpp::verify_mode m, fmt::format_context& ctx) const
    -> fmt::format_context::iterator {
  return fmt::formatter<std::string_view>::format(sslpp::to_string(m), ctx);
}

SSLPP_DECL auto fmt::formatter<sslpp::digest>::format(sslpp::digest d, fmt::format_context& ctx) const
    -> fmt::format_context::iterator {
  return fmt::formatter<std::string_view>::format(sslpp::to_string(d), ctx);
}

SSLPP_DECL auto fmt::formatter<sslpp::socket_address>::format(
    const sslpp::socket_address& a, fmt::format_context& ctx) const
    -> fmt::format_context::iterator {
  return fmt::formatter<std::string_view>::format(a.to_string(), ctx);
}

SSLPP_DECL auto fmt::formatter<sslpp::cipher_info>::format(
    const sslpp::cipher_info& c, fmt::format_context& ctx) const
    -> fmt::format_context::iterator {
  namespace py = sslpp::detail::py;
  const std::string text =
      py::repr(py::object::tuple({py::object::str(c.name), py::object::str(c.protocol), py::object::integer(c.secret_bits)}));
  return fmt::formatter<std::string_view>::format(text, ctx);
}
