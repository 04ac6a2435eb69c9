// sslpp — SPDX-License-Identifier: MIT
//
// server.cpp: `sslpp server` — a TLS echo server (or a fixed --respond TEXT) that serves
// many clients at once, one thread each, logs one line per connection, and stops cleanly
// on SIGINT or SIGTERM.
#include "cli.hpp"

#include <fmt/core.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <csignal>
#include <list>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

namespace sslpp_cli {

namespace {

const command_spec server_spec{
    "server",
    "--cert FILE --key FILE [options]",
    "A TLS server that echoes what each client sends (or answers every client with --respond\n"
    "TEXT and closes). Serves many clients at once; logs one line per connection on stdout\n"
    "(peer, version, cipher, client certificate subject); stops cleanly on SIGINT or SIGTERM.",
    {
        {"--cert", "FILE", "", "certificate chain to present (PEM, leaf first); required"},
        {"--key", "FILE", "the --cert file", "its private key"},
        {"--password-file", "FILE", "none", "file whose first line is the password of an encrypted --key"},
        {"--bind", "ADDRESS", "127.0.0.1", "address to listen on ('::' for every interface)"},
        {"--port", "N", "8443", "port to listen on (0: any free port, printed at start)"},
        {"--cafile", "FILE", "none", "ask clients for a certificate and verify it against FILE"},
        {"--require-client-cert", "", "", "refuse clients without a valid certificate (needs --cafile)"},
        {"--respond", "TEXT", "echo", "send TEXT (\\r \\n \\t \\\\ escapes) to each client after its first data, then close"},
        {"--min-version", "V", "1.2", "oldest TLS version to accept: 1.2 or 1.3"},
        {"--max-version", "V", "1.3", "newest TLS version to accept: 1.2 or 1.3"},
        {"--ciphers", "LIST", "sslpp's modern list", "TLS 1.2 cipher suites, in OpenSSL's syntax"},
        {"--alpn", "P1,P2", "none", "application protocols to accept with ALPN, most preferred first"},
        {"--groups", "G1,G2", "the backend's list", "key-exchange groups, most preferred first (X25519,P-256)"},
        {"--ocsp", "FILE", "none", "staple the DER OCSP response in FILE (as `openssl ocsp -respout` writes it) for clients that ask"},
        {"--timeout", "SECONDS", "30", "handshake and idle limit per connection (0: none)"},
        {"--early-data", "", "", "accept TLS 1.3 0-RTT early data on resumed connections: logged as replayable, then echoed"},
        {"--cert-compression", "", "", "compress the certificate chain with brotli or zlib when the client offers it (RFC 8879)"},
        {"--ech-key", "FILE", "none", "Encrypted Client Hello private key (32 raw bytes: sslpp ech-keys' ech.key, bssl-tool's -ech-key)"},
        {"--ech-config", "FILE", "none", "the ECHConfig of --ech-key (ech.config); --cert must also be valid for its public name"},
    },
    "The first line on stdout is 'listening on ADDRESS:PORT'. Exit status: 0 after a clean stop,\n"
    "1 when the address cannot be listened on or a file cannot be read, 2 usage.",
};

std::atomic<bool> stop_requested{false};
int wake_pipe[2] = {-1, -1};

extern "C" void on_signal(int) {
  stop_requested = true;
  const char c = 0;
  [[maybe_unused]] auto n = ::write(wake_pipe[1], &c, 1);
}

std::string peer_text(int fd) {
  ::sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  if (::getpeername(fd, reinterpret_cast<::sockaddr*>(&ss), &len) != 0) return "?";
  char buf[INET6_ADDRSTRLEN] = {};
  if (ss.ss_family == AF_INET6) {
    auto* a = reinterpret_cast<::sockaddr_in6*>(&ss);
    ::inet_ntop(AF_INET6, &a->sin6_addr, buf, sizeof buf);
    return fmt::format("[{}]:{}", buf, ntohs(a->sin6_port));
  }
  auto* a = reinterpret_cast<::sockaddr_in*>(&ss);
  ::inet_ntop(AF_INET, &a->sin_addr, buf, sizeof buf);
  return fmt::format("{}:{}", buf, ntohs(a->sin_port));
}

// The open connections' descriptors, so a stop can wake threads blocked in a read.
struct registry {
  std::mutex m;
  std::set<int> fds;
  void add(int fd) {
    std::lock_guard l(m);
    fds.insert(fd);
  }
  void remove(int fd) {
    std::lock_guard l(m);
    fds.erase(fd);
  }
  void shutdown_all() {
    std::lock_guard l(m);
    for (int fd : fds) ::shutdown(fd, SHUT_RDWR);
  }
};

std::mutex log_mutex;
template <class... T>
void log_line(fmt::format_string<T...> f, T&&... args) {
  std::lock_guard l(log_mutex);
  fmt::print(f, std::forward<T>(args)...);
  std::fputc('\n', stdout);
  std::fflush(stdout);
}

void serve_one(const sslpp::server_context& ctx, sslpp::tcp_socket sock, const std::optional<std::string>& respond,
               std::chrono::milliseconds timeout, registry& reg) {
  const int fd = sock.native_handle();
  const std::string peer = peer_text(fd);
  reg.add(fd);
  struct unregister {
    registry& r;
    int fd;
    ~unregister() { r.remove(fd); }
  } guard{reg, fd};
  try {
    sock.set_timeout(timeout);
    auto tls = ctx.wrap_socket(std::move(sock));
    std::string client = "no client certificate";
    if (auto c = tls.getpeercert()) client = "client certificate " + certificate_subject(*c);
    const auto cipher = tls.cipher();
    const auto alpn = tls.selected_alpn_protocol();
    log_line("{} {} {}{}{} {}", peer, version_name(tls.version()), cipher ? cipher->name : "none",
             alpn ? " alpn " + *alpn : std::string(), tls.ech_accepted() ? " ech" : "", client);
    std::size_t total = 0;
    bool answered = false;  // --respond answers the first data, early or not
    // Early data is logged and echoed; an echo is harmless if the bytes were replayed.
    if (const sslpp::replayable early = tls.early_data(); !early.empty()) {
      const std::string data = early.accept_replay_risk_text();
      log_line("{} early data (replayable, {} bytes): \"{}\"", peer, data.size(), printable(data));
      total += data.size();
      tls.sendall(respond ? *respond : data);
      answered = respond.has_value();
    }
    while (!answered) {
      std::string data = tls.read(16384);
      if (data.empty()) break;
      total += data.size();
      if (respond) {
        tls.sendall(*respond);
        break;
      }
      tls.sendall(data);
    }
    std::error_code ec;
    tls.shutdown(ec);
    log_line("{} closed after {} bytes", peer, total);
  } catch (const sslpp::cert_verification_error& e) {
    log_line("{} refused: {}", peer, e.what());
  } catch (const std::exception& e) {
    log_line("{} failed: {}", peer, e.what());
  }
}

}  // namespace

int run_server(std::span<char* const> args) {
  auto parsed = parse(server_spec, args);
  if (!parsed) return exit_ok;
  const arguments& a = *parsed;
  if (!a.positional.empty()) throw usage_error(fmt::format("server: unexpected argument '{}'", a.positional[0]));
  const auto cert = a.value("--cert");
  if (!cert) throw usage_error("server: --cert FILE is required (see 'sslpp server --help')");
  if (a.flag("--require-client-cert") && !a.flag("--cafile"))
    throw usage_error("--require-client-cert needs --cafile (the CA that issued the client certificates)");
  const std::uint16_t port = parse_port(a.value_or("--port", "8443"), "--port");
  const std::string bind = a.value_or("--bind", "127.0.0.1");
  std::chrono::milliseconds timeout{30000};
  if (auto t = a.value("--timeout")) {
    char* end = nullptr;
    const double seconds = std::strtod(t->c_str(), &end);
    if (end == t->c_str() || *end != '\0' || seconds < 0 || seconds > 86400)
      throw usage_error(fmt::format("--timeout: '{}' is not a number of seconds (0..86400)", *t));
    timeout = std::chrono::milliseconds(static_cast<long long>(seconds * 1000));
  }
  std::optional<std::string> respond;
  if (auto r = a.value("--respond")) respond = unescape(*r);

  sslpp::server_context ctx = sslpp::context_for(sslpp::protocol::tls_server);
  try {
    if (auto ca = a.value("--cafile")) {
      ctx.load_verify_locations(*ca);
      ctx.set_verify_mode(a.flag("--require-client-cert") ? sslpp::verify_mode::cert_required
                                                          : sslpp::verify_mode::cert_optional);
    }
    sslpp::password pw;
    if (auto f = a.value("--password-file")) pw = sslpp::password(read_password_file(*f));
    ctx.load_cert_chain(*cert, a.value_or("--key", ""), pw);
  } catch (const sslpp::ssl_error& e) {
    throw usage_error(e.what());
  } catch (const std::system_error& e) {
    throw failure(exit_io, e.what());
  }
  if (auto v = a.value("--min-version")) ctx.set_minimum_version(parse_version(*v, "--min-version"));
  if (auto v = a.value("--max-version")) ctx.set_maximum_version(parse_version(*v, "--max-version"));
  if (auto c = a.value("--ciphers")) {
    try {
      ctx.set_ciphers(*c);
    } catch (const sslpp::ssl_error& e) {
      throw usage_error(fmt::format("--ciphers: {}", e.what()));
    }
  }

  try {
    if (auto v = a.value("--alpn")) ctx.set_alpn_protocols(split_list(*v));
  } catch (const std::invalid_argument& e) {
    throw usage_error(fmt::format("--alpn: {}", e.what()));
  }
  if (a.flag("--early-data")) ctx.set_max_early_data(sslpp::max_early_data_limit);
  if (a.flag("--cert-compression")) enable_cert_compression(ctx);
  try {
    if (auto v = a.value("--groups")) ctx.set_groups(split_list(*v));
  } catch (const std::invalid_argument& e) {
    throw usage_error(fmt::format("--groups: {}", e.what()));
  }

  if (auto f = a.value("--ocsp")) {
    std::ifstream in(*f, std::ios::binary);
    if (!in) throw failure(exit_io, fmt::format("--ocsp: cannot read '{}': {}", *f, std::strerror(errno)));
    const std::string der((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    try {
      ctx.set_ocsp_response(std::as_bytes(std::span(der.data(), der.size())));
    } catch (const std::invalid_argument& e) {
      throw usage_error(fmt::format("--ocsp {}: {}", *f, e.what()));
    }
  }
  if (a.flag("--ech-key") != a.flag("--ech-config"))
    throw usage_error("--ech-key and --ech-config go together (the private key and its ECHConfig; see 'sslpp ech-keys')");
  if (auto key = a.value("--ech-key")) {
    try {
      ctx.set_ech_keys(sslpp::ech_keys::load_files(*a.value("--ech-config"), *key));
    } catch (const std::invalid_argument& e) {
      throw usage_error(fmt::format("--ech-key/--ech-config: {}", e.what()));
    } catch (const std::system_error& e) {
      throw failure(exit_io, e.what());
    }
  }

  sslpp::tcp_listener listener;
  try {
    listener = sslpp::tcp_listener::listen(bind, port);
  } catch (const std::system_error& e) {
    throw failure(exit_io, e.what());
  }
  if (::pipe(wake_pipe) != 0) throw failure(exit_io, "cannot create a pipe");
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  ::sigemptyset(&sa.sa_mask);
  ::sigaction(SIGINT, &sa, nullptr);
  ::sigaction(SIGTERM, &sa, nullptr);
  ::signal(SIGPIPE, SIG_IGN);

  log_line("listening on {}:{}", bind.find(':') != std::string::npos ? "[" + bind + "]" : bind, listener.port());
  registry reg;
  struct worker {
    std::thread thread;
    std::shared_ptr<std::atomic<bool>> done;
  };
  std::list<worker> workers;
  while (!stop_requested) {
    for (auto it = workers.begin(); it != workers.end();) {  // reap finished connections
      if (*it->done) {
        it->thread.join();
        it = workers.erase(it);
      } else {
        ++it;
      }
    }
    ::pollfd p[2] = {{listener.native_handle(), POLLIN, 0}, {wake_pipe[0], POLLIN, 0}};
    if (::poll(p, 2, -1) < 0) continue;
    if (stop_requested) break;
    if (!(p[0].revents & POLLIN)) continue;
    std::error_code ec;
    sslpp::tcp_socket sock = listener.accept(std::chrono::milliseconds(0), ec);
    if (ec) continue;
    auto done = std::make_shared<std::atomic<bool>>(false);
    workers.push_back({std::thread([&ctx, &respond, &reg, timeout, done, s = std::move(sock)]() mutable {
                         serve_one(ctx, std::move(s), respond, timeout, reg);
                         *done = true;
                       }),
                       done});
  }
  log_line("stopping: closing {} open connection(s)", [&] {
    std::lock_guard l(reg.m);
    return reg.fds.size();
  }());
  listener.close();
  reg.shutdown_all();
  for (auto& w : workers) w.thread.join();
  return exit_ok;
}

}  // namespace sslpp_cli
