// sslpp — SPDX-License-Identifier: MIT
//
// memory_bio.hpp: sslpp::memory_bio, a growable in-memory byte buffer that carries TLS
// records between an ssl_object and whatever transport the program uses (Python's
// ssl.MemoryBIO).
#pragma once

#include <sslpp/config.hpp>
#include <sslpp/detail/backend_fwd.hpp>
#include <sslpp/error.hpp>

#include <cstddef>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <utility>

SSLPP_BEGIN_NAMESPACE

/// memory_bio: a FIFO of bytes in memory, the transport of a sans-IO `ssl_object` (Python's
/// ssl.MemoryBIO, with the same semantics): the program writes the bytes it received from
/// the network into the ssl_object's *incoming* BIO and sends what it reads from the
/// *outgoing* one.
///
/// `pending()` is the number of bytes buffered; `write_eof()` marks the end of the data
/// (an ssl_object reading past it sees the transport end); `eof()` is true once the end
/// was marked *and* every byte was read; writing after `write_eof()` throws ssl_error.
/// Move-only; an ssl_object made from it keeps its own reference to the buffer, so moving
/// the memory_bio does not disturb it.
///
/// Thread Safety: one thread at a time per memory_bio and the ssl_object it feeds.
///
/// Example:
///   sslpp::memory_bio incoming, outgoing;
///   auto tls = ctx.wrap_bio(incoming, outgoing, "example.org");
///   try { tls.do_handshake(); } catch (const sslpp::want_read_error&) {}
///   send_to_network(outgoing.read());   // the ClientHello
class memory_bio {
 public:
  /// all: read() with no limit.
  static constexpr std::size_t all = std::numeric_limits<std::size_t>::max();

  /// Makes an empty buffer. Throws ssl_error if the backend cannot allocate it.
  memory_bio();
  memory_bio(memory_bio&& other) noexcept
      : bio_(std::exchange(other.bio_, nullptr)), eof_written_(other.eof_written_) {}
  memory_bio& operator=(memory_bio&& other) noexcept;
  memory_bio(const memory_bio&) = delete;
  memory_bio& operator=(const memory_bio&) = delete;
  ~memory_bio();

  /// pending: the number of bytes buffered (Python's `pending`).
  std::size_t pending() const noexcept;

  /// eof: whether write_eof() was called and every byte has been read (Python's `eof`).
  bool eof() const noexcept { return eof_written_ && pending() == 0; }

  /// write: appends `data`; returns its size. Throws ssl_error ("cannot write() after
  /// write_eof()") once write_eof() was called, as Python does.
  std::size_t write(std::span<const std::byte> data);
  /// write: appends the bytes of `text`; returns its size.
  std::size_t write(std::string_view text) { return write(std::as_bytes(std::span(text.data(), text.size()))); }

  /// read: takes up to `max` bytes (all by default) from the front; "" when empty.
  std::string read(std::size_t max = all);
  /// read: takes up to `buffer.size()` bytes into `buffer`; returns the count (0 when empty).
  std::size_t read(std::span<std::byte> buffer) noexcept;

  /// write_eof: marks the end of the data: no more writes, and an ssl_object that has read
  /// every byte sees the end of its transport (Python's `write_eof`). Calling it twice is fine.
  void write_eof() noexcept;

  /// native_handle: the backend's BIO, owned by this object (and by ssl_objects using it).
  ///
  /// WARNING: this is the escape hatch to the backend. sslpp does not see what is changed
  /// through it: a setting made on the backend object directly bypasses sslpp's own
  /// (its end-of-file state, say), and freeing or
  /// retaining it wrongly corrupts the object.
  BIO* native_handle() const noexcept { return bio_; }

 private:
  BIO* bio_ = nullptr;  // owned: one reference, freed by the destructor (null once moved from)
  bool eof_written_ = false;
};

SSLPP_END_NAMESPACE

#if SSLPP_WITH_DEFINITIONS
#include <sslpp/impl/memory_bio.ipp>
#endif
