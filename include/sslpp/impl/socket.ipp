// sslpp — SPDX-License-Identifier: MIT
//
// impl/socket.ipp: the definitions of tcp_socket and tcp_listener. Included by socket.hpp
// in the header-only mode (SSLPP_DECL is `inline`), and compiled once into the sslpp_compiled
// library in the compiled mode (see config.hpp).
#pragma once

#include <sslpp/config.hpp>
#include <sslpp/detail/deadline.hpp>
#include <sslpp/detail/fd_wait.hpp>
#include <sslpp/detail/socket_ops.hpp>
#include <sslpp/socket.hpp>

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <sslpp/detail/chrono.hpp>
#include <mutex>
#include <new>
#include <stdexcept>
#include <string>
#include <system_error>

SSLPP_BEGIN_NAMESPACE

namespace detail {

// connect_outcome: waits (until `limit`) for a connect in progress and returns its errno.
SSLPP_DECL int connect_outcome(int fd, const deadline& limit) noexcept {
  if (const int err = wait_fd_until(fd, POLLOUT, limit); err != 0) return err;
  int err = 0;
  socklen_t len = sizeof err;
  ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
  return err;
}

// connect_fd: connects `fd` within `timeout` from now (zero: no limit). A connect
// interrupted by a signal goes on in the background (calling connect again would fail
// with EALREADY): wait for its outcome instead, for the time left.
SSLPP_DECL int connect_fd(int fd, const ::addrinfo* ai, std::chrono::milliseconds timeout) noexcept {
  const deadline limit(timeout);
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

// throw_accept_error: the exception of a failed tcp_listener::accept.
[[noreturn]] SSLPP_DECL void throw_accept_error(std::error_code ec, std::chrono::milliseconds timeout) {
  if (ec == std::errc::timed_out)
    throw std::system_error(ec, "accept: no connection came within " + std::to_string(timeout.count()) + " ms");
  if (ec == std::errc::operation_canceled)
    throw std::system_error(ec, "accept: the listener was closed (tcp_listener::close) while accept waited");
  if (ec == std::errc::bad_file_descriptor)
    throw std::system_error(ec, "accept: the listener is closed (or holds no socket)");
  throw std::system_error(ec, "accept failed");
}

// woken: whether close() has written to the wake pipe.
SSLPP_DECL bool woken(const listener_state& st) noexcept {
  ::pollfd p{st.wake_read.get(), POLLIN, 0};
  return ::poll(&p, 1, 0) > 0;
}

// wait_and_accept: poll()s the listening descriptor and the wake pipe until a connection
// is there (again after a signal, or one that was gone by the time of the accept, for
// the time left), close() was called, or `limit` passed; then accepts. A descriptor the
// user put in non-blocking mode is accepted on at once (EAGAIN: would block).
SSLPP_DECL int wait_and_accept(const listener_state& st, const deadline& limit, ::sockaddr_storage* ss,
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

}  // namespace detail

// --- tcp_socket ---

SSLPP_DECL tcp_socket tcp_socket::connect(std::string_view host, std::uint16_t port, std::chrono::milliseconds timeout) {
  std::error_code ec;
  tcp_socket s = connect(host, port, timeout, ec);
  if (ec) throw std::system_error(ec, "cannot connect to " + detail::endpoint_text(host, port));
  return s;
}

SSLPP_DECL tcp_socket tcp_socket::connect(std::string_view host, std::uint16_t port, std::error_code& ec) noexcept {
  return connect(host, port, std::chrono::milliseconds{}, ec);
}

SSLPP_DECL tcp_socket tcp_socket::connect(std::string_view host, std::uint16_t port, std::chrono::milliseconds timeout,
                                          std::error_code& ec) noexcept {
  detail::unique_fd fd = detail::first_socket(
      host, port, 0, ec, [&](int f, const ::addrinfo& ai) noexcept { return detail::connect_fd(f, &ai, timeout); });
  if (fd.get() < 0) return {};
  const int one = 1;
  ::setsockopt(fd.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  tcp_socket s(fd.release());
  s.made_here_ = true;
  if (timeout.count() > 0) s.set_timeout(timeout);
  return s;
}

SSLPP_DECL int tcp_socket::release() noexcept {
  made_here_ = false;
  nonblocking_.reset();
  return fd_.release();
}

SSLPP_DECL std::optional<bool> tcp_socket::known_nonblocking() const noexcept {
  if (nonblocking_) return nonblocking_;
  if (made_here_) return false;
  return std::nullopt;
}

SSLPP_DECL void tcp_socket::close() noexcept {
  fd_.reset();
  made_here_ = false;
  nonblocking_.reset();
}

SSLPP_DECL socket_address tcp_socket::peer_address() const {
  std::error_code ec;
  socket_address a = peer_address(ec);
  if (ec) detail::throw_address_error(ec, true);
  return a;
}

SSLPP_DECL socket_address tcp_socket::peer_address(std::error_code& ec) const noexcept {
  return detail::fd_address(fd_.get(), true, ec);
}

SSLPP_DECL socket_address tcp_socket::local_address() const {
  std::error_code ec;
  socket_address a = local_address(ec);
  if (ec) detail::throw_address_error(ec, false);
  return a;
}

SSLPP_DECL socket_address tcp_socket::local_address(std::error_code& ec) const noexcept {
  return detail::fd_address(fd_.get(), false, ec);
}

SSLPP_DECL void tcp_socket::set_timeout(std::chrono::milliseconds timeout) {
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

SSLPP_DECL void tcp_socket::set_blocking(bool blocking) {
  const int flags = ::fcntl(fd_.get(), F_GETFL, 0);
  if (flags < 0 || ::fcntl(fd_.get(), F_SETFL, blocking ? (flags & ~O_NONBLOCK) : (flags | O_NONBLOCK)) != 0)
    throw std::system_error(errno, std::generic_category(), "cannot change the socket's blocking mode");
  nonblocking_ = !blocking;
}

// Without a timeout, EAGAIN is would-block (non-blocking mode).
SSLPP_DECL std::size_t tcp_socket::read_some(std::span<std::byte> buffer, std::error_code& ec) noexcept {
  if (timeout_.count() > 0) return transfer(true, buffer.data(), buffer.size(), ec);
  for (;;) {
    const ssize_t n = ::recv(fd_.get(), buffer.data(), buffer.size(), 0);
    if (n >= 0) {
      ec.clear();
      return static_cast<std::size_t>(n);
    }
    if (errno == EINTR) continue;
    ec = std::error_code(errno, std::generic_category());
    return 0;
  }
}

SSLPP_DECL std::size_t tcp_socket::read_some(std::span<std::byte> buffer) {
  std::error_code ec;
  const std::size_t n = read_some(buffer, ec);
  if (ec) throw std::system_error(ec, "read from socket failed");
  return n;
}

SSLPP_DECL std::size_t tcp_socket::write_some(std::span<const std::byte> buffer, std::error_code& ec) noexcept {
  if (timeout_.count() > 0) return transfer(false, const_cast<std::byte*>(buffer.data()), buffer.size(), ec);
  for (;;) {
    const ssize_t n = ::send(fd_.get(), buffer.data(), buffer.size(), MSG_NOSIGNAL);
    if (n >= 0) {
      ec.clear();
      return static_cast<std::size_t>(n);
    }
    if (errno == EINTR) continue;
    ec = std::error_code(errno, std::generic_category());
    return 0;
  }
}

SSLPP_DECL std::size_t tcp_socket::write_some(std::span<const std::byte> buffer) {
  std::error_code ec;
  const std::size_t n = write_some(buffer, ec);
  if (ec) throw std::system_error(ec, "write to socket failed");
  return n;
}

SSLPP_DECL void tcp_socket::shutdown_write() noexcept { ::shutdown(fd_.get(), SHUT_WR); }

// With a timeout: the whole read_some/write_some within it (EINTR resumes the wait for
// the time left; ETIMEDOUT is errc::timed_out, EAGAIN means non-blocking mode).
SSLPP_DECL std::size_t tcp_socket::transfer(bool reading, std::byte* data, std::size_t size,
                                            std::error_code& ec) const noexcept {
  int err = 0;
  const std::size_t n = detail::transfer_within(fd_.get(), reading, data, size, detail::deadline(timeout_), err);
  if (err != 0) ec = std::error_code(err, std::generic_category());
  else ec.clear();
  return n;
}

// --- tcp_listener ---

SSLPP_DECL tcp_listener::tcp_listener() noexcept = default;
SSLPP_DECL tcp_listener::tcp_listener(tcp_listener&&) noexcept = default;
SSLPP_DECL tcp_listener& tcp_listener::operator=(tcp_listener&&) noexcept = default;
SSLPP_DECL tcp_listener::~tcp_listener() = default;

SSLPP_DECL tcp_listener tcp_listener::listen(std::string_view host, std::uint16_t port, int backlog) {
  std::error_code ec;
  tcp_listener l = listen(host, port, backlog, ec);
  if (ec) throw std::system_error(ec, "cannot listen on " + detail::endpoint_text(host, port));
  return l;
}

SSLPP_DECL tcp_listener tcp_listener::listen(std::string_view host, std::uint16_t port, std::error_code& ec) noexcept {
  return listen(host, port, SOMAXCONN, ec);
}

SSLPP_DECL tcp_listener tcp_listener::listen(std::string_view host, std::uint16_t port, int backlog,
                                             std::error_code& ec) noexcept {
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

SSLPP_DECL std::uint16_t tcp_listener::port() const {
  ::sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  if (::getsockname(native_handle(), reinterpret_cast<::sockaddr*>(&ss), &len) != 0)
    throw std::system_error(errno, std::generic_category(), "getsockname failed");
  if (ss.ss_family == AF_INET6) return ntohs(reinterpret_cast<::sockaddr_in6*>(&ss)->sin6_port);
  return ntohs(reinterpret_cast<::sockaddr_in*>(&ss)->sin_port);
}

SSLPP_DECL socket_address tcp_listener::local_address() const {
  std::error_code ec;
  socket_address a = local_address(ec);
  if (ec) detail::throw_address_error(ec, false);
  return a;
}

SSLPP_DECL socket_address tcp_listener::local_address(std::error_code& ec) const noexcept {
  return detail::fd_address(native_handle(), false, ec);
}

SSLPP_DECL tcp_socket tcp_listener::accept(std::chrono::milliseconds timeout) {
  std::error_code ec;
  tcp_socket s = accept(timeout, ec);
  if (ec) detail::throw_accept_error(ec, timeout);
  return s;
}

SSLPP_DECL tcp_socket tcp_listener::accept(std::error_code& ec) noexcept {
  return accept(std::chrono::milliseconds{}, ec);
}

SSLPP_DECL tcp_socket tcp_listener::accept(std::chrono::milliseconds timeout, std::error_code& ec) noexcept {
  return adopt(accept_fd(timeout, nullptr, nullptr, ec));
}

SSLPP_DECL accepted_socket tcp_listener::accept_with_address(std::chrono::milliseconds timeout) {
  std::error_code ec;
  accepted_socket a = accept_with_address(timeout, ec);
  if (ec) detail::throw_accept_error(ec, timeout);
  return a;
}

SSLPP_DECL accepted_socket tcp_listener::accept_with_address(std::error_code& ec) noexcept {
  return accept_with_address(std::chrono::milliseconds{}, ec);
}

SSLPP_DECL accepted_socket tcp_listener::accept_with_address(std::chrono::milliseconds timeout,
                                                             std::error_code& ec) noexcept {
  ::sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  accepted_socket out{adopt(accept_fd(timeout, &ss, &len, ec)), {}};
  if (!ec && !detail::to_socket_address(ss, len, out.address, ec)) out.socket.close();
  return out;
}

SSLPP_DECL int tcp_listener::native_handle() const noexcept {
  return state_ && !state_->closed.load() ? state_->fd.get() : -1;
}

SSLPP_DECL void tcp_listener::close() noexcept {
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

SSLPP_DECL tcp_socket tcp_listener::adopt(int fd) noexcept {
  if (fd < 0) return {};
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  tcp_socket s(fd);
  s.made_here_ = true;  // accept4 without SOCK_NONBLOCK: a blocking stream socket
  return s;
}

SSLPP_DECL int tcp_listener::accept_fd(std::chrono::milliseconds timeout, ::sockaddr_storage* ss, socklen_t* len,
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
  const int fd = detail::wait_and_accept(*st, detail::deadline(timeout), ss, len, ec);
  const std::lock_guard<std::mutex> lock(st->mutex);
  if (--st->accepting == 0 && st->closed) st->close_descriptors();
  return fd;
}

SSLPP_END_NAMESPACE
