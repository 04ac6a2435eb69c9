// sslpp — SPDX-License-Identifier: MIT
//
// error.hpp: the exception hierarchy (Python's SSLError family) and the
// error codes the non-throwing overloads report.
#pragma once

#include <sslpp/config.hpp>

#include <cstddef>
#include <string>
#include <system_error>
#include <vector>

SSLPP_BEGIN_NAMESPACE

/// ssl_errc: the kinds of TLS failure, numbered as Python's SSL_ERROR_* constants
/// (and OpenSSL's SSL_get_error results), in `ssl_category()`.
enum class ssl_errc {
  ssl = 1,          ///< a protocol or library failure (details in the exception's reason)
  want_read = 2,    ///< a non-blocking operation needs the socket to become readable
  want_write = 3,   ///< a non-blocking operation needs the socket to become writable
  syscall = 5,      ///< the transport failed underneath TLS
  zero_return = 6,  ///< the peer closed the TLS connection cleanly (close_notify)
  eof = 8,          ///< the transport ended without close_notify: a truncation attack or a careless peer
  /// want_private_key_operation: a non-blocking handshake waits for its private_key_signer
  /// to answer (BoringSSL's SSL_ERROR_WANT_PRIVATE_KEY_OPERATION; Python has no such code)
  want_private_key_operation = 13,
};

/// ssl_category: the category of `ssl_errc` values; its name is "ssl".
SSLPP_DECL const std::error_category& ssl_category() noexcept;

/// verify_category: the category of certificate verification results; a value is
/// an X509_V_ERR_* code and its message the backend's reason ("certificate has expired").
SSLPP_DECL const std::error_category& verify_category() noexcept;

/// boringssl_category: the category of the backend's packed error codes; the message is
/// "[LIB: REASON]" as Python prints it.
SSLPP_DECL const std::error_category& boringssl_category() noexcept;

/// make_error_code: lets `ec == sslpp::ssl_errc::want_read` compare.
inline std::error_code make_error_code(ssl_errc e) noexcept {
  return {static_cast<int>(e), ssl_category()};
}

/// ssl_error: the base of every TLS failure sslpp throws (Python's ssl.SSLError).
///
/// `code()` is the precise error (an `ssl_errc`, a backend error, a verify result or a
/// system errno); `library()` and `reason()` are the backend's words ("SSL",
/// "CERTIFICATE_VERIFY_FAILED"), empty when the failure did not come from the backend;
/// `what()` is a whole sentence naming what failed, why, and where (file, host).
class ssl_error : public std::system_error {
 public:
  /// Makes an error with code `ec`, full message `message`, and the backend's library and reason.
  ssl_error(std::error_code ec, std::string message, std::string library = {}, std::string reason = {});

  /// what: the whole message, without the category text std::system_error would append.
  const char* what() const noexcept override;
  /// library: the backend library that reported the error ("SSL", "PEM", "X509"), or "".
  const std::string& library() const noexcept { return library_; }
  /// reason: the backend's reason mnemonic ("WRONG_VERSION_NUMBER"), or "".
  const std::string& reason() const noexcept { return reason_; }

 private:
  std::string message_;
  std::string library_;
  std::string reason_;
};

/// zero_return_error: the peer closed TLS cleanly with close_notify (Python's SSLZeroReturnError).
class zero_return_error : public ssl_error {
 public:
  using ssl_error::ssl_error;
};

/// want_read_error: a non-blocking operation must be retried once the transport is readable.
class want_read_error : public ssl_error {
 public:
  using ssl_error::ssl_error;
};

/// want_write_error: a non-blocking operation must be retried once the transport is writable.
class want_write_error : public ssl_error {
 public:
  using ssl_error::ssl_error;
};

/// want_private_key_operation_error: a non-blocking handshake waits for the context's
/// private_key_signer, which answers later: call do_handshake() again once it completed
/// (see signature_completion).
class want_private_key_operation_error : public ssl_error {
 public:
  using ssl_error::ssl_error;
};

/// syscall_error: the transport under TLS failed (reset, timeout); `code()` holds the errno.
class syscall_error : public ssl_error {
 public:
  using ssl_error::ssl_error;
};

/// eof_error: the transport ended in the middle of TLS, without close_notify
/// ("EOF occurred in violation of protocol", Python's SSLEOFError).
class eof_error : public ssl_error {
 public:
  using ssl_error::ssl_error;
};

/// certificate_error: a certificate was refused (Python's ssl.CertificateError).
class certificate_error : public ssl_error {
 public:
  using ssl_error::ssl_error;
};

/// cert_verification_error: the peer's certificate failed verification
/// (Python's SSLCertVerificationError). `verify_code()` is the X509_V_ERR_* value,
/// `verify_message()` its text ("Hostname mismatch, certificate is not valid for 'x'.").
class cert_verification_error : public certificate_error {
 public:
  /// Makes the error from the verify result, its text, and the whole message.
  cert_verification_error(long verify_code, std::string verify_message, std::string message);

  /// verify_code: the X509_V_ERR_* code of the failure (e.g. 10 for an expired certificate).
  long verify_code() const noexcept { return verify_code_; }
  /// verify_message: the verify failure in words, with the host name for a mismatch.
  const std::string& verify_message() const noexcept { return verify_message_; }

 private:
  long verify_code_;
  std::string verify_message_;
};

/// ech_rejected_error: the server did not accept this client's Encrypted Client Hello
/// (it has no key for the config offered: rotated keys, a stale DNS record, or ECH
/// turned off). The handshake went on with the outer ClientHello, which names only the
/// public name, and the server's certificate was verified for that public name (a
/// certificate not valid for it fails with cert_verification_error instead, and then no
/// retry configs are given out); then the client ended the connection, which never
/// carried application data. The real server name was never sent in clear.
///
/// `code()` is the backend's SSL_R_ECH_REJECTED in boringssl_category(), `reason()`
/// "ECH_REJECTED". `retry_configs()` is the ECHConfigList the server sent, authenticated
/// as above: connect again (a new connection) with `wrap_options{.ech_config_list =
/// e.retry_configs()}`. When it is empty the server has turned ECH off: connecting again
/// without ECH would send the real name in clear, so that choice is left to the program.
///
/// Example:
///   try { tls = ctx.wrap_socket(connect(), "secret.example", {.ech_config_list = dns_list}); }
///   catch (const sslpp::ech_rejected_error& e) {
///     if (e.retry_configs().empty()) throw;
///     tls = ctx.wrap_socket(connect(), "secret.example", {.ech_config_list = e.retry_configs()});
///   }
class ech_rejected_error : public ssl_error {
 public:
  /// Makes the error from the backend's code, the whole message, the public name the
  /// server was authenticated as, and the retry configs it sent.
  ech_rejected_error(std::error_code ec, std::string message, std::string public_name,
                     std::vector<std::byte> retry_configs);

  /// retry_configs: the ECHConfigList the server sent to retry with; empty when it sent none.
  const std::vector<std::byte>& retry_configs() const noexcept { return retry_configs_; }
  /// public_name: the public name the rejecting server's certificate was verified for.
  const std::string& public_name() const noexcept { return public_name_; }

 private:
  std::string public_name_;
  std::vector<std::byte> retry_configs_;
};

SSLPP_END_NAMESPACE

template <>
struct std::is_error_code_enum<sslpp::ssl_errc> : std::true_type {};

#if SSLPP_WITH_DEFINITIONS
#include <sslpp/impl/error.ipp>
#endif
