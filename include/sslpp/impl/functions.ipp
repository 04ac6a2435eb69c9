// sslpp — SPDX-License-Identifier: MIT
//
// impl/functions.ipp: the definitions of functions.hpp's helpers. Included by functions.hpp
// in the header-only mode (SSLPP_DECL is `inline`), and compiled once into the
// sslpp_compiled library in the compiled mode (see config.hpp).
#pragma once

#include <sslpp/config.hpp>
#include <sslpp/context.hpp>
#include <sslpp/detail/error_capture.hpp>
#include <sslpp/detail/random.hpp>
#include <sslpp/detail/sigalgs.hpp>
#include <sslpp/functions.hpp>
#include <sslpp/hostname.hpp>
#include <sslpp/socket.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

SSLPP_BEGIN_NAMESPACE

SSLPP_DECL std::string get_server_certificate(std::string_view host, std::uint16_t port,
                                              const server_certificate_options& opts) {
  client_context ctx = context_for(protocol::tls_client);
  ctx.set_check_hostname(false);
  if (opts.ca_certs.empty()) ctx.disable_verification();
  else ctx.load_verify_locations(opts.ca_certs);
  tcp_socket sock = tcp_socket::connect(host, port, opts.timeout);
  if (opts.timeout.count() > 0) sock.set_timeout(opts.timeout);
  auto tls = ctx.wrap_socket(std::move(sock),
                             runtime_hostname(opts.server_hostname.empty() ? host : std::string_view(opts.server_hostname)));
  auto cert = tls.getpeercert();
  if (!cert)
    throw ssl_error(make_error_code(ssl_errc::ssl),
                    "get_server_certificate: " + std::string(host) + ":" + std::to_string(port) +
                        " sent no certificate");
  return cert->to_pem();
}

SSLPP_DECL std::string get_server_certificate(std::string_view host, std::uint16_t port,
                                              const server_certificate_options& opts, std::error_code& ec) {
  std::optional<hostname> name;
  std::optional<client_context> ctx;
  if (!detail::capture_error(ec, [&] {
        name.emplace(runtime_hostname(opts.server_hostname.empty() ? host : std::string_view(opts.server_hostname)));
        ctx.emplace(context_for(protocol::tls_client));
      }))
    return {};
  ctx->set_check_hostname(false);
  if (opts.ca_certs.empty()) ctx->disable_verification();
  else if (ctx->load_verify_locations(opts.ca_certs, ec); ec) return {};
  tcp_socket sock = tcp_socket::connect(host, port, opts.timeout, ec);
  if (ec) return {};
  auto tls = ctx->wrap_socket(std::move(sock), *name, ec);
  if (!tls) return {};
  auto cert = tls->getpeercert();
  if (!cert) {
    ec = make_error_code(ssl_errc::ssl);
    return {};
  }
  return cert->to_pem();
}

SSLPP_DECL std::string get_server_certificate(std::string_view host, std::uint16_t port, std::error_code& ec) {
  return get_server_certificate(host, port, server_certificate_options{}, ec);
}

SSLPP_DECL std::vector<std::byte> rand_bytes(std::size_t n) { return detail::random_bytes(n); }

SSLPP_DECL std::vector<std::string> get_sigalgs() { return detail::all_sigalg_names(); }

SSLPP_END_NAMESPACE
