// sslpp — SPDX-License-Identifier: MIT
//
// detail/backend_fwd.hpp: the backend's C types that public headers name (each type's
// native_handle() escape hatch), declared as BoringSSL's <openssl/base.h> declares them,
// without including any backend header. (Repeating these typedefs is valid C++: the full
// headers, where they are included too, declare the very same names.)
#pragma once

typedef struct bio_st BIO;
typedef struct bio_method_st BIO_METHOD;
typedef struct evp_pkey_st EVP_PKEY;
typedef struct ssl_st SSL;
typedef struct ssl_ctx_st SSL_CTX;
typedef struct ssl_session_st SSL_SESSION;
typedef struct x509_st X509;
typedef struct x509_store_st X509_STORE;
