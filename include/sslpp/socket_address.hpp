// sslpp — SPDX-License-Identifier: MIT
//
// socket_address.hpp: sslpp::socket_address, an IP address and port as text and number —
// what Python's getpeername() / getsockname() / accept() give as a (host, port) pair.
#pragma once

#include <sslpp/config.hpp>

#include <cstdint>
#include <string>

SSLPP_BEGIN_NAMESPACE

/// socket_address: an IP address in numeric text and a port: Python's (host, port) pair
/// from getpeername(), getsockname() and accept().
///
/// `host` is what inet_ntop writes: "127.0.0.1", "::1" (IPv6 without brackets, a
/// link-local one with its "%scope"), "::ffff:127.0.0.1" for an IPv4 peer of a listener
/// on "::". to_string() and fmt's `{}` (format.hpp) give "127.0.0.1:443" or
/// "[::1]:443", the forms a URL or `openssl s_client -connect` takes.
///
/// Example:
///   sslpp::socket_address peer = sock.peer_address();
///   std::cout << peer.host << " port " << peer.port << '\n';
struct socket_address {
  std::string host;        ///< the address as numeric text ("127.0.0.1", "::1")
  std::uint16_t port = 0;  ///< the port, in host byte order

  /// is_ipv6: whether `host` is an IPv6 address (it contains a ':').
  bool is_ipv6() const noexcept { return host.find(':') != std::string::npos; }

  /// to_string: "host:port", with brackets around an IPv6 host ("[::1]:443").
  std::string to_string() const {
    const bool v6 = is_ipv6();
    std::string out;
    out.reserve(host.size() + 8);
    if (v6) out += '[';
    out += host;
    out += v6 ? "]:" : ":";
    out += std::to_string(port);
    return out;
  }

  /// operator==: same host text and same port.
  friend bool operator==(const socket_address&, const socket_address&) = default;
};

SSLPP_END_NAMESPACE
