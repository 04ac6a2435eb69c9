// Loose ends of the transports issue: ssl_object has stream's members minus the socket
// ones (checked between two ssl_objects and against a python3 ssl server), an emptied
// stream or ssl_object (unwrapped or moved from) reports a clear error, and tcp_socket
// tells a timeout from would-block on a non-blocking socket.
#include "transport_support.hpp"

#include <catch2/catch.hpp>

#include <fcntl.h>

#include <thread>

namespace {

// Client and server ssl_objects over four memory_bios, made from the given contexts.
struct bio_link {
  sslpp::memory_bio c_in, c_out, s_in, s_out;
  sslpp::ssl_object client, server;
  bio_link(const sslpp::client_context& cctx, const sslpp::server_context& sctx, sslpp::wrap_options copts = {})
      : client(cctx.wrap_bio(c_in, c_out, "localhost", std::move(copts))), server(sctx.wrap_bio(s_in, s_out)) {}
  void pump() {
    s_in.write(c_out.read());
    c_in.write(s_out.read());
  }
  void handshake() {
    for (int round = 0; round < 10; ++round) {
      int done = 0;
      for (auto* o : {&client, &server}) {
        std::error_code ec;
        o->do_handshake(ec);
        if (!ec) ++done;
        else if (ec != sslpp::ssl_errc::want_read) FAIL("handshake: " << ec.message());
      }
      pump();
      if (done == 2) return;
    }
    FAIL("the handshake did not finish in 10 rounds");
  }
  // talk: one message each way, so that a TLS 1.3 client has taken in the server's tickets.
  void talk() {
    client.write("ping");
    pump();
    CHECK(server.read() == "ping");
    server.write("pong");
    pump();
    CHECK(client.read() == "pong");
  }
};

// The DER of each certificate, for comparing chains.
std::vector<std::vector<std::byte>> ders(const std::vector<sslpp::certificate>& chain) {
  std::vector<std::vector<std::byte>> out;
  for (const auto& c : chain) out.push_back(c.to_der());
  return out;
}

// Checks every negotiated-parameter member on a connected client/server pair of either
// kind (stream or ssl_object): the same checks must hold for both.
template <class Conn>
void check_negotiated(const Conn& client, const Conn& server, sslpp::tls_version version) {
  REQUIRE(client.version() == version);
  CHECK(server.version() == version);
  CHECK(client.cipher()->name == server.cipher()->name);
  CHECK(client.selected_alpn_protocol() == "http/1.1");
  CHECK(server.selected_alpn_protocol() == "http/1.1");
  REQUIRE(client.group().has_value());
  CHECK(client.group() == server.group());
  CHECK_FALSE(client.shared_ciphers().has_value());
  REQUIRE(server.shared_ciphers().has_value());
  CHECK_FALSE(server.shared_ciphers()->empty());
  // Chains: the server sent leaf + intermediate; verification added the root.
  const auto sent = sslpp::certificate::load_all(test::pki("fullchain-ecdsa.pem"));
  CHECK(ders(client.get_unverified_chain()) == ders(sent));
  const auto verified = client.get_verified_chain();
  REQUIRE(verified.size() == 3);
  CHECK(verified[0].to_der() == sent[0].to_der());
  CHECK(verified[2].to_der() == sslpp::certificate::load(test::pki("ca.pem")).to_der());
  CHECK(server.get_unverified_chain().empty());  // no client certificate asked for
  CHECK(server.get_verified_chain().empty());
  CHECK(client.getpeercert_der() == sent[0].to_der());
  // Channel binding: both ends compute the same bytes.
  const auto exporter = client.get_channel_binding("tls-exporter");
  REQUIRE(exporter.has_value());
  CHECK(exporter->size() == 32);
  CHECK(exporter == server.get_channel_binding("tls-exporter"));
  if (version == sslpp::tls_version::tlsv1_2) {
    REQUIRE(client.get_channel_binding().has_value());  // tls-unique by default
    CHECK(client.get_channel_binding() == server.get_channel_binding("tls-unique"));
  } else {
    CHECK_FALSE(client.get_channel_binding("tls-unique").has_value());
  }
  CHECK_THROWS_AS(client.get_channel_binding("tls-server-end-point"), std::invalid_argument);
  if constexpr (requires { client.context(); }) CHECK(client.context().native_handle() != nullptr);
  CHECK(client.native_handle() != server.native_handle());
}

struct contexts {
  sslpp::server_context sctx = test::server_context_with();
  sslpp::client_context cctx = test::client_context_trusting_root();
  explicit contexts(sslpp::tls_version max) {
    sctx.set_alpn_protocols({"h2", "http/1.1"});
    cctx.set_alpn_protocols({"http/1.1"});
    cctx.set_maximum_version(max);
  }
};

// A connected loopback TCP pair: {client, accepted}.
std::pair<sslpp::tcp_socket, sslpp::tcp_socket> tcp_pair() {
  auto listener = sslpp::tcp_listener::listen("127.0.0.1", 0);
  auto client = sslpp::tcp_socket::connect("127.0.0.1", listener.port(), std::chrono::seconds(5));
  auto server = listener.accept(std::chrono::seconds(5));
  return {std::move(client), std::move(server)};
}

bool would_block(const std::error_code& ec) {
  return ec == std::errc::operation_would_block || ec == std::errc::resource_unavailable_try_again;
}

}  // namespace

