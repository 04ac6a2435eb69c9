// sslpp — SPDX-License-Identifier: MIT
//
// alt_asio: sslpp_bench's workloads through Boost.Asio's ssl::stream (synchronous calls)
// over the system's OpenSSL: the C++ alternative a user would pick. Its own executable,
// built without BoringSSL's include directory. Same PKI, same protocol on the wire as
// sslpp_bench (a 9-byte header: mode, count), client and server threads over loopback.
//
//   sslpp_alt_asio [--pki DIR] [--rounds N] [--seconds S] [--bytes B] [--rtts N] [--conns N] [--quick]
#include <utility>  // Boost 1.74's awaitable.hpp uses std::exchange without including it

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using tls_stream = asio::ssl::stream<tcp::socket>;
using clock_type = std::chrono::steady_clock;

struct options {
  std::string pki = "build/bench/bench/pki";
  int rounds = 5;
  double seconds = 1.0;
  std::uint64_t bytes = 256ull << 20;
  std::uint64_t rtts = 5000;
  std::size_t conns = 1000;
  bool memory_only = false;
};

std::array<char, 9> header(char mode, std::uint64_t n) {
  std::array<char, 9> h{};
  h[0] = mode;
  std::memcpy(h.data() + 1, &n, 8);
  return h;
}

struct contexts {
  asio::ssl::context server{asio::ssl::context::tls_server};
  asio::ssl::context client{asio::ssl::context::tls_client};
  contexts(const options& o, bool rsa, const char* cipher) {
    const std::string k = rsa ? "rsa" : "ecdsa";
    server.use_certificate_chain_file(o.pki + "/fullchain-" + k + ".pem");
    server.use_private_key_file(o.pki + "/leaf-" + k + ".key", asio::ssl::context::pem);
    client.load_verify_file(o.pki + "/ca.pem");
    client.set_verify_mode(asio::ssl::verify_peer);
    for (auto* c : {&server, &client}) {
      SSL_CTX_set_min_proto_version(c->native_handle(), TLS1_2_VERSION);
      if (cipher) {
        SSL_CTX_set_max_proto_version(c->native_handle(), TLS1_2_VERSION);
        SSL_CTX_set_cipher_list(c->native_handle(), cipher);
      }
    }
    SSL_CTX_set_session_cache_mode(client.native_handle(), SSL_SESS_CACHE_CLIENT);
    static constexpr unsigned char sid_ctx[] = "bench";
    SSL_CTX_set_session_id_context(server.native_handle(), sid_ctx, sizeof sid_ctx - 1);
  }
};

class server {
 public:
  server(asio::ssl::context& ctx, std::vector<std::unique_ptr<tls_stream>>* keep = nullptr)
      : ctx_(ctx), keep_(keep), acceptor_(io_, tcp::endpoint(asio::ip::address_v4::loopback(), 0)),
        thread_([this] { run(); }) {}
  ~server() { stop(); }
  std::uint16_t port() const { return acceptor_.local_endpoint().port(); }
  std::size_t kept() const { return kept_; }
  void stop() {
    if (!thread_.joinable()) return;
    stop_ = true;
    tcp::socket s(io_);
    s.connect(acceptor_.local_endpoint());
    s.close();
    thread_.join();
  }

 private:
  void run() {
    std::vector<char> buf(64 * 1024);
    for (;;) {
      tcp::socket sock(io_);
      acceptor_.accept(sock);
      if (stop_) return;
      try {
        sock.set_option(tcp::no_delay(true));
        auto s = std::make_unique<tls_stream>(std::move(sock), ctx_);
        s->handshake(asio::ssl::stream_base::server);
        std::array<char, 9> h{};
        asio::read(*s, asio::buffer(h));
        std::uint64_t n = 0;
        std::memcpy(&n, h.data() + 1, 8);
        if (h[0] == 'E') {
          for (std::uint64_t i = 0; i < n; ++i) {
            asio::read(*s, asio::buffer(buf.data(), 1));
            asio::write(*s, asio::buffer(buf.data(), 1));
          }
        } else if (h[0] == 'S') {
          while (n > 0) n -= s->read_some(asio::buffer(buf.data(), std::min<std::uint64_t>(n, buf.size())));
          asio::write(*s, asio::buffer(buf.data(), 1));
        } else if (h[0] == 'K') {
          asio::write(*s, asio::buffer(buf.data(), 1));
          keep_->push_back(std::move(s));
          ++kept_;
          continue;
        }
        boost::system::error_code ec;
        while (!ec) s->read_some(asio::buffer(buf), ec);
      } catch (const std::exception& e) {
        std::fprintf(stderr, "asio server: %s\n", e.what());
      }
    }
  }
  asio::io_context io_;
  asio::ssl::context& ctx_;
  std::vector<std::unique_ptr<tls_stream>>* keep_;
  tcp::acceptor acceptor_;
  std::atomic<bool> stop_{false};
  std::atomic<std::size_t> kept_{0};
  std::thread thread_;
};

