// sslpp — SPDX-License-Identifier: MIT
//
// socket.hpp: sslpp::tcp_socket and sslpp::tcp_listener, RAII over POSIX TCP sockets,
// so that a TLS client or server needs no other networking library.
#pragma once

#include <sslpp/config.hpp>
#include <sslpp/detail/deadline.hpp>
#include <sslpp/detail/text.hpp>
#include <sslpp/socket_address.hpp>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <optional>
#include <string>
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

/// endpoint_text: "host:port", or "[v6]:port", for messages.
inline std::string endpoint_text(std::string_view host, std::uint16_t port) {
  const bool v6 = host.find(':') != std::string_view::npos;
  return (v6 ? "[" : "") + std::string(host) + (v6 ? "]:" : ":") + std::to_string(port);
}

/// is_localhost_name: "localhost" or a name under ".localhost" (RFC 6761 §6.3), in any case,
/// with or without one trailing dot.
inline bool is_localhost_name(std::string_view host) noexcept {
  if (!host.empty() && host.back() == '.') host.remove_suffix(1);
  constexpr std::string_view name = "localhost";
  if (host.size() < name.size()) return false;
  const std::string_view tail = host.substr(host.size() - name.size());
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = tail[i];
    if (detail::ascii_lower(c) != name[i]) return false;
  }
  return host.size() == name.size() || host[host.size() - name.size() - 1] == '.';
}

/// resolve: getaddrinfo for `host` (brackets around an IPv6 address removed). Localhost
/// names always mean the loopback addresses, as RFC 6761 asks of resolvers, so they work
/// even on a machine whose /etc/hosts does not list them.
inline int resolve(std::string_view host, std::uint16_t port, int flags, ::addrinfo** out) noexcept {
  std::string h(host);
  if (h.size() > 2 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
  ::addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = flags;
  const std::string service = std::to_string(port);
  if (is_localhost_name(h)) {
    hints.ai_flags &= ~AI_PASSIVE;  // a null node without AI_PASSIVE: the loopback addresses
    return ::getaddrinfo(nullptr, service.c_str(), &hints, out);
  }
  return ::getaddrinfo(h.empty() ? nullptr : h.c_str(), service.c_str(), &hints, out);
}

/// gai_category: getaddrinfo's EAI_* codes, with gai_strerror's words.
class gai_category_impl final : public std::error_category {
 public:
  const char* name() const noexcept override { return "getaddrinfo"; }
  std::string message(int value) const override { return ::gai_strerror(value); }
};
inline const std::error_category& gai_category() noexcept {
  static const gai_category_impl instance;
  return instance;
}

/// resolved: the result of getaddrinfo, freed once.
struct addrinfo_list {
  ::addrinfo* head = nullptr;
  addrinfo_list() = default;
  addrinfo_list(const addrinfo_list&) = delete;
  addrinfo_list& operator=(const addrinfo_list&) = delete;
  ~addrinfo_list() {
    if (head) ::freeaddrinfo(head);
  }
};

/// first_socket: resolves `host` and, address by address, makes a stream socket and hands
/// it to `use(fd, address)`, which returns 0 to keep it or the errno of its failure. The
/// first socket kept; an empty one with the failure in `ec` (the resolver's, or the last
/// address's) when none was.
template <class Use>
unique_fd first_socket(std::string_view host, std::uint16_t port, int flags, std::error_code& ec, Use&& use) noexcept {
  ec.clear();
  addrinfo_list list;
  if (const int rc = resolve(host, port, flags, &list.head); rc != 0) {
    ec = rc == EAI_SYSTEM ? std::error_code(errno, std::generic_category()) : std::error_code(rc, gai_category());
    return unique_fd();
  }
  for (::addrinfo* ai = list.head; ai; ai = ai->ai_next) {
    unique_fd fd(::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol));
    if (fd.get() < 0) {
      ec = std::error_code(errno, std::generic_category());
      continue;
    }
    if (const int err = use(fd.get(), *ai); err != 0) {
      ec = std::error_code(err, std::generic_category());
      continue;
    }
    ec.clear();
    return fd;
  }
  return unique_fd();
}

