// sslpp — SPDX-License-Identifier: MIT
//
// cert_store.hpp: sslpp::cert_store_statistics, what a context's trust store holds.
#pragma once

#include <sslpp/config.hpp>

#include <cstddef>

SSLPP_BEGIN_NAMESPACE

/// cert_store_statistics: the counts of Python's SSLContext.cert_store_stats(): the
/// certificates in a context's trust store, those of them that are CA certificates, and
/// the CRLs. A CA directory (capath) adds a certificate only once a verification looked
/// it up, as in OpenSSL and Python.
struct cert_store_statistics {
  std::size_t x509 = 0;     ///< every certificate
  std::size_t crl = 0;      ///< certificate revocation lists
  std::size_t x509_ca = 0;  ///< certificates that are CAs (basicConstraints CA:TRUE)
};

SSLPP_END_NAMESPACE
