// sslpp — SPDX-License-Identifier: MIT
//
// ech.hpp: sslpp::ech_keys, a server's Encrypted Client Hello key pair and the config
// that publishes it. (The client side is wrap_options::ech_config_list, the server side
// server_context::set_ech_keys, a rejection sslpp::ech_rejected_error.)
#pragma once

#include <sslpp/config.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

SSLPP_BEGIN_NAMESPACE

namespace detail {
struct ech_keys_access;
struct ech_key_state;
}  // namespace detail

/// ech_keys: one Encrypted Client Hello (ECH) key pair of a server and its ECHConfig: an
/// X25519 private key, and the public key with the public name, config id and cipher
/// suites (HKDF-SHA256 with AES-128-GCM, the suite every client has, and
/// ChaCha20-Poly1305), in the version this backend and today's browsers speak (0xfe0d,
/// draft 13 of the ECH specification).
///
/// With ECH, a client encrypts its real ClientHello (the server name above all) to the
/// server's public key; an observer of the connection sees only the *public name*, a
/// name the server also has a certificate for, shared by every site behind it. The
/// server publishes `config_list()` (in its DNS HTTPS record, or however its clients
/// learn it) and serves with `sctx.set_ech_keys(keys)`. A client that offers a config
/// the server no longer has gets the server's current ones back (retry configs) in a
/// handshake authenticated for the public name, and so the server must hold a valid
/// certificate for that name too.
///
/// Copies share one immutable key pair; an ech_keys is never empty.
///
/// Files: `config()` and `private_key_bytes()` are exactly what `bssl-tool
/// generate-ech -out-ech-config F -out-private-key K` writes and `bssl-tool server
/// -ech-config F -ech-key K` reads, and `config_list()` is its `-out-ech-config-list`
/// (what `bssl-tool client -ech-config-list` reads), so keys move between the two.
///
/// Thread Safety: immutable; copies may be used from any thread.
///
/// Example:
///   auto keys = sslpp::ech_keys::generate(1, "public.example");
///   publish(keys.config_list());          // DNS HTTPS record "ech=" (base64)
///   sctx.set_ech_keys(keys);
class ech_keys {
 public:
  /// generate: a new key pair with config id `config_id` (0 to 255; a server's current
  /// keys should have different ids, so it finds the key without trying each) and the
  /// public name `public_name` (a DNS host name the server has a certificate for). A
  /// non-zero `max_name_length` announces the longest server name behind this config,
  /// which clients pad their names to (0: the backend's default padding). Throws
  /// std::invalid_argument for a public name that is not a DNS host name (an IP address,
  /// say: clients ignore such a config and send the real name in clear) or a
  /// max_name_length above 255.
  static ech_keys generate(std::uint8_t config_id, std::string_view public_name, std::size_t max_name_length = 0);

  /// load: the key pair whose ECHConfig is `config` (one config, as config() gives it) and
  /// whose X25519 private key is the 32 raw bytes `private_key` (as private_key_bytes()
  /// gives it). Throws std::invalid_argument naming what is wrong: not one ECHConfig (an
  /// ECHConfigList is named as such), another version or KEM than this backend has, a
  /// key of the wrong size, or a key that is not the config's.
  static ech_keys load(std::span<const std::byte> config, std::span<const std::byte> private_key);
  /// load_files: load from the files `config_file` (one ECHConfig) and `private_key_file`
  /// (32 raw bytes): bssl-tool's -ech-config and -ech-key files. A missing or unreadable
  /// file throws std::system_error naming it; bad contents as load().
  static ech_keys load_files(const std::string& config_file, const std::string& private_key_file);

  ech_keys(const ech_keys&) = default;
  ech_keys& operator=(const ech_keys&) = default;
  // No move members: a move copies the shared pointer, so an ech_keys is never empty.

  /// config: the serialized ECHConfig (one config, without the list's length).
  std::vector<std::byte> config() const;

  /// config_list: an ECHConfigList holding this config: the bytes a client takes in
  /// wrap_options::ech_config_list and a DNS HTTPS record's "ech" parameter carries
  /// (base64-encoded there).
  std::vector<std::byte> config_list() const;

  /// config_list_of: one ECHConfigList holding the configs of all of `keys`, in order (a
  /// client uses the first it supports). Throws std::invalid_argument when they do not fit
  /// in one list (64 KiB).
  static std::vector<std::byte> config_list_of(const std::vector<ech_keys>& keys);

  /// private_key_bytes: the X25519 private key, 32 raw bytes.
  ///
  /// WARNING: whoever has these bytes can decrypt the server name (and the rest of the
  /// encrypted ClientHello) of every connection made with this config, recorded or
  /// live. Store them as a TLS private key: readable by the server only.
  std::vector<std::byte> private_key_bytes() const;

  /// config_id: the config id clients send with their encrypted ClientHello.
  std::uint8_t config_id() const noexcept;
  /// public_name: the name clients show observers, and authenticate a rejecting server as.
  const std::string& public_name() const noexcept;

 private:
  friend struct detail::ech_keys_access;
  explicit ech_keys(std::shared_ptr<const detail::ech_key_state> s) noexcept : state_(std::move(s)) {}
  std::shared_ptr<const detail::ech_key_state> state_;
};

namespace detail {
/// ech_keys_access: the key state behind an ech_keys, for set_ech_keys.
struct ech_keys_access {
  static const ech_key_state* state(const ech_keys& k) noexcept { return k.state_.get(); }
};
}  // namespace detail

SSLPP_END_NAMESPACE

#if SSLPP_WITH_DEFINITIONS
#include <sslpp/impl/ech.ipp>
#endif
