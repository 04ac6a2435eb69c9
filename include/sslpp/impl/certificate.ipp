// sslpp — SPDX-License-Identifier: MIT
//
// impl/certificate.ipp: the definitions of certificate.hpp (distinguished_name, certificate,
// the PEM/DER conversions and cert_time_to_seconds). Included by certificate.hpp in the
// header-only mode (SSLPP_DECL is `inline`), and compiled once into the sslpp_compiled
// library in the compiled mode (see config.hpp).
#pragma once

#include <sslpp/certificate.hpp>
#include <sslpp/config.hpp>
#include <sslpp/detail/emptiable.hpp>
#include <sslpp/detail/error_capture.hpp>
#include <sslpp/detail/host_match.hpp>
#include <sslpp/detail/text.hpp>
#include <sslpp/detail/x509_codec.hpp>
#include <sslpp/detail/x509_fields.hpp>
#include <sslpp/hostname.hpp>

#include <chrono>
#include <cstddef>
#include <cstdio>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

SSLPP_BEGIN_NAMESPACE

// distinguished_name

SSLPP_DECL std::optional<std::string> distinguished_name::get(std::string_view name) const {
  for (const auto& rdn : rdns_)
    for (const auto& a : rdn)
      if (a.name == name) return a.value;
  return std::nullopt;
}

SSLPP_DECL std::string distinguished_name::rfc4514() const {
  std::string out;
  for (auto it = rdns_.rbegin(); it != rdns_.rend(); ++it) {
    if (!out.empty()) out += ',';
    bool first = true;
    for (auto a_it = it->rbegin(); a_it != it->rend(); ++a_it) {  // OpenSSL's order within an RDN
      const name_attribute& a = *a_it;
      if (!first) out += '+';
      first = false;
      out += short_name(a.name);
      out += '=';
      append_escaped(out, a.value);
    }
  }
  return out;
}

SSLPP_DECL std::string_view distinguished_name::short_name(std::string_view long_name) noexcept {
  struct pair {
    std::string_view ln, sn;
  };
  static constexpr pair table[] = {
      {"commonName", "CN"},          {"countryName", "C"},
      {"localityName", "L"},         {"stateOrProvinceName", "ST"},
      {"organizationName", "O"},     {"organizationalUnitName", "OU"},
      {"streetAddress", "street"},   {"domainComponent", "DC"},
      {"userId", "UID"},             {"surname", "SN"},
      {"givenName", "GN"},           {"serialNumber", "serialNumber"},
      {"emailAddress", "emailAddress"}, {"title", "title"},
  };
  for (const pair& p : table)
    if (p.ln == long_name) return p.sn;
  return long_name;
}

SSLPP_DECL void distinguished_name::append_escaped(std::string& out, std::string_view v) {
  for (std::size_t i = 0; i < v.size(); ++i) {
    const char c = v[i];
    if (c == '\0') {
      out += "\\00";
      continue;
    }
    const bool special = c == '"' || c == '+' || c == ',' || c == ';' || c == '<' || c == '>' || c == '\\' ||
                         (i == 0 && (c == '#' || c == ' ')) || (i + 1 == v.size() && c == ' ');
    if (special) out += '\\';
    out += c;
  }
}

namespace detail {
SSLPP_DECL distinguished_name make_distinguished_name(const std::vector<raw_name_entry>& entries) {
  std::vector<relative_distinguished_name> rdns;
  int current = -1;
  for (const auto& e : entries) {
    if (rdns.empty() || e.set != current) {
      rdns.emplace_back();
      current = e.set;
    }
    rdns.back().push_back({e.name, e.value});
  }
  return distinguished_name(std::move(rdns));
}
}  // namespace detail

// certificate: ownership (x_ holds one reference to the backend object)

SSLPP_DECL certificate::certificate(const certificate& other) : x_(detail::up_ref(other.x_).release()) {}

SSLPP_DECL certificate& certificate::operator=(const certificate& other) {
  if (this != &other) {
    detail::x509_ptr copy = detail::up_ref(other.x_);
    detail::x509_ptr old(std::exchange(x_, copy.release()));
  }
  return *this;
}

SSLPP_DECL certificate& certificate::operator=(certificate&& other) noexcept {
  if (this != &other) {
    detail::x509_ptr old(std::exchange(x_, std::exchange(other.x_, nullptr)));
  }
  return *this;
}

SSLPP_DECL certificate::~certificate() { detail::x509_ptr owned(x_); }

SSLPP_DECL X509* certificate::checked() const {
  if (!x_) [[unlikely]]
    detail::throw_emptied("sslpp::certificate: this certificate holds none: it was moved from");
  return x_;
}

SSLPP_DECL bool certificate::same_as(const certificate& other) const {
  return detail::same_certificate(native_handle(), other.native_handle());
}

// certificate: parsing and loading

SSLPP_DECL certificate certificate::from_pem(std::string_view pem) {
  return detail::certificate_access::make(std::move(detail::parse_pem_certificates(pem, "PEM text").front()));
}

SSLPP_DECL certificate certificate::from_der(std::span<const std::byte> der) {
  return detail::certificate_access::make(std::move(detail::parse_der_certificates(der, "DER data").front()));
}

