// Sans-IO TLS: sslpp::memory_bio and ssl_object (Python's MemoryBIO and SSLObject), checked
// against python3's own objects, between two ssl_objects with no socket, and against a
// python3 ssl server with the test program carrying the bytes.
#include "transport_support.hpp"

#include <catch2/catch.hpp>

namespace {

// Client and server ssl_objects with their four buffers.
struct bio_pair {
  sslpp::memory_bio c_in, c_out, s_in, s_out;
  sslpp::server_context sctx = test::server_context_with();
  sslpp::client_context cctx = test::client_context_trusting_root();
  sslpp::ssl_object client = cctx.wrap_bio(c_in, c_out, "localhost");
  sslpp::ssl_object server = sctx.wrap_bio(s_in, s_out);

  // pump: carries what each side wrote to the other; returns the bytes moved.
  std::size_t pump() {
    const std::string a = c_out.read(), b = s_out.read();
    s_in.write(a);
    c_in.write(b);
    return a.size() + b.size();
  }
  void handshake() {
    for (int round = 0; round < 10; ++round) {
      int done = 0;
      for (auto* o : {&client, &server}) {
        try {
          o->do_handshake();
          ++done;
        } catch (const sslpp::want_read_error&) {
        }
      }
      pump();
      if (done == 2) return;
    }
    FAIL("the handshake did not finish in 10 rounds");
  }
};

// Runs `ops` (one per line) on a Python MemoryBIO and returns what it printed.
std::string python_memory_bio_trace(const std::string& ops) {
  const std::string script = "/tmp/sslpp-sans-io-" + std::to_string(::getpid()) + ".py";
  {
    std::ofstream f(script);
    f << "import ssl\nb = ssl.MemoryBIO()\n"
         "def show(tag, v): print(tag, repr(v), b.pending, b.eof)\n"
         "for op in '''" << ops << "'''.split():\n"
         "    name, _, arg = op.partition(':')\n"
         "    try:\n"
         "        if name == 'write': show('write', b.write(arg.encode()))\n"
         "        elif name == 'read': show('read', b.read(int(arg)) if arg else b.read())\n"
         "        elif name == 'eof': b.write_eof(); show('eof', None)\n"
         "    except ssl.SSLError as e: print('error', e.args[0])\n";
  }
  test::child py({test::python(), script});
  REQUIRE(py.wait() == 0);
  std::remove(script.c_str());
  return py.output();
}

// The same operations on sslpp::memory_bio, printed the same way.
std::string sslpp_memory_bio_trace(const std::string& ops) {
  sslpp::memory_bio b;
  std::string out;
  auto show = [&](const std::string& tag, const std::string& value) {
    out += tag + " " + value + " " + std::to_string(b.pending()) + " " + (b.eof() ? "True" : "False") + "\n";
  };
  std::istringstream in(ops);
  for (std::string op; in >> op;) {
    const auto colon = op.find(':');
    const std::string name = op.substr(0, colon), arg = colon == std::string::npos ? "" : op.substr(colon + 1);
    try {
      if (name == "write") show("write", std::to_string(b.write(arg)));
      else if (name == "read") show("read", "b'" + (arg.empty() ? b.read() : b.read(std::stoul(arg))) + "'");
      else if (name == "eof") b.write_eof(), show("eof", "None");
    } catch (const sslpp::ssl_error& e) {
      out += std::string("error ") + e.what() + "\n";
    }
  }
  return out;
}

}  // namespace

TEST_CASE("memory_bio pending and eof behave exactly as Python's MemoryBIO", "[sans_io][python]") {
  const std::string ops = "read write:hello read:2 write: read:0 read eof read write:x eof read:9 write:again";
  CHECK(sslpp_memory_bio_trace(ops) == python_memory_bio_trace(ops));
}

TEST_CASE("memory_bio basics", "[sans_io]") {
  sslpp::memory_bio b;
  CHECK(b.pending() == 0);
  CHECK(b.read().empty());
  CHECK_FALSE(b.eof());
  CHECK(b.write("abc") == 3);
  b.write_eof();
  CHECK_FALSE(b.eof());  // not before the buffered bytes are read
  CHECK_THROWS_WITH(b.write("more"), "cannot write() after write_eof()");
  sslpp::memory_bio moved = std::move(b);
  CHECK(moved.read() == "abc");
  CHECK(moved.eof());
  static_assert(!std::is_copy_constructible_v<sslpp::memory_bio> && std::is_move_assignable_v<sslpp::memory_bio>);
  static_assert(!std::is_copy_constructible_v<sslpp::ssl_object> && std::is_move_constructible_v<sslpp::ssl_object> &&
                std::is_move_assignable_v<sslpp::ssl_object>);
}

