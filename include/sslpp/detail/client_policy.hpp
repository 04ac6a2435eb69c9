// sslpp — SPDX-License-Identifier: MIT
//
// detail/client_policy.hpp: what every wrap decides before its first handshake byte —
// the client's host name rules and which sessions it may offer, the server's verify mode
// — written once for stream, ssl_object and any other connection type. Declared here
// without any backend header; defined in detail/impl/client_policy.ipp (included below in the
// header-only mode, compiled once into the sslpp_compiled library in the compiled mode).
#pragma once

#include <sslpp/config.hpp>
#include <sslpp/hostname.hpp>
#include <sslpp/session.hpp>
#include <sslpp/session_cache.hpp>

#include <cstddef>
#include <span>
#include <string_view>

SSLPP_BEGIN_NAMESPACE
namespace detail {

class engine;

/// start_client: sets a client connection up: refuses a server context and no_hostname
/// while check_hostname is on, sets SNI and the host name check, offers ECH with
/// `ech_config_list` (start_ech), and offers `offered`
/// when check_offered_session allows it, else a session from `cache` (which then keeps
/// the connection's new sessions). `wrap` names the call in messages.
SSLPP_DECL void start_client(engine& e, const hostname& host, const session& offered, std::string_view wrap,
                             session_cache* cache = nullptr, std::span<const std::byte> ech_config_list = {});

/// start_server: sets a server connection up. A context of either side (context<side::any>)
/// keeps the client's cert_required for its client connections, but serves with cert_none
/// unless set_verify_mode chose otherwise, as Python's PROTOCOL_TLS server does.
SSLPP_DECL void start_server(engine& e, const session& offered, const session_cache* cache = nullptr,
                             std::span<const std::byte> ech_config_list = {});

/// start_early_data: a client wrap's early data (wrap_options::early_data) goes to the
/// engine, which sends it in its first flight when the session allows, else after the
/// handshake; a server wrap given some throws.
SSLPP_DECL void start_early_data(engine& e, std::string_view data, bool client);

}  // namespace detail
SSLPP_END_NAMESPACE

#if SSLPP_WITH_DEFINITIONS
#include <sslpp/detail/impl/client_policy.ipp>
#endif
