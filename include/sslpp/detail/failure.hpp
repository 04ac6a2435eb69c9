// sslpp — SPDX-License-Identifier: MIT
//
// detail/failure.hpp: detail::failure, one failed TLS operation as the engine describes it,
// and throw_failure, which throws the matching exception (defined in impl/failure.ipp).
// Needs no backend header: every connection type's header names them.
#pragma once

#include <sslpp/config.hpp>

#include <cstddef>
#include <exception>
#include <string>
#include <system_error>
#include <vector>

SSLPP_BEGIN_NAMESPACE
namespace detail {

/// failure: one failed operation, described once, then either thrown or stored in an error_code.
struct failure {
  enum class kind { ssl, want_read, want_write, syscall, zero_return, eof, verify, want_private_key_operation, ech_rejected };
  kind what = kind::ssl;
  std::error_code code;
  std::string message;
  std::string library;
  std::string reason;
  long verify_code = 0;
  std::string verify_message;
  /// ech_public_name, ech_retry_configs: an ECH rejection's (kind::ech_rejected).
  std::string ech_public_name;
  std::vector<std::byte> ech_retry_configs;
  /// exception: what a byte stream's read_some/write_some threw (the cause of a syscall
  /// failure), rethrown as it is by throw_failure; null otherwise.
  std::exception_ptr exception;
};

/// throw_failure: throws the exception of Python's that matches `f`.
[[noreturn]] SSLPP_DECL void throw_failure(failure f);

}  // namespace detail
SSLPP_END_NAMESPACE

#if SSLPP_WITH_DEFINITIONS
#include <sslpp/impl/failure.ipp>
#endif