TEST_CASE("tcp_socket with a timeout reports would-block not timed_out when non-blocking", "[socket]") {
  auto [a, b] = tcp_pair();
  a.set_timeout(std::chrono::milliseconds(300));
  a.set_blocking(false);
  std::array<std::byte, 4096> buf{};
  std::error_code ec;

  // Reading with nothing to read: would-block at once, not a timeout.
  const auto start = std::chrono::steady_clock::now();
  CHECK(a.read_some(buf, ec) == 0);
  CHECK(would_block(ec));
  CHECK(ec != std::errc::timed_out);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::milliseconds(250));
  CHECK_THROWS_AS(a.read_some(buf), std::system_error);
  try {
    a.read_some(buf);
  } catch (const std::system_error& e) {
    CHECK(would_block(e.code()));
  }

  // Writing until the socket buffers are full: would-block, not a timeout.
  std::vector<std::byte> chunk(1 << 16, std::byte{'x'});
  std::size_t written = 0;
  for (int i = 0; i < 10000; ++i) {
    written += a.write_some(chunk, ec);
    if (ec) break;
  }
  CHECK(written > 0);
  CHECK(would_block(ec));
  CHECK(ec != std::errc::timed_out);

  // The same socket in blocking mode: the timeout applies and says so.
  auto [c, d] = tcp_pair();
  c.set_timeout(std::chrono::milliseconds(100));
  CHECK(c.read_some(buf, ec) == 0);
  CHECK(ec == std::errc::timed_out);
  // A non-blocking socket with no timeout at all: would-block too.
  d.set_blocking(false);
  CHECK(d.read_some(buf, ec) == 0);
  CHECK(would_block(ec));
}

