// A second look at the trust decisions of the security fixes (sessions bound to a name and
// a context, the SNI switch's client verification, the security floor, timeouts, host
// names): attacks that got around them (each failed until its fix: per-context session id
// contexts renewed when verification settings change, every offered session's chain checked
// again, leading zeros refused in IPv4 text, huge and negative timeouts) and what held.
#include "features_support.hpp"

#include <arpa/inet.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <mutex>

namespace {

// What the server saw of each connection: whether it resumed and who the client was.
struct seen_t {
  std::mutex m;
  std::vector<std::string> peers;  // "resumed:<subject|none>" or "full:<subject|none>"
  void add(sslpp::stream<sslpp::tcp_socket>& tls) {
    std::lock_guard<std::mutex> lock(m);
    const auto cert = tls.getpeercert();
    peers.push_back(std::string(tls.session_reused() ? "resumed:" : "full:") +
                    (cert ? cert->subject().rfc4514() : std::string("none")));
  }
};

test::server_thread recording_server(sslpp::server_context ctx, int n, seen_t& seen) {
  return test::server_thread(
      [ctx, &seen](sslpp::tcp_socket sock) {
        try {
          auto tls = ctx.wrap_socket(std::move(sock));
          seen.add(tls);
          tls.sendall(tls.read(1024));
          tls.shutdown();
        } catch (const std::exception&) {
        }
      },
      n);
}

sslpp::tcp_socket dial(std::uint16_t port) {
  return sslpp::tcp_socket::connect("127.0.0.1", port, std::chrono::seconds(10));
}

sslpp::client_context client_with(const std::string& cert, const std::string& key) {
  auto ctx = test::client_context_trusting_root();
  if (!cert.empty()) ctx.load_cert_chain(test::pki(cert), test::pki(key));
  return ctx;
}

// A client that does what any TLS client may do (openssl s_client -sess_in, Python with
// a session of its own context, a raw BoringSSL program): offers `s` to `host` whatever
// name it was made for. The backend is reached through native_handle(), so sslpp's client
// checks (which protect an honest client, not a server) do not apply.
std::string raw_resume(const sslpp::client_context& ctx, std::uint16_t port, sslpp::hostname host,
                       const sslpp::session& s, bool* reused = nullptr) {
  try {
    auto tls = ctx.wrap_socket(dial(port), host, {.do_handshake_on_connect = false});
    REQUIRE(SSL_set_session(tls.native_handle(), s.native_handle()) == 1);
    tls.do_handshake();
    if (reused) *reused = tls.session_reused();
    tls.sendall("ping");
    const std::string reply = tls.read(100);
    return reply == "ping" ? "ok" : "reply '" + reply + "'";
  } catch (const std::exception& e) {
    return e.what();
  }
}

sslpp::session ticket_from(const sslpp::client_context& ctx, std::uint16_t port, sslpp::hostname host) {
  auto tls = ctx.wrap_socket(dial(port), host);
  feat::round_trip(tls);
  REQUIRE(tls.session());
  return tls.session();
}

}  // namespace

// --- the server side of sessions: an SNI switch and resumption ---

TEST_CASE("review: a client without a certificate cannot resume into an SNI-switched context that requires one",
          "[attack][review][sni][sessions]") {
  // `strict` serves "localhost" and requires a client certificate from client-ca; the
  // default context serves clients that send no name, without client certificates.
  auto strict = test::server_context_with("fullchain-rsa.pem", "leaf-rsa.key");
  strict.load_verify_locations(test::pki("client-ca.pem"));
  strict.set_verify_mode(sslpp::verify_mode::cert_required);
  auto sctx = test::server_context_with();
  sctx.set_sni_callback([strict](sslpp::sni_request& r) {
    if (r.server_name() == "localhost") r.use_context(strict);
  });
  seen_t seen;
  auto server = recording_server(sctx, 3, seen);

  // 1. No certificate, no SNI: served by the default context; keep its ticket.
  auto anonymous = client_with("", "");
  const sslpp::session s = ticket_from(anonymous, server.port(), "127.0.0.1");
  // 2. Without the ticket, naming "localhost" is refused for want of a certificate.
  CHECK_THAT(raw_resume(anonymous, server.port(), "localhost", sslpp::session{}), !Catch::Equals("ok"));
  // 3. The attack: the same ticket, offered with SNI "localhost".
  bool reused = false;
  const std::string result = raw_resume(anonymous, server.port(), "localhost", s, &reused);
  server.join();
  INFO("server saw: " << Catch::Detail::stringify(seen.peers));
  CHECK_FALSE((result == "ok" && reused));
}

