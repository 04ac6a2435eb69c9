// Interop with real peers, both directions: openssl s_server / s_client and python3's ssl.
#include "support.hpp"

#include <catch2/catch.hpp>

namespace {

std::string port_text(std::uint16_t p) { return std::to_string(p); }

}  // namespace

TEST_CASE("sslpp client against openssl s_server", "[interop][openssl]") {
  for (const std::string version : {"-tls1_3", "-tls1_2"}) {
    std::uint16_t port = 0;
    test::child server = test::serve_on_free_port(
        [&](std::uint16_t p) {
          return std::vector<std::string>{"openssl", "s_server", "-accept", port_text(p), "-cert",
                                          test::pki("leaf-rsa.pem"), "-cert_chain", test::pki("intermediate.pem"),
                                          "-key", test::pki("leaf-rsa.key"), version, "-rev", "-naccept", "1"};
        },
        port);
    auto ctx = test::client_context_trusting_root();
    auto tls = ctx.wrap_socket(sslpp::tcp_socket::connect("127.0.0.1", port, std::chrono::seconds(10)), "localhost");
    CHECK(tls.version() == (version == "-tls1_3" ? sslpp::tls_version::tlsv1_3 : sslpp::tls_version::tlsv1_2));
    tls.sendall("hello openssl\n");
    std::string got;
    while (got.find('\n') == std::string::npos) {
      const std::string part = tls.read(100);
      if (part.empty()) break;
      got += part;
    }
    CHECK(got == "lssnepo olleh\n");  // -rev reverses each line
  }
}

TEST_CASE("sslpp client refuses openssl s_server with the wrong host certificate", "[interop][openssl]") {
  std::uint16_t port = 0;
  test::child server = test::serve_on_free_port(
      [&](std::uint16_t p) {
        return std::vector<std::string>{"openssl", "s_server", "-accept", port_text(p), "-cert",
                                        test::pki("wronghost.pem"), "-cert_chain", test::pki("intermediate.pem"),
                                        "-key", test::pki("wronghost.key"), "-naccept", "1"};
      },
      port);
  auto ctx = test::client_context_trusting_root();
  try {
    ctx.wrap_socket(sslpp::tcp_socket::connect("127.0.0.1", port), "localhost");
    FAIL("the wrong host was accepted");
  } catch (const sslpp::cert_verification_error& e) {
    CHECK(e.verify_code() == X509_V_ERR_HOSTNAME_MISMATCH);
  }
}

TEST_CASE("sslpp client refuses an openssl s_server that only speaks TLS 1.1", "[interop][openssl]") {
  std::uint16_t port = 0;
  test::child server = test::serve_on_free_port(
      [&](std::uint16_t p) {
        return std::vector<std::string>{"openssl", "s_server", "-accept", port_text(p), "-cert",
                                        test::pki("leaf-rsa.pem"), "-cert_chain", test::pki("intermediate.pem"), "-key",
                                        test::pki("leaf-rsa.key"), "-tls1_1", "-cipher", "ALL:@SECLEVEL=0", "-naccept",
                                        "1"};
      },
      port);
  auto ctx = test::client_context_trusting_root();
  try {
    ctx.wrap_socket(sslpp::tcp_socket::connect("127.0.0.1", port), "localhost");
    FAIL("TLS 1.1 was accepted");
  } catch (const sslpp::ssl_error& e) {
    CHECK_THAT(std::string(e.what()), Catch::Contains("localhost"));
    CHECK(e.library() == "SSL");
    CHECK_FALSE(e.reason().empty());
  }
}

