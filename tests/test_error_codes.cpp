// The std::error_code overloads (API.md §5): for each, a failing input — a missing file,
// garbage PEM or DER, a wrong password, a mismatched key, a bad certificate from a loopback
// server, a refused connection — reports the code the throwing form's exception carries and
// throws nothing; a good input works and clears `ec`; and the context is unchanged after a
// failed load.
#include "support.hpp"

// The backend's own calls and sslpp's handles of them (detail::up_ref), which this test uses
// (the compiled mode's headers do not bring BoringSSL's in).
#include <sslpp/detail/backend.hpp>

#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <new>
#include <optional>

namespace {

const std::string garbage_pem = "-----BEGIN CERTIFICATE-----\nnot base64 at all!\n-----END CERTIFICATE-----\n";
const std::vector<std::byte> garbage_der{std::byte{0x30}, std::byte{0x82}, std::byte{0x01}, std::byte{0xff},
                                         std::byte{0x02}, std::byte{0x01}};

// A code that is set and not a success: `ec` starts as something else, so a stale value is seen.
std::error_code dirty() { return std::make_error_code(std::errc::interrupted); }

// The code the throwing form throws for the same input.
template <class F>
std::error_code thrown_code(F&& f) {
  try {
    f();
  } catch (const std::system_error& e) {
    return e.code();
  }
  FAIL("the throwing form did not throw");
  return {};
}

// A temporary file holding `text`, removed at the end of the scope.
struct temp_file {
  std::string path;
  explicit temp_file(const std::string& text, const char* suffix = ".pem") {
    static int n = 0;
    path = "/tmp/sslpp-test-error-codes-" + std::to_string(::getpid()) + "-" + std::to_string(n++) + suffix;
    std::FILE* f = std::fopen(path.c_str(), "wb");
    REQUIRE(f);
    std::fwrite(text.data(), 1, text.size(), f);
    std::fclose(f);
  }
  ~temp_file() { std::remove(path.c_str()); }
};

// A server on loopback presenting `fullchain`/`key`; its handshake may fail (the client refuses it).
test::server_thread tls_server(const std::string& fullchain = "fullchain-ecdsa.pem",
                               const std::string& key = "leaf-ecdsa.key") {
  return test::server_thread([fullchain, key](sslpp::tcp_socket sock) {
    auto ctx = test::server_context_with(fullchain, key);
    std::error_code ec;
    auto tls = ctx.wrap_socket(std::move(sock), ec);
    if (tls) {
      const std::string msg = tls->read(100, ec);
      tls->sendall(msg, ec);
      tls->shutdown(ec);
    }
  });
}

// The leaf certificate a server context presents (null when none).
X509* presented(const sslpp::server_context& ctx) { return SSL_CTX_get0_certificate(ctx.native_handle()); }

}  // namespace

TEST_CASE("certificate from_pem and from_der with error_code", "[error-codes][certificate]") {
  const std::string pem = test::read_text(test::pki("leaf-ecdsa.pem"));
  std::error_code ec = dirty();
  std::optional<sslpp::certificate> cert;
  REQUIRE_NOTHROW(cert = sslpp::certificate::from_pem(pem, ec));
  CHECK_FALSE(ec);
  REQUIRE(cert);
  CHECK(cert->subject().get("commonName") == "localhost");

  REQUIRE_NOTHROW(cert = sslpp::certificate::from_pem(garbage_pem, ec));
  CHECK_FALSE(cert);
  CHECK(ec);
  CHECK(ec == thrown_code([&] { sslpp::certificate::from_pem(garbage_pem); }));
  REQUIRE_NOTHROW(cert = sslpp::certificate::from_pem("no PEM here", ec));
  CHECK_FALSE(cert);
  CHECK(ec == sslpp::ssl_errc::ssl);

  const auto der = sslpp::certificate::from_pem(pem).to_der();
  REQUIRE_NOTHROW(cert = sslpp::certificate::from_der(der, ec));
  CHECK_FALSE(ec);
  REQUIRE(cert);
  CHECK(cert->to_der() == der);
  REQUIRE_NOTHROW(cert = sslpp::certificate::from_der(garbage_der, ec));
  CHECK_FALSE(cert);
  CHECK(ec.category() == sslpp::boringssl_category());
  CHECK(ec == thrown_code([&] { sslpp::certificate::from_der(garbage_der); }));
}

