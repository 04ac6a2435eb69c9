// sslpp — SPDX-License-Identifier: MIT
//
// sslpp_bench: the same TLS workloads through sslpp and through BoringSSL's C API
// directly, in one run, alternating (raw, sslpp, sslpp, raw, ...), so that both see the
// same machine load. Prints a Markdown table: medians, min–max over the samples, and the
// paired ratio sslpp / raw (each round's sslpp figure over the same round's raw figure).
//
// Both sides are a client thread and a server thread over loopback TCP; both ends of a
// connection use the implementation being measured. The TCP sockets are made the same
// way for both (socket/connect/accept4 + TCP_NODELAY; sslpp adopts the descriptor with
// tcp_socket(int)), so the figures compare the TLS layer only.
//
//   sslpp_bench [--quick] [--rounds N] [--seconds S] [--bytes B] [--rtts N] [--conns N]
//               [--only LIST] [--pki DIR]
//   sslpp_bench --op OP --impl raw|sslpp --count N [--pki DIR]     (for valgrind/strace)
//
// OP: hs-ecdsa, hs-rsa, resume, bulk-aes, bulk-chacha, mem-aes, mem-chacha, rtt. See bench/README.md.
#include <sslpp/sslpp.hpp>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <arpa/inet.h>
#include <malloc.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#ifndef SSLPP_SOURCE_DIR
#define SSLPP_SOURCE_DIR "."
#endif
#ifndef SSLPP_BENCH_PKI
#define SSLPP_BENCH_PKI "bench-pki"
#endif

namespace {

using clock_type = std::chrono::steady_clock;

[[noreturn]] void fail(const std::string& what) { throw std::runtime_error(what); }

std::string backend_errors() {
  std::string out;
  while (const uint32_t e = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    out += std::string(out.empty() ? "" : "; ") + buf;
  }
  return out.empty() ? "no backend error queued" : out;
}

double cpu_seconds() {
  rusage ru{};
  ::getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

// ---------------------------------------------------------------------------------------
// Loopback TCP, made the same way for both implementations.

struct listener {
  int fd = -1;
  std::uint16_t port = 0;
  listener() {
    fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) fail("socket: " + std::string(std::strerror(errno)));
    const int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(fd, 4096) != 0)
      fail("bind/listen on 127.0.0.1: " + std::string(std::strerror(errno)));
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    port = ntohs(a.sin_port);
  }
  ~listener() { ::close(fd); }
  listener(const listener&) = delete;
  listener& operator=(const listener&) = delete;
};

int connect_loopback(std::uint16_t port) {
  for (int attempt = 0;; ++attempt) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) fail("socket: " + std::string(std::strerror(errno)));
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(port);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0) {
      const int one = 1;
      ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      return fd;
    }
    const int err = errno;
    ::close(fd);
    // Ephemeral ports in TIME_WAIT: wait for the kernel to recycle them.
    if ((err == EADDRNOTAVAIL || err == EAGAIN) && attempt < 200) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      continue;
    }
    fail("connect to 127.0.0.1:" + std::to_string(port) + ": " + std::strerror(err));
  }
}

