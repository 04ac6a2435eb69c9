// sslpp — SPDX-License-Identifier: MIT
//
// detail/environment.hpp: reading the environment only where it is safe to.
#pragma once

#include <sslpp/config.hpp>

#include <cstdlib>

SSLPP_BEGIN_NAMESPACE
namespace detail {

/// environment: the variable `name`, or null when it is unset — or when the program runs
/// set-user-ID or with capabilities (secure_getenv), where the environment belongs to a
/// less trusted user who could otherwise choose the trust store or the key log file.
inline const char* environment(const char* name) noexcept {
#if defined(__GLIBC__)
  return ::secure_getenv(name);
#else
  return ::issetugid() ? nullptr : std::getenv(name);  // the BSDs and macOS
#endif
}

}  // namespace detail
SSLPP_END_NAMESPACE
