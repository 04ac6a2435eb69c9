// Context defaults and settings, credentials loading and its errors.
#include "support.hpp"

// The backend's own constants and calls this test compares with (the compiled mode's headers
// do not bring BoringSSL's in).
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <catch2/catch.hpp>

#include <sys/stat.h>

TEST_CASE("create_default_context has CPython 3.13's defaults", "[context][defaults]") {
  auto ctx = test::client_context_trusting_root();
  CHECK(ctx.verify_mode() == sslpp::verify_mode::cert_required);
  CHECK(ctx.check_hostname());
  CHECK_FALSE(ctx.hostname_checks_common_name());
  CHECK(ctx.minimum_version() == sslpp::tls_version::tlsv1_2);
  CHECK(ctx.maximum_version() == sslpp::tls_version::tlsv1_3);
  CHECK(sslpp::has(ctx.options(), sslpp::options::no_compression));
  CHECK(sslpp::has(ctx.options(), sslpp::options::no_renegotiation));
  CHECK(sslpp::has(ctx.options(), sslpp::options::cipher_server_preference));
  CHECK(sslpp::has(ctx.verify_flags(), sslpp::verify_flags::x509_strict));
  CHECK(sslpp::has(ctx.verify_flags(), sslpp::verify_flags::x509_partial_chain));

  auto sctx = sslpp::create_default_context(sslpp::purpose::client_auth, {.cafile = test::pki("client-ca.pem")});
  CHECK(sctx.verify_mode() == sslpp::verify_mode::cert_none);
  CHECK(sctx.minimum_version() == sslpp::tls_version::tlsv1_2);
}

TEST_CASE("a bare tls_client context verifies but trusts nothing yet", "[context][defaults]") {
  auto ctx = sslpp::context_for(sslpp::protocol::tls_client);
  CHECK(ctx.verify_mode() == sslpp::verify_mode::cert_required);
  CHECK(ctx.check_hostname());
  CHECK_FALSE(sslpp::has(ctx.verify_flags(), sslpp::verify_flags::x509_strict));
  auto server = test::server_thread([](sslpp::tcp_socket sock) {
    std::error_code ec;
    test::server_context_with().wrap_socket(std::move(sock), {.do_handshake_on_connect = false}).do_handshake(ec);
  });
  try {
    ctx.wrap_socket(sslpp::tcp_socket::connect("127.0.0.1", server.port()), "localhost");
    FAIL("an empty trust store accepted the server");
  } catch (const sslpp::cert_verification_error& e) {
    CHECK(e.verify_code() == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY);
  }
  server.join();
}

TEST_CASE("copies of a context share their settings", "[context]") {
  auto a = test::client_context_trusting_root();
  auto b = a;
  b.set_minimum_version(sslpp::tls_version::tlsv1_3);
  CHECK(a.minimum_version() == sslpp::tls_version::tlsv1_3);
  CHECK(a.native_handle() == b.native_handle());
}

TEST_CASE("cert_none is refused while check_hostname is on", "[context][verify_mode]") {
  auto ctx = test::client_context_trusting_root();
  // A variable: written as a constant, cert_none on a client does not compile (tests/compile_fail).
  const sslpp::verify_mode none = sslpp::verify_mode::cert_none;
  REQUIRE_THROWS_WITH(ctx.set_verify_mode(none),
                      Catch::Contains("check_hostname") && Catch::Contains("set_check_hostname(false)"));
  CHECK(ctx.verify_mode() == sslpp::verify_mode::cert_required);  // unchanged
  ctx.set_check_hostname(false);
  ctx.set_verify_mode(none);
  CHECK(ctx.verify_mode() == sslpp::verify_mode::cert_none);
  ctx.set_check_hostname(true);  // as Python: turning the check on requires verification again
  CHECK(ctx.verify_mode() == sslpp::verify_mode::cert_required);
}

TEST_CASE("pinning TLS 1.2 with protocol::tlsv1_2", "[context][version]") {
  auto ctx = sslpp::context_for(sslpp::protocol::tlsv1_2);
  CHECK(ctx.minimum_version() == sslpp::tls_version::tlsv1_2);
  CHECK(ctx.maximum_version() == sslpp::tls_version::tlsv1_2);
}

