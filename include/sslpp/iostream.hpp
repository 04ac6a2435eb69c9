// sslpp — SPDX-License-Identifier: MIT
//
// iostream.hpp: sslpp::iostream, a std::iostream that reads and writes through a TLS
// stream — Python's SSLSocket.makefile(), for line protocols (SMTP, IMAP, HTTP/1 headers):
// std::getline(io, line), io << "..." << std::flush.
//
// Not included by <sslpp/sslpp.hpp>: include <sslpp/iostream.hpp> where it is used.
#pragma once

#include <sslpp/config.hpp>

#include <cstddef>
#include <istream>
#include <memory>
#include <ostream>
#include <span>
#include <stdexcept>
#include <streambuf>
#include <system_error>

SSLPP_BEGIN_NAMESPACE

/// text_stream: what sslpp::iostream runs over: a blocking connection with
/// `read(std::span<std::byte>)` (0 at the end of the stream) and
/// `sendall(std::span<const std::byte>)` — sslpp::stream<Socket>.
template <class T>
concept text_stream = requires(T& s, std::span<std::byte> in, std::span<const std::byte> out) {
  { s.read(in) } -> std::convertible_to<std::size_t>;
  s.sendall(out);
};

namespace detail {

/// tls_streambuf: the std::streambuf of sslpp::iostream: a get area refilled by one read of
/// the connection (it returns what has arrived, at least one byte, so it never waits for
/// more than the peer sent) and a put area sent with sendall when full, on sync (std::flush,
/// std::endl) and before a read must wait for the peer. A failure of the connection is
/// kept (error()) and rethrown: std::istream / std::ostream turn it into badbit, and
/// rethrow it when badbit is in their exceptions() mask.
template <class Stream>
class tls_streambuf final : public std::streambuf {
 public:
  tls_streambuf(Stream& s, std::size_t buffer_size)
      : stream_(&s),
        size_(buffer_size == 0 ? 1 : buffer_size),
        in_(std::make_unique<char[]>(size_)),
        out_(std::make_unique<char[]>(size_)) {
    setg(in_.get(), in_.get(), in_.get());
    setp(out_.get(), out_.get() + size_);
  }
  tls_streambuf(const tls_streambuf&) = delete;
  tls_streambuf& operator=(const tls_streambuf&) = delete;

  std::error_code error() const noexcept { return error_; }
  Stream& stream() const noexcept { return *stream_; }

 protected:
  int_type underflow() override {
    if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
    if (send_pending() != 0) return traits_type::eof();
    const std::size_t n = guarded([&] { return stream_->read(std::as_writable_bytes(std::span(in_.get(), size_))); });
    if (n == 0) return traits_type::eof();
    setg(in_.get(), in_.get(), in_.get() + n);
    return traits_type::to_int_type(*gptr());
  }

  int_type overflow(int_type c) override {
    if (send_pending() != 0) return traits_type::eof();
    if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
    *pptr() = traits_type::to_char_type(c);
    pbump(1);
    return c;
  }

  std::streamsize xsputn(const char* s, std::streamsize n) override {
    // Larger than the buffer: send what is buffered, then the data itself, without a copy.
    if (n >= static_cast<std::streamsize>(size_)) {
      if (send_pending() != 0) return 0;
      guarded([&] {
        stream_->sendall(std::as_bytes(std::span(s, static_cast<std::size_t>(n))));
        return 0;
      });
      return n;
    }
    return std::streambuf::xsputn(s, n);
  }

  int sync() override { return send_pending(); }

 private:
  // send_pending: sends the put area; 0 (a failure throws, after noting its code).
  int send_pending() {
    if (pptr() == pbase()) return 0;
    const std::span<const char> data(pbase(), static_cast<std::size_t>(pptr() - pbase()));
    setp(out_.get(), out_.get() + size_);  // even on failure: the bytes' fate is unknown, do not resend
    guarded([&] {
      stream_->sendall(std::as_bytes(data));
      return 0;
    });
    return 0;
  }

  // guarded: runs an operation of the connection, keeping the code of what it throws.
  template <class F>
  auto guarded(F&& f) -> decltype(f()) {
    try {
      return f();
    } catch (const std::system_error& e) {
      error_ = e.code();
      throw;
    } catch (const std::logic_error&) {  // the stream was closed, unwrapped or moved from
      error_ = std::make_error_code(std::errc::not_connected);
      throw;
    }
  }

  Stream* stream_;
  std::size_t size_;
  std::unique_ptr<char[]> in_;
  std::unique_ptr<char[]> out_;
  std::error_code error_;
};

/// tls_streambuf_member: holds the streambuf in a base class, so that it is built before
/// the std::iostream base that is given a pointer to it.
template <class Stream>
struct tls_streambuf_member {
  tls_streambuf_member(Stream& s, std::size_t size) : buf(s, size) {}
  tls_streambuf<Stream> buf;
};

}  // namespace detail

/// iostream: a std::iostream over a TLS connection it does not own (Python's
/// SSLSocket.makefile("rw")): `std::getline`, `>>`, `<<`, `std::flush` read and write
/// through the connection, buffered.
///
/// Buffering: a read takes what has arrived (at least one byte) into the buffer, never
/// waiting for more than the peer sent. Written text is sent when the buffer (16 KiB by
/// default) is full, on `std::flush` / `std::endl`, when the iostream is destroyed, and
/// before a read has to wait for the peer — so a request-reply exchange needs no explicit
/// flush. Before unwrap() (STARTTLS), flush and read only what the protocol says the peer
/// sent: bytes still in this buffer are not handed back.
///
/// Errors: the end of the stream (the peer's close_notify) sets eofbit and failbit, as at
/// the end of a file (std::getline returns false). A failure of the connection (ssl_error,
/// a timeout, a closed stream) sets badbit and is kept: error() gives its code. To have it
/// thrown instead — the very exception the stream threw, e.g. sslpp::eof_error — set
/// `io.exceptions(std::ios::badbit)`, as with any std::iostream.
///
/// Lifetime: the connection must outlive the iostream, which keeps a reference to it. Not
/// copyable or movable. Blocking connections only (a non-blocking one fails with
/// want_read_error: badbit). Thread Safety: as the connection, one thread at a time.
///
/// Example:
///   sslpp::iostream io(tls);
///   io << "EHLO client.example\r\n" << std::flush;
///   for (std::string line; std::getline(io, line) && line.starts_with("250-");) {}
template <text_stream Stream>
class iostream : private detail::tls_streambuf_member<Stream>, public std::iostream {
 public:
  /// iostream: reads and writes through `connection`, with buffers of `buffer_size` bytes.
  explicit iostream(Stream& connection, std::size_t buffer_size = 16384)
      : detail::tls_streambuf_member<Stream>(connection, buffer_size),
        std::iostream(&this->buf) {}
  iostream(const iostream&) = delete;
  iostream& operator=(const iostream&) = delete;

  /// ~iostream: sends what was written and not yet sent; a failure there is ignored (flush
  /// first to see it).
  ~iostream() override {
    try {
      this->buf.pubsync();
    } catch (...) {
    }
  }

  /// error: the code of the connection's last failure (empty when none): the failed
  /// operation's std::system_error code (an ssl_errc, errc::timed_out, ...), or
  /// errc::not_connected when the stream was closed, unwrapped or moved from.
  std::error_code error() const noexcept { return this->buf.error(); }

  /// connection: the TLS stream this reads and writes through.
  Stream& connection() const noexcept { return this->buf.stream(); }
};

SSLPP_END_NAMESPACE
