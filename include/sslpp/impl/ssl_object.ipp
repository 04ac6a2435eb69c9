// sslpp — SPDX-License-Identifier: MIT
//
// impl/ssl_object.ipp: the definitions of ssl_object. Included by ssl_object.hpp in the
// header-only mode (SSLPP_DECL is `inline`), and compiled once into the sslpp_compiled
// library in the compiled mode (see config.hpp).
#pragma once

#include <sslpp/config.hpp>
#include <sslpp/detail/client_policy.hpp>
#include <sslpp/detail/engine.hpp>
#include <sslpp/detail/error_impl.hpp>
#include <sslpp/memory_bio.hpp>
#include <sslpp/ssl_object.hpp>

#include <cstddef>
#include <memory>
#include <span>
#include <system_error>
#include <utility>

SSLPP_BEGIN_NAMESPACE

SSLPP_DECL ssl_object::ssl_object(ssl_object&&) noexcept = default;
SSLPP_DECL ssl_object& ssl_object::operator=(ssl_object&&) noexcept = default;
SSLPP_DECL ssl_object::~ssl_object() = default;

SSLPP_DECL ssl_object::ssl_object(memory_bio& incoming, memory_bio& outgoing, std::shared_ptr<detail::context_impl> ctx,
                                  bool server, const hostname* host, const wrap_options& opts)
    : engine_(std::make_unique<detail::engine>(std::move(ctx), server)) {
  engine_->attach_memory(incoming.native_handle(), outgoing.native_handle());
  if (host) detail::start_client(*engine_, *host, opts.session, "wrap_bio", opts.session_cache, opts.ech_config_list);
  else detail::start_server(*engine_, opts.session, opts.session_cache, opts.ech_config_list);
  detail::start_early_data(*engine_, opts.early_data.text(), host != nullptr);
}

SSLPP_DECL void ssl_object::do_handshake() {
  detail::failure f;
  if (!engine_->handshake(f)) detail::throw_failure(std::move(f));
}

SSLPP_DECL void ssl_object::do_handshake(std::error_code& ec) noexcept {
  if (emptied(ec)) return;
  detail::failure f;
  if (!engine_->handshake(f)) ec = f.code;
}

SSLPP_DECL std::size_t ssl_object::read(std::span<std::byte> buffer) {
  return static_cast<std::size_t>(
      engine_->read(buffer, false, [](detail::failure&& f) -> long { detail::throw_failure(std::move(f)); }));
}

SSLPP_DECL std::size_t ssl_object::read(std::span<std::byte> buffer, std::error_code& ec) noexcept {
  if (emptied(ec)) return 0;
  return static_cast<std::size_t>(engine_->read(buffer, false, [&ec](detail::failure&& f) -> long {
    ec = f.code;
    return 0;
  }));
}

SSLPP_DECL std::size_t ssl_object::write(std::span<const std::byte> data) {
  return static_cast<std::size_t>(
      engine_->write(data, [](detail::failure&& f) -> long { detail::throw_failure(std::move(f)); }));
}

SSLPP_DECL std::size_t ssl_object::write(std::span<const std::byte> data, std::error_code& ec) noexcept {
  if (emptied(ec)) return 0;
  return static_cast<std::size_t>(engine_->write(data, [&ec](detail::failure&& f) -> long {
    ec = f.code;
    return 0;
  }));
}

SSLPP_DECL void ssl_object::unwrap() {
  detail::failure f;
  if (engine_->shutdown(true, f) < 0) detail::throw_failure(std::move(f));
}

SSLPP_DECL void ssl_object::unwrap(std::error_code& ec) noexcept {
  if (emptied(ec)) return;
  detail::failure f;
  if (engine_->shutdown(true, f) < 0) ec = f.code;
}

SSLPP_END_NAMESPACE
