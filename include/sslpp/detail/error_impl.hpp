// sslpp — SPDX-License-Identifier: MIT
//
// detail/error_impl.hpp: the error categories and the translation of the
// backend's error queue into sslpp's exceptions.
#pragma once

#include <sslpp/detail/backend.hpp>
#include <sslpp/detail/text.hpp>
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

/// library_mnemonic: Python's short name of a backend library ("SSL", "PEM", "X509").
inline std::string library_mnemonic(uint32_t packed) {
  switch (ERR_GET_LIB(packed)) {
    case ERR_LIB_SSL: return "SSL";
    case ERR_LIB_PEM: return "PEM";
    case ERR_LIB_X509: return "X509";
    case ERR_LIB_X509V3: return "X509V3";
    case ERR_LIB_ASN1: return "ASN1";
    case ERR_LIB_EVP: return "EVP";
    case ERR_LIB_RSA: return "RSA";
    case ERR_LIB_EC: return "EC";
    case ERR_LIB_CIPHER: return "CIPHER";
    case ERR_LIB_PKCS8: return "PKCS8";
    case ERR_LIB_SYS: return "SYS";
    case ERR_LIB_BIO: return "BIO";
    default: {
      const char* s = ERR_lib_error_string(packed);
      return s ? s : "UNKNOWN";
    }
  }
}

/// reason_mnemonic: the backend's reason for a packed error ("WRONG_VERSION_NUMBER").
inline std::string reason_mnemonic(uint32_t packed) {
  const char* s = ERR_reason_error_string(packed);
  return s ? s : "unknown error " + std::to_string(ERR_GET_REASON(packed));
}

/// reason_words: a reason mnemonic as lower-case words ("wrong version number"), as Python's messages read.
inline std::string reason_words(std::string reason) {
  for (char& c : reason) {
    if (c == '_') c = ' ';
    else c = ascii_lower(c);
  }
  return reason;
}

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

// OpenSSL's verify codes of the security level's floor (detail/verify_floor.hpp), with
// OpenSSL's (and so Python's) numbers. This BoringSSL has no security levels and no such
// codes; its own x509.h numbers 66 and 67 differently (X509_V_ERR_STORE_LOOKUP, an
// internal lookup failure, and X509_V_ERR_NAME_CONSTRAINTS_WITHOUT_SANS), so
// engine::verify_text words a connection's 66 or 67 as the floor's only when the floor
// refused it; the category below, which sees just the number, gives the floor's words.
inline constexpr long x509_v_err_ee_key_too_small = 66;
inline constexpr long x509_v_err_ca_key_too_small = 67;
inline constexpr long x509_v_err_ca_md_too_weak = 68;

/// floor_verify_text: OpenSSL's text of a security-level verify code, or null for any other code.
inline const char* floor_verify_text(long code) noexcept {
  switch (code) {
    case x509_v_err_ee_key_too_small: return "EE certificate key too weak";
    case x509_v_err_ca_key_too_small: return "CA certificate key too weak";
    case x509_v_err_ca_md_too_weak: return "CA signature digest algorithm too weak";
    default: return nullptr;
  }
}

class verify_category_impl final : public std::error_category {
 public:
  const char* name() const noexcept override { return "x509-verify"; }
  std::string message(int value) const override {
    if (const char* floor = floor_verify_text(value)) return floor;
    const char* s = X509_verify_cert_error_string(value);
    return s ? s : "unknown verify error " + std::to_string(value);
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
[[noreturn]] inline void throw_failure(failure f) {
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

inline const std::error_category& ssl_category() noexcept {
  static const detail::ssl_category_impl instance;
  return instance;
}
inline const std::error_category& verify_category() noexcept {
  static const detail::verify_category_impl instance;
  return instance;
}
inline const std::error_category& boringssl_category() noexcept {
  static const detail::boringssl_category_impl instance;
  return instance;
}

SSLPP_END_NAMESPACE
