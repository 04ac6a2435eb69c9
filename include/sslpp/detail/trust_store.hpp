// sslpp — SPDX-License-Identifier: MIT
//
// detail/trust_store.hpp: the contents of a context's trust store (get_ca_certs, cert_store_stats).
#pragma once

#include <sslpp/detail/backend_state.hpp>
#include <sslpp/cert_store.hpp>
#include <fcntl.h>
#include <unistd.h>
#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <mutex>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

SSLPP_BEGIN_NAMESPACE
namespace detail {

/// store_certificates: every certificate in the context's trust store (a CA directory's
/// certificates only once a verification looked them up, as in OpenSSL and Python).
inline std::vector<x509_ptr> store_certificates(const SSL_CTX* ctx, bool cas_only) {
  std::vector<x509_ptr> out;
  X509_STORE* store = SSL_CTX_get_cert_store(ctx);
  STACK_OF(X509_OBJECT)* objs = X509_STORE_get0_objects(store);
  for (std::size_t i = 0; objs && i < sk_X509_OBJECT_num(objs); ++i) {
    X509_OBJECT* o = sk_X509_OBJECT_value(objs, i);
    if (X509_OBJECT_get_type(o) != X509_LU_X509) continue;
    X509* x = X509_OBJECT_get0_X509(o);
    if (cas_only && !X509_check_ca(x)) continue;
    out.push_back(up_ref(x));
  }
  return out;
}

/// count_store: Python's cert_store_stats(): certificates, CA certificates and CRLs.
inline cert_store_statistics count_store(const SSL_CTX* ctx) {
  cert_store_statistics n;
  STACK_OF(X509_OBJECT)* objs = X509_STORE_get0_objects(SSL_CTX_get_cert_store(ctx));
  for (std::size_t i = 0; objs && i < sk_X509_OBJECT_num(objs); ++i) {
    X509_OBJECT* o = sk_X509_OBJECT_value(objs, i);
    if (X509_OBJECT_get_type(o) == X509_LU_X509) {
      ++n.x509;
      if (X509_check_ca(X509_OBJECT_get0_X509(o))) ++n.x509_ca;
    } else if (X509_OBJECT_get_type(o) == X509_LU_CRL) {
      ++n.crl;
    }
  }
  return n;
}

}  // namespace detail
SSLPP_END_NAMESPACE
