// sslpp — SPDX-License-Identifier: MIT
//
// socket.hpp: sslpp::tcp_socket and sslpp::tcp_listener, RAII over POSIX TCP sockets,
// so that a TLS client or server needs no other networking library.
#pragma once

#include <sslpp/config.hpp>
#include <sslpp/socket_address.hpp>

#include <sys/socket.h>  // SOMAXCONN, sockaddr_storage, socklen_t
#include <unistd.h>      // close

#include <sslpp/detail/chrono.hpp>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <system_error>
#include <utility>

SSLPP_BEGIN_NAMESPACE

namespace detail {

/// unique_fd: owns a file descriptor; closes it once.
class unique_fd {
 public:
  unique_fd() noexcept = default;
  explicit unique_fd(int fd) noexcept : fd_(fd) {}
  unique_fd(unique_fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  unique_fd& operator=(unique_fd&& other) noexcept {
    if (this != &other) reset(std::exchange(other.fd_, -1));
    return *this;
  }
  ~unique_fd() { reset(); }
  int get() const noexcept { return fd_; }
  int release() noexcept { return std::exchange(fd_, -1); }
  void reset(int fd = -1) noexcept {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }

 private:
  int fd_ = -1;
};

}  // namespace detail

/// tcp_socket: a connected TCP socket (IPv4 or IPv6) that it owns and closes.
///
/// It models `byte_stream` and exposes `native_handle()`, so `stream<tcp_socket>` runs
/// TLS straight on the descriptor with no copy in between. Move-only.
///
/// Thread Safety: distinct objects are independent; one object is not for concurrent use.
///
/// Example:
///   auto sock = sslpp::tcp_socket::connect("example.org", 443, std::chrono::seconds(5));
class tcp_socket {
 public:
  /// Makes a socket that holds no descriptor.
  tcp_socket() noexcept = default;
  /// Takes ownership of an open, connected descriptor (from accept, socketpair, an event loop).
  explicit tcp_socket(int fd) noexcept : fd_(fd) {}

  tcp_socket(tcp_socket&&) noexcept = default;
  tcp_socket& operator=(tcp_socket&&) noexcept = default;

  /// connect: resolves `host` and connects to the first address that answers, within `timeout`
  /// per address (zero: the system's own). Throws std::system_error naming host and port.
  static tcp_socket connect(std::string_view host, std::uint16_t port, std::chrono::milliseconds timeout = {});

  /// connect: as above, with no timeout of its own; reports failure in `ec` instead of
  /// throwing (errc::connection_refused, errc::timed_out, or a getaddrinfo-category code
  /// such as EAI_NONAME for a name that does not resolve) and returns an empty socket.
  static tcp_socket connect(std::string_view host, std::uint16_t port, std::error_code& ec) noexcept;

  /// connect: as above, within `timeout` per address; reports failure in `ec`.
  static tcp_socket connect(std::string_view host, std::uint16_t port, std::chrono::milliseconds timeout,
                            std::error_code& ec) noexcept;

  /// native_handle: the descriptor, still owned by this socket (-1 when empty).
  int native_handle() const noexcept { return fd_.get(); }
  /// is_open: whether the socket holds a descriptor.
  bool is_open() const noexcept { return fd_.get() >= 0; }
  /// release: gives the descriptor back to the caller without closing it.
  int release() noexcept;

  /// known_stream_socket: whether this object made the descriptor itself (connect,
  /// accept), so that it is known to be a TCP stream socket without asking the kernel.
  bool known_stream_socket() const noexcept { return made_here_ && fd_.get() >= 0; }
  /// known_nonblocking: whether the descriptor is in non-blocking mode, as far as this
  /// object knows without asking the kernel: from connect or accept (blocking) and
  /// set_blocking; nullopt for an adopted descriptor. A mode changed on native_handle()
  /// behind this object's back is not seen (as with Python's socket objects).
  std::optional<bool> known_nonblocking() const noexcept;
  /// close: closes the connection now (Python's socket.close()); the destructor does it
  /// otherwise. Calling it again does nothing. Afterwards reads and writes fail with
  /// errc::bad_file_descriptor (Python's "[Errno 9] Bad file descriptor"), and is_open()
  /// is false.
  void close() noexcept;

