// sslpp — SPDX-License-Identifier: MIT
//
// detail/cert_compression_codecs.hpp: RFC 8879 certificate compression and decompression
// with brotli and zlib, installed on a backend context (SSL_CTX_add_cert_compression_alg).
// Included only through the opt-in <sslpp/cert_compression_codecs.hpp>.
#pragma once

#include <sslpp/cert_compression.hpp>
#include <sslpp/detail/backend.hpp>
#include <sslpp/detail/error_impl.hpp>

#include <brotli/decode.h>
#include <brotli/encode.h>
#include <zlib.h>

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <stdexcept>
#include <string>
#include <vector>

SSLPP_BEGIN_NAMESPACE
namespace detail {

/// cert_compression_codecs: the compress and decompress functions the backend calls while
/// it writes or reads a CompressedCertificate message, and install(), which registers them.
struct cert_compression_codecs {
  // A compressed Certificate message above this is refused before decompressing (the
  // backend already refuses an uncompressed_length over its own limit, 2^24).
  static constexpr std::size_t max_uncompressed = 1u << 20;

  static int brotli_compress(SSL*, CBB* out, const std::uint8_t* in, std::size_t in_len) {
    std::size_t size = BrotliEncoderMaxCompressedSize(in_len);
    std::uint8_t* buf = nullptr;
    if (size == 0 || !CBB_reserve(out, &buf, size)) return 0;
    // The backend compresses again for every handshake (it keeps no cache), so the cost
    // matters. For a three-certificate RSA chain (2670 B): quality 9 with a 64 KiB window
    // gives 2056 B in ~60 µs; quality 11 saves 27 B more for ~3.5 ms, and quality 9 with
    // the default 4 MiB window costs ~33 ms (setting the window up), for the same bytes.
    constexpr int quality = 9, window_bits = 16;
    if (!BrotliEncoderCompress(quality, window_bits, BROTLI_MODE_GENERIC, in_len, in, &size, buf)) return 0;
    return CBB_did_write(out, size);
  }
  static int brotli_decompress(SSL*, CRYPTO_BUFFER** out, std::size_t uncompressed_len, const std::uint8_t* in,
                               std::size_t in_len) {
    if (uncompressed_len > max_uncompressed) return 0;
    std::uint8_t* data = nullptr;
    bssl::UniquePtr<CRYPTO_BUFFER> buf(CRYPTO_BUFFER_alloc(&data, uncompressed_len));
    if (!buf) return 0;
    std::size_t size = uncompressed_len;
    if (BrotliDecoderDecompress(in_len, in, &size, data) != BROTLI_DECODER_RESULT_SUCCESS || size != uncompressed_len)
      return 0;
    *out = buf.release();
    return 1;
  }

  static int zlib_compress(SSL*, CBB* out, const std::uint8_t* in, std::size_t in_len) {
    // A small deflate state (8 KiB window, memLevel 6: ~40 KiB instead of zlib's default
    // ~260 KiB): allocating the default one each handshake costs more than the compression
    // (fresh pages from the kernel every time). Certificate chains gain nothing from more.
    z_stream z{};
    if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 13, 6, Z_DEFAULT_STRATEGY) != Z_OK) return 0;
    const uLong bound = deflateBound(&z, static_cast<uLong>(in_len));
    std::uint8_t* buf = nullptr;
    int ok = CBB_reserve(out, &buf, bound);
    if (ok) {
      z.next_in = const_cast<Bytef*>(in);
      z.avail_in = static_cast<uInt>(in_len);
      z.next_out = buf;
      z.avail_out = static_cast<uInt>(bound);
      ok = deflate(&z, Z_FINISH) == Z_STREAM_END && CBB_did_write(out, z.total_out);
    }
    deflateEnd(&z);
    return ok;
  }
  static int zlib_decompress(SSL*, CRYPTO_BUFFER** out, std::size_t uncompressed_len, const std::uint8_t* in,
                             std::size_t in_len) {
    if (uncompressed_len > max_uncompressed) return 0;
    std::uint8_t* data = nullptr;
    bssl::UniquePtr<CRYPTO_BUFFER> buf(CRYPTO_BUFFER_alloc(&data, uncompressed_len));
    if (!buf) return 0;
    uLongf size = static_cast<uLongf>(uncompressed_len);
    // uncompress fails (Z_BUF_ERROR) when the data would be longer than announced.
    if (uncompress(data, &size, in, static_cast<uLong>(in_len)) != Z_OK || size != uncompressed_len) return 0;
    *out = buf.release();
    return 1;
  }

  /// install: registers `algs` on `ctx` in that order (a server's preference order).
  static void install(SSL_CTX* ctx, std::initializer_list<cert_compression> algs) {
    for (const cert_compression a : algs) {
      int ok = 0;
      switch (a) {
        case cert_compression::brotli:
          ok = SSL_CTX_add_cert_compression_alg(ctx, 2, brotli_compress, brotli_decompress);
          break;
        case cert_compression::zlib:
          ok = SSL_CTX_add_cert_compression_alg(ctx, 1, zlib_compress, zlib_decompress);
          break;
        default:
          throw std::invalid_argument("set_cert_compression: unknown algorithm number " +
                                      std::to_string(static_cast<unsigned>(a)) + " (sslpp has brotli and zlib)");
      }
      if (!ok) throw_backend_error("set_cert_compression: cannot add the compression algorithm");
    }
  }
};

}  // namespace detail
SSLPP_END_NAMESPACE
