// sslpp — SPDX-License-Identifier: MIT
//
// impl/stream.ipp: the member definitions of stream<Socket>. stream.hpp always includes
// them (a program may wrap any byte stream); in the compiled mode the common instantiation,
// stream<tcp_socket>, is declared `extern template` there and instantiated once here, in
// the sslpp_compiled library, so a program's translation units do not compile it again.
#pragma once

#include <sslpp/config.hpp>
#include <sslpp/detail/client_policy.hpp>
#include <sslpp/detail/deadline.hpp>
#include <sslpp/detail/engine.hpp>
#include <sslpp/detail/error_capture.hpp>
#include <sslpp/detail/failure.hpp>
#include <sslpp/socket.hpp>
#include <sslpp/stream.hpp>

#include <sslpp/detail/chrono.hpp>
#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>

// SSLPP_DETAIL_STREAM_INLINE: `inline` on these definitions in the header-only mode, as they
// were when written in the class (the compiler inlines them as eagerly); nothing in the
// compiled mode, where an inline member of the extern stream<tcp_socket> would be
// instantiated again in the program for inlining.
#if defined(SSLPP_COMPILED)
#define SSLPP_DETAIL_STREAM_INLINE
#else
#define SSLPP_DETAIL_STREAM_INLINE inline
#endif

SSLPP_BEGIN_NAMESPACE

template <class Socket>
SSLPP_DETAIL_STREAM_INLINE stream<Socket>::stream(stream&&) noexcept = default;
template <class Socket>
SSLPP_DETAIL_STREAM_INLINE stream<Socket>& stream<Socket>::operator=(stream&&) noexcept = default;
template <class Socket>
SSLPP_DETAIL_STREAM_INLINE stream<Socket>::~stream() = default;

template <class Socket>
SSLPP_DETAIL_STREAM_INLINE void stream<Socket>::do_handshake() {
  detail::failure f;
  if (!live().handshake(f)) detail::throw_failure(std::move(f));
}

template <class Socket>
SSLPP_DETAIL_STREAM_INLINE void stream<Socket>::do_handshake(std::error_code& ec) noexcept {
  if (unusable(ec)) return;
  detail::failure f;
  if (!state().engine.handshake(f)) ec = f.code;
}

template <class Socket>
SSLPP_DETAIL_STREAM_INLINE std::size_t stream<Socket>::read(std::span<std::byte> buffer) {
  return static_cast<std::size_t>(
      live().read(buffer, state().options.suppress_ragged_eofs, [](detail::failure&& f) -> long {
        if (f.what == detail::failure::kind::zero_return) return 0;
        detail::throw_failure(std::move(f));
      }));
}

template <class Socket>
SSLPP_DETAIL_STREAM_INLINE std::size_t stream<Socket>::read(std::span<std::byte> buffer, std::error_code& ec) noexcept {
  if (unusable(ec)) return 0;
  return static_cast<std::size_t>(
      state().engine.read(buffer, state().options.suppress_ragged_eofs, [&ec](detail::failure&& f) -> long {
        if (f.what != detail::failure::kind::zero_return) ec = f.code;
        return 0;
      }));
}

template <class Socket>
SSLPP_DETAIL_STREAM_INLINE std::size_t stream<Socket>::write(std::span<const std::byte> data) {
  return static_cast<std::size_t>(
      live().write(data, [](detail::failure&& f) -> long { detail::throw_failure(std::move(f)); }));
}

template <class Socket>
SSLPP_DETAIL_STREAM_INLINE std::size_t stream<Socket>::write(std::span<const std::byte> data,
                                                             std::error_code& ec) noexcept {
  if (unusable(ec)) return 0;
  return static_cast<std::size_t>(state().engine.write(data, [&ec](detail::failure&& f) -> long {
    ec = f.code;
    return 0;
  }));
}

template <class Socket>
SSLPP_DETAIL_STREAM_INLINE void stream<Socket>::sendall(std::span<const std::byte> data) {
  while (!data.empty()) data = data.subspan(write(data));
}

template <class Socket>
SSLPP_DETAIL_STREAM_INLINE void stream<Socket>::sendall(std::span<const std::byte> data, std::error_code& ec) noexcept {
  ec.clear();
  while (!data.empty() && !ec) data = data.subspan(write(data, ec));
}

template <class Socket>
SSLPP_DETAIL_STREAM_INLINE void stream<Socket>::shutdown(shutdown_mode mode) {
  detail::failure f;
  if (live().shutdown(mode == shutdown_mode::wait_for_peer, f) < 0) detail::throw_failure(std::move(f));
}

template <class Socket>
SSLPP_DETAIL_STREAM_INLINE void stream<Socket>::shutdown(shutdown_mode mode, std::error_code& ec) noexcept {
  if (unusable(ec)) return;
  detail::failure f;
  if (state().engine.shutdown(mode == shutdown_mode::wait_for_peer, f) < 0) ec = f.code;
}

template <class Socket>
SSLPP_DETAIL_STREAM_INLINE Socket stream<Socket>::unwrap() {
  detail::failure f;
  if (live().shutdown(true, f) < 0) detail::throw_failure(std::move(f));
  return release_socket();
}