/// to_socket_address: a socket_address from what getpeername/getsockname/accept wrote
/// (numeric host, an IPv6 scope as "%name"). False, with `ec` set to
/// errc::address_family_not_supported, for anything but IPv4 and IPv6.
inline bool to_socket_address(const ::sockaddr_storage& ss, socklen_t len, socket_address& out,
                              std::error_code& ec) noexcept {
  if (ss.ss_family != AF_INET && ss.ss_family != AF_INET6) {
    ec = std::make_error_code(std::errc::address_family_not_supported);
    return false;
  }
  char host[NI_MAXHOST];
  if (const int rc = ::getnameinfo(reinterpret_cast<const ::sockaddr*>(&ss), len, host, sizeof host, nullptr, 0,
                                   NI_NUMERICHOST);
      rc != 0) {
    ec = rc == EAI_SYSTEM ? std::error_code(errno, std::generic_category()) : std::error_code(rc, gai_category());
    return false;
  }
  out.host = host;
  out.port = ntohs(ss.ss_family == AF_INET6 ? reinterpret_cast<const ::sockaddr_in6*>(&ss)->sin6_port
                                            : reinterpret_cast<const ::sockaddr_in*>(&ss)->sin_port);
  ec.clear();
  return true;
}

/// fd_address: getpeername (`peer`) or getsockname of `fd` as a socket_address; `ec` on failure
/// (bad_file_descriptor for a closed socket, not_connected, address_family_not_supported).
inline socket_address fd_address(int fd, bool peer, std::error_code& ec) noexcept {
  socket_address out;
  if (fd < 0) {
    ec = std::make_error_code(std::errc::bad_file_descriptor);
    return out;
  }
  ::sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  const int rc = peer ? ::getpeername(fd, reinterpret_cast<::sockaddr*>(&ss), &len)
                      : ::getsockname(fd, reinterpret_cast<::sockaddr*>(&ss), &len);
  if (rc != 0) {
    ec = std::error_code(errno, std::generic_category());
    return out;
  }
  to_socket_address(ss, len, out, ec);
  return out;
}

/// throw_address_error: the exception of a failed peer_address()/local_address().
[[noreturn]] inline void throw_address_error(std::error_code ec, bool peer) {
  const char* what = peer ? "peer_address (getpeername) failed" : "local_address (getsockname) failed";
  if (ec == std::errc::bad_file_descriptor) throw std::system_error(ec, std::string(what) + ": the socket is closed");
  if (ec == std::errc::address_family_not_supported)
    throw std::system_error(ec, std::string(what) + ": the socket is not an IPv4 or IPv6 socket");
  throw std::system_error(ec, what);
}