TEST_CASE("review: a client certificate verified by one context is not accepted through resumption by an "
          "SNI-switched context that does not trust its CA",
          "[attack][review][sni][sessions]") {
  // The default context asks for (optional) client certificates from the server-side
  // root, which issued client-wrongca; `strict` trusts client-ca only.
  auto strict = test::server_context_with("fullchain-rsa.pem", "leaf-rsa.key");
  strict.load_verify_locations(test::pki("client-ca.pem"));
  strict.set_verify_mode(sslpp::verify_mode::cert_required);
  auto sctx = test::server_context_with();
  sctx.load_verify_locations(test::pki("ca.pem"));
  sctx.set_verify_mode(sslpp::verify_mode::cert_optional);
  sctx.set_sni_callback([strict](sslpp::sni_request& r) {
    if (r.server_name() == "localhost") r.use_context(strict);
  });
  seen_t seen;
  auto server = recording_server(sctx, 3, seen);

  auto wrongca = client_with("client-wrongca.pem", "client-wrongca.key");
  const sslpp::session s = ticket_from(wrongca, server.port(), "127.0.0.1");
  CHECK_THAT(raw_resume(wrongca, server.port(), "localhost", sslpp::session{}), !Catch::Equals("ok"));
  bool reused = false;
  const std::string result = raw_resume(wrongca, server.port(), "localhost", s, &reused);
  server.join();
  INFO("server saw: " << Catch::Detail::stringify(seen.peers));
  CHECK_FALSE((result == "ok" && reused));
}

// --- the client side: a session outlives the settings it was verified under ---

TEST_CASE("review: a session made while the context verified nothing does not resume after it turns verification on",
          "[attack][review][sessions]") {
  // The server presents wronghost.pem (DNS:wrong.example only), from the trusted root.
  seen_t seen;
  auto server = recording_server(test::server_context_with("fullchain-wronghost.pem", "wronghost.key"), 3, seen);
  auto ctx = test::client_context_trusting_root();
  ctx.disable_verification();  // e.g. a first probe made before the settings are complete
  const sslpp::session s = ticket_from(ctx, server.port(), "localhost");
  // The program then turns verification on (the same context, as Python allows).
  ctx.set_verify_mode(sslpp::verify_mode::cert_required);
  ctx.set_check_hostname(true);
  // A full handshake is refused: the certificate does not name localhost.
  std::string fresh;
  try {
    auto tls = ctx.wrap_socket(dial(server.port()), "localhost");
    fresh = "ok";
  } catch (const std::exception& e) {
    fresh = e.what();
  }
  CHECK_THAT(fresh, Catch::Contains("Hostname mismatch"));
  // The session made without any check still resumes.
  std::string resumed;
  bool reused = false;
  try {
    auto tls = ctx.wrap_socket(dial(server.port()), "localhost", {.session = s});
    reused = tls.session_reused();
    feat::round_trip(tls);
    resumed = "ok";
  } catch (const std::exception& e) {
    resumed = e.what();
  }
  server.join();
  INFO("resume: " << resumed << "; server saw: " << Catch::Detail::stringify(seen.peers));
  CHECK_FALSE((resumed == "ok" && reused));
}

// --- timeouts ---

