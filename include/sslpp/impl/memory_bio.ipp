// sslpp — SPDX-License-Identifier: MIT
//
// impl/memory_bio.ipp: the definitions of memory_bio. Included by memory_bio.hpp in the
// header-only mode (SSLPP_DECL is `inline`), and compiled once into the sslpp_compiled
// library in the compiled mode (see config.hpp).
#pragma once

#include <sslpp/config.hpp>
#include <sslpp/detail/memory_bio_impl.hpp>
#include <sslpp/error.hpp>
#include <sslpp/memory_bio.hpp>

#include <algorithm>
#include <cstddef>
#include <span>
#include <string>
#include <utility>

SSLPP_BEGIN_NAMESPACE

SSLPP_DECL memory_bio::memory_bio() : bio_(detail::new_memory_bio().release()) {}

SSLPP_DECL memory_bio& memory_bio::operator=(memory_bio&& other) noexcept {
  if (this != &other) {
    detail::free_memory_bio(bio_);
    bio_ = std::exchange(other.bio_, nullptr);
    eof_written_ = other.eof_written_;
  }
  return *this;
}

SSLPP_DECL memory_bio::~memory_bio() {
  detail::free_memory_bio(bio_);
}

SSLPP_DECL std::size_t memory_bio::pending() const noexcept { return detail::memory_bio_pending(bio_); }

SSLPP_DECL std::size_t memory_bio::write(std::span<const std::byte> data) {
  if (eof_written_) throw ssl_error(make_error_code(ssl_errc::ssl), "cannot write() after write_eof()");
  detail::memory_bio_write(bio_, data);
  return data.size();
}

SSLPP_DECL std::string memory_bio::read(std::size_t max) {
  std::string out(std::min(max, pending()), '\0');
  out.resize(read(std::as_writable_bytes(std::span(out.data(), out.size()))));
  return out;
}

SSLPP_DECL std::size_t memory_bio::read(std::span<std::byte> buffer) noexcept {
  return detail::memory_bio_read(bio_, buffer);
}

SSLPP_DECL void memory_bio::write_eof() noexcept {
  eof_written_ = true;
  detail::mark_memory_bio_eof(bio_);
}

SSLPP_END_NAMESPACE