/// wait_fd: poll()s `fd` for `events` for at most `timeout` from now (zero: forever),
/// signals included. Returns 0, or the errno (ETIMEDOUT).
inline int wait_fd(int fd, short events, std::chrono::milliseconds timeout) noexcept {
  return wait_fd_until(fd, events, deadline(timeout));
}

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
  static tcp_socket connect(std::string_view host, std::uint16_t port, std::chrono::milliseconds timeout = {}) {
    std::error_code ec;
    tcp_socket s = connect(host, port, timeout, ec);
    if (ec) throw std::system_error(ec, "cannot connect to " + detail::endpoint_text(host, port));
    return s;
  }

  /// connect: as above, with no timeout of its own; reports failure in `ec` instead of
  /// throwing (errc::connection_refused, errc::timed_out, or a getaddrinfo-category code
  /// such as EAI_NONAME for a name that does not resolve) and returns an empty socket.
  static tcp_socket connect(std::string_view host, std::uint16_t port, std::error_code& ec) noexcept {
    return connect(host, port, std::chrono::milliseconds{}, ec);
  }

  /// connect: as above, within `timeout` per address; reports failure in `ec`.
  static tcp_socket connect(std::string_view host, std::uint16_t port, std::chrono::milliseconds timeout,
                            std::error_code& ec) noexcept {
    detail::unique_fd fd = detail::first_socket(
        host, port, 0, ec, [&](int f, const ::addrinfo& ai) noexcept { return connect_fd(f, &ai, timeout); });
    if (fd.get() < 0) return {};
    const int one = 1;
    ::setsockopt(fd.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    tcp_socket s(fd.release());
    s.made_here_ = true;
    if (timeout.count() > 0) s.set_timeout(timeout);
    return s;
  }

  /// native_handle: the descriptor, still owned by this socket (-1 when empty).
  int native_handle() const noexcept { return fd_.get(); }
  /// is_open: whether the socket holds a descriptor.
  bool is_open() const noexcept { return fd_.get() >= 0; }
  /// release: gives the descriptor back to the caller without closing it.
  int release() noexcept {
    made_here_ = false;
    nonblocking_.reset();
    return fd_.release();
  }

  /// known_stream_socket: whether this object made the descriptor itself (connect,
  /// accept), so that it is known to be a TCP stream socket without asking the kernel.
  bool known_stream_socket() const noexcept { return made_here_ && fd_.get() >= 0; }
  /// known_nonblocking: whether the descriptor is in non-blocking mode, as far as this
  /// object knows without asking the kernel: from connect or accept (blocking) and
  /// set_blocking; nullopt for an adopted descriptor. A mode changed on native_handle()
  /// behind this object's back is not seen (as with Python's socket objects).
  std::optional<bool> known_nonblocking() const noexcept {
    if (nonblocking_) return nonblocking_;
    if (made_here_) return false;
    return std::nullopt;
  }
  /// close: closes the connection now (Python's socket.close()); the destructor does it
  /// otherwise. Calling it again does nothing. Afterwards reads and writes fail with
  /// errc::bad_file_descriptor (Python's "[Errno 9] Bad file descriptor"), and is_open()
  /// is false.
  void close() noexcept {
    fd_.reset();
    made_here_ = false;
    nonblocking_.reset();
  }

  /// peer_address: the address and port of the other end (Python's getpeername()).
  /// Throws std::system_error: errc::not_connected when it is not connected,
  /// errc::bad_file_descriptor when closed, errc::address_family_not_supported for a
  /// descriptor that is not IPv4 or IPv6 (an adopted socketpair, say).
  socket_address peer_address() const {
    std::error_code ec;
    socket_address a = peer_address(ec);
    if (ec) detail::throw_address_error(ec, true);
    return a;
  }
  /// peer_address: as above; reports failure in `ec` (and returns an empty address).
  socket_address peer_address(std::error_code& ec) const noexcept { return detail::fd_address(fd_.get(), true, ec); }
  /// local_address: the address and port of this end (Python's getsockname()); fails as peer_address.
  socket_address local_address() const {
    std::error_code ec;
    socket_address a = local_address(ec);
    if (ec) detail::throw_address_error(ec, false);
    return a;
  }
  /// local_address: as above; reports failure in `ec` (and returns an empty address).
  socket_address local_address(std::error_code& ec) const noexcept { return detail::fd_address(fd_.get(), false, ec); }

  /// set_timeout: limits each later operation to `timeout` from its start, as Python's
  /// settimeout: read_some and write_some here, and each TLS operation of a stream over this
  /// socket (handshake, read, write, shutdown, unwrap: a peer trickling bytes, or signals
  /// interrupting the wait, do not stretch it); zero removes the limit. A timed-out
  /// operation fails with errc::timed_out. The limit applies in blocking mode only: in
  /// non-blocking mode an operation that cannot proceed fails at once with
  /// errc::operation_would_block (EAGAIN), never timed_out. It also sets SO_RCVTIMEO and
  /// SO_SNDTIMEO on the descriptor, for code that uses native_handle() directly; those
  /// bound each system call only.
  void set_timeout(std::chrono::milliseconds timeout) {
    // Python's settimeout raises ValueError too: a negative time left must not mean "forever".
    if (timeout.count() < 0)
      throw std::invalid_argument("set_timeout: a timeout cannot be negative (" + std::to_string(timeout.count()) +
                                  " ms); zero removes the limit");
    timeout_ = timeout;
    ::timeval tv{};
    tv.tv_sec = static_cast<time_t>(timeout.count() / 1000);
    tv.tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000);
    if (::setsockopt(fd_.get(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) != 0 ||
        ::setsockopt(fd_.get(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv) != 0)
      throw std::system_error(errno, std::generic_category(), "cannot set the socket timeout");
  }
  /// timeout: the limit set by set_timeout (zero: none).
  std::chrono::milliseconds timeout() const noexcept { return timeout_; }

  /// set_blocking: switches the descriptor between blocking and non-blocking mode.
  void set_blocking(bool blocking) {
    const int flags = ::fcntl(fd_.get(), F_GETFL, 0);
    if (flags < 0 || ::fcntl(fd_.get(), F_SETFL, blocking ? (flags & ~O_NONBLOCK) : (flags | O_NONBLOCK)) != 0)
      throw std::system_error(errno, std::generic_category(), "cannot change the socket's blocking mode");
    nonblocking_ = !blocking;
  }

  /// read_some: reads at least one byte, up to `buffer.size()`; 0 at the end of the stream.
  std::size_t read_some(std::span<std::byte> buffer, std::error_code& ec) noexcept {
    if (timeout_.count() > 0) return transfer(true, buffer.data(), buffer.size(), ec);
    for (;;) {
      const ssize_t n = ::recv(fd_.get(), buffer.data(), buffer.size(), 0);
      if (n >= 0) {
        ec.clear();
        return static_cast<std::size_t>(n);
      }
      if (errno == EINTR) continue;
      ec = io_error(errno);
      return 0;
    }
  }
  /// read_some: as above; throws std::system_error on failure.
  std::size_t read_some(std::span<std::byte> buffer) {
    std::error_code ec;
    const std::size_t n = read_some(buffer, ec);
    if (ec) throw std::system_error(ec, "read from socket failed");
    return n;
  }
  /// write_some: writes at least one byte, up to `buffer.size()`.
  std::size_t write_some(std::span<const std::byte> buffer, std::error_code& ec) noexcept {
    if (timeout_.count() > 0) return transfer(false, const_cast<std::byte*>(buffer.data()), buffer.size(), ec);
    for (;;) {
      const ssize_t n = ::send(fd_.get(), buffer.data(), buffer.size(), MSG_NOSIGNAL);
      if (n >= 0) {
        ec.clear();
        return static_cast<std::size_t>(n);
      }
      if (errno == EINTR) continue;
      ec = io_error(errno);
      return 0;
    }
  }
  /// write_some: as above; throws std::system_error on failure.
  std::size_t write_some(std::span<const std::byte> buffer) {
    std::error_code ec;
    const std::size_t n = write_some(buffer, ec);
    if (ec) throw std::system_error(ec, "write to socket failed");
    return n;
  }

  /// shutdown_write: half-closes the connection (the peer reads end of stream).
  void shutdown_write() noexcept { ::shutdown(fd_.get(), SHUT_WR); }

 private:
  // Without a timeout, EAGAIN is would-block (non-blocking mode).
  static std::error_code io_error(int err) noexcept { return {err, std::generic_category()}; }

  // With a timeout: the whole read_some/write_some within it (EINTR resumes the wait for
  // the time left; ETIMEDOUT is errc::timed_out, EAGAIN means non-blocking mode).
  std::size_t transfer(bool reading, std::byte* data, std::size_t size, std::error_code& ec) const noexcept {
    int err = 0;
    const std::size_t n = detail::transfer_within(fd_.get(), reading, data, size, detail::deadline(timeout_), err);
    if (err != 0) ec = std::error_code(err, std::generic_category());
    else ec.clear();
    return n;
  }

  // connect_fd: connects `fd` within `timeout` from now (zero: no limit). A connect
  // interrupted by a signal goes on in the background (calling connect again would fail
  // with EALREADY): wait for its outcome instead, for the time left.
  static int connect_fd(int fd, const ::addrinfo* ai, std::chrono::milliseconds timeout) noexcept {
    const detail::deadline limit(timeout);
    if (!limit.is_set()) {
      if (::connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) return 0;
      if (errno != EINTR) return errno;
      return connect_outcome(fd, limit);
    }
    const int flags = ::fcntl(fd, F_GETFL, 0);
    ::fcntl(fd, F_SETFL, flags | O_NONBLOCK);
    if (::connect(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
      if (errno != EINPROGRESS && errno != EINTR) return errno;
      if (const int err = connect_outcome(fd, limit); err != 0) return err;
    }
    ::fcntl(fd, F_SETFL, flags);
    return 0;
  }
  static int connect_outcome(int fd, const detail::deadline& limit) noexcept {
    if (const int err = detail::wait_fd_until(fd, POLLOUT, limit); err != 0) return err;
    int err = 0;
    socklen_t len = sizeof err;
    ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
    return err;
  }

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

/// listener_state: a listening descriptor and the self-pipe that close() writes to, so that
/// an accept waiting in another thread wakes up. The descriptors are closed by close() when
/// no accept runs, else by the last accept to return: never while another thread may still
/// use them (a descriptor number closed under a waiting thread could be reused by an
/// unrelated open()).
struct listener_state {
  unique_fd fd;
  unique_fd wake_read;
  unique_fd wake_write;
  std::mutex mutex;
  int accepting = 0;  // accepts in progress; guarded by mutex
  // close() was called; written under mutex, read without it by native_handle() so that a
  // closed listener reads as closed at once (its descriptor may stay open until a woken
  // accept returns, and is then closed by that accept's thread).
  std::atomic<bool> closed{false};

  void close_descriptors() noexcept {
    fd.reset();
    wake_read.reset();
    wake_write.reset();
  }
};

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
  tcp_listener() noexcept = default;
  tcp_listener(tcp_listener&&) noexcept = default;
  tcp_listener& operator=(tcp_listener&&) noexcept = default;

  /// listen: binds `host:port` (port 0: any free port; host "" or "::": every interface)
  /// and listens. Throws std::system_error naming the address (errc::address_in_use when
  /// the port is taken, a getaddrinfo-category code for a name that does not resolve).
  static tcp_listener listen(std::string_view host, std::uint16_t port, int backlog = SOMAXCONN) {
    std::error_code ec;
    tcp_listener l = listen(host, port, backlog, ec);
    if (ec) throw std::system_error(ec, "cannot listen on " + detail::endpoint_text(host, port));
    return l;
  }

  /// listen: as above, with the system's largest backlog; reports failure in `ec` (and
  /// returns an empty listener) instead of throwing.
  static tcp_listener listen(std::string_view host, std::uint16_t port, std::error_code& ec) noexcept {
    return listen(host, port, SOMAXCONN, ec);
  }

  /// listen: as above, with `backlog`; reports failure in `ec`.
  static tcp_listener listen(std::string_view host, std::uint16_t port, int backlog, std::error_code& ec) noexcept {
    detail::unique_fd fd = detail::first_socket(host, port, AI_PASSIVE, ec, [&](int f, const ::addrinfo& ai) noexcept {
      const int one = 1;
      ::setsockopt(f, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
      return ::bind(f, ai.ai_addr, ai.ai_addrlen) == 0 && ::listen(f, backlog) == 0 ? 0 : errno;
    });
    if (fd.get() < 0) return {};
    int wake[2];
    if (::pipe2(wake, O_CLOEXEC | O_NONBLOCK) != 0) {
      ec = std::error_code(errno, std::generic_category());
      return {};
    }
    std::unique_ptr<detail::listener_state> st(new (std::nothrow) detail::listener_state);
    if (!st) {
      ::close(wake[0]);
      ::close(wake[1]);
      ec = std::make_error_code(std::errc::not_enough_memory);
      return {};
    }
    st->fd = std::move(fd);
    st->wake_read.reset(wake[0]);
    st->wake_write.reset(wake[1]);
    ec.clear();
    tcp_listener l;
    l.state_ = std::move(st);
    return l;
  }

  /// port: the local port, useful after listening on port 0.
  std::uint16_t port() const {
    ::sockaddr_storage ss{};
    socklen_t len = sizeof ss;
    if (::getsockname(native_handle(), reinterpret_cast<::sockaddr*>(&ss), &len) != 0)
      throw std::system_error(errno, std::generic_category(), "getsockname failed");
    if (ss.ss_family == AF_INET6) return ntohs(reinterpret_cast<::sockaddr_in6*>(&ss)->sin6_port);
    return ntohs(reinterpret_cast<::sockaddr_in*>(&ss)->sin_port);
  }

  /// local_address: the address and port it listens on (Python's getsockname()). Throws
  /// std::system_error (errc::bad_file_descriptor once closed).
  socket_address local_address() const {
    std::error_code ec;
    socket_address a = local_address(ec);
    if (ec) detail::throw_address_error(ec, false);
    return a;
  }
  /// local_address: as above; reports failure in `ec`.
  socket_address local_address(std::error_code& ec) const noexcept {
    return detail::fd_address(native_handle(), false, ec);
  }

  /// accept: waits for the next connection (at most `timeout` in all, signals included;
  /// zero: forever). Throws std::system_error: errc::timed_out when none came in time,
  /// errc::operation_canceled when close() was called (from another thread) while it
  /// waited, errc::bad_file_descriptor when the listener is closed. On a listening
  /// descriptor put in non-blocking mode (fcntl on native_handle(), for an event loop) it
  /// does not wait: errc::operation_would_block when no connection is there.
  tcp_socket accept(std::chrono::milliseconds timeout = {}) {
    std::error_code ec;
    tcp_socket s = accept(timeout, ec);
    if (ec) throw_accept_error(ec, timeout);
    return s;
  }
  /// accept: as above, waiting as long as it takes; reports failure in `ec` (and returns
  /// an empty socket) instead of throwing.
  tcp_socket accept(std::error_code& ec) noexcept { return accept(std::chrono::milliseconds{}, ec); }
  /// accept: as above, within `timeout`; reports failure in `ec`.
  tcp_socket accept(std::chrono::milliseconds timeout, std::error_code& ec) noexcept {
    return adopt(accept_fd(timeout, nullptr, nullptr, ec));
  }

  /// accept_with_address: accept(), also giving the peer's address (Python's
  /// `conn, address = sock.accept()`); fails as accept().
  accepted_socket accept_with_address(std::chrono::milliseconds timeout = {}) {
    std::error_code ec;
    accepted_socket a = accept_with_address(timeout, ec);
    if (ec) throw_accept_error(ec, timeout);
    return a;
  }
  /// accept_with_address: as above, waiting as long as it takes; reports failure in `ec`.
  accepted_socket accept_with_address(std::error_code& ec) noexcept {
    return accept_with_address(std::chrono::milliseconds{}, ec);
  }
  /// accept_with_address: as above, within `timeout`; reports failure in `ec`.
  accepted_socket accept_with_address(std::chrono::milliseconds timeout, std::error_code& ec) noexcept {
    ::sockaddr_storage ss{};
    socklen_t len = sizeof ss;
    accepted_socket out{adopt(accept_fd(timeout, &ss, &len, ec)), {}};
    if (!ec && !detail::to_socket_address(ss, len, out.address, ec)) out.socket.close();
    return out;
  }

  /// native_handle: the listening descriptor (-1 when empty or closed).
  int native_handle() const noexcept { return state_ && !state_->closed.load() ? state_->fd.get() : -1; }

  /// close: stops listening now (Python's socket.close()); calling it again does nothing.
  /// It may be called from another thread while accept() waits: that accept then returns
  /// errc::operation_canceled (the descriptor is closed once it has). Later accepts fail
  /// with errc::bad_file_descriptor.
  void close() noexcept {
    if (!state_) return;
    detail::listener_state& st = *state_;
    const std::lock_guard<std::mutex> lock(st.mutex);
    if (st.closed) return;
    st.closed = true;
    if (st.accepting == 0) {
      st.close_descriptors();
      return;
    }
    const char byte = 1;
    while (::write(st.wake_write.get(), &byte, 1) < 0 && errno == EINTR) {
    }
    // An accept that lost a connection to another thread's accept after its poll waits in
    // accept4 itself: shutting the listening socket down wakes it (EINVAL on Linux).
    ::shutdown(st.fd.get(), SHUT_RDWR);
  }

 private:
  static tcp_socket adopt(int fd) noexcept {
    if (fd < 0) return {};
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    tcp_socket s(fd);
    s.made_here_ = true;  // accept4 without SOCK_NONBLOCK: a blocking stream socket
    return s;
  }

  [[noreturn]] static void throw_accept_error(std::error_code ec, std::chrono::milliseconds timeout) {
    if (ec == std::errc::timed_out)
      throw std::system_error(ec, "accept: no connection came within " + std::to_string(timeout.count()) + " ms");
    if (ec == std::errc::operation_canceled)
      throw std::system_error(ec, "accept: the listener was closed (tcp_listener::close) while accept waited");
    if (ec == std::errc::bad_file_descriptor)
      throw std::system_error(ec, "accept: the listener is closed (or holds no socket)");
    throw std::system_error(ec, "accept failed");
  }

  // accept_fd: registers as an accept in progress (so that close() from another thread
  // wakes it instead of closing the descriptor under it), waits, accepts.
  int accept_fd(std::chrono::milliseconds timeout, ::sockaddr_storage* ss, socklen_t* len,
                std::error_code& ec) noexcept {
    ec.clear();
    detail::listener_state* st = state_.get();
    if (!st) {
      ec = std::make_error_code(std::errc::bad_file_descriptor);
      return -1;
    }
    {
      const std::lock_guard<std::mutex> lock(st->mutex);
      if (st->closed) {
        ec = std::make_error_code(std::errc::bad_file_descriptor);
        return -1;
      }
      ++st->accepting;
    }
    const int fd = wait_and_accept(*st, detail::deadline(timeout), ss, len, ec);
    const std::lock_guard<std::mutex> lock(st->mutex);
    if (--st->accepting == 0 && st->closed) st->close_descriptors();
    return fd;
  }

  // wait_and_accept: poll()s the listening descriptor and the wake pipe until a connection
  // is there (again after a signal, or one that was gone by the time of the accept, for
  // the time left), close() was called, or `limit` passed; then accepts. A descriptor the
  // user put in non-blocking mode is accepted on at once (EAGAIN: would block).
  static int wait_and_accept(const detail::listener_state& st, const detail::deadline& limit, ::sockaddr_storage* ss,
                             socklen_t* len, std::error_code& ec) noexcept {
    const socklen_t size = len ? *len : 0;
    const int flags = ::fcntl(st.fd.get(), F_GETFL, 0);
    const bool nonblocking = flags >= 0 && (flags & O_NONBLOCK) != 0;
    for (;;) {
      if (!nonblocking) {
        ::pollfd p[2] = {{st.fd.get(), POLLIN, 0}, {st.wake_read.get(), POLLIN, 0}};
        const int n = ::poll(p, 2, limit.poll_ms());
        if (n < 0) {
          if (errno == EINTR) continue;
          ec = std::error_code(errno, std::generic_category());
          return -1;
        }
        if (p[1].revents != 0) {
          ec = std::make_error_code(std::errc::operation_canceled);
          return -1;
        }
        if (p[0].revents == 0) {
          if (limit.expired()) {
            ec = std::make_error_code(std::errc::timed_out);
            return -1;
          }
          continue;  // poll rounds to its clock's granularity: wait out the rest
        }
      }
      if (len) *len = size;
      const int fd = ::accept4(st.fd.get(), reinterpret_cast<::sockaddr*>(ss), len, SOCK_CLOEXEC);
      if (fd >= 0) return fd;
      const int err = errno;
      if (err == EINTR || err == ECONNABORTED) continue;
      if (woken(st)) {
        ec = std::make_error_code(std::errc::operation_canceled);
        return -1;
      }
      ec = std::error_code(err, std::generic_category());
      return -1;
    }
  }

  // woken: whether close() has written to the wake pipe.
  static bool woken(const detail::listener_state& st) noexcept {
    ::pollfd p{st.wake_read.get(), POLLIN, 0};
    return ::poll(&p, 1, 0) > 0;
  }

  std::unique_ptr<detail::listener_state> state_;
};

SSLPP_END_NAMESPACE
