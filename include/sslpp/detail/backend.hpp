// sslpp — SPDX-License-Identifier: MIT
//
// detail/backend.hpp: the one place that includes the backend's headers.
// Everything that calls BoringSSL lives in include/sslpp/detail/.
#pragma once

// Without BoringSSL's directory on the include path the compiler's first error would be a
// bare "openssl/base.h: No such file"; this one says what to add (the next missing
// backend header then stops the compilation).
#if !__has_include(<openssl/base.h>)
#error "sslpp needs BoringSSL's headers, and <openssl/base.h> is not on the include path: add BoringSSL's include directory (on Debian, after apt-get install android-libboringssl-dev: -isystem /usr/include/android; for a BoringSSL build: -isystem <boringssl>/include). CMake's sslpp::sslpp target and meson's sslpp dependency add it for you."
#else
#include <openssl/base.h>
#if !defined(OPENSSL_IS_BORINGSSL)
#error "sslpp needs BoringSSL, but <openssl/base.h> is another OpenSSL. On Debian: apt-get install android-libboringssl-dev and put /usr/include/android first on the include path (CMake's sslpp::sslpp target does this)."
#endif
#endif

#include <openssl/bio.h>
#include <openssl/bytestring.h>
#include <openssl/cipher.h>
#include <openssl/digest.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/mem.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <sslpp/config.hpp>

#include <string_view>

SSLPP_BEGIN_NAMESPACE
namespace detail {

// Owning handles: bssl::UniquePtr frees with the backend's own free function.
using ssl_ctx_ptr = bssl::UniquePtr<SSL_CTX>;
using ssl_ptr = bssl::UniquePtr<SSL>;
using x509_ptr = bssl::UniquePtr<X509>;
using x509_crl_ptr = bssl::UniquePtr<X509_CRL>;
using evp_pkey_ptr = bssl::UniquePtr<EVP_PKEY>;
using bio_ptr = bssl::UniquePtr<BIO>;
using ssl_session_ptr = bssl::UniquePtr<SSL_SESSION>;

/// up_ref: a new owning handle to a reference-counted backend object.
template <class T>
bssl::UniquePtr<T> up_ref(T* raw) {
  return raw ? bssl::UpRef(raw) : bssl::UniquePtr<T>();
}


}  // namespace detail
SSLPP_END_NAMESPACE