TEST_CASE("certificate load and load_all with error_code", "[error-codes][certificate]") {
  std::error_code ec = dirty();
  std::optional<sslpp::certificate> cert;
  REQUIRE_NOTHROW(cert = sslpp::certificate::load(test::pki("no-such-file.pem"), ec));
  CHECK_FALSE(cert);
  CHECK(ec == std::errc::no_such_file_or_directory);
  CHECK(ec.category() == std::generic_category());

  temp_file bad(garbage_pem);
  REQUIRE_NOTHROW(cert = sslpp::certificate::load(bad.path, ec));
  CHECK_FALSE(cert);
  CHECK(ec);
  CHECK(ec != std::errc::no_such_file_or_directory);

  REQUIRE_NOTHROW(cert = sslpp::certificate::load(test::pki("ca.pem"), ec));
  CHECK_FALSE(ec);
  REQUIRE(cert);
  CHECK(cert->subject().get("commonName") == "sslpp Test Root CA");

  std::vector<sslpp::certificate> all;
  ec = dirty();
  REQUIRE_NOTHROW(all = sslpp::certificate::load_all(test::pki("no-such-file.pem"), ec));
  CHECK(all.empty());
  CHECK(ec == std::errc::no_such_file_or_directory);
  REQUIRE_NOTHROW(all = sslpp::certificate::load_all(bad.path, ec));
  CHECK(all.empty());
  CHECK(ec);
  REQUIRE_NOTHROW(all = sslpp::certificate::load_all(test::pki("fullchain-ecdsa.pem"), ec));
  CHECK_FALSE(ec);
  CHECK(all.size() == 2);
}

TEST_CASE("der_cert_to_pem_cert and pem_cert_to_der_cert with error_code", "[error-codes][certificate]") {
  const std::string pem = test::read_text(test::pki("leaf-ecdsa.pem"));
  std::error_code ec = dirty();
  std::vector<std::byte> der;
  REQUIRE_NOTHROW(der = sslpp::pem_cert_to_der_cert(pem, ec));
  CHECK_FALSE(ec);
  CHECK(der == sslpp::certificate::from_pem(pem).to_der());
  REQUIRE_NOTHROW(der = sslpp::pem_cert_to_der_cert(garbage_pem, ec));
  CHECK(der.empty());
  CHECK(ec == thrown_code([&] { sslpp::pem_cert_to_der_cert(garbage_pem); }));

  std::string text = "stale";
  ec = dirty();
  REQUIRE_NOTHROW(text = sslpp::der_cert_to_pem_cert(sslpp::pem_cert_to_der_cert(pem), ec));
  CHECK_FALSE(ec);
  CHECK(text == sslpp::certificate::from_pem(pem).to_pem());
  REQUIRE_NOTHROW(text = sslpp::der_cert_to_pem_cert(garbage_der, ec));
  CHECK(text.empty());
  CHECK(ec.category() == sslpp::boringssl_category());
}

TEST_CASE("cert_time_to_seconds with error_code", "[error-codes][certificate]") {
  std::error_code ec = dirty();
  std::optional<std::chrono::sys_seconds> t;
  REQUIRE_NOTHROW(t = sslpp::cert_time_to_seconds("Jan  5 09:34:43 2018 GMT", ec));
  CHECK_FALSE(ec);
  REQUIRE(t);
  CHECK(t->time_since_epoch().count() == 1515144883);  // Python: ssl.cert_time_to_seconds(...)
  for (const char* bad : {"", "Jan  5 09:34:43 2018", "Foo  5 09:34:43 2018 GMT", "Jan 32 09:34:43 2018 GMT",
                          "Jan  5 24:00:00 2018 GMT", "Jan  5 09:34 2018 GMT"}) {
    INFO(bad);
    ec.clear();
    REQUIRE_NOTHROW(t = sslpp::cert_time_to_seconds(bad, ec));
    CHECK_FALSE(t);
    CHECK(ec == std::errc::invalid_argument);
    CHECK_THROWS_AS(sslpp::cert_time_to_seconds(bad), std::invalid_argument);
  }
  // The throwing form keeps its two messages.
  CHECK_THROWS_WITH(sslpp::cert_time_to_seconds("Jan 32 09:34:43 2018 GMT"), Catch::Contains("out of range"));
  CHECK_THROWS_WITH(sslpp::cert_time_to_seconds("Jan  5 2018"), Catch::Contains("does not match format"));
}

