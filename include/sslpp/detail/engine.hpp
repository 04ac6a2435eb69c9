// sslpp — SPDX-License-Identifier: MIT
//
// detail/engine.hpp: one TLS connection's backend state (an SSL object and its BIOs),
// and the translation of every SSL_* result into sslpp's errors. Shared by stream<Socket>.
#pragma once

#include <sslpp/detail/backend.hpp>
#include <sslpp/detail/context_impl.hpp>
#include <sslpp/detail/error_impl.hpp>

#include <fcntl.h>

#include <cerrno>
#include <climits>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <system_error>

SSLPP_BEGIN_NAMESPACE
namespace detail {

/// transport_ops: type-erased access to a byte stream, for the custom BIO.
struct transport_ops {
  void* stream = nullptr;
  std::size_t (*read_some)(void* stream, std::span<std::byte>, std::error_code&) = nullptr;
  std::size_t (*write_some)(void* stream, std::span<const std::byte>, std::error_code&) = nullptr;
};

/// engine: an SSL object bound to its context and transport.
class engine {
 public:
  engine(std::shared_ptr<context_impl> ctx, bool server_side) : ctx_(std::move(ctx)), server_side_(server_side) {
    ssl_.reset(SSL_new(ctx_->ctx.get()));
    if (!ssl_) throw_backend_error("cannot create a TLS connection");
    if (server_side_) SSL_set_accept_state(ssl_.get());
    else SSL_set_connect_state(ssl_.get());
  }

  engine(const engine&) = delete;
  engine& operator=(const engine&) = delete;

  SSL* ssl() const noexcept { return ssl_.get(); }
  bool server_side() const noexcept { return server_side_; }
  const std::shared_ptr<context_impl>& context() const noexcept { return ctx_; }
  const std::optional<std::string>& server_hostname() const noexcept { return hostname_; }

  /// attach_fd: TLS straight over a descriptor the caller keeps owning (no copy in between).
  void attach_fd(int fd) {
    fd_ = fd;
    if (!SSL_set_fd(ssl_.get(), fd)) throw_backend_error("cannot attach the socket to TLS");
  }

  /// attach_transport: TLS over any byte stream, through a BIO that calls `ops`.
  void attach_transport(transport_ops ops) {
    ops_ = ops;
    BIO* bio = BIO_new(stream_bio_method());
    if (!bio) throw_backend_error("cannot create the transport BIO");
    BIO_set_data(bio, this);
    BIO_set_init(bio, 1);
    SSL_set_bio(ssl_.get(), bio, bio);  // the SSL object owns it now (one reference, both directions)
  }

  /// set_client_hostname: SNI (not for IP addresses) and the host name check the
  /// context asks for. `name` has its one trailing dot stripped already.
  void set_client_hostname(std::string_view name, bool is_ip) {
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

  // Each operation returns true on success; on failure it fills `f` and returns false.

  bool handshake(failure& f) {
    prepare();
    const int rc = SSL_do_handshake(ssl_.get());
    if (rc == 1) return true;
    f = classify(rc, "handshake");
    return false;
  }

  /// read: bytes read into `buf`, 0 at a clean close_notify (when `zero_is_error` is false),
  /// or -1 with `f` filled.
  long read(std::span<std::byte> buf, bool suppress_ragged_eofs, failure& f) {
    prepare();
    const int n = SSL_read(ssl_.get(), buf.data(), static_cast<int>(std::min<std::size_t>(buf.size(), INT_MAX)));
    if (n > 0) return n;
    f = classify(n, "read");
    if (f.what == failure::kind::eof && (suppress_ragged_eofs || has(ctx_->opts, sslpp::options::ignore_unexpected_eof)))
      return 0;
    return -1;
  }

  long write(std::span<const std::byte> buf, failure& f) {
    if (buf.empty()) return 0;
    prepare();
    const int n = SSL_write(ssl_.get(), buf.data(), static_cast<int>(std::min<std::size_t>(buf.size(), INT_MAX)));
    if (n > 0) return n;
    f = classify(n, "write");
    return -1;
  }

  /// shutdown: sends close_notify; returns 1 once the peer's close_notify arrived too,
  /// 0 when it was sent but the peer's is still to come, -1 on failure.
  int shutdown(failure& f) {
    prepare();
    const int rc = SSL_shutdown(ssl_.get());
    if (rc >= 0) return rc;
    f = classify(rc, "shutdown");
    return -1;
  }

  std::size_t pending() const noexcept { return static_cast<std::size_t>(SSL_pending(ssl_.get())); }
  bool handshake_done() const noexcept { return SSL_is_init_finished(ssl_.get()) != 0; }

 private:
  void prepare() noexcept {
    ERR_clear_error();
    errno = 0;
    io_error_.clear();
  }

  bool fd_is_blocking() const noexcept {
    if (fd_ < 0) return false;
    const int flags = ::fcntl(fd_, F_GETFL, 0);
    return flags >= 0 && (flags & O_NONBLOCK) == 0;
  }

  std::string peer_text() const {
    if (server_side_) return "from a client";
    if (hostname_) return "with '" + *hostname_ + "'";
    return "with the server";
  }

  failure classify(int rc, const char* operation) {
    const int saved_errno = errno;
    const int err = SSL_get_error(ssl_.get(), rc);
    failure f;
    const std::string where = std::string("TLS ") + operation + " " + peer_text();
    switch (err) {
      case SSL_ERROR_WANT_READ:
      case SSL_ERROR_WANT_WRITE:
        // On a blocking socket with a timeout, "would block" means the timeout expired.
        if (fd_is_blocking()) {
          ERR_clear_error();
          f.what = failure::kind::syscall;
          f.code = std::make_error_code(std::errc::timed_out);
          f.message = "The " + std::string(operation) + " operation timed out (" + where + ")";
          return f;
        }
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
        std::error_code io = io_error_ ? io_error_ : std::error_code(saved_errno, std::generic_category());
        ERR_clear_error();
        if (!io) {
          f.what = failure::kind::eof;
          f.code = make_error_code(ssl_errc::eof);
          f.message = "EOF occurred in violation of protocol: the peer closed the connection without close_notify (" +
                      where + ")";
          return f;
        }
        f.what = failure::kind::syscall;
        if (io == std::errc::resource_unavailable_try_again) io = std::make_error_code(std::errc::timed_out);
        f.code = io;
        f.message = where + " failed: " + io.message();
        return f;
      }
      default: break;
    }
    const long verify = SSL_get_verify_result(ssl_.get());
    const uint32_t packed = static_cast<uint32_t>(ERR_peek_last_error());
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
      return f;
    }
    return backend_failure(where + " failed");
  }