TEST_CASE("review: a huge timeout does not make every operation time out at once", "[attack][review][timeout]") {
  // milliseconds::max() as "practically forever", as some programs write it: the deadline
  // is now() + timeout in steady_clock's nanoseconds, which overflows (undefined; it wraps
  // to a time in the past here).
  const sslpp::detail::deadline d(std::chrono::milliseconds::max());
  CHECK_FALSE(d.expired());
  const sslpp::detail::deadline years(std::chrono::hours(24 * 365 * 300));  // 300 years
  CHECK_FALSE(years.expired());

  auto server = feat::echo_server(test::server_context_with());
  auto sock = dial(server.port());
  sock.set_timeout(std::chrono::milliseconds::max());
  std::string result;
  try {
    auto tls = test::client_context_trusting_root().wrap_socket(std::move(sock), "localhost");
    feat::round_trip(tls);
    result = "ok";
  } catch (const std::exception& e) {
    result = e.what();
  }
  CHECK(result == "ok");
  server.join_quietly();
}

TEST_CASE("review: a negative timeout is refused without changing the socket", "[attack][review][timeout]") {
  auto server = feat::echo_server(test::server_context_with());
  auto sock = dial(server.port());
  // -1500 ms: tv_sec -1, tv_usec -500000, which setsockopt refuses (EDOM) ...
  CHECK_THROWS(sock.set_timeout(std::chrono::milliseconds(-1500)));
  // ... after timeout() already took the value.
  INFO("timeout() after the failed set_timeout: " << sock.timeout().count());
  const bool kept = sock.timeout().count() >= 0;
  sock.close();
  server.join_quietly();
  CHECK(kept);
  // -1000 ms (tv_sec -1, tv_usec 0) is taken by setsockopt and means "no limit" to the
  // deadline: a program that passes the time left of its own deadline, already past,
  // waits forever instead of timing out (Python raises ValueError for a negative timeout).
  auto listener = sslpp::tcp_listener::listen("127.0.0.1", 0);
  auto silent = sslpp::tcp_socket::connect("127.0.0.1", listener.port());
  CHECK_THROWS_AS(silent.set_timeout(std::chrono::milliseconds(-1000)), std::invalid_argument);
  CHECK_FALSE(sslpp::detail::deadline(std::chrono::milliseconds(-1000)).is_set());  // documented: none
}

// --- from_bytes envelopes ---

namespace {
std::vector<std::byte> envelope(std::string_view header_and_name, std::span<const std::byte> der) {
  std::vector<std::byte> v;
  for (char c : header_and_name) v.push_back(static_cast<std::byte>(c));
  v.insert(v.end(), der.begin(), der.end());
  return v;
}
}  // namespace

TEST_CASE("review: crafted session envelopes are refused or keep a name no wrap matches", "[attack][review][sessions]") {
  auto server = feat::echo_server(test::server_context_with(), {}, 2);
  auto ctx = test::client_context_trusting_root();
  const sslpp::session s = ticket_from(ctx, server.port(), "localhost");
  const auto good = s.to_bytes();
  const std::size_t header = 14 + 2;
  REQUIRE(good.size() > header + 9);
  const std::span<const std::byte> der(good.data() + header + 9, good.size() - header - 9);  // "localhost"
  const std::string magic("sslpp-session\x01", 14);

  // Truncated anywhere: an error, never a crash.
  for (std::size_t n = 0; n < good.size(); n += (n < 40 ? 1 : 97)) {
    std::error_code ec;
    auto t = sslpp::session::from_bytes(std::span(good.data(), n), ec);
    CHECK((!t || t.server_hostname() == "localhost"));
  }
  // A length byte that lies (longer than the data).
  {
    auto v = good;
    v[15] = std::byte{255};
    std::error_code ec;
    CHECK_FALSE(sslpp::session::from_bytes(std::span(v.data(), header + 100), ec));
  }
  // A name with a NUL, an empty name, a 255-byte name, "no name" with a length: each one
  // loads, and no wrap for a real host name may offer it.
  const std::vector<std::string> names{std::string("localhost\0.evil", 15), "", std::string(255, 'a')};
  sslpp::memory_bio in, out;
  for (const auto& name : names) {
    const auto v = envelope(magic + '\x01' + static_cast<char>(name.size()) + name, der);
    const auto t = sslpp::session::from_bytes(v);
    CHECK(t.server_hostname() == name);
    CHECK_THROWS_AS(ctx.wrap_bio(in, out, "localhost", {.session = t}), std::invalid_argument);
  }
  // has-name 0 with a length: the name is skipped, so the session is "for no name".
  {
    const auto v = envelope(magic + '\x00' + '\x09' + "localhost", der);
    const auto t = sslpp::session::from_bytes(v);
    CHECK_FALSE(t.server_hostname());
    CHECK_THROWS_AS(ctx.wrap_bio(in, out, "localhost", {.session = t}), std::invalid_argument);
    auto lax = test::client_context_trusting_root();
    lax.set_check_hostname(false);
    // for no_hostname with check_hostname off, the chain must still verify (it does: a
    // trusted chain without a name check is what that context accepts anyway).
    CHECK_NOTHROW(lax.wrap_bio(in, out, sslpp::no_hostname, {.session = t}));
  }
  // "localhost" with a trailing dot or in capitals in the envelope: the same host.
  {
    const auto v = envelope(magic + '\x01' + '\x0a' + "LOCALHOST.", der);
    const auto t = sslpp::session::from_bytes(v);
    // Not canonicalised on load: refused (fail-safe; to_bytes never writes the dot).
    CHECK_THROWS_AS(ctx.wrap_bio(in, out, "localhost", {.session = t}), std::invalid_argument);
  }
  server.join_quietly();
}