  /// peer_address: the address and port of the other end (Python's getpeername()).
  /// Throws std::system_error: errc::not_connected when it is not connected,
  /// errc::bad_file_descriptor when closed, errc::address_family_not_supported for a
  /// descriptor that is not IPv4 or IPv6 (an adopted socketpair, say).
  socket_address peer_address() const;
  /// peer_address: as above; reports failure in `ec` (and returns an empty address).
  socket_address peer_address(std::error_code& ec) const noexcept;
  /// local_address: the address and port of this end (Python's getsockname()); fails as peer_address.
  socket_address local_address() const;
  /// local_address: as above; reports failure in `ec` (and returns an empty address).
  socket_address local_address(std::error_code& ec) const noexcept;

  /// set_timeout: limits each later operation to `timeout` from its start, as Python's
  /// settimeout: read_some and write_some here, and each TLS operation of a stream over this
  /// socket (handshake, read, write, shutdown, unwrap: a peer trickling bytes, or signals
  /// interrupting the wait, do not stretch it); zero removes the limit. A timed-out
  /// operation fails with errc::timed_out. The limit applies in blocking mode only: in
  /// non-blocking mode an operation that cannot proceed fails at once with
  /// errc::operation_would_block (EAGAIN), never timed_out. It also sets SO_RCVTIMEO and
  /// SO_SNDTIMEO on the descriptor, for code that uses native_handle() directly; those
  /// bound each system call only. Throws std::invalid_argument for a negative timeout.
  void set_timeout(std::chrono::milliseconds timeout);
  /// timeout: the limit set by set_timeout (zero: none).
  std::chrono::milliseconds timeout() const noexcept { return timeout_; }

  /// set_blocking: switches the descriptor between blocking and non-blocking mode.
  void set_blocking(bool blocking);

  /// read_some: reads at least one byte, up to `buffer.size()`; 0 at the end of the stream.
  std::size_t read_some(std::span<std::byte> buffer, std::error_code& ec) noexcept;
  /// read_some: as above; throws std::system_error on failure.
  std::size_t read_some(std::span<std::byte> buffer);
  /// write_some: writes at least one byte, up to `buffer.size()`.
  std::size_t write_some(std::span<const std::byte> buffer, std::error_code& ec) noexcept;
  /// write_some: as above; throws std::system_error on failure.
  std::size_t write_some(std::span<const std::byte> buffer);

  /// shutdown_write: half-closes the connection (the peer reads end of stream).
  void shutdown_write() noexcept;

 private:
  // transfer: read_some/write_some under a timeout.
  std::size_t transfer(bool reading, std::byte* data, std::size_t size, std::error_code& ec) const noexcept;

  detail::unique_fd fd_;
  friend class tcp_listener;  // accept marks what it made
  bool made_here_ = false;             // made by connect or accept: a blocking TCP stream socket
  std::optional<bool> nonblocking_;    // the mode set_blocking chose
  std::chrono::milliseconds timeout_{0};
};


/// accepted_socket: a connection tcp_listener::accept_with_address() accepted and the
/// peer's address — Python's `conn, address = sock.accept()`, with structured bindings:
///   auto [conn, address] = listener.accept_with_address();
struct accepted_socket {
  tcp_socket socket;       ///< the connection
  socket_address address;  ///< the peer's address (as conn.peer_address() would give it)
};

namespace detail {
struct listener_state;
}  // namespace detail

/// tcp_listener: a listening TCP socket that accepts `tcp_socket`s. Move-only.
///
/// Thread Safety: one thread at a time, with one exception: close() may be called from any
/// thread while others wait in accept(); they then return errc::operation_canceled.
///
/// Example:
///   auto listener = sslpp::tcp_listener::listen("127.0.0.1", 0);
///   std::uint16_t port = listener.port();
///   sslpp::tcp_socket client = listener.accept();
class tcp_listener {
 public:
  /// Makes a listener that holds no socket (accept fails with errc::bad_file_descriptor).
  tcp_listener() noexcept;
  tcp_listener(tcp_listener&&) noexcept;
  tcp_listener& operator=(tcp_listener&&) noexcept;
  /// Closes the listening socket (once no accept() waits on it any more).
  ~tcp_listener();

