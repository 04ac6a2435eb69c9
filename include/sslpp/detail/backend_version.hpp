// sslpp — SPDX-License-Identifier: MIT
//
// detail/backend_version.hpp: the backend's version constants (functions.hpp's
// `constexpr` openssl_version, openssl_version_number and boringssl_api_version), from
// BoringSSL's <openssl/crypto.h> alone: a few hundred lines past what <memory> costs, so
// that functions.hpp, in the compiled mode, need not parse the backend's TLS and X.509
// headers for three macros.
#pragma once

#include <sslpp/config.hpp>

#include <openssl/crypto.h>  // OPENSSL_VERSION_TEXT; OPENSSL_VERSION_NUMBER and BORINGSSL_API_VERSION (base.h)

#include <string_view>

SSLPP_BEGIN_NAMESPACE
namespace detail {

/// backend_version_string, backend_version_number: what Python's OPENSSL_VERSION and
/// OPENSSL_VERSION_NUMBER would say of this backend.
inline constexpr std::string_view backend_version_string = OPENSSL_VERSION_TEXT;
inline constexpr unsigned long backend_version_number = OPENSSL_VERSION_NUMBER;
/// backend_api_version: BoringSSL's BORINGSSL_API_VERSION of the headers sslpp is built with.
inline constexpr int backend_api_version = BORINGSSL_API_VERSION;

}  // namespace detail
SSLPP_END_NAMESPACE
