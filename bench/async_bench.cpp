// sslpp — SPDX-License-Identifier: MIT
//
// async_bench: sslpp_bench's workloads through an asynchronous TLS stream driven by C++20
// coroutines on Boost.Asio 1.81, one file built twice:
//   - sslpp_async_bench:    sslpp::boost_asio::stream over BoringSSL;
//   - sslpp_alt_asio_async: Boost.Asio's own ssl::stream over the system's OpenSSL 3
//                           (SSLPP_ASYNC_BENCH_BOOST_SSL; never sees BoringSSL's headers).
// Same PKI, same protocol on the wire as sslpp_bench (a 9-byte header: mode, count), the
// client on the main thread's io_context and the server on a second thread's, over
// loopback TCP with TCP_NODELAY. Both sides end a connection with a close_notify
// exchange. bench/instr.py runs it under valgrind and strace beside sslpp_bench's blocking
// stream, so every figure is a per-operation difference of a short and a long run.
//
//   async_bench --op hs-ecdsa|resume|bulk-aes|rtt --count N [--pki DIR]
//   async_bench --memory N [--pki DIR]   heap bytes per idle connection, both ends
#ifdef SSLPP_ASYNC_BENCH_BOOST_SSL
#include <boost/asio/ssl.hpp>
#else
#include <sslpp/boost_asio.hpp>
#include <sslpp/sslpp.hpp>
#endif

#include <boost/asio.hpp>

#include <malloc.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <exception>
#include <list>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#ifndef SSLPP_BENCH_PKI
#define SSLPP_BENCH_PKI "bench-pki"
#endif

namespace {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using asio::awaitable;
using asio::use_awaitable;

[[noreturn]] void fail(const std::string& what) { throw std::runtime_error(what); }

struct config {
  std::string pki;
  std::string tls12_cipher;  // non-empty: TLS 1.2 with only this suite (bulk)
};

#ifdef SSLPP_ASYNC_BENCH_BOOST_SSL
// Boost.Asio's ssl::stream with what a careful user sets: peer verification, SNI, host
// name verification, a client session cache, TLS 1.2 at least.
struct flavour {
  static constexpr const char* name = "Boost.Asio ssl::stream (OpenSSL 3)";
  using stream = asio::ssl::stream<tcp::socket>;
  asio::ssl::context sctx{asio::ssl::context::tls_server};
  asio::ssl::context cctx{asio::ssl::context::tls_client};
  std::unique_ptr<SSL_SESSION, decltype(&SSL_SESSION_free)> session{nullptr, &SSL_SESSION_free};

  explicit flavour(const config& c) {
    sctx.use_certificate_chain_file(c.pki + "/fullchain-ecdsa.pem");
    sctx.use_private_key_file(c.pki + "/leaf-ecdsa.key", asio::ssl::context::pem);
    cctx.load_verify_file(c.pki + "/ca.pem");
    cctx.set_verify_mode(asio::ssl::verify_peer);
    for (auto* ctx : {&sctx, &cctx}) {
      SSL_CTX_set_min_proto_version(ctx->native_handle(), TLS1_2_VERSION);
      if (!c.tls12_cipher.empty()) {
        SSL_CTX_set_max_proto_version(ctx->native_handle(), TLS1_2_VERSION);
        SSL_CTX_set_cipher_list(ctx->native_handle(), c.tls12_cipher.c_str());
      }
    }
    SSL_CTX_set_session_cache_mode(cctx.native_handle(), SSL_SESS_CACHE_CLIENT);
    static constexpr unsigned char sid_ctx[] = "bench";
    SSL_CTX_set_session_id_context(sctx.native_handle(), sid_ctx, sizeof sid_ctx - 1);
  }
  stream client(tcp::socket s, bool resume) {
    stream t(std::move(s), cctx);
    SSL_set_tlsext_host_name(t.native_handle(), "localhost");
    t.set_verify_callback(asio::ssl::host_name_verification("localhost"));
    if (resume && session) SSL_set_session(t.native_handle(), session.get());
    return t;
  }
  stream server(tcp::socket s) { return stream(std::move(s), sctx); }
  static awaitable<void> client_handshake(stream& t) { co_await t.async_handshake(stream::client, use_awaitable); }
  static awaitable<void> server_handshake(stream& t) { co_await t.async_handshake(stream::server, use_awaitable); }
  void keep_session(stream& t) { session.reset(SSL_get1_session(t.native_handle())); }
  bool has_session() const { return session != nullptr; }
  static bool reused(stream& t) { return SSL_session_reused(t.native_handle()) == 1; }
  // Sends close_notify and waits for the peer's.
  static awaitable<void> client_close(stream& t) { co_await t.async_shutdown(asio::as_tuple(use_awaitable)); }
  // The peer's close_notify came: answer it.
  static awaitable<void> server_close(stream& t) { co_await t.async_shutdown(asio::as_tuple(use_awaitable)); }
};
#else
// sslpp's stream with create_default_context's settings, as sslpp_bench's blocking one.
struct flavour {
  static constexpr const char* name = "sslpp::boost_asio::stream";
  using stream = sslpp::boost_asio::stream<tcp::socket>;
  sslpp::server_context sctx = sslpp::context_for(sslpp::protocol::tls_server);
  sslpp::client_context cctx;
  sslpp::session session;

