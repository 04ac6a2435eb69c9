// sslpp — SPDX-License-Identifier: MIT
//
// detail/engine.hpp: one TLS connection's backend state (an SSL object and its BIOs),
// and the translation of every SSL_* result into sslpp's errors. Shared by stream<Socket>,
// ssl_object and the asio streams.
//
// The class is declared here without any backend header (the SSL object is held through
// ssl_handle, the early-data state through a pointer to an incomplete type), since every
// connection type holds an engine by value or names its members; the member definitions
// are in detail/impl/engine.ipp: included below in the header-only mode, compiled once into the
// sslpp_compiled library in the compiled mode. read and write take any callable as their
// failure handler through a thin inline template that hands it on type-erased
// (failure_handler), called only when the operation failed.
#pragma once

#include <sslpp/config.hpp>
#include <sslpp/detail/backend_fwd.hpp>
#include <sslpp/detail/deadline.hpp>
#include <sslpp/detail/failure.hpp>

#include <sslpp/detail/chrono.hpp>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>
#include <vector>

SSLPP_BEGIN_NAMESPACE
namespace detail {

struct context_impl;
struct early_data_state;

/// transport_ops: type-erased access to a byte stream, for the custom BIO.
struct transport_ops {
  void* stream = nullptr;
  std::size_t (*read_some)(void* stream, std::span<std::byte>, std::error_code&) = nullptr;
  std::size_t (*write_some)(void* stream, std::span<const std::byte>, std::error_code&) = nullptr;
};

/// timeout_source: where an engine reads the time limit of each operation (the socket's
/// timeout(), read when the operation starts, so a later set_timeout applies).
struct timeout_source {
  const void* socket = nullptr;
  std::chrono::milliseconds (*timeout)(const void* socket) = nullptr;
};

/// ssl_handle: owns one SSL object (SSL_free when destroyed or reset), as ssl_ptr does,
/// without the backend's headers.
class ssl_handle {
 public:
  ssl_handle() noexcept = default;
  ssl_handle(const ssl_handle&) = delete;
  ssl_handle& operator=(const ssl_handle&) = delete;
  ~ssl_handle();

  /// get: the SSL object, or null.
  SSL* get() const noexcept { return p_; }
  /// operator bool: whether it holds one.
  explicit operator bool() const noexcept { return p_ != nullptr; }
  /// reset: frees the one held and takes `p`.
  void reset(SSL* p) noexcept;

 private:
  SSL* p_ = nullptr;
};

/// failure_handler: what the caller of engine::read or engine::write does with a failure
/// (the value the operation then returns, or an exception it throws), type-erased so that
/// those operations are not templates. Two pointers, passed by value (in registers): a
/// function made for the callable's type, and the callable, which must outlive the call
/// (none for a captureless lambda: its function makes one). The engine calls it only when
/// the operation failed, so a success costs nothing more than the operation itself.
class failure_handler {
 public:
  /// to: a handler calling `f(failure&&)`, which returns something convertible to long.
  template <class F>
  static failure_handler to(F& f) noexcept {
    using T = std::remove_const_t<F>;
    static_assert(!std::is_same_v<T, failure_handler>, "a failure_handler is passed as it is");
    if constexpr (std::is_empty_v<T> && std::is_trivially_default_constructible_v<T>)
      return failure_handler([](void*, failure&& x) -> long { return T{}(std::move(x)); }, nullptr);
    else
      return failure_handler([](void* target, failure&& x) -> long { return (*static_cast<F*>(target))(std::move(x)); },
                             const_cast<void*>(static_cast<const void*>(std::addressof(f))));
  }
  /// operator(): hands `f` to the callable; returns what it returns.
  long operator()(failure&& f) const { return call_(target_, std::move(f)); }

