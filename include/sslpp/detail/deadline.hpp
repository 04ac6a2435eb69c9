// sslpp — SPDX-License-Identifier: MIT
//
// detail/deadline.hpp: the time limit of one whole operation (a handshake, a read, an
// accept), and descriptor waits and transfers bounded by it. Shared by the TLS engine and
// tcp_socket / tcp_listener, so that a timeout means the same everywhere: it runs from the
// start of the operation, a peer trickling bytes cannot stretch it, and a signal
// interrupting a wait (EINTR) resumes it with the time that is left, never a fresh one.
#pragma once

#include <sslpp/config.hpp>

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <climits>
#include <concepts>
#include <cstddef>
#include <span>
#include <system_error>

SSLPP_BEGIN_NAMESPACE
namespace detail {

/// deadline: when an operation must end; unset means it may wait forever.
class deadline {
 public:
  using clock = std::chrono::steady_clock;

  /// deadline: none (wait forever).
  deadline() noexcept = default;
  /// deadline: `timeout` from now; zero or negative means none, and so does a timeout
  /// beyond the clock's range (milliseconds::max() as "forever"), which now() + timeout
  /// would overflow into the past.
  explicit deadline(std::chrono::milliseconds timeout) noexcept {
    if (timeout.count() <= 0) return;
    const clock::time_point now = clock::now();
    if (timeout >= std::chrono::duration_cast<std::chrono::milliseconds>(clock::time_point::max() - now)) return;
    end_ = now + timeout;
    set_ = true;
  }

  /// is_set: whether there is a limit.
  bool is_set() const noexcept { return set_; }
  /// expired: whether the limit has passed (never when unset).
  bool expired() const noexcept { return set_ && clock::now() >= end_; }
  /// time_point: when the limit passes (meaningful only when is_set()).
  clock::time_point time_point() const noexcept { return end_; }
  /// poll_ms: the time left as poll()'s argument: -1 when unset, else the milliseconds
  /// left rounded up (so a wait never ends just before the deadline), at least 0.
  int poll_ms() const noexcept {
    if (!set_) return -1;
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(end_ - clock::now()).count();
    return left <= 0 ? 0 : left > INT_MAX ? INT_MAX : static_cast<int>(left);
  }

 private:
  clock::time_point end_{};
  bool set_ = false;
};

/// has_timeout: a socket type with a `timeout()` that cannot throw (tcp_socket's; sslpp
/// reads it where an exception could not be reported, so a throwing one is not used), which bounds each TLS
/// operation over it.
template <class T>
concept has_timeout = requires(const T& s) {
  { s.timeout() } noexcept -> std::convertible_to<std::chrono::milliseconds>;
};

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