TEST_CASE("set_ciphers accepts a valid list and names an invalid one", "[context][ciphers]") {
  auto ctx = test::client_context_trusting_root();
  ctx.set_ciphers("ECDHE-ECDSA-CHACHA20-POLY1305");
  try {
    ctx.set_ciphers(std::string("NOT-A-CIPHER"));  // a run-time string: the literal does not compile
    FAIL("an unknown cipher was accepted");
  } catch (const sslpp::ssl_error& e) {
    CHECK_THAT(std::string(e.what()), Catch::Contains("NOT-A-CIPHER") && Catch::Contains("No cipher can be selected"));
  }
}

TEST_CASE("load_cert_chain reports each bad input clearly", "[context][credentials]") {
  auto ctx = sslpp::context_for(sslpp::protocol::tls_server);
  SECTION("missing certificate file: std::system_error naming the path") {
    try {
      ctx.load_cert_chain("/nonexistent/cert.pem", test::pki("leaf-ecdsa.key"));
      FAIL("no error");
    } catch (const std::system_error& e) {
      CHECK(e.code() == std::errc::no_such_file_or_directory);
      CHECK_THAT(std::string(e.what()), Catch::Contains("/nonexistent/cert.pem"));
    }
  }
  SECTION("missing key file") {
    REQUIRE_THROWS_WITH(ctx.load_cert_chain(test::pki("leaf-ecdsa.pem"), "/nonexistent/key.pem"),
                        Catch::Contains("/nonexistent/key.pem"));
  }
  SECTION("unreadable file") {
    if (::geteuid() == 0) return;  // root reads anything; the missing-file case covers the path
    const std::string path = "/tmp/sslpp-test-unreadable.pem";
    std::ofstream(path) << "x";
    ::chmod(path.c_str(), 0);
    REQUIRE_THROWS_WITH(ctx.load_cert_chain(path), Catch::Contains(path));
    std::remove(path.c_str());
  }
  SECTION("encrypted key without a password") {
    REQUIRE_THROWS_WITH(ctx.load_cert_chain(test::pki("leaf-ecdsa.pem"), test::pki("leaf-encrypted.key")),
                        Catch::Contains("password") && Catch::Contains("leaf-encrypted.key"));
  }
  SECTION("encrypted key with the wrong password") {
    try {
      ctx.load_cert_chain(test::pki("leaf-ecdsa.pem"), test::pki("leaf-encrypted.key"), "wrong");
      FAIL("no error");
    } catch (const sslpp::ssl_error& e) {
      CHECK_THAT(std::string(e.what()), Catch::Contains("password") && Catch::Contains("leaf-encrypted.key"));
    }
  }
  SECTION("encrypted key with the right password, as text and as a callback") {
    ctx.load_cert_chain(test::pki("fullchain-ecdsa.pem"), test::pki("leaf-encrypted.key"), "s3cret");
    int asked = 0;
    ctx.load_cert_chain(test::pki("fullchain-ecdsa.pem"), test::pki("leaf-encrypted.key"), [&] {
      ++asked;
      return std::string("s3cret");
    });
    CHECK(asked == 1);
    ctx.load_cert_chain(test::pki("fullchain-ecdsa.pem"), test::pki("leaf-ecdsa.key"), [&] {
      ++asked;
      return std::string("unused");
    });
    CHECK(asked == 1);  // an unencrypted key never asks
  }
  SECTION("a key that does not match the certificate") {
    try {
      ctx.load_cert_chain(test::pki("leaf-ecdsa.pem"), test::pki("expired.key"));
      FAIL("no error");
    } catch (const sslpp::ssl_error& e) {
      CHECK_THAT(std::string(e.what()), Catch::Contains("does not match") && Catch::Contains("expired.key") &&
                                            Catch::Contains("leaf-ecdsa.pem"));
    }
  }
  SECTION("a file with no certificate") {
    REQUIRE_THROWS_WITH(ctx.load_cert_chain(test::pki("leaf-ecdsa.key"), test::pki("leaf-ecdsa.key")),
                        Catch::Contains("leaf-ecdsa.key") && Catch::Contains("CERTIFICATE"));
  }
  SECTION("certificate and key in memory") {
    ctx.load_cert_chain_pem(test::read_text(test::pki("fullchain-ecdsa.pem")),
                            test::read_text(test::pki("leaf-ecdsa.key")));
    REQUIRE_THROWS_WITH(ctx.load_cert_chain_pem(test::read_text(test::pki("leaf-ecdsa.pem")),
                                                test::read_text(test::pki("leaf-encrypted.key")), "nope"),
                        Catch::Contains("password"));
  }
}

