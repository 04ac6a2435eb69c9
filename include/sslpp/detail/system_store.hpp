// sslpp — SPDX-License-Identifier: MIT
//
// detail/system_store.hpp: finding and loading the system's CA store the way
// OpenSSL-based Pythons do ($SSL_CERT_FILE / $SSL_CERT_DIR, then the usual places).
#pragma once

#include <sslpp/detail/backend.hpp>
#include <sslpp/detail/backend_state.hpp>
#include <sslpp/detail/context_impl.hpp>
#include <sslpp/detail/environment.hpp>
#include <sslpp/detail/trust_loading.hpp>
#include <sslpp/trust.hpp>

#include <string>

SSLPP_BEGIN_NAMESPACE
namespace detail {

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

}  // namespace detail
SSLPP_END_NAMESPACE