SSLPP_DECL certificate certificate::load(const std::string& path) { return std::move(load_all(path).front()); }

SSLPP_DECL std::vector<certificate> certificate::load_all(const std::string& path) {
  const std::string data = detail::read_file(path, "certificate file");
  const std::string source = "'" + path + "'";
  std::vector<detail::x509_ptr> parsed =
      detail::looks_like_pem(data)
          ? detail::parse_pem_certificates(data, source)
          : detail::parse_der_certificates(std::as_bytes(std::span(data.data(), data.size())), source);
  std::vector<certificate> out;
  out.reserve(parsed.size());
  for (auto& x : parsed) out.push_back(detail::certificate_access::make(std::move(x)));
  return out;
}

SSLPP_DECL std::optional<certificate> certificate::from_pem(std::string_view pem, std::error_code& ec) {
  return detail::capture_result(ec, [&] { return from_pem(pem); });
}

SSLPP_DECL std::optional<certificate> certificate::from_der(std::span<const std::byte> der, std::error_code& ec) {
  return detail::capture_result(ec, [&] { return from_der(der); });
}

SSLPP_DECL std::optional<certificate> certificate::load(const std::string& path, std::error_code& ec) {
  return detail::capture_result(ec, [&] { return load(path); });
}

SSLPP_DECL std::vector<certificate> certificate::load_all(const std::string& path, std::error_code& ec) {
  return detail::capture_result(ec, [&] { return load_all(path); }).value_or(std::vector<certificate>{});
}

// certificate: fields

SSLPP_DECL std::string certificate::to_pem() const { return detail::to_pem_text(checked()); }

SSLPP_DECL std::vector<std::byte> certificate::to_der() const { return detail::to_der_bytes(checked()); }

SSLPP_DECL distinguished_name certificate::subject() const {
  return detail::make_distinguished_name(detail::subject_entries(checked()));
}

SSLPP_DECL distinguished_name certificate::issuer() const {
  return detail::make_distinguished_name(detail::issuer_entries(checked()));
}

SSLPP_DECL std::string certificate::serial_number() const { return detail::serial_hex(checked()); }

SSLPP_DECL long certificate::version() const { return detail::certificate_version(checked()); }

SSLPP_DECL std::chrono::system_clock::time_point certificate::not_before() const {
  return std::chrono::system_clock::time_point(std::chrono::seconds(detail::not_before_unix(checked())));
}

SSLPP_DECL std::chrono::system_clock::time_point certificate::not_after() const {
  return std::chrono::system_clock::time_point(std::chrono::seconds(detail::not_after_unix(checked())));
}

SSLPP_DECL std::string certificate::not_before_text() const {
  return time_text(std::chrono::sys_seconds(std::chrono::seconds(detail::not_before_unix(checked()))));
}

SSLPP_DECL std::string certificate::not_after_text() const {
  return time_text(std::chrono::sys_seconds(std::chrono::seconds(detail::not_after_unix(checked()))));
}

SSLPP_DECL std::string certificate::time_text(std::chrono::sys_seconds t) {
  using namespace std::chrono;
  static constexpr const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const sys_days day = floor<days>(t);
  const year_month_day ymd(day);
  const hh_mm_ss<seconds> hms(t - day);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s %2u %02d:%02d:%02d %d GMT", months[static_cast<unsigned>(ymd.month()) - 1],
                static_cast<unsigned>(ymd.day()), static_cast<int>(hms.hours().count()),
                static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()),
                static_cast<int>(ymd.year()));
  return buf;
}

SSLPP_DECL std::vector<general_name> certificate::subject_alt_names() const {
  std::vector<general_name> out;
  if (auto raw = detail::subject_alt_names(checked())) {
    for (auto& r : *raw) {
      general_name g;
      g.kind = static_cast<general_name_kind>(detail::general_name_index(r.type));
      if (g.kind == general_name_kind::dir_name) {
        g.directory = detail::make_distinguished_name(r.directory);
        g.value = g.directory.rfc4514();
      } else {
        g.value = std::move(r.value);
      }
      out.push_back(std::move(g));
    }
  }
  return out;
}

SSLPP_DECL bool certificate::has_subject_alt_names() const {
  return detail::subject_alt_names(checked()).has_value();
}

SSLPP_DECL std::vector<std::string> certificate::ocsp() const { return detail::ocsp_uris(checked()); }

SSLPP_DECL std::vector<std::string> certificate::ca_issuers() const { return detail::ca_issuer_uris(checked()); }

SSLPP_DECL std::vector<std::string> certificate::crl_distribution_points() const {
  return detail::crl_uris(checked());
}

SSLPP_DECL std::string certificate::fingerprint(sslpp::digest d) const { return detail::fingerprint_hex(checked(), d); }

SSLPP_DECL public_key_info certificate::public_key() const {
  auto r = detail::public_key_of(checked());
  return {std::move(r.algorithm), r.bits, std::move(r.curve)};
}