int accept_loopback(int lfd) {
  const int fd = ::accept4(lfd, nullptr, nullptr, SOCK_CLOEXEC);
  if (fd < 0) fail("accept: " + std::string(std::strerror(errno)));
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

// ---------------------------------------------------------------------------------------
// What a sample runs with.

struct config {
  std::string pki;
  bool rsa = false;            // RSA-2048 leaf instead of ECDSA P-256
  std::string tls12_cipher;    // non-empty: TLS 1.2 with only this suite
};

std::string pki_file(const config& c, const char* name) { return c.pki + "/" + name; }
std::string chain_file(const config& c) { return pki_file(c, c.rsa ? "fullchain-rsa.pem" : "fullchain-ecdsa.pem"); }
std::string key_file(const config& c) { return pki_file(c, c.rsa ? "leaf-rsa.key" : "leaf-ecdsa.key"); }

// ---------------------------------------------------------------------------------------
// Raw BoringSSL: what a careful hand-written client and server do, with the settings
// sslpp's create_default_context / context_for(tls_server) apply.

struct raw_impl {
  static constexpr const char* name = "raw BoringSSL";
  bssl::UniquePtr<SSL_CTX> sctx, cctx;
  bssl::UniquePtr<SSL_SESSION> session;

  struct conn {
    bssl::UniquePtr<SSL> ssl;
    int fd = -1;
    conn() = default;
    conn(bssl::UniquePtr<SSL> s, int f) : ssl(std::move(s)), fd(f) {}
    conn(conn&& o) noexcept : ssl(std::move(o.ssl)), fd(std::exchange(o.fd, -1)) {}
    conn& operator=(conn&&) = delete;
    ~conn() {
      ssl.reset();
      if (fd >= 0) ::close(fd);
    }
  };

  static int new_session(SSL* ssl, SSL_SESSION* s) {
    auto* self = static_cast<raw_impl*>(SSL_CTX_get_app_data(SSL_get_SSL_CTX(ssl)));
    self->session.reset(s);  // takes the reference
    return 1;
  }

  explicit raw_impl(const config& c) {
    const char* ciphers = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
                          "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
                          "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";
    const uint32_t opts = SSL_OP_NO_COMPRESSION | SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_RENEGOTIATION;
    sctx.reset(SSL_CTX_new(TLS_method()));
    cctx.reset(SSL_CTX_new(TLS_method()));
    for (SSL_CTX* x : {sctx.get(), cctx.get()}) {
      SSL_CTX_set_min_proto_version(x, TLS1_2_VERSION);
      SSL_CTX_set_max_proto_version(x, c.tls12_cipher.empty() ? TLS1_3_VERSION : TLS1_2_VERSION);
      if (!SSL_CTX_set_strict_cipher_list(x, c.tls12_cipher.empty() ? ciphers : c.tls12_cipher.c_str()))
        fail("raw: cipher list: " + backend_errors());
      SSL_CTX_set_options(x, opts);
      SSL_CTX_set_mode(x, SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    }
    if (SSL_CTX_use_certificate_chain_file(sctx.get(), chain_file(c).c_str()) != 1 ||
        SSL_CTX_use_PrivateKey_file(sctx.get(), key_file(c).c_str(), SSL_FILETYPE_PEM) != 1 ||
        SSL_CTX_check_private_key(sctx.get()) != 1)
      fail("raw: loading " + chain_file(c) + ": " + backend_errors());
    SSL_CTX_set_verify(sctx.get(), SSL_VERIFY_NONE, nullptr);
    SSL_CTX_set_verify(cctx.get(), SSL_VERIFY_PEER, nullptr);
    if (SSL_CTX_load_verify_locations(cctx.get(), pki_file(c, "ca.pem").c_str(), nullptr) != 1)
      fail("raw: loading ca.pem: " + backend_errors());
    X509_STORE_set_flags(SSL_CTX_get_cert_store(cctx.get()), X509_V_FLAG_TRUSTED_FIRST | X509_V_FLAG_PARTIAL_CHAIN);
    SSL_CTX_set_app_data(cctx.get(), this);
    SSL_CTX_set_session_cache_mode(cctx.get(), SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL);
    SSL_CTX_sess_set_new_cb(cctx.get(), new_session);
  }

  conn client(int fd, bool resume) {
    conn c(bssl::UniquePtr<SSL>(SSL_new(cctx.get())), fd);
    SSL* s = c.ssl.get();
    if (!s || !SSL_set_fd(s, fd) || !SSL_set_tlsext_host_name(s, "localhost")) fail("raw: SSL_new: " + backend_errors());
    X509_VERIFY_PARAM* p = SSL_get0_param(s);
    X509_VERIFY_PARAM_set_hostflags(p, X509_CHECK_FLAG_NEVER_CHECK_SUBJECT);
    if (!X509_VERIFY_PARAM_set1_host(p, "localhost", 9)) fail("raw: set1_host: " + backend_errors());
    if (resume && session) SSL_set_session(s, session.get());
    if (SSL_connect(s) != 1) fail("raw: client handshake: " + backend_errors());
    return c;
  }
  void keep_session(conn&) {}  // new_session() keeps the last ticket
  bool has_session() const { return session != nullptr; }
  static bool reused(conn& c) { return SSL_session_reused(c.ssl.get()) != 0; }

  conn server(int fd) {
    conn c(bssl::UniquePtr<SSL>(SSL_new(sctx.get())), fd);
    if (!c.ssl || !SSL_set_fd(c.ssl.get(), fd)) fail("raw: SSL_new: " + backend_errors());
    if (SSL_accept(c.ssl.get()) != 1) fail("raw: server handshake: " + backend_errors());
    return c;
  }

  static std::size_t read(conn& c, std::span<std::byte> b) {
    const int n = SSL_read(c.ssl.get(), b.data(), static_cast<int>(b.size()));
    if (n > 0) return static_cast<std::size_t>(n);
    const int err = SSL_get_error(c.ssl.get(), n);
    if (err == SSL_ERROR_ZERO_RETURN || (err == SSL_ERROR_SYSCALL && ERR_peek_error() == 0 && errno == 0)) return 0;
    fail("raw: SSL_read: " + backend_errors());
  }
  static void write(conn& c, std::span<const std::byte> b) {
    while (!b.empty()) {
      const int n = SSL_write(c.ssl.get(), b.data(), static_cast<int>(b.size()));
      if (n <= 0) fail("raw: SSL_write: " + backend_errors());
      b = b.subspan(static_cast<std::size_t>(n));
    }
  }
  static void close(conn& c) { SSL_shutdown(c.ssl.get()); }
  static SSL* native(conn& c) { return c.ssl.get(); }
};

// ---------------------------------------------------------------------------------------
// sslpp: what its README shows.

using sslpp_stream = sslpp::stream<sslpp::tcp_socket>;
template <class T>
concept has_session_api = requires(T& s) {
  { s.session() } -> std::convertible_to<sslpp::session>;
  { s.session_reused() } -> std::convertible_to<bool>;
};
constexpr bool sslpp_has_sessions = has_session_api<sslpp_stream>;

struct sslpp_impl {
  static constexpr const char* name = "sslpp";
  sslpp::server_context sctx;
  sslpp::client_context cctx;
  sslpp::session session;
  using conn = sslpp_stream;

  explicit sslpp_impl(const config& c)
      : sctx(sslpp::context_for(sslpp::protocol::tls_server)),
        cctx(sslpp::create_default_context(sslpp::purpose::server_auth, sslpp::trust{.cafile = pki_file(c, "ca.pem")})) {
    sctx.load_cert_chain(chain_file(c), key_file(c));
    if (!c.tls12_cipher.empty()) {
      sctx.set_maximum_version(sslpp::tls_version::tlsv1_2);
      sctx.set_ciphers(c.tls12_cipher);
      cctx.set_maximum_version(sslpp::tls_version::tlsv1_2);
      cctx.set_ciphers(c.tls12_cipher);
    }
  }

  conn client(int fd, bool resume) {
    return cctx.wrap_socket(sslpp::tcp_socket(fd), "localhost",
                            sslpp::wrap_options{.session = resume ? session : sslpp::session{}});
  }
  template <class S = conn>
  void keep_session(S& c) {
    if constexpr (has_session_api<S>) session = c.session();
  }
  bool has_session() const { return static_cast<bool>(session); }
  template <class S = conn>
  static bool reused(S& c) {
    if constexpr (has_session_api<S>) return c.session_reused();
    else return false;
  }
  conn server(int fd) { return sctx.wrap_socket(sslpp::tcp_socket(fd)); }
  static std::size_t read(conn& c, std::span<std::byte> b) { return c.read(b); }
  static void write(conn& c, std::span<const std::byte> b) { c.sendall(b); }
  static void close(conn& c) { c.shutdown(); }
  static SSL* native(conn& c) { return c.native_handle(); }
};

// ---------------------------------------------------------------------------------------
// The server side of every workload: a 9-byte header (mode, count) then
//   'E' n: n times read 1 byte and echo it;     'S' n: read n bytes then write 1 byte;
//   'K' 0: write 1 byte and keep the connection open (memory).
// Then read until the client's close_notify.

template <class I>
bool read_exact(typename I::conn& c, std::span<std::byte> b) {
  while (!b.empty()) {
    const std::size_t n = I::read(c, b);
    if (n == 0) return false;
    b = b.subspan(n);
  }
  return true;
}

struct header {
  char mode;
  std::uint64_t count;
  std::array<std::byte, 9> bytes() const {
    std::array<std::byte, 9> b{};
    b[0] = static_cast<std::byte>(mode);
    std::memcpy(b.data() + 1, &count, 8);
    return b;
  }
};

template <class I>
class server_thread {
 public:
  server_thread(I& impl, listener& l, std::vector<typename I::conn>* keep = nullptr)
      : impl_(impl), l_(l), keep_(keep), thread_([this] { run(); }) {}
  ~server_thread() { stop(); }
  std::size_t kept() const { return kept_.load(); }
  void stop() {
    if (!thread_.joinable()) return;
    stop_ = true;
    ::close(connect_loopback(l_.port));  // wakes accept()
    thread_.join();
    if (!error_.empty()) fail("server: " + error_);
  }

 private:
  void run() {
    std::vector<std::byte> buf(64 * 1024);
    for (;;) {
      const int fd = accept_loopback(l_.fd);
      if (stop_) {
        ::close(fd);
        return;
      }
      try {
        auto c = impl_.server(fd);
        std::array<std::byte, 9> h{};
        if (!read_exact<I>(c, h)) continue;
        std::uint64_t n = 0;
        std::memcpy(&n, h.data() + 1, 8);
        switch (static_cast<char>(h[0])) {
          case 'E':
            for (std::uint64_t i = 0; i < n; ++i) {
              if (!read_exact<I>(c, std::span(buf).first(1))) break;
              I::write(c, std::span(buf).first(1));
            }
            break;
          case 'S':
            while (n > 0) {
              const std::size_t got = I::read(c, std::span(buf).first(std::min<std::uint64_t>(n, buf.size())));
              if (got == 0) fail("sink: early end of stream");
              n -= got;
            }
            I::write(c, std::span(buf).first(1));
            break;
          case 'K':
            I::write(c, std::span(buf).first(1));
            keep_->push_back(std::move(c));
            ++kept_;
            continue;
          default: fail("bad header");
        }
        while (I::read(c, buf) != 0) {
        }
      } catch (const std::exception& e) {
        if (error_.empty()) error_ = e.what();
      }
    }
  }

  I& impl_;
  listener& l_;
  std::vector<typename I::conn>* keep_;
  std::atomic<bool> stop_{false};
  std::atomic<std::size_t> kept_{0};
  std::string error_;
  std::thread thread_;
};

// ---------------------------------------------------------------------------------------
// Client sides. Each returns a figure for one sample.

struct sample {
  double value = 0;  // the figure (ops/s, MB/s, µs)
  double extra = 0;  // a second figure (p99 for latency)
  double cpu_us_per_op = 0;
};

template <class I>
typename I::conn client_exchange(I& impl, std::uint16_t port, bool resume) {
  auto c = impl.client(connect_loopback(port), resume);
  std::array<std::byte, 10> m{};
  const auto h = header{'E', 1}.bytes();
  std::copy(h.begin(), h.end(), m.begin());
  I::write(c, m);
  if (!read_exact<I>(c, std::span(m).first(1))) fail("handshake exchange: early end of stream");
  return c;
}

// Full (resume=false) or resumed handshakes until `count` or `seconds`, whichever first.
template <class I>
sample run_handshakes(I& impl, std::uint16_t port, bool resume, std::uint64_t count, double seconds) {
  if (resume && !impl.has_session()) {
    auto c = client_exchange(impl, port, false);
    impl.keep_session(c);
    I::close(c);
    if (!impl.has_session()) fail(std::string(I::name) + ": no session ticket arrived");
  }
  const auto t0 = clock_type::now();
  const double c0 = cpu_seconds();
  std::uint64_t n = 0;
  for (; n < count; ++n) {
    auto c = client_exchange(impl, port, resume);
    if (resume != I::reused(c)) fail(std::string(I::name) + (resume ? ": session not resumed" : ": unexpected resumption"));
    I::close(c);
    if ((n & 15) == 15 && std::chrono::duration<double>(clock_type::now() - t0).count() >= seconds) {
      ++n;
      break;
    }
  }
  const double wall = std::chrono::duration<double>(clock_type::now() - t0).count();
  return {static_cast<double>(n) / wall, 0, (cpu_seconds() - c0) * 1e6 / static_cast<double>(n)};
}

// Bulk: `bytes` in 16 KiB writes on one connection, then a 1-byte ack.
template <class I>
sample run_bulk(I& impl, std::uint16_t port, std::uint64_t bytes) {
  auto c = impl.client(connect_loopback(port), false);
  std::vector<std::byte> chunk(16 * 1024, std::byte{0x5a});
  bytes = (bytes + chunk.size() - 1) / chunk.size() * chunk.size();
  I::write(c, header{'S', bytes}.bytes());
  const auto t0 = clock_type::now();
  const double c0 = cpu_seconds();
  for (std::uint64_t left = bytes; left > 0; left -= chunk.size()) I::write(c, chunk);
  if (!read_exact<I>(c, std::span(chunk).first(1))) fail("bulk: no ack");
  const double wall = std::chrono::duration<double>(clock_type::now() - t0).count();
  const double cpu = cpu_seconds() - c0;
  I::close(c);
  return {static_cast<double>(bytes) / wall / 1e6, 0, cpu * 1e6 / (static_cast<double>(bytes) / chunk.size())};
}

// Bulk over memory BIOs (sans-IO, no kernel): one thread, client and server objects sharing
// two memory buffers (the client's outgoing is the server's incoming); `bytes` in 16 KiB
// writes, each read back by the server before the next.
sample run_bulk_memory_raw(raw_impl& impl, std::uint64_t bytes) {
  bssl::UniquePtr<BIO> c2s(BIO_new(BIO_s_mem())), s2c(BIO_new(BIO_s_mem()));
  bssl::UniquePtr<SSL> c(SSL_new(impl.cctx.get())), s(SSL_new(impl.sctx.get()));
  SSL_set_connect_state(c.get());
  SSL_set_accept_state(s.get());
  SSL_set_bio(c.get(), bssl::UpRef(s2c).release(), bssl::UpRef(c2s).release());
  SSL_set_bio(s.get(), bssl::UpRef(c2s).release(), bssl::UpRef(s2c).release());
  SSL_set_tlsext_host_name(c.get(), "localhost");
  X509_VERIFY_PARAM_set_hostflags(SSL_get0_param(c.get()), X509_CHECK_FLAG_NEVER_CHECK_SUBJECT);
  X509_VERIFY_PARAM_set1_host(SSL_get0_param(c.get()), "localhost", 9);
  for (int i = 0;; ++i) {
    const int a = SSL_do_handshake(c.get()), b = SSL_do_handshake(s.get());
    if (a == 1 && b == 1) break;
    if (i > 20) fail("raw memory handshake: " + backend_errors());
  }
  std::vector<std::byte> chunk(16 * 1024, std::byte{0x5a}), in(16 * 1024);
  bytes = (bytes + chunk.size() - 1) / chunk.size() * chunk.size();
  const auto t0 = clock_type::now();
  const double c0 = cpu_seconds();
  for (std::uint64_t left = bytes; left > 0; left -= chunk.size()) {
    if (SSL_write(c.get(), chunk.data(), static_cast<int>(chunk.size())) != static_cast<int>(chunk.size()))
      fail("raw memory write: " + backend_errors());
    for (std::size_t got = 0; got < in.size();) {
      const int n = SSL_read(s.get(), in.data() + got, static_cast<int>(in.size() - got));
      if (n <= 0) fail("raw memory read: " + backend_errors());
      got += static_cast<std::size_t>(n);
    }
  }
  const double wall = std::chrono::duration<double>(clock_type::now() - t0).count();
  return {static_cast<double>(bytes) / wall / 1e6, 0, (cpu_seconds() - c0) * 1e6 / (static_cast<double>(bytes) / chunk.size())};
}

sample run_bulk_memory_sslpp(sslpp_impl& impl, std::uint64_t bytes) {
  sslpp::memory_bio c2s, s2c;
  auto c = impl.cctx.wrap_bio(s2c, c2s, "localhost");
  auto s = impl.sctx.wrap_bio(c2s, s2c);
  for (int i = 0;; ++i) {
    std::error_code a, b;
    c.do_handshake(a);
    s.do_handshake(b);
    if (!a && !b) break;
    if (i > 20) fail("sslpp memory handshake: " + a.message() + " / " + b.message());
  }
  std::vector<std::byte> chunk(16 * 1024, std::byte{0x5a}), in(16 * 1024);
  bytes = (bytes + chunk.size() - 1) / chunk.size() * chunk.size();
  const auto t0 = clock_type::now();
  const double c0 = cpu_seconds();
  for (std::uint64_t left = bytes; left > 0; left -= chunk.size()) {
    if (c.write(chunk) != chunk.size()) fail("sslpp memory write: short");
    for (std::size_t got = 0; got < in.size();) got += s.read(std::span(in).subspan(got));
  }
  const double wall = std::chrono::duration<double>(clock_type::now() - t0).count();
  return {static_cast<double>(bytes) / wall / 1e6, 0, (cpu_seconds() - c0) * 1e6 / (static_cast<double>(bytes) / chunk.size())};
}

// Latency: `n` 1-byte round trips on one connection; median and p99 in µs.
template <class I>
sample run_rtt(I& impl, std::uint16_t port, std::uint64_t n) {
  auto c = impl.client(connect_loopback(port), false);
  const std::uint64_t warm = std::min<std::uint64_t>(100, n);
  I::write(c, header{'E', n + warm}.bytes());
  std::array<std::byte, 1> b{std::byte{1}};
  for (std::uint64_t i = 0; i < warm; ++i) {
    I::write(c, b);
    read_exact<I>(c, b);
  }
  std::vector<double> us(n);
  const double c0 = cpu_seconds();
  for (std::uint64_t i = 0; i < n; ++i) {
    const auto t0 = clock_type::now();
    I::write(c, b);
    if (!read_exact<I>(c, b)) fail("rtt: early end of stream");
    us[i] = std::chrono::duration<double, std::micro>(clock_type::now() - t0).count();
  }
  const double cpu = cpu_seconds() - c0;
  I::close(c);
  std::sort(us.begin(), us.end());
  return {us[n / 2], us[std::min<std::uint64_t>(n - 1, n * 99 / 100)], cpu * 1e6 / static_cast<double>(n)};
}

// Memory: in a child process (a clean heap), RSS and heap growth per established idle
// connection (both ends: client and server objects, with their sockets' user-space state).
long rss_bytes() {
  long pages = 0, resident = 0;
  if (FILE* f = std::fopen("/proc/self/statm", "r")) {
    if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
    std::fclose(f);
  }
  return resident * ::sysconf(_SC_PAGESIZE);
}

template <class I>
sample run_memory(const config& cfg, std::size_t n) {
  int p[2];
  if (::pipe(p) != 0) fail("pipe");
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::close(p[0]);
    double out[2] = {-1, -1};
    try {
      mallopt(M_ARENA_MAX, 1);  // one arena, so mallinfo2 sees both threads' allocations
      I impl(cfg);
      listener l;
      std::vector<typename I::conn> server_side, client_side;
      server_side.reserve(n + 16);
      client_side.reserve(n + 16);
      server_thread<I> srv(impl, l, &server_side);
      for (int i = 0; i < 16; ++i) {  // warm-up: lazy initialisation, TIME_WAIT-free
        auto c = client_exchange(impl, l.port, false);
        I::close(c);
      }
      const long rss0 = rss_bytes();
      const auto heap0 = mallinfo2().uordblks;
      std::array<std::byte, 1> b{};
      for (std::size_t i = 0; i < n; ++i) {
        auto c = impl.client(connect_loopback(l.port), false);
        I::write(c, header{'K', 0}.bytes());
        read_exact<I>(c, b);
        client_side.push_back(std::move(c));
      }
      while (srv.kept() < n) std::this_thread::sleep_for(std::chrono::milliseconds(1));
      out[0] = static_cast<double>(rss_bytes() - rss0) / static_cast<double>(n);
      out[1] = static_cast<double>(mallinfo2().uordblks - heap0) / static_cast<double>(n);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "memory (%s): %s\n", I::name, e.what());
    }
    if (::write(p[1], out, sizeof out) != sizeof out) {
    }
    ::_exit(0);  // no teardown: the figures are taken
  }
  ::close(p[1]);
  double out[2] = {-1, -1};
  if (::read(p[0], out, sizeof out) != sizeof out) out[0] = out[1] = -1;
  ::close(p[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (out[0] < 0 && out[1] < 0) fail(std::string("memory run failed for ") + I::name);
  return {out[0], out[1], 0};
}

// ---------------------------------------------------------------------------------------
// Running and reporting.

struct options {
  int rounds = 5;
  double seconds = 1.0;
  std::uint64_t bytes = 256ull << 20;
  std::uint64_t rtts = 5000;
  std::size_t conns = 1000;
  std::string only;
  std::string pki = SSLPP_BENCH_PKI;
  bool quick = false;
  // --op mode
  std::string op, impl;
  std::uint64_t count = 0;
};

struct series {
  std::vector<double> raw, pp, ratio, raw_extra, pp_extra, raw_cpu, pp_cpu;
};

struct summary {
  double med, lo, hi;
};
summary summarize(std::vector<double> v) {
  if (v.empty()) return {0, 0, 0};
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  const double med = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  return {med, v.front(), v.back()};
}

std::string fmt_num(double x) {
  char b[64];
  if (x >= 1000) std::snprintf(b, sizeof b, "%.0f", x);
  else if (x >= 100) std::snprintf(b, sizeof b, "%.1f", x);
  else std::snprintf(b, sizeof b, "%.2f", x);
  return b;
}
std::string fmt_cell(const std::vector<double>& v) {
  const summary s = summarize(v);
  if (v.size() == 1) return fmt_num(s.med);
  return fmt_num(s.med) + " (" + fmt_num(s.lo) + "–" + fmt_num(s.hi) + ")";
}
std::string fmt_ratio(const std::vector<double>& v) {
  const summary s = summarize(v);
  char b[96];
  if (v.size() == 1) std::snprintf(b, sizeof b, "%.3f", s.med);
  else std::snprintf(b, sizeof b, "**%.3f** (%.3f–%.3f)", s.med, s.lo, s.hi);
  return b;
}

struct row {
  std::string figure, unit, target;
  series s;
  bool has_extra = false;
  std::string extra_name;
  bool difference = false;  // show sslpp − raw instead of the ratio
};

// One figure: `rounds` alternating pairs. `run` gets a fresh or shared implementation.
template <class F>
row measure(const options& o, const std::string& figure, const std::string& unit, const std::string& target, F&& run) {
  row r{figure, unit, target, {}, false, {}, false};
  for (int i = 0; i < o.rounds; ++i) {
    sample a, b;
    if (i % 2 == 0) {
      a = run(std::false_type{});
      b = run(std::true_type{});
    } else {
      b = run(std::true_type{});
      a = run(std::false_type{});
    }
    r.s.raw.push_back(a.value);
    r.s.pp.push_back(b.value);
    r.s.raw_extra.push_back(a.extra);
    r.s.pp_extra.push_back(b.extra);
    r.s.raw_cpu.push_back(a.cpu_us_per_op);
    r.s.pp_cpu.push_back(b.cpu_us_per_op);
    r.s.ratio.push_back(a.value != 0 ? b.value / a.value : 0);
    std::fprintf(stderr, "  %s round %d: raw %s, sslpp %s %s\n", figure.c_str(), i + 1, fmt_num(a.value).c_str(),
                 fmt_num(b.value).c_str(), unit.c_str());
  }
  return r;
}

template <class I>
struct world {
  I impl;
  listener l;
  server_thread<I> srv;
  explicit world(const config& c) : impl(c), srv(impl, l) {}
};

bool wanted(const options& o, const std::string& key) {
  if (o.only.empty()) return true;
  std::size_t pos = 0;
  while (pos <= o.only.size()) {
    const std::size_t comma = o.only.find(',', pos);
    const std::string item = o.only.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
    if (item == key) return true;
    if (comma == std::string::npos) break;
    pos = comma + 1;
  }
  return false;
}

void ensure_pki(const std::string& dir) {
  if (::access((dir + "/.done").c_str(), F_OK) == 0) return;
  const std::string cmd = std::string("'") + SSLPP_SOURCE_DIR + "/tests/pki/make_pki.sh' '" + dir + "'";
  std::fprintf(stderr, "making the PKI: %s\n", cmd.c_str());
  if (std::system(cmd.c_str()) != 0) fail("cannot make the PKI with " + cmd);
}

config cfg_for(const options& o, const std::string& key) {
  config c{o.pki, false, {}};
  if (key == "hs-rsa") c.rsa = true;
  if (key == "bulk-aes") c.tls12_cipher = "ECDHE-ECDSA-AES128-GCM-SHA256";
  if (key == "bulk-chacha" || key == "mem-chacha") c.tls12_cipher = "ECDHE-ECDSA-CHACHA20-POLY1305";
  if (key == "mem-aes") c.tls12_cipher = "ECDHE-ECDSA-AES128-GCM-SHA256";
  return c;
}

// --op: one implementation, exactly `count` operations after one warm-up (valgrind, strace).
template <class I>
int run_op(const options& o) {
  const config c = cfg_for(o, o.op);
  world<I> w(c);
  if (o.op == "hs-ecdsa" || o.op == "hs-rsa") {
    run_handshakes(w.impl, w.l.port, false, 1, 1e9);
    run_handshakes(w.impl, w.l.port, false, o.count, 1e9);
  } else if (o.op == "resume") {
    if constexpr (std::is_same_v<I, sslpp_impl>)
      if (!sslpp_has_sessions) fail("sslpp has no stream.session() yet");
    run_handshakes(w.impl, w.l.port, true, 1, 1e9);
    run_handshakes(w.impl, w.l.port, true, o.count, 1e9);
  } else if (o.op == "bulk-aes" || o.op == "bulk-chacha") {
    run_bulk(w.impl, w.l.port, o.count * 16 * 1024);
  } else if (o.op == "mem-aes" || o.op == "mem-chacha") {
    if constexpr (std::is_same_v<I, sslpp_impl>) run_bulk_memory_sslpp(w.impl, o.count * 16 * 1024);
    else run_bulk_memory_raw(w.impl, o.count * 16 * 1024);
  } else if (o.op == "rtt") {
    run_rtt(w.impl, w.l.port, o.count);
  } else {
    fail("unknown --op " + o.op);
  }
  w.srv.stop();
  return 0;
}

std::string fmt_difference(const std::vector<double>& raw, const std::vector<double>& pp) {
  std::vector<double> d;
  for (std::size_t i = 0; i < raw.size(); ++i) d.push_back(pp[i] - raw[i]);
  const summary s = summarize(d);
  char b[96];
  std::snprintf(b, sizeof b, "**%+.0f B** (%+.0f–%+.0f)", s.med, s.lo, s.hi);
  return b;
}

void print_table(const std::vector<row>& rows, const options& o) {
  std::printf("\n| figure | raw BoringSSL | sslpp | sslpp / raw | target |\n|---|---|---|---|---|\n");
  for (const row& r : rows) {
    std::printf("| %s | %s | %s | %s | %s |\n", r.figure.c_str(), fmt_cell(r.s.raw).c_str(), fmt_cell(r.s.pp).c_str(),
                r.difference ? fmt_difference(r.s.raw, r.s.pp).c_str() : fmt_ratio(r.s.ratio).c_str(),
                r.target.c_str());
    if (r.has_extra) {
      std::vector<double> ratio;
      for (std::size_t i = 0; i < r.s.raw_extra.size(); ++i)
        ratio.push_back(r.s.raw_extra[i] != 0 ? r.s.pp_extra[i] / r.s.raw_extra[i] : 0);
      std::printf("| %s | %s | %s | %s | |\n", r.extra_name.c_str(), fmt_cell(r.s.raw_extra).c_str(),
                  fmt_cell(r.s.pp_extra).c_str(),
                  r.difference ? fmt_difference(r.s.raw_extra, r.s.pp_extra).c_str() : fmt_ratio(ratio).c_str());
    }
    if (!r.s.raw_cpu.empty() && r.s.raw_cpu[0] > 0) {
      std::vector<double> ratio;
      for (std::size_t i = 0; i < r.s.raw_cpu.size(); ++i) ratio.push_back(r.s.pp_cpu[i] / r.s.raw_cpu[i]);
      std::printf("| ↳ CPU µs per %s (both threads) | %s | %s | %s | |\n", r.unit.c_str(), fmt_cell(r.s.raw_cpu).c_str(),
                  fmt_cell(r.s.pp_cpu).c_str(), fmt_ratio(ratio).c_str());
    }
  }
  std::printf("\n%d alternating rounds per figure; cells: median (min–max); ratio: median of the per-round "
              "ratios (min–max).\n",
              o.rounds);
}

int run_all(const options& o) {
  std::vector<row> rows;
  const double secs = o.seconds;
  auto hs = [&](const std::string& key, const std::string& label, bool resume) {
    const config c = cfg_for(o, key);
    world<raw_impl> raw(c);
    world<sslpp_impl> pp(c);
    // Check the workload is what it claims: TLS 1.3, X25519, the key type.
    {
      auto a = client_exchange(raw.impl, raw.l.port, false);
      auto b = client_exchange(pp.impl, pp.l.port, false);
      for (SSL* s : {raw_impl::native(a), sslpp_impl::native(b)}) {
        if (SSL_version(s) != TLS1_3_VERSION || SSL_get_curve_id(s) != SSL_CURVE_X25519)
          fail("handshake workload is not TLS 1.3 with X25519");
      }
      raw_impl::close(a);
      sslpp_impl::close(b);
    }
    rows.push_back(measure(o, label, resume ? "resumption" : "handshake", "≥ 0.98", [&](auto is_pp) {
      if constexpr (decltype(is_pp)::value) return run_handshakes(pp.impl, pp.l.port, resume, UINT64_MAX, secs);
      else return run_handshakes(raw.impl, raw.l.port, resume, UINT64_MAX, secs);
    }));
  };
  if (wanted(o, "hs-ecdsa")) hs("hs-ecdsa", "full handshakes/s, TLS 1.3, X25519, ECDSA P-256 leaf", false);
  if (wanted(o, "hs-rsa")) hs("hs-rsa", "full handshakes/s, TLS 1.3, X25519, RSA-2048 leaf", false);
  if (wanted(o, "resume")) {
    if constexpr (sslpp_has_sessions) hs("resume", "resumed handshakes/s (TLS 1.3 ticket, ECDSA)", true);
    else std::fprintf(stderr, "resume: skipped, sslpp's stream has no session() / session_reused() yet\n");
  }
  for (const char* key : {"bulk-aes", "bulk-chacha"}) {
    if (!wanted(o, key)) continue;
    const config c = cfg_for(o, key);
    world<raw_impl> raw(c);
    world<sslpp_impl> pp(c);
    const std::string label = std::string("bulk MB/s, TCP, 16 KiB writes, TLS 1.2 ") + c.tls12_cipher;
    rows.push_back(measure(o, label, "16 KiB write", "≥ 0.98", [&](auto is_pp) {
      if constexpr (decltype(is_pp)::value) return run_bulk(pp.impl, pp.l.port, o.bytes);
      else return run_bulk(raw.impl, raw.l.port, o.bytes);
    }));
  }
  for (const char* key : {"mem-aes", "mem-chacha"}) {
    if (!wanted(o, key)) continue;
    const config c = cfg_for(o, key);
    raw_impl raw(c);
    sslpp_impl pp(c);
    const std::string label = std::string("bulk MB/s, memory BIOs (sans-IO), 16 KiB writes, TLS 1.2 ") + c.tls12_cipher;
    rows.push_back(measure(o, label, "16 KiB write", "≥ 0.98", [&](auto is_pp) {
      if constexpr (decltype(is_pp)::value) return run_bulk_memory_sslpp(pp, o.bytes);
      else return run_bulk_memory_raw(raw, o.bytes);
    }));
  }
  if (wanted(o, "rtt")) {
    const config c = cfg_for(o, "rtt");
    world<raw_impl> raw(c);
    world<sslpp_impl> pp(c);
    row r = measure(o, "1-byte round trip µs, median", "round trip", "≤ 1.02", [&](auto is_pp) {
      if constexpr (decltype(is_pp)::value) return run_rtt(pp.impl, pp.l.port, o.rtts);
      else return run_rtt(raw.impl, raw.l.port, o.rtts);
    });
    r.has_extra = true;
    r.extra_name = "1-byte round trip µs, p99";
    rows.push_back(std::move(r));
  }
  if (wanted(o, "memory")) {
    const config c = cfg_for(o, "memory");
    options one = o;
    one.rounds = std::max(1, std::min(o.rounds, 3));
    row r = measure(one, "bytes per idle connection (RSS delta / N, both ends), N=" + std::to_string(o.conns),
                    "connection", "≤ raw + 512", [&](auto is_pp) {
                      if constexpr (decltype(is_pp)::value) return run_memory<sslpp_impl>(c, o.conns);
                      else return run_memory<raw_impl>(c, o.conns);
                    });
    r.has_extra = true;
    r.extra_name = "heap bytes per idle connection (mallinfo2 delta / N, both ends)";
    r.difference = true;
    rows.push_back(std::move(r));
  }
  print_table(rows, o);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "%s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--quick") o.quick = true;
    else if (a == "--rounds") o.rounds = std::stoi(next());
    else if (a == "--seconds") o.seconds = std::stod(next());
    else if (a == "--bytes") o.bytes = std::stoull(next());
    else if (a == "--rtts") o.rtts = std::stoull(next());
    else if (a == "--conns") o.conns = std::stoul(next());
    else if (a == "--only") o.only = next();
    else if (a == "--pki") o.pki = next();
    else if (a == "--op") o.op = next();
    else if (a == "--impl") o.impl = next();
    else if (a == "--count") o.count = std::stoull(next());
    else {
      std::fprintf(stderr,
                   "usage: sslpp_bench [--quick] [--rounds N] [--seconds S] [--bytes B] [--rtts N] [--conns N]\n"
                   "                   [--only hs-ecdsa,hs-rsa,resume,bulk-aes,bulk-chacha,mem-aes,mem-chacha,rtt,memory]\n"
                   "                   [--pki DIR]\n"
                   "       sslpp_bench --op OP --impl raw|sslpp --count N [--pki DIR]\n");
      return 2;
    }
  }
  if (o.quick) {  // the CI smoke: every workload, tiny sizes, ~5 s
    o.rounds = 2;
    o.seconds = 0.15;
    o.bytes = 8ull << 20;
    o.rtts = 300;
    o.conns = 50;
  }
  try {
    ensure_pki(o.pki);
    if (!o.op.empty()) {
      if (o.impl == "raw") return run_op<raw_impl>(o);
      if (o.impl == "sslpp") return run_op<sslpp_impl>(o);
      std::fprintf(stderr, "--impl must be raw or sslpp\n");
      return 2;
    }
    std::printf("sslpp_bench: %s, %s build\n", OpenSSL_version(OPENSSL_VERSION),
#ifdef NDEBUG
                "release"
#else
                "debug (figures meaningless: use a Release build)"
#endif
    );
    return run_all(o);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "sslpp_bench: error: %s\n", e.what());
    return 1;
  }
}
