// sslpp — SPDX-License-Identifier: MIT
//
// detail/error_impl.hpp: the translation of the backend's error queue into sslpp's
// exceptions (the error categories are defined in impl/error.ipp).
#pragma once

#include <sslpp/detail/backend.hpp>
#include <sslpp/detail/error_text.hpp>
#include <sslpp/detail/failure.hpp>
#include <sslpp/error.hpp>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <string>
#include <string_view>
#include <vector>

SSLPP_BEGIN_NAMESPACE
namespace detail {

/// backend_error: the most relevant entry of the backend's error queue, which it clears.
struct backend_error {
  uint32_t packed = 0;
  std::string library;
  std::string reason;

  explicit operator bool() const noexcept { return packed != 0; }
  /// text: "[SSL: WRONG_VERSION_NUMBER] wrong version number", Python's form.
  std::string text() const { return "[" + library + ": " + reason + "] " + reason_words(reason); }
};

/// take_backend_error: pops the backend's error queue, keeping its last (most specific) entry.
inline backend_error take_backend_error() {
  backend_error e;
  e.packed = static_cast<uint32_t>(ERR_peek_last_error());
  if (e.packed != 0) {
    e.library = library_mnemonic(e.packed);
    e.reason = reason_mnemonic(e.packed);
  }
  ERR_clear_error();
  return e;
}

/// backend_failure: a library failure from the error queue, with `context` saying what sslpp was doing.
inline failure backend_failure(std::string_view context) {
  const backend_error e = take_backend_error();
  failure f;
  f.what = failure::kind::ssl;
  if (e) {
    f.code = std::error_code(static_cast<int>(e.packed), boringssl_category());
    f.message = std::string(context) + ": " + e.text();
    f.library = e.library;
    f.reason = e.reason;
  } else {
    f.code = make_error_code(ssl_errc::ssl);
    f.message = std::string(context) + ": the TLS library failed without saying why";
  }
  return f;
}

/// throw_backend_error: throws the backend's pending error as an ssl_error, prefixed with `context`.
[[noreturn]] inline void throw_backend_error(std::string_view context) { throw_failure(backend_failure(context)); }

/// throw_file_error: a missing or unreadable file: std::system_error naming the path.
[[noreturn]] inline void throw_file_error(int err, std::string_view what, const std::string& path) {
  throw std::system_error(err, std::generic_category(), std::string(what) + " '" + path + "'");
}

}  // namespace detail
SSLPP_END_NAMESPACE