TEST_CASE("openssl s_client verifies an sslpp server", "[interop][openssl]") {
  auto server = test::server_thread([](sslpp::tcp_socket sock) {
    auto ctx = test::server_context_with("fullchain-rsa.pem", "leaf-rsa.key");
    auto tls = ctx.wrap_socket(std::move(sock));
    const std::string line = tls.read(100);
    tls.sendall("sslpp says: " + line);
    tls.shutdown();
  });
  test::child client({"openssl", "s_client", "-connect", "127.0.0.1:" + port_text(server.port()), "-CAfile",
                      test::pki("ca.pem"), "-verify_return_error", "-verify_hostname", "localhost", "-quiet"});
  client.write_stdin("ping\n");
  REQUIRE(client.wait_for_output("sslpp says: ping"));
  client.close_stdin();
  CHECK(client.wait() == 0);
  server.join();
}

TEST_CASE("python3 ssl client verifies an sslpp server", "[interop][python]") {
  auto server = test::server_thread([](sslpp::tcp_socket sock) {
    auto tls = test::server_context_with().wrap_socket(std::move(sock));
    tls.sendall("hi " + tls.read(100));
    tls.shutdown();
  });
  const std::string script =
      "import socket, ssl, sys\n"
      "ctx = ssl.create_default_context(cafile=sys.argv[1])\n"
      "with socket.create_connection(('127.0.0.1', int(sys.argv[2]))) as raw:\n"
      "    with ctx.wrap_socket(raw, server_hostname='localhost') as s:\n"
      "        s.sendall(b'python')\n"
      "        print(s.version(), s.recv(100).decode(), s.getpeercert()['subject'])\n";
  test::child client({"python3", "-c", script, test::pki("ca.pem"), port_text(server.port())});
  CHECK(client.wait() == 0);
  CHECK_THAT(client.output(), Catch::Contains("TLSv1.3 hi python") && Catch::Contains("localhost"));
  server.join();
}

TEST_CASE("sslpp client against a python3 ssl server", "[interop][python]") {
  const std::string script =
      "import socket, ssl, sys\n"
      "ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)\n"
      "ctx.load_cert_chain(sys.argv[1], sys.argv[2])\n"
      "srv = socket.create_server(('127.0.0.1', 0))\n"
      "print('PORT', srv.getsockname()[1], flush=True)\n"
      "conn, _ = srv.accept()\n"
      "with ctx.wrap_socket(conn, server_side=True) as s:\n"
      "    s.sendall(b'py:' + s.recv(100))\n"
      "    s.unwrap()\n";
  test::child server({"python3", "-c", script, test::pki("fullchain-ecdsa.pem"), test::pki("leaf-ecdsa.key")});
  const std::uint16_t port = server.wait_for_port_line("PORT ");
  auto ctx = test::client_context_trusting_root();
  auto tls = ctx.wrap_socket(sslpp::tcp_socket::connect("127.0.0.1", port), "localhost");
  tls.sendall("cpp");
  CHECK(tls.read(100) == "py:cpp");
  CHECK(tls.read(100).empty());  // python's unwrap() sent close_notify
  tls.shutdown();                // and waits for ours
  CHECK(server.wait() == 0);
}

TEST_CASE("python3 refuses an sslpp server presenting an expired certificate", "[interop][python]") {
  auto server = test::server_thread([](sslpp::tcp_socket sock) {
    std::error_code ec;
    test::server_context_with("fullchain-expired.pem", "expired.key")
        .wrap_socket(std::move(sock), {.do_handshake_on_connect = false})
        .do_handshake(ec);
  });
  const std::string script =
      "import socket, ssl, sys\n"
      "ctx = ssl.create_default_context(cafile=sys.argv[1])\n"
      "try:\n"
      "    with socket.create_connection(('127.0.0.1', int(sys.argv[2]))) as raw:\n"
      "        ctx.wrap_socket(raw, server_hostname='localhost')\n"
      "except ssl.SSLCertVerificationError as e:\n"
      "    print('REFUSED', e.verify_code)\n";
  test::child client({"python3", "-c", script, test::pki("ca.pem"), port_text(server.port())});
  CHECK(client.wait() == 0);
  CHECK_THAT(client.output(), Catch::Contains("REFUSED 10"));
  server.join();
}
