// sslpp — SPDX-License-Identifier: MIT
//
// fwd.hpp: declarations of sslpp's main types, for headers that only pass them around.
// It includes no backend header and costs almost nothing to compile; include
// <sslpp/sslpp.hpp> where the types are used.
#pragma once

#include <sslpp/config.hpp>

SSLPP_BEGIN_NAMESPACE

/// side: which end of a connection a context serves. It is part of the context's type,
/// so a setting that only means something on one side does not exist on the other.
enum class side { client, server, any };

template <side S>
class context;
/// client_context: a context for the client side.
using client_context = context<side::client>;
/// server_context: a context for the server side.
using server_context = context<side::server>;

template <class Socket>
class stream;
class ssl_object;
class memory_bio;
class certificate;
class session;
class session_cache;
class tcp_socket;
class tcp_listener;
class hostname;
class password;
class ssl_error;
class cert_verification_error;
class ech_rejected_error;
class ech_keys;
struct trust;
struct wrap_options;
struct cipher_info;
struct socket_address;
enum class tls_version : int;

SSLPP_END_NAMESPACE