  explicit flavour(const config& c)
      : cctx(sslpp::create_default_context(sslpp::purpose::server_auth, sslpp::trust{.cafile = c.pki + "/ca.pem"})) {
    sctx.load_cert_chain(c.pki + "/fullchain-ecdsa.pem", c.pki + "/leaf-ecdsa.key");
    if (!c.tls12_cipher.empty()) {
      sctx.set_maximum_version(sslpp::tls_version::tlsv1_2);
      cctx.set_maximum_version(sslpp::tls_version::tlsv1_2);
      sctx.set_ciphers(c.tls12_cipher);
      cctx.set_ciphers(c.tls12_cipher);
    }
  }
  stream client(tcp::socket s, bool resume) {
    return stream(cctx, std::move(s), "localhost", sslpp::wrap_options{.session = resume ? session : sslpp::session{}});
  }
  stream server(tcp::socket s) { return stream(sctx, std::move(s)); }
  static awaitable<void> client_handshake(stream& t) { co_await t.async_handshake(use_awaitable); }
  static awaitable<void> server_handshake(stream& t) { co_await t.async_handshake(use_awaitable); }
  void keep_session(stream& t) { session = t.session(); }
  bool has_session() const { return static_cast<bool>(session); }
  static bool reused(stream& t) { return t.session_reused(); }
  // Sends close_notify and waits for the peer's (bounded).
  static awaitable<void> client_close(stream& t) {
    co_await t.async_shutdown(std::chrono::seconds(10), asio::as_tuple(use_awaitable));
  }
  // The peer's close_notify came: answer it, without waiting.
  static awaitable<void> server_close(stream& t) { co_await t.async_shutdown(asio::as_tuple(use_awaitable)); }
};
#endif
using stream = flavour::stream;

std::array<std::byte, 9> header(char mode, std::uint64_t n) {
  std::array<std::byte, 9> h{};
  h[0] = static_cast<std::byte>(mode);
  std::memcpy(h.data() + 1, &n, 8);
  return h;
}

// ---- the server: sslpp_bench's protocol ('E' echo n bytes one at a time, 'S' sink n
// bytes then ack, 'K' ack and keep the connection), then read until close_notify.
class server {
 public:
  explicit server(flavour& f)
      : f_(f), acceptor_(io_, tcp::endpoint(asio::ip::address_v4::loopback(), 0)), work_(io_.get_executor()) {
    asio::co_spawn(io_, accept_loop(), asio::detached);
    thread_ = std::thread([this] { io_.run(); });
  }
  ~server() {
    work_.reset();
    asio::post(io_, [this] { acceptor_.close(); io_.stop(); });
    thread_.join();
    if (!error_.empty()) std::fprintf(stderr, "async_bench: server: %s\n", error_.c_str());
  }
  std::uint16_t port() const { return acceptor_.local_endpoint().port(); }
  std::size_t kept() const { return kept_count_.load(); }