TEST_CASE("review: a ticket issued before a server required client certificates does not resume after it does",
          "[attack][review][sessions][client_auth]") {
  auto sctx = test::server_context_with();
  seen_t seen;
  std::atomic<bool> strict_now{false};
  std::atomic<int> served{0};
  auto server = test::server_thread(
      [sctx, &seen, &served](sslpp::tcp_socket sock) mutable {
        try {
          auto tls = sctx.wrap_socket(std::move(sock));
          seen.add(tls);
          tls.sendall(tls.read(1024));
          tls.shutdown();
        } catch (const std::exception&) {
        }
        ++served;
      },
      3);
  auto anonymous = client_with("", "");
  const sslpp::session s = ticket_from(anonymous, server.port(), "localhost");
  while (served.load() < 1) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  // The operator turns client authentication on (the same context, new connections only).
  sctx.load_verify_locations(test::pki("client-ca.pem"));
  sctx.set_verify_mode(sslpp::verify_mode::cert_required);
  strict_now = true;
  CHECK_THAT(raw_resume(anonymous, server.port(), "localhost", sslpp::session{}), !Catch::Equals("ok"));
  bool reused = false;
  const std::string result = raw_resume(anonymous, server.port(), "localhost", s, &reused);
  server.join();
  INFO("server saw: " << Catch::Detail::stringify(seen.peers));
  CHECK_FALSE((result == "ok" && reused));
}

// --- host names ---

