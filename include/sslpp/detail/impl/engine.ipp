// sslpp — SPDX-License-Identifier: MIT
//
// detail/impl/engine.ipp: the definitions of detail::engine's members (and of ssl_handle's), and
// the backend helpers the connection types' definitions share. Included by
// detail/engine.hpp in the header-only mode (SSLPP_DECL is `inline`), and compiled once
// into the sslpp_compiled library in the compiled mode (see config.hpp).
#pragma once

#include <sslpp/config.hpp>
#include <sslpp/detail/backend.hpp>
#include <sslpp/detail/context_impl.hpp>
#include <sslpp/detail/deadline.hpp>
#include <sslpp/detail/early_data.hpp>
#include <sslpp/detail/ech_backend.hpp>
#include <sslpp/detail/engine.hpp>
#include <sslpp/detail/error_impl.hpp>
#include <sslpp/detail/failure.hpp>
#include <sslpp/detail/fd_wait.hpp>
#include <sslpp/detail/key_offload.hpp>
#include <sslpp/detail/psk_callbacks.hpp>
#include <sslpp/detail/sigalgs.hpp>
#include <sslpp/detail/trust_loading.hpp>

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <sslpp/detail/chrono.hpp>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <exception>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

SSLPP_BEGIN_NAMESPACE
namespace detail {

/// would_block: whether a transport error means "retry when ready" (EAGAIN / EWOULDBLOCK).
inline bool would_block(const std::error_code& ec) noexcept {
  return ec == std::errc::operation_would_block || ec == std::errc::resource_unavailable_try_again;
}

/// fd_is_nonblocking: whether O_NONBLOCK is set on `fd`.
inline bool fd_is_nonblocking(int fd) noexcept {
  const int flags = ::fcntl(fd, F_GETFL, 0);
  return flags >= 0 && (flags & O_NONBLOCK) != 0;
}

/// peer_certificate: the certificate the peer sent, or null.
inline x509_ptr peer_certificate(const SSL* ssl) { return x509_ptr(SSL_get_peer_certificate(ssl)); }

/// negotiated_version: the protocol number in use, 0 before the handshake.
inline int negotiated_version(const SSL* ssl) {
  return SSL_is_init_finished(ssl) ? SSL_version(ssl) : 0;
}

SSLPP_DECL ssl_handle::~ssl_handle() { SSL_free(p_); }

SSLPP_DECL void ssl_handle::reset(SSL* p) noexcept {
  SSL_free(p_);
  p_ = p;
}

SSLPP_DECL engine::engine(std::shared_ptr<context_impl> ctx, bool server_side)
    : ctx_(std::move(ctx)), server_side_(server_side) {
  ssl_.reset(SSL_new(ctx_->ctx.get()));
  if (!ssl_) throw_backend_error("cannot create a TLS connection");
  // A retried write may come from a moved buffer (a std::string that grew, say); its
  // contents must still be the same. Python sets the same mode.
  SSL_set_mode(ssl_.get(), SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  if (server_side_) {
    SSL_set_accept_state(ssl_.get());
    // Early data only when sslpp's own setting allows it (set_max_early_data), and then
    // always through the early-data handshake, so that it never reaches read().
    SSL_set_early_data_enabled(ssl_.get(), ctx_->early_data ? 1 : 0);
    if (ctx_->early_data) {
      early_ = std::make_unique<early_data_state>();
      early_->at = early_data_state::phase::handshaking;
    }
  } else {
    SSL_set_connect_state(ssl_.get());
    SSL_set_early_data_enabled(ssl_.get(), 0);  // only offer_early_data turns it on
  }
}

SSLPP_DECL engine::~engine() = default;

SSLPP_DECL void engine::attach_fd(int fd, bool known_stream, std::optional<bool> known_nonblocking) {
  if (fd < 0) throw std::invalid_argument("cannot start TLS on a closed socket (no descriptor)");
  if (!known_stream) {
    int type = 0;
    socklen_t len = sizeof type;
    is_socket_ = ::getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) == 0;
    if (is_socket_ && type != SOCK_STREAM)
      throw std::invalid_argument("cannot start TLS on descriptor " + std::to_string(fd) +
                                  ": it is not a stream socket (TLS needs a reliable, ordered byte stream)");
  }
  known_nonblocking_ = known_nonblocking;
  fd_ = fd;
  attach_own_bio(transport_kind::fd);
}

SSLPP_DECL void engine::attach_transport(transport_ops ops) {
  ops_ = ops;
  attach_own_bio(transport_kind::custom);
}

SSLPP_DECL void engine::attach_memory(BIO* incoming, BIO* outgoing) {
  kind_ = transport_kind::memory;
  SSL_set_bio(ssl_.get(), up_ref(incoming).release(), up_ref(outgoing).release());
}

SSLPP_DECL bool engine::nonblocking() const noexcept {
  if (kind_ != transport_kind::fd) return false;
  return known_nonblocking_ ? *known_nonblocking_ : fd_is_nonblocking(fd_);
}

SSLPP_DECL void engine::set_client_hostname(std::string_view name, bool is_ip) {
  hostname_ = std::string(name);
  if (!is_ip && !SSL_set_tlsext_host_name(ssl_.get(), hostname_->c_str()))
    throw_backend_error("cannot set the server name (SNI) '" + *hostname_ + "'");
  if (!ctx_->check_hostname) return;
  X509_VERIFY_PARAM* param = SSL_get0_param(ssl_.get());
  if (is_ip) {
    if (!X509_VERIFY_PARAM_set1_ip_asc(param, hostname_->c_str()))
      throw std::invalid_argument("cannot parse the IP address '" + *hostname_ + "'");
  } else {
    X509_VERIFY_PARAM_set_hostflags(param, ctx_->hostname_checks_common_name ? 0 : X509_CHECK_FLAG_NEVER_CHECK_SUBJECT);
    if (!X509_VERIFY_PARAM_set1_host(param, hostname_->data(), hostname_->size()))
      throw_backend_error("cannot set the host name to verify '" + *hostname_ + "'");
  }
}

SSLPP_DECL void engine::offer_early_data(std::string data) {
  if (data.empty()) return;
  if (data.size() > static_cast<std::size_t>(INT_MAX))
    throw std::invalid_argument("wrap_options::early_data: " + std::to_string(data.size()) +
                                " bytes is more than one write takes (INT_MAX)");
  SSL_set_early_data_enabled(ssl_.get(), 1);
  early_ = std::make_unique<early_data_state>();
  early_->at = early_data_state::phase::offering;
  early_->to_send = std::move(data);
}

SSLPP_DECL bool engine::early_data_accepted() const noexcept { return SSL_early_data_accepted(ssl_.get()) != 0; }

SSLPP_DECL const std::vector<std::byte>* engine::early_data_received() const noexcept {
  return early_ && early_->at == early_data_state::phase::done ? &early_->received : nullptr;
}

SSLPP_DECL int engine::early_data_reason() const noexcept { return SSL_get_early_data_reason(ssl_.get()); }

SSLPP_DECL bool engine::handshake(failure& f) {
  begin();
  if (early_ && early_->at != early_data_state::phase::done) [[unlikely]]
    return early_handshake(f);
  bool timed_out = false;
  const int rc = do_handshake_waiting_for_signer(timed_out);
  if (rc == 1) return finish_handshake(f);
  f = timed_out ? signer_timeout("handshake") : classify(rc, "handshake");
  return false;
}

SSLPP_DECL int engine::do_handshake_waiting_for_signer(bool& timed_out) {
  int rc = SSL_do_handshake(ssl_.get());
  while (rc != 1 && signer_answered(rc, timed_out)) rc = SSL_do_handshake(ssl_.get());
  return rc;
}

SSLPP_DECL bool engine::finish_handshake(failure& f) {
  // The client's signature algorithms are kept only to explain a failed handshake.
  if (auto* c = static_cast<conn_features*>(SSL_get_ex_data(ssl_.get(), conn_features_index())))
    std::vector<std::uint16_t>().swap(c->client_hello_sigalgs);
  // A TLS 1.3 server built on BoringSSL holds its session tickets back until it first
  // writes; OpenSSL (and so Python) sends them with the handshake. Flush them now, so
  // a client that waits for a ticket before it writes (bssl -test-resumption,
  // gnutls-cli --resume) can resume. A transport that cannot take them yet gets them
  // with the next write.
  if (server_side_ && SSL_version(ssl_.get()) >= TLS1_3_VERSION) {
    SSL_write(ssl_.get(), nullptr, 0);
    ERR_clear_error();
    if (transport_exception_) {  // the transport threw: the connection is unusable, say so
      f = classify(-1, "handshake");
      return false;
    }
  }
  return true;
}

SSLPP_DECL bool engine::early_handshake(failure& f) {
  using phase = early_data_state::phase;
  early_data_state& e = *early_;
  SSL* const s = ssl_.get();
  for (;;) {
    switch (e.at) {
      case phase::offering:
      case phase::finishing:
      case phase::resend: {
        bool timed_out = false;
        const int rc = do_handshake_waiting_for_signer(timed_out);
        if (rc != 1) {
          if (early_rejected(rc)) continue;
          f = timed_out ? signer_timeout("handshake") : classify(rc, "handshake");
          return false;
        }
        if (e.at == phase::offering) {
          // Returned after the ClientHello: the session allows 0-RTT; else the handshake is done.
          e.at = SSL_in_early_data(s) ? phase::writing : phase::resend;
          continue;
        }
        if (e.at == phase::resend) {
          const int n = SSL_write(s, e.to_send.data(), static_cast<int>(e.to_send.size()));
          if (n <= 0) {
            f = classify(n, "handshake");
            return false;
          }
        }
        return early_done(f);
      }
      case phase::writing: {
        // Up to the session's limit goes out as early data; past it, SSL_write finishes the
        // handshake and sends the rest as ordinary data.
        const int n = SSL_write(s, e.to_send.data(), static_cast<int>(e.to_send.size()));
        if (n <= 0) {
          if (early_rejected(n)) continue;
          f = classify(n, "handshake");
          return false;
        }
        e.at = phase::finishing;
        continue;
      }
      case phase::handshaking: {
        bool timed_out = false;
        const int rc = do_handshake_waiting_for_signer(timed_out);
        if (rc != 1) {
          f = timed_out ? signer_timeout("handshake") : classify(rc, "handshake");
          return false;
        }
        if (!SSL_in_early_data(s)) return early_done(f);  // none offered, or refused
        e.at = phase::collecting;
        continue;
      }
      case phase::collecting: {
        std::byte buf[4096];
        const int n = SSL_read(s, buf, static_cast<int>(sizeof buf));
        if (n > 0) {
          std::vector<std::byte>& to = SSL_in_init(s) ? e.received : e.backlog;
          to.insert(to.end(), buf, buf + n);
          if (SSL_in_init(s)) continue;
          return early_done(f);
        }
        // The handshake is over when the read stops (the transport then refuses to wait
        // for ordinary data: bio_read); what stopped it is the next read's to report.
        if (!SSL_in_init(s)) {
          ERR_clear_error();
          return early_done(f);
        }
        f = classify(n, "handshake");
        return false;
      }
      case phase::done: return finish_handshake(f);
    }
  }
}

SSLPP_DECL bool engine::early_rejected(int rc) {
  if (SSL_get_error(ssl_.get(), rc) != SSL_ERROR_EARLY_DATA_REJECTED) return false;
  ERR_clear_error();
  SSL_reset_early_data_reject(ssl_.get());
  early_->at = early_data_state::phase::resend;
  return true;
}

SSLPP_DECL bool engine::early_done(failure& f) {
  early_->at = early_data_state::phase::done;
  early_->reason = SSL_get_early_data_reason(ssl_.get());
  std::string().swap(early_->to_send);
  return finish_handshake(f);
}

SSLPP_DECL std::size_t engine::early_pending() const noexcept {
  return early_ ? early_->backlog.size() - early_->backlog_read : 0;
}

[[gnu::noinline]] SSLPP_DECL std::optional<long> engine::early_read(std::span<std::byte> buf, failure_handler on_failure) {
  if (early_->at != early_data_state::phase::done) {
    failure f;
    if (!handshake(f)) return on_failure(std::move(f));
  }
  const std::size_t left = early_pending();
  if (left == 0) return std::nullopt;
  const std::size_t n = std::min(left, buf.size());
  std::memcpy(buf.data(), early_->backlog.data() + early_->backlog_read, n);
  early_->backlog_read += n;
  if (early_pending() == 0) {
    std::vector<std::byte>().swap(early_->backlog);
    early_->backlog_read = 0;
  }
  return static_cast<long>(n);
}

SSLPP_DECL long engine::read_erased(std::span<std::byte> buf, bool suppress_ragged_eofs, failure_handler on_failure) {
  if (buf.empty()) return 0;
  if (early_) [[unlikely]] {
    if (const std::optional<long> r = early_read(buf, on_failure)) return *r;
  }
  begin();
  const int len = static_cast<int>(std::min<std::size_t>(buf.size(), INT_MAX));
  const int n = SSL_read(ssl_.get(), buf.data(), len);
  if (n > 0) [[likely]] return n;
  return read_stopped(buf.data(), len, n, suppress_ragged_eofs, on_failure);
}

[[gnu::noinline]] SSLPP_DECL long engine::read_stopped(std::byte* data, int len, int n, bool suppress_ragged_eofs,
                                                      failure_handler on_failure) {
  bool timed_out = false;  // a read before the handshake makes it: a late signer is waited for as there
  while (n <= 0 && signer_answered(n, timed_out)) n = SSL_read(ssl_.get(), data, len);
  if (n > 0) return n;
  failure f = timed_out ? signer_timeout("read") : classify(n, "read");
  if (f.what == failure::kind::eof && (suppress_ragged_eofs || has(ctx_->opts, sslpp::options::ignore_unexpected_eof)))
    return 0;
  return on_failure(std::move(f));
}

SSLPP_DECL long engine::write_erased(std::span<const std::byte> buf, failure_handler on_failure) {
  if (buf.empty()) return 0;
  if (early_ && early_->at != early_data_state::phase::done) [[unlikely]] {
    // the early-data handshake first: the caller's bytes are never early data
    if (const std::optional<long> r = handshake_before_write(on_failure)) return *r;
  }
  begin();
  // SSL_write takes an int: a larger buffer goes in slices of at most INT_MAX bytes, each
  // written whole (no SSL_MODE_ENABLE_PARTIAL_WRITE), so the caller sees one write.
  std::size_t done = 0;
  for (;;) {
    const int len = static_cast<int>(std::min<std::size_t>(buf.size() - done, INT_MAX));
    int n = SSL_write(ssl_.get(), buf.data() + done, len);
    if (n <= 0) [[unlikely]] {
      bool timed_out = false;  // a write before the handshake makes it: a late signer is waited for as there
      n = write_after_signer(buf.data() + done, len, n, timed_out);
      if (n <= 0) return write_failed(n, timed_out, done, on_failure);
    }
    done += static_cast<std::size_t>(n);
    if (done == buf.size()) return static_cast<long>(done);
  }
}

[[gnu::noinline]] SSLPP_DECL int engine::write_after_signer(const std::byte* data, int len, int n, bool& timed_out) {
  while (n <= 0 && signer_answered(n, timed_out)) n = SSL_write(ssl_.get(), data, len);
  return n;
}

[[gnu::noinline]] SSLPP_DECL long engine::write_failed(int n, bool timed_out, std::size_t done,
                                                      failure_handler on_failure) {
  failure f = timed_out ? signer_timeout("write") : classify(n, "write");
  // Would-block after earlier slices went out: report those; the retry with the rest
  // starts with the very bytes the backend committed to.
  if (done > 0 && (f.what == failure::kind::want_read || f.what == failure::kind::want_write))
    return static_cast<long>(done);
  return on_failure(std::move(f));
}

[[gnu::noinline]] SSLPP_DECL std::optional<long> engine::handshake_before_write(failure_handler on_failure) {
  failure f;
  if (handshake(f)) return std::nullopt;
  return on_failure(std::move(f));
}

SSLPP_DECL int engine::shutdown(bool wait_for_peer, failure& f) {
  begin();
  int rc = SSL_shutdown(ssl_.get());
  if (rc == 0 && wait_for_peer) {
    clear_io_error();
    rc = SSL_shutdown(ssl_.get());
  }
  if (rc >= 0) return rc;
  f = classify(rc, "shutdown");
  return -1;
}

SSLPP_DECL std::optional<std::vector<std::byte>> engine::ech_retry_configs() const {
  if (!ech_rejected_) return std::nullopt;
  return ech_retry_configs_of(ssl_.get());
}

SSLPP_DECL std::size_t engine::pending() const noexcept { return static_cast<std::size_t>(SSL_pending(ssl_.get())) + early_pending(); }

SSLPP_DECL bool engine::handshake_done() const noexcept { return SSL_is_init_finished(ssl_.get()) != 0; }

SSLPP_DECL bool engine::close_notify_received() const noexcept { return (SSL_get_shutdown(ssl_.get()) & SSL_RECEIVED_SHUTDOWN) != 0; }

SSLPP_DECL bool engine::close_notify_sent() const noexcept { return (SSL_get_shutdown(ssl_.get()) & SSL_SENT_SHUTDOWN) != 0; }

SSLPP_DECL void engine::clear_io_error() noexcept {
  errno = 0;
  io_error_.clear();
}

SSLPP_DECL void engine::begin() noexcept {
  clear_io_error();
  if (transport_exception_) transport_exception_ = nullptr;
  deadline_ = timeout_.timeout ? deadline(timeout_.timeout(timeout_.socket)) : deadline();
}

SSLPP_DECL void engine::attach_own_bio(transport_kind kind) {
  BIO* bio = BIO_new(stream_bio_method());
  if (!bio) throw_backend_error("cannot create the transport BIO");
  BIO_set_data(bio, this);
  BIO_set_init(bio, 1);
  SSL_set_bio(ssl_.get(), bio, bio);  // the SSL object owns it now (one reference, both directions)
  kind_ = kind;
}

SSLPP_DECL bool engine::waits_for_signer() const noexcept {
  if (kind_ == transport_kind::fd) return !fd_is_nonblocking(fd_);
  return kind_ == transport_kind::custom && !quiet_wants_;
}

SSLPP_DECL bool engine::signer_answered(int rc, bool& timed_out) {
  if (SSL_is_init_finished(ssl_.get()) || SSL_get_error(ssl_.get(), rc) != SSL_ERROR_WANT_PRIVATE_KEY_OPERATION ||
      !waits_for_signer())
    return false;
  timed_out = !wait_for_signer();
  return !timed_out;
}

SSLPP_DECL failure engine::signer_timeout(const char* operation) const {
  failure f;
  f.what = failure::kind::syscall;
  f.code = std::make_error_code(std::errc::timed_out);
  f.message = "The " + std::string(operation) + " operation timed out (TLS " + operation + " " + peer_text() +
              " waited for the private key signer)";
  return f;
}

SSLPP_DECL bool engine::wait_for_signer() {
  const std::shared_ptr<signing_slot> slot = pending_signature(ssl_.get());
  if (!slot) return true;  // nothing to wait for: the backend asks complete() again
  if (!deadline_.is_set()) {
    slot->wait();
    return true;
  }
  return slot->wait_until(deadline_.time_point());
}

SSLPP_DECL std::string engine::peer_text() const {
  if (server_side_) return "from a client";
  if (hostname_) return "with '" + *hostname_ + "'";
  return "with the server";
}

SSLPP_DECL failure engine::classify(int rc, const char* operation) {
  const int saved_errno = errno;
  const int err = SSL_get_error(ssl_.get(), rc);
  failure f;
  if ((err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) && quiet_wants_ && !transport_exception_) {
    // The would-block path of an event loop: no message, no allocation.
    ERR_clear_error();
    f.what = err == SSL_ERROR_WANT_READ ? failure::kind::want_read : failure::kind::want_write;
    f.code = make_error_code(err == SSL_ERROR_WANT_READ ? ssl_errc::want_read : ssl_errc::want_write);
    return f;
  }
  const std::string where = std::string("TLS ") + operation + " " + peer_text();
  if (transport_exception_) {
    // Whatever the backend made of it, the operation failed because the transport threw.
    ERR_clear_error();
    f.what = failure::kind::syscall;
    f.code = io_error_;
    f.message = where + " failed: the transport threw: " + exception_text(transport_exception_);
    f.exception = std::move(transport_exception_);
    transport_exception_ = nullptr;
    return f;
  }
  switch (err) {
    case SSL_ERROR_WANT_PRIVATE_KEY_OPERATION:
      ERR_clear_error();
      f.what = failure::kind::want_private_key_operation;
      f.code = make_error_code(ssl_errc::want_private_key_operation);
      if (!quiet_wants_)
        f.message = "The operation did not complete (private key operation): " + where +
                    " waits for the private key signer; call do_handshake() again once it answered";
      return f;
    case SSL_ERROR_WANT_READ:
    case SSL_ERROR_WANT_WRITE:
      ERR_clear_error();
      f.what = err == SSL_ERROR_WANT_READ ? failure::kind::want_read : failure::kind::want_write;
      f.code = make_error_code(err == SSL_ERROR_WANT_READ ? ssl_errc::want_read : ssl_errc::want_write);
      f.message = std::string("The operation did not complete (") + (err == SSL_ERROR_WANT_READ ? "read" : "write") +
                  "): " + where;
      return f;
    case SSL_ERROR_ZERO_RETURN:
      f.what = failure::kind::zero_return;
      f.code = make_error_code(ssl_errc::zero_return);
      f.message = "TLS/SSL connection has been closed (EOF): the peer sent close_notify (" + where + ")";
      return f;
    case SSL_ERROR_SYSCALL: {
      std::error_code io = io_error_;
      if (!io && kind_ == transport_kind::none && saved_errno != 0) io = std::error_code(saved_errno, std::generic_category());
      ERR_clear_error();
      if (!io) {
        f.what = failure::kind::eof;
        f.code = make_error_code(ssl_errc::eof);
        f.message = "EOF occurred in violation of protocol: the peer closed the connection without close_notify (" +
                    where + ")";
        return f;
      }
      f.what = failure::kind::syscall;
      f.code = io;
      if (io == std::errc::timed_out)
        f.message = "The " + std::string(operation) + " operation timed out (" + where + ")";
      else
        f.message = where + " failed: " + io.message();
      return f;
    }
    default: break;
  }
  const long verify = SSL_get_verify_result(ssl_.get());
  const uint32_t packed = static_cast<uint32_t>(ERR_peek_last_error());
  if (!server_side_ && ERR_GET_LIB(packed) == ERR_LIB_SSL && ERR_GET_REASON(packed) == SSL_R_ECH_REJECTED)
    return ech_rejection(where);
  if (verify != X509_V_OK && ERR_GET_LIB(packed) == ERR_LIB_SSL &&
      ERR_GET_REASON(packed) == SSL_R_CERTIFICATE_VERIFY_FAILED) {
    ERR_clear_error();
    f.what = failure::kind::verify;
    f.verify_code = verify;
    f.verify_message = verify_text(verify);
    f.code = std::error_code(static_cast<int>(verify), verify_category());
    f.library = "SSL";
    f.reason = "CERTIFICATE_VERIFY_FAILED";
    f.message = "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: " + f.verify_message + " (" + where + ")";
    if (const std::string public_name = ech_public_name_override(ssl_.get()); !public_name.empty())
      f.message += ": the server did not accept Encrypted Client Hello and answered for its public name '" +
                   public_name + "', which its certificate must be valid for before sslpp trusts its retry configs";
    // No issuer found: say which trust was searched (often an empty or wrong store).
    if (verify == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY || verify == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT ||
        verify == X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN || verify == X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT)
      f.message += ": " + trust_description(*ctx_);
    return f;
  }
  const std::string cause = explain(packed);
  failure g = backend_failure(where + " failed");
  // Python's words first ("[SSL: WRONG_VERSION_NUMBER] wrong version number"), then the cause.
  if (!cause.empty() && g.code.category() == boringssl_category())
    g.message = "[" + g.library + ": " + g.reason + "] " + reason_words(g.reason) + " (" + where + " failed): " + cause;
  return g;
}

SSLPP_DECL failure engine::ech_rejection(const std::string& where) {
  failure f = backend_failure(where + " failed");
  f.what = failure::kind::ech_rejected;
  f.ech_public_name = ech_public_name_override(ssl_.get());
  f.ech_retry_configs = ech_retry_configs_of(ssl_.get());
  ech_rejected_ = true;
  const std::string name = hostname_ ? "'" + *hostname_ + "'" : std::string("the server name");
  f.message = "[SSL: ECH_REJECTED] ech rejected (" + where + " failed): the server did not accept the Encrypted "
              "Client Hello (it has no key for the config offered) and answered for its public name '" +
              f.ech_public_name + "', its certificate valid for that name; " + name + " was not sent in clear. ";
  if (f.ech_retry_configs.empty())
    f.message += "It sent no retry configs: it has turned ECH off, and connecting without ECH would show " + name +
                 " to observers";
  else
    f.message += "It sent " + std::to_string(f.ech_retry_configs.size()) +
                 " bytes of retry configs: connect again with wrap_options{.ech_config_list = "
                 "e.retry_configs()}";
  return f;
}

SSLPP_DECL std::string engine::version_name(std::uint16_t v) {
  switch (v) {
    case TLS1_3_VERSION: return "TLS 1.3";
    case TLS1_2_VERSION: return "TLS 1.2";
    case TLS1_1_VERSION: return "TLS 1.1";
    case TLS1_VERSION: return "TLS 1.0";
    case SSL3_VERSION: return "SSL 3.0";
    default: return "version 0x" + hex4(v);
  }
}

SSLPP_DECL std::string engine::hex4(std::uint16_t v) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out(4, '0');
  for (int i = 3; i >= 0; --i, v = static_cast<std::uint16_t>(v >> 4)) out[static_cast<std::size_t>(i)] = digits[v & 0xf];
  return out;
}

