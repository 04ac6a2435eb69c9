// sslpp — SPDX-License-Identifier: MIT
//
// detail/error_capture.hpp: the one mechanism behind the std::error_code overloads of
// loading and parsing operations (certificates, keys, CA files, sessions, wraps' setup):
// run the throwing implementation and turn the failure it throws into an error_code.
//
// Why exceptions internally here: these operations read files and parse input, which costs
// far more than a throw, and their throwing versions already say precisely what failed;
// one translation keeps the two forms from drifting apart. Operations that must stay cheap
// when they fail (handshakes, reads, writes) do not come through here: the engine reports
// them in a detail::failure, which is stored in the error_code without any throw.
#pragma once

#include <sslpp/config.hpp>
#include <sslpp/error.hpp>

#include <optional>
#include <stdexcept>
#include <system_error>
#include <type_traits>
#include <utility>

SSLPP_BEGIN_NAMESPACE
namespace detail {

/// capture_error: runs `fn()`; returns true when it succeeded (and clears `ec`), false when
/// it threw a failure that an error_code can carry, which it stores in `ec`:
///  - std::system_error and everything derived from it (ssl_error, cert_verification_error,
///    a missing file's generic-category errno): its `code()`, unchanged, so
///    `ec == std::errc::no_such_file_or_directory` and comparisons with verify_category()
///    work; a code of 0 (never made by sslpp) becomes ssl_errc::ssl so failure is not lost;
///  - std::invalid_argument (input that breaks a documented rule: a host name, a time text):
///    std::errc::invalid_argument.
/// Anything else propagates: std::bad_alloc (running out of memory is not the input's
/// fault, and swallowing it would hide it), std::logic_error from a moved-from object, and
/// whatever a user's password callback throws unless it is one of the types above.
template <class F>
bool capture_error(std::error_code& ec, F&& fn) {
  try {
    std::forward<F>(fn)();
    ec.clear();
    return true;
  } catch (const std::system_error& e) {
    ec = e.code() ? e.code() : make_error_code(ssl_errc::ssl);
  } catch (const std::invalid_argument&) {
    ec = std::make_error_code(std::errc::invalid_argument);
  }
  return false;
}

/// capture_result: as capture_error, for a function that returns a value: the value, or
/// nullopt with the failure in `ec`.
template <class F, class R = std::invoke_result_t<F&>>
std::optional<R> capture_result(std::error_code& ec, F&& fn) {
  std::optional<R> out;
  capture_error(ec, [&] { out.emplace(fn()); });
  return out;
}

}  // namespace detail
SSLPP_END_NAMESPACE
