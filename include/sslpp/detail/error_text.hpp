// sslpp — SPDX-License-Identifier: MIT
//
// detail/error_text.hpp: the backend's errors in words: Python's mnemonics of a packed
// error code, a reason as words, and OpenSSL's texts of the security level's verify codes.
// (Used by the error categories, impl/error.ipp, and by detail/error_impl.hpp.)
#pragma once

#include <sslpp/config.hpp>
#include <sslpp/detail/backend.hpp>
#include <sslpp/detail/text.hpp>

#include <cstdint>
#include <string>

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

// OpenSSL's verify codes of the security level's floor (detail/verify_floor.hpp), with
// OpenSSL's (and so Python's) numbers. This BoringSSL has no security levels and no such
// codes; its own x509.h numbers 66 and 67 differently (X509_V_ERR_STORE_LOOKUP, an
// internal lookup failure, and X509_V_ERR_NAME_CONSTRAINTS_WITHOUT_SANS), so
// engine::verify_text words a connection's 66 or 67 as the floor's only when the floor
// refused it; verify_category() (impl/error.ipp), which sees just the number, gives the floor's words.
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

/// verify_code_text: the words of any verify code: the floor's (above), else the backend's.
inline std::string verify_code_text(long code) {
  if (const char* floor = floor_verify_text(code)) return floor;
  const char* s = X509_verify_cert_error_string(code);
  return s ? s : "unknown verify error " + std::to_string(code);
}

}  // namespace detail
SSLPP_END_NAMESPACE
