// sslpp — SPDX-License-Identifier: MIT
//
// detail/signing_slot.hpp: the rendezvous between one handshake signature and the
// private_key_signer that makes it, possibly on another thread and later. Plain C++
// (no backend call): the public signature_completion holds one.
#pragma once

#include <sslpp/config.hpp>

#include <sslpp/detail/chrono.hpp>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

SSLPP_BEGIN_NAMESPACE
namespace detail {

/// signing_slot: one signing request's answer. Shared by the connection (which reads it
/// when the handshake resumes) and by every copy of the request's completion handle (which
/// writes it once); whichever is dropped last frees it, so a signer answering after the
/// connection closed writes into a slot nobody reads, harmlessly.
class signing_slot {
 public:
  enum class status { pending, signed_, failed };

  /// answer: records the signature (`ok`) or the failure's reason, once; later calls
  /// return false and change nothing. Wakes a blocked handshake and calls the waker.
  bool answer(bool ok, std::vector<std::byte> signature, std::string reason) {
    std::function<void()> wake;
    {
      std::lock_guard<std::mutex> lock(m_);
      if (st_ != status::pending) return false;
      st_ = ok ? status::signed_ : status::failed;
      signature_ = std::move(signature);
      reason_ = std::move(reason);
      wake = std::move(wake_);
      wake_ = nullptr;
    }
    cv_.notify_all();
    if (wake) wake();
    return true;
  }

  /// state: the status now.
  status state() const {
    std::lock_guard<std::mutex> lock(m_);
    return st_;
  }

  /// on_answer: calls `wake` once the slot is answered: at once (on this thread) when it
  /// already is, otherwise on the thread that answers. Replaces an earlier waker.
  void on_answer(std::function<void()> wake) {
    {
      std::lock_guard<std::mutex> lock(m_);
      if (st_ == status::pending) {
        wake_ = std::move(wake);
        return;
      }
    }
    wake();
  }

  /// wait_until: blocks until the slot is answered or `limit` passes; whether it was answered.
  bool wait_until(std::chrono::steady_clock::time_point limit) {
    std::unique_lock<std::mutex> lock(m_);
    return cv_.wait_until(lock, limit, [&] { return st_ != status::pending; });
  }
  /// wait: blocks until the slot is answered.
  void wait() {
    std::unique_lock<std::mutex> lock(m_);
    cv_.wait(lock, [&] { return st_ != status::pending; });
  }

  /// take: the answer (status, signature, reason), once the slot is no longer pending.
  status take(std::vector<std::byte>& signature, std::string& reason) {
    std::lock_guard<std::mutex> lock(m_);
    if (st_ != status::pending) {
      signature = std::move(signature_);
      reason = std::move(reason_);
    }
    return st_;
  }

 private:
  mutable std::mutex m_;
  std::condition_variable cv_;
  status st_ = status::pending;
  std::vector<std::byte> signature_;
  std::string reason_;
  std::function<void()> wake_;
};

}  // namespace detail
SSLPP_END_NAMESPACE
