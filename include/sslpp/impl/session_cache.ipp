// sslpp — SPDX-License-Identifier: MIT
//
// impl/session_cache.ipp: the definitions of sslpp::session_cache's members. Included by
// session_cache.hpp in the header-only mode (SSLPP_DECL is `inline`), and compiled once into
// the sslpp_compiled library in the compiled mode (see config.hpp).
#pragma once

#include <sslpp/config.hpp>
#include <sslpp/detail/session_backend.hpp>
#include <sslpp/detail/session_state.hpp>
#include <sslpp/detail/text.hpp>
#include <sslpp/session.hpp>
#include <sslpp/session_cache.hpp>

#include <sslpp/detail/chrono.hpp>
#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

SSLPP_BEGIN_NAMESPACE

SSLPP_DECL session_cache::session_cache(std::size_t capacity, std::size_t per_host)
    : capacity_(capacity), per_host_(per_host) {
  if (capacity == 0 || per_host == 0)
    throw std::invalid_argument("session_cache: capacity and per_host must be at least 1");
}

SSLPP_DECL void session_cache::put(const session& s) {
  if (!s || !s.is_resumable()) return;
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto it = entries_.begin(); it != entries_.end(); ++it)
    if (it->value == s) {
      entries_.splice(entries_.begin(), entries_, it);
      return;
    }
  entries_.push_front(entry{s, key_name(s.server_hostname())});
  const entry& added = entries_.front();
  std::size_t same = 0;
  for (auto it = entries_.begin(); it != entries_.end();) {
    if (same_key(*it, added) && ++same > per_host_) it = entries_.erase(it);
    else ++it;
  }
  while (entries_.size() > capacity_) entries_.pop_back();
}

SSLPP_DECL std::size_t session_cache::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return entries_.size();
}

SSLPP_DECL std::size_t session_cache::count(std::string_view host_name) const {
  const std::string key = key_name(std::string(host_name)).value_or(std::string());
  std::lock_guard<std::mutex> lock(mutex_);
  std::size_t n = 0;
  for (const auto& e : entries_) n += e.name && *e.name == key;
  return n;
}

SSLPP_DECL void session_cache::clear() {
  std::lock_guard<std::mutex> lock(mutex_);
  entries_.clear();
}

SSLPP_DECL std::optional<std::string> session_cache::key_name(std::optional<std::string> name) {
  if (!name) return name;
  if (!name->empty() && name->back() == '.') name->pop_back();
  for (char& c : *name)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return name;
}

SSLPP_DECL bool session_cache::same_origin(const session& a, const session& b) {
  const auto* x = detail::session_access::state(a);
  const auto* y = detail::session_access::state(b);
  if (x->loaded || y->loaded) return x->loaded && y->loaded;
  return !x->origin.owner_before(y->origin) && !y->origin.owner_before(x->origin);
}

SSLPP_DECL bool session_cache::same_key(const entry& a, const entry& b) { return a.name == b.name && same_origin(a.value, b.value); }

SSLPP_DECL bool session_cache::expired(const session& s) { return s.time() + s.timeout() <= std::chrono::system_clock::now(); }

SSLPP_DECL session session_cache::take(const std::optional<std::string>& name, const std::shared_ptr<const detail::context_impl>& origin) {
  const auto key = key_name(name);
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto it = entries_.begin(); it != entries_.end();) {
    const auto* st = detail::session_access::state(it->value);
    if ((!st->loaded && st->origin.expired()) || expired(it->value)) {
      it = entries_.erase(it);
      continue;
    }
    if (it->name != key || (!st->loaded && st->origin.lock() != origin)) {
      ++it;
      continue;
    }
    session found = it->value;
    if (detail::session_single_use(found.native_handle())) entries_.erase(it);
    else entries_.splice(entries_.begin(), entries_, it);
    return found;
  }
  return {};
}

SSLPP_DECL void session_cache::forget(const session& s) {
  std::lock_guard<std::mutex> lock(mutex_);
  entries_.remove_if([&](const entry& e) { return e.value == s; });
}

SSLPP_END_NAMESPACE