std::unique_ptr<tls_stream> connect(asio::io_context& io, asio::ssl::context& ctx, std::uint16_t port,
                                    SSL_SESSION* session = nullptr) {
  auto s = std::make_unique<tls_stream>(io, ctx);
  s->next_layer().connect(tcp::endpoint(asio::ip::address_v4::loopback(), port));
  s->next_layer().set_option(tcp::no_delay(true));
  SSL_set_tlsext_host_name(s->native_handle(), "localhost");
  s->set_verify_callback(asio::ssl::host_name_verification("localhost"));
  if (session) SSL_set_session(s->native_handle(), session);
  s->handshake(asio::ssl::stream_base::client);
  return s;
}

void exchange(tls_stream& s) {
  std::array<char, 10> m{};
  const auto h = header('E', 1);
  std::copy(h.begin(), h.end(), m.begin());
  asio::write(s, asio::buffer(m));
  asio::read(s, asio::buffer(m.data(), 1));
}

void close(tls_stream& s) {
  boost::system::error_code ec;
  SSL_shutdown(s.native_handle());  // send close_notify without waiting for the peer's
  s.next_layer().close(ec);
}

double handshakes(asio::ssl::context& ctx, std::uint16_t port, double seconds, bool resume) {
  asio::io_context io;
  SSL_SESSION* session = nullptr;
  if (resume) {
    auto s = connect(io, ctx, port);
    exchange(*s);
    session = SSL_get1_session(s->native_handle());
    close(*s);
  }
  std::uint64_t n = 0;
  const auto t0 = clock_type::now();
  double wall = 0;
  for (;;) {
    auto s = connect(io, ctx, port, session);
    exchange(*s);
    if (resume && !SSL_session_reused(s->native_handle()))
      throw std::runtime_error("asio: session not resumed (after " + std::to_string(n) + " resumptions)");
    if (resume) {  // OpenSSL 3 takes a TLS 1.3 ticket once: resume with the newest
      SSL_SESSION_free(session);
      session = SSL_get1_session(s->native_handle());
    }
    close(*s);
    ++n;
    wall = std::chrono::duration<double>(clock_type::now() - t0).count();
    if (wall >= seconds) break;
  }
  if (session) SSL_SESSION_free(session);
  return static_cast<double>(n) / wall;
}

double bulk(asio::ssl::context& ctx, std::uint16_t port, std::uint64_t bytes) {
  asio::io_context io;
  auto s = connect(io, ctx, port);
  std::vector<char> chunk(16 * 1024, 0x5a);
  bytes = (bytes + chunk.size() - 1) / chunk.size() * chunk.size();
  asio::write(*s, asio::buffer(header('S', bytes)));
  const auto t0 = clock_type::now();
  for (std::uint64_t left = bytes; left > 0; left -= chunk.size()) asio::write(*s, asio::buffer(chunk));
  asio::read(*s, asio::buffer(chunk.data(), 1));
  const double wall = std::chrono::duration<double>(clock_type::now() - t0).count();
  close(*s);
  return static_cast<double>(bytes) / wall / 1e6;
}

std::pair<double, double> rtt(asio::ssl::context& ctx, std::uint16_t port, std::uint64_t n) {
  asio::io_context io;
  auto s = connect(io, ctx, port);
  const std::uint64_t warm = std::min<std::uint64_t>(100, n);
  asio::write(*s, asio::buffer(header('E', n + warm)));
  char b = 1;
  for (std::uint64_t i = 0; i < warm; ++i) {
    asio::write(*s, asio::buffer(&b, 1));
    asio::read(*s, asio::buffer(&b, 1));
  }
  std::vector<double> us(n);
  for (std::uint64_t i = 0; i < n; ++i) {
    const auto t0 = clock_type::now();
    asio::write(*s, asio::buffer(&b, 1));
    asio::read(*s, asio::buffer(&b, 1));
    us[i] = std::chrono::duration<double, std::micro>(clock_type::now() - t0).count();
  }
  close(*s);
  std::sort(us.begin(), us.end());
  return {us[n / 2], us[std::min<std::uint64_t>(n - 1, n * 99 / 100)]};
}

long rss_bytes() {
  long pages = 0, resident = 0;
  if (FILE* f = std::fopen("/proc/self/statm", "r")) {
    if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
    std::fclose(f);
  }
  return resident * ::sysconf(_SC_PAGESIZE);
}

