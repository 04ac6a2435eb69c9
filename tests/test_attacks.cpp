// What an attacker tries against sslpp's trust decisions (README "What an attacker
// tries"): sessions offered to another host or by another context, client certificates
// trusted through the system store or skipped after an SNI switch, a context<side::any>
// demanding client certificates, address literals as SNI, dangling host names, moved-from
// objects, a key log leaking to child processes, and ticket counts. Each test failed on
// the code before its fix.
#include "features_support.hpp"

#include <fcntl.h>
#include <sys/stat.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <mutex>

namespace {

// A server that serves `n` connections with `ctx` (echoing one message) and ignores the
// ones that fail: a client refused before its handshake just closes the socket.
test::server_thread tolerant_echo_server(sslpp::server_context ctx, int n,
                                         std::function<void(sslpp::stream<sslpp::tcp_socket>&)> seen = {}) {
  return test::server_thread(
      [ctx, seen](sslpp::tcp_socket sock) {
        try {
          auto tls = ctx.wrap_socket(std::move(sock));
          if (seen) seen(tls);
          tls.sendall(tls.read(1024));
          tls.shutdown();
        } catch (const std::exception&) {
        }
      },
      n);
}

// A session from a full handshake to "localhost" (the test leaf names localhost and 127.0.0.1).
sslpp::session first_session(const sslpp::client_context& ctx, std::uint16_t port) {
  auto tls = feat::connect(ctx, port);
  feat::round_trip(tls);  // takes in the TLS 1.3 ticket
  REQUIRE(tls.session());
  return tls.session();
}

sslpp::tcp_socket dial(std::uint16_t port) {
  return sslpp::tcp_socket::connect("127.0.0.1", port, std::chrono::seconds(10));
}

// Connects and exchanges one message; "ok" or the error's text.
std::string outcome(const sslpp::client_context& ctx, std::uint16_t port, sslpp::hostname host = "localhost") {
  try {
    auto tls = feat::connect(ctx, port, host);
    tls.sendall("ping");
    const std::string reply = tls.read(100);
    return reply == "ping" ? "ok" : "reply '" + reply + "'";
  } catch (const std::exception& e) {
    return e.what();
  }
}

sslpp::client_context client_with(const std::string& cert, const std::string& key) {
  auto ctx = test::client_context_trusting_root();
  if (!cert.empty()) ctx.load_cert_chain(test::pki(cert), test::pki(key));
  return ctx;
}

}  // namespace

// --- sessions ---

TEST_CASE("a session made for one host name is not offered to another", "[attack][sessions]") {
  auto server = tolerant_echo_server(test::server_context_with(), 4);
  auto ctx = test::client_context_trusting_root();
  const sslpp::session s = first_session(ctx, server.port());
  CHECK(s.server_hostname() == "localhost");

  // The attack: the server holding localhost's certificate takes the ticket, so without
  // the check the client "resumes" bank.example with no certificate naming it.
  try {
    auto tls = ctx.wrap_socket(dial(server.port()), "bank.example", {.session = s});
    FAIL("the session for localhost was offered to bank.example (resumed: " << tls.session_reused() << ")");
  } catch (const std::invalid_argument& e) {
    CHECK_THAT(e.what(), Catch::Contains("'localhost'") && Catch::Contains("'bank.example'") &&
                             Catch::Contains("Session refers to a different server name"));
  }
  std::error_code ec;
  auto refused = ctx.wrap_socket(dial(server.port()), "bank.example", {.session = s}, ec);
  CHECK_FALSE(refused);
  CHECK(ec == std::errc::invalid_argument);

  // The same name, compared as the host name check compares, resumes.
  auto again = ctx.wrap_socket(dial(server.port()), "LocalHost.", {.session = s});
  feat::round_trip(again);
  CHECK(again.session_reused());
  server.join();
}

TEST_CASE("a sans-IO client refuses a session for another host name too", "[attack][sessions]") {
  auto server = tolerant_echo_server(test::server_context_with(), 1);
  auto ctx = test::client_context_trusting_root();
  const sslpp::session s = first_session(ctx, server.port());
  sslpp::memory_bio in, out;
  CHECK_THROWS_WITH(ctx.wrap_bio(in, out, "bank.example", {.session = s}),
                    Catch::Contains("'localhost'") && Catch::Contains("'bank.example'"));
  std::error_code ec;
  CHECK_FALSE(ctx.wrap_bio(in, out, "bank.example", {.session = s}, ec));
  CHECK(ec == std::errc::invalid_argument);
  CHECK_NOTHROW(ctx.wrap_bio(in, out, "localhost", {.session = s}));
  server.join();
}

