// sslpp — SPDX-License-Identifier: MIT
//
// stream.hpp: sslpp::stream<Socket>, a TLS connection over a socket it owns
// (Python's SSLSocket), and the byte_stream concept a Socket must model.
#pragma once

#include <sslpp/certificate.hpp>
#include <sslpp/cipher.hpp>
#include <sslpp/config.hpp>
#include <sslpp/detail/connection_queries.hpp>
#include <sslpp/detail/emptiable.hpp>
#include <sslpp/detail/engine.hpp>
#include <sslpp/detail/failure.hpp>
#include <sslpp/detail/text_io.hpp>
#include <sslpp/detail/error_capture.hpp>
#include <sslpp/error.hpp>
#include <sslpp/hostname.hpp>
#include <sslpp/protocol.hpp>
#include <sslpp/session.hpp>
#include <sslpp/socket.hpp>

#include <sslpp/detail/chrono.hpp>
#include <concepts>
#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>
#include <vector>

SSLPP_BEGIN_NAMESPACE

template <side S>
class context;

/// native_socket: a socket that exposes its POSIX descriptor as `native_handle()` returning
/// `int` — sslpp::tcp_socket, asio's and Boost.Asio's `ip::tcp::socket` on POSIX. TLS then
/// reads and writes the descriptor itself (recv/send, no extra copy, never SIGPIPE), and
/// never calls the type's own read_some/write_some, so it must not buffer data of its own.
/// A descriptor in non-blocking mode gives want_read/want_write errors. On a blocking one,
/// a socket type with a `timeout()` (tcp_socket::set_timeout) bounds each whole TLS
/// operation (see stream); for one without (asio's sockets), an SO_RCVTIMEO/SO_SNDTIMEO the
/// program sets on the descriptor bounds each system call only — a peer sending a byte now
/// and then keeps the operation going — and its expiry fails with errc::timed_out.
template <class T>
concept native_socket = std::movable<T> && requires(T& s) {
  { s.native_handle() } -> std::same_as<int>;
};

/// byte_stream: a bidirectional stream of bytes TLS can run over: either a native_socket,
/// or any type with `read_some` and `write_some` over spans that report failure in a
/// std::error_code (would-block as errc::operation_would_block, which TLS reports as
/// want_read/want_write; errc::timed_out, which it reports as a timeout; a read of 0 bytes
/// is the end of the stream). Pipes, in-memory test doubles and user event loops fit.
/// A type with a `timeout()` has no more calls made once an operation's timeout passed
/// (each call must bound its own wait).
///
/// Exceptions: read_some and write_some may throw. TLS catches the exception (it must not
/// cross the backend's C code), fails the operation, and then the throwing overloads of
/// stream rethrow that very exception, while the std::error_code overloads report its
/// code — the exception's code() for a std::system_error, errc::io_error for anything
/// else. The connection is unusable afterwards (part of a record may have gone out):
/// close it.
///
/// Example (a type that is not a descriptor):
///   struct my_stream {
///     std::size_t read_some(std::span<std::byte> b, std::error_code& ec);
///     std::size_t write_some(std::span<const std::byte> b, std::error_code& ec);
///   };
template <class T>
concept byte_stream = native_socket<T> ||
                      (std::movable<T> && requires(T& s, std::span<std::byte> in, std::span<const std::byte> out,
                                                   std::error_code& ec) {
                        { s.read_some(in, ec) } -> std::convertible_to<std::size_t>;
                        { s.write_some(out, ec) } -> std::convertible_to<std::size_t>;
                      });

/// shutdown_mode: what stream::shutdown waits for.
enum class shutdown_mode {
  send,           ///< send close_notify and return (the peer's read then ends); the default
  wait_for_peer,  ///< send close_notify, then read until the peer's close_notify arrives
};

/// early_data_bytes: the bytes of wrap_options::early_data, owned: made from text (a
/// literal, a std::string, a std::string_view) or from bytes (a std::vector<std::byte>, a
/// std::span<const std::byte>). Empty by default. (Not a std::string: an empty one points
/// into itself, which GCC 12 does not survive in a coroutine's default argument.)
class early_data_bytes {
 public:
  early_data_bytes() = default;
  /// early_data_bytes: the bytes of `text`.
  template <class T>
    requires std::convertible_to<const T&, std::string_view>
  early_data_bytes(const T& text) {  // NOLINT: implicit, so that `.early_data = "GET / ..."` reads naturally
    const std::string_view v = text;
    const auto* p = reinterpret_cast<const std::byte*>(v.data());
    bytes_.assign(p, p + v.size());
  }
  /// early_data_bytes: these bytes.
  early_data_bytes(std::vector<std::byte> bytes) noexcept : bytes_(std::move(bytes)) {}
  /// early_data_bytes: a copy of these bytes.
  early_data_bytes(std::span<const std::byte> bytes) : bytes_(bytes.begin(), bytes.end()) {}

