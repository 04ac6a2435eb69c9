// sslpp — SPDX-License-Identifier: MIT
//
// detail/private_key.hpp: a context's own certificate chain and private key: reading,
// decrypting with the password, installing.
#pragma once

#include <sslpp/detail/backend.hpp>
#include <sslpp/detail/context_impl.hpp>
#include <sslpp/detail/error_impl.hpp>
#include <sslpp/detail/x509_codec.hpp>
#include <sslpp/password.hpp>

#include <cstring>
#include <exception>
#include <string>
#include <string_view>
#include <vector>

SSLPP_BEGIN_NAMESPACE
namespace detail {

/// password_request: what the key's password callback was given and whether it was asked.
struct password_request {
  const sslpp::password* pw = nullptr;
  bool asked = false;
  bool too_long = false;
  std::exception_ptr thrown{};  // what the user's callback threw, rethrown once the backend returned
};

// The backend calls this from C: an exception must not unwind through its frames (that
// leaks what they allocated, and is undefined without unwind tables), so it is kept and
// rethrown by parse_private_key.
inline int password_callback(char* buf, int size, int /*rwflag*/, void* user) noexcept {
  auto* req = static_cast<password_request*>(user);
  req->asked = true;
  if (!req->pw || !req->pw->given()) return -1;
  std::string text;
  try {
    text = req->pw->get();
  } catch (...) {
    req->thrown = std::current_exception();
    return -1;
  }
  if (text.size() > static_cast<std::size_t>(size)) {
    req->too_long = true;
    return -1;
  }
  std::memcpy(buf, text.data(), text.size());
  return static_cast<int>(text.size());
}

/// parse_private_key: the private key in PEM text, decrypted with `pw` when it is encrypted.
inline evp_pkey_ptr parse_private_key(std::string_view pem, const sslpp::password& pw, const std::string& source) {
  bio_ptr bio = memory_bio_for(pem);
  password_request req{&pw};
  evp_pkey_ptr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, password_callback, &req));
  if (key) {
    ERR_clear_error();
    return key;
  }
  if (req.thrown) {
    ERR_clear_error();
    std::rethrow_exception(req.thrown);
  }
  if (req.asked && !pw.given()) {
    ERR_clear_error();
    throw ssl_error(make_error_code(ssl_errc::ssl),
                    "the private key in " + source + " is encrypted and no password was given", "PEM",
                    "BAD_PASSWORD_READ");
  }
  if (req.too_long) {
    ERR_clear_error();
    throw ssl_error(make_error_code(ssl_errc::ssl), "the password for the private key in " + source + " is too long",
                    "PEM", "BAD_PASSWORD_READ");
  }
  if (req.asked) {
    // The key was found and the password given, so it is the wrong one: the decryption's
    // padding check fails (CIPHER BAD_DECRYPT), or, one time in 256, the garbage it
    // decrypts to does not parse. The queue's last entry, whose code the error keeps, is
    // PEM's wrapper ("ASN.1 encoding routines"), which says nothing to a user.
    uint32_t last = 0;
    uint32_t bad_decrypt = 0;
    while (const uint32_t e = static_cast<uint32_t>(ERR_get_error())) {
      last = e;
      if (ERR_GET_LIB(e) == ERR_LIB_CIPHER && ERR_GET_REASON(e) == CIPHER_R_BAD_DECRYPT) bad_decrypt = e;
    }
    const std::error_code code =
        last ? std::error_code(static_cast<int>(last), boringssl_category()) : make_error_code(ssl_errc::ssl);
    throw ssl_error(code, "wrong password for the private key in " + source + " (it does not decrypt with it)",
                    bad_decrypt ? library_mnemonic(bad_decrypt) : "PEM", "BAD_DECRYPT");
  }
  throw_backend_error("no usable PEM private key found in " + source);
}

/// use_cert_chain: installs a certificate chain (leaf first) and its private key.
inline void use_cert_chain(context_impl& c, std::vector<x509_ptr> chain, evp_pkey_ptr key,
                           const std::string& cert_source, const std::string& key_source) {
  SSL_CTX* ctx = c.ctx.get();
  // Checked before anything is installed, so a key that does not match leaves the
  // context's certificate and key as they were.
  if (!X509_check_private_key(chain.front().get(), key.get())) {
    failure f = backend_failure("the private key in " + key_source + " does not match the certificate in " +
                                cert_source);
    throw_failure(std::move(f));
  }
  if (!SSL_CTX_use_certificate(ctx, chain.front().get()))
    throw_backend_error("cannot use the certificate in " + cert_source);
  SSL_CTX_clear_chain_certs(ctx);
  for (std::size_t i = 1; i < chain.size(); ++i)
    if (!SSL_CTX_add1_chain_cert(ctx, chain[i].get()))
      throw_backend_error("cannot use the chain certificates in " + cert_source);
  // A private key signer installed before (load_cert_chain(certfile, signer)) gives way to the key.
  SSL_CTX_set_private_key_method(ctx, nullptr);
  features_of(ctx).signer = nullptr;
  if (!SSL_CTX_use_PrivateKey(ctx, key.get()) || !SSL_CTX_check_private_key(ctx)) {
    failure f = backend_failure("the private key in " + key_source + " does not match the certificate in " +
                                cert_source);
    throw_failure(std::move(f));
  }
}

/// load_cert_chain_files: Python's load_cert_chain(certfile, keyfile, password).
inline void load_cert_chain_files(context_impl& c, const std::string& certfile, const std::string& keyfile,
                                  const sslpp::password& pw) {
  const std::string cert_pem = read_file(certfile, "certificate file");
  const std::string key_path = keyfile.empty() ? certfile : keyfile;
  const std::string key_pem = keyfile.empty() ? cert_pem : read_file(keyfile, "private key file");
  const std::string cert_source = "'" + certfile + "'";
  const std::string key_source = "'" + key_path + "'";
  auto chain = parse_pem_certificates(cert_pem, cert_source);
  auto key = parse_private_key(key_pem, pw, key_source);
  use_cert_chain(c, std::move(chain), std::move(key), cert_source, key_source);
}

/// load_cert_chain_pem: the same from PEM text in memory.
inline void load_cert_chain_pem(context_impl& c, std::string_view cert_pem, std::string_view key_pem,
                                const sslpp::password& pw) {
  auto chain = parse_pem_certificates(cert_pem, "the certificate PEM data");
  auto key = parse_private_key(key_pem.empty() ? cert_pem : key_pem, pw, "the key PEM data");
  use_cert_chain(c, std::move(chain), std::move(key), "the certificate PEM data", "the key PEM data");
}

}  // namespace detail
SSLPP_END_NAMESPACE
