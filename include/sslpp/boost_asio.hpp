// sslpp — SPDX-License-Identifier: MIT
//
// boost_asio.hpp: sslpp::boost_asio::stream<NextLayer>, asynchronous TLS over a Boost.Asio
// stream (completion tokens including yield_context, coroutines, per-operation
// cancellation, a shutdown that cannot hang); Boost.Beast's HTTP and WebSocket run over it.
// Opt-in: <sslpp/sslpp.hpp> does not include it. Needs Boost 1.80 or later (per-operation
// cancellation; Debian: libboost1.81-dev).
#pragma once

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/cancellation_type.hpp>
#include <boost/asio/compose.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>

#include <boost/system/error_code.hpp>

#include <sslpp/detail/async_stream.hpp>

#include <cerrno>
#include <sslpp/detail/chrono.hpp>
#include <system_error>
#include <utility>

SSLPP_BEGIN_NAMESPACE
namespace detail {

/// boost_asio_flavour: what detail::async_stream uses of Boost.Asio.
struct boost_asio_flavour {
  using error_code = ::boost::system::error_code;
  using mutable_buffer = ::boost::asio::mutable_buffer;
  using const_buffer = ::boost::asio::const_buffer;
  using cancellation_signal = ::boost::asio::cancellation_signal;
  using cancellation_type = ::boost::asio::cancellation_type;
  template <class Executor>
  using steady_timer =
      ::boost::asio::basic_waitable_timer<std::chrono::steady_clock, ::boost::asio::wait_traits<std::chrono::steady_clock>, Executor>;
  template <class Executor>
  using default_token = ::boost::asio::default_completion_token_t<Executor>;

  // sslpp's codes travel inside boost::system::error_code as the std::error_code they are
  // (std::error_code(ec) gives them back; ec == sslpp::ssl_errc::eof compares); errno
  // values take Boost's own categories, so they compare with boost::system::errc too.
  static error_code from_std(const std::error_code& ec) noexcept {
    if (ec.category() == std::generic_category()) return {ec.value(), ::boost::system::generic_category()};
    if (ec.category() == std::system_category()) return {ec.value(), ::boost::system::system_category()};
    return ec;
  }
  /// from_errno: a socket call's errno as Boost.Asio's own socket operations report it.
  static error_code from_errno(int e) noexcept { return {e, ::boost::asio::error::get_system_category()}; }
  static error_code eof() noexcept { return ::boost::asio::error::eof; }
  static error_code aborted() noexcept { return ::boost::asio::error::operation_aborted; }
  static error_code timed_out() noexcept { return {ETIMEDOUT, ::boost::system::generic_category()}; }
  static cancellation_type terminal() noexcept { return cancellation_type::terminal; }
  static auto enable_total_cancellation() noexcept { return ::boost::asio::enable_total_cancellation(); }

  template <class Buffers>
  static auto buffer_sequence_begin(const Buffers& b) {
    return ::boost::asio::buffer_sequence_begin(b);
  }
  template <class Buffers>
  static auto buffer_sequence_end(const Buffers& b) {
    return ::boost::asio::buffer_sequence_end(b);
  }
  template <class Signature, class Impl, class Token, class IoObject>
  static auto compose(Impl&& impl, Token& token, IoObject& io) {
    return ::boost::asio::async_compose<Token, Signature>(std::forward<Impl>(impl), token, io);
  }
  template <class Stream, class Handler>
  static void async_write(Stream& s, const_buffer b, Handler&& h) {
    ::boost::asio::async_write(s, b, std::forward<Handler>(h));
  }
  template <class Slot, class Handler>
  static auto bind_cancellation_slot(Slot slot, Handler&& h) {
    return ::boost::asio::bind_cancellation_slot(slot, std::forward<Handler>(h));
  }
  template <class Executor, class Handler>
  static auto bind_executor(const Executor& ex, Handler&& h) {
    return ::boost::asio::bind_executor(ex, std::forward<Handler>(h));
  }
  /// post_call: calls `h(args...)` later, on h's associated executor.
  template <class Handler, class... Args>
  static void post_call(Handler&& h, Args... args) {
    auto ex = ::boost::asio::get_associated_executor(h);
    ::boost::asio::post(ex, [h = std::move(h), args...]() mutable { h(args...); });
  }
};

}  // namespace detail

namespace boost_asio {

/// stream: an asynchronous TLS stream over `NextLayer`, a Boost.Asio AsyncReadStream and
/// AsyncWriteStream (ip::tcp::socket, Beast's tcp_stream, another TLS stream...) — the
/// same stream as sslpp::asio::stream (<sslpp/asio.hpp> documents construction, end of
/// stream, cancellation, shutdown, errors and thread safety), with Boost's types: every
/// operation completes with boost::system::error_code. sslpp's codes travel in it as the
/// std::error_code they are (`ec == sslpp::ssl_errc::eof` compares, `std::error_code(ec)`
/// gives the code back, a verify failure keeps sslpp::verify_category()); errno values are
/// in Boost's categories (`ec == boost::system::errc::timed_out` after a shutdown that
/// timed out); the end of the stream is boost::asio::error::eof. Any completion token
/// works, Boost's yield_context included; Boost.Beast's http::async_read / async_write
/// and websocket::stream run over it.
///
/// Example:
///   sslpp::boost_asio::stream<boost::beast::tcp_stream> tls(ctx, std::move(tcp), "example.org");
///   co_await tls.async_handshake(boost::asio::use_awaitable);
///   co_await boost::beast::http::async_write(tls, request, boost::asio::use_awaitable);
///   co_await boost::beast::http::async_read(tls, buffer, response, boost::asio::use_awaitable);
///   co_await tls.async_shutdown(std::chrono::seconds(2), boost::asio::use_awaitable);
template <class NextLayer>
using stream = detail::async_stream<detail::boost_asio_flavour, NextLayer>;

}  // namespace boost_asio
SSLPP_END_NAMESPACE
