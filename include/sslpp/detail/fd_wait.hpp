// sslpp — SPDX-License-Identifier: MIT
//
// detail/fd_wait.hpp: descriptor waits and transfers bounded by a detail::deadline, for
// the TLS engine and tcp_socket / tcp_listener (their definitions: detail/impl/engine.ipp and
// impl/socket.ipp).
#pragma once

#include <sslpp/config.hpp>
#include <sslpp/detail/deadline.hpp>

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>

SSLPP_BEGIN_NAMESPACE
namespace detail {

/// wait_fd_until: poll()s `fd` for `events` until it is ready (0) or `limit` passes
/// (ETIMEDOUT); another errno on failure. EINTR waits again for the time that is left.
inline int wait_fd_until(int fd, short events, const deadline& limit) noexcept {
  ::pollfd p{fd, events, 0};
  for (;;) {
    if (limit.expired()) return ETIMEDOUT;
    const int n = ::poll(&p, 1, limit.poll_ms());
    if (n > 0) return 0;
    if (n == 0) {
      if (limit.expired()) return ETIMEDOUT;
      continue;  // poll rounds to its clock's granularity: wait out the rest
    }
    if (errno != EINTR) return errno;
  }
}

/// transfer_within: one recv (`reading`) or send on socket `fd`, bounded by `limit`: it
/// tries at once (MSG_DONTWAIT) and poll()s for the time left only when the socket has
/// nothing (or no room), so a ready socket costs one system call as without a limit.
/// Returns the bytes moved (0 at the end of the stream), or fills `err` with the errno:
/// ETIMEDOUT once `limit` passed; EAGAIN on a non-blocking descriptor (the caller polls,
/// a limit never applies there).
inline std::size_t transfer_within(int fd, bool reading, void* data, std::size_t size, const deadline& limit,
                                   int& err) noexcept {
  err = 0;
  for (;;) {
    const ssize_t n = reading ? ::recv(fd, data, size, MSG_DONTWAIT)
                              : ::send(fd, data, size, MSG_DONTWAIT | MSG_NOSIGNAL);
    if (n >= 0) return static_cast<std::size_t>(n);
    if (errno == EINTR) continue;
    if (errno != EAGAIN && errno != EWOULDBLOCK) {
      err = errno;
      return 0;
    }
    // Would block: a non-blocking descriptor reports it; a blocking one waits for the rest
    // of the time. Asked here only, so the fast path stays one system call.
    const int flags = ::fcntl(fd, F_GETFL, 0);
    if (flags >= 0 && (flags & O_NONBLOCK) != 0) {
      err = EAGAIN;
      return 0;
    }
    if (const int w = wait_fd_until(fd, reading ? POLLIN : POLLOUT, limit); w != 0) {
      err = w;
      return 0;
    }
  }
}

}  // namespace detail
SSLPP_END_NAMESPACE
