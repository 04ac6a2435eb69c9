// sslpp — SPDX-License-Identifier: MIT
//
// detail/x509_codec.hpp: reading and writing X.509 certificates and CRLs: files, PEM and DER.
#pragma once

#include <sslpp/detail/backend.hpp>
#include <sslpp/detail/error_impl.hpp>

#include <cerrno>
#include <cstddef>
#include <cstdio>
#include <limits>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

SSLPP_BEGIN_NAMESPACE
namespace detail {

/// read_file: a whole file's bytes; throws std::system_error naming `what` and the path.
inline std::string read_file(const std::string& path, std::string_view what) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) throw_file_error(errno, "cannot open " + std::string(what), path);
  std::string data;
  char buf[8192];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) data.append(buf, n);
  const bool failed = std::ferror(f) != 0;
  const int err = errno;
  std::fclose(f);
  if (failed) throw_file_error(err ? err : EIO, "cannot read " + std::string(what), path);
  return data;
}

/// memory_bio_for: a read-only BIO over `data` (which must outlive it).
inline bio_ptr memory_bio_for(std::string_view data) {
  // BIO_new_mem_buf takes an int length in this BoringSSL (ossl_ssize_t in later ones).
  if (data.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()))
    throw std::length_error("sslpp: PEM or DER data of " + std::to_string(data.size()) +
                            " bytes is more than a memory BIO holds (2 GiB)");
  return bio_ptr(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())));
}

/// looks_like_pem: whether `data` holds a PEM block.
inline bool looks_like_pem(std::string_view data) { return data.find("-----BEGIN ") != std::string_view::npos; }

/// pem_certificates: every certificate in PEM text, in order, and none for text without
/// one. Blocks of other kinds (a key, a CRL) are skipped.
inline std::vector<x509_ptr> pem_certificates(std::string_view pem, std::string_view source) {
  std::vector<x509_ptr> certs;
  bio_ptr bio = memory_bio_for(pem);
  for (;;) {
    x509_ptr x(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    if (!x) break;
    certs.push_back(std::move(x));
  }
  const uint32_t err = static_cast<uint32_t>(ERR_peek_last_error());
  // The loop ends with "no start line" at the end of the text: that is not a failure.
  if (err != 0 && !(ERR_GET_LIB(err) == ERR_LIB_PEM && ERR_GET_REASON(err) == PEM_R_NO_START_LINE))
    throw_backend_error("cannot parse the PEM certificate in " + std::string(source));
  ERR_clear_error();
  return certs;
}

/// throw_no_pem_certificate: the error of PEM text that holds no certificate.
[[noreturn]] inline void throw_no_pem_certificate(std::string_view source) {
  throw ssl_error(make_error_code(ssl_errc::ssl),
                  "no PEM certificate (-----BEGIN CERTIFICATE-----) found in " + std::string(source), "PEM",
                  "NO_START_LINE");
}

/// parse_pem_certificates: every certificate in PEM text, in order. Blocks of other
/// kinds (a key, say) are skipped; it is an error when none is a certificate.
inline std::vector<x509_ptr> parse_pem_certificates(std::string_view pem, std::string_view source) {
  std::vector<x509_ptr> certs = pem_certificates(pem, source);
  if (certs.empty()) throw_no_pem_certificate(source);
  return certs;
}

/// parse_pem_crls: every CRL (-----BEGIN X509 CRL-----) in PEM text, in order; blocks of
/// other kinds are skipped, and text without a CRL gives none.
inline std::vector<x509_crl_ptr> parse_pem_crls(std::string_view pem, std::string_view source) {
  std::vector<x509_crl_ptr> crls;
  if (pem.find("-----BEGIN X509 CRL-----") == std::string_view::npos) return crls;
  bio_ptr bio = memory_bio_for(pem);
  for (;;) {
    x509_crl_ptr crl(PEM_read_bio_X509_CRL(bio.get(), nullptr, nullptr, nullptr));
    if (!crl) break;
    crls.push_back(std::move(crl));
  }
  const uint32_t err = static_cast<uint32_t>(ERR_peek_last_error());
  // As for certificates: "no start line" at the end of the text is how the loop ends.
  if (err != 0 && !(ERR_GET_LIB(err) == ERR_LIB_PEM && ERR_GET_REASON(err) == PEM_R_NO_START_LINE))
    throw_backend_error("cannot parse the PEM CRL in " + std::string(source));
  ERR_clear_error();
  return crls;
}

/// parse_der_certificates: every certificate in concatenated DER bytes.
inline std::vector<x509_ptr> parse_der_certificates(std::span<const std::byte> der, std::string_view source) {
  std::vector<x509_ptr> certs;
  auto p = reinterpret_cast<const unsigned char*>(der.data());
  const auto* end = p + der.size();
  while (p < end) {
    x509_ptr x(d2i_X509(nullptr, &p, static_cast<long>(end - p)));
    if (!x) throw_backend_error("cannot parse the DER certificate in " + std::string(source));
    certs.push_back(std::move(x));
  }
  if (certs.empty())
    throw ssl_error(make_error_code(ssl_errc::ssl), "no DER certificate in " + std::string(source) + " (it is empty)",
                    "X509", "EMPTY");
  return certs;
}

/// to_pem_text: a certificate as PEM text.
inline std::string to_pem_text(X509* x) {
  bio_ptr bio(BIO_new(BIO_s_mem()));
  if (!bio || !PEM_write_bio_X509(bio.get(), x)) throw_backend_error("cannot encode the certificate as PEM");
  const uint8_t* data = nullptr;
  size_t len = 0;
  BIO_mem_contents(bio.get(), &data, &len);
  return std::string(reinterpret_cast<const char*>(data), len);
}

/// to_der_bytes: a certificate as DER bytes.
inline std::vector<std::byte> to_der_bytes(X509* x) {
  const int len = i2d_X509(x, nullptr);
  if (len <= 0) throw_backend_error("cannot encode the certificate as DER");
  std::vector<std::byte> out(static_cast<std::size_t>(len));
  auto* p = reinterpret_cast<unsigned char*>(out.data());
  i2d_X509(x, &p);
  return out;
}

}  // namespace detail
SSLPP_END_NAMESPACE