  /// empty: whether there are none.
  bool empty() const noexcept { return bytes_.empty(); }
  /// size: how many bytes.
  std::size_t size() const noexcept { return bytes_.size(); }
  /// bytes: the bytes.
  std::span<const std::byte> bytes() const noexcept { return bytes_; }
  /// text: the bytes as a std::string_view (they need not be text).
  std::string_view text() const noexcept {
    return {reinterpret_cast<const char*>(bytes_.data()), bytes_.size()};
  }

 private:
  std::vector<std::byte> bytes_;
};

/// wrap_options: how wrap_socket (and wrap_bio) sets a connection up (Python's keyword
/// arguments). wrap_bio uses `session`, `session_cache`, `early_data` and
/// `ech_config_list`: an ssl_object never handshakes on its own and always reports a
/// ragged EOF, as Python's SSLObject.
struct wrap_options {
  /// do_handshake_on_connect: handshake inside wrap_socket, as Python does. On a socket in
  /// non-blocking mode it must be false (wrap_socket throws std::invalid_argument otherwise,
  /// as Python raises ValueError): call do_handshake() when the socket is ready instead.
  bool do_handshake_on_connect = true;
  /// suppress_ragged_eofs: a transport closed without close_notify reads as the end of the
  /// stream (0 bytes); when false, read throws eof_error ("EOF occurred in violation of
  /// protocol"). WARNING: with it on, an attacker who can close the TCP connection can
  /// truncate the data undetected: protocols without their own length framing should turn
  /// it off (Python's default is on, and so is sslpp's).
  bool suppress_ragged_eofs = true;
  sslpp::session session = {};          ///< a session to resume (client), or empty
  /// session_cache: a client's cache (see sslpp::session_cache) to offer a session from
  /// when `session` is empty, and to store the sessions the server sends; it must outlive
  /// the connection. Null: none. A server wrap given one throws std::invalid_argument.
  sslpp::session_cache* session_cache = nullptr;
  /// early_data: bytes a client sends as TLS 1.3 0-RTT early data, in its first flight,
  /// when the session it resumes (`session`, or one from `session_cache`) allows it;
  /// empty: none. Exactly once either way: when it cannot go early (no session, a session
  /// without early data, a server that refuses it), the wrap sends the same bytes as
  /// ordinary data right after the handshake, and early_data_accepted() says which
  /// happened. The handshake (do_handshake, or the first read or write) sends them; a
  /// write never adds to them. A server wrap given some throws std::invalid_argument.
  ///
  /// WARNING: early data can be replayed by anyone who recorded it (RFC 8446 §8): send
  /// only what is harmless to act on twice (an idempotent request). A server answering
  /// TLS 1.2 to a 0-RTT offer fails the handshake with WRONG_VERSION_ON_EARLY_DATA
  /// (RFC 8446 Appendix D.3): connect again without early data.
  early_data_bytes early_data = {};
  /// ech_config_list: a client's Encrypted Client Hello (ECH) offer: the server's
  /// ECHConfigList (its DNS HTTPS record's "ech" value, sslpp::ech_keys::config_list(), or
  /// an ech_rejected_error's retry_configs()). The real ClientHello — the server name
  /// above all — then goes encrypted to the server, and observers see only the config's
  /// public name; stream::ech_accepted() says whether the server took it, and a server
  /// that did not ends the handshake with sslpp::ech_rejected_error. Empty: no ECH.
  /// The wrap throws std::invalid_argument, naming what is wrong, for a list that is
  /// malformed or holds no config this backend can use (rather than connect without ECH
  /// and show the name), on a client that does not verify the server (retry configs
  /// would be unauthenticated) or that is limited to TLS 1.2, and on a server wrap.
  std::vector<std::byte> ech_config_list = {};
};

namespace detail {
/// kept_options: what a connection keeps of its wrap_options after the wrap. The rest (the
/// session to offer, the cache, the ECH config list) is handed to the backend at the
/// wrap, so an idle connection does not carry it.
struct kept_options {
  bool do_handshake_on_connect = true;
  bool suppress_ragged_eofs = true;
  explicit kept_options(const wrap_options& o) noexcept
      : do_handshake_on_connect(o.do_handshake_on_connect), suppress_ragged_eofs(o.suppress_ragged_eofs) {}
};
}  // namespace detail