 private:
  awaitable<void> accept_loop() {
    for (;;) {
      auto [ec, sock] = co_await acceptor_.async_accept(asio::as_tuple(use_awaitable));
      if (ec) co_return;
      sock.set_option(tcp::no_delay(true));
      asio::co_spawn(io_, serve(f_.server(std::move(sock))), [this](std::exception_ptr e) {
        if (!e || !error_.empty()) return;
        try {
          std::rethrow_exception(e);
        } catch (const std::exception& x) {
          error_ = x.what();
        }
      });
    }
  }
  awaitable<void> serve(stream t) {
    co_await flavour::server_handshake(t);
    std::array<std::byte, 9> h{};
    co_await asio::async_read(t, asio::buffer(h), use_awaitable);
    std::uint64_t n = 0;
    std::memcpy(&n, h.data() + 1, 8);
    std::array<std::byte, 1> one{};
    switch (static_cast<char>(h[0])) {
      case 'E':
        for (std::uint64_t i = 0; i < n; ++i) {
          co_await asio::async_read(t, asio::buffer(one), use_awaitable);
          co_await asio::async_write(t, asio::buffer(one), use_awaitable);
        }
        break;
      case 'S': {
        std::vector<std::byte> buf(64 * 1024);
        while (n > 0) n -= co_await t.async_read_some(asio::buffer(buf.data(), std::min<std::uint64_t>(n, buf.size())), use_awaitable);
        co_await asio::async_write(t, asio::buffer(one), use_awaitable);
        break;
      }
      case 'K':
        co_await asio::async_write(t, asio::buffer(one), use_awaitable);
        kept_.push_back(std::move(t));
        ++kept_count_;
        co_return;
      default: fail("bad header");
    }
    for (;;) {
      auto [ec, got] = co_await t.async_read_some(asio::buffer(one), asio::as_tuple(use_awaitable));
      if (ec) break;
    }
    co_await flavour::server_close(t);
  }

  flavour& f_;
  asio::io_context io_{1};
  tcp::acceptor acceptor_;
  asio::executor_work_guard<asio::io_context::executor_type> work_;
  std::list<stream> kept_;  // a list: kept streams never move again
  std::atomic<std::size_t> kept_count_{0};
  std::string error_;
  std::thread thread_;
};

// ---- the client side of each workload, on the caller's io_context.
awaitable<stream> connect(flavour& f, std::uint16_t port, bool resume) {
  tcp::socket sock(co_await asio::this_coro::executor);
  co_await sock.async_connect(tcp::endpoint(asio::ip::address_v4::loopback(), port), use_awaitable);
  sock.set_option(tcp::no_delay(true));
  stream t = f.client(std::move(sock), resume);
  co_await flavour::client_handshake(t);
  co_return t;
}

// One handshake and a 1-byte exchange (the ticket of TLS 1.3 arrives with the answer).
awaitable<stream> exchange(flavour& f, std::uint16_t port, bool resume) {
  stream t = co_await connect(f, port, resume);
  std::array<std::byte, 10> m{};
  const auto h = header('E', 1);
  std::copy(h.begin(), h.end(), m.begin());
  co_await asio::async_write(t, asio::buffer(m), use_awaitable);
  co_await asio::async_read(t, asio::buffer(m.data(), 1), use_awaitable);
  co_return t;
}

awaitable<void> handshakes(flavour& f, std::uint16_t port, bool resume, std::uint64_t count) {
  if (resume && !f.has_session()) {
    stream t = co_await exchange(f, port, false);
    f.keep_session(t);
    co_await flavour::client_close(t);
    if (!f.has_session()) fail(std::string(flavour::name) + ": no session ticket arrived");
  }
  for (std::uint64_t i = 0; i < count; ++i) {
    stream t = co_await exchange(f, port, resume);
    if (flavour::reused(t) != resume) fail(std::string(flavour::name) + (resume ? ": session not resumed" : ": unexpected resumption"));
    if (resume) f.keep_session(t);  // TLS 1.3 tickets are single-use: take the new one
    co_await flavour::client_close(t);
  }
}

awaitable<void> bulk(flavour& f, std::uint16_t port, std::uint64_t writes) {
  stream t = co_await connect(f, port, false);
  std::vector<std::byte> chunk(16 * 1024, std::byte{0x5a});
  co_await asio::async_write(t, asio::buffer(header('S', writes * chunk.size())), use_awaitable);
  for (std::uint64_t i = 0; i < writes; ++i) co_await asio::async_write(t, asio::buffer(chunk), use_awaitable);
  co_await asio::async_read(t, asio::buffer(chunk.data(), 1), use_awaitable);
  co_await flavour::client_close(t);
}

awaitable<void> round_trips(flavour& f, std::uint16_t port, std::uint64_t n) {
  stream t = co_await connect(f, port, false);
  co_await asio::async_write(t, asio::buffer(header('E', n)), use_awaitable);
  std::array<std::byte, 1> b{std::byte{'x'}};
  for (std::uint64_t i = 0; i < n; ++i) {
    co_await asio::async_write(t, asio::buffer(b), use_awaitable);
    co_await asio::async_read(t, asio::buffer(b), use_awaitable);
  }
  co_await flavour::client_close(t);
}

// N idle connections held by both ends; heap growth per connection (one malloc arena, so
// both threads' allocations are counted).
awaitable<void> idle(flavour& f, server& srv, std::size_t n, std::list<stream>& keep, double& per_conn) {
  for (int i = 0; i < 16; ++i) {  // warm-up: lazy initialisation
    stream t = co_await exchange(f, srv.port(), false);
    co_await flavour::client_close(t);
  }
  const auto heap0 = mallinfo2().uordblks;
  std::array<std::byte, 1> b{};
  for (std::size_t i = 0; i < n; ++i) {
    stream t = co_await connect(f, srv.port(), false);
    co_await asio::async_write(t, asio::buffer(header('K', 0)), use_awaitable);
    co_await asio::async_read(t, asio::buffer(b), use_awaitable);
    keep.push_back(std::move(t));
  }
  while (srv.kept() < n) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  per_conn = static_cast<double>(mallinfo2().uordblks - heap0) / static_cast<double>(n);
}

template <class Work>
void run(Work work) {
  asio::io_context io{1};
  std::exception_ptr error;
  asio::co_spawn(io, std::move(work), [&](std::exception_ptr e) { error = e; });
  io.run();
  if (error) std::rethrow_exception(error);
}

}  // namespace

