// sslpp — SPDX-License-Identifier: MIT
//
// detail/verify_floor.hpp: the security level's floor on the peer's certificate chain —
// minimum key sizes and signature digests, as OpenSSL's security levels set them (which
// Python relies on: its default level 2 refuses RSA-1024 and SHA-1). BoringSSL has no
// security levels, so sslpp applies the floor in a verify callback that every SSL_CTX it
// makes carries (apply_verify_mode), for a client verifying a server and a server
// verifying client certificates alike.
#pragma once

#include <sslpp/certificate.hpp>
#include <sslpp/detail/backend.hpp>
#include <sslpp/detail/error_impl.hpp>
#include <sslpp/detail/backend_state.hpp>
#include <sslpp/detail/x509_fields.hpp>

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <memory>
#include <string>

SSLPP_BEGIN_NAMESPACE
namespace detail {

/// max_security_level: the highest level (OpenSSL's levels are 0 to 5).
inline constexpr int max_security_level = 5;

// What each level requires, by index (OpenSSL's SSL_CTX_set_security_level(3) table):
// bits of security, then the key sizes that give them (NIST SP 800-57 part 1, as OpenSSL's
// BN_security_bits and EC's order/2 rule compute them).
inline constexpr int level_security_bits[] = {0, 80, 112, 128, 192, 256};
inline constexpr int level_ff_key_bits[] = {0, 1024, 2048, 3072, 7680, 15360};  // RSA, DSA, DH
inline constexpr int level_ec_key_bits[] = {0, 160, 224, 256, 384, 512};

/// check_security_level: throws std::invalid_argument naming `level` when it is not 0..5.
inline void check_security_level(int level) {
  if (level < 0 || level > max_security_level)
    throw std::invalid_argument("set_security_level: " + std::to_string(level) +
                                " is not a security level (OpenSSL's levels are 0 to 5)");
}

inline int security_level_of(const SSL_CTX* ctx) { return features_of(ctx).security_level.load(); }
inline void set_security_level(SSL_CTX* ctx, int level) {
  check_security_level(level);
  features_of(ctx).security_level.store(level);
  renew_session_context(ctx);
}

/// parsed_public_key: a copy of `x`'s public key, decoded from its SubjectPublicKeyInfo
/// and owned by the caller; null when it cannot be decoded. X509_get_pubkey would decode
/// it into `x` and keep it there for the certificate's life: every peer certificate of
/// every live connection would carry its decoded key (some 650 bytes for a P-256 leaf).
inline evp_pkey_ptr parsed_public_key(X509* x) {
  std::uint8_t* der = nullptr;
  const int len = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(x), &der);
  if (len <= 0) return {};
  const bssl::UniquePtr<std::uint8_t> owned(der);
  CBS cbs;
  CBS_init(&cbs, der, static_cast<std::size_t>(len));
  evp_pkey_ptr key(EVP_parse_public_key(&cbs));
  if (key && CBS_len(&cbs) != 0) return {};
  return key;
}

/// key_floor_fault: why the public key of `x` is too weak for `level`, or "" when it is not.
inline std::string key_floor_fault(X509* x, int level) {
  const evp_pkey_ptr key = parsed_public_key(x);
  if (!key) {
    ERR_clear_error();
    // OpenSSL too refuses a key whose strength it cannot tell (security bits -1).
    return "a public key of a type this library cannot assess; security level " + std::to_string(level) +
           " requires a known key type";
  }
  const int bits = EVP_PKEY_bits(key.get());
  const auto too_small = [&](const char* type, const int* table) -> std::string {
    if (bits >= table[level]) return {};
    return std::string(type) + " key of " + std::to_string(bits) + " bits; security level " + std::to_string(level) +
           " requires " + std::to_string(table[level]);
  };
  switch (EVP_PKEY_id(key.get())) {
    case EVP_PKEY_RSA:
    case EVP_PKEY_RSA_PSS: return too_small("RSA", level_ff_key_bits);
    case EVP_PKEY_DSA: return too_small("DSA", level_ff_key_bits);
    case EVP_PKEY_DH: return too_small("DH", level_ff_key_bits);
    case EVP_PKEY_EC: return too_small("EC", level_ec_key_bits);
    case EVP_PKEY_ED25519:
      // 128 bits of security (RFC 8032), whatever EVP_PKEY_bits says (253).
      if (level_security_bits[level] <= 128) return {};
      return "Ed25519 key of 128-bit security; security level " + std::to_string(level) + " requires " +
             std::to_string(level_security_bits[level]) + "-bit security";
    default:
      return "a public key of a type this library cannot assess; security level " + std::to_string(level) +
             " requires a known key type";
  }
}