  std::string verify_text(long verify) const {
    if (verify == X509_V_ERR_HOSTNAME_MISMATCH && hostname_)
      return "Hostname mismatch, certificate is not valid for '" + *hostname_ + "'.";
    if (verify == X509_V_ERR_IP_ADDRESS_MISMATCH && hostname_)
      return "IP address mismatch, certificate is not valid for '" + *hostname_ + "'.";
    return X509_verify_cert_error_string(verify);
  }

  // The custom BIO: reads and writes go to the transport_ops of the engine in BIO data.
  static int bio_read(BIO* bio, char* out, int len) {
    auto* self = static_cast<engine*>(BIO_get_data(bio));
    BIO_clear_retry_flags(bio);
    std::error_code ec;
    const std::size_t n = self->ops_.read_some(self->ops_.stream, std::as_writable_bytes(std::span(out, static_cast<std::size_t>(len))), ec);
    if (!ec) return static_cast<int>(n);
    if (ec == std::errc::operation_would_block || ec == std::errc::resource_unavailable_try_again) {
      BIO_set_retry_read(bio);
      return -1;
    }
    self->io_error_ = ec;
    return -1;
  }
  static int bio_write(BIO* bio, const char* in, int len) {
    auto* self = static_cast<engine*>(BIO_get_data(bio));
    BIO_clear_retry_flags(bio);
    std::error_code ec;
    const std::size_t n = self->ops_.write_some(self->ops_.stream, std::as_bytes(std::span(in, static_cast<std::size_t>(len))), ec);
    if (!ec) return static_cast<int>(n);
    if (ec == std::errc::operation_would_block || ec == std::errc::resource_unavailable_try_again) {
      BIO_set_retry_write(bio);
      return -1;
    }
    self->io_error_ = ec;
    return -1;
  }
  static long bio_ctrl(BIO*, int cmd, long, void*) { return cmd == BIO_CTRL_FLUSH ? 1 : 0; }

  static const BIO_METHOD* stream_bio_method() {
    static const BIO_METHOD* method = [] {
      BIO_METHOD* m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "sslpp byte_stream");
      BIO_meth_set_read(m, bio_read);
      BIO_meth_set_write(m, bio_write);
      BIO_meth_set_ctrl(m, bio_ctrl);
      return m;
    }();
    return method;
  }

  std::shared_ptr<context_impl> ctx_;
  ssl_ptr ssl_;
  bool server_side_;
  int fd_ = -1;
  transport_ops ops_;
  std::error_code io_error_;
  std::optional<std::string> hostname_;
};

/// peer_certificate: the certificate the peer sent, or null.
inline x509_ptr peer_certificate(const SSL* ssl) { return x509_ptr(SSL_get_peer_certificate(ssl)); }

/// cipher_parts: the negotiated cipher's name (OpenSSL's name, as Python shows it), the
/// protocol version it was defined for, and its secret bits; nullopt before the handshake.
struct cipher_parts {
  std::string name;
  std::string protocol;
  int secret_bits = 0;
};
inline std::optional<cipher_parts> current_cipher(const SSL* ssl) {
  const SSL_CIPHER* c = SSL_get_current_cipher(ssl);
  if (!c) return std::nullopt;
  // Python (on OpenSSL 3) names the version a suite was defined for; BoringSSL's
  // SSL_CIPHER_get_version says "TLSv1/SSLv3" for every pre-1.3 suite, so derive it.
  const char* protocol = "TLSv1.0";
  switch (SSL_CIPHER_get_min_version(c)) {
    case TLS1_3_VERSION: protocol = "TLSv1.3"; break;
    case TLS1_2_VERSION: protocol = "TLSv1.2"; break;
    case SSL3_VERSION: protocol = "SSLv3"; break;
    default: break;
  }
  return cipher_parts{SSL_CIPHER_get_name(c), protocol, SSL_CIPHER_get_bits(c, nullptr)};
}

/// use_session: offers `session` for resumption on a client connection.
inline void use_session(SSL* ssl, SSL_SESSION* session) {
  if (!SSL_set_session(ssl, session)) throw_backend_error("cannot offer the session for resumption");
}

/// negotiated_version: the protocol number in use, 0 before the handshake.
inline int negotiated_version(const SSL* ssl) {
  return SSL_is_init_finished(ssl) ? SSL_version(ssl) : 0;
}

}  // namespace detail
SSLPP_END_NAMESPACE
