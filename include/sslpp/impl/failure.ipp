// sslpp — SPDX-License-Identifier: MIT
//
// impl/failure.ipp: the definition of detail::throw_failure. Included by detail/failure.hpp
// in the header-only mode (SSLPP_DECL is `inline`), and compiled once into the
// sslpp_compiled library in the compiled mode (see config.hpp).
#pragma once

#include <sslpp/config.hpp>
#include <sslpp/detail/failure.hpp>
#include <sslpp/error.hpp>

#include <exception>
#include <utility>

SSLPP_BEGIN_NAMESPACE
namespace detail {

[[noreturn]] SSLPP_DECL void throw_failure(failure f) {
  if (f.exception) std::rethrow_exception(f.exception);  // the program's own exception, as it threw it
  switch (f.what) {
    case failure::kind::want_read: throw want_read_error(f.code, std::move(f.message));
    case failure::kind::want_write: throw want_write_error(f.code, std::move(f.message));
    case failure::kind::want_private_key_operation:
      throw want_private_key_operation_error(f.code, std::move(f.message));
    case failure::kind::syscall: throw syscall_error(f.code, std::move(f.message));
    case failure::kind::zero_return: throw zero_return_error(f.code, std::move(f.message));
    case failure::kind::eof: throw eof_error(f.code, std::move(f.message));
    case failure::kind::verify:
      throw cert_verification_error(f.verify_code, std::move(f.verify_message), std::move(f.message));
    case failure::kind::ech_rejected:
      throw ech_rejected_error(f.code, std::move(f.message), std::move(f.ech_public_name),
                               std::move(f.ech_retry_configs));
    case failure::kind::ssl: break;
  }
  throw ssl_error(f.code, std::move(f.message), std::move(f.library), std::move(f.reason));
}

}  // namespace detail
SSLPP_END_NAMESPACE
