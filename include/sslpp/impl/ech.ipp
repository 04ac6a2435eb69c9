// sslpp — SPDX-License-Identifier: MIT
//
// impl/ech.ipp: the definitions of ech_keys's members. Included by ech.hpp in the
// header-only mode (SSLPP_DECL is `inline`), and compiled once into the sslpp_compiled
// library in the compiled mode (see config.hpp).
#pragma once

#include <sslpp/config.hpp>
#include <sslpp/detail/ech_backend.hpp>
#include <sslpp/ech.hpp>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

SSLPP_BEGIN_NAMESPACE

SSLPP_DECL ech_keys ech_keys::generate(std::uint8_t config_id, std::string_view public_name,
                                       std::size_t max_name_length) {
  return ech_keys(detail::generate_ech_key(config_id, public_name, max_name_length));
}

SSLPP_DECL ech_keys ech_keys::load(std::span<const std::byte> config, std::span<const std::byte> private_key) {
  return ech_keys(detail::load_ech_key(config, private_key));
}

SSLPP_DECL ech_keys ech_keys::load_files(const std::string& config_file, const std::string& private_key_file) {
  const auto config = detail::read_binary_file(config_file, "the ECH config file");
  const auto key = detail::read_binary_file(private_key_file, "the ECH private key file");
  return load(config, key);
}

SSLPP_DECL std::vector<std::byte> ech_keys::config() const { return detail::as_byte_vector(state_->config.data(),
                                                   state_->config.size()); }

SSLPP_DECL std::vector<std::byte> ech_keys::config_list() const { return config_list_of({*this}); }

SSLPP_DECL std::vector<std::byte> ech_keys::config_list_of(const std::vector<ech_keys>& keys) {
  std::vector<const std::vector<std::uint8_t>*> configs;
  configs.reserve(keys.size());
  for (const auto& k : keys) configs.push_back(&k.state_->config);
  return detail::ech_config_list_of(configs);
}

SSLPP_DECL std::vector<std::byte> ech_keys::private_key_bytes() const { return detail::ech_private_key_bytes(*state_); }

SSLPP_DECL std::uint8_t ech_keys::config_id() const noexcept { return state_->config_id; }

SSLPP_DECL const std::string& ech_keys::public_name() const noexcept { return state_->public_name; }

SSLPP_END_NAMESPACE
