// sslpp — SPDX-License-Identifier: MIT
//
// detail/cert_status.hpp: what a server staples to its certificate and a client asks for:
// an OCSP response (RFC 6066 status_request, RFC 8446 §4.4.2.1) and Certificate
// Transparency's signed certificate timestamps (RFC 6962 §3.3). sslpp carries both as
// bytes; it validates neither (see context::set_ocsp_stapling).
#pragma once

#include <sslpp/detail/backend.hpp>
#include <sslpp/detail/error_impl.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

SSLPP_BEGIN_NAMESPACE
namespace detail {

/// bytes_of: the backend's view of a byte span.
inline const uint8_t* bytes_of(std::span<const std::byte> b) { return reinterpret_cast<const uint8_t*>(b.data()); }

/// copy_bytes: `len` bytes at `data` as a vector, nullopt when there are none.
inline std::optional<std::vector<std::byte>> copy_bytes(const uint8_t* data, std::size_t len) {
  if (!data || len == 0) return std::nullopt;
  const auto* p = reinterpret_cast<const std::byte*>(data);
  return std::vector<std::byte>(p, p + len);
}

/// set_ocsp_response: the DER OCSPResponse a server staples when a client asks. Only the
/// outer shape is checked (one DER SEQUENCE and nothing after it, as every OCSPResponse
/// is), so that PEM text, base64 or a file name passed by mistake fails here and not in
/// every client; the response itself is the caller's to keep fresh and matching.
inline void set_ocsp_response(SSL_CTX* ctx, std::span<const std::byte> response) {
  if (response.empty())
    throw std::invalid_argument(
        "set_ocsp_response: the response is empty; pass the DER bytes of an OCSPResponse (as `openssl ocsp "
        "-respout FILE` writes them)");
  CBS in, element;
  CBS_init(&in, bytes_of(response), response.size());
  if (!CBS_get_asn1(&in, &element, CBS_ASN1_SEQUENCE) || CBS_len(&in) != 0)
    throw std::invalid_argument("set_ocsp_response: these " + std::to_string(response.size()) +
                                " bytes are not a DER OCSPResponse (one ASN.1 SEQUENCE); pass the DER bytes `openssl "
                                "ocsp -respout FILE` writes, not PEM or base64 text");
  // The certificate's status travels in a handshake message with a 24-bit length.
  if (response.size() > 0xFFFFFF - 4)
    throw std::invalid_argument("set_ocsp_response: the response has " + std::to_string(response.size()) +
                                " bytes, more than a handshake message holds");
  if (!SSL_CTX_set_ocsp_response(ctx, bytes_of(response), response.size()))
    throw_backend_error("cannot set the OCSP response");
}

/// sct_list_fault: what is wrong with a SignedCertificateTimestampList (RFC 6962 §3.3: a
/// 16-bit length, then one or more SCTs, each non-empty with a 16-bit length), or "".
inline std::string sct_list_fault(std::span<const std::byte> list) {
  CBS in, scts;
  CBS_init(&in, bytes_of(list), list.size());
  if (!CBS_get_u16_length_prefixed(&in, &scts)) return "it is shorter than its 2-byte length says";
  if (CBS_len(&in) != 0)
    return std::to_string(CBS_len(&in)) + " bytes follow the list its 2-byte length covers";
  if (CBS_len(&scts) == 0) return "the list holds no SCT (RFC 6962 requires at least one)";
  for (int n = 1; CBS_len(&scts) != 0; ++n) {
    CBS sct;
    if (!CBS_get_u16_length_prefixed(&scts, &sct))
      return "SCT " + std::to_string(n) + " is shorter than its 2-byte length says";
    if (CBS_len(&sct) == 0) return "SCT " + std::to_string(n) + " is empty";
  }
  return {};
}

/// set_sct_list: the SignedCertificateTimestampList a server sends when a client asks.
inline void set_sct_list(SSL_CTX* ctx, std::span<const std::byte> list) {
  if (const std::string fault = sct_list_fault(list); !fault.empty())
    throw std::invalid_argument("set_signed_cert_timestamp_list: these " + std::to_string(list.size()) +
                                " bytes are not a SignedCertificateTimestampList (RFC 6962 section 3.3): " + fault);
  if (!SSL_CTX_set_signed_cert_timestamp_list(ctx, bytes_of(list), list.size()))
    throw_backend_error("cannot set the signed certificate timestamp list");
}

/// request_cert_status: asks the server for an OCSP response and/or SCTs on a client connection.
inline void request_cert_status(SSL* ssl, bool ocsp, bool scts) {
  if (ocsp) SSL_enable_ocsp_stapling(ssl);
  if (scts) SSL_enable_signed_cert_timestamps(ssl);
}

/// stapled_ocsp_response: the OCSP response the server stapled, nullopt when none came.
inline std::optional<std::vector<std::byte>> stapled_ocsp_response(const SSL* ssl) {
  if (SSL_is_server(ssl)) return std::nullopt;
  const uint8_t* data = nullptr;
  std::size_t len = 0;
  SSL_get0_ocsp_response(ssl, &data, &len);
  return copy_bytes(data, len);
}

/// received_sct_list: the SignedCertificateTimestampList the server sent, nullopt when none came.
inline std::optional<std::vector<std::byte>> received_sct_list(const SSL* ssl) {
  if (SSL_is_server(ssl)) return std::nullopt;
  const uint8_t* data = nullptr;
  std::size_t len = 0;
  SSL_get0_signed_cert_timestamp_list(ssl, &data, &len);
  return copy_bytes(data, len);
}

}  // namespace detail
SSLPP_END_NAMESPACE
