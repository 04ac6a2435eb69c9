// sslpp — SPDX-License-Identifier: MIT
//
// cipher.hpp: what is known about a cipher suite.
#pragma once

#include <sslpp/config.hpp>

#include <string>

SSLPP_BEGIN_NAMESPACE

/// cipher_info: the negotiated cipher, as Python's SSLSocket.cipher() tuple:
/// its name ("TLS_AES_128_GCM_SHA256"), the protocol version that defined it ("TLSv1.3")
/// and its number of secret bits.
struct cipher_info {
  std::string name;      ///< the cipher suite's name, as OpenSSL spells it
  std::string protocol;  ///< the version the suite belongs to ("TLSv1.2", "TLSv1.3")
  int secret_bits = 0;   ///< the symmetric key's strength in bits
};

/// cipher_description: one enabled cipher suite, as an entry of Python's get_ciphers().
struct cipher_description {
  unsigned id = 0;           ///< the suite's number with OpenSSL's 0x0300 prefix, as Python shows it
  std::string name;          ///< OpenSSL's name ("ECDHE-RSA-AES128-GCM-SHA256")
  std::string protocol;      ///< "TLSv1.2" or "TLSv1.3"
  std::string description;   ///< the backend's one-line description
  int strength_bits = 0;     ///< the symmetric key's strength
  int alg_bits = 0;          ///< the symmetric algorithm's key size
  bool aead = false;         ///< whether the suite is an AEAD
  std::string symmetric;     ///< the symmetric cipher ("aes-128-gcm"), Python's form
  std::string digest;        ///< the MAC digest ("sha1"); empty for AEADs (Python's None)
  std::string kea;           ///< key exchange ("kx-ecdhe")
  std::string auth;          ///< authentication ("auth-rsa")
};

SSLPP_END_NAMESPACE