double memory(const options& o) {
  int p[2];
  if (::pipe(p) != 0) return -1;
  const pid_t pid = ::fork();
  if (pid == 0) {
    double out = -1;
    try {
      contexts c(o, false, nullptr);
      asio::io_context io;
      std::vector<std::unique_ptr<tls_stream>> server_side, client_side;
      server_side.reserve(o.conns + 16);
      client_side.reserve(o.conns + 16);
      server srv(c.server, &server_side);
      for (int i = 0; i < 16; ++i) {
        auto s = connect(io, c.client, srv.port());
        exchange(*s);
        close(*s);
      }
      const long rss0 = rss_bytes();
      char b = 0;
      for (std::size_t i = 0; i < o.conns; ++i) {
        auto s = connect(io, c.client, srv.port());
        asio::write(*s, asio::buffer(header('K', 0)));
        asio::read(*s, asio::buffer(&b, 1));
        client_side.push_back(std::move(s));
      }
      while (srv.kept() < o.conns) std::this_thread::sleep_for(std::chrono::milliseconds(1));
      out = static_cast<double>(rss_bytes() - rss0) / static_cast<double>(o.conns);
      // Report and leave now: no teardown (the kept streams belong to the server's io_context).
      if (::write(p[1], &out, sizeof out) != sizeof out) {
      }
      ::_exit(0);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "asio memory: %s\n", e.what());
    }
    if (::write(p[1], &out, sizeof out) != sizeof out) {
    }
    ::_exit(0);
  }
  ::close(p[1]);
  double out = -1;
  if (::read(p[0], &out, sizeof out) != sizeof out) out = -1;
  ::close(p[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  return out;
}

std::string num(double x) {
  char b[64];
  std::snprintf(b, sizeof b, x >= 1000 ? "%.0f" : x >= 100 ? "%.1f" : "%.2f", x);
  return b;
}
std::string cell(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  const double med = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  return n == 1 ? num(med) : num(med) + " (" + num(v.front()) + "–" + num(v.back()) + ")";
}

}  // namespace

int main(int argc, char** argv) {
  options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const char* v = i + 1 < argc ? argv[i + 1] : "";
    if (a == "--quick") {
      o.rounds = 2, o.seconds = 0.15, o.bytes = 8ull << 20, o.rtts = 300, o.conns = 50;
      continue;
    }
    if (a == "--memory-only") {
      o.memory_only = true;
      continue;
    }
    ++i;
    if (a == "--pki") o.pki = v;
    else if (a == "--rounds") o.rounds = std::stoi(v);
    else if (a == "--seconds") o.seconds = std::stod(v);
    else if (a == "--bytes") o.bytes = std::stoull(v);
    else if (a == "--rtts") o.rtts = std::stoull(v);
    else if (a == "--conns") o.conns = std::stoul(v);
    else {
      std::fprintf(stderr, "usage: sslpp_alt_asio [--pki DIR] [--rounds N] [--seconds S] [--bytes B] [--rtts N] [--conns N] [--quick]\n");
      return 2;
    }
  }
  try {
    std::printf("Boost.Asio %d.%d ssl, %s\n| figure | Boost.Asio ssl |\n|---|---|\n", BOOST_ASIO_VERSION / 100000,
                BOOST_ASIO_VERSION / 100 % 1000, OpenSSL_version(OPENSSL_VERSION));
    auto hs = [&](const char* label, bool rsa, bool resume) {
      contexts c(o, rsa, nullptr);
      server srv(c.server);
      std::vector<double> v;
      for (int r = 0; r < o.rounds; ++r) v.push_back(handshakes(c.client, srv.port(), o.seconds, resume));
      std::printf("| %s | %s |\n", label, cell(v).c_str());
      std::fflush(stdout);
    };
    if (o.memory_only) {
      std::printf("| memory | %s |\n", num(memory(o)).c_str());
      return 0;
    }
    hs("full handshakes/s, TLS 1.3, X25519, ECDSA P-256 leaf", false, false);
    hs("full handshakes/s, TLS 1.3, X25519, RSA-2048 leaf", true, false);
    hs("resumed handshakes/s (TLS 1.3 ticket, ECDSA)", false, true);
    for (const char* cipher : {"ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-ECDSA-CHACHA20-POLY1305"}) {
      contexts c(o, false, cipher);
      server srv(c.server);
      std::vector<double> v;
      for (int r = 0; r < o.rounds; ++r) v.push_back(bulk(c.client, srv.port(), o.bytes));
      std::printf("| bulk MB/s, TCP, 16 KiB writes, TLS 1.2 %s | %s |\n", cipher, cell(v).c_str());
      std::fflush(stdout);
    }
    {
      contexts c(o, false, nullptr);
      server srv(c.server);
      std::vector<double> med, p99;
      for (int r = 0; r < o.rounds; ++r) {
        const auto [m, p] = rtt(c.client, srv.port(), o.rtts);
        med.push_back(m);
        p99.push_back(p);
      }
      std::printf("| 1-byte round trip µs, median | %s |\n| 1-byte round trip µs, p99 | %s |\n", cell(med).c_str(),
                  cell(p99).c_str());
    }
    std::vector<double> mem;
    for (int r = 0; r < std::max(1, std::min(o.rounds, 3)); ++r) mem.push_back(memory(o));
    std::printf("| bytes per idle connection (RSS delta / N, both ends), N=%zu | %s |\n", o.conns, cell(mem).c_str());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "sslpp_alt_asio: error: %s\n", e.what());
    return 1;
  }
}
