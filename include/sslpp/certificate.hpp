// sslpp — SPDX-License-Identifier: MIT
//
// certificate.hpp: sslpp::certificate, an X.509 certificate (RAII; copies share it).
#pragma once

#include <sslpp/config.hpp>
#include <sslpp/detail/x509.hpp>
#include <sslpp/error.hpp>

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

SSLPP_BEGIN_NAMESPACE

/// certificate: an X.509 certificate. Copies share one immutable backend object.
///
/// Thread Safety: a certificate may be read from many threads at once.
///
/// Example:
///   auto cert = sslpp::certificate::load("server.pem");
///   fmt::print("{}\n", cert);   // with <sslpp/format.hpp>: Python's getpeercert() structure
class certificate {
 public:
  /// Adopts a backend certificate (used by sslpp itself; the handle must not be null).
  explicit certificate(detail::x509_ptr x) noexcept : x_(std::move(x)) {}
  certificate(const certificate& other) : x_(detail::up_ref(other.x_.get())) {}
  certificate& operator=(const certificate& other) {
    if (this != &other) x_ = detail::up_ref(other.x_.get());
    return *this;
  }
  certificate(certificate&&) noexcept = default;
  certificate& operator=(certificate&&) noexcept = default;

  /// from_pem: the first certificate in PEM text; throws ssl_error when there is none or it is malformed.
  static certificate from_pem(std::string_view pem) {
    return certificate(std::move(detail::parse_pem_certificates(pem, "PEM text").front()));
  }
  /// from_der: a certificate from DER bytes; throws ssl_error when they are malformed.
  static certificate from_der(std::span<const std::byte> der) {
    return certificate(std::move(detail::parse_der_certificates(der, "DER data").front()));
  }
  /// load: the first certificate in a PEM or DER file (the format is detected). A missing or
  /// unreadable file throws std::system_error naming the path; a malformed one ssl_error.
  static certificate load(const std::string& path) { return std::move(load_all(path).front()); }
  /// load_all: every certificate in a PEM bundle, or the one in a DER file.
  static std::vector<certificate> load_all(const std::string& path) {
    const std::string data = detail::read_file(path, "certificate file");
    const std::string source = "'" + path + "'";
    std::vector<detail::x509_ptr> parsed =
        detail::looks_like_pem(data)
            ? detail::parse_pem_certificates(data, source)
            : detail::parse_der_certificates(std::as_bytes(std::span(data.data(), data.size())), source);
    std::vector<certificate> out;
    out.reserve(parsed.size());
    for (auto& x : parsed) out.emplace_back(std::move(x));
    return out;
  }

  /// to_pem: the certificate as PEM text.
  std::string to_pem() const { return detail::to_pem_text(x_.get()); }
  /// to_der: the certificate as DER bytes.
  std::vector<std::byte> to_der() const { return detail::to_der_bytes(x_.get()); }

  /// native_handle: the backend's X509 object, still owned by this certificate.
  X509* native_handle() const noexcept { return x_.get(); }

 private:
  detail::x509_ptr x_;
};

SSLPP_END_NAMESPACE
