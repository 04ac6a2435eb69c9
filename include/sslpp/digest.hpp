// sslpp — SPDX-License-Identifier: MIT
//
// digest.hpp: sslpp::digest, the hash algorithms sslpp names (certificate fingerprints).
#pragma once

#include <sslpp/config.hpp>

SSLPP_BEGIN_NAMESPACE

/// digest: a hash algorithm for certificate fingerprints.
enum class digest { sha1, sha256, sha384, sha512 };

SSLPP_END_NAMESPACE
