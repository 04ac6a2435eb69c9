// sslpp — SPDX-License-Identifier: MIT
//
// asio.hpp: sslpp::asio::stream<NextLayer>, asynchronous TLS over a standalone asio stream
// (completion tokens, coroutines, per-operation cancellation, a shutdown that cannot hang).
// Opt-in: <sslpp/sslpp.hpp> does not include it, and sslpp needs asio only where it is.
#pragma once

#include <asio/associated_executor.hpp>
#include <asio/async_result.hpp>
#include <asio/bind_cancellation_slot.hpp>
#include <asio/bind_executor.hpp>
#include <asio/buffer.hpp>
#include <asio/cancellation_signal.hpp>
#include <asio/cancellation_type.hpp>
#include <asio/compose.hpp>
#include <asio/error.hpp>
#include <asio/post.hpp>
#include <asio/steady_timer.hpp>
#include <asio/write.hpp>

#include <sslpp/detail/async_stream.hpp>

#include <sslpp/detail/chrono.hpp>
#include <system_error>
#include <utility>

SSLPP_BEGIN_NAMESPACE
namespace detail {

/// asio_flavour: what detail::async_stream uses of standalone asio.
struct asio_flavour {
  using error_code = ::asio::error_code;
  using mutable_buffer = ::asio::mutable_buffer;
  using const_buffer = ::asio::const_buffer;
  using cancellation_signal = ::asio::cancellation_signal;
  using cancellation_type = ::asio::cancellation_type;
  template <class Executor>
  using steady_timer =
      ::asio::basic_waitable_timer<std::chrono::steady_clock, ::asio::wait_traits<std::chrono::steady_clock>, Executor>;
  template <class Executor>
  using default_token = ::asio::default_completion_token_t<Executor>;

  static error_code from_std(const std::error_code& ec) noexcept { return ec; }
  /// from_errno: a socket call's errno as asio's own socket operations report it (in
  /// asio's "asio.system" category, not std::system_category()).
  static error_code from_errno(int e) noexcept { return {e, ::asio::error::get_system_category()}; }
  static error_code eof() noexcept { return ::asio::error::eof; }
  static error_code aborted() noexcept { return ::asio::error::operation_aborted; }
  static error_code timed_out() noexcept { return std::make_error_code(std::errc::timed_out); }
  static cancellation_type terminal() noexcept { return cancellation_type::terminal; }
  static auto enable_total_cancellation() noexcept { return ::asio::enable_total_cancellation(); }

  template <class Buffers>
  static auto buffer_sequence_begin(const Buffers& b) {
    return ::asio::buffer_sequence_begin(b);
  }
  template <class Buffers>
  static auto buffer_sequence_end(const Buffers& b) {
    return ::asio::buffer_sequence_end(b);
  }
  template <class Signature, class Impl, class Token, class IoObject>
  static auto compose(Impl&& impl, Token& token, IoObject& io) {
    return ::asio::async_compose<Token, Signature>(std::forward<Impl>(impl), token, io);
  }
  template <class Stream, class Handler>
  static void async_write(Stream& s, const_buffer b, Handler&& h) {
    ::asio::async_write(s, b, std::forward<Handler>(h));
  }
  template <class Slot, class Handler>
  static auto bind_cancellation_slot(Slot slot, Handler&& h) {
    return ::asio::bind_cancellation_slot(slot, std::forward<Handler>(h));
  }
  template <class Executor, class Handler>
  static auto bind_executor(const Executor& ex, Handler&& h) {
    return ::asio::bind_executor(ex, std::forward<Handler>(h));
  }
  /// post_call: calls `h(args...)` later, on h's associated executor.
  template <class Handler, class... Args>
  static void post_call(Handler&& h, Args... args) {
    auto ex = ::asio::get_associated_executor(h);
    ::asio::post(ex, [h = std::move(h), args...]() mutable { h(args...); });
  }
};

}  // namespace detail

namespace asio {

/// stream: an asynchronous TLS stream over `NextLayer`, a standalone asio AsyncReadStream
/// and AsyncWriteStream (ip::tcp::socket, local::stream_protocol::socket, another TLS
/// stream...). It models both concepts itself, so asio::async_read, async_write and
/// async_read_until work over it, with any completion token (callbacks, use_awaitable,
/// use_future, deferred, as_tuple, redirect_error), honouring the handler's associated
/// executor and allocator. The TLS policy is sslpp's own (the wrap_socket rules): a client
/// names its server, verification is the context's, sessions are offered only to the name
/// they were made for.
///
/// Construction: `stream<tcp::socket> tls(client_ctx, std::move(sock), "example.org")`
/// (client; a literal host name is checked at compile time, `runtime_hostname(s)` at run
/// time, `no_hostname` for none), `stream<tcp::socket> tls(server_ctx, std::move(sock))`
/// (server); an optional last `wrap_options` (session, suppress_ragged_eofs,
/// ech_config_list; do_handshake_on_connect is not used: no I/O happens before the first
/// operation). An ECH rejection completes the handshake with the backend's ECH_REJECTED
/// code, and `ech_retry_configs()` then gives the server's retry configs. The
/// other side's forms do not compile.
///
/// End of stream: async_read_some completes with asio::error::eof after the peer's
/// close_notify, and after a ragged EOF (the connection closed without close_notify) while
/// suppress_ragged_eofs is on (the default); with it off, a ragged EOF completes with
/// sslpp::ssl_errc::eof — a truncation a protocol without its own framing must treat as
/// an error.
///
/// Cancellation: per operation, through the bound cancellation slot
/// (asio::bind_cancellation_slot, `co_await (tls.async_read_some(...) || timer.async_wait(...))`
/// with experimental::awaitable_operators). It completes with asio::error::operation_aborted.
/// A read accepts every cancellation type and leaves the stream usable (bytes received
/// stay buffered, part of a record too); a handshake, write or shutdown accepts terminal
/// cancellation and leaves the connection unusable for more writes (what TLS took of a
/// cancelled write, its count, is still sent, while reads go on, before a shutdown's
/// close_notify). Closing the next layer completes every pending operation.
///
/// Shutdown: async_shutdown(token) sends close_notify without waiting;
/// async_shutdown(timeout, token) also waits for the peer's, at most `timeout`: success,
/// sslpp::ssl_errc::eof (the peer closed without one) or std::errc::timed_out.
///
/// Errors: sslpp's codes (error.hpp): a failed verification completes with its X509 code
/// in sslpp::verify_category() (X509_V_ERR_HOSTNAME_MISMATCH, ...), backend failures in
/// sslpp::boringssl_category(); failures of the next layer with its own codes.
///
/// Thread Safety: as asio's own streams: at most one read and one write operation in
/// flight (a handshake or shutdown counts as both), all on one strand or one thread.
/// The stream must not move while an operation is in flight.
///
/// Example:
///   sslpp::asio::stream<asio::ip::tcp::socket> tls(ctx, std::move(sock), "example.org");
///   co_await tls.async_handshake(asio::use_awaitable);
///   co_await asio::async_write(tls, asio::buffer(request), asio::use_awaitable);
///   std::size_t n = co_await tls.async_read_some(asio::buffer(buf), asio::use_awaitable);
///   co_await tls.async_shutdown(std::chrono::seconds(2), asio::use_awaitable);
template <class NextLayer>
using stream = detail::async_stream<detail::asio_flavour, NextLayer>;

}  // namespace asio
SSLPP_END_NAMESPACE