TEST_CASE("a session from a context that verifies nothing is not offered by a strict one", "[attack][sessions]") {
  auto server = tolerant_echo_server(test::server_context_with(), 4);
  auto lax = sslpp::create_default_context(sslpp::purpose::server_auth, sslpp::trust{.cafile = test::pki("other-ca.pem")});
  lax.disable_verification();
  const sslpp::session s = first_session(lax, server.port());
  auto strict = sslpp::create_default_context(sslpp::purpose::server_auth,
                                              sslpp::trust{.cafile = test::pki("other-ca.pem")});
  try {
    auto tls = strict.wrap_socket(dial(server.port()), "localhost", {.session = s});
    FAIL("a session made without verification resumed under a strict context (resumed: " << tls.session_reused()
                                                                                          << ")");
  } catch (const std::invalid_argument& e) {
    CHECK_THAT(e.what(), Catch::Contains("Session refers to a different SSLContext") &&
                             Catch::Contains("cert_none, check_hostname off") &&
                             Catch::Contains("cert_required, check_hostname on"));
  }
  // Without the session the strict context does its own check, and refuses the server.
  CHECK_THAT(outcome(strict, server.port()), Catch::Contains("unable to get local issuer certificate"));
  // A copy of the context that made it shares it, and may offer it.
  const sslpp::client_context copy = lax;
  auto again = copy.wrap_socket(dial(server.port()), "localhost", {.session = s});
  feat::round_trip(again);
  CHECK(again.session_reused());
  server.join();
}

TEST_CASE("a session outlives the context that made it but is offered by no other", "[attack][sessions]") {
  auto server = tolerant_echo_server(test::server_context_with(), 1);
  sslpp::session s;
  {
    auto ctx = test::client_context_trusting_root();
    s = first_session(ctx, server.port());
  }
  auto fresh = test::client_context_trusting_root();
  sslpp::memory_bio in, out;
  CHECK_THROWS_WITH(fresh.wrap_bio(in, out, "localhost", {.session = s}),
                    Catch::Contains("a context that no longer exists"));
  server.join();
}

TEST_CASE("a session read back by from_bytes keeps its name and must verify under the new context",
          "[attack][sessions]") {
  auto server = tolerant_echo_server(test::server_context_with(), 4);
  const auto bytes = first_session(test::client_context_trusting_root(), server.port()).to_bytes();
  const auto loaded = sslpp::session::from_bytes(bytes);
  CHECK(loaded.server_hostname() == "localhost");

  // A context that would refuse the server's certificate does not resume its session.
  auto other_root = sslpp::create_default_context(sslpp::purpose::server_auth,
                                                  sslpp::trust{.cafile = test::pki("other-ca.pem")});
  CHECK_THROWS_WITH(other_root.wrap_socket(dial(server.port()), "localhost", {.session = loaded}),
                    Catch::Contains("does not accept") && Catch::Contains("unable to get local issuer certificate"));
  // Nor does any context for another name.
  auto same_root = test::client_context_trusting_root();
  CHECK_THROWS_WITH(same_root.wrap_socket(dial(server.port()), "bank.example", {.session = loaded}),
                    Catch::Contains("'bank.example'"));
  // A context that accepts the chain for that name resumes it (as in the next program run).
  auto again = same_root.wrap_socket(dial(server.port()), "localhost", {.session = loaded});
  feat::round_trip(again);
  CHECK(again.session_reused());
  server.join();
}

TEST_CASE("a server wrap given a session refuses it", "[attack][sessions]") {
  auto server = tolerant_echo_server(test::server_context_with(), 1);
  const auto s = first_session(test::client_context_trusting_root(), server.port());
  server.join();
  sslpp::memory_bio in, out;
  CHECK_THROWS_WITH(test::server_context_with().wrap_bio(in, out, {.session = s}),
                    Catch::Contains("wrap_options::session is for client connections"));
}

