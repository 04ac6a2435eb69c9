// sslpp — SPDX-License-Identifier: MIT
//
// detail/cipher_suites.hpp: cipher suites: their names and protocol versions as Python
// shows them, a context's list, the suites both ends enable.
#pragma once

#include <sslpp/detail/backend_state.hpp>
#include <sslpp/cipher.hpp>
#include <fcntl.h>
#include <unistd.h>
#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <mutex>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

SSLPP_BEGIN_NAMESPACE
namespace detail {

/// cipher_protocol: the protocol version a suite was defined for, as Python (on OpenSSL 3)
/// names it; BoringSSL's SSL_CIPHER_get_version says "TLSv1/SSLv3" for every pre-1.3 suite.
inline std::string cipher_protocol(const SSL_CIPHER* c) {
  switch (SSL_CIPHER_get_min_version(c)) {
    case TLS1_3_VERSION: return "TLSv1.3";
    case TLS1_2_VERSION: return "TLSv1.2";
    case SSL3_VERSION: return "SSLv3";
    default: return "TLSv1.0";
  }
}

/// info_of: a suite's name (OpenSSL's, as Python shows it), protocol and secret bits.
inline cipher_info info_of(const SSL_CIPHER* c) {
  return cipher_info{SSL_CIPHER_get_name(c), cipher_protocol(c), SSL_CIPHER_get_bits(c, nullptr)};
}

/// current_cipher: the negotiated suite, nullopt before the handshake.
inline std::optional<cipher_info> current_cipher(const SSL* ssl) {
  const SSL_CIPHER* c = SSL_get_current_cipher(ssl);
  if (!c) return std::nullopt;
  return info_of(c);
}

inline std::string lower_nid_name(int nid) {
  if (nid == NID_undef) return {};
  const char* ln = OBJ_nid2ln(nid);
  std::string s = ln ? ln : "";
  for (char& ch : s) ch = ascii_lower(ch);
  return s;
}

// A field of the backend's description ("Kx=ECDH"), with OpenSSL's "any" for TLS 1.3's GENERIC.
inline std::string description_field(std::string_view desc, std::string_view key) {
  const std::size_t at = desc.find(key);
  if (at == std::string_view::npos) return {};
  std::size_t end = desc.find_first_of(" \n", at);
  std::string v(desc.substr(at + key.size(), end == std::string_view::npos ? std::string_view::npos : end - at - key.size()));
  return v == "GENERIC" ? "any" : v;
}

/// describe_cipher: one get_ciphers() entry, with Python's fields and values.
inline cipher_description describe_cipher(const SSL_CIPHER* c) {
  cipher_description d;
  d.id = SSL_CIPHER_get_id(c);
  d.name = SSL_CIPHER_get_name(c);
  d.protocol = cipher_protocol(c);
  int alg_bits = 0;
  d.strength_bits = SSL_CIPHER_get_bits(c, &alg_bits);
  d.alg_bits = alg_bits;
  d.aead = SSL_CIPHER_is_aead(c) != 0;
  d.symmetric = lower_nid_name(SSL_CIPHER_get_cipher_nid(c));
  d.digest = lower_nid_name(SSL_CIPHER_get_digest_nid(c));  // "" (Python's None) for AEADs
  d.kea = lower_nid_name(SSL_CIPHER_get_kx_nid(c));
  d.auth = lower_nid_name(SSL_CIPHER_get_auth_nid(c));
  char buf[256];
  const std::string_view backend = SSL_CIPHER_description(c, buf, sizeof buf);
  // OpenSSL's layout, as Python shows it: name, protocol, Kx, Au, Enc, Mac.
  char line[256];
  std::snprintf(line, sizeof line, "%-30s %-7s Kx=%-8s Au=%-4s Enc=%-22s Mac=%s", d.name.c_str(), d.protocol.c_str(),
                description_field(backend, "Kx=").c_str(), description_field(backend, "Au=").c_str(),
                description_field(backend, "Enc=").c_str(), description_field(backend, "Mac=").c_str());
  d.description = line;
  return d;
}

// The TLS 1.3 suites, always enabled in BoringSSL and not part of the cipher list.
inline constexpr std::uint16_t tls13_suites[] = {0x1301, 0x1302, 0x1303};

inline bool allows_tls13(const SSL_CTX* ctx) { return SSL_CTX_get_max_proto_version(ctx) >= TLS1_3_VERSION; }
inline bool allows_tls12(const SSL_CTX* ctx) { return SSL_CTX_get_min_proto_version(ctx) <= TLS1_2_VERSION; }

/// enabled_ciphers: the suites a context can negotiate, TLS 1.3's first as OpenSSL lists them.
inline std::vector<const SSL_CIPHER*> enabled_ciphers(const SSL_CTX* ctx) {
  std::vector<const SSL_CIPHER*> out;
  if (allows_tls13(ctx))
    for (std::uint16_t v : tls13_suites)
      if (const SSL_CIPHER* c = SSL_get_cipher_by_value(v)) out.push_back(c);
  if (allows_tls12(ctx)) {
    STACK_OF(SSL_CIPHER)* sk = SSL_CTX_get_ciphers(ctx);
    for (std::size_t i = 0; sk && i < sk_SSL_CIPHER_num(sk); ++i) out.push_back(sk_SSL_CIPHER_value(sk, i));
  }
  return out;
}

inline std::vector<cipher_description> describe_ciphers(const SSL_CTX* ctx) {
  std::vector<cipher_description> out;
  for (const SSL_CIPHER* c : enabled_ciphers(ctx)) out.push_back(describe_cipher(c));
  return out;
}

/// shared_cipher_list: for a server connection after the handshake, the suites the client
/// offered that this server also enables, in the server's order (Python's
/// shared_ciphers()); nullopt on a client or before the handshake.
inline std::optional<std::vector<cipher_info>> shared_cipher_list(const SSL* ssl) {
  if (!SSL_is_server(ssl) || !SSL_is_init_finished(ssl)) return std::nullopt;
  const auto* c = static_cast<conn_features*>(SSL_get_ex_data(ssl, conn_features_index()));
  if (!c) return std::nullopt;
  std::vector<cipher_info> out;
  for (const SSL_CIPHER* cipher : enabled_ciphers(SSL_get_SSL_CTX(ssl))) {
    const auto value = SSL_CIPHER_get_protocol_id(cipher);
    for (std::uint16_t offered : c->client_ciphers)
      if (offered == value) {
        out.push_back(info_of(cipher));
        break;
      }
  }
  return out;
}

}  // namespace detail
SSLPP_END_NAMESPACE
