// sslpp — SPDX-License-Identifier: MIT
//
// cert_compression_codecs.hpp: opt-in. Brings the brotli and zlib codecs that
// context::set_cert_compression uses (RFC 8879 certificate compression). Include it
// where set_cert_compression is called, and link the sslpp::cert_compression CMake target
// (it adds libbrotlienc, libbrotlidec and zlib; Debian: libbrotli-dev, zlib1g-dev).
// <sslpp/sslpp.hpp> and the single header do not include it, so they need neither.
#pragma once

#include <sslpp/cert_compression.hpp>
#include <sslpp/config.hpp>
#include <sslpp/detail/cert_compression_codecs.hpp>
