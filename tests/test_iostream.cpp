// sslpp::iostream (Python's SSLSocket.makefile): a std::iostream over a TLS stream, tested on
// an SMTP-like STARTTLS exchange with a python3 `ssl` peer (tests/peers/line_peer.py) and, for
// the end of the stream and errors, against sslpp servers on a thread.
#include "support.hpp"

#include <sslpp/iostream.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <vector>

using namespace std::chrono_literals;

namespace {

std::string line_peer() { return std::string(SSLPP_SOURCE_DIR) + "/tests/peers/line_peer.py"; }

// Clear-text lines on the plain socket, a byte at a time (so nothing after the line is taken).
std::string read_plain_line(sslpp::tcp_socket& sock) {
  std::string line;
  std::byte b{};
  while (!line.ends_with("\r\n")) {
    if (sock.read_some(std::span(&b, 1)) == 0) throw std::runtime_error("connection ended after '" + line + "'");
    line += static_cast<char>(b);
  }
  line.resize(line.size() - 2);
  return line;
}
void send_plain_line(sslpp::tcp_socket& sock, const std::string& text) {
  const std::string line = text + "\r\n";
  for (auto data = std::as_bytes(std::span(line)); !data.empty();) data = data.subspan(sock.write_some(data));
}

// getline_crlf: std::getline without the '\r' of a CRLF line.
bool getline_crlf(std::istream& in, std::string& line) {
  if (!std::getline(in, line)) return false;
  if (line.ends_with('\r')) line.pop_back();
  return true;
}

// A multi-line SMTP reply: lines "250-..." up to the last "250 ...".
std::vector<std::string> read_reply(std::istream& in) {
  std::vector<std::string> lines;
  for (std::string line; getline_crlf(in, line);) {
    lines.push_back(line);
    if (line.size() < 4 || line[3] != '-') break;
  }
  return lines;
}

sslpp::stream<sslpp::tcp_socket> client_of(std::uint16_t port, sslpp::wrap_options options = {}) {
  return test::client_context_trusting_root().wrap_socket(sslpp::tcp_socket::connect("127.0.0.1", port, 10s),
                                                          "localhost", options);
}

}  // namespace

TEST_CASE("iostream speaks an SMTP-like protocol between STARTTLS and unwrap, with a python3 peer",
          "[iostream][starttls][python]") {
  test::child peer({test::python(), line_peer(), "smtp", "--cert", test::pki("fullchain-ecdsa.pem"), "--key",
                    test::pki("leaf-ecdsa.key")});
  const std::uint16_t port = peer.wait_for_port_line("PORT ");
  auto sock = sslpp::tcp_socket::connect("127.0.0.1", port, 10s);
  sock.set_timeout(20s);

  CHECK(read_plain_line(sock) == "220 mail.localhost ESMTP ready");
  send_plain_line(sock, "EHLO client.localhost");
  CHECK(read_plain_line(sock) == "250-mail.localhost");
  CHECK(read_plain_line(sock) == "250-SIZE 1000000");
  CHECK(read_plain_line(sock) == "250 STARTTLS");
  send_plain_line(sock, "STARTTLS");
  CHECK(read_plain_line(sock) == "220 2.0.0 go ahead");

  auto tls = test::client_context_trusting_root().wrap_socket(std::move(sock), "localhost");
  {
    sslpp::iostream io(tls);
    io << "EHLO client.localhost\r\n";  // no flush: reading the reply sends it first
    CHECK(read_reply(io) == std::vector<std::string>{"250-mail.localhost greets client.localhost",
                                                     "250-SIZE 1000000", "250 AUTH PLAIN"});
    io << "MAIL FROM:<alice@localhost>\r\n" << std::flush;
    std::string line;
    REQUIRE(getline_crlf(io, line));
    CHECK(line == "250 2.1.0 sender ok");
    io << "ENDTLS" << "\r\n" << std::flush;
    REQUIRE(getline_crlf(io, line));
    CHECK(line == "220 leaving TLS");
    CHECK(io.good());
    CHECK_FALSE(io.error());
    CHECK(io.rdbuf()->in_avail() == 0);  // nothing read ahead past the protocol's last line
    CHECK(&io.connection() == &tls);
  }
  sock = tls.unwrap();
  CHECK(peer.wait_for_line("UNWRAPPED") == "UNWRAPPED");
  CHECK(read_plain_line(sock) == "250 clear text again");
  send_plain_line(sock, "QUIT");
  CHECK(read_plain_line(sock) == "221 bye");
  const std::string done = peer.wait_for_line("DONE");
  CHECK(done == "DONE");
  CHECK(peer.output().find("FAIL") == std::string::npos);
}