SSLPP_DECL std::string engine::peer_text_sample() {
  if (kind_ == transport_kind::fd && first_len_ < sizeof first_) {
    const ssize_t n = ::recv(fd_, first_ + first_len_, sizeof first_ - first_len_, MSG_DONTWAIT);
    if (n > 0) first_len_ = static_cast<std::uint8_t>(first_len_ + n);
  }
  std::string text;
  bool line_ended = false;
  for (std::size_t i = 0; i < first_len_; ++i) {
    const char ch = first_[i];
    line_ended = ch == '\r' || ch == '\n';
    if (line_ended) break;
    if (ch < 0x20 || ch > 0x7e) return {};
    text += ch;
  }
  if (!line_ended && first_len_ == sizeof first_) text += "...";  // a longer line, cut
  return text.size() >= 4 ? text : std::string();
}

SSLPP_DECL std::string engine::explain(std::uint32_t packed) {
  if (ERR_GET_LIB(packed) != ERR_LIB_SSL) return {};
  const int reason = ERR_GET_REASON(packed);
  const std::string peer = server_side_ ? "the client" : "the server";
  if (std::string psk = explain_psk(ssl_.get(), reason, server_side_); !psk.empty()) return psk;
  if (std::string signer = explain_signer(ssl_.get(), reason); !signer.empty()) return signer;
  if (std::string sigalgs = explain_sigalgs(ssl_.get(), reason, server_side_); !sigalgs.empty()) return sigalgs;
  if (reason == SSL_R_WRONG_VERSION_NUMBER || reason == SSL_R_HTTP_REQUEST || reason == SSL_R_HTTPS_PROXY_REQUEST) {
    const std::string sample = peer_text_sample();
    std::string out = peer + " does not seem to speak TLS";
    if (reason == SSL_R_HTTP_REQUEST) out = "the client speaks plain HTTP, not HTTPS";
    else if (reason == SSL_R_HTTPS_PROXY_REQUEST) out = "the client sent an HTTP proxy CONNECT request, not TLS";
    else if (!server_side_) out += " on this port (plain HTTP there?)";
    if (!sample.empty()) out += "; it sent \"" + sample + "\"";
    return out;
  }
  if (reason != SSL_R_UNSUPPORTED_PROTOCOL && reason != SSL_R_TLSV1_ALERT_PROTOCOL_VERSION) return {};
  const std::uint16_t lo = SSL_get_min_proto_version(ssl_.get());
  const std::uint16_t hi = SSL_get_max_proto_version(ssl_.get());
  const std::string side = server_side_ ? "this server" : "this client";
  std::string out = side + (lo == hi ? " allows " + version_name(lo) + " only"
                                     : " allows " + version_name(lo) + " to " + version_name(hi));
  std::uint16_t offered = 0;
  if (server_side_)
    if (const conn_features* c = connection_features(ssl_.get())) offered = c->client_max_version;
  if (server_side_ && offered != 0) {
    out += "; the client offered at most " + version_name(offered);
    if (offered < lo) out += ": lower set_minimum_version to accept it";
    return out;
  }
  if (reason == SSL_R_TLSV1_ALERT_PROTOCOL_VERSION) {
    out += "; " + peer + " refused " + (lo == hi ? "it" : "them");
    if (!server_side_ && lo >= TLS1_3_VERSION)
      out += " (it speaks at most TLS 1.2): lower set_minimum_version to tls_version::tlsv1_2 to reach it";
    else if (!server_side_ && hi < TLS1_3_VERSION)
      out += " (it requires a newer version): raise set_maximum_version";
    return out;
  }
  out += "; " + peer + " answered with a version outside that range";
  if (!server_side_ && lo >= TLS1_3_VERSION)
    out += " (it speaks at most TLS 1.2): lower set_minimum_version to tls_version::tlsv1_2 to reach it";
  return out;
}