 private:
  failure_handler(long (*call)(void*, failure&&), void* target) noexcept : call_(call), target_(target) {}
  long (*call_)(void*, failure&&);
  void* target_;
};

/// engine: an SSL object bound to its context and to one transport:
///  - a descriptor (attach_fd): sslpp's own BIO calls recv/send on it directly (no copy,
///    MSG_NOSIGNAL so a closed peer is an EPIPE error, never a SIGPIPE). With a timeout
///    (set_timeout_source) each operation — handshake, read, write, shutdown — ends with
///    errc::timed_out once that much time has passed since it began, however the peer
///    trickles its bytes and however many signals interrupt the waits. Without one, an
///    SO_RCVTIMEO/SO_SNDTIMEO the program set itself bounds each system call only, and its
///    expiry on a blocking descriptor reads as errc::timed_out;
///  - any byte stream (attach_transport): the same BIO calls its read_some/write_some (no
///    more calls once the operation's timeout passed). An exception they throw is caught
///    here (it must not unwind through the backend's C frames), fails the operation, and is
///    handed back in failure::exception;
///  - two memory BIOs (attach_memory): sans-IO, the caller moves the bytes.
/// Would-block from the transport becomes SSL_ERROR_WANT_READ/WRITE.
class engine {
 public:
  enum class transport_kind { none, fd, custom, memory };

  engine(std::shared_ptr<context_impl> ctx, bool server_side);
  ~engine();

  engine(const engine&) = delete;
  engine& operator=(const engine&) = delete;

  SSL* ssl() const noexcept { return ssl_.get(); }
  bool server_side() const noexcept { return server_side_; }
  const std::shared_ptr<context_impl>& context() const noexcept { return ctx_; }
  const std::optional<std::string>& server_hostname() const noexcept { return hostname_; }
  transport_kind kind() const noexcept { return kind_; }

  /// attach_fd: TLS straight over a descriptor the caller keeps owning (no copy in between).
  /// The engine must not move afterwards (the BIO points at it).
  /// What the socket object knows of `fd` saves the system calls that would ask:
  /// `known_stream` skips the SO_TYPE check, `known_nonblocking` the F_GETFL of nonblocking().
  void attach_fd(int fd, bool known_stream = false, std::optional<bool> known_nonblocking = std::nullopt);

  /// attach_transport: TLS over any byte stream, through a BIO that calls `ops`.
  /// The engine must not move afterwards (the BIO points at it).
  void attach_transport(transport_ops ops);

  /// set_quiet_wants: want_read / want_write failures carry no message (the caller never
  /// shows one: an event loop just waits), so the would-block path allocates nothing.
  void set_quiet_wants(bool on) noexcept { quiet_wants_ = on; }

  /// set_timeout_source: bounds each later operation by the timeout `source` gives when it starts.
  void set_timeout_source(timeout_source source) noexcept { timeout_ = source; }

  /// attach_memory: sans-IO — TLS reads the peer's bytes from `incoming` and writes its own
  /// to `outgoing`; the SSL object holds a reference to each.
  void attach_memory(BIO* incoming, BIO* outgoing);

  /// nonblocking: whether the transport is a descriptor in non-blocking mode.
  bool nonblocking() const noexcept;

  /// set_client_hostname: SNI (not for IP addresses) and the host name check the
  /// context asks for. `name` has its one trailing dot stripped already.
  void set_client_hostname(std::string_view name, bool is_ip);

  /// offer_early_data: a client sends `data` in its first flight as 0-RTT early data when
  /// the session it offers allows it, else right after the handshake (see early_data_state).
  void offer_early_data(std::string data);
  /// early_data_accepted: whether the handshake accepted 0-RTT early data.
  bool early_data_accepted() const noexcept;
  /// early_data_received: what a server received as early data (empty until its handshake finished).
  const std::vector<std::byte>* early_data_received() const noexcept;
  /// early_data_reason: why early data was accepted or not (BoringSSL's reason code), once known.
  int early_data_reason() const noexcept;

  // Each operation returns true on success; on failure it fills `f` and returns false.

  bool handshake(failure& f);

 private:
  // do_handshake_waiting_for_signer: SSL_do_handshake, called again each time a late
  // private key signer this transport waits for has answered.
  int do_handshake_waiting_for_signer(bool& timed_out);

  // finish_handshake: what follows a completed handshake.
  bool finish_handshake(failure& f);