/// signature_floor_fault: why the signature on `x` (by its issuer) is too weak for
/// `level`, or "" when it is not. A signature's strength is its digest's collision
/// resistance, half its output bits (MD5 64, SHA-1 80, SHA-256 128), as OpenSSL 1.1 counts
/// it: level 1 refuses MD5, level 2 SHA-1 too.
inline std::string signature_floor_fault(X509* x, int level) {
  const int sig_nid = X509_get_signature_nid(x);
  const char* sig_name = sig_nid != NID_undef ? OBJ_nid2ln(sig_nid) : nullptr;
  const std::string signed_with = std::string("signed with ") + (sig_name ? sig_name : "an unknown algorithm");
  int md_nid = NID_undef, pkey_nid = NID_undef;
  int security = -1;
  std::string digest;
  if (sig_nid != NID_undef && OBJ_find_sigid_algs(sig_nid, &md_nid, &pkey_nid)) {
    if (md_nid != NID_undef) {
      if (const EVP_MD* md = EVP_get_digestbynid(md_nid)) {
        security = static_cast<int>(EVP_MD_size(md)) * 4;
        digest = OBJ_nid2sn(md_nid);
      }
    } else if (pkey_nid == NID_ED25519) {
      security = 128;
    } else if (sig_nid == NID_rsassaPss) {
      // The digest is in the parameters; BoringSSL verifies PSS with SHA-256, -384 or
      // -512 only, so at least 128 bits.
      security = 128;
    }
  }
  if (security >= level_security_bits[level]) return {};
  if (security < 0)
    return signed_with + ", whose strength this library cannot assess; security level " + std::to_string(level) +
           " requires " + std::to_string(level_security_bits[level]) + "-bit security";
  return signed_with + " (" + digest + ", " + std::to_string(security) + "-bit security); security level " +
         std::to_string(level) + " requires " + std::to_string(level_security_bits[level]);
}

/// subject_text: a certificate's subject as RFC 4514 text, as certificate::subject().rfc4514()
/// prints it ("CN=localhost,O=sslpp tests").
inline std::string subject_text(X509* x) { return make_distinguished_name(subject_entries(x)).rfc4514(); }

/// verify_floor_callback: the verify callback of every SSL_CTX sslpp makes. The backend
/// calls it with preverify_ok = 1 once for each certificate of a chain that verified,
/// from the trust anchor down to the leaf; it then refuses a key below the level
/// (X509_V_ERR_EE_KEY_TOO_SMALL for the leaf, X509_V_ERR_CA_KEY_TOO_SMALL above it) or a
/// signature digest below it (X509_V_ERR_CA_MD_TOO_WEAK), except the trust anchor's own
/// signature: the anchor is trusted because it was configured, not because of who signed
/// it (OpenSSL's rule too). The level is read from the SSL_CTX the connection uses now,
/// since a server's SNI callback may have switched it. What it refuses, and why, is kept
/// in the connection's conn_features for the error message. Any failure it sees
/// (preverify_ok = 0) is left as the backend reported it.
inline int verify_floor_callback(int preverify_ok, X509_STORE_CTX* store) noexcept {
  if (!preverify_ok) return 0;
  auto* ssl = static_cast<SSL*>(X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx()));
  if (!ssl) return 1;
  const ctx_features* f = find_features(SSL_get_SSL_CTX(ssl));
  const int level = f ? f->security_level.load() : 2;
  if (level <= 0) return 1;
  X509* x = X509_STORE_CTX_get_current_cert(store);
  if (!x) return 1;
  const int depth = X509_STORE_CTX_get_error_depth(store);
  STACK_OF(X509)* chain = X509_STORE_CTX_get0_chain(store);
  const bool anchor = chain && depth == static_cast<int>(sk_X509_num(chain)) - 1;
  // An exception must not cross the backend's C frames: a failure to build the message
  // (out of memory) still refuses the certificate, with a shorter text.
  long code = 0;
  try {
    std::string fault = key_floor_fault(x, level);
    code = depth == 0 ? x509_v_err_ee_key_too_small : x509_v_err_ca_key_too_small;
    if (fault.empty() && !anchor) {
      fault = signature_floor_fault(x, level);
      code = x509_v_err_ca_md_too_weak;
    }
    if (fault.empty()) return 1;
    if (conn_features* c = connection_features(ssl)) {
      c->floor_code = code;
      c->floor_detail =
          std::make_unique<std::string>("certificate '" + subject_text(x) + "' at depth " + std::to_string(depth) + ": " + fault);
    }
  } catch (...) {
    if (code == 0) code = depth == 0 ? x509_v_err_ee_key_too_small : x509_v_err_ca_key_too_small;
  }
  X509_STORE_CTX_set_error(store, static_cast<int>(code));
  return 0;
}

/// floor_detail_for: what the floor said about a verify result of `code` on `ssl`, or ""
/// when the floor did not set it (for 66 and 67, the backend's own codes then).
inline std::string floor_detail_for(const SSL* ssl, long code) {
  const auto* c = static_cast<const conn_features*>(SSL_get_ex_data(ssl, conn_features_index()));
  if (!c || c->floor_code == 0 || c->floor_code != code || !c->floor_detail) return {};
  return *c->floor_detail;
}

}  // namespace detail
SSLPP_END_NAMESPACE