SSLPP_DECL std::string engine::verify_text(long verify) const {
  if (verify == X509_V_ERR_HOSTNAME_MISMATCH) {
    // A server that rejected ECH is checked for its public name, not the real one.
    if (const std::string public_name = ech_public_name_override(ssl_.get()); !public_name.empty())
      return "Hostname mismatch, certificate is not valid for '" + public_name + "'.";
    if (hostname_) return "Hostname mismatch, certificate is not valid for '" + *hostname_ + "'.";
  }
  if (verify == X509_V_ERR_IP_ADDRESS_MISMATCH && hostname_)
    return "IP address mismatch, certificate is not valid for '" + *hostname_ + "'.";
  // The security level's floor: OpenSSL's words, then the certificate and the reason.
  // This BoringSSL's own 66 and 67 mean something else; only the floor's get its words.
  if (const char* floor = floor_verify_text(verify)) {
    const std::string detail = floor_detail_for(ssl_.get(), verify);
    if (!detail.empty()) return std::string(floor) + ": " + detail;
    if (verify == x509_v_err_ca_md_too_weak) return floor;
  }
  return X509_verify_cert_error_string(verify);
}

SSLPP_DECL std::error_code engine::fd_error(int err) const noexcept {
  if (err == EAGAIN || err == EWOULDBLOCK)
    return fd_is_nonblocking(fd_) ? std::error_code(err, std::generic_category())
                                  : std::make_error_code(std::errc::timed_out);
  return {err, std::generic_category()};
}