TEST_CASE("load_verify_locations reports a missing CA file or directory", "[context][trust]") {
  auto ctx = sslpp::context_for(sslpp::protocol::tls_client);
  REQUIRE_THROWS_WITH(ctx.load_verify_locations("/nonexistent/ca.pem"), Catch::Contains("/nonexistent/ca.pem"));
  REQUIRE_THROWS_WITH(ctx.load_verify_locations(sslpp::trust{.capath = "/nonexistent/dir"}),
                      Catch::Contains("/nonexistent/dir"));
  REQUIRE_THROWS_AS(ctx.load_verify_locations(sslpp::trust{.cadata = std::string("not pem")}), sslpp::ssl_error);
}

TEST_CASE("runtime_hostname names the fault", "[hostname]") {
  CHECK(sslpp::runtime_hostname("example.org").name() == "example.org");
  CHECK(sslpp::runtime_hostname("::1").is_ip_address());
  CHECK(sslpp::runtime_hostname("192.0.2.1").is_ip_address());
  CHECK_FALSE(sslpp::runtime_hostname("example.org").is_ip_address());
  REQUIRE_THROWS_WITH(sslpp::runtime_hostname(""), Catch::Contains("is empty"));
  REQUIRE_THROWS_WITH(sslpp::runtime_hostname(".example.org"), Catch::Contains("starts with a dot"));
  REQUIRE_THROWS_WITH(sslpp::runtime_hostname("a..b"), Catch::Contains("empty label"));
  REQUIRE_THROWS_WITH(sslpp::runtime_hostname("a.b.."), Catch::Contains("more than one dot"));
  REQUIRE_THROWS_WITH(sslpp::runtime_hostname(std::string(64, 'a') + ".org"), Catch::Contains("63"));
  REQUIRE_THROWS_WITH(sslpp::runtime_hostname(std::string(std::string_view("a\0b", 3))), Catch::Contains("NUL"));
  std::string long_name;
  for (int i = 0; i < 60; ++i) long_name += "abcd.";
  long_name += "org";
  REQUIRE_THROWS_WITH(sslpp::runtime_hostname(long_name), Catch::Contains("253"));
  REQUIRE_THROWS_AS(sslpp::runtime_hostname("exa mple.org"), std::invalid_argument);
}

TEST_CASE("get_default_verify_paths follows SSL_CERT_FILE", "[trust]") {
  ::setenv("SSL_CERT_FILE", test::pki("ca.pem").c_str(), 1);
  const auto paths = sslpp::get_default_verify_paths();
  ::unsetenv("SSL_CERT_FILE");
  CHECK(paths.cafile == test::pki("ca.pem"));
  CHECK(paths.openssl_cafile_env == "SSL_CERT_FILE");
  // And create_default_context() then trusts exactly that file.
  ::setenv("SSL_CERT_FILE", test::pki("ca.pem").c_str(), 1);
  auto ctx = sslpp::create_default_context();
  ::unsetenv("SSL_CERT_FILE");
  auto server = test::server_thread([](sslpp::tcp_socket sock) {
    auto tls = test::server_context_with().wrap_socket(std::move(sock));
    tls.sendall(tls.read(10));
  });
  auto tls = ctx.wrap_socket(sslpp::tcp_socket::connect("127.0.0.1", server.port()), "localhost");
  tls.sendall("env");
  CHECK(tls.read(10) == "env");
  server.join();
}