  // early_handshake: the handshake of a connection with early data (see early_data_state).
  // Resumable after want_read/want_write: each phase retries the call it stopped in (a
  // write with the very same bytes).
  bool early_handshake(failure& f);
  // early_rejected: whether `rc` says the server rejected early data; then the connection
  // is reset to go on as a full handshake, and the data is to be sent after it.
  bool early_rejected(int rc);
  bool early_done(failure& f);
  // early_pending: the part of the backlog read() has not handed out.
  std::size_t early_pending() const noexcept;
  // early_read: before the first read of a connection with early data, the early-data
  // handshake (so that neither side's early data ever passes through SSL_read here); then
  // the backlog. Returns nullopt to go on with SSL_read, else the read's result.
  std::optional<long> early_read(std::span<std::byte> buf, failure_handler on_failure);
  // read_erased, write_erased: read and write, with the caller's handler type-erased (the
  // templates forward here; defined once, in the library in the compiled mode).
  // Only their successful SSL_read / SSL_write is written there; the rest is out of line
  // (marked noinline where defined), so that they stay small enough to be inlined into the
  // stream's read and write (bench/instr.py rtt: ~90 instructions per round trip):
  long read_erased(std::span<std::byte> buf, bool suppress_ragged_eofs, failure_handler on_failure);
  long write_erased(std::span<const std::byte> buf, failure_handler on_failure);
  // read_stopped: after SSL_read returned `n` <= 0, a late signer waited for (a read that
  // makes the handshake), else the failure.
  long read_stopped(std::byte* data, int len, int n, bool suppress_ragged_eofs, failure_handler on_failure);
  // handshake_before_write: the early-data handshake a write makes first; nullopt once it
  // completed, else what on_failure returned.
  std::optional<long> handshake_before_write(failure_handler on_failure);
  // write_after_signer: after SSL_write returned `n` <= 0, SSL_write again each time a late
  // signer this transport waits for has answered; the last call's result.
  int write_after_signer(const std::byte* data, int len, int n, bool& timed_out);
  // write_failed: what write() returns after SSL_write failed with `n` once `done` bytes went out.
  long write_failed(int n, bool timed_out, std::size_t done, failure_handler on_failure);

 public:
  /// read: bytes read into `buf` (0 for an empty `buf`, or for a ragged EOF when
  /// `suppress_ragged_eofs`); on any other failure, what `on_failure(failure&&)` returns —
  /// kind::zero_return after the peer's close_notify. The failure is only built on that
  /// slow path, so a successful read costs SSL_read and nothing else.
  template <class OnFailure>
  long read(std::span<std::byte> buf, bool suppress_ragged_eofs, OnFailure&& on_failure) {
    return read_erased(buf, suppress_ragged_eofs, failure_handler::to(on_failure));
  }

  /// write: the number of bytes of `buf` written — all of them, however many, unless the
  /// transport would block after some were (then the count so far: retry with the rest) —
  /// or, on failure, what `on_failure(failure&&)` returns. After want_read/want_write,
  /// retry with the same bytes (the backend has committed to them; the buffer may have moved).
  template <class OnFailure>
  long write(std::span<const std::byte> buf, OnFailure&& on_failure) {
    return write_erased(buf, failure_handler::to(on_failure));
  }

  /// shutdown: sends close_notify and, when `wait_for_peer`, reads until the peer's arrives.
  /// Returns 1 once the peer's close_notify arrived too, 0 when ours was sent but the
  /// peer's is still to come (only when not waiting), -1 on failure (want_read when
  /// waiting on a non-blocking transport; eof when the peer closed without close_notify;
  /// ssl when the peer sent application data first, as BoringSSL and OpenSSL refuse it).
  /// Calling it again resumes.
  int shutdown(bool wait_for_peer, failure& f);

  /// ech_retry_configs: after a client handshake failed with an ECH rejection, the retry
  /// configs the server sent (authenticated for the public name; empty: none); nullopt otherwise.
  std::optional<std::vector<std::byte>> ech_retry_configs() const;

  std::size_t pending() const noexcept;
  bool handshake_done() const noexcept;
  /// close_notify_received: whether the peer's close_notify arrived.
  bool close_notify_received() const noexcept;
  /// close_notify_sent: whether this side sent close_notify.
  bool close_notify_sent() const noexcept;

 private:
  // No ERR_clear_error() here: BoringSSL's SSL_do_handshake, SSL_read, SSL_write and
  // SSL_shutdown clear the error queue on entry themselves (ssl_reset_error_state), and a
  // second clear costs ~270 instructions per call (bench/instr.py: +9% per 1-byte round trip).
  void clear_io_error() noexcept;
  // begin: clear_io_error() at the start of an operation, which also starts its time limit (one
  // per operation: the second SSL_shutdown of a waiting shutdown shares it).
  void begin() noexcept;