SSLPP_DECL std::size_t engine::fd_read(std::span<std::byte> b, std::error_code& ec) const noexcept {
  if (deadline_.is_set()) return fd_transfer(true, b.data(), b.size(), ec);
  for (;;) {
    const ssize_t n = is_socket_ ? ::recv(fd_, b.data(), b.size(), 0) : ::read(fd_, b.data(), b.size());
    if (n >= 0) return static_cast<std::size_t>(n);
    if (errno == EINTR) continue;
    ec = fd_error(errno);
    return 0;
  }
}

SSLPP_DECL std::size_t engine::fd_write(std::span<const std::byte> b, std::error_code& ec) const noexcept {
  if (deadline_.is_set()) return fd_transfer(false, const_cast<std::byte*>(b.data()), b.size(), ec);
  for (;;) {
    const ssize_t n = is_socket_ ? ::send(fd_, b.data(), b.size(), MSG_NOSIGNAL) : ::write(fd_, b.data(), b.size());
    if (n >= 0) return static_cast<std::size_t>(n);
    if (errno == EINTR) continue;
    ec = fd_error(errno);
    return 0;
  }
}

SSLPP_DECL std::size_t engine::fd_transfer(bool reading, std::byte* data, std::size_t size, std::error_code& ec) const noexcept {
  int err = 0;
  std::size_t n = 0;
  if (is_socket_) {
    n = transfer_within(fd_, reading, data, size, deadline_, err);
  } else {
    // A pipe or a terminal has no MSG_DONTWAIT: wait for it first (when blocking), then
    // make the one call.
    if (!fd_is_nonblocking(fd_)) err = wait_fd_until(fd_, reading ? POLLIN : POLLOUT, deadline_);
    if (err == 0) {
      ssize_t r;
      do r = reading ? ::read(fd_, data, size) : ::write(fd_, data, size);
      while (r < 0 && errno == EINTR);
      if (r >= 0) n = static_cast<std::size_t>(r);
      else err = errno;
    }
  }
  if (err != 0) ec = std::error_code(err, std::generic_category());  // ETIMEDOUT is errc::timed_out
  return n;
}