TEST_CASE("ssl_object has the negotiated-parameter members of stream with the same answers", "[sans_io][parity]") {
  for (const auto version : {sslpp::tls_version::tlsv1_3, sslpp::tls_version::tlsv1_2}) {
    INFO("max version " << static_cast<int>(version));
    contexts cx(version);

    // Before the handshake nothing is negotiated.
    bio_link fresh(cx.cctx, cx.sctx);
    CHECK_FALSE(fresh.client.selected_alpn_protocol().has_value());
    CHECK_FALSE(fresh.client.group().has_value());
    CHECK_FALSE(fresh.client.session());
    CHECK_FALSE(fresh.client.session_reused());
    CHECK(fresh.client.get_unverified_chain().empty());
    CHECK(fresh.client.get_verified_chain().empty());
    CHECK_FALSE(fresh.client.get_channel_binding("tls-exporter").has_value());

    // Two ssl_objects.
    bio_link first(cx.cctx, cx.sctx);
    first.handshake();
    first.talk();
    check_negotiated(first.client, first.server, version);
    CHECK_FALSE(first.client.session_reused());
    CHECK_FALSE(first.server.session_reused());
    const sslpp::session sess = first.client.session();
    REQUIRE(sess);

    // Resumption with the session the first connection got.
    bio_link second(cx.cctx, cx.sctx, sslpp::wrap_options{.session = sess});
    second.handshake();
    second.talk();
    CHECK(second.client.session_reused());
    CHECK(second.server.session_reused());
    CHECK(second.client.selected_alpn_protocol() == "http/1.1");
    CHECK(second.client.get_channel_binding("tls-exporter") == second.server.get_channel_binding("tls-exporter"));
    CHECK(second.client.get_channel_binding("tls-exporter") != first.client.get_channel_binding("tls-exporter"));

    // The same checks on two streams over a socketpair.
    auto [a, b] = test::stream_pair();
    std::optional<sslpp::stream<test::pair_stream>> srv;
    std::thread t([&, sock = std::move(b)]() mutable {
      srv.emplace(cx.sctx.wrap_socket(std::move(sock)));
      srv->write("pong");
    });
    auto cli = cx.cctx.wrap_socket(std::move(a), "localhost");
    CHECK(cli.read(4) == "pong");  // takes in the TLS 1.3 tickets too
    t.join();
    check_negotiated(cli, *srv, version);
    REQUIRE(cli.session());
  }
}

namespace {

// python3 ssl server: TLS 1.2 (so that Python has tls-unique), ALPN, two connections;
// prints what it negotiated on each and echoes one message.
const char* python_parity_server = R"PY(
import socket, ssl, sys
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(sys.argv[1], sys.argv[2])
ctx.maximum_version = ssl.TLSVersion.TLSv1_2
ctx.set_alpn_protocols(["h2", "http/1.1"])
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(4)
s.settimeout(30)
print("PORT", s.getsockname()[1], flush=True)
for i in range(2):
    conn, _ = s.accept()
    conn.settimeout(30)
    tls = ctx.wrap_socket(conn, server_side=True)
    data = tls.recv(100)
    print("CONN", i, tls.selected_alpn_protocol(), tls.session_reused,
          tls.get_channel_binding("tls-unique").hex(), flush=True)
    tls.sendall(data)
    tls.unwrap().close()
print("DONE", flush=True)
)PY";

std::string hex(const std::optional<std::vector<std::byte>>& b) {
  std::string out;
  if (b)
    for (std::byte x : *b) out += "0123456789abcdef"[std::to_integer<int>(x) >> 4], out += "0123456789abcdef"[std::to_integer<int>(x) & 15];
  return out;
}

// One ssl_object connection to the python server: the test carries the bytes over a socket.
struct python_connection {
  sslpp::tcp_socket sock;
  sslpp::memory_bio in, out;
  sslpp::ssl_object tls;
  python_connection(const sslpp::client_context& ctx, std::uint16_t port, sslpp::wrap_options opts)
      : sock(sslpp::tcp_socket::connect("127.0.0.1", port, std::chrono::seconds(10))),
        tls(ctx.wrap_bio(in, out, "localhost", std::move(opts))) {}
  void flush() {
    const std::string o = out.read();
    std::span<const std::byte> rest = std::as_bytes(std::span(o.data(), o.size()));
    while (!rest.empty()) rest = rest.subspan(sock.write_some(rest));
  }
  // drive: runs `step` until it stops asking for more input.
  template <class F>
  void drive(F step) {
    for (int i = 0; i < 100; ++i) {
      try {
        step();
        flush();
        return;
      } catch (const sslpp::want_read_error&) {
        flush();
        std::array<std::byte, 16384> buf{};
        const std::size_t n = sock.read_some(buf);
        if (n == 0) in.write_eof();
        else in.write(std::span<const std::byte>(buf.data(), n));
      }
    }
    FAIL("no progress");
  }
};

}  // namespace