/// stream: a TLS connection over a `Socket` it owns (Python's SSLSocket). Made by a
/// context's `wrap_socket`; move-only.
///
/// Reads return 0 at the end of the stream (the peer's close_notify, or, with
/// `suppress_ragged_eofs`, a bare TCP close).
///
/// Blocking and non-blocking: on a blocking socket each operation completes or fails.
/// Timeouts: over a socket type with a `timeout()` (tcp_socket::set_timeout), each
/// operation — do_handshake (and the wrap's handshake), read, write, shutdown, unwrap —
/// must finish within that time from its start, as in Python: a peer trickling bytes
/// cannot stretch it, and a signal interrupting the wait resumes it for the time left.
/// Then it throws syscall_error with errc::timed_out ("The read operation timed out"); a
/// write or sendall that timed out may have sent part of the data. The timeout is read
/// when each operation starts. On a blocking socket sendall is one write, so the timeout
/// bounds all of it, as Python's sendall.
/// Over a native socket without `timeout()` (asio's), only an SO_RCVTIMEO/SO_SNDTIMEO set
/// on the descriptor applies, per system call. On a non-blocking
/// socket an operation that cannot finish throws want_read_error / want_write_error (or
/// reports ssl_errc::want_read / want_write): poll the socket for that and call the same
/// operation again — a write again with the same bytes. Every operation that can fail for reasons
/// outside the program throws an `ssl_error` subclass, or has an overload that reports
/// the failure in a `std::error_code&` and never throws.
///
/// After close(), unwrap() or a move the stream holds no connection: every member then
/// throws std::logic_error ("...it was closed, unwrapped or moved from"), the error_code
/// overloads report errc::not_connected, and native_handle() returns nullptr.
///
/// Compiled mode (CMake's sslpp::sslpp_compiled): stream<tcp_socket> is compiled once in
/// the library; a stream over any other byte stream (an asio socket, your own type) is
/// compiled in your program from this header, as in the header-only mode: nothing more to
/// include or link.
///
/// Thread Safety: one thread at a time per stream (a read on one thread and a write on
/// another at once is not safe: both advance the same TLS state); streams of one context may run in
/// parallel on different threads.
///
/// Example:
///   auto ctx = sslpp::create_default_context();
///   auto tls = ctx.wrap_socket(sslpp::tcp_socket::connect("example.org", 443), "example.org");
///   tls.sendall("GET / HTTP/1.0\r\nHost: example.org\r\n\r\n");
///   std::string reply = tls.read(4096);
template <class Socket>
class stream : public detail::connection_queries<stream<Socket>>, public detail::text_io<stream<Socket>> {
  static_assert(byte_stream<Socket>,
                "sslpp::stream<Socket>: Socket must model sslpp::byte_stream (read_some/write_some over "
                "std::span<std::byte> with a std::error_code&, or an int native_handle()), e.g. sslpp::tcp_socket");

 public:
  using detail::text_io<stream>::read;
  using detail::text_io<stream>::write;

  stream(stream&&) noexcept;
  stream& operator=(stream&&) noexcept;
  ~stream();

  /// do_handshake: runs the TLS handshake (done by wrap_socket unless
  /// do_handshake_on_connect is false). Throws cert_verification_error when the peer's
  /// certificate fails verification, ssl_error for other failures.
  void do_handshake();
  /// do_handshake: as above; reports failure in `ec`.
  void do_handshake(std::error_code& ec) noexcept;

  /// read: reads up to `buffer.size()` decrypted bytes; returns 0 at the end of the stream.
  std::size_t read(std::span<std::byte> buffer);
  /// read: as above; reports failure in `ec`.
  std::size_t read(std::span<std::byte> buffer, std::error_code& ec) noexcept;
  /// write: encrypts and sends `data`; returns the number of bytes written: all of them
  /// on a blocking socket, however many (above INT_MAX bytes too, as Python's
  /// SSLSocket.write). On a non-blocking socket it either throws want_write_error (retry
  /// with the same bytes) or, for data above INT_MAX bytes, may return a multiple of
  /// INT_MAX written so far (continue with the rest).
  std::size_t write(std::span<const std::byte> data);
  /// write: as above; reports failure in `ec`.
  std::size_t write(std::span<const std::byte> data, std::error_code& ec) noexcept;
  /// recv: Python's name for read.
  std::size_t recv(std::span<std::byte> buffer) { return read(buffer); }
  /// recv: Python's name for read.
  std::string recv(std::size_t max) { return read(max); }
  /// send: Python's name for write.
  std::size_t send(std::span<const std::byte> data) { return write(data); }
  /// send: Python's name for write.
  std::size_t send(std::string_view text) { return write(text); }

