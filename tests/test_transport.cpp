// Transports: the fd path (tcp_socket) and the custom-BIO path (a byte_stream that is not a
// descriptor) against python3 and openssl peers: data, clean close, truncation, garbage,
// stalls and timeouts, STARTTLS-style unwrap, partial writes, and 1 GiB transfers.
#include "transport_support.hpp"

#include <catch2/catch.hpp>

#include <atomic>

namespace {

static_assert(sslpp::native_socket<sslpp::tcp_socket> && sslpp::byte_stream<sslpp::tcp_socket>);
static_assert(sslpp::byte_stream<test::pair_stream> && !sslpp::native_socket<test::pair_stream>);
static_assert(!sslpp::byte_stream<int> && !sslpp::byte_stream<std::string>);

// An sslpp client over either transport kind to 127.0.0.1:port.
sslpp::stream<sslpp::tcp_socket> connect_fd(std::uint16_t port, sslpp::wrap_options opts = {},
                                            std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
  return test::client_context_trusting_root().wrap_socket(sslpp::tcp_socket::connect("127.0.0.1", port, timeout),
                                                          "localhost", opts);
}
sslpp::stream<test::pair_stream> connect_custom(std::uint16_t port, sslpp::wrap_options opts = {}) {
  auto sock = sslpp::tcp_socket::connect("127.0.0.1", port, std::chrono::seconds(10));
  return test::client_context_trusting_root().wrap_socket(test::pair_stream(sock.release()), "localhost", opts);
}

// Reads a line of clear text byte by byte (so nothing after it is consumed).
std::string read_line(sslpp::tcp_socket& s) {
  std::string line;
  std::byte b{};
  while (line.empty() || line.back() != '\n') {
    if (s.read_some(std::span(&b, 1)) == 0) break;
    line += static_cast<char>(b);
  }
  return line;
}

template <class Stream>
std::string read_all(Stream& tls) {
  std::string all;
  for (std::string chunk; !(chunk = tls.read(4096)).empty();) all += chunk;
  return all;
}

}  // namespace

TEST_CASE("both transport kinds exchange data with a python3 ssl server", "[transport][python]") {
  SECTION("descriptor path") {
    test::python_server py("echo");
    auto tls = connect_fd(py.port());
    tls.sendall("over the descriptor");
    CHECK(tls.read(100) == "over the descriptor");
    tls.shutdown(sslpp::shutdown_mode::wait_for_peer);  // python answers our close_notify with its own
    CHECK(py.process().wait() == 0);
  }
  SECTION("custom byte stream path") {
    test::python_server py("echo");
    auto tls = connect_custom(py.port());
    tls.sendall("over read_some and write_some");
    CHECK(tls.read(100) == "over read_some and write_some");
    CHECK(tls.socket().reads > 0);
    CHECK(tls.socket().writes > 0);
    tls.shutdown(sslpp::shutdown_mode::wait_for_peer);
    CHECK(py.process().wait() == 0);
  }
}

TEST_CASE("both transport kinds talk to openssl s_server", "[transport][openssl]") {
  std::uint16_t port = 0;
  test::child srv = test::serve_on_free_port(
      [&](std::uint16_t p) {
        return std::vector<std::string>{"openssl", "s_server", "-accept", std::to_string(p), "-cert",
                                        test::pki("leaf-ecdsa.pem"), "-cert_chain", test::pki("chain.pem"), "-key",
                                        test::pki("leaf-ecdsa.key"), "-rev"};
      },
      port);
  {
    auto tls = connect_fd(port);
    tls.sendall("descriptor\n");
    CHECK(tls.read(100).starts_with("rotpircsed"));
  }
  {
    auto tls = connect_custom(port);
    tls.sendall("custom\n");
    CHECK(tls.read(100).starts_with("motsuc"));
  }
}

TEST_CASE("a close_notify from python3 ends the stream cleanly", "[transport][python]") {
  test::python_server py("close_notify");
  auto tls = connect_fd(py.port(), {.suppress_ragged_eofs = false});
  CHECK(read_all(tls) == "bye");  // then 0: a clean end even with suppress_ragged_eofs off
  std::error_code ec;
  std::array<std::byte, 8> buf{};
  CHECK(tls.read(buf, ec) == 0);
  CHECK_FALSE(ec);
  tls.shutdown();  // python's unwrap waits for ours
  CHECK(py.process().wait_for_output("UNWRAPPED"));
  CHECK(py.process().wait() == 0);
}

