// sslpp — SPDX-License-Identifier: MIT
//
// detail/context_impl.hpp: the backend state behind sslpp::context and every call that
// configures an SSL_CTX.
#pragma once

#include <sslpp/detail/backend.hpp>
#include <sslpp/detail/error_impl.hpp>
#include <sslpp/detail/backend_state.hpp>
#include <sslpp/detail/cipher_suites.hpp>
#include <sslpp/detail/verify_floor.hpp>
#include <sslpp/detail/x509.hpp>
#include <sslpp/password.hpp>
#include <sslpp/protocol.hpp>
#include <sslpp/trust.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

SSLPP_BEGIN_NAMESPACE
namespace detail {

/// default_cipher_list: CPython 3.13's default list ("ECDH+AESGCM:ECDH+CHACHA20:ECDH+AES:
/// DHE+AES:!aNULL:!eNULL:!aDSS:!SHA1:!AESCCM") as it resolves on BoringSSL: forward-secret
/// AEAD suites only (BoringSSL has no DHE and no SHA-2 CBC suites). TLS 1.3 suites are
/// always enabled and not configurable in BoringSSL.
inline constexpr const char* default_cipher_list =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

/// context_impl: one SSL_CTX plus the settings the backend does not keep itself.
/// Shared by every copy of a context and by every stream made from it.
struct context_impl {
  ssl_ctx_ptr ctx;
  bool made_for_servers = false;  // context_for(tls_server) / purpose::client_auth: refuses client wraps
  bool check_hostname = false;
  bool hostname_checks_common_name = false;
  sslpp::verify_mode mode = sslpp::verify_mode::cert_none;
  bool verify_mode_chosen = false;  // set_verify_mode was called (a context<side::any> then serves with it)
  sslpp::options opts = sslpp::options::none;
  sslpp::verify_flags vflags = sslpp::verify_flags::verify_default;
  std::vector<std::string> ciphers_skipped;  // what the last set_ciphers skipped (cipher_list_skipped())
  std::vector<std::string> trust_sources;    // what the trust store was loaded from, for verify errors
};

/// certificates_text: "1 certificate", "3 certificates".
inline std::string certificates_text(std::size_t n) {
  return std::to_string(n) + (n == 1 ? " certificate" : " certificates");
}

/// environment: the variable `name`, or null when it is unset — or when the program runs
/// set-user-ID or with capabilities (secure_getenv), where the environment belongs to a
/// less trusted user who could otherwise choose the trust store or the key log file.
inline const char* environment(const char* name) noexcept {
#if defined(__GLIBC__)
  return ::secure_getenv(name);
#else
  return ::issetugid() ? nullptr : std::getenv(name);  // the BSDs and macOS
#endif
}

/// version_number: a tls_version as the backend's protocol number.
inline uint16_t protocol_number(tls_version v, bool for_minimum) {
  switch (static_cast<int>(v)) {
    case -2: return TLS1_VERSION;
    case -1: return TLS1_3_VERSION;
    case 0x0301: return TLS1_VERSION;
    case 0x0302: return TLS1_1_VERSION;
    case 0x0303: return TLS1_2_VERSION;
    case 0x0304: return TLS1_3_VERSION;
  }
  throw std::invalid_argument(std::string("unknown TLS version number ") + std::to_string(static_cast<int>(v)) +
                              (for_minimum ? " for minimum_version" : " for maximum_version"));
}

/// verify_flags_in_backend: the flags the backend implements (this BoringSSL has no X509_STRICT).
inline unsigned long backend_verify_flags(sslpp::verify_flags f) {
  unsigned long bits = 0;
  const auto v = static_cast<std::uint32_t>(f);
  if (v & 0x4) bits |= X509_V_FLAG_CRL_CHECK;
  if (v & 0x8) bits |= X509_V_FLAG_CRL_CHECK_ALL;
  if (v & 0x20) bits |= X509_V_FLAG_X509_STRICT;
  if (v & 0x8000) bits |= X509_V_FLAG_TRUSTED_FIRST;
  if (v & 0x80000) bits |= X509_V_FLAG_PARTIAL_CHAIN;
  return bits;
}

inline void apply_verify_mode(context_impl& c, sslpp::verify_mode m) {
  int flags = SSL_VERIFY_NONE;
  if (m == sslpp::verify_mode::cert_optional) flags = SSL_VERIFY_PEER;
  if (m == sslpp::verify_mode::cert_required) flags = SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT;
  // Every mode carries the security level's floor (detail/verify_floor.hpp): it is the
  // only place the backend lets sslpp judge each certificate of a verified chain.
  SSL_CTX_set_verify(c.ctx.get(), flags, verify_floor_callback);
  c.mode = m;
  renew_session_context(c.ctx.get());
}

inline void apply_options(context_impl& c, sslpp::options o) {
  SSL_CTX_clear_options(c.ctx.get(), SSL_OP_NO_TICKET | SSL_OP_CIPHER_SERVER_PREFERENCE);
  uint32_t bits = 0;
  if (has(o, sslpp::options::no_ticket)) bits |= SSL_OP_NO_TICKET;
  if (has(o, sslpp::options::cipher_server_preference)) bits |= SSL_OP_CIPHER_SERVER_PREFERENCE;
  SSL_CTX_set_options(c.ctx.get(), bits);
  c.opts = o;
}

inline void apply_verify_flags(context_impl& c, sslpp::verify_flags f) {
  X509_VERIFY_PARAM* param = SSL_CTX_get0_param(c.ctx.get());
  X509_VERIFY_PARAM_clear_flags(param, backend_verify_flags(~sslpp::verify_flags::verify_default));
  X509_VERIFY_PARAM_set_flags(param, backend_verify_flags(f));
  c.vflags = f;
  renew_session_context(c.ctx.get());
}

/// set_cipher_list: the TLS 1.2 cipher list from a run-time string, read as OpenSSL reads
/// it (detail::apply_cipher_string); remembers what it skipped.
inline void set_cipher_list(context_impl& c, const std::string& ciphers) {
  c.ciphers_skipped = apply_cipher_string(c.ctx.get(), ciphers);
}

/// new_context: an SSL_CTX with sslpp's secure base settings (those of any Python 3.10+
/// SSLContext): TLS 1.2 to 1.3, forward-secret AEAD ciphers, verification by side.
inline std::shared_ptr<context_impl> new_context(bool server) {
  auto c = std::make_shared<context_impl>();
  c->ctx.reset(SSL_CTX_new(TLS_method()));
  if (!c->ctx) throw_backend_error("cannot create a TLS context");
  c->made_for_servers = server;
  install_features(c->ctx.get());  // SNI, ALPN, tickets, key log (detail/backend_state.hpp)
  SSL_CTX_set_min_proto_version(c->ctx.get(), TLS1_2_VERSION);
  SSL_CTX_set_max_proto_version(c->ctx.get(), TLS1_3_VERSION);
  set_cipher_list(*c, default_cipher_list);
  // Retrying a non-blocking write may pass the same data from a different address.
  SSL_CTX_set_mode(c->ctx.get(), SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  apply_options(*c, sslpp::options::no_compression | sslpp::options::cipher_server_preference |
                        sslpp::options::no_renegotiation | sslpp::options::single_ecdh_use |
                        sslpp::options::enable_middlebox_compat);
  apply_verify_flags(*c, sslpp::verify_flags::x509_trusted_first);
  if (server) {
    apply_verify_mode(*c, sslpp::verify_mode::cert_none);
  } else {
    apply_verify_mode(*c, sslpp::verify_mode::cert_required);
    c->check_hostname = true;
  }
  return c;
}

inline tls_version get_min_version(const context_impl& c) {
  return static_cast<tls_version>(SSL_CTX_get_min_proto_version(c.ctx.get()));
}
inline tls_version get_max_version(const context_impl& c) {
  return static_cast<tls_version>(SSL_CTX_get_max_proto_version(c.ctx.get()));
}
inline void set_min_version(context_impl& c, tls_version v) {
  if (!SSL_CTX_set_min_proto_version(c.ctx.get(), protocol_number(v, true)))
    throw_backend_error("cannot set minimum_version");
}
inline void set_max_version(context_impl& c, tls_version v) {
  if (!SSL_CTX_set_max_proto_version(c.ctx.get(), protocol_number(v, false)))
    throw_backend_error("cannot set maximum_version");
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

// Where OpenSSL-based Pythons find the system store on common systems, first match wins.
inline constexpr const char* system_ca_files[] = {
    "/etc/ssl/certs/ca-certificates.crt",                 // Debian, Ubuntu, Gentoo, Arch
    "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",  // Fedora, RHEL 7+
    "/etc/pki/tls/certs/ca-bundle.crt",                   // Fedora, RHEL 6
    "/etc/ssl/ca-bundle.pem",                             // openSUSE
    "/etc/ssl/cert.pem",                                  // Alpine, macOS, FreeBSD
    "/opt/homebrew/etc/openssl@3/cert.pem",               // Homebrew, Apple silicon
    "/usr/local/etc/openssl@3/cert.pem",                  // Homebrew, Intel
    "/usr/local/share/certs/ca-root-nss.crt",             // FreeBSD ports
};
inline constexpr const char* system_ca_dirs[] = {
    "/etc/ssl/certs",          // Debian, Ubuntu, SUSE
    "/etc/pki/tls/certs",      // Fedora, RHEL
    "/usr/local/share/certs",  // FreeBSD
};

/// find_default_verify_paths: $SSL_CERT_FILE / $SSL_CERT_DIR when set, else the first
/// existing bundle and directory among the distributions' usual locations.
inline default_verify_paths find_default_verify_paths() {
  default_verify_paths p;
  p.openssl_cafile = system_ca_files[0];
  p.openssl_capath = system_ca_dirs[0];
  const char* env_file = environment("SSL_CERT_FILE");
  const char* env_dir = environment("SSL_CERT_DIR");
  if ((env_file && *env_file) || (env_dir && *env_dir)) {
    if (env_file && *env_file && is_readable_file(env_file)) p.cafile = env_file;
    if (env_dir && *env_dir && is_directory(env_dir)) p.capath = env_dir;
    return p;
  }
  for (const char* f : system_ca_files)
    if (is_readable_file(f)) {
      p.cafile = f;
      break;
    }
  for (const char* d : system_ca_dirs)
    if (is_directory(d)) {
      p.capath = d;
      break;
    }
  return p;
}

/// load_default_verify_paths: loads the system store found by find_default_verify_paths.
/// A system without one leaves the store empty, as OpenSSL does: verification then fails
/// with "unable to get local issuer certificate".
inline void load_default_verify_paths(context_impl& c) {
  const default_verify_paths p = find_default_verify_paths();
  const char* env_file = environment("SSL_CERT_FILE");
  const char* env_dir = environment("SSL_CERT_DIR");
  const bool from_env = (env_file && *env_file) || (env_dir && *env_dir);
  if (!p.cafile.empty())
    load_cafile(c, p.cafile, from_env && env_file && *env_file ? "the system store from $SSL_CERT_FILE, file"
                                                               : "the system store, file");
  // A variable naming nothing usable is said where it matters, in the verify error (the
  // store is then empty, as with OpenSSL, and every verification fails).
  if (env_file && *env_file && p.cafile.empty())
    c.trust_sources.push_back("nothing from $SSL_CERT_FILE='" + std::string(env_file) +
                              "', which names no readable file");
  if (env_dir && *env_dir && p.capath.empty())
    c.trust_sources.push_back("nothing from $SSL_CERT_DIR='" + std::string(env_dir) + "', which names no directory");
  if (!p.capath.empty()) {
    if (!SSL_CTX_load_verify_locations(c.ctx.get(), nullptr, p.capath.c_str()))
      ERR_clear_error();  // an unusable directory adds nothing; the bundle above is the store
    else
      c.trust_sources.push_back(std::string(from_env ? "the system store from $SSL_CERT_DIR, " : "the system store, ") +
                                "directory '" + p.capath + "'");
  }
  if (!from_env && p.cafile.empty() && p.capath.empty())
    c.trust_sources.push_back("nothing from the system store (no CA bundle at the usual places, e.g. " +
                              std::string(system_ca_files[0]) + ")");
  renew_session_context(c.ctx.get());
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