// --- client certificates ---

TEST_CASE("a default server context does not trust the system store for client certificates",
          "[attack][client_auth]") {
  // The "system store" holds the server-side root, which also issued client-wrongca.pem.
  ::setenv("SSL_CERT_FILE", test::pki("ca.pem").c_str(), 1);
  auto sctx = sslpp::create_default_context(sslpp::purpose::client_auth);
  ::unsetenv("SSL_CERT_FILE");
  CHECK(sctx.cert_store_stats().x509 == 0);  // as Python's: empty until told what to trust
  sctx.load_cert_chain(test::pki("fullchain-ecdsa.pem"), test::pki("leaf-ecdsa.key"));
  sctx.set_verify_mode(sslpp::verify_mode::cert_required);
  sctx.load_verify_locations(test::pki("client-ca.pem"));
  auto server = tolerant_echo_server(sctx, 2);
  CHECK_THAT(outcome(client_with("client-wrongca.pem", "client-wrongca.key"), server.port()),
             !Catch::Equals("ok"));
  CHECK(outcome(client_with("client.pem", "client.key"), server.port()) == "ok");
  server.join();
}

TEST_CASE("an SNI switch applies the other context's client-certificate requirement", "[attack][sni][client_auth]") {
  // `strict` serves the name "localhost" and requires certificates from client-ca; the
  // default context serves clients that send no name (they connect to 127.0.0.1).
  auto strict = test::server_context_with("fullchain-rsa.pem", "leaf-rsa.key");
  strict.load_verify_locations(test::pki("client-ca.pem"));
  strict.set_verify_mode(sslpp::verify_mode::cert_required);
  auto sctx = test::server_context_with();
  sctx.set_sni_callback([strict](sslpp::sni_request& r) {
    if (r.server_name() == "localhost") r.use_context(strict);
  });
  std::mutex m;
  std::vector<std::string> seen;
  auto server = tolerant_echo_server(sctx, 4, [&](auto& tls) {
    std::lock_guard<std::mutex> lock(m);
    seen.push_back(tls.getpeercert() ? tls.getpeercert()->subject().rfc4514() : "none");
  });
  // The attack: no certificate, naming the site that requires one.
  CHECK_THAT(outcome(client_with("", ""), server.port(), "localhost"), !Catch::Equals("ok"));
  // A certificate from a CA the other context does not trust.
  CHECK_THAT(outcome(client_with("client-wrongca.pem", "client-wrongca.key"), server.port(), "localhost"),
             !Catch::Equals("ok"));
  // The accepted client, and a client of the default context without a certificate.
  CHECK(outcome(client_with("client.pem", "client.key"), server.port(), "localhost") == "ok");
  CHECK(outcome(client_with("", ""), server.port(), "127.0.0.1") == "ok");
  server.join();
  CHECK(seen == std::vector<std::string>{"O=sslpp tests,CN=sslpp test client", "none"});
}