  /// sendall: writes all of `data`, however many writes it takes. On a non-blocking
  /// socket use write() instead: a want_write_error thrown here leaves unsaid how much of
  /// `data` went out.
  void sendall(std::span<const std::byte> data);
  /// sendall: as above; reports failure in `ec` (the bytes before it were sent).
  void sendall(std::span<const std::byte> data, std::error_code& ec) noexcept;
  /// sendall: writes all of `text`.
  void sendall(std::string_view text) { sendall(std::as_bytes(std::span(text.data(), text.size()))); }
  /// sendall: as above; reports failure in `ec` (the bytes before it were sent).
  void sendall(std::string_view text, std::error_code& ec) noexcept {
    sendall(std::as_bytes(std::span(text.data(), text.size())), ec);
  }

  /// shutdown: sends close_notify (the peer's read then returns end of stream) and, with
  /// shutdown_mode::wait_for_peer, reads until the peer's close_notify arrives (application
  /// data arriving first is an ssl_error, as in Python's unwrap; a bare TCP close is an
  /// eof_error). On a non-blocking socket it may throw want_read_error/want_write_error:
  /// call it again. The socket stays open; it is closed with the stream.
  void shutdown(shutdown_mode mode = shutdown_mode::send);
  /// shutdown: as above; reports failure in `ec`.
  void shutdown(shutdown_mode mode, std::error_code& ec) noexcept;
  /// shutdown: sends close_notify; reports failure in `ec`.
  void shutdown(std::error_code& ec) noexcept { shutdown(shutdown_mode::send, ec); }

  /// unwrap: ends TLS — sends close_notify, waits for the peer's — and gives back the
  /// plain socket (STARTTLS-style protocols continue in clear text on it). The stream is
  /// empty afterwards. On failure (or want_read/want_write on a non-blocking socket) it
  /// throws and the stream keeps the socket, so unwrap can be called again.
  Socket unwrap();
  /// unwrap: as above; reports failure in `ec` and returns nullopt (the stream keeps the socket).
  std::optional<Socket> unwrap(std::error_code& ec) noexcept(std::is_nothrow_move_constructible_v<Socket>);

  /// close: ends the connection now, as Python's SSLSocket.close(): no close_notify is
  /// sent or awaited (call shutdown() first for a clean end; the peer's read then sees a
  /// bare TCP close), and the socket is destroyed (which closes a tcp_socket or an asio
  /// socket; see tcp_socket::close). The stream is empty afterwards, as after
  /// unwrap(): every member throws std::logic_error, the error_code overloads report
  /// errc::not_connected. Calling it again does nothing.
  void close() noexcept;

  /// is_open: whether the stream holds a connection (false after close(), unwrap() or a move).
  bool is_open() const noexcept { return static_cast<bool>(state_); }

  /// peer_address: the peer's address and port, from the socket (Python's getpeername());
  /// there when `Socket` has a `peer_address()`, as sslpp::tcp_socket does. Throws what the
  /// socket's throws, or std::logic_error once the stream is empty.
  auto peer_address() const
    requires requires(const Socket& s) { s.peer_address(); }
  {
    return state().socket.peer_address();
  }
  /// peer_address: as above; reports failure in `ec` (errc::not_connected once the stream is empty).
  template <class S = Socket>
    requires requires(const S& s, std::error_code& ec) { s.peer_address(ec); }
  auto peer_address(std::error_code& ec) const noexcept {
    if (emptied(ec)) return decltype(std::declval<const S&>().peer_address(ec)){};
    return state_.get()->socket.peer_address(ec);
  }
  /// local_address: this end's address and port, from the socket (Python's getsockname());
  /// there when `Socket` has a `local_address()`, as sslpp::tcp_socket does.
  auto local_address() const
    requires requires(const Socket& s) { s.local_address(); }
  {
    return state().socket.local_address();
  }
  /// local_address: as above; reports failure in `ec` (errc::not_connected once the stream is empty).
  template <class S = Socket>
    requires requires(const S& s, std::error_code& ec) { s.local_address(ec); }
  auto local_address(std::error_code& ec) const noexcept {
    if (emptied(ec)) return decltype(std::declval<const S&>().local_address(ec)){};
    return state_.get()->socket.local_address(ec);
  }

  // getpeercert, getpeercert_der, get_unverified_chain, get_verified_chain, cipher,
  // version, session, session_reused, selected_alpn_protocol, shared_ciphers, group,
  // get_channel_binding, pending, server_side, server_hostname and native_handle come
  // from detail::connection_queries (shared with ssl_object).

