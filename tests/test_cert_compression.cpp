// RFC 8879 certificate compression (set_cert_compression with the opt-in codecs): sslpp on
// both ends, with the bytes on the wire counted to show the compressed Certificate
// message was used; the rules of the setter; headless Chromium (which offers brotli)
// against an sslpp server when it is installed.
#include "features_support.hpp"

#include <sslpp/cert_compression_codecs.hpp>

#include <cstdlib>
#include <filesystem>

namespace {

// The three-certificate RSA chain of tests/pki/rsa_chain_pki.sh.
std::string rsa3(const std::string& name) {
  static std::once_flag once;
  std::call_once(once, [] {
    std::string dir = test::pki("");
    dir.pop_back();
    const std::string cmd = "'" + std::string(SSLPP_SOURCE_DIR) + "/tests/pki/rsa_chain_pki.sh' '" + dir + "'";
    if (std::system(cmd.c_str()) != 0) throw std::runtime_error("failed: " + cmd);
  });
  return test::pki(name);
}

sslpp::server_context rsa3_server() {
  auto sctx = sslpp::context_for(sslpp::protocol::tls_server);
  sctx.load_cert_chain(rsa3("rsa3-fullchain.pem"), rsa3("rsa3-leaf.key"));
  return sctx;
}
sslpp::client_context rsa3_client() {
  return sslpp::create_default_context(sslpp::purpose::server_auth, sslpp::trust{.cafile = rsa3("rsa3-root.pem")});
}

// A handshake over memory BIOs; returns the bytes the server sent (its whole first flight
// with the Certificate message). Fails the test if the handshake does not complete.
std::size_t server_flight_bytes(const sslpp::server_context& sctx, const sslpp::client_context& cctx) {
  sslpp::memory_bio c_in, c_out, s_in, s_out;
  auto client = cctx.wrap_bio(c_in, c_out, "localhost");
  auto server = sctx.wrap_bio(s_in, s_out);
  std::size_t server_bytes = 0;
  bool client_done = false, server_done = false;
  for (int i = 0; i < 10 && !(client_done && server_done); ++i) {
    std::error_code ec;
    if (!client_done) {
      client.do_handshake(ec);
      client_done = !ec;
    }
    s_in.write(c_out.read());
    if (!server_done) {
      server.do_handshake(ec);
      server_done = !ec;
    }
    const std::string flight = s_out.read();
    server_bytes += flight.size();
    c_in.write(flight);
  }
  REQUIRE(client_done);
  REQUIRE(server_done);
  CHECK(client.version() == sslpp::tls_version::tlsv1_3);
  CHECK(client.getpeercert());  // verified against the RSA root, through the decompressed chain
  CHECK(client.get_unverified_chain().size() == 3);
  return server_bytes;
}

}  // namespace

TEST_CASE("cert compression: brotli and zlib shrink the server's certificate flight", "[cert_compression]") {
  const std::size_t plain = server_flight_bytes(rsa3_server(), rsa3_client());

  auto both = [](std::initializer_list<sslpp::cert_compression> server_algs,
                 std::initializer_list<sslpp::cert_compression> client_algs) {
    auto sctx = rsa3_server();
    sctx.set_cert_compression(server_algs);
    auto cctx = rsa3_client();
    cctx.set_cert_compression(client_algs);
    return server_flight_bytes(sctx, cctx);
  };
  using enum sslpp::cert_compression;
  const std::size_t brotli_bytes = both({brotli, zlib}, {brotli, zlib});
  const std::size_t zlib_bytes = both({zlib}, {brotli, zlib});
  const std::size_t no_common = both({zlib}, {brotli});
  INFO("uncompressed " << plain << " B, brotli " << brotli_bytes << " B, zlib " << zlib_bytes << " B");
  // Three RSA-2048 certificates are ~2.7 kB of DER; compression saves hundreds of bytes.
  CHECK(brotli_bytes + 400 < plain);
  CHECK(zlib_bytes + 300 < plain);
  CHECK(brotli_bytes <= zlib_bytes);
  // Nothing in common: the Certificate message goes uncompressed (same size, give or take
  // the signature's length).
  CHECK(no_common + 16 > plain);
  CHECK(no_common < plain + 16);

  // Only one side configured: nothing is compressed either.
  auto sctx = rsa3_server();
  sctx.set_cert_compression({brotli});
  const std::size_t server_only = server_flight_bytes(sctx, rsa3_client());
  CHECK(server_only + 16 > plain);
}

TEST_CASE("cert compression: the setter's rules", "[cert_compression]") {
  auto ctx = rsa3_client();
  CHECK_FALSE(ctx.has_cert_compression());
  CHECK_THROWS_WITH(ctx.set_cert_compression({}), Catch::Contains("the list is empty"));
  CHECK_THROWS_WITH(ctx.set_cert_compression({sslpp::cert_compression::zlib, sslpp::cert_compression::zlib}),
                    Catch::Contains("named twice"));
  CHECK_FALSE(ctx.has_cert_compression());
  ctx.set_cert_compression({sslpp::cert_compression::brotli});
  CHECK(ctx.has_cert_compression());
  CHECK_THROWS_WITH(ctx.set_cert_compression({sslpp::cert_compression::zlib}),
                    Catch::Contains("cannot remove one once added"));
}