template <class Socket>
SSLPP_DETAIL_STREAM_INLINE std::optional<Socket> stream<Socket>::unwrap(std::error_code& ec) noexcept(
    std::is_nothrow_move_constructible_v<Socket>) {
  if (unusable(ec)) return std::nullopt;
  detail::failure f;
  if (state().engine.shutdown(true, f) < 0) {
    ec = f.code;
    return std::nullopt;
  }
  return release_socket();
}

template <class Socket>
SSLPP_DETAIL_STREAM_INLINE void stream<Socket>::close() noexcept {
  state_.reset();
}

template <class Socket>
SSLPP_DETAIL_STREAM_INLINE stream<Socket>::stream(Socket sock, std::shared_ptr<detail::context_impl> ctx, bool server,
                                                  const hostname* host, wrap_options opts, bool handshake_now)
    : state_(std::make_unique<state_t>(std::move(sock), std::move(ctx), server, opts)) {
  detail::engine& e = state_->engine;
  if constexpr (native_socket<Socket>) {
    state_->fd = state_->socket.native_handle();
    if constexpr (requires(const Socket& s) {
                    { s.known_stream_socket() } -> std::same_as<bool>;
                    { s.known_nonblocking() } -> std::same_as<std::optional<bool>>;
                  })
      e.attach_fd(state_->socket.native_handle(), state_->socket.known_stream_socket(),
                  state_->socket.known_nonblocking());
    else
      e.attach_fd(state_->socket.native_handle());
  } else {
    e.attach_transport(detail::transport_ops{
        &state_->socket,
        [](void* s, std::span<std::byte> b, std::error_code& ec) -> std::size_t {
          return static_cast<Socket*>(s)->read_some(b, ec);
        },
        [](void* s, std::span<const std::byte> b, std::error_code& ec) -> std::size_t {
          return static_cast<Socket*>(s)->write_some(b, ec);
        }});
  }
  if constexpr (detail::has_timeout<Socket>)
    e.set_timeout_source({&state_->socket, [](const void* s) -> std::chrono::milliseconds {
                            return static_cast<const Socket*>(s)->timeout();
                          }});
  if (host) detail::start_client(e, *host, opts.session, "wrap_socket", opts.session_cache, opts.ech_config_list);
  else detail::start_server(e, opts.session, opts.session_cache, opts.ech_config_list);
  detail::start_early_data(e, opts.early_data.text(), host != nullptr);
  if (handshake_now && state_->options.do_handshake_on_connect) {
    detail::failure f;
    if (!handshake_on_connect(f)) {
      if (blocked(f))
        throw std::invalid_argument(
            "do_handshake_on_connect should not be specified for non-blocking sockets: wrap with "
            "sslpp::wrap_options{.do_handshake_on_connect = false} and call do_handshake() when the socket is "
            "ready");
      detail::throw_failure(std::move(f));
    }
  }
}

template <class Socket>
SSLPP_DETAIL_STREAM_INLINE bool stream<Socket>::handshake_on_connect(detail::failure& f) {
  detail::engine& e = state_->engine;
  if (e.nonblocking()) {
    f.what = detail::failure::kind::want_read;
    f.code = make_error_code(ssl_errc::want_read);
    return false;
  }
  return e.handshake(f);
}

template <class Socket>
SSLPP_DETAIL_STREAM_INLINE std::optional<stream<Socket>> stream<Socket>::open(Socket sock,
                                                                              std::shared_ptr<detail::context_impl> ctx,
                                                                              bool server, const hostname* host,
                                                                              wrap_options opts, std::error_code& ec) {
  std::optional<stream> s;
  if (!detail::capture_error(
          ec, [&] { s.emplace(stream(std::move(sock), std::move(ctx), server, host, std::move(opts), false)); }))
    return std::nullopt;
  if (s->state().options.do_handshake_on_connect) {
    detail::failure f;
    if (!s->handshake_on_connect(f)) {
      ec = blocked(f) ? std::make_error_code(std::errc::invalid_argument) : f.code;
      return std::nullopt;
    }
  }
  return s;
}

template <class Socket>
SSLPP_DETAIL_STREAM_INLINE Socket stream<Socket>::release_socket() {
  Socket s = std::move(state_->socket);
  state_.reset();
  return s;
}

template <class Socket>
SSLPP_DETAIL_STREAM_INLINE detail::failure stream<Socket>::gone_failure() {
  detail::failure f;
  f.what = detail::failure::kind::syscall;
  f.code = std::make_error_code(std::errc::bad_file_descriptor);
  f.message =
      "sslpp::stream: its socket was closed beneath it (through socket()); its descriptor number may belong "
      "to another connection now, so TLS does not go on over it (close the stream instead)";
  return f;
}

template <class Socket>
SSLPP_DETAIL_STREAM_INLINE detail::engine& stream<Socket>::live() {
  state_t& s = state();
  if (socket_gone()) detail::throw_failure(gone_failure());
  return s.engine;
}

template <class Socket>
SSLPP_DETAIL_STREAM_INLINE bool stream<Socket>::unusable(std::error_code& ec) noexcept {
  if (emptied(ec)) return true;
  if (!socket_gone()) return false;
  ec = std::make_error_code(std::errc::bad_file_descriptor);
  return true;
}

SSLPP_END_NAMESPACE

#undef SSLPP_DETAIL_STREAM_INLINE