TEST_CASE("load_verify_locations with error_code leaves the store unchanged on failure", "[error-codes][context]") {
  auto ctx = sslpp::context_for(sslpp::protocol::tls_client);
  std::error_code ec = dirty();
  REQUIRE_NOTHROW(ctx.load_verify_locations(test::pki("no-such-ca.pem"), ec));
  CHECK(ec == std::errc::no_such_file_or_directory);
  CHECK(ec == thrown_code([&] { ctx.load_verify_locations(test::pki("no-such-ca.pem")); }));
  CHECK(ctx.cert_store_stats().x509 == 0);

  temp_file bad(test::read_text(test::pki("ca.pem")) + garbage_pem);  // a good CA, then garbage
  REQUIRE_NOTHROW(ctx.load_verify_locations(bad.path, ec));
  CHECK(ec);
  CHECK(ctx.cert_store_stats().x509 == 0);

  // trust{}: a good CA file with a missing directory adds nothing.
  REQUIRE_NOTHROW(ctx.load_verify_locations(sslpp::trust{.cafile = test::pki("ca.pem"), .capath = "/no/such/dir"}, ec));
  CHECK(ec == std::errc::no_such_file_or_directory);
  CHECK(ctx.cert_store_stats().x509 == 0);
  REQUIRE_NOTHROW(ctx.load_verify_locations(sslpp::trust{.cafile = test::pki("ca.pem"), .cadata = garbage_pem}, ec));
  CHECK(ec);
  CHECK(ctx.cert_store_stats().x509 == 0);

  REQUIRE_NOTHROW(ctx.load_verify_locations(test::pki("ca.pem"), ec));
  CHECK_FALSE(ec);
  CHECK(ctx.cert_store_stats().x509 == 1);
  ec = dirty();
  REQUIRE_NOTHROW(ctx.load_verify_locations(sslpp::trust{.cadata = test::read_text(test::pki("other-ca.pem"))}, ec));
  CHECK_FALSE(ec);
  CHECK(ctx.cert_store_stats().x509 == 2);
}

TEST_CASE("load_default_certs with error_code reports a bad system bundle", "[error-codes][context]") {
  const char* old = std::getenv("SSL_CERT_FILE");
  const std::string saved = old ? old : "";
  temp_file bad(garbage_pem);
  ::setenv("SSL_CERT_FILE", bad.path.c_str(), 1);
  auto ctx = sslpp::context_for(sslpp::protocol::tls_client);
  std::error_code ec = dirty();
  REQUIRE_NOTHROW(ctx.load_default_certs(ec));
  CHECK(ec);
  ::setenv("SSL_CERT_FILE", test::pki("ca.pem").c_str(), 1);
  REQUIRE_NOTHROW(ctx.set_default_verify_paths(ec));
  CHECK_FALSE(ec);
  CHECK(ctx.cert_store_stats().x509 == 1);
  if (old) ::setenv("SSL_CERT_FILE", saved.c_str(), 1);
  else ::unsetenv("SSL_CERT_FILE");
}