TEST_CASE("cert compression: sslpp on both ends over TCP, and TLS 1.2 unaffected", "[cert_compression]") {
  auto sctx = rsa3_server();
  sctx.set_cert_compression({sslpp::cert_compression::brotli});
  auto cctx = rsa3_client();
  cctx.set_cert_compression({sslpp::cert_compression::brotli});
  {
    auto server = feat::echo_server(sctx);
    auto tls = feat::connect(cctx, server.port());
    feat::round_trip(tls);
    CHECK(tls.version() == sslpp::tls_version::tlsv1_3);
    server.join();
  }
  cctx.set_maximum_version(sslpp::tls_version::tlsv1_2);
  auto server = feat::echo_server(sctx);
  auto tls = feat::connect(cctx, server.port());
  feat::round_trip(tls);
  CHECK(tls.version() == sslpp::tls_version::tlsv1_2);
  server.join();
}

namespace {
bool have_program(const char* name) {
  return std::system(("command -v " + std::string(name) + " >/dev/null 2>&1").c_str()) == 0;
}

// A TCP connection that counts the bytes written through it (a byte_stream, not a
// native socket, so TLS goes through write_some).
struct counting_socket {
  sslpp::tcp_socket sock;
  std::size_t* written;
  std::size_t read_some(std::span<std::byte> b, std::error_code& ec) { return sock.read_some(b, ec); }
  std::size_t write_some(std::span<const std::byte> b, std::error_code& ec) {
    const std::size_t n = sock.write_some(b, ec);
    *written += n;
    return n;
  }
};

// The DER bytes of the certificates in a PEM file.
std::size_t der_bytes(const std::string& pem_file) {
  std::size_t total = 0;
  for (const auto& c : sslpp::certificate::load_all(pem_file)) total += c.to_der().size();
  return total;
}
}  // namespace

TEST_CASE("cert compression: headless Chromium, which offers brotli, against an sslpp server",
          "[cert_compression][interop][chromium]") {
  if (!have_program("chromium") || !have_program("certutil")) {
    WARN("skipped: chromium or certutil (libnss3-tools) is not installed");
    return;
  }
  // Chromium trusts the RSA root through an NSS database in a home of its own.
  const std::filesystem::path home =
      std::filesystem::temp_directory_path() / ("sslpp-chromium-" + std::to_string(::getpid()));
  std::filesystem::create_directories(home / ".pki" / "nssdb");
  const std::string db = "sql:" + (home / ".pki" / "nssdb").string();
  REQUIRE(std::system(("certutil -d " + db + " -N --empty-password").c_str()) == 0);
  REQUIRE(std::system(("certutil -d " + db + " -A -t C,, -n sslpp-rsa3 -i '" + rsa3("rsa3-root.pem") + "'").c_str()) ==
          0);

  // The server records whether the client offered compression and answers one HTTP request.
  auto sctx = rsa3_server();
  sctx.set_cert_compression({sslpp::cert_compression::brotli, sslpp::cert_compression::zlib});
  sctx.set_alpn_protocols({"http/1.1"});
  std::atomic<int> served{0};
  std::mutex flights_lock;
  std::vector<std::size_t> flights;  // the bytes each connection's handshake made the server send
  auto listener = sslpp::tcp_listener::listen("127.0.0.1", 0);
  const std::uint16_t port = listener.port();
  std::atomic<bool> stop{false};
  std::thread server([&] {
    while (!stop) {
      std::error_code ec;
      auto sock = listener.accept(std::chrono::milliseconds(200), ec);
      if (ec) continue;
      try {
        std::size_t written = 0;
        auto tls = sctx.wrap_socket(counting_socket{std::move(sock), &written});
        {
          std::lock_guard lock(flights_lock);
          flights.push_back(written);
        }
        std::string request;
        while (request.find("\r\n\r\n") == std::string::npos) {
          const std::string part = tls.read(4096);
          if (part.empty()) break;
          request += part;
        }
        const std::string body = "<html><body><p id=\"x\">compressed-chain-ok</p></body></html>";
        tls.sendall("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\nContent-Length: " +
                    std::to_string(body.size()) + "\r\n\r\n" + body);
        tls.shutdown();
        ++served;
      } catch (const std::exception&) {
      }
    }
  });
  {  // first an sslpp client that offers no compression: the uncompressed flight
    auto cctx = rsa3_client();
    cctx.set_alpn_protocols({"http/1.1"});
    auto tls = feat::connect(cctx, port);
    tls.sendall("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
    CHECK_THAT(tls.read(4096), Catch::Contains("200 OK"));
  }
  test::child browser({"env", "HOME=" + home.string(), "chromium", "--headless", "--no-sandbox", "--disable-gpu",
                       "--no-first-run", "--user-data-dir=" + (home / "profile").string(), "--dump-dom",
                       "https://localhost:" + std::to_string(port) + "/"});
  const int status = browser.wait(std::chrono::seconds(90));
  stop = true;
  server.join();
  const std::string out = browser.output();
  INFO(out);
  CHECK(status == 0);
  CHECK(out.find("compressed-chain-ok") != std::string::npos);
  CHECK(served >= 2);
  // Chromium's connections made the server send hundreds of bytes less than the client
  // without compression did: the Certificate message went compressed.
  std::lock_guard lock(flights_lock);
  REQUIRE(flights.size() >= 2);
  const std::size_t plain = flights.front();
  const std::size_t chromium = *std::min_element(flights.begin() + 1, flights.end());
  INFO("server handshake flight: " << plain << " B uncompressed, " << chromium << " B to Chromium; certificates "
                                   << der_bytes(rsa3("rsa3-fullchain.pem")) << " B");
  CHECK(chromium + 300 < plain);
  std::error_code ec;
  std::filesystem::remove_all(home, ec);
}