  /// listen: binds `host:port` (port 0: any free port; host "" or "::": every interface)
  /// and listens. Throws std::system_error naming the address (errc::address_in_use when
  /// the port is taken, a getaddrinfo-category code for a name that does not resolve).
  static tcp_listener listen(std::string_view host, std::uint16_t port, int backlog = SOMAXCONN);

  /// listen: as above, with the system's largest backlog; reports failure in `ec` (and
  /// returns an empty listener) instead of throwing.
  static tcp_listener listen(std::string_view host, std::uint16_t port, std::error_code& ec) noexcept;

  /// listen: as above, with `backlog`; reports failure in `ec`.
  static tcp_listener listen(std::string_view host, std::uint16_t port, int backlog, std::error_code& ec) noexcept;

  /// port: the local port, useful after listening on port 0.
  std::uint16_t port() const;

  /// local_address: the address and port it listens on (Python's getsockname()). Throws
  /// std::system_error (errc::bad_file_descriptor once closed).
  socket_address local_address() const;
  /// local_address: as above; reports failure in `ec`.
  socket_address local_address(std::error_code& ec) const noexcept;

  /// accept: waits for the next connection (at most `timeout` in all, signals included;
  /// zero: forever). Throws std::system_error: errc::timed_out when none came in time,
  /// errc::operation_canceled when close() was called (from another thread) while it
  /// waited, errc::bad_file_descriptor when the listener is closed. On a listening
  /// descriptor put in non-blocking mode (fcntl on native_handle(), for an event loop) it
  /// does not wait: errc::operation_would_block when no connection is there.
  tcp_socket accept(std::chrono::milliseconds timeout = {});
  /// accept: as above, waiting as long as it takes; reports failure in `ec` (and returns
  /// an empty socket) instead of throwing.
  tcp_socket accept(std::error_code& ec) noexcept;
  /// accept: as above, within `timeout`; reports failure in `ec`.
  tcp_socket accept(std::chrono::milliseconds timeout, std::error_code& ec) noexcept;

  /// accept_with_address: accept(), also giving the peer's address (Python's
  /// `conn, address = sock.accept()`); fails as accept().
  accepted_socket accept_with_address(std::chrono::milliseconds timeout = {});
  /// accept_with_address: as above, waiting as long as it takes; reports failure in `ec`.
  accepted_socket accept_with_address(std::error_code& ec) noexcept;
  /// accept_with_address: as above, within `timeout`; reports failure in `ec`.
  accepted_socket accept_with_address(std::chrono::milliseconds timeout, std::error_code& ec) noexcept;

  /// native_handle: the listening descriptor (-1 when empty or closed).
  int native_handle() const noexcept;

  /// close: stops listening now (Python's socket.close()); calling it again does nothing.
  /// It may be called from another thread while accept() waits: that accept then returns
  /// errc::operation_canceled (the descriptor is closed once it has). Later accepts fail
  /// with errc::bad_file_descriptor.
  void close() noexcept;

 private:
  // adopt: a tcp_socket for a descriptor accept4 made (TCP_NODELAY, known blocking stream socket).
  static tcp_socket adopt(int fd) noexcept;
  // accept_fd: registers as an accept in progress (so that close() from another thread
  // wakes it instead of closing the descriptor under it), waits, accepts.
  int accept_fd(std::chrono::milliseconds timeout, ::sockaddr_storage* ss, socklen_t* len,
                std::error_code& ec) noexcept;

  std::unique_ptr<detail::listener_state> state_;
};

SSLPP_END_NAMESPACE

#if SSLPP_WITH_DEFINITIONS
#include <sslpp/impl/socket.ipp>
#endif