int main(int argc, char** argv) {
  std::string op, pki = SSLPP_BENCH_PKI;
  std::uint64_t count = 0;
  std::size_t memory = 0;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) fail(a + " needs a value");
      return argv[++i];
    };
    if (a == "--op") op = next();
    else if (a == "--count") count = std::stoull(next());
    else if (a == "--memory") memory = std::stoull(next());
    else if (a == "--pki") pki = next();
    else {
      std::fprintf(stderr,
                   "usage: %s --op hs-ecdsa|resume|bulk-aes|rtt --count N [--pki DIR]\n"
                   "       %s --memory N [--pki DIR]\n",
                   argv[0], argv[0]);
      return 2;
    }
  }
  try {
    if (memory > 0) {
      mallopt(M_ARENA_MAX, 1);
      flavour f(config{pki, {}});
      server srv(f);
      std::list<stream> keep;
      double per_conn = 0;
      run(idle(f, srv, memory, keep, per_conn));
      std::printf("%s: heap bytes per idle connection, both ends, N=%zu: %.0f\n", flavour::name, memory, per_conn);
      std::fflush(stdout);
      std::_Exit(0);  // no teardown: the figure is taken
    }
    const config c{pki, op == "bulk-aes" ? "ECDHE-ECDSA-AES128-GCM-SHA256" : ""};
    flavour f(c);
    server srv(f);
    if (op == "hs-ecdsa") {
      run(handshakes(f, srv.port(), false, 1));  // warm-up, as sslpp_bench
      run(handshakes(f, srv.port(), false, count));
    } else if (op == "resume") {
      run(handshakes(f, srv.port(), true, 1));
      run(handshakes(f, srv.port(), true, count));
    } else if (op == "bulk-aes") {
      run(bulk(f, srv.port(), count));
    } else if (op == "rtt") {
      run(round_trips(f, srv.port(), count));
    } else {
      fail("unknown --op '" + op + "' (hs-ecdsa, resume, bulk-aes, rtt)");
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "async_bench (%s): %s\n", flavour::name, e.what());
    return 1;
  }
  return 0;
}