TEST_CASE("load_cert_chain with error_code keeps the old credentials on failure", "[error-codes][context]") {
  auto ctx = sslpp::context_for(sslpp::protocol::tls_server);
  std::error_code ec = dirty();

  REQUIRE_NOTHROW(ctx.load_cert_chain(test::pki("no-such-chain.pem"), ec));
  CHECK(ec == std::errc::no_such_file_or_directory);
  REQUIRE_NOTHROW(ctx.load_cert_chain(test::pki("fullchain-ecdsa.pem"), test::pki("no-such.key"), ec));
  CHECK(ec == std::errc::no_such_file_or_directory);

  // Wrong password, and no password for an encrypted key: the code the exception carries.
  REQUIRE_NOTHROW(ctx.load_cert_chain(test::pki("fullchain-ecdsa.pem"), test::pki("leaf-encrypted.key"), "wrong", ec));
  CHECK(ec);
  CHECK(ec == thrown_code([&] {
          ctx.load_cert_chain(test::pki("fullchain-ecdsa.pem"), test::pki("leaf-encrypted.key"), "wrong");
        }));
  REQUIRE_NOTHROW(ctx.load_cert_chain(test::pki("fullchain-ecdsa.pem"), test::pki("leaf-encrypted.key"), ec));
  CHECK(ec == sslpp::ssl_errc::ssl);
  CHECK(presented(ctx) == nullptr);

  REQUIRE_NOTHROW(ctx.load_cert_chain(test::pki("fullchain-ecdsa.pem"), test::pki("leaf-encrypted.key"), "s3cret", ec));
  CHECK_FALSE(ec);
  const auto good = sslpp::certificate::load(test::pki("leaf-ecdsa.pem"));
  REQUIRE(presented(ctx) != nullptr);
  CHECK(sslpp::detail::certificate_access::make(sslpp::detail::up_ref(presented(ctx))) == good);

  // A key of another certificate: refused, and the context still presents the good pair.
  REQUIRE_NOTHROW(ctx.load_cert_chain(test::pki("fullchain-rsa.pem"), test::pki("leaf-ecdsa.key"), ec));
  CHECK(ec);
  CHECK(ec == thrown_code([&] {
          auto other = sslpp::context_for(sslpp::protocol::tls_server);
          other.load_cert_chain(test::pki("fullchain-rsa.pem"), test::pki("leaf-ecdsa.key"));
        }));
  CHECK(sslpp::detail::certificate_access::make(sslpp::detail::up_ref(presented(ctx))) == good);
  // ... and it still serves with them.
  auto server = test::server_thread([ctx](sslpp::tcp_socket sock) {
    auto tls = ctx.wrap_socket(std::move(sock));
    tls.sendall(tls.read(100));
  });
  auto client = test::client_context_trusting_root();
  auto tls = client.wrap_socket(sslpp::tcp_socket::connect("127.0.0.1", server.port()), "localhost");
  tls.sendall("ping");
  CHECK(tls.read(100) == "ping");
  server.join();
}

TEST_CASE("load_cert_chain_pem with error_code", "[error-codes][context]") {
  auto ctx = sslpp::context_for(sslpp::protocol::tls_server);
  const std::string chain = test::read_text(test::pki("fullchain-ecdsa.pem"));
  const std::string key = test::read_text(test::pki("leaf-ecdsa.key"));
  std::error_code ec = dirty();
  REQUIRE_NOTHROW(ctx.load_cert_chain_pem(garbage_pem, key, ec));
  CHECK(ec);
  REQUIRE_NOTHROW(ctx.load_cert_chain_pem(chain, "not a key", ec));
  CHECK(ec);
  REQUIRE_NOTHROW(ctx.load_cert_chain_pem(chain, test::read_text(test::pki("leaf-encrypted.key")), "wrong", ec));
  CHECK(ec);
  CHECK(presented(ctx) == nullptr);
  REQUIRE_NOTHROW(ctx.load_cert_chain_pem(chain + key, ec));
  CHECK_FALSE(ec);
  CHECK(presented(ctx) != nullptr);
}

TEST_CASE("error_code overloads let std::bad_alloc through", "[error-codes][context]") {
  auto ctx = sslpp::context_for(sslpp::protocol::tls_server);
  std::error_code ec;
  const sslpp::password pw([]() -> std::string { throw std::bad_alloc(); });
  CHECK_THROWS_AS(ctx.load_cert_chain(test::pki("fullchain-ecdsa.pem"), test::pki("leaf-encrypted.key"), pw, ec),
                  std::bad_alloc);
}

TEST_CASE("set_keylog_filename with error_code", "[error-codes][context]") {
  auto ctx = sslpp::context_for(sslpp::protocol::tls_client);
  std::error_code ec = dirty();
  REQUIRE_NOTHROW(ctx.set_keylog_filename("/no/such/dir/keys.log", ec));
  CHECK(ec == std::errc::no_such_file_or_directory);
  CHECK(ctx.keylog_filename().empty());
  const std::string path = "/tmp/sslpp-test-error-codes-" + std::to_string(::getpid()) + ".keylog";
  REQUIRE_NOTHROW(ctx.set_keylog_filename(path, ec));
  CHECK_FALSE(ec);
  CHECK(ctx.keylog_filename() == path);
  REQUIRE_NOTHROW(ctx.set_keylog_filename("/no/such/dir/keys.log", ec));
  CHECK(ec == std::errc::no_such_file_or_directory);
  CHECK(ctx.keylog_filename() == path);  // still logging where it was
  ctx.set_keylog_filename("");
  std::remove(path.c_str());
}