TEST_CASE("openssl s_client without a certificate is refused after an SNI switch", "[attack][sni][openssl]") {
  auto strict = test::server_context_with();
  strict.load_verify_locations(test::pki("client-ca.pem"));
  strict.set_verify_mode(sslpp::verify_mode::cert_required);
  auto sctx = test::server_context_with();
  sctx.set_sni_callback([strict](sslpp::sni_request& r) {
    if (r.server_name() == "localhost") r.use_context(strict);
  });
  std::string message;
  auto server = feat::failing_server(sctx, message);
  test::child client({"openssl", "s_client", "-connect", "127.0.0.1:" + std::to_string(server.port()), "-servername",
                      "localhost", "-CAfile", test::pki("ca.pem")});
  client.write_stdin("ping\n");
  server.join();
  CHECK_THAT(message, Catch::Contains("PEER_DID_NOT_RETURN_A_CERTIFICATE") ||
                          Catch::Contains("peer did not return a certificate"));
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
TEST_CASE("a context<side::any> serves without demanding client certificates unless told to",
          "[attack][client_auth]") {
  auto any = sslpp::context_for(sslpp::protocol::tls);
  any.load_cert_chain(test::pki("fullchain-ecdsa.pem"), test::pki("leaf-ecdsa.key"));
  CHECK(any.verify_mode() == sslpp::verify_mode::cert_required);  // the client's default
  const auto serve = [&](int n) {
    return test::server_thread(
        [any](sslpp::tcp_socket sock) {
          try {
            auto tls = any.wrap_socket(std::move(sock), sslpp::server_side);
            tls.sendall(tls.read(100));
          } catch (const std::exception&) {
          }
        },
        n);
  };
  {
    auto server = serve(1);
    CHECK(outcome(client_with("", ""), server.port()) == "ok");  // as Python's PROTOCOL_TLS server: CERT_NONE
    server.join();
  }
  any.set_verify_mode(sslpp::client_verify_mode(sslpp::verify_mode::cert_required));
  auto server = serve(1);
  CHECK_THAT(outcome(client_with("", ""), server.port()), !Catch::Equals("ok"));
  server.join();
}
#pragma GCC diagnostic pop

// --- host names ---

TEST_CASE("an address with a trailing dot is refused, never sent as SNI", "[attack][hostname]") {
  CHECK(sslpp::detail::host_fault("127.0.0.1.") == sslpp::hostname_fault::address_with_trailing_dot);
  CHECK_THROWS_WITH(sslpp::runtime_hostname("127.0.0.1."), Catch::Contains("IP address with a trailing dot"));
  CHECK_FALSE(sslpp::certificate::load(test::pki("leaf-ecdsa.pem")).matches_hostname("127.0.0.1."));
  // The address itself sends no SNI.
  auto sctx = test::server_context_with();
  std::optional<std::string> asked = std::string("callback not called");
  sctx.set_sni_callback([&](sslpp::sni_request& r) {
    asked = r.server_name() ? std::optional<std::string>(*r.server_name()) : std::nullopt;
  });
  auto server = tolerant_echo_server(sctx, 1);
  CHECK(outcome(test::client_context_trusting_root(), server.port(), "127.0.0.1") == "ok");
  server.join();
  CHECK_FALSE(asked.has_value());
}

TEST_CASE("a run-time host name owns its text", "[attack][hostname]") {
  const auto make = [] {
    std::string name = "a-name-longer-than-the-small-string-buffer.example";
    return sslpp::runtime_hostname(name);
  };
  const sslpp::hostname h = make();
  std::string reuse(51, 'X');  // likely to take the freed buffer's place
  CHECK(h.name() == "a-name-longer-than-the-small-string-buffer.example");
  CHECK(reuse.size() == 51);
  // And through a real handshake: the name checked is the one given.
  auto server = tolerant_echo_server(test::server_context_with(), 1);
  const sslpp::hostname local = [] { return sslpp::runtime_hostname(std::string("localhost")); }();
  CHECK(outcome(test::client_context_trusting_root(), server.port(), local) == "ok");
  server.join();
}

// --- moved-from objects ---

TEST_CASE("a moved-from certificate or context throws instead of crashing", "[attack][moved]") {
  auto cert = sslpp::certificate::load(test::pki("leaf-ecdsa.pem"));
  auto taken = std::move(cert);
  CHECK(taken.subject().rfc4514().find("localhost") != std::string::npos);
  CHECK_THROWS_AS(cert.subject(), std::logic_error);             // NOLINT(bugprone-use-after-move)
  CHECK_THROWS_WITH(cert.to_pem(), Catch::Contains("moved from"));  // NOLINT(bugprone-use-after-move)
  CHECK_THROWS_AS(cert.matches_hostname("localhost"), std::logic_error);
  CHECK(cert.native_handle() == nullptr);

  auto ctx = test::client_context_trusting_root();
  auto kept = std::move(ctx);
  CHECK(kept.check_hostname());
  CHECK_THROWS_WITH(ctx.verify_mode(), Catch::Contains("moved from"));  // NOLINT(bugprone-use-after-move)
  CHECK_THROWS_AS(ctx.set_ciphers("ECDHE-ECDSA-AES128-GCM-SHA256"), std::logic_error);
  sslpp::memory_bio in, out;
  CHECK_THROWS_AS(ctx.wrap_bio(in, out, "localhost"), std::logic_error);
  CHECK(ctx.native_handle() == nullptr);

  // An SNI callback handed a moved-from context fails that handshake, not the process.
  auto sctx = test::server_context_with();
  auto gone = test::server_context_with();
  auto holder = std::move(gone);
  sctx.set_sni_callback([&gone](sslpp::sni_request& r) { r.use_context(gone); });  // NOLINT(bugprone-use-after-move)
  auto server = tolerant_echo_server(sctx, 1);
  CHECK_THAT(outcome(test::client_context_trusting_root(), server.port()), !Catch::Equals("ok"));
  server.join();
}

// --- key log ---

TEST_CASE("the key log file is private and not inherited by child processes", "[attack][keylog]") {
  const std::string path = SSLPP_BINARY_DIR "/attack-keylog-" + std::to_string(::getpid()) + ".txt";
  std::remove(path.c_str());
  const mode_t old_mask = ::umask(022);
  auto ctx = test::client_context_trusting_root();
  ctx.set_keylog_filename(path);
  ::umask(old_mask);
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  bool found = false;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
    std::error_code ec;
    const auto target = std::filesystem::read_symlink(entry.path(), ec);
    if (ec || target != std::filesystem::path(path)) continue;
    found = true;
    const int fd = std::stoi(entry.path().filename().string());
    CHECK((::fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0);
  }
  CHECK(found);
  ctx.set_keylog_filename("");
  std::remove(path.c_str());
}

// --- environment ---

TEST_CASE("env probe: prints the trust store found", "[.][env-probe]") {
  std::printf("CAFILE=%s\n", sslpp::get_default_verify_paths().cafile.c_str());
  SUCCEED();
}

TEST_CASE("a set-group-ID program ignores SSL_CERT_FILE", "[attack][environment]") {
  if (::geteuid() != 0) {
    WARN("not root: cannot make a set-group-ID copy of this program; skipped");
    return;
  }
  const std::string copy = SSLPP_BINARY_DIR "/attack-setgid-probe-" + std::to_string(::getpid());
  std::filesystem::copy_file("/proc/self/exe", copy, std::filesystem::copy_options::overwrite_existing);
  REQUIRE(::chown(copy.c_str(), 0, 65534) == 0);  // group nogroup
  REQUIRE(::chmod(copy.c_str(), 02755) == 0);
  const std::string planted = test::pki("other-ca.pem");
  ::setenv("SSL_CERT_FILE", planted.c_str(), 1);
  std::string plain_output, setgid_output;
  {
    // The same probe without the set-group-ID bit uses the variable.
    test::child plain({"/proc/self/exe", "[env-probe]"});
    CHECK(plain.wait() == 0);
    plain_output = plain.output();
  }
  {
    // Its exit status is not checked: a sanitizer's leak checker cannot trace a
    // set-group-ID process and fails it at exit, after the probe printed its answer.
    test::child probe({copy, "[env-probe]"});
    probe.wait();
    setgid_output = probe.output();
  }
  ::unsetenv("SSL_CERT_FILE");
  std::remove(copy.c_str());
  CHECK_THAT(plain_output, Catch::Contains("CAFILE=" + planted));
  // Only if the kernel ran the copy with AT_SECURE (a nosuid mount would not).
  if (setgid_output.find("CAFILE=") != std::string::npos) {
    CHECK_THAT(setgid_output, !Catch::Contains("CAFILE=" + planted));
  } else {
    WARN("the set-group-ID copy did not run: " << setgid_output);
  }
}

// --- tickets ---

namespace {
std::atomic<int> tickets_received{0};
int count_ticket(SSL*, SSL_SESSION*) {
  ++tickets_received;
  return 0;
}
}  // namespace

TEST_CASE("num_tickets reports what the server sends", "[attack][sessions]") {
  auto sctx = test::server_context_with();
  sctx.set_num_tickets(100);
  CHECK(sctx.num_tickets() < 100);
  auto server = tolerant_echo_server(sctx, 1);
  auto cctx = test::client_context_trusting_root();
  SSL_CTX_sess_set_new_cb(cctx.native_handle(), count_ticket);
  {
    auto tls = feat::connect(cctx, server.port());
    feat::round_trip(tls);
    CHECK(tls.read(100).empty());  // the server's close_notify: every ticket came before it
  }
  server.join();
  CHECK(static_cast<std::size_t>(tickets_received.load()) == sctx.num_tickets());
}
