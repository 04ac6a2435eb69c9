// sslpp — SPDX-License-Identifier: MIT
//
// impl/session.ipp: the definitions of sslpp::session's members. Included by session.hpp in
// the header-only mode (SSLPP_DECL is `inline`), and compiled once into the sslpp_compiled
// library in the compiled mode (see config.hpp).
#pragma once

#include <sslpp/config.hpp>
#include <sslpp/detail/backend.hpp>
#include <sslpp/detail/backend_state.hpp>
#include <sslpp/detail/error_capture.hpp>
#include <sslpp/detail/session_backend.hpp>
#include <sslpp/detail/session_state.hpp>
#include <sslpp/session.hpp>

#include <sslpp/detail/chrono.hpp>
#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

SSLPP_BEGIN_NAMESPACE

SSLPP_DECL std::optional<std::string> session::server_hostname() const {
  return state_ ? state_->server_hostname : std::nullopt;
}

SSLPP_DECL std::vector<std::byte> session::id() const {
  return state_ ? detail::session_id_bytes(raw()) : std::vector<std::byte>{};
}

SSLPP_DECL std::chrono::system_clock::time_point session::time() const {
  return std::chrono::system_clock::time_point(std::chrono::seconds(state_ ? detail::session_time(raw()) : 0));
}

SSLPP_DECL std::chrono::seconds session::timeout() const {
  return std::chrono::seconds(state_ ? detail::session_timeout(raw()) : 0);
}

SSLPP_DECL bool session::has_ticket() const noexcept { return state_ && detail::session_has_ticket(raw()); }

SSLPP_DECL unsigned long session::ticket_lifetime_hint() const noexcept {
  return state_ ? detail::session_ticket_lifetime_hint(raw()) : 0;
}

SSLPP_DECL bool session::is_resumable() const noexcept { return state_ && detail::session_is_resumable(raw()); }

SSLPP_DECL std::vector<std::byte> session::to_bytes() const {
  return state_ ? detail::session_to_bytes(raw(), state_->server_hostname) : std::vector<std::byte>{};
}

SSLPP_DECL session session::from_bytes(std::span<const std::byte> bytes) {
  auto parsed = detail::session_from_bytes(bytes);
  session s;
  s.state_ = std::make_shared<const detail::session_state>(
      std::move(parsed.backend), std::move(parsed.server_hostname), std::weak_ptr<const detail::context_impl>{}, true);
  return s;
}

SSLPP_DECL session session::from_bytes(std::span<const std::byte> bytes, std::error_code& ec) {
  return detail::capture_result(ec, [&] { return from_bytes(bytes); }).value_or(session{});
}

SSLPP_DECL SSL_SESSION* session::native_handle() const noexcept { return state_ ? raw() : nullptr; }

SSLPP_DECL SSL_SESSION* session::raw() const noexcept { return state_->backend.get(); }

SSLPP_END_NAMESPACE