TEST_CASE("wrap_socket with error_code reports a bad certificate without throwing", "[error-codes][stream]") {
  auto ctx = test::client_context_trusting_root();
  std::error_code ec = dirty();
  SECTION("expired") {
    auto server = tls_server("fullchain-expired.pem", "expired.key");
    std::optional<sslpp::stream<sslpp::tcp_socket>> tls;
    REQUIRE_NOTHROW(tls = ctx.wrap_socket(sslpp::tcp_socket::connect("127.0.0.1", server.port()), "localhost", ec));
    CHECK_FALSE(tls);
    CHECK(ec == std::error_code(X509_V_ERR_CERT_HAS_EXPIRED, sslpp::verify_category()));
    CHECK_THAT(ec.message(), Catch::Contains("expired"));
    server.join();
  }
  SECTION("wrong host") {
    auto server = tls_server("fullchain-wronghost.pem", "wronghost.key");
    std::optional<sslpp::stream<sslpp::tcp_socket>> tls;
    REQUIRE_NOTHROW(tls = ctx.wrap_socket(sslpp::tcp_socket::connect("127.0.0.1", server.port()), "localhost",
                                          sslpp::wrap_options{}, ec));
    CHECK_FALSE(tls);
    CHECK(ec == std::error_code(X509_V_ERR_HOSTNAME_MISMATCH, sslpp::verify_category()));
    server.join();
  }
  SECTION("good") {
    auto server = tls_server();
    std::optional<sslpp::stream<sslpp::tcp_socket>> tls;
    REQUIRE_NOTHROW(tls = ctx.wrap_socket(sslpp::tcp_socket::connect("127.0.0.1", server.port()), "localhost", ec));
    CHECK_FALSE(ec);
    REQUIRE(tls);
    tls->sendall("over error_code");
    CHECK(tls->read(100) == "over error_code");
    server.join();
  }
  SECTION("no handshake on connect") {
    auto server = tls_server();
    auto tls = ctx.wrap_socket(sslpp::tcp_socket::connect("127.0.0.1", server.port()), "localhost",
                               {.do_handshake_on_connect = false}, ec);
    CHECK_FALSE(ec);
    REQUIRE(tls);
    CHECK_FALSE(tls->version());
    tls->do_handshake(ec);
    CHECK_FALSE(ec);
    tls->sendall("late", ec);
    CHECK(tls->read(100, ec) == "late");
    server.join();
  }
}

TEST_CASE("wrap_socket with error_code as the server and on misuse", "[error-codes][stream]") {
  std::error_code ec = dirty();
  SECTION("a client that speaks no TLS") {
    auto server_ctx = test::server_context_with();
    auto listener = sslpp::tcp_listener::listen("127.0.0.1", 0);
    std::thread client([port = listener.port()] {
      auto sock = sslpp::tcp_socket::connect("127.0.0.1", port);
      const std::string http = "GET / HTTP/1.0\r\n\r\n";
      std::error_code wec;
      sock.write_some(std::as_bytes(std::span(http.data(), http.size())), wec);
      std::byte b[64];
      sock.read_some(b, wec);  // until the server closes
    });
    std::optional<sslpp::stream<sslpp::tcp_socket>> tls;
    REQUIRE_NOTHROW(tls = server_ctx.wrap_socket(listener.accept(std::chrono::seconds(10)), ec));
    client.join();
    CHECK_FALSE(tls);
    CHECK(ec);
    CHECK(ec.category() == sslpp::boringssl_category());
  }
  SECTION("no_hostname while check_hostname is on") {
    auto listener = sslpp::tcp_listener::listen("127.0.0.1", 0);
    auto ctx = test::client_context_trusting_root();
    std::optional<sslpp::stream<sslpp::tcp_socket>> tls;
    REQUIRE_NOTHROW(tls = ctx.wrap_socket(sslpp::tcp_socket::connect("127.0.0.1", listener.port()),
                                          sslpp::no_hostname, ec));
    CHECK_FALSE(tls);
    CHECK(ec == std::errc::invalid_argument);
  }
  SECTION("a non-blocking socket with do_handshake_on_connect") {
    auto listener = sslpp::tcp_listener::listen("127.0.0.1", 0);
    auto sock = sslpp::tcp_socket::connect("127.0.0.1", listener.port());
    sock.set_blocking(false);
    auto ctx = test::client_context_trusting_root();
    std::optional<sslpp::stream<sslpp::tcp_socket>> tls;
    REQUIRE_NOTHROW(tls = ctx.wrap_socket(std::move(sock), "localhost", ec));
    CHECK_FALSE(tls);
    CHECK(ec == std::errc::invalid_argument);
  }
}