TEST_CASE("review: an IPv4 literal with leading zeros is refused (connect() would read it as octal, the check as decimal)",
          "[attack][review][hostname]") {
  // "10.0.0.010": getaddrinfo (inet_aton) reads the leading-zero part as octal (10.0.0.8);
  // BoringSSL's host check reads it as decimal (10.0.0.10). runtime_hostname accepts it.
  const std::string text = "127.0.0.010";
  CHECK(sslpp::detail::host_fault(text) != sslpp::hostname_fault::none);  // refused, as Python's ipaddress does

  in_addr a{};
  REQUIRE(::inet_aton(text.c_str(), &a) == 1);
  char where[INET_ADDRSTRLEN];
  ::inet_ntop(AF_INET, &a, where, sizeof where);
  CHECK(std::string(where) == "127.0.0.8");  // where tcp_socket::connect goes

  // A certificate for 127.0.0.10 passes the check for the text that connects to 127.0.0.8.
  const auto dir = std::filesystem::temp_directory_path() / ("sslpp-review-ip-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string cmd = "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=ip "
                          "-addext subjectAltName=IP:127.0.0.10 -keyout " + (dir / "k.pem").string() + " -out " +
                          (dir / "c.pem").string() + " 2>/dev/null";
  REQUIRE(std::system(cmd.c_str()) == 0);
  const auto cert = sslpp::certificate::load((dir / "c.pem").string());
  INFO("matches_hostname(\"127.0.0.010\") on a certificate for IP 127.0.0.10");
  CHECK_FALSE(cert.matches_hostname(text));
  std::filesystem::remove_all(dir);
}

TEST_CASE("review: host names of 253 and 254 characters", "[attack][review][hostname]") {
  std::string n253;
  while (n253.size() < 253) n253 += (n253.size() % 64 == 63 ? '.' : 'a');
  REQUIRE(n253.size() == 253);
  REQUIRE(n253.back() != '.');
  const auto h = sslpp::runtime_hostname(n253 + ".");
  CHECK(h.name().size() == 254);
  CHECK(h.canonical() == n253);
  CHECK_THROWS_AS(sslpp::runtime_hostname(n253 + "a"), std::invalid_argument);
  CHECK_THROWS_AS(sslpp::runtime_hostname(n253 + "a."), std::invalid_argument);
  // The longest IPv6 text fits too.
  CHECK(sslpp::runtime_hostname("0000:0000:0000:0000:0000:ffff:255.255.255.255").is_ip_address());
  // A name this long is sent as SNI and bound in the session's envelope (one length byte).
  auto server = feat::echo_server(test::server_context_with(), {}, 1);
  auto ctx = test::client_context_trusting_root();
  ctx.disable_verification();
  auto tls = ctx.wrap_socket(dial(server.port()), h);
  feat::round_trip(tls);
  const auto s = tls.session();
  REQUIRE(s);
  CHECK(sslpp::session::from_bytes(s.to_bytes()).server_hostname() == n253);
  server.join_quietly();
}

// --- the security floor ---

namespace {
// Connects to a server presenting `fullchain`/`key` with `client`; "ok" or the error.
std::string verify_outcome(const sslpp::client_context& client, const std::string& fullchain, const std::string& key) {
  auto sctx = sslpp::context_for(sslpp::protocol::tls_server);
  sctx.load_cert_chain(fullchain, key);
  auto server = test::server_thread(
      [sctx](sslpp::tcp_socket sock) {
        try {
          auto tls = sctx.wrap_socket(std::move(sock));
          tls.sendall(tls.read(100));
        } catch (const std::exception&) {
        }
      },
      1);
  std::string r;
  try {
    auto tls = client.wrap_socket(dial(server.port()), "localhost");
    feat::round_trip(tls);
    r = "ok";
  } catch (const std::exception& e) {
    r = e.what();
  }
  server.join_quietly();
  return r;
}
}  // namespace

TEST_CASE("review: the floor judges a weak trust anchor's key, and an intermediate made an anchor by partial_chain",
          "[attack][review][security_level]") {
  // A self-signed RSA-1024 root (SHA-256) and a P-256 localhost leaf it signs.
  const auto dir = std::filesystem::temp_directory_path() / ("sslpp-review-floor-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string d = dir.string();
  const std::string script =
      "cd " + d + " && openssl req -x509 -newkey rsa:1024 -sha256 -nodes -days 2 -subj /CN=weakroot "
      "-addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign -keyout root.key -out root.pem"
      " 2>/dev/null && openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=localhost "
      "-keyout leaf.key -out leaf.csr 2>/dev/null && printf 'subjectAltName=DNS:localhost\\n' > ext && "
      "openssl x509 -req -in leaf.csr -CA root.pem -CAkey root.key -CAcreateserial -sha256 -days 2 -extfile ext "
      "-out leaf.pem 2>/dev/null";
  REQUIRE(std::system(script.c_str()) == 0);
  auto weak_root_client = sslpp::create_default_context(sslpp::purpose::server_auth, sslpp::trust{.cafile = d + "/root.pem"});
  CHECK_THAT(verify_outcome(weak_root_client, d + "/leaf.pem", d + "/leaf.key"),
             Catch::Contains("CA certificate key too weak") || Catch::Contains("too small"));
  weak_root_client.set_security_level(1);
  CHECK(verify_outcome(weak_root_client, d + "/leaf.pem", d + "/leaf.key") == "ok");

  // weak-int.pem (RSA-1024) trusted on its own as a partial-chain anchor.
  auto partial = sslpp::create_default_context(sslpp::purpose::server_auth, sslpp::trust{.cafile = test::pki("weak-int.pem")});
  partial.set_verify_flags(partial.verify_flags() | sslpp::verify_flags::x509_partial_chain);
  CHECK_THAT(verify_outcome(partial, test::pki("fullchain-weak-int-leaf.pem"), test::pki("weak-int-leaf.key")),
             !Catch::Equals("ok"));
  std::filesystem::remove_all(dir);
}

// --- byte streams ---

namespace {
// A byte stream over a connected descriptor whose timeout() throws (reading a
// configuration, say): begin() calls it inside noexcept code.
struct throwing_timeout_stream {
  int fd = -1;
  std::size_t read_some(std::span<std::byte> b, std::error_code& ec) {
    const ssize_t n = ::recv(fd, b.data(), b.size(), 0);
    if (n < 0) ec = std::error_code(errno, std::generic_category());
    return n < 0 ? 0 : static_cast<std::size_t>(n);
  }
  std::size_t write_some(std::span<const std::byte> b, std::error_code& ec) {
    const ssize_t n = ::send(fd, b.data(), b.size(), MSG_NOSIGNAL);
    if (n < 0) ec = std::error_code(errno, std::generic_category());
    return n < 0 ? 0 : static_cast<std::size_t>(n);
  }
  std::chrono::milliseconds timeout() const { throw std::runtime_error("no timeout configured"); }
};
static_assert(sslpp::byte_stream<throwing_timeout_stream>);

// A byte stream that throws std::bad_alloc from its first read.
struct bad_alloc_stream {
  std::size_t read_some(std::span<std::byte>, std::error_code&) { throw std::bad_alloc(); }
  std::size_t write_some(std::span<const std::byte> b, std::error_code&) { return b.size(); }
};
}  // namespace

// A timeout() that may throw is not taken as a time limit (has_timeout requires noexcept),
// so sslpp never calls it inside its noexcept code.
static_assert(!sslpp::detail::has_timeout<throwing_timeout_stream>);
TEST_CASE("review: a byte stream whose timeout() throws does not end the program", "[attack][review][byte_stream]") {
  int sv[2];
  REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::signal(SIGABRT, SIG_DFL);  // not Catch's handler: the parent reports
    ::close(sv[1]);  // the parent's end only: its close is the end of the stream
    try {
      auto ctx = test::client_context_trusting_root();
      auto tls = ctx.wrap_socket(throwing_timeout_stream{sv[0]}, "localhost", {.do_handshake_on_connect = false});
      std::error_code ec;
      tls.do_handshake(ec);
      ::_exit(0);
    } catch (...) {
      ::_exit(1);  // the exception came back: what the byte_stream contract promises for read_some
    }
  }
  ::close(sv[0]);
  ::close(sv[1]);  // the child's handshake then reads the end of the stream
  int st = 0;
  ::waitpid(pid, &st, 0);
  INFO("child " << (WIFSIGNALED(st) ? "killed by signal " + std::to_string(WTERMSIG(st))
                                    : "exited " + std::to_string(WEXITSTATUS(st))));
  CHECK_FALSE(WIFSIGNALED(st));
}

TEST_CASE("review: std::bad_alloc from a byte stream comes back from the throwing overloads",
          "[attack][review][byte_stream]") {
  auto ctx = test::client_context_trusting_root();
  auto tls = ctx.wrap_socket(bad_alloc_stream{}, "localhost", {.do_handshake_on_connect = false});
  CHECK_THROWS_AS(tls.do_handshake(), std::bad_alloc);
  auto again = ctx.wrap_socket(bad_alloc_stream{}, "localhost", {.do_handshake_on_connect = false});
  std::error_code ec;
  again.do_handshake(ec);
  CHECK(ec == std::errc::io_error);
}
