// sslpp — SPDX-License-Identifier: MIT
//
// detail/ech_backend.hpp: Encrypted Client Hello over the backend — HPKE keys, the
// ECHConfig and ECHConfigList wire formats (draft-ietf-tls-esni-13, the version this
// BoringSSL and today's deployments speak), the server's SSL_ECH_KEYS, and the checks a
// client makes before it offers ECH.
#pragma once

#include <sslpp/detail/backend.hpp>
#include <sslpp/detail/error_impl.hpp>

#include <openssl/curve25519.h>
#include <openssl/hpke.h>

// This BoringSSL must have ECH (added in 2021): without it, say so at compile time rather
// than offer a feature that would silently send the server name in clear.
#if !defined(SSL_R_ECH_REJECTED) || !defined(EVP_HPKE_MAX_PRIVATE_KEY_LENGTH)
#error "sslpp's Encrypted Client Hello needs a BoringSSL with ECH (SSL_ECH_KEYS_new, SSL_set1_ech_config_list, SSL_R_ECH_REJECTED, <openssl/hpke.h> with EVP_HPKE_KEY), which this one lacks: build against a BoringSSL from 2022 or later (Debian 12's android-libboringssl-dev has it)"
#endif

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

SSLPP_BEGIN_NAMESPACE
namespace detail {

/// The ECHConfig version this backend speaks (draft 13, kept by the RFC).
inline constexpr std::uint16_t ech_config_version = 0xfe0d;
/// The one KEM this backend implements: DHKEM(X25519, HKDF-SHA256).
inline constexpr std::uint16_t ech_kem_x25519 = 0x0020;
inline constexpr std::uint16_t hpke_kdf_hkdf_sha256 = 0x0001;

/// ech_key_state: one ECH key pair and the ECHConfig that publishes its public half.
/// Immutable once made; shared by every copy of an sslpp::ech_keys.
struct ech_key_state {
  bssl::UniquePtr<EVP_HPKE_KEY> key;
  std::vector<std::uint8_t> config;  // one serialized ECHConfig
  std::uint8_t config_id = 0;
  std::string public_name;
};

/// ech_config_fields: what sslpp reads of one ECHConfig.
struct ech_config_fields {
  std::uint16_t version = 0;
  std::uint8_t config_id = 0;
  std::uint16_t kem_id = 0;
  std::vector<std::uint8_t> public_key;
  bool has_supported_suite = false;       // HKDF-SHA256 with AES-128-GCM, AES-256-GCM or ChaCha20-Poly1305
  bool has_mandatory_extension = false;   // an extension whose high bit says "do not use if unknown"
  std::string public_name;
};

/// valid_ech_public_name: whether `name` is a DNS name a client accepts as a public name,
/// by the backend's rule (letters, digits, hyphens and dots; labels of 1 to 63 bytes that
/// neither start nor end with a hyphen; the last label not a number, so that no IPv4
/// address passes). A config whose public name
/// fails is skipped by every client, which then sends the real name in clear.
inline bool valid_ech_public_name(std::string_view name) {
  if (name.empty() || name.size() > 255 || name.front() == '.' || name.back() == '.') return false;
  std::string_view last;
  std::size_t start = 0;
  for (;;) {
    const std::size_t dot = name.find('.', start);
    const std::string_view label = name.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
    for (char c : label)
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-')) return false;
    last = label;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  // The last label may not be a decimal or 0x-hexadecimal number (WHATWG's IPv4 parser).
  std::string_view digits = last;
  bool hex = false;
  if (digits.size() >= 2 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X')) {
    digits.remove_prefix(2);
    hex = true;
  }
  for (char c : digits) {
    const bool ok = (c >= '0' && c <= '9') || (hex && ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')));
    if (!ok) return true;
  }
  return false;
}

/// parse_ech_config: reads one ECHConfig from `in` (advancing it); false when malformed.
/// A version other than draft 13's is skipped whole (its contents unread).
inline bool parse_ech_config(CBS* in, ech_config_fields& out) {
  CBS contents;
  if (!CBS_get_u16(in, &out.version) || !CBS_get_u16_length_prefixed(in, &contents)) return false;
  if (out.version != ech_config_version) return true;
  CBS public_key, suites, public_name, extensions;
  uint8_t max_name_len = 0;
  if (!CBS_get_u8(&contents, &out.config_id) || !CBS_get_u16(&contents, &out.kem_id) ||
      !CBS_get_u16_length_prefixed(&contents, &public_key) || CBS_len(&public_key) == 0 ||
      !CBS_get_u16_length_prefixed(&contents, &suites) || CBS_len(&suites) == 0 || CBS_len(&suites) % 4 != 0 ||
      !CBS_get_u8(&contents, &max_name_len) || !CBS_get_u8_length_prefixed(&contents, &public_name) ||
      CBS_len(&public_name) == 0 || !CBS_get_u16_length_prefixed(&contents, &extensions) || CBS_len(&contents) != 0)
    return false;
  out.public_key.assign(CBS_data(&public_key), CBS_data(&public_key) + CBS_len(&public_key));
  out.public_name.assign(reinterpret_cast<const char*>(CBS_data(&public_name)), CBS_len(&public_name));
  while (CBS_len(&suites) > 0) {
    uint16_t kdf = 0, aead = 0;
    CBS_get_u16(&suites, &kdf);
    CBS_get_u16(&suites, &aead);
    if (kdf == hpke_kdf_hkdf_sha256 && (aead == 0x0001 || aead == 0x0002 || aead == 0x0003))
      out.has_supported_suite = true;
  }
  while (CBS_len(&extensions) > 0) {
    uint16_t type = 0;
    CBS body;
    if (!CBS_get_u16(&extensions, &type) || !CBS_get_u16_length_prefixed(&extensions, &body)) return false;
    if (type & 0x8000) out.has_mandatory_extension = true;
  }
  return true;
}

/// usable_by_this_client: whether the backend's client would offer ECH with `c` (the
/// same tests as its own selection).
inline bool usable_by_this_client(const ech_config_fields& c) {
  return c.version == ech_config_version && c.kem_id == ech_kem_x25519 && c.public_key.size() == 32 &&
         c.has_supported_suite && !c.has_mandatory_extension && valid_ech_public_name(c.public_name);
}

/// valid_x25519_public_key: whether `key` is an X25519 public key HPKE can encrypt to. A
/// low-order point (all zeros, say) makes every shared secret zero, which the backend
/// refuses only in the middle of the handshake, with "invalid peer key".
inline bool valid_x25519_public_key(std::span<const std::uint8_t> key) {
  if (key.size() != X25519_PUBLIC_VALUE_LEN) return false;
  // Any scalar does: X25519 clears the cofactor, so a low-order point gives zero for all.
  std::uint8_t scalar[X25519_PRIVATE_KEY_LEN] = {1};
  std::uint8_t shared[X25519_SHARED_KEY_LEN];
  return X25519(shared, scalar, key.data()) == 1;
}

inline std::span<const std::uint8_t> as_u8(std::span<const std::byte> b) {
  return {reinterpret_cast<const std::uint8_t*>(b.data()), b.size()};
}
inline std::vector<std::byte> as_byte_vector(const std::uint8_t* data, std::size_t size) {
  const auto* p = reinterpret_cast<const std::byte*>(data);
  return std::vector<std::byte>(p, p + size);
}

/// hex_of: up to `max` bytes in hexadecimal, for error messages.
inline std::string hex_of(std::span<const std::uint8_t> b, std::size_t max = 8) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < b.size() && i < max; ++i) {
    out += digits[b[i] >> 4];
    out += digits[b[i] & 0xf];
  }
  if (b.size() > max) out += "...";
  return out;
}

/// check_ech_config_list: refuses, with std::invalid_argument naming what is wrong, a
/// client's ECHConfigList that is malformed or that holds no config this backend can use
/// (the backend would then go on without ECH and send the real server name in clear).
inline void check_ech_config_list(std::span<const std::byte> list) {
  const auto bytes = as_u8(list);
  if (bytes.empty())
    throw std::invalid_argument(
        "wrap_options::ech_config_list is empty: give the ECHConfigList the server publishes (its DNS HTTPS "
        "record's \"ech\" value, or sslpp::ech_keys::config_list()), or leave ECH off");
  CBS in, configs;
  CBS_init(&in, bytes.data(), bytes.size());
  if (!CBS_get_u16_length_prefixed(&in, &configs) || CBS_len(&in) != 0 || CBS_len(&configs) == 0) {
    std::string hint;
    if (bytes.size() >= 2 && (bytes[0] << 8 | bytes[1]) == ech_config_version)
      hint = " (it starts like a single ECHConfig: a list adds a two-byte length in front, as "
             "sslpp::ech_keys::config_list() and bssl-tool's -out-ech-config-list write it)";
    throw std::invalid_argument("wrap_options::ech_config_list is not an ECHConfigList: its " +
                                std::to_string(bytes.size()) + " bytes (" + hex_of(bytes) +
                                ") are not a two-byte length followed by that many bytes of ECHConfigs" + hint);
  }
  std::size_t count = 0;
  bool usable = false;
  std::string seen;
  while (CBS_len(&configs) > 0) {
    ech_config_fields c;
    if (!parse_ech_config(&configs, c))
      throw std::invalid_argument("wrap_options::ech_config_list is malformed: ECHConfig " + std::to_string(count + 1) +
                                  " is cut short or has inconsistent lengths");
    ++count;
    if (!usable && usable_by_this_client(c)) {
      // The backend offers the first config it can use, whatever follows: a bad key there
      // fails every handshake, so say so now.
      if (!valid_x25519_public_key(c.public_key))
        throw std::invalid_argument("wrap_options::ech_config_list is unusable: ECHConfig " + std::to_string(count) +
                                    " (config id " + std::to_string(c.config_id) + ", public name '" + c.public_name +
                                    "'), the one this client would use, has an X25519 public key that is a "
                                    "low-order point (" + hex_of(c.public_key) +
                                    "): no key can be agreed with it; the published config is corrupt");
      usable = true;
    }
    if (!seen.empty()) seen += "; ";
    if (c.version != ech_config_version) {
      seen += "version 0x" + hex_of(std::vector<std::uint8_t>{static_cast<std::uint8_t>(c.version >> 8),
                                                             static_cast<std::uint8_t>(c.version)});
    } else {
      seen += "KEM 0x" + hex_of(std::vector<std::uint8_t>{static_cast<std::uint8_t>(c.kem_id >> 8),
                                                         static_cast<std::uint8_t>(c.kem_id)});
      if (!c.has_supported_suite) seen += ", no HKDF-SHA256 AEAD suite";
      if (c.has_mandatory_extension) seen += ", a mandatory extension";
      if (!valid_ech_public_name(c.public_name)) seen += ", public name '" + c.public_name + "' not a DNS name";
    }
  }
  if (!usable)
    throw std::invalid_argument(
        "wrap_options::ech_config_list holds no ECHConfig this backend can use (" + std::to_string(count) +
        " config(s): " + seen +
        "; it needs version 0xfe0d, KEM 0x0020 (X25519), HKDF-SHA256 with AES-GCM or ChaCha20-Poly1305, no "
        "mandatory extension and a DNS public name): connecting would send the server name in clear, so sslpp "
        "refuses");
}

/// marshal_config: the ECHConfig of `key`.
inline std::vector<std::uint8_t> marshal_config(std::uint8_t config_id, const EVP_HPKE_KEY* key,
                                                const std::string& public_name, std::size_t max_name_length) {
  uint8_t* out = nullptr;
  std::size_t len = 0;
  if (!SSL_marshal_ech_config(&out, &len, config_id, key, public_name.c_str(), max_name_length))
    throw_backend_error("cannot make the ECHConfig for public name '" + public_name + "'");
  bssl::UniquePtr<uint8_t> owned(out);
  return std::vector<std::uint8_t>(out, out + len);
}

/// generate_ech_key: a new X25519 key pair and its ECHConfig (HKDF-SHA256, AES-128-GCM
/// and ChaCha20-Poly1305, the suites this backend writes).
inline std::shared_ptr<const ech_key_state> generate_ech_key(std::uint8_t config_id, std::string_view public_name,
                                                             std::size_t max_name_length) {
  if (!valid_ech_public_name(public_name))
    throw std::invalid_argument(
        "ech_keys::generate: the public name '" + std::string(public_name) +
        "' is not a DNS host name (letters, digits, hyphens, dots; labels of 1 to 63 bytes, no hyphen at either "
        "end; not an IP address): "
        "clients would ignore a config with it and send the real server name in clear");
  if (max_name_length > 255)
    throw std::invalid_argument("ech_keys::generate: max_name_length " + std::to_string(max_name_length) +
                                " is above 255 (the longest DNS name the config can announce)");
  auto s = std::make_shared<ech_key_state>();
  s->key.reset(EVP_HPKE_KEY_new());
  if (!s->key || !EVP_HPKE_KEY_generate(s->key.get(), EVP_hpke_x25519_hkdf_sha256()))
    throw_backend_error("cannot generate an ECH key (X25519)");
  s->public_name = std::string(public_name);
  s->config_id = config_id;
  s->config = marshal_config(config_id, s->key.get(), s->public_name, max_name_length);
  return s;
}

/// load_ech_key: an ECHConfig and its raw X25519 private key (the files bssl-tool's
/// generate-ech writes and its server's -ech-config / -ech-key read).
inline std::shared_ptr<const ech_key_state> load_ech_key(std::span<const std::byte> config_bytes,
                                                         std::span<const std::byte> private_key) {
  const auto cfg = as_u8(config_bytes);
  CBS in;
  CBS_init(&in, cfg.data(), cfg.size());
  ech_config_fields c;
  if (cfg.size() >= 4 && (cfg[2] << 8 | cfg[3]) == ech_config_version && static_cast<std::size_t>(cfg[0] << 8 | cfg[1]) == cfg.size() - 2)
    throw std::invalid_argument(
        "ech_keys::load: the config is an ECHConfigList (what DNS publishes and clients take), not one ECHConfig: "
        "give the single config (ech_keys::config(), bssl-tool's -out-ech-config file)");
  if (!parse_ech_config(&in, c) || CBS_len(&in) != 0)
    throw std::invalid_argument("ech_keys::load: the config's " + std::to_string(cfg.size()) + " bytes (" +
                                hex_of(cfg) + ") are not one ECHConfig");
  if (c.version != ech_config_version)
    throw std::invalid_argument("ech_keys::load: the ECHConfig has version 0x" +
                                hex_of(std::vector<std::uint8_t>{static_cast<std::uint8_t>(c.version >> 8),
                                                                 static_cast<std::uint8_t>(c.version)}) +
                                "; this backend speaks 0xfe0d (draft 13) only");
  if (c.kem_id != ech_kem_x25519)
    throw std::invalid_argument("ech_keys::load: the ECHConfig's KEM is 0x" +
                                hex_of(std::vector<std::uint8_t>{static_cast<std::uint8_t>(c.kem_id >> 8),
                                                                 static_cast<std::uint8_t>(c.kem_id)}) +
                                "; this backend has DHKEM(X25519, HKDF-SHA256) (0x0020) only");
  if (!c.has_supported_suite)
    throw std::invalid_argument(
        "ech_keys::load: the ECHConfig offers no cipher suite this backend has (HKDF-SHA256 with AES-128-GCM, "
        "AES-256-GCM or ChaCha20-Poly1305)");
  if (!valid_ech_public_name(c.public_name))
    throw std::invalid_argument("ech_keys::load: the ECHConfig's public name '" + c.public_name +
                                "' is not a DNS host name: clients would ignore the config");
  const auto priv = as_u8(private_key);
  if (priv.size() != 32)
    throw std::invalid_argument("ech_keys::load: the private key is " + std::to_string(priv.size()) +
                                " bytes; an X25519 ECH key is 32 raw bytes (bssl-tool's -out-private-key file, "
                                "ech_keys::private_key_bytes())");
  auto s = std::make_shared<ech_key_state>();
  s->key.reset(EVP_HPKE_KEY_new());
  if (!s->key || !EVP_HPKE_KEY_init(s->key.get(), EVP_hpke_x25519_hkdf_sha256(), priv.data(), priv.size()))
    throw_backend_error("ech_keys::load: cannot read the X25519 private key");
  uint8_t pub[EVP_HPKE_MAX_PUBLIC_KEY_LENGTH];
  std::size_t pub_len = 0;
  if (!EVP_HPKE_KEY_public_key(s->key.get(), pub, &pub_len, sizeof pub))
    throw_backend_error("ech_keys::load: cannot derive the public key");
  if (pub_len != c.public_key.size() || std::memcmp(pub, c.public_key.data(), pub_len) != 0)
    throw std::invalid_argument(
        "ech_keys::load: the private key does not belong to the config (its public key differs from the "
        "config's): the two files are of different key pairs");
  s->config.assign(cfg.begin(), cfg.end());
  s->config_id = c.config_id;
  s->public_name = c.public_name;
  return s;
}

/// ech_private_key_bytes: the raw X25519 private key of `k` (32 bytes).
inline std::vector<std::byte> ech_private_key_bytes(const ech_key_state& k) {
  std::uint8_t raw[EVP_HPKE_MAX_PRIVATE_KEY_LENGTH];
  std::size_t len = 0;
  if (!EVP_HPKE_KEY_private_key(k.key.get(), raw, &len, sizeof raw))
    throw_backend_error("ech_keys: cannot serialize the private key");
  auto out = as_byte_vector(raw, len);
  OPENSSL_cleanse(raw, sizeof raw);
  return out;
}

/// read_binary_file: a whole file; std::system_error naming `what` and the path.
inline std::vector<std::byte> read_binary_file(const std::string& path, std::string_view what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw_file_error(errno ? errno : ENOENT, "cannot read " + std::string(what), path);
  std::vector<char> raw((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw_file_error(EIO, "cannot read " + std::string(what), path);
  const auto* p = reinterpret_cast<const std::byte*>(raw.data());
  return std::vector<std::byte>(p, p + raw.size());
}

/// ech_config_list_of: the ECHConfigList of `configs` (a two-byte length, then each config).
inline std::vector<std::byte> ech_config_list_of(std::span<const std::vector<std::uint8_t>* const> configs) {
  std::size_t total = 0;
  for (const auto* c : configs) total += c->size();
  if (total > 0xffff) throw std::invalid_argument("the ECH configs do not fit in one ECHConfigList (64 KiB)");
  std::vector<std::byte> out;
  out.reserve(total + 2);
  out.push_back(static_cast<std::byte>(total >> 8));
  out.push_back(static_cast<std::byte>(total & 0xff));
  for (const auto* c : configs)
    for (std::uint8_t b : *c) out.push_back(static_cast<std::byte>(b));
  return out;
}

/// install_ech_keys: the server's ECH keys: `current` decrypt and are sent to clients as
/// retry configs, `also_accepted` only decrypt (older keys still in DNS caches).
inline void install_ech_keys(SSL_CTX* ctx, std::span<const ech_key_state* const> current,
                             std::span<const ech_key_state* const> also_accepted) {
  if (current.empty())
    throw std::invalid_argument(
        "set_ech_keys: no current key: a server needs at least one, whose config it sends to clients that "
        "used an old or unknown one (retry configs)");
  bssl::UniquePtr<SSL_ECH_KEYS> keys(SSL_ECH_KEYS_new());
  if (!keys) throw_backend_error("set_ech_keys: cannot make the key set");
  const auto add = [&](const ech_key_state* k, bool retry) {
    if (!SSL_ECH_KEYS_add(keys.get(), retry ? 1 : 0, k->config.data(), k->config.size(), k->key.get()))
      throw_backend_error("set_ech_keys: cannot add the key with config id " + std::to_string(k->config_id) +
                          " and public name '" + k->public_name + "'");
  };
  for (const auto* k : current) add(k, true);
  for (const auto* k : also_accepted) add(k, false);
  if (!SSL_CTX_set1_ech_keys(ctx, keys.get())) throw_backend_error("set_ech_keys: the backend refused the keys");
}

/// apply_client_ech: a client connection offers ECH with `list` (checked by
/// check_ech_config_list), or, without one, GREASE ECH when `grease`.
inline void apply_client_ech(SSL* ssl, std::span<const std::byte> list, bool grease) {
  if (grease) SSL_set_enable_ech_grease(ssl, 1);
  if (list.empty()) return;
  check_ech_config_list(list);
  const auto b = as_u8(list);
  if (!SSL_set1_ech_config_list(ssl, b.data(), b.size())) {
    const backend_error e = take_backend_error();
    throw std::invalid_argument("wrap_options::ech_config_list was refused by the backend" +
                                (e ? ": " + e.text() : std::string()));
  }
}

/// ech_public_name_override: the public name a client authenticates a rejecting server
/// as (during and after a handshake the server answered without ECH), or "".
inline std::string ech_public_name_override(const SSL* ssl) {
  const char* name = nullptr;
  std::size_t len = 0;
  SSL_get0_ech_name_override(ssl, &name, &len);
  return len ? std::string(name, len) : std::string();
}

/// ech_retry_configs_of: the retry configs of a client handshake that just failed with
/// SSL_R_ECH_REJECTED (the backend hands them out only then, after authenticating the
/// server for the public name).
inline std::vector<std::byte> ech_retry_configs_of(const SSL* ssl) {
  const uint8_t* data = nullptr;
  std::size_t len = 0;
  SSL_get0_ech_retry_configs(ssl, &data, &len);
  return as_byte_vector(data, len);
}

}  // namespace detail
SSLPP_END_NAMESPACE