namespace {
template <class Ctx>
concept bio_with_host = requires(Ctx c, sslpp::memory_bio& b) { c.wrap_bio(b, b, "localhost"); };
template <class Ctx>
concept bio_without_host = requires(Ctx c, sslpp::memory_bio& b) { c.wrap_bio(b, b); };
template <class Ctx>
concept bio_server_side = requires(Ctx c, sslpp::memory_bio& b) { c.wrap_bio(b, b, sslpp::server_side); };
}  // namespace

TEST_CASE("wrap_bio takes a host name on clients only", "[sans_io]") {
  static_assert(bio_with_host<sslpp::client_context> && !bio_without_host<sslpp::client_context>);
  static_assert(bio_without_host<sslpp::server_context> && !bio_with_host<sslpp::server_context>);
  static_assert(bio_server_side<sslpp::context<sslpp::side::any>> && !bio_server_side<sslpp::client_context>);
  auto ctx = test::client_context_trusting_root();
  sslpp::memory_bio in, out;
  CHECK_THROWS_AS(ctx.wrap_bio(in, out, sslpp::no_hostname), std::invalid_argument);
}

TEST_CASE("two ssl_objects handshake and exchange data with no socket", "[sans_io]") {
  bio_pair p;
  CHECK_THROWS_AS(p.client.read(10), sslpp::want_read_error);  // starts the handshake
  CHECK(p.c_out.pending() > 0);                                 // the ClientHello
  std::error_code ec;
  p.server.do_handshake(ec);
  CHECK(ec == sslpp::ssl_errc::want_read);
  p.handshake();
  CHECK(p.client.version() == sslpp::tls_version::tlsv1_3);
  CHECK(p.server.version() == sslpp::tls_version::tlsv1_3);
  CHECK(p.client.getpeercert().has_value());
  CHECK_FALSE(p.server.getpeercert().has_value());
  CHECK(p.client.server_hostname() == "localhost");
  CHECK(p.server.server_side());
  CHECK(p.client.write("hello sans-io") == 13);
  p.pump();
  CHECK(p.server.read(5) == "hello");
  CHECK(p.server.pending() == 8);
  CHECK(p.server.read() == " sans-io");
  CHECK_THROWS_AS(p.server.read(), sslpp::want_read_error);
  std::array<std::byte, 4> scratch{};
  p.server.read(scratch, ec);
  CHECK(ec == sslpp::ssl_errc::want_read);
}

TEST_CASE("ssl_object unwrap exchanges close_notify and read throws zero_return_error", "[sans_io]") {
  bio_pair p;
  p.handshake();
  CHECK_THROWS_AS(p.client.unwrap(), sslpp::want_read_error);  // ours is sent; the server's is awaited
  p.pump();
  CHECK_THROWS_AS(p.server.read(), sslpp::zero_return_error);
  std::error_code ec;
  std::array<std::byte, 4> scratch{};
  p.server.read(scratch, ec);
  CHECK(ec == sslpp::ssl_errc::zero_return);
  p.server.unwrap();  // the client's arrived already: sends the server's and returns
  p.pump();
  p.client.unwrap();
  CHECK_THROWS_AS(p.client.write("after"), sslpp::ssl_error);
}

TEST_CASE("ssl_object unwrap refuses data that comes before the peer's close_notify", "[sans_io]") {
  bio_pair p;
  p.handshake();
  CHECK_THROWS_AS(p.client.unwrap(), sslpp::want_read_error);
  p.server.write("late data");
  p.pump();
  CHECK_THROWS_AS(p.client.unwrap(), sslpp::ssl_error);  // Python: APPLICATION_DATA_AFTER_CLOSE_NOTIFY
}

TEST_CASE("ssl_object reports a ragged EOF as eof_error", "[sans_io]") {
  bio_pair p;
  p.handshake();
  p.client.write("partial");
  p.pump();
  p.s_in.write_eof();
  CHECK(p.server.read() == "partial");
  CHECK_THROWS_WITH(p.server.read(), Catch::Contains("EOF occurred in violation of protocol"));
  CHECK_THROWS_AS(p.server.read(), sslpp::eof_error);
}