TEST_CASE("a peer closing TCP without close_notify is a ragged EOF", "[transport][python]") {
  SECTION("suppress_ragged_eofs true reads 0 bytes") {
    test::python_server py("ragged");
    auto tls = connect_fd(py.port());
    CHECK(read_all(tls) == "partial data");
  }
  SECTION("suppress_ragged_eofs false throws eof_error") {
    test::python_server py("ragged");
    auto tls = connect_fd(py.port(), {.suppress_ragged_eofs = false});
    CHECK(tls.read(100) == "partial data");
    try {
      tls.read(100);
      FAIL("a truncated stream read as a clean end");
    } catch (const sslpp::eof_error& e) {
      CHECK_THAT(e.what(), Catch::Contains("EOF occurred in violation of protocol"));
      CHECK(e.code() == sslpp::ssl_errc::eof);
    }
  }
  SECTION("the custom path too with error codes") {
    test::python_server py("ragged");
    auto tls = connect_custom(py.port(), {.suppress_ragged_eofs = false});
    CHECK(tls.read(100) == "partial data");
    std::array<std::byte, 16> buf{};
    std::error_code ec;
    CHECK(tls.read(buf, ec) == 0);
    CHECK(ec == sslpp::ssl_errc::eof);
  }
}

TEST_CASE("garbage instead of a ServerHello is a clear ssl_error", "[transport][python]") {
  for (int path = 0; path < 2; ++path) {
    test::python_server py("garbage");
    try {
      if (path == 0) connect_fd(py.port());
      else connect_custom(py.port());
      FAIL("the handshake succeeded against an HTTP answer");
    } catch (const sslpp::ssl_error& e) {
      CHECK(e.reason() == "WRONG_VERSION_NUMBER");
      CHECK_THAT(e.what(), Catch::Contains("handshake") && Catch::Contains("localhost"));
    }
  }
}

TEST_CASE("a peer that stops mid-handshake: hangup is eof_error and silence times out", "[transport][python][timeout]") {
  SECTION("hangup") {
    test::python_server py("hangup");
    CHECK_THROWS_AS(connect_fd(py.port()), sslpp::eof_error);
  }
  SECTION("silence with a socket timeout") {
    test::python_server py("stall");
    const auto start = std::chrono::steady_clock::now();
    try {
      connect_fd(py.port(), {}, std::chrono::milliseconds(300));
      FAIL("the handshake did not time out");
    } catch (const sslpp::syscall_error& e) {
      CHECK(e.code() == std::errc::timed_out);
      CHECK_THAT(e.what(), Catch::Contains("handshake operation timed out"));
    }
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
  }
}

TEST_CASE("timeouts apply to reads and writes and say so", "[transport][timeout]") {
  std::atomic<bool> stop{false};
  test::server_thread server([&](sslpp::tcp_socket sock) {
    auto tls = test::server_context_with().wrap_socket(std::move(sock));
    while (!stop) std::this_thread::sleep_for(std::chrono::milliseconds(10));  // never reads nor writes
  });
  auto tls = connect_fd(server.port(), {}, std::chrono::milliseconds(200));
  try {
    tls.read(10);
    FAIL("the read did not time out");
  } catch (const sslpp::syscall_error& e) {
    CHECK(e.code() == std::errc::timed_out);
    CHECK_THAT(e.what(), Catch::Contains("read operation timed out"));
  }
  std::error_code ec;
  const auto big = test::pattern(64 << 20);
  tls.sendall(big, ec);  // the server never reads: the socket buffers fill and the write times out
  CHECK(ec == std::errc::timed_out);
  stop = true;
  server.join();
}

