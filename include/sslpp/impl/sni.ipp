// sslpp — SPDX-License-Identifier: MIT
//
// impl/sni.ipp: the definitions of sni_request's members. Included by sni.hpp in the
// header-only mode (SSLPP_DECL is `inline`), and compiled once into the sslpp_compiled
// library in the compiled mode (see config.hpp).
#pragma once

#include <sslpp/config.hpp>
#include <sslpp/detail/sni_switch.hpp>
#include <sslpp/sni.hpp>

#include <optional>
#include <string_view>

SSLPP_BEGIN_NAMESPACE

SSLPP_DECL std::optional<std::string_view> sni_request::server_name() const noexcept {
  if (const char* name = detail::requested_server_name(ssl_)) return std::string_view(name);
  return std::nullopt;
}

SSLPP_DECL void sni_request::switch_to(SSL_CTX* ctx) { detail::switch_context(ssl_, ctx); }

SSLPP_DECL void sni_request::serve_without_client_certificates() {
  detail::serve_without_client_certificates(ssl_);
}

SSLPP_END_NAMESPACE
