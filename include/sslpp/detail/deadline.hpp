// sslpp — SPDX-License-Identifier: MIT
//
// detail/deadline.hpp: the time limit of one whole operation (a handshake, a read, an
// accept). Shared by the TLS engine and tcp_socket / tcp_listener, so that a timeout means
// the same everywhere: it runs from the start of the operation, a peer trickling bytes
// cannot stretch it, and a signal interrupting a wait (EINTR) resumes it with the time that
// is left, never a fresh one (the waits bounded by it: detail/fd_wait.hpp). Needs no system
// header beyond <chrono>: the engine holds a deadline, and its class is in every program.
#pragma once

#include <sslpp/config.hpp>

#include <sslpp/detail/chrono.hpp>
#include <climits>
#include <concepts>

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

}  // namespace detail
SSLPP_END_NAMESPACE
