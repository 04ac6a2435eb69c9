// sslpp — SPDX-License-Identifier: MIT
//
// detail/host_match.hpp: matching a certificate against a host name or an IP address (RFC 6125).
#pragma once

#include <sslpp/detail/backend.hpp>

#include <string>
#include <string_view>

SSLPP_BEGIN_NAMESPACE
namespace detail {

/// check_host: BoringSSL's RFC 6125 matcher (X509_check_host) over the DNS SANs: the
/// wildcard only as a whole leftmost label, never partial, never for IDNA A-labels
/// (partial wildcards are always off in BoringSSL), case-insensitive. The subject CN is
/// consulted only when `common_name` is true and the certificate has no DNS SAN.
inline bool check_host(X509* x, std::string_view name, bool common_name) {
  if (name.empty() || name.find('\0') != std::string_view::npos) return false;
  const unsigned flags = common_name ? 0u : static_cast<unsigned>(X509_CHECK_FLAG_NEVER_CHECK_SUBJECT);
  const int rc = X509_check_host(x, name.data(), name.size(), flags, nullptr);
  ERR_clear_error();
  return rc == 1;
}

/// check_ip: X509_check_ip_asc: the address `text` against the iPAddress SANs only.
inline bool check_ip(X509* x, const std::string& text) {
  const int rc = X509_check_ip_asc(x, text.c_str(), 0);
  ERR_clear_error();
  return rc == 1;
}

}  // namespace detail
SSLPP_END_NAMESPACE
