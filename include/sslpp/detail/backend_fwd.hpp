// sslpp — SPDX-License-Identifier: MIT
//
// detail/backend_fwd.hpp: the backend's handle types, declared as BoringSSL's
// <openssl/base.h> declares them, for headers that only pass pointers to them around
// (native_handle()) and must not include the backend's headers in the compiled mode.
#pragma once

// The same declarations as <openssl/base.h> (a typedef may be repeated), at global scope.
extern "C" {
typedef struct bio_st BIO;
typedef struct ssl_st SSL;
}