TEST_CASE("writing to a peer that went away is an error and not SIGPIPE", "[transport]") {
  test::server_thread server([](sslpp::tcp_socket sock) {
    auto tls = test::server_context_with().wrap_socket(std::move(sock));
  });  // the server closes right after the handshake
  auto tls = connect_fd(server.port());
  server.join();
  std::error_code ec;
  for (int i = 0; i < 200 && !ec; ++i) {
    const std::string_view msg = "are you there?";
    tls.write(std::as_bytes(std::span(msg.data(), msg.size())), ec);
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  CHECK((ec == std::errc::broken_pipe || ec == std::errc::connection_reset));
}

TEST_CASE("unwrap gives back the plain socket for clear text after TLS (STARTTLS)", "[transport][python]") {
  test::python_server py("starttls");
  auto sock = sslpp::tcp_socket::connect("127.0.0.1", py.port(), std::chrono::seconds(10));
  CHECK(read_line(sock) == "220 ready\n");
  sock.write_some(std::as_bytes(std::span("STARTTLS\n", 9)));
  CHECK(read_line(sock) == "220 go ahead\n");
  auto tls = test::client_context_trusting_root().wrap_socket(std::move(sock), "localhost");
  tls.sendall("secret");
  CHECK(tls.read(100) == "secret");
  sslpp::tcp_socket plain = tls.unwrap();
  CHECK(read_line(plain) == "clear text after TLS\n");
  plain.write_some(std::as_bytes(std::span("bye\n", 4)));
  CHECK(py.process().wait_for_output("CLIENT SAID bye"));
  CHECK(py.process().wait() == 0);
}

TEST_CASE("sendall with partial transport writes never loses nor duplicates a byte", "[transport]") {
  auto [a, b] = test::stream_pair(777);  // every write_some takes at most 777 bytes
  const auto data = test::pattern(16 << 20, 7);
  test::sha256 expect;
  expect.update(data);
  std::string got_hash;
  std::size_t got = 0;
  std::thread server([&, b = std::move(b)]() mutable {
    auto tls = test::server_context_with().wrap_socket(std::move(b));
    test::sha256 h;
    std::vector<std::byte> buf(1 << 16);
    for (std::size_t n; (n = tls.read(buf)) > 0;) h.update(std::span(buf.data(), n)), got += n;
    got_hash = h.hex();
  });
  auto tls = test::client_context_trusting_root().wrap_socket(std::move(a), "localhost");
  tls.sendall(data);
  tls.shutdown();
  server.join();
  CHECK(tls.socket().writes > data.size() / 777);
  CHECK(got == data.size());
  CHECK(got_hash == expect.hex());
}

namespace {
// Sends test::transfer_size() bytes from client to server over `Client`/`Server` streams and
// compares SHA-256 on both sides.
template <class MakeClient>
void big_transfer(std::size_t total, test::server_thread& server, std::string& server_hash, std::size_t& server_bytes,
                  MakeClient make_client) {
  auto tls = make_client();
  const auto block = test::pattern((1 << 20) + 4096, 3);
  test::sha256 sent;
  std::size_t done = 0, offset = 0;
  while (done < total) {
    const std::size_t n = std::min<std::size_t>(256 * 1024 - offset % 5, total - done);
    std::span<const std::byte> chunk(block.data() + offset % 4096, std::min(n, block.size() - offset % 4096));
    tls.sendall(chunk);
    sent.update(chunk);
    done += chunk.size();
    offset += 1;
  }
  tls.shutdown();
  server.join();
  CHECK(server_bytes == total);
  CHECK(server_hash == sent.hex());
}

test::server_thread hashing_server(std::string& hash, std::size_t& bytes) {
  return test::server_thread([&](sslpp::tcp_socket sock) {
    auto tls = test::server_context_with().wrap_socket(std::move(sock));
    test::sha256 h;
    std::vector<std::byte> buf(1 << 17);
    for (std::size_t n; (n = tls.read(buf)) > 0;) h.update(std::span(buf.data(), n)), bytes += n;
    hash = h.hex();
  });
}
}  // namespace

namespace {
void descriptor_transfer(std::size_t total) {
  std::string hash;
  std::size_t bytes = 0;
  auto server = hashing_server(hash, bytes);
  big_transfer(total, server, hash, bytes, [&] { return connect_fd(server.port()); });
}
void custom_transfer(std::size_t total) {
  std::string hash;
  std::size_t bytes = 0;
  auto server = hashing_server(hash, bytes);
  big_transfer(total, server, hash, bytes, [&] { return connect_custom(server.port()); });
}
}  // namespace

TEST_CASE("128 MiB through the descriptor path arrive with the same checksum", "[transport][transfer]") {
  descriptor_transfer(test::transfer_size(test::default_transfer));
}
TEST_CASE("128 MiB through a custom byte stream arrive with the same checksum", "[transport][transfer]") {
  custom_transfer(test::transfer_size(test::default_transfer));
}
TEST_CASE("1 GiB through the descriptor path arrives with the same checksum", "[transport][transfer][.slow]") {
  descriptor_transfer(test::transfer_size(test::one_gib));
}
TEST_CASE("1 GiB through a custom byte stream arrives with the same checksum", "[transport][transfer][.slow]") {
  custom_transfer(test::transfer_size(test::one_gib));
}
