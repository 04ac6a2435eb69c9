// sslpp — SPDX-License-Identifier: MIT
//
// detail/backend_fwd.hpp: the backend's handle types, declared as BoringSSL's
// <openssl/base.h> declares them, for the public headers whose native_handle() or private
// members name them without including a backend header (the compiled mode's rule).
#pragma once

// NOLINTBEGIN: the backend's own C names.
typedef struct ssl_st SSL;
typedef struct ssl_ctx_st SSL_CTX;
// NOLINTEND
