// sslpp — SPDX-License-Identifier: MIT
//
// password.hpp: the password of an encrypted private key, given as text or asked for.
#pragma once

#include <sslpp/config.hpp>

#include <functional>
#include <string>
#include <string_view>
#include <utility>

SSLPP_BEGIN_NAMESPACE

/// password: the password of an encrypted private key (Python's `password` argument of
/// load_cert_chain): none, a string, or a callback that is called only if the key is
/// encrypted, so a prompt is shown only when needed.
///
/// Example:
///   ctx.load_cert_chain("cert.pem", "key.pem", "s3cret");
///   ctx.load_cert_chain("cert.pem", "key.pem", [] { return read_password_from_tty(); });
class password {
 public:
  /// No password: loading an encrypted key fails with a message saying a password is needed.
  password() = default;
  /// A password given as text.
  password(std::string text) : get_([t = std::move(text)] { return t; }) {}  // NOLINT
  /// A password given as text.
  password(const char* text) : password(std::string(text)) {}  // NOLINT
  /// A password given as text.
  password(std::string_view text) : password(std::string(text)) {}  // NOLINT
  /// A callback returning the password, called only for an encrypted key.
  template <class F>
    requires std::is_invocable_r_v<std::string, F&>
  password(F callback) : get_(std::move(callback)) {}  // NOLINT

  /// given: whether a password or callback was supplied.
  bool given() const noexcept { return static_cast<bool>(get_); }
  /// get: the password (calls the callback). Precondition: given().
  std::string get() const { return get_(); }

 private:
  std::function<std::string()> get_;
};

SSLPP_END_NAMESPACE