TEST_CASE("ssl_object handshake failures: EOF and garbage and a bad certificate", "[sans_io]") {
  auto ctx = test::client_context_trusting_root();
  SECTION("EOF in the middle of the handshake") {
    sslpp::memory_bio in, out;
    auto tls = ctx.wrap_bio(in, out, "localhost");
    CHECK_THROWS_AS(tls.do_handshake(), sslpp::want_read_error);
    in.write_eof();
    CHECK_THROWS_AS(tls.do_handshake(), sslpp::eof_error);
  }
  SECTION("garbage instead of a ServerHello") {
    sslpp::memory_bio in, out;
    auto tls = ctx.wrap_bio(in, out, "localhost");
    CHECK_THROWS_AS(tls.do_handshake(), sslpp::want_read_error);
    in.write("HTTP/1.1 400 Bad Request\r\n\r\n");
    try {
      tls.do_handshake();
      FAIL("garbage was accepted");
    } catch (const sslpp::ssl_error& e) {
      CHECK(e.reason() == "WRONG_VERSION_NUMBER");
      CHECK_THAT(e.what(), Catch::Contains("wrong version number"));
    }
  }
  SECTION("a certificate for another host") {
    bio_pair p;
    sslpp::memory_bio in, out;
    p.client = p.cctx.wrap_bio(p.c_in, p.c_out, "other.example");
    try {
      p.handshake();
      FAIL("the wrong host was accepted");
    } catch (const sslpp::cert_verification_error& e) {
      CHECK_THAT(e.verify_message(), Catch::Contains("other.example"));
    }
  }
}

TEST_CASE("an ssl_object client talks to a python3 ssl server over a socket the test drives", "[sans_io][python]") {
  test::python_server py("echo");
  auto sock = sslpp::tcp_socket::connect("127.0.0.1", py.port(), std::chrono::seconds(10));
  auto ctx = test::client_context_trusting_root();
  sslpp::memory_bio in, out;
  auto tls = ctx.wrap_bio(in, out, "localhost");
  // Carry bytes between the memory BIOs and the socket until `step` stops asking for more.
  auto drive = [&](auto step) {
    for (int i = 0; i < 100; ++i) {
      try {
        step();
        const std::string o = out.read();
        sock.write_some(std::as_bytes(std::span(o.data(), o.size())));
        return;
      } catch (const sslpp::want_read_error&) {
        const std::string o = out.read();
        if (!o.empty()) sock.write_some(std::as_bytes(std::span(o.data(), o.size())));
        std::array<std::byte, 16384> buf{};
        const std::size_t n = sock.read_some(buf);
        if (n == 0) in.write_eof();
        else in.write(std::span<const std::byte>(buf.data(), n));
      }
    }
    FAIL("no progress");
  };
  drive([&] { tls.do_handshake(); });
  CHECK(tls.version() == sslpp::tls_version::tlsv1_3);
  drive([&] { tls.write("ping through memory BIOs"); });
  std::string got;
  while (got.size() < 24) drive([&] { got += tls.read(); });
  CHECK(got == "ping through memory BIOs");
  bool unwrapped = false;
  drive([&] {
    try {
      tls.unwrap();
      unwrapped = true;
    } catch (const sslpp::ssl_error& e) {
      if (dynamic_cast<const sslpp::want_read_error*>(&e)) throw;
      // The server may still send a session ticket before its close_notify: Python's unwrap refuses it too.
      throw;
    }
  });
  CHECK(unwrapped);
  CHECK(py.process().wait() == 0);
}

namespace {
void memory_transfer(std::size_t total) {
  bio_pair p;
  p.handshake();
  const auto block = test::pattern(1 << 20);
  test::sha256 sent, received;
  std::vector<std::byte> buf(1 << 17);
  std::size_t done_in = 0, done_out = 0, offset = 0;
  while (done_in < total) {
    if (done_out < total) {
      // 64 KiB at a time, from a moving offset so no two chunks are the same
      const std::size_t n = std::min<std::size_t>(65536 - (offset % 7), total - done_out);
      std::span<const std::byte> chunk(block.data() + offset % (block.size() - 65536), n);
      p.client.write(chunk);
      sent.update(chunk);
      done_out += n;
      offset += n + 13;
    }
    p.s_in.write(p.c_out.read());
    for (;;) {
      std::error_code ec;
      const std::size_t n = p.server.read(buf, ec);
      if (ec) {
        if (ec != sslpp::ssl_errc::want_read) FAIL(ec.message());
        break;
      }
      received.update(std::span(buf.data(), n));
      done_in += n;
    }
  }
  CHECK(done_in == total);
  CHECK(received.hex() == sent.hex());
}
}  // namespace

TEST_CASE("128 MiB through two ssl_objects arrive with the same checksum", "[sans_io][transfer]") {
  memory_transfer(test::transfer_size(test::default_transfer));
}
TEST_CASE("1 GiB through two ssl_objects arrives with the same checksum", "[sans_io][transfer][.slow]") {
  memory_transfer(test::transfer_size(test::one_gib));
}
