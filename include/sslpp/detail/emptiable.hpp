// sslpp — SPDX-License-Identifier: MIT
//
// detail/emptiable.hpp: how an object that a move (or close) left empty reports being used: a
// std::logic_error naming the object (or errc::not_connected from an error_code
// overload), never a null dereference.
#pragma once

#include <sslpp/config.hpp>

#include <memory>
#include <stdexcept>
#include <system_error>

SSLPP_BEGIN_NAMESPACE
namespace detail {

/// throw_emptied: throws std::logic_error with `what`, a sentence naming the object and
/// how it was emptied. Kept out of line of the callers' fast path.
[[noreturn, gnu::cold, gnu::noinline]] inline void throw_emptied(const char* what) { throw std::logic_error(what); }

/// emptied_error: what the error_code overloads of an emptied connection report
/// (errc::not_connected: there is no connection behind the object any more).
inline std::error_code emptied_error() noexcept { return std::make_error_code(std::errc::not_connected); }

/// stream_emptied, ssl_object_emptied: the messages for emptiable_ptr.
struct stream_emptied {
  static constexpr const char* message =
      "sslpp::stream: this stream holds no connection any more: it was closed, unwrapped or moved from";
};
struct ssl_object_emptied {
  static constexpr const char* message = "sslpp::ssl_object: this ssl_object holds no connection any more: it was moved from";
};

/// emptiable_ptr: the owning pointer to a connection's state, which a move (or unwrap)
/// leaves null. Dereferencing it when null throws std::logic_error(Why::message) instead
/// of crashing; that null check is its only cost.
template <class T, class Why>
class emptiable_ptr {
 public:
  emptiable_ptr() noexcept = default;
  explicit emptiable_ptr(std::unique_ptr<T> p) noexcept : p_(std::move(p)) {}
  emptiable_ptr(emptiable_ptr&&) noexcept = default;
  emptiable_ptr& operator=(emptiable_ptr&&) noexcept = default;

  T& operator*() const {
    if (!p_) [[unlikely]]
      throw_emptied(Why::message);
    return *p_;
  }
  T* operator->() const { return &**this; }
  /// get: the pointer, null once emptied (never throws).
  T* get() const noexcept { return p_.get(); }
  explicit operator bool() const noexcept { return p_ != nullptr; }
  void reset() noexcept { p_.reset(); }

 private:
  std::unique_ptr<T> p_;
};

}  // namespace detail
SSLPP_END_NAMESPACE
