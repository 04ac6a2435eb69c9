// sslpp — SPDX-License-Identifier: MIT
//
// replayable.hpp: sslpp::replayable, bytes that an attacker may have replayed (TLS 1.3
// 0-RTT early data), readable only through a call that says so.
#pragma once

#include <sslpp/config.hpp>

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

SSLPP_BEGIN_NAMESPACE

namespace detail {
struct replayable_access;
}  // namespace detail

/// replayable: bytes a server received as TLS 1.3 0-RTT early data (stream::early_data()).
/// Early data is encrypted with keys from an earlier session alone, so anyone who
/// recorded the client's first flight can send it again (RFC 8446 §8, Appendix E.5):
/// a request in it may be carried out twice. The bytes are therefore reachable only
/// through accept_replay_risk(), so that the decision to act on them is written where
/// they are used — the way a reviewer finds every such place with one search. There is
/// no conversion, no data() and no formatter: each of those would hide the decision.
///
/// What is safe to do with early data: idempotent requests (an HTTP GET without side
/// effects), or anything the application itself guards against replay (a single-use
/// token, a request id remembered server-side). What is not: a payment, a state change.
///
/// sslpp's server hands early data over only once its handshake has finished, so a
/// replayed first flight, which cannot finish the handshake, is never delivered (see
/// context::set_max_early_data for what that costs and why the type still says
/// replayable).
///
/// Value type: copies hold their own bytes. Only sslpp makes one with bytes in it.
///
/// Example:
///   sslpp::replayable early = tls.early_data();
///   if (!early.empty()) handle_idempotent_request(early.accept_replay_risk());
class replayable {
 public:
  /// replayable: no bytes (what a connection without early data gives).
  replayable() = default;

  /// accept_replay_risk: the bytes, once the caller has decided that acting on them twice
  /// does no harm (or has guarded against it). The span lives as long as this object.
  std::span<const std::byte> accept_replay_risk() const& noexcept { return bytes_; }
  /// accept_replay_risk: on a temporary, the bytes themselves (moved out).
  std::vector<std::byte> accept_replay_risk() && noexcept { return std::move(bytes_); }
  /// accept_replay_risk_text: the bytes as text (a std::string copy), after the same decision.
  std::string accept_replay_risk_text() const {
    return std::string(reinterpret_cast<const char*>(bytes_.data()), bytes_.size());
  }

  /// size: how many bytes arrived as early data (their length is not secret from a replayer).
  std::size_t size() const noexcept { return bytes_.size(); }
  /// empty: whether no early data arrived.
  bool empty() const noexcept { return bytes_.empty(); }

  // No way around accept_replay_risk(): each line below is the one a compiler error points at.
  operator std::span<const std::byte>() const = delete;  // early data may be a replay: read it with .accept_replay_risk()
  operator std::string_view() const = delete;  // early data may be a replay: read it with .accept_replay_risk_text()
  operator std::string() const = delete;  // early data may be a replay: read it with .accept_replay_risk_text()
  void data() const = delete;  // early data may be a replay: read it with .accept_replay_risk()
  void begin() const = delete;  // early data may be a replay: read it with .accept_replay_risk()
  void end() const = delete;  // early data may be a replay: read it with .accept_replay_risk()

 private:
  friend struct detail::replayable_access;
  explicit replayable(std::vector<std::byte> bytes) noexcept : bytes_(std::move(bytes)) {}
  std::vector<std::byte> bytes_;
};

namespace detail {
/// replayable_access: how sslpp's own code makes a replayable around received bytes.
struct replayable_access {
  static replayable make(std::vector<std::byte> bytes) noexcept { return replayable(std::move(bytes)); }
};
}  // namespace detail

SSLPP_END_NAMESPACE
