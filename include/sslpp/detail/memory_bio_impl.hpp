// sslpp — SPDX-License-Identifier: MIT
//
// detail/memory_bio_impl.hpp: the backend calls behind sslpp::memory_bio (a BIO_s_mem
// buffer, set up the way CPython's ssl.MemoryBIO sets it up).
#pragma once

#include <sslpp/detail/backend.hpp>
#include <sslpp/detail/error_impl.hpp>

#include <algorithm>
#include <climits>
#include <cstddef>
#include <span>
#include <string>

SSLPP_BEGIN_NAMESPACE
namespace detail {

/// new_memory_bio: an empty, growable memory BIO whose reader is told "retry" while it is
/// empty (until mark_memory_bio_eof), as CPython's MemoryBIO.
inline bio_ptr new_memory_bio() {
  bio_ptr bio(BIO_new(BIO_s_mem()));
  if (!bio) throw_backend_error("cannot create a memory BIO");
  BIO_set_retry_read(bio.get());
  BIO_set_mem_eof_return(bio.get(), -1);
  return bio;
}

/// free_memory_bio: drops the reference `bio` holds (null: nothing to drop).
inline void free_memory_bio(BIO* bio) noexcept {
  if (bio) BIO_free(bio);
}

/// memory_bio_pending: the bytes buffered in `bio`.
inline std::size_t memory_bio_pending(const BIO* bio) noexcept { return bio ? BIO_pending(bio) : 0; }

/// memory_bio_write: appends all of `data` to `bio`.
inline void memory_bio_write(BIO* bio, std::span<const std::byte> data) {
  while (!data.empty()) {
    const int chunk = static_cast<int>(std::min<std::size_t>(data.size(), INT_MAX));
    const int n = BIO_write(bio, data.data(), chunk);
    if (n <= 0) throw_backend_error("cannot write to a memory BIO");
    data = data.subspan(static_cast<std::size_t>(n));
  }
}

/// memory_bio_read: takes up to `out.size()` bytes from the front of `bio`; returns the count.
inline std::size_t memory_bio_read(BIO* bio, std::span<std::byte> out) noexcept {
  std::size_t total = 0;
  while (total < out.size()) {
    const int chunk = static_cast<int>(std::min<std::size_t>(out.size() - total, INT_MAX));
    const int n = BIO_read(bio, out.data() + total, chunk);
    if (n <= 0) break;
    total += static_cast<std::size_t>(n);
  }
  return total;
}

/// mark_memory_bio_eof: once `bio` is empty, its reader sees the end of the stream.
inline void mark_memory_bio_eof(BIO* bio) noexcept { BIO_set_mem_eof_return(bio, 0); }

}  // namespace detail
SSLPP_END_NAMESPACE