  /// context: the context this connection was made with (Python's SSLSocket.context), as a
  /// `context<side::any>` sharing it: a stream's type does not carry its side, so both
  /// sides' members are there (server_side() says which this end is). Settings changed
  /// through it apply to later connections, as with any copy of the context. After an SNI
  /// callback's use_context(other) the connection presents `other`'s certificate, but this
  /// still returns the context it was made with. Defined in context.hpp.
  sslpp::context<side::any> context() const;

  /// socket: the underlying socket (for polling its descriptor, say). Reading or writing
  /// it directly corrupts the TLS stream. Closing it (rather than the stream) leaves the
  /// stream unusable: its I/O then fails with errc::bad_file_descriptor (syscall_error),
  /// never touching a descriptor that reused the number.
  Socket& socket() { return state_->socket; }

 private:
  template <side>
  friend class context;
  friend class detail::connection_queries<stream>;

  struct state_t {
    Socket socket;
    detail::engine engine;
    detail::kept_options options;
    int fd = -1;  // the descriptor TLS runs over (a native socket's), to tell when it was closed beneath
    state_t(Socket s, std::shared_ptr<detail::context_impl> ctx, bool server, const wrap_options& o)
        : socket(std::move(s)), engine(std::move(ctx), server), options(o) {}
  };

  // The wrap: sets the connection up and, when `handshake_now` and do_handshake_on_connect
  // are set, handshakes (open() passes false and handshakes without throwing).
  stream(Socket sock, std::shared_ptr<detail::context_impl> ctx, bool server, const hostname* host, wrap_options opts,
         bool handshake_now = true);

  // handshake_on_connect: the handshake a wrap makes. One that cannot finish inside the
  // wrap would lose the connection: it is refused up front for a non-blocking descriptor
  // (Python's ValueError), and when a byte stream reports would-block; `f` then says
  // want_read/want_write (blocked(f)), which the wrap reports as an invalid argument.
  bool handshake_on_connect(detail::failure& f);
  static bool blocked(const detail::failure& f) noexcept {
    return f.what == detail::failure::kind::want_read || f.what == detail::failure::kind::want_write;
  }

  // open: the error_code form of a wrap (context::wrap_socket(..., ec)). Setting up can only
  // fail on misuse or a backend out of resources, and goes through detail::capture_error;
  // the handshake, which fails for reasons outside the program, reports its failure without
  // any exception (the engine's detail::failure). The socket is closed on failure.
  static std::optional<stream> open(Socket sock, std::shared_ptr<detail::context_impl> ctx, bool server,
                                    const hostname* host, wrap_options opts, std::error_code& ec);

  Socket release_socket();

  // state: the connection; throws std::logic_error once the stream was unwrapped or moved from.
  state_t& state() { return *state_; }
  const state_t& state() const { return *state_; }
  const detail::engine& checked_engine() const { return state_->engine; }
  const detail::engine* engine_or_null() const noexcept { return state_ ? &state_.get()->engine : nullptr; }
  // socket_gone: whether the socket was closed beneath the stream (through socket()), or its
  // descriptor otherwise changed. TLS must not go on over that number: another open() may
  // have reused it, and this connection's records would go to (and its reads take bytes
  // from) someone else's connection.
  bool socket_gone() noexcept {
    if constexpr (native_socket<Socket>) return static_cast<int>(state_->socket.native_handle()) != state_->fd;
    else return false;
  }
  static detail::failure gone_failure();
  // live: the engine, for an operation that does I/O; throws std::logic_error once the
  // stream is empty, syscall_error (errc::bad_file_descriptor) once its socket was closed.
  detail::engine& live();
  // unusable: as live(), for the error_code forms: whether `ec` now says why not.
  bool unusable(std::error_code& ec) noexcept;
  // emptied: whether the stream was unwrapped or moved from; then `ec` says so.
  bool emptied(std::error_code& ec) const noexcept {
    if (state_) [[likely]] {
      ec.clear();
      return false;
    }
    ec = detail::emptied_error();
    return true;
  }

  detail::emptiable_ptr<state_t, detail::stream_emptied> state_;
};

SSLPP_END_NAMESPACE

// The common instantiation, stream<tcp_socket>, is compiled once into the sslpp_compiled
// library (impl/stream.ipp); a compiled-mode program instantiates stream over any other
// byte stream itself, from the member definitions stream.hpp always brings in.
#if !SSLPP_WITH_DEFINITIONS
SSLPP_BEGIN_NAMESPACE
extern template class stream<tcp_socket>;
SSLPP_END_NAMESPACE
#endif

#include <sslpp/impl/stream.ipp>