TEST_CASE("wrap_bio with error_code", "[error-codes][sans-io]") {
  sslpp::memory_bio in, out;
  std::error_code ec = dirty();
  auto ctx = test::client_context_trusting_root();
  std::optional<sslpp::ssl_object> obj;
  REQUIRE_NOTHROW(obj = ctx.wrap_bio(in, out, sslpp::no_hostname, ec));
  CHECK_FALSE(obj);
  CHECK(ec == std::errc::invalid_argument);

  REQUIRE_NOTHROW(obj = ctx.wrap_bio(in, out, "localhost", ec));
  CHECK_FALSE(ec);
  REQUIRE(obj);
  obj->do_handshake(ec);
  CHECK(ec == sslpp::ssl_errc::want_read);
  CHECK(out.pending() > 0);  // the ClientHello

  // The server side refuses a peer that sends no TLS, in do_handshake(ec).
  sslpp::memory_bio sin, sout;
  auto server_ctx = test::server_context_with();
  auto server = server_ctx.wrap_bio(sin, sout, sslpp::wrap_options{}, ec);
  CHECK_FALSE(ec);
  REQUIRE(server);
  sin.write("GET / HTTP/1.0\r\n\r\n");
  server->do_handshake(ec);
  CHECK(ec);
  CHECK(ec.category() == sslpp::boringssl_category());
}

TEST_CASE("get_server_certificate with error_code", "[error-codes][functions]") {
  std::error_code ec = dirty();
  std::string pem = "stale";
  SECTION("refused connection") {
    const test::closed_port refusing;
    REQUIRE_NOTHROW(pem = sslpp::get_server_certificate("127.0.0.1", refusing.port(), ec));
    CHECK(pem.empty());
    CHECK(ec == std::errc::connection_refused);
  }
  SECTION("a certificate that does not verify against ca_certs") {
    auto server = tls_server();
    REQUIRE_NOTHROW(pem = sslpp::get_server_certificate(
                        "127.0.0.1", server.port(), {.ca_certs = test::pki("other-ca.pem")}, ec));
    CHECK(pem.empty());
    CHECK(ec.category() == sslpp::verify_category());
    CHECK(ec == std::error_code(X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, sslpp::verify_category()));
    server.join();
  }
  SECTION("a missing ca_certs file") {
    REQUIRE_NOTHROW(pem = sslpp::get_server_certificate("127.0.0.1", 1, {.ca_certs = "/no/such/ca.pem"}, ec));
    CHECK(pem.empty());
    CHECK(ec == std::errc::no_such_file_or_directory);
  }
  SECTION("a host name runtime_hostname refuses") {
    REQUIRE_NOTHROW(pem = sslpp::get_server_certificate("bad..name", 443, ec));
    CHECK(pem.empty());
    CHECK(ec == std::errc::invalid_argument);
  }
  SECTION("good") {
    auto server = tls_server();
    REQUIRE_NOTHROW(pem = sslpp::get_server_certificate("127.0.0.1", server.port(),
                                                        {.ca_certs = test::pki("ca.pem"),
                                                         .timeout = std::chrono::seconds(10)},
                                                        ec));
    CHECK_FALSE(ec);
    CHECK(sslpp::certificate::from_pem(pem) == sslpp::certificate::load(test::pki("leaf-ecdsa.pem")));
    server.join();
  }
}

TEST_CASE("session from_bytes with error_code", "[error-codes][session]") {
  std::error_code ec = dirty();
  sslpp::session s;
  REQUIRE_NOTHROW(s = sslpp::session::from_bytes(garbage_der, ec));
  CHECK_FALSE(s);
  CHECK(ec);
  CHECK(ec == thrown_code([&] { sslpp::session::from_bytes(garbage_der); }));

  // A real session (TLS 1.3: its ticket arrives with the server's data).
  auto server = tls_server();
  auto ctx = test::client_context_trusting_root();
  auto tls = ctx.wrap_socket(sslpp::tcp_socket::connect("127.0.0.1", server.port()), "localhost");
  tls.sendall("x");
  CHECK(tls.read(10) == "x");
  server.join();
  REQUIRE(tls.session());
  const auto bytes = tls.session().to_bytes();
  REQUIRE_NOTHROW(s = sslpp::session::from_bytes(bytes, ec));
  CHECK_FALSE(ec);
  REQUIRE(s);
  CHECK(s.to_bytes() == bytes);
}
