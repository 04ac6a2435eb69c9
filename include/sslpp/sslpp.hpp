// sslpp — Python's ssl module for C++20, over BoringSSL.
// SPDX-License-Identifier: MIT
//
// sslpp.hpp: the one include that gives everything.
#pragma once

#include <sslpp/config.hpp>
#include <sslpp/fwd.hpp>
#include <sslpp/error.hpp>
#include <sslpp/protocol.hpp>
#include <sslpp/hostname.hpp>
#include <sslpp/trust.hpp>
#include <sslpp/password.hpp>
#include <sslpp/certificate.hpp>
#include <sslpp/cipher.hpp>
#include <sslpp/digest.hpp>
#include <sslpp/replayable.hpp>
#include <sslpp/session.hpp>
#include <sslpp/session_cache.hpp>
#include <sslpp/session_statistics.hpp>
#include <sslpp/socket_address.hpp>
#include <sslpp/socket.hpp>
#include <sslpp/stream.hpp>
#include <sslpp/memory_bio.hpp>
#include <sslpp/ssl_object.hpp>
#include <sslpp/ech.hpp>
#include <sslpp/context.hpp>
#include <sslpp/sni.hpp>
#include <sslpp/psk.hpp>
#include <sslpp/private_key_signer.hpp>
#include <sslpp/cert_store.hpp>
#include <sslpp/functions.hpp>
#include <sslpp/format.hpp>