SSLPP_DECL bool certificate::matches_hostname(std::string_view name, common_name_fallback cn) const {
  // A name the handshake would refuse (runtime_hostname's rules) matches nothing; so does
  // "192.0.2.7.", which is neither an address nor a host name.
  if (detail::host_fault(name) != decltype(detail::host_fault(name))::none) return false;
  const bool is_ip = detail::looks_like_ipv4(name) || detail::looks_like_ipv6(name);
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  if (name.empty()) return false;
  if (is_ip) return detail::check_ip(checked(), std::string(name));
  return detail::check_host(checked(), name, cn == common_name_fallback::if_no_dns_names);
}

// PEM and DER

SSLPP_DECL std::string der_cert_to_pem_cert(std::span<const std::byte> der) { return certificate::from_der(der).to_pem(); }

SSLPP_DECL std::string der_cert_to_pem_cert(std::span<const std::byte> der, std::error_code& ec) {
  return detail::capture_result(ec, [&] { return der_cert_to_pem_cert(der); }).value_or(std::string{});
}

SSLPP_DECL std::vector<std::byte> pem_cert_to_der_cert(std::string_view pem) {
  return certificate::from_pem(pem).to_der();
}

SSLPP_DECL std::vector<std::byte> pem_cert_to_der_cert(std::string_view pem, std::error_code& ec) {
  return detail::capture_result(ec, [&] { return pem_cert_to_der_cert(pem); }).value_or(std::vector<std::byte>{});
}

// cert_time_to_seconds

namespace detail {
/// cert_time_fault: why a text is not a certificate time (cert_time_to_seconds).
enum class cert_time_fault { none, format, range };

/// parse_cert_time: cert_time_to_seconds without exceptions: the time, or the fault in `fault`.
SSLPP_DECL std::optional<std::chrono::sys_seconds> parse_cert_time(std::string_view text, cert_time_fault& fault) noexcept {
  using namespace std::chrono;
  fault = cert_time_fault::format;
  static constexpr std::string_view months[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                                "jul", "aug", "sep", "oct", "nov", "dec"};
  if (text.size() < 3) return std::nullopt;
  unsigned month = 0;
  for (unsigned i = 0; i < 12; ++i) {
    bool same = true;
    for (std::size_t j = 0; j < 3; ++j) {
      same = same && detail::ascii_lower(text[j]) == months[i][j];
    }
    if (same) month = i + 1;
  }
  if (month == 0) return std::nullopt;
  std::size_t i = 3;
  bool ok = true;
  const auto spaces = [&] {
    const std::size_t start = i;
    while (i < text.size() && (text[i] == ' ' || (text[i] >= '\t' && text[i] <= '\r'))) ++i;
    ok = ok && i > start;
  };
  const auto number = [&](std::size_t min_digits, std::size_t max_digits) -> int {
    const std::size_t start = i;
    int v = 0;
    while (i < text.size() && i - start < max_digits && text[i] >= '0' && text[i] <= '9') v = v * 10 + (text[i++] - '0');
    ok = ok && i - start >= min_digits;
    return v;
  };
  const auto expect = [&](char c) {
    if (i >= text.size() || text[i] != c) ok = false;
    else ++i;
  };
  // Each step fails softly (ok = false) and the later ones then consume nothing useful.
  spaces();
  const int day = number(1, 2);
  spaces();
  const int hour = number(1, 2);
  expect(':');
  const int minute = number(1, 2);
  expect(':');
  const int second = number(1, 2);
  spaces();
  const int yr = number(4, 4);
  spaces();
  if (!ok) return std::nullopt;
  const std::string_view zone = text.substr(i);
  if (zone.size() != 3 || (zone[0] | 0x20) != 'g' || (zone[1] | 0x20) != 'm' || (zone[2] | 0x20) != 't')
    return std::nullopt;
  // Python's strptime takes any day 1..31 and timegm carries an overflow into the next
  // month ("Feb 30" is March 2), and seconds up to 61.
  if (day < 1 || day > 31 || hour > 23 || minute > 59 || second > 61) {
    fault = cert_time_fault::range;
    return std::nullopt;
  }
  fault = cert_time_fault::none;
  const year_month_day first{year{yr}, std::chrono::month{month}, std::chrono::day{1}};
  return sys_days(first) + days(day - 1) + hours(hour) + minutes(minute) + seconds(second);
}
}  // namespace detail

SSLPP_DECL std::chrono::sys_seconds cert_time_to_seconds(std::string_view text) {
  detail::cert_time_fault fault{};
  if (const auto t = detail::parse_cert_time(text, fault)) return *t;
  if (fault == detail::cert_time_fault::range)
    throw std::invalid_argument("time data '" + std::string(text) + "': a field is out of range");
  throw std::invalid_argument("time data '" + std::string(text) + "' does not match format '%b %d %H:%M:%S %Y GMT'");
}
SSLPP_DECL std::optional<std::chrono::sys_seconds> cert_time_to_seconds(std::string_view text, std::error_code& ec) noexcept {
  detail::cert_time_fault fault{};
  auto t = detail::parse_cert_time(text, fault);
  if (t) ec.clear();
  else ec = std::make_error_code(std::errc::invalid_argument);
  return t;
}

SSLPP_END_NAMESPACE
