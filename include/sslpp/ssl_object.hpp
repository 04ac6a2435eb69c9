// sslpp — SPDX-License-Identifier: MIT
//
// ssl_object.hpp: sslpp::ssl_object, TLS with no I/O of its own over two memory_bio
// buffers (Python's ssl.SSLObject), made by a context's wrap_bio.
#pragma once

#include <sslpp/certificate.hpp>
#include <sslpp/cipher.hpp>
#include <sslpp/config.hpp>
#include <sslpp/detail/connection_queries.hpp>
#include <sslpp/detail/emptiable.hpp>
#include <sslpp/detail/engine.hpp>
#include <sslpp/detail/text_io.hpp>
#include <sslpp/error.hpp>
#include <sslpp/hostname.hpp>
#include <sslpp/memory_bio.hpp>
#include <sslpp/protocol.hpp>
#include <sslpp/session.hpp>
#include <sslpp/stream.hpp>

#include <cstddef>
#include <memory>
#include <span>
#include <system_error>

SSLPP_BEGIN_NAMESPACE

template <side S>
class context;

/// ssl_object: a TLS connection that does no I/O (Python's SSLObject): it reads the peer's
/// bytes from an *incoming* memory_bio and writes its own to an *outgoing* one, and the
/// program carries them over whatever transport it has (an event loop, a QUIC-less test,
/// a message queue). Made by `ctx.wrap_bio(incoming, outgoing, "host")` (client) or
/// `sctx.wrap_bio(incoming, outgoing)` (server). It has the members of `stream` minus the
/// socket ones; it never handshakes by itself: call do_handshake().
///
/// Every operation that needs bytes not yet in `incoming` throws want_read_error (or
/// reports ssl_errc::want_read): move the bytes in `outgoing` to the peer, put what the
/// peer sends into `incoming`, and call the operation again. Writing never blocks.
///
/// End of the connection, as Python's SSLObject: after the peer's close_notify, `read`
/// throws zero_return_error (reports ssl_errc::zero_return) — where Python returns b''
/// until this side has sent its own close_notify, sslpp always throws, so a clean close
/// is never mistaken for an empty read. After `incoming.write_eof()` with no close_notify,
/// read throws eof_error ("EOF occurred in violation of protocol"): there is no
/// suppress_ragged_eofs here. `unwrap()` sends close_notify and waits for the peer's.
///
/// Move-only. A moved-from ssl_object holds no connection: every member then throws
/// std::logic_error ("...it was moved from"), the error_code overloads report
/// errc::not_connected, and native_handle() returns nullptr.
///
/// Thread Safety: one thread at a time per object (and its two memory_bios).
///
/// Example:
///   sslpp::memory_bio in, out;
///   auto tls = ctx.wrap_bio(in, out, "example.org");
///   for (;;) {
///     try { tls.do_handshake(); break; }
///     catch (const sslpp::want_read_error&) { send(out.read()); in.write(receive()); }
///   }
class ssl_object : public detail::connection_queries<ssl_object>, public detail::text_io<ssl_object> {
 public:
  using detail::text_io<ssl_object>::read;
  using detail::text_io<ssl_object>::write;

  ssl_object(ssl_object&&) noexcept;
  ssl_object& operator=(ssl_object&&) noexcept;
  ~ssl_object();

  /// do_handshake: advances the TLS handshake; throws want_read_error until it is done
  /// (see the class comment), cert_verification_error when the peer's certificate fails
  /// verification, ssl_error for other failures.
  void do_handshake();
  /// do_handshake: as above; reports failure in `ec`.
  void do_handshake(std::error_code& ec) noexcept;

  /// read: decrypts up to `buffer.size()` bytes; throws want_read_error when no whole
  /// record is in `incoming`, zero_return_error after the peer's close_notify, eof_error
  /// when `incoming` ended without one.
  std::size_t read(std::span<std::byte> buffer);
  /// read: as above; reports failure in `ec` (ssl_errc::zero_return at a clean close) and returns 0.
  std::size_t read(std::span<std::byte> buffer, std::error_code& ec) noexcept;
  /// write: encrypts all of `data` into `outgoing`; returns its size. Before the
  /// handshake is done it advances it and may throw want_read_error (call again with the
  /// same bytes); after shutdown it throws ssl_error.
  std::size_t write(std::span<const std::byte> data);
  /// write: as above; reports failure in `ec`.
  std::size_t write(std::span<const std::byte> data, std::error_code& ec) noexcept;
  /// unwrap: sends close_notify (into `outgoing`) and waits for the peer's: throws
  /// want_read_error until the peer's close_notify is in `incoming`, then returns. Data
  /// from the peer that arrives before its close_notify is an ssl_error, as in Python.
  void unwrap();
  /// unwrap: as above; reports failure in `ec`.
  void unwrap(std::error_code& ec) noexcept;

  // getpeercert, getpeercert_der, get_unverified_chain, get_verified_chain, cipher,
  // version, session, session_reused, selected_alpn_protocol, shared_ciphers, group,
  // get_channel_binding, pending, server_side, server_hostname and native_handle are
  // stream's, from detail::connection_queries.

  /// context: the context this object was made with, as a `context<side::any>` sharing it
  /// (see stream::context). Defined in context.hpp.
  sslpp::context<side::any> context() const;

 private:
  template <side>
  friend class context;
  friend class detail::connection_queries<ssl_object>;

  ssl_object(memory_bio& incoming, memory_bio& outgoing, std::shared_ptr<detail::context_impl> ctx, bool server,
             const hostname* host, const wrap_options& opts);

  const detail::engine& checked_engine() const { return *engine_; }
  const detail::engine* engine_or_null() const noexcept { return engine_.get(); }
  // emptied: whether this object was moved from; then `ec` says so (error_code overloads).
  bool emptied(std::error_code& ec) const noexcept {
    if (engine_) [[likely]] {
      ec.clear();
      return false;
    }
    ec = detail::emptied_error();
    return true;
  }

  detail::emptiable_ptr<detail::engine, detail::ssl_object_emptied> engine_;
};

SSLPP_END_NAMESPACE

#if SSLPP_WITH_DEFINITIONS
#include <sslpp/impl/ssl_object.ipp>
#endif