TEST_CASE("ssl_object against a python3 server: ALPN and resumption and tls-unique and chains", "[sans_io][parity][python]") {
  const std::string script = "/tmp/sslpp-parity-" + std::to_string(::getpid()) + ".py";
  {
    std::ofstream f(script);
    f << python_parity_server;
  }
  test::child py({test::python(), script, test::pki("fullchain-ecdsa.pem"), test::pki("leaf-ecdsa.key")});
  const std::uint16_t port = py.wait_for_port_line("PORT ");
  auto ctx = test::client_context_trusting_root();
  ctx.set_alpn_protocols({"http/1.1", "h2"});

  sslpp::session sess;
  std::string unique[2];
  for (int i = 0; i < 2; ++i) {
    INFO("connection " << i);
    python_connection c(ctx, port, sslpp::wrap_options{.session = sess});
    c.drive([&] { c.tls.do_handshake(); });
    CHECK(c.tls.version() == sslpp::tls_version::tlsv1_2);
    CHECK(c.tls.selected_alpn_protocol() == "h2");  // the server's preference, as Python chose
    CHECK(c.tls.session_reused() == (i == 1));
    unique[i] = hex(c.tls.get_channel_binding("tls-unique"));
    CHECK(unique[i].size() == 24);  // 12 bytes of Finished
    const auto sent = sslpp::certificate::load_all(test::pki("fullchain-ecdsa.pem"));
    if (i == 0) {
      CHECK(ders(c.tls.get_unverified_chain()) == ders(sent));
      CHECK(c.tls.get_verified_chain().size() == 3);
    }
    c.drive([&] { c.tls.write("echo me"); });
    std::string got;
    while (got.size() < 7) c.drive([&] { got += c.tls.read(); });
    CHECK(got == "echo me");
    if (i == 0) sess = c.tls.session();
    REQUIRE(sess);
    // The server's close_notify, then ours.
    try {
      c.drive([&] { c.tls.unwrap(); });
    } catch (const sslpp::ssl_error& e) {
      FAIL("unwrap: " << e.what());
    }
  }
  REQUIRE(py.wait() == 0);
  std::remove(script.c_str());
  const std::string out = py.output();
  CHECK_THAT(out, Catch::Contains("CONN 0 h2 False " + unique[0]));
  CHECK_THAT(out, Catch::Contains("CONN 1 h2 True " + unique[1]));
  CHECK(unique[0] != unique[1]);
}