  void attach_own_bio(transport_kind kind);

  // waits_for_signer: whether a handshake waits for a late signer itself (a blocking
  // descriptor or byte stream) rather than reporting want_private_key_operation.
  // The descriptor's real mode is asked (a rare path): a program may have made it
  // non-blocking behind the socket object's back, and a wait could then hold its loop.
  bool waits_for_signer() const noexcept;
  // signer_answered: after a call that returned `rc` <= 0, whether it stopped for a late
  // private key signer that this transport waits for, and the signer has answered now
  // (call again); `timed_out` when the operation's time ran out first. Only a handshake
  // in progress can be waiting for one, so a finished one costs a single check.
  bool signer_answered(int rc, bool& timed_out);
  failure signer_timeout(const char* operation) const;
  bool wait_for_signer();

  std::string peer_text() const;

  failure classify(int rc, const char* operation);

  // ech_rejection: the server answered an ECH offer without ECH, authenticated for the
  // public name (the backend checked its certificate for that name): the retry configs
  // it sent, kept for ech_retry_configs() too.
  failure ech_rejection(const std::string& where);

  static std::string version_name(std::uint16_t v);
  static std::string hex4(std::uint16_t v);

  // The first bytes the peer sent, as text when they are printable (up to the first line
  // end), or "" when they are not. The handshake read only a record header (5 bytes), so
  // what else has arrived on a descriptor is read too: the connection is over anyway.
  std::string peer_text_sample();

  // What a handshake failure means in words a user can act on, or "" (see classify).
  std::string explain(std::uint32_t packed);

  std::string verify_text(long verify) const;

  // A descriptor's "would block": a real one on a non-blocking descriptor, the expiry of
  // SO_RCVTIMEO/SO_SNDTIMEO on a blocking one.
  std::error_code fd_error(int err) const noexcept;

  // With a time limit, a socket goes through transfer_within (recv/send at once, poll()
  // for the time left only when it would block); without one, one blocking recv/send.
  std::size_t fd_read(std::span<std::byte> b, std::error_code& ec) const noexcept;
  std::size_t fd_write(std::span<const std::byte> b, std::error_code& ec) const noexcept;

  std::size_t fd_transfer(bool reading, std::byte* data, std::size_t size, std::error_code& ec) const noexcept;

  // The custom path: the byte stream's read_some/write_some, not called once the operation's
  // time is up, and never letting an exception into the backend's C frames: it is kept
  // for the caller (the throwing overloads rethrow it) and the call fails with its code —
  // a std::system_error's own, errc::io_error for any other exception.
  template <class Fn, class Buffer>
  std::size_t call_transport(Fn fn, Buffer buf, std::error_code& ec) noexcept;

  static std::string exception_text(const std::exception_ptr& e);

  // The BIO of the fd and custom paths: reads and writes go to the engine in BIO data.
  static int bio_read(BIO* bio, char* out, int len);
  static int bio_write(BIO* bio, const char* in, int len);
  static long bio_ctrl(BIO*, int cmd, long, void*);

  static const BIO_METHOD* stream_bio_method();

  std::shared_ptr<context_impl> ctx_;
  ssl_handle ssl_;
  char first_[32]{};  // the first bytes the peer sent, for peer_text_sample (kept small: every connection carries it)
  std::uint8_t first_len_ = 0;
  bool server_side_;
  bool quiet_wants_ = false;
  bool ech_rejected_ = false;  // the handshake failed with SSL_R_ECH_REJECTED (retry configs available)
  transport_kind kind_ = transport_kind::none;
  int fd_ = -1;
  bool is_socket_ = true;
  std::optional<bool> known_nonblocking_;  // what the socket object knew at the wrap
  transport_ops ops_;
  std::error_code io_error_;
  std::exception_ptr transport_exception_;  // what the byte stream threw in this operation
  timeout_source timeout_;
  deadline deadline_;  // of the operation under way
  std::optional<std::string> hostname_;
  std::unique_ptr<early_data_state> early_;  // only on a connection that may carry early data
};

}  // namespace detail
SSLPP_END_NAMESPACE

#if SSLPP_WITH_DEFINITIONS
#include <sslpp/detail/impl/engine.ipp>
#endif