template <class Fn, class Buffer>
std::size_t engine::call_transport(Fn fn, Buffer buf, std::error_code& ec) noexcept {
  if (deadline_.expired()) {
    ec = std::make_error_code(std::errc::timed_out);
    return 0;
  }
  try {
    return fn(ops_.stream, buf, ec);
  } catch (const std::system_error& e) {
    transport_exception_ = std::current_exception();
    ec = e.code() ? e.code() : std::make_error_code(std::errc::io_error);
  } catch (...) {
    transport_exception_ = std::current_exception();
    ec = std::make_error_code(std::errc::io_error);
  }
  return 0;
}

SSLPP_DECL std::string engine::exception_text(const std::exception_ptr& e) {
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& x) {
    return x.what();
  } catch (...) {
    return "an exception not derived from std::exception";
  }
}

SSLPP_DECL int engine::bio_read(BIO* bio, char* out, int len) {
  auto* self = static_cast<engine*>(BIO_get_data(bio));
  BIO_clear_retry_flags(bio);
  if (len <= 0) return 0;
  // A server collecting early data stops once its handshake is over: waiting here would
  // wait for ordinary data the client may only send after our answer.
  if (self->early_ && self->early_->at == early_data_state::phase::collecting && !SSL_in_init(self->ssl_.get()))
      [[unlikely]] {
    BIO_set_retry_read(bio);
    return -1;
  }
  std::error_code ec;
  const auto buf = std::as_writable_bytes(std::span(out, static_cast<std::size_t>(len)));
  const std::size_t n =
      self->kind_ == transport_kind::fd ? self->fd_read(buf, ec) : self->call_transport(self->ops_.read_some, buf, ec);
  if (!ec) {
    const std::size_t got = std::min<std::size_t>(n, static_cast<std::size_t>(len));
    if (self->first_len_ < sizeof self->first_) [[unlikely]] {  // kept for a "does not speak TLS" error
      const std::size_t keep = std::min<std::size_t>(got, sizeof self->first_ - self->first_len_);
      std::memcpy(self->first_ + self->first_len_, out, keep);
      self->first_len_ = static_cast<std::uint8_t>(self->first_len_ + keep);
    }
    return static_cast<int>(got);  // 0: end of stream
  }
  if (would_block(ec) && !self->transport_exception_) {
    BIO_set_retry_read(bio);
    return -1;
  }
  self->io_error_ = ec;
  return -1;
}

