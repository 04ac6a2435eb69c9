// sslpp — SPDX-License-Identifier: MIT
//
// detail/trust_loading.hpp: filling a context's trust store from CA files, directories
// and in-memory data, and describing what it holds for verify errors.
#pragma once

#include <sslpp/detail/backend.hpp>
#include <sslpp/detail/backend_state.hpp>
#include <sslpp/detail/context_impl.hpp>
#include <sslpp/detail/error_impl.hpp>
#include <sslpp/detail/x509_codec.hpp>
#include <sslpp/trust.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

SSLPP_BEGIN_NAMESPACE
namespace detail {

/// certificates_text: "1 certificate", "3 certificates".
inline std::string certificates_text(std::size_t n) {
  return std::to_string(n) + (n == 1 ? " certificate" : " certificates");
}

/// trust_items: what trust data holds: CA certificates and CRLs.
struct trust_items {
  std::vector<x509_ptr> certs;
  std::vector<x509_crl_ptr> crls;
};

/// add_trusted: adds CA certificates and CRLs to the context's trust store. The CRLs are
/// what verify_flags::crl_check_leaf / crl_check_chain look a certificate's revocation up in.
inline void add_trusted(context_impl& c, const trust_items& items) {
  X509_STORE* store = SSL_CTX_get_cert_store(c.ctx.get());
  renew_session_context(c.ctx.get());  // sessions verified under the old trust do not resume
  // Loading the same CA or CRL twice is harmless, as in Python.
  const auto already_there = [] {
    const uint32_t err = static_cast<uint32_t>(ERR_peek_last_error());
    if (ERR_GET_LIB(err) != ERR_LIB_X509 || ERR_GET_REASON(err) != X509_R_CERT_ALREADY_IN_HASH_TABLE) return false;
    ERR_clear_error();
    return true;
  };
  for (const auto& x : items.certs)
    if (!X509_STORE_add_cert(store, x.get()) && !already_there())
      throw_backend_error("cannot add a CA certificate to the trust store");
  for (const auto& crl : items.crls)
    if (!X509_STORE_add_crl(store, crl.get()) && !already_there())
      throw_backend_error("cannot add a CRL to the trust store");
}

inline bool is_directory(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}
inline bool is_readable_file(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

/// read_pem_trust: the certificates and CRLs of PEM trust data, as OpenSSL's
/// X509_load_cert_crl_file reads a CA file for Python: either may be missing, not both.
inline trust_items read_pem_trust(std::string_view pem, const std::string& source) {
  trust_items t{pem_certificates(pem, source), parse_pem_crls(pem, source)};
  if (t.certs.empty() && t.crls.empty()) throw_no_pem_certificate(source);
  return t;
}

/// read_cafile: every certificate and CRL of a PEM CA file, or every certificate of a DER one.
inline trust_items read_cafile(const std::string& path) {
  const std::string data = read_file(path, "CA file");
  const std::string source = "CA file '" + path + "'";
  if (looks_like_pem(data)) return read_pem_trust(data, source);
  return {parse_der_certificates(std::as_bytes(std::span(data.data(), data.size())), source), {}};
}

/// load_cafile: every CA certificate and CRL of a PEM (or DER) file.
inline void load_cafile(context_impl& c, const std::string& path, const std::string& origin = "file") {
  const trust_items items = read_cafile(path);
  add_trusted(c, items);
  c.trust_sources.push_back(origin + " '" + path + "' (" + certificates_text(items.certs.size()) + ")");
}

/// load_capath: a hashed directory of CA certificates, looked up lazily during verification.
inline void load_capath(context_impl& c, const std::string& path) {
  if (!is_directory(path)) throw_file_error(errno ? errno : ENOTDIR, "cannot use CA directory", path);
  if (!SSL_CTX_load_verify_locations(c.ctx.get(), nullptr, path.c_str()))
    throw_backend_error("cannot use CA directory '" + path + "'");
  renew_session_context(c.ctx.get());
  c.trust_sources.push_back("directory '" + path + "' (hashed names, looked up when needed)");
}

/// load_trust: loads every source `t` names. Every file is read and every certificate and
/// CRL parsed before the store changes, so a missing file or bad data leaves the context as it was.
inline void load_trust(context_impl& c, const trust& t) {
  trust_items items;
  if (!t.cafile.empty()) items = read_cafile(t.cafile);
  trust_items data;
  if (const auto* pem = std::get_if<std::string>(&t.cadata)) data = read_pem_trust(*pem, "cadata");
  if (const auto* der = std::get_if<std::vector<std::byte>>(&t.cadata))
    data.certs = parse_der_certificates(*der, "cadata");
  const std::size_t from_file = items.certs.size();
  const std::size_t from_data = data.certs.size();
  for (auto& x : data.certs) items.certs.push_back(std::move(x));
  for (auto& crl : data.crls) items.crls.push_back(std::move(crl));
  if (!t.capath.empty()) load_capath(c, t.capath);
  add_trusted(c, items);
  if (!t.cafile.empty()) c.trust_sources.push_back("file '" + t.cafile + "' (" + certificates_text(from_file) + ")");
  if (!std::holds_alternative<std::monostate>(t.cadata))
    c.trust_sources.push_back("cadata (" + certificates_text(from_data) + ")");
}

/// trust_description: what a context's trust store holds and where it came from, for a
/// verify error ("unable to get local issuer certificate" names the trust that was used).
inline std::string trust_description(const context_impl& c) {
  std::size_t n = 0;
  if (X509_STORE* store = SSL_CTX_get_cert_store(c.ctx.get())) {
    STACK_OF(X509_OBJECT)* objects = X509_STORE_get0_objects(store);
    for (std::size_t i = 0; objects && i < sk_X509_OBJECT_num(objects); ++i)
      if (X509_OBJECT_get_type(sk_X509_OBJECT_value(objects, i)) == X509_LU_X509) ++n;
  }
  std::string from;
  for (const auto& s : c.trust_sources) from += (from.empty() ? "" : ", ") + s;
  if (from.empty())
    return "the trust store is empty: nothing was loaded (load_default_certs(), load_verify_locations(cafile) or "
           "create_default_context() load one)";
  return "the trust store holds " + certificates_text(n) + " loaded from " + from;
}

}  // namespace detail
SSLPP_END_NAMESPACE
