// sslpp — SPDX-License-Identifier: MIT
//
// client.cpp: `sslpp client HOST:PORT` — connect, verify (the system store by default),
// print what was negotiated in Python's words (or --json), then relay stdin/stdout.
#include "cli.hpp"
#include "spinner.hpp"
#include "summary.hpp"

#include <fmt/core.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <fcntl.h>
#include <fstream>
#include <iterator>
#include <cstring>

namespace sslpp_cli {

namespace {

const command_spec client_spec{
    "client",
    "HOST:PORT [options]",
    "Connects to HOST:PORT (an IPv6 address in brackets: [::1]:443; the port defaults to 443),\n"
    "verifies the server's certificate chain and host name as Python's create_default_context()\n"
    "does, prints a summary of the connection, then sends stdin to the server and writes what\n"
    "it sends to stdout. When stdin ends, the client closes TLS cleanly and exits 0.",
    {
        {"--cafile", "FILE", "the system store", "trust only the CA certificates in FILE (PEM or DER)"},
        {"--capath", "DIR", "the system store", "trust only the CA certificates in DIR (c_rehash layout)"},
        {"--no-verify", "", "", "DANGEROUS: do not check the certificate or host name at all"},
        {"--servername", "NAME", "HOST", "the name sent in SNI and checked against the certificate"},
        {"--cert", "FILE", "none", "client certificate chain (PEM, leaf first) to present when asked"},
        {"--key", "FILE", "the --cert file", "private key of the client certificate"},
        {"--password-file", "FILE", "none", "file whose first line is the password of an encrypted --key"},
        {"--min-version", "V", "1.2", "oldest TLS version to accept: 1.2 or 1.3"},
        {"--max-version", "V", "1.3", "newest TLS version to offer: 1.2 or 1.3"},
        {"--ciphers", "LIST", "sslpp's modern list", "TLS 1.2 cipher suites, in OpenSSL's syntax"},
        {"--alpn", "P1,P2", "none", "application protocols to offer with ALPN, most preferred first (h2,http/1.1)"},
        {"--groups", "G1,G2", "the backend's list", "key-exchange groups, most preferred first (X25519,P-256)"},
        {"--session-in", "FILE", "none", "offer the session saved in FILE by --session-out (resumption)"},
        {"--session-out", "FILE", "none", "save the session the server sent to FILE when the client ends (keep it secret)"},
        {"--early-data", "TEXT", "none", "send TEXT (\\r \\n \\t \\\\ escapes) as TLS 1.3 0-RTT early data when the --session-in session allows it, else right after the handshake (once either way; it may be replayed: send only what is harmless twice)"},
        {"--cert-compression", "", "", "offer brotli and zlib certificate compression (RFC 8879)"},
        {"--keylog", "FILE", "$SSLKEYLOGFILE", "append the TLS secrets to FILE (NSS key log format, for Wireshark)"},
        {"--ocsp", "", "", "ask the server to staple an OCSP response; print whether one came and its size (not verified)"},
        {"--ech-config-list", "FILE", "none", "offer Encrypted Client Hello with the server's ECHConfigList in FILE (hides the server name)"},
        {"--ech-grease", "", "", "send a GREASE ECH extension when not offering ECH (hides nothing; tests the path)"},
        {"--timeout", "SECONDS", "10", "limit for connecting and for the handshake (0: none)"},
        {"--json", "", "", "print the summary as JSON (certificate in getpeercert() form) and exit"},
        {"--quiet", "", "", "print no summary, only the data the server sends"},
    },
    "exit status: 0 success, 1 connection or I/O failure, 2 usage, 3 handshake failure,\n"
    "4 certificate verification failure. Failures print one line on stderr.",
};

std::string peer_address(int fd) {
  ::sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  if (::getpeername(fd, reinterpret_cast<::sockaddr*>(&ss), &len) != 0) return "?";
  char buf[INET6_ADDRSTRLEN] = {};
  if (ss.ss_family == AF_INET6) {
    ::inet_ntop(AF_INET6, &reinterpret_cast<::sockaddr_in6*>(&ss)->sin6_addr, buf, sizeof buf);
    return buf;
  }
  ::inet_ntop(AF_INET, &reinterpret_cast<::sockaddr_in*>(&ss)->sin_addr, buf, sizeof buf);
  return buf;
}

std::chrono::milliseconds parse_timeout(const arguments& a) {
  const std::string text = a.value_or("--timeout", "10");
  char* end = nullptr;
  errno = 0;
  const double seconds = std::strtod(text.c_str(), &end);
  if (errno != 0 || end == text.c_str() || *end != '\0' || seconds < 0 || seconds > 86400)
    throw usage_error(fmt::format("--timeout: '{}' is not a number of seconds (0..86400)", text));
  return std::chrono::milliseconds(static_cast<long long>(seconds * 1000));
}

// Writes all of `data` to a non-blocking TLS stream, waiting for the socket as needed.
template <class Stream>
void send_all(Stream& tls, int fd, std::string_view data) {
  auto bytes = std::as_bytes(std::span(data.data(), data.size()));
  while (!bytes.empty()) {
    std::error_code ec;
    const std::size_t n = tls.write(bytes, ec);
    if (ec == sslpp::ssl_errc::want_write || ec == sslpp::ssl_errc::want_read) {
      ::pollfd p{fd, static_cast<short>(ec == sslpp::ssl_errc::want_write ? POLLOUT : POLLIN), 0};
      ::poll(&p, 1, -1);
      continue;
    }
    if (ec) throw failure(exit_io, fmt::format("sending to the server failed: {}", ec.message()));
    bytes = bytes.subspan(n);
  }
}

bool write_stdout(std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(STDOUT_FILENO, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

// Relays stdin to the server and the server to stdout until the server closes, or stdin
// ends and the server answers the close (or `linger` passes).
// With `want_session`, the close waits (at most 2 s) until the server's TLS 1.3 ticket has
// been read, so that --session-out never races the server's reply to our close_notify.
template <class Stream>
int relay(Stream& tls, int fd, std::chrono::milliseconds linger, bool want_session) {
  tls.socket().set_blocking(false);
  bool stdin_open = true;
  std::optional<std::chrono::steady_clock::time_point> closing_since;
  std::optional<std::chrono::steady_clock::time_point> close_wanted_since;
  const auto has_session = [&] { return tls.session() && tls.session().is_resumable(); };
  const auto close_now = [&] {
    std::error_code ec;
    tls.shutdown(ec);  // close_notify: the server reads end of stream
    closing_since = std::chrono::steady_clock::now();
    close_wanted_since.reset();
  };
  char in_buf[16384];
  std::byte tls_buf[16384];
  for (;;) {
    // Decrypted bytes may already wait inside TLS, where poll() cannot see them.
    if (tls.pending() == 0) {
      ::pollfd p[2] = {{fd, POLLIN, 0}, {STDIN_FILENO, POLLIN, 0}};
      int timeout_ms = -1;
      if (close_wanted_since) {
        if (has_session() || std::chrono::steady_clock::now() - *close_wanted_since > std::chrono::seconds(2)) {
          close_now();
          continue;
        }
        timeout_ms = 100;
      } else if (closing_since) {
        const auto left = linger - std::chrono::duration_cast<std::chrono::milliseconds>(
                                       std::chrono::steady_clock::now() - *closing_since);
        if (linger.count() > 0 && left.count() <= 0) return exit_ok;
        timeout_ms = linger.count() > 0 ? static_cast<int>(left.count()) : -1;
      }
      const int r = ::poll(p, stdin_open ? 2 : 1, timeout_ms);
      if (r < 0 && errno == EINTR) continue;
      if (r == 0 && close_wanted_since) continue;
      if (r == 0) return exit_ok;  // the server did not answer our close in time; our side was clean
      if (stdin_open && (p[1].revents & (POLLIN | POLLHUP | POLLERR))) {
        const ssize_t n = ::read(STDIN_FILENO, in_buf, sizeof in_buf);
        if (n > 0) {
          send_all(tls, fd, std::string_view(in_buf, static_cast<std::size_t>(n)));
        } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
          stdin_open = false;
          if (want_session && !has_session()) close_wanted_since = std::chrono::steady_clock::now();
          else close_now();
        }
      }
      if (!(p[0].revents & (POLLIN | POLLHUP | POLLERR))) continue;
    }
    std::error_code ec;
    const std::size_t n = tls.read(std::span(tls_buf), ec);
    if (ec == sslpp::ssl_errc::want_read || ec == sslpp::ssl_errc::want_write) continue;
    if (ec) {
      // After our close_notify the server may just drop the connection; a TLS alert (a
      // refused client certificate, say) is still a failure.
      if (closing_since && ec.category() != sslpp::boringssl_category()) return exit_ok;
      throw failure(exit_io, fmt::format("reading from the server failed: {}", ec.message()));
    }
    if (n == 0) return exit_ok;  // the server closed the connection cleanly
    if (!write_stdout(std::string_view(reinterpret_cast<const char*>(tls_buf), n)))
      throw failure(exit_io, fmt::format("writing to stdout failed: {}", std::strerror(errno)));
  }
}

// Reads --ech-config-list: an ECHConfigList as bytes (what `sslpp ech-keys` and
// `bssl-tool generate-ech` write), or its base64 (a DNS HTTPS record's "ech=" value).
std::vector<std::byte> read_ech_config_list(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw failure(exit_io, fmt::format("--ech-config-list: cannot read '{}': {}", path, std::strerror(errno)));
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  while (!bytes.empty() && (bytes.back() == '\n' || bytes.back() == '\r' || bytes.back() == ' ')) bytes.pop_back();
  if (auto decoded = base64_decode(bytes)) bytes = *decoded;
  if (bytes.empty()) throw usage_error(fmt::format("--ech-config-list: '{}' is empty", path));
  const auto* p = reinterpret_cast<const std::byte*>(bytes.data());
  return {p, p + bytes.size()};
}

// Reads a session saved by --session-out.
sslpp::session load_session(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw failure(exit_io, fmt::format("--session-in: cannot read '{}': {}", path, std::strerror(errno)));
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  try {
    return sslpp::session::from_bytes(std::as_bytes(std::span(bytes.data(), bytes.size())));
  } catch (const sslpp::ssl_error& e) {
    throw usage_error(fmt::format("--session-in: '{}' is not a saved session: {}", path, e.what()));
  }
}

// Writes the session for --session-out (readable by the owner only: it holds secrets).
void save_session(const sslpp::session& session, const std::string& path) {
  if (!session)
    throw failure(exit_io, fmt::format("--session-out: the server sent no session to save in '{}'", path));
  const auto bytes = session.to_bytes();
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) throw failure(exit_io, fmt::format("--session-out: cannot write '{}': {}", path, std::strerror(errno)));
  const bool ok = ::write(fd, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size());
  ::close(fd);
  if (!ok) throw failure(exit_io, fmt::format("--session-out: cannot write '{}': {}", path, std::strerror(errno)));
}

// A TLS 1.3 server sends its session tickets after the handshake, and a read takes them in:
// wait briefly for them when the summary is all the client does.
template <class Stream>
void take_in_tickets(Stream& tls, int fd) {
  if (tls.session() && tls.session().is_resumable()) return;
  tls.socket().set_blocking(false);
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  std::byte buf[4096];
  while (!(tls.session() && tls.session().is_resumable()) && std::chrono::steady_clock::now() < until) {
    ::pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    std::error_code ec;
    const std::size_t n = tls.read(std::span(buf), ec);
    if ((ec && ec != sslpp::ssl_errc::want_read) || (!ec && n == 0)) break;
  }
}

}  // namespace

int run_client(std::span<char* const> args) {
  auto parsed = parse(client_spec, args);
  if (!parsed) return exit_ok;
  const arguments& a = *parsed;
  if (a.positional.size() != 1)
    throw usage_error(a.positional.empty() ? "client: HOST:PORT is missing (see 'sslpp client --help')"
                                           : fmt::format("client: one HOST:PORT expected, got '{}' too",
                                                         a.positional[1]));
  const endpoint target = parse_endpoint(a.positional[0], 443);
  const auto timeout = parse_timeout(a);
  const bool no_verify = a.flag("--no-verify");
  if (no_verify && (a.flag("--cafile") || a.flag("--capath")))
    throw usage_error("--no-verify cannot be combined with --cafile or --capath: choose one");
  if (a.flag("--key") && !a.flag("--cert")) throw usage_error("--key needs --cert");
  if (a.flag("--password-file") && !a.flag("--cert")) throw usage_error("--password-file needs --cert");
  if (a.flag("--json") && a.flag("--quiet")) throw usage_error("--json and --quiet cannot be combined");

  // The context, exactly as a careful program would make it.
  sslpp::trust t;
  t.cafile = a.value_or("--cafile", "");
  t.capath = a.value_or("--capath", "");
  std::string verified_against;
  std::optional<sslpp::client_context> made;
  try {
    made.emplace(sslpp::create_default_context(sslpp::purpose::server_auth, t));
  } catch (const std::system_error& e) {
    throw failure(exit_io, e.what());
  }
  sslpp::client_context& ctx = *made;
  if (!t.cafile.empty()) verified_against = "--cafile " + t.cafile;
  else if (!t.capath.empty()) verified_against = "--capath " + t.capath;
  else {
    const auto paths = sslpp::get_default_verify_paths();
    const std::string& where = paths.cafile.empty() ? paths.capath : paths.cafile;
    verified_against = "the system store (" + (where.empty() ? std::string("none found: install ca-certificates") : where) + ")";
  }
  if (no_verify) {
    ctx.disable_verification();
    fmt::print(stderr, "{}\n",
               style{::isatty(STDERR_FILENO) == 1 && !std::getenv("NO_COLOR")}.warn(
                   "WARNING: --no-verify: the server's certificate and host name are NOT checked; anyone on the "
                   "path can read and change this connection."));
    verified_against.clear();
  }
  if (auto v = a.value("--min-version")) ctx.set_minimum_version(parse_version(*v, "--min-version"));
  if (auto v = a.value("--max-version")) ctx.set_maximum_version(parse_version(*v, "--max-version"));
  if (static_cast<int>(ctx.minimum_version()) > static_cast<int>(ctx.maximum_version()))
    throw usage_error("--min-version is newer than --max-version");
  if (auto c = a.value("--ciphers")) {
    try {
      ctx.set_ciphers(*c);
    } catch (const sslpp::ssl_error& e) {
      throw usage_error(fmt::format("--ciphers: {}", e.what()));
    }
  }
  if (auto v = a.value("--alpn")) {
    try {
      ctx.set_alpn_protocols(split_list(*v));
    } catch (const std::invalid_argument& e) {
      throw usage_error(fmt::format("--alpn: {}", e.what()));
    }
  }
  if (auto v = a.value("--groups")) {
    try {
      ctx.set_groups(split_list(*v));
    } catch (const std::invalid_argument& e) {
      throw usage_error(fmt::format("--groups: {}", e.what()));
    }
  }
  if (auto v = a.value("--keylog")) {
    try {
      ctx.set_keylog_filename(*v);
    } catch (const std::system_error& e) {
      throw failure(exit_io, fmt::format("--keylog: {}", e.what()));
    }
  }
  if (a.flag("--ocsp")) ctx.set_ocsp_stapling(true);
  sslpp::wrap_options wrap;
  if (auto v = a.value("--session-in")) wrap.session = load_session(*v);
  if (auto v = a.value("--early-data")) {
    wrap.early_data = unescape(*v);
    if (wrap.early_data.empty()) throw usage_error("--early-data: the text is empty");
  }
  if (a.flag("--cert-compression")) enable_cert_compression(ctx);
  if (auto cert = a.value("--cert")) {
    sslpp::password pw;
    if (auto f = a.value("--password-file")) pw = sslpp::password(read_password_file(*f));
    try {
      ctx.load_cert_chain(*cert, a.value_or("--key", ""), pw);
    } catch (const sslpp::ssl_error& e) {
      throw usage_error(e.what());
    } catch (const std::system_error& e) {
      throw failure(exit_io, e.what());
    }
  }
  const std::string servername = a.value_or("--servername", target.host);
  sslpp::hostname host = [&] {
    try {
      return sslpp::runtime_hostname(servername);
    } catch (const std::invalid_argument& e) {
      throw usage_error(fmt::format("'{}' is not a valid server name: {}", servername, e.what()));
    }
  }();

  if (auto f = a.value("--ech-config-list")) {
    wrap.ech_config_list = read_ech_config_list(*f);
    // A bad list is a usage error before any connection: a wrap_bio checks it without I/O.
    try {
      sslpp::memory_bio in, out;
      (void)ctx.wrap_bio(in, out, host, {.ech_config_list = wrap.ech_config_list});
    } catch (const std::invalid_argument& e) {
      throw usage_error(fmt::format("--ech-config-list '{}': {}", *f, e.what()));
    }
  }
  if (a.flag("--ech-grease")) ctx.set_ech_grease(true);
  std::optional<std::string> ech;
  if (!wrap.ech_config_list.empty()) ech = "accepted (the server name was encrypted)";
  else if (a.flag("--ech-grease")) ech = "GREASE only (the server name was sent in clear)";

  // Connect (exit 1 on failure), then handshake (3, or 4 for the certificate).
  spinner progress(fmt::format("connecting to {}:{}", target.host, target.port));
  int fd = -1;
  std::string address;
  auto t0 = std::chrono::steady_clock::now();
  const auto connect_and_wrap = [&] {
    sslpp::tcp_socket sock;
    try {
      sock = sslpp::tcp_socket::connect(target.host, target.port, timeout);
      sock.set_timeout(timeout);
    } catch (const std::system_error& e) {
      throw failure(exit_io, e.what());
    }
    fd = sock.native_handle();
    address = peer_address(fd);
    t0 = std::chrono::steady_clock::now();
    try {
      return ctx.wrap_socket(std::move(sock), host, wrap);
    } catch (const sslpp::cert_verification_error& e) {
      throw failure(exit_verification, e.what());
    } catch (const sslpp::ech_rejected_error&) {
      throw;  // handled below: one retry with the server's authenticated retry configs
    } catch (const std::invalid_argument& e) {
      throw usage_error(e.what());
    } catch (const std::system_error& e) {
      throw failure(exit_handshake, e.what());
    }
  };
  auto tls = [&] {
    try {
      return connect_and_wrap();
    } catch (const sslpp::ech_rejected_error& e) {
      // The server's keys changed: its retry configs came in a handshake authenticated for
      // the public name, so one more try with them is safe (browsers do the same). No
      // retry configs: the server turned ECH off, and the name is not sent in clear.
      if (e.retry_configs().empty()) throw failure(exit_handshake, e.what());
      wrap.ech_config_list = e.retry_configs();
      ech = "accepted after a retry with the server's new configs (the server name was encrypted)";
      try {
        return connect_and_wrap();
      } catch (const sslpp::ech_rejected_error& again) {
        throw failure(exit_handshake, fmt::format("ECH was rejected again with the server's own retry configs: {}",
                                                  again.what()));
      }
    }
  }();
  const auto handshake_time = std::chrono::steady_clock::now() - t0;
  progress.stop();
  tls.socket().set_timeout(std::chrono::milliseconds(0));

  connection_summary s;
  s.host = target.host;
  s.port = target.port;
  s.address = address;
  s.server_hostname = servername;
  s.verified = !no_verify;
  s.verified_against = verified_against;
  s.version = tls.version();
  s.cipher = tls.cipher();
  s.handshake_time = handshake_time;
  s.peercert = tls.getpeercert();
  s.chain = no_verify ? tls.get_unverified_chain() : tls.get_verified_chain();
  s.alpn = tls.selected_alpn_protocol();
  s.group = tls.group();
  s.resumed = tls.session_reused();
  s.ocsp_asked = a.flag("--ocsp");
  if (auto r = tls.ocsp_response()) s.ocsp_bytes = r->size();
  s.ech = ech;
  const auto session_out = a.value("--session-out");

  if (a.flag("--json")) {
    fmt::print("{}\n", summary_json(s));
    std::fflush(stdout);
    if (session_out) {
      take_in_tickets(tls, fd);
      save_session(tls.session(), *session_out);
    }
    std::error_code ec;
    tls.shutdown(ec);
    return exit_ok;
  }
  if (!a.flag("--quiet")) {
    print_summary(s);
    if (!wrap.early_data.empty()) {
      if (tls.early_data_accepted())
        fmt::print("early data: accepted ({} bytes sent with the ClientHello)\n", wrap.early_data.size());
      else
        fmt::print("early data: not accepted ({}): sent after the handshake instead\n", tls.early_data_reason());
    }
    std::fflush(stdout);
  }
  const int rc = relay(tls, fd, timeout, session_out.has_value());
  if (session_out) save_session(tls.session(), *session_out);
  return rc;
}

}  // namespace sslpp_cli