SSLPP_DECL int engine::bio_write(BIO* bio, const char* in, int len) {
  auto* self = static_cast<engine*>(BIO_get_data(bio));
  BIO_clear_retry_flags(bio);
  if (len <= 0) return 0;
  std::error_code ec;
  const auto buf = std::as_bytes(std::span(in, static_cast<std::size_t>(len)));
  const std::size_t n =
      self->kind_ == transport_kind::fd ? self->fd_write(buf, ec) : self->call_transport(self->ops_.write_some, buf, ec);
  if (!ec && n > 0) return static_cast<int>(std::min<std::size_t>(n, static_cast<std::size_t>(len)));
  if (ec && would_block(ec) && !self->transport_exception_) {
    BIO_set_retry_write(bio);
    return -1;
  }
  // A write that takes nothing and reports nothing would loop forever: call it an I/O error.
  self->io_error_ = ec ? ec : std::make_error_code(std::errc::io_error);
  return -1;
}

SSLPP_DECL long engine::bio_ctrl(BIO*, int cmd, long, void*) { return cmd == BIO_CTRL_FLUSH ? 1 : 0; }

SSLPP_DECL const BIO_METHOD* engine::stream_bio_method() {
  static const BIO_METHOD* method = [] {
    BIO_METHOD* m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "sslpp transport");
    BIO_meth_set_read(m, bio_read);
    BIO_meth_set_write(m, bio_write);
    BIO_meth_set_ctrl(m, bio_ctrl);
    return m;
  }();
  return method;
}

}  // namespace detail
SSLPP_END_NAMESPACE