namespace {

// Every member of an emptied connection: a logic_error naming the cause, errc::not_connected
// from the error_code overloads, and nullptr from native_handle.
template <class Conn>
void check_emptied(Conn& c, const std::string& cause) {
  using Catch::Contains;
  std::error_code ec;
  std::array<std::byte, 8> buf{};
  const auto bytes = std::as_bytes(std::span(buf));
  CHECK_THROWS_WITH(c.do_handshake(), Contains(cause));
  CHECK_THROWS_AS(c.do_handshake(), std::logic_error);
  c.do_handshake(ec);
  CHECK(ec == std::errc::not_connected);
  CHECK_THROWS_WITH(c.read(std::span(buf)), Contains(cause));
  CHECK_THROWS_WITH(c.read(10), Contains(cause));
  CHECK(c.read(std::span(buf), ec) == 0);
  CHECK(ec == std::errc::not_connected);
  CHECK_THROWS_WITH(c.write(bytes), Contains(cause));
  CHECK_THROWS_WITH(c.write("text"), Contains(cause));
  CHECK(c.write(bytes, ec) == 0);
  CHECK(ec == std::errc::not_connected);
  CHECK_THROWS_WITH(c.unwrap(), Contains(cause));
  ec.clear();
  c.unwrap(ec);
  CHECK(ec == std::errc::not_connected);
  CHECK_THROWS_WITH(c.pending(), Contains(cause));
  CHECK_THROWS_WITH(c.getpeercert(), Contains(cause));
  CHECK_THROWS_WITH(c.getpeercert_der(), Contains(cause));
  CHECK_THROWS_WITH(c.get_unverified_chain(), Contains(cause));
  CHECK_THROWS_WITH(c.get_verified_chain(), Contains(cause));
  CHECK_THROWS_WITH(c.cipher(), Contains(cause));
  CHECK_THROWS_WITH(c.version(), Contains(cause));
  CHECK_THROWS_WITH(c.session(), Contains(cause));
  CHECK_THROWS_WITH(c.session_reused(), Contains(cause));
  CHECK_THROWS_WITH(c.selected_alpn_protocol(), Contains(cause));
  CHECK_THROWS_WITH(c.shared_ciphers(), Contains(cause));
  CHECK_THROWS_WITH(c.group(), Contains(cause));
  CHECK_THROWS_WITH(c.get_channel_binding("tls-exporter"), Contains(cause));
  CHECK_THROWS_WITH(c.server_side(), Contains(cause));
  CHECK_THROWS_WITH(c.server_hostname(), Contains(cause));
  if constexpr (requires { c.context(); }) CHECK_THROWS_WITH(c.context(), Contains(cause));
  CHECK(c.native_handle() == nullptr);
}

}  // namespace

TEST_CASE("a closed, unwrapped or moved-from stream reports a clear error from every member", "[parity][emptied]") {
  auto sctx = test::server_context_with();
  auto cctx = test::client_context_trusting_root();
  auto [a, b] = test::stream_pair();
  std::thread t([&, sock = std::move(b)]() mutable {
    auto s = sctx.wrap_socket(std::move(sock));
    s.write("hi");
    s.unwrap();
  });
  auto tls = cctx.wrap_socket(std::move(a), "localhost");
  CHECK(tls.read(2) == "hi");
  auto moved = std::move(tls);
  check_emptied(tls, "sslpp::stream: this stream holds no connection any more: it was closed, unwrapped or moved from");
  CHECK_THROWS_WITH(tls.socket(), Catch::Contains("unwrapped or moved from"));
  CHECK_THROWS_WITH(tls.sendall("x"), Catch::Contains("unwrapped or moved from"));
  CHECK_THROWS_WITH(tls.shutdown(), Catch::Contains("unwrapped or moved from"));
  std::error_code ec;
  tls.sendall(std::as_bytes(std::span("x", 1)), ec);
  CHECK(ec == std::errc::not_connected);
  tls.shutdown(ec);
  CHECK(ec == std::errc::not_connected);

  test::pair_stream plain = moved.unwrap();
  t.join();
  CHECK(plain.fd() >= 0);
  check_emptied(moved, "it was closed, unwrapped or moved from");
  CHECK_FALSE(moved.unwrap(ec).has_value());
  CHECK(ec == std::errc::not_connected);

  // A moved-to stream works; assigning a live stream to an emptied one revives it.
  auto [c, d] = test::stream_pair();
  std::thread t2([&, sock = std::move(d)]() mutable { sctx.wrap_socket(std::move(sock)).write("again"); });
  tls = cctx.wrap_socket(std::move(c), "localhost");
  CHECK(tls.read(5) == "again");
  CHECK(tls.native_handle() != nullptr);
  t2.join();
}

TEST_CASE("a moved-from ssl_object reports a clear error from every member", "[sans_io][parity][emptied]") {
  contexts cx(sslpp::tls_version::tlsv1_3);
  bio_link p(cx.cctx, cx.sctx);
  p.handshake();
  sslpp::ssl_object client = std::move(p.client);
  check_emptied(p.client, "sslpp::ssl_object: this ssl_object holds no connection any more: it was moved from");
  client.write("still works");
  p.pump();
  CHECK(p.server.read() == "still works");
}