TEST_CASE("iostream: the peer's close_notify is the end of the file, not an error", "[iostream]") {
  test::server_thread server([](sslpp::tcp_socket s) {
    auto tls = test::server_context_with().wrap_socket(std::move(s));
    tls.sendall("first line\nsecond line\nno newline at the end");
    tls.shutdown();
  });
  auto tls = client_of(server.port());
  sslpp::iostream io(tls);
  std::vector<std::string> lines;
  for (std::string line; std::getline(io, line);) lines.push_back(line);
  CHECK(lines == std::vector<std::string>{"first line", "second line", "no newline at the end"});
  CHECK(io.eof());
  CHECK_FALSE(io.bad());
  CHECK_FALSE(io.error());
  server.join();
}

TEST_CASE("iostream: a failure sets badbit and is kept, or is thrown as the stream threw it", "[iostream]") {
  // The server sends a partial line and closes TCP without close_notify; with
  // suppress_ragged_eofs off the read fails with eof_error ("EOF occurred in violation of protocol").
  auto ragged_server = [] {
    return test::server_thread([](sslpp::tcp_socket s) {
      auto tls = test::server_context_with().wrap_socket(std::move(s));
      tls.sendall("truncat");
      tls.close();
    });
  };
  SECTION("failbit and badbit, the reason in error()") {
    auto server = ragged_server();
    auto tls = client_of(server.port(), {.suppress_ragged_eofs = false});
    sslpp::iostream io(tls);
    std::string line;
    CHECK_FALSE(std::getline(io, line));
    CHECK(io.bad());
    CHECK(io.error() == sslpp::ssl_errc::eof);
    server.join();
  }
  SECTION("exceptions(badbit): the stream's own exception") {
    auto server = ragged_server();
    auto tls = client_of(server.port(), {.suppress_ragged_eofs = false});
    sslpp::iostream io(tls);
    io.exceptions(std::ios::badbit);
    std::string line;
    CHECK_THROWS_AS(std::getline(io, line), sslpp::eof_error);
    CHECK(io.bad());
    server.join();
  }
  SECTION("writing to a closed stream") {
    test::server_thread server([](sslpp::tcp_socket s) {
      auto tls = test::server_context_with().wrap_socket(std::move(s));
      std::error_code ec;  // the client's close may reset the connection (unread tickets)
      (void)tls.read(10, ec);
    });
    auto tls = client_of(server.port());
    sslpp::iostream io(tls);
    tls.close();
    io << "lost" << std::flush;
    CHECK(io.bad());
    CHECK(io.error() == std::errc::not_connected);
    io.clear();
    io.exceptions(std::ios::badbit);
    CHECK_THROWS_AS(io << "lost" << std::flush, std::logic_error);
    server.join();
  }
}

TEST_CASE("iostream: writes larger than its buffer, and many small ones, arrive whole", "[iostream]") {
  // An echo of line lengths: for each line the server answers with its length.
  test::server_thread server([](sslpp::tcp_socket s) {
    auto tls = test::server_context_with().wrap_socket(std::move(s));
    sslpp::iostream io(tls, 1024);
    for (std::string line; std::getline(io, line);) io << line.size() << '\n' << std::flush;
  });
  auto tls = client_of(server.port());
  sslpp::iostream io(tls, 1000);
  const std::string big(100000, 'x');
  io << big << '\n';
  for (int i = 0; i < 500; ++i) io << 'y';
  io << '\n' << 42 << ' ' << 3.5 << '\n';
  std::size_t a = 0, b = 0;
  std::string c;
  io >> a >> b;
  io.ignore(1);
  std::getline(io, c);
  CHECK(a == big.size());
  CHECK(b == 500);
  CHECK(c == "6");
  tls.shutdown();
  server.join();
}
