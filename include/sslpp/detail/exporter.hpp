// sslpp — SPDX-License-Identifier: MIT
//
// detail/exporter.hpp: keying material exporters (RFC 5705 for TLS 1.2, RFC 8446 §7.5 for
// TLS 1.3): secrets derived from a connection's keys under a label both ends agree on.
#pragma once

#include <sslpp/detail/backend.hpp>
#include <sslpp/detail/error_impl.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

SSLPP_BEGIN_NAMESPACE
namespace detail {

/// exporter_label_fault: why `label` cannot be exported under, or "".
inline std::string exporter_label_fault(std::string_view label) {
  if (label.empty()) return "the label is empty (RFC 5705: name what the keys are for, e.g. \"EXPORTER-my-protocol\")";
  // TLS 1.2's own PRF labels (RFC 5246, RFC 7627): exporting under one would derive a
  // value from the same inputs as the handshake's own secrets. OpenSSL refuses them too.
  for (std::string_view reserved :
       {"client finished", "server finished", "master secret", "extended master secret", "key expansion"})
    if (label == reserved)
      return "\"" + std::string(label) + "\" is one of TLS's own key-derivation labels, which RFC 5705 reserves";
  return {};
}

/// export_keying_material: `length` bytes exported from `ssl` under `label`, with
/// `context` when given (TLS 1.2 tells no context from an empty one; TLS 1.3 does not).
inline std::vector<std::byte> export_keying_material(SSL* ssl, std::string_view label, std::size_t length,
                                                     const std::optional<std::span<const std::byte>>& context) {
  const std::string what = "export_keying_material: ";
  if (const std::string fault = exporter_label_fault(label); !fault.empty())
    throw std::invalid_argument(what + fault);
  if (length == 0) throw std::invalid_argument(what + "a length of 0 exports nothing; ask for 1 byte or more");
  if (!SSL_is_init_finished(ssl) || SSL_in_init(ssl))
    throw std::logic_error(what + "the handshake has not completed: export after do_handshake() (or the first read or "
                                  "write) succeeded");
  const int version = SSL_version(ssl);
  if (version >= TLS1_3_VERSION) {
    // HKDF-Expand-Label (RFC 8446 §7.1): the label, after "tls13 ", fits in 255 bytes and
    // the output in 255 hash lengths.
    if (label.size() > 249)
      throw std::invalid_argument(what + "TLS 1.3 allows labels of at most 249 bytes; this one has " +
                                  std::to_string(label.size()));
    const SSL_CIPHER* cipher = SSL_get_current_cipher(ssl);
    const EVP_MD* md = cipher ? EVP_get_digestbynid(SSL_CIPHER_get_prf_nid(cipher)) : nullptr;
    const std::size_t most = md ? 255 * EVP_MD_size(md) : 255 * 32;
    if (length > most)
      throw std::invalid_argument(what + "TLS 1.3 with " + (cipher ? SSL_CIPHER_get_name(cipher) : "this cipher") + " exports at most " +
                                  std::to_string(most) + " bytes at once; " + std::to_string(length) + " were asked for");
  } else {
    // Without the extended master secret (RFC 7627) a man in the middle can give two
    // connections the same master secret (the triple handshake attack), and with it the
    // same exported keys: what is exported would bind nothing. RFC 9266 refuses
    // tls-exporter there for the same reason.
    if (!SSL_get_extms_support(ssl))
      throw std::logic_error(what + "this TLS 1.2 connection did not negotiate the extended master secret (RFC 7627), "
                                    "so its exported keys could equal another connection's (the triple handshake "
                                    "attack); the peer must support the extension, or use TLS 1.3");
    if (context && context->size() > 0xFFFF)
      throw std::invalid_argument(what + "TLS 1.2 allows a context of at most 65535 bytes; this one has " +
                                  std::to_string(context->size()));
  }
  std::vector<std::byte> out(length);
  const auto* ctx_bytes = context ? reinterpret_cast<const uint8_t*>(context->data()) : nullptr;
  if (!SSL_export_keying_material(ssl, reinterpret_cast<uint8_t*>(out.data()), out.size(), label.data(), label.size(),
                                  ctx_bytes, context ? context->size() : 0, context ? 1 : 0))
    throw_backend_error("export_keying_material: cannot export " + std::to_string(length) + " bytes under the label \"" +
                        std::string(label) + "\"");
  return out;
}

}  // namespace detail
SSLPP_END_NAMESPACE
