// sslpp — SPDX-License-Identifier: MIT
//
// summary.hpp: what `sslpp client` reports about a connection, as text or JSON.
#pragma once

#include "cli.hpp"

namespace sslpp_cli {

/// connection_summary: the facts of one established connection.
struct connection_summary {
  std::string host;
  std::uint16_t port = 0;
  std::string address;           ///< the IP address connected to
  std::string server_hostname;   ///< SNI and the name checked
  bool verified = false;         ///< chain and host name checked (false only with --no-verify)
  std::string verified_against;  ///< "the system store (...)", "--cafile F"
  std::optional<sslpp::tls_version> version;
  std::optional<sslpp::cipher_info> cipher;
  std::chrono::steady_clock::duration handshake_time{};
  std::optional<sslpp::certificate> peercert;
  std::vector<sslpp::certificate> chain;  ///< the verified chain, or as sent when not verified
  std::optional<std::string> alpn;   ///< the ALPN protocol agreed on
  std::optional<std::string> group;  ///< the key-exchange group
  bool resumed = false;              ///< whether a session was resumed
  bool ocsp_asked = false;           ///< --ocsp: the client asked for a stapled OCSP response
  std::optional<std::size_t> ocsp_bytes;  ///< the size of the response stapled, when one was
  std::optional<std::string> ech;    ///< Encrypted Client Hello: "accepted", ...; nullopt when not offered
};

/// print_summary: the human-readable summary, on stdout.
void print_summary(const connection_summary& s);
/// summary_json: the summary as one JSON object (the certificate in getpeercert() form).
std::string summary_json(const connection_summary& s);
/// certificate_json: a certificate as JSON in the structure of Python's getpeercert()
/// (what json.dumps(getpeercert()) gives).
std::string certificate_json(const sslpp::certificate& cert);
/// json_string: `text` as a JSON string literal.
std::string json_string(std::string_view text);

}  // namespace sslpp_cli
