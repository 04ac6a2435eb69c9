// sslpp — SPDX-License-Identifier: MIT
//
// impl/error.ipp: the definitions of error.hpp: the error categories and the exceptions'
// constructors. Included by error.hpp in the header-only mode (SSLPP_DECL is `inline`), and
// compiled once into the sslpp_compiled library in the compiled mode (see config.hpp).
#pragma once

#include <sslpp/config.hpp>
#include <sslpp/detail/error_text.hpp>
#include <sslpp/error.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

SSLPP_BEGIN_NAMESPACE
namespace detail {

class ssl_category_impl final : public std::error_category {
 public:
  const char* name() const noexcept override { return "ssl"; }
  std::string message(int value) const override {
    switch (static_cast<ssl_errc>(value)) {
      case ssl_errc::ssl: return "TLS protocol or library error";
      case ssl_errc::want_read: return "the operation did not complete (read)";
      case ssl_errc::want_write: return "the operation did not complete (write)";
      case ssl_errc::syscall: return "the transport failed";
      case ssl_errc::zero_return: return "TLS/SSL connection has been closed (EOF)";
      case ssl_errc::eof: return "EOF occurred in violation of protocol";
      case ssl_errc::want_private_key_operation: return "the operation did not complete (private key operation)";
    }
    return "unknown ssl error " + std::to_string(value);
  }
};

class verify_category_impl final : public std::error_category {
 public:
  const char* name() const noexcept override { return "x509-verify"; }
  std::string message(int value) const override {
    return verify_code_text(value);
  }
};

class boringssl_category_impl final : public std::error_category {
 public:
  const char* name() const noexcept override { return "boringssl"; }
  std::string message(int value) const override {
    const auto packed = static_cast<uint32_t>(value);
    return "[" + library_mnemonic(packed) + ": " + reason_mnemonic(packed) + "] " +
           reason_words(reason_mnemonic(packed));
  }
};

}  // namespace detail

SSLPP_DECL const std::error_category& ssl_category() noexcept {
  static const detail::ssl_category_impl instance;
  return instance;
}
SSLPP_DECL const std::error_category& verify_category() noexcept {
  static const detail::verify_category_impl instance;
  return instance;
}
SSLPP_DECL const std::error_category& boringssl_category() noexcept {
  static const detail::boringssl_category_impl instance;
  return instance;
}

SSLPP_DECL ssl_error::ssl_error(std::error_code ec, std::string message, std::string library, std::string reason)
    : std::system_error(ec, message),
      message_(std::move(message)),
      library_(std::move(library)),
      reason_(std::move(reason)) {}

SSLPP_DECL const char* ssl_error::what() const noexcept { return message_.c_str(); }

SSLPP_DECL cert_verification_error::cert_verification_error(long verify_code, std::string verify_message,
                                                            std::string message)
    : certificate_error(std::error_code(static_cast<int>(verify_code), verify_category()), std::move(message), "SSL",
                        "CERTIFICATE_VERIFY_FAILED"),
      verify_code_(verify_code),
      verify_message_(std::move(verify_message)) {}

SSLPP_DECL ech_rejected_error::ech_rejected_error(std::error_code ec, std::string message, std::string public_name,
                                                  std::vector<std::byte> retry_configs)
    : ssl_error(ec, std::move(message), "SSL", "ECH_REJECTED"),
      public_name_(std::move(public_name)),
      retry_configs_(std::move(retry_configs)) {}

SSLPP_END_NAMESPACE
