// sslpp — SPDX-License-Identifier: MIT
//
// trust.hpp: where trusted CA certificates come from (Python's cafile, capath, cadata).
#pragma once

#include <sslpp/config.hpp>

#include <cstddef>
#include <string>
#include <variant>
#include <vector>

SSLPP_BEGIN_NAMESPACE

/// trust: the CA certificates a context trusts, as Python's `cafile`, `capath` and `cadata`.
///
/// An empty `trust{}` means "the system's default trust store" to create_default_context;
/// any field set means "only these". `cadata` holds PEM text (one or more certificates) or
/// DER bytes (one or more concatenated certificates). The CRLs (-----BEGIN X509 CRL-----)
/// of a PEM `cafile` or `cadata` are loaded too, for verify_flags::crl_check_leaf and
/// crl_check_chain (Python loads a cafile's CRLs, but ignores those in cadata).
///
/// Example:
///   auto ctx = sslpp::create_default_context(sslpp::purpose::server_auth,
///                                            sslpp::trust{.cafile = "ca.pem"});
struct trust {
  std::string cafile{};  ///< a PEM file of CA certificates (and CRLs), or a DER certificate
  std::string capath{};  ///< a directory of CA certificates named by subject hash (c_rehash)
  std::variant<std::monostate, std::string, std::vector<std::byte>> cadata{};  ///< PEM text or DER bytes

  /// empty: whether no source is named (so the system store applies).
  bool empty() const noexcept { return cafile.empty() && capath.empty() && cadata.index() == 0; }
};

/// default_verify_paths: where the system's trust store was looked for (Python's
/// ssl.DefaultVerifyPaths): the file and directory used, and the environment variables
/// and built-in locations consulted.
struct default_verify_paths {
  std::string cafile{};                               ///< the CA bundle found, or "" when none exists
  std::string capath{};                               ///< the CA directory found, or "" when none exists
  std::string openssl_cafile_env = "SSL_CERT_FILE"; ///< the variable naming a bundle
  std::string openssl_cafile;                       ///< the first built-in bundle location
  std::string openssl_capath_env = "SSL_CERT_DIR";  ///< the variable naming a directory
  std::string openssl_capath;                       ///< the first built-in directory location
};

SSLPP_END_NAMESPACE
