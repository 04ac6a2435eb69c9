// sslpp — SPDX-License-Identifier: MIT
//
// spinner.hpp: a progress spinner on stderr for a slow connect, shown only when stderr is a
// terminal and NO_COLOR is unset, and only once the wait passes 300 ms.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>
#include <unistd.h>

namespace sslpp_cli {

/// spinner: shows "<frame> what..." on stderr until destroyed (or stop()), then erases it.
class spinner {
 public:
  explicit spinner(std::string what) : what_(std::move(what)) {
    if (::isatty(STDERR_FILENO) != 1 || std::getenv("NO_COLOR")) return;
    thread_ = std::thread([this] {
      static const char* frames[] = {"|", "/", "-", "\\"};
      std::unique_lock lock(m_);
      if (cv_.wait_for(lock, std::chrono::milliseconds(300), [this] { return done_; })) return;
      for (unsigned i = 0; !done_; ++i) {
        std::fprintf(stderr, "\r%s %s...", frames[i % 4], what_.c_str());
        std::fflush(stderr);
        cv_.wait_for(lock, std::chrono::milliseconds(100), [this] { return done_; });
      }
      std::fputs("\r\x1b[K", stderr);
      std::fflush(stderr);
    });
  }
  spinner(const spinner&) = delete;
  spinner& operator=(const spinner&) = delete;
  ~spinner() { stop(); }

  /// stop: erases the spinner (if it was shown) and waits for its thread.
  void stop() {
    {
      std::lock_guard lock(m_);
      done_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

 private:
  std::string what_;
  std::mutex m_;
  std::condition_variable cv_;
  bool done_ = false;
  std::thread thread_;
};

}  // namespace sslpp_cli
