// The bad-input table: every public entry point that takes input from outside the program
// (files, PEM/DER data, host names, cipher strings, ALPN lists, sockets and the bytes a peer
// sends), given each kind of bad input, must fail with the documented error type and a
// message naming what was wrong, and must leave nothing behind: the number of open file
// descriptors and the backend's error queue are the same before and after each row.
//
// One TEST_CASE per row; every name starts with "bad input:" so the README's table can be
// made from `test_bad_input --list-test-names-only`.
#include "support.hpp"

#include <sys/stat.h>

#include <catch2/catch.hpp>

#include <cstring>
#include <filesystem>
#include <memory>
#include <fstream>
#include <typeinfo>

namespace {

namespace fs = std::filesystem;

// The number of open descriptors of this process.
int open_fds() {
  int n = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator("/proc/self/fd")) ++n;
  return n;
}

// Runs one row: `body` must not leave a descriptor open or an error in the backend's queue.
template <class F>
void row(F&& body) {
  ERR_clear_error();
  const int before = open_fds();
  body();
  // Peers on other threads close their sockets as they finish; give them a moment.
  for (int i = 0; i < 100 && open_fds() != before; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  CHECK(open_fds() == before);
  CHECK(ERR_peek_error() == 0);
}

// What `f` threw, checked to be an E (and, when `not_ssl`, not an ssl_error).
template <class E, class F>
std::string thrown(F&& f, bool not_ssl = false) {
  try {
    f();
  } catch (const E& e) {
    if (not_ssl) CHECK(dynamic_cast<const sslpp::ssl_error*>(&e) == nullptr);
    return e.what();
  } catch (const std::exception& e) {
    FAIL("expected " << typeid(E).name() << " but got " << typeid(e).name() << ": " << e.what());
  }
  FAIL("no exception was thrown");
  return {};
}

// A scratch directory with files made for one row, removed afterwards.
struct scratch {
  fs::path dir;
  scratch() {
    dir = fs::temp_directory_path() / ("sslpp-bad-input-" + std::to_string(::getpid()));
    fs::create_directories(dir);
  }
  ~scratch() {
    std::error_code ec;
    fs::permissions(dir, fs::perms::owner_all, ec);
    fs::remove_all(dir, ec);
  }
  std::string file(const std::string& name, const std::string& content) const {
    const fs::path p = dir / name;
    std::ofstream(p, std::ios::binary) << content;
    return p.string();
  }
  // An existing path that cannot be read as a file: mode 000 for a normal user; root reads
  // anything, so for root a directory (read() fails with EISDIR).
  std::string unreadable(const std::string& name) const {
    if (::geteuid() != 0) {
      const std::string p = file(name, "x");
      fs::permissions(p, fs::perms::none);
      return p;
    }
    const fs::path p = dir / name;
    fs::create_directories(p);
    return p.string();
  }
};

std::string truncated(const std::string& text) { return text.substr(0, text.size() / 2); }

std::string der_text(const std::string& pem_path) {
  const auto der = sslpp::certificate::load(pem_path).to_der();
  return std::string(reinterpret_cast<const char*>(der.data()), der.size());
}

// A raw TCP peer on a thread: accepts one connection, sends `reply` (after reading what the
// client sent first, when `read_first`), then closes.
test::server_thread raw_server(std::string reply, bool read_first = true) {
  return test::server_thread([reply, read_first](sslpp::tcp_socket sock) {
    sock.set_timeout(std::chrono::seconds(5));
    std::error_code ec;
    if (read_first) {
      std::byte buf[4096];
      sock.read_some(buf, ec);
    }
    if (!reply.empty()) sock.write_some(std::as_bytes(std::span(reply.data(), reply.size())), ec);
    sock.shutdown_write();
    std::byte buf[4096];
    while (sock.read_some(buf, ec) > 0 && !ec) {
    }
  });
}

// A raw TCP client: connects to `port`, sends `bytes`, reads until the server closes.
std::string raw_client(std::uint16_t port, const std::string& bytes) {
  auto sock = sslpp::tcp_socket::connect("127.0.0.1", port, std::chrono::seconds(5));
  std::error_code ec;
  sock.write_some(std::as_bytes(std::span(bytes.data(), bytes.size())), ec);
  std::string got;
  std::byte buf[4096];
  for (;;) {
    const std::size_t n = sock.read_some(buf, ec);
    if (ec || n == 0) break;
    got.append(reinterpret_cast<const char*>(buf), n);
  }
  return got;
}

// Runs a TLS server handshake over one connection on a thread and keeps what it failed with.
struct tls_server_failure {
  std::string message;
  std::string reason;
  bool is_ssl_error = false;
  bool is_verify_error = false;
  bool threw = false;
};
test::server_thread failing_tls_server(tls_server_failure& out, sslpp::server_context ctx = test::server_context_with()) {
  return test::server_thread([&out, ctx](sslpp::tcp_socket sock) {
    sock.set_timeout(std::chrono::seconds(5));
    try {
      auto tls = ctx.wrap_socket(std::move(sock));
      std::string got = tls.read(100);
      (void)got;
    } catch (const sslpp::ssl_error& e) {
      out = {e.what(), e.reason(), true, dynamic_cast<const sslpp::cert_verification_error*>(&e) != nullptr, true};
    } catch (const std::exception& e) {
      out = {e.what(), "", false, false, true};
    }
  });
}

// A byte_stream over a tcp_socket whose reads return `inject`ed bytes first, when there are any.
struct injecting_socket {
  sslpp::tcp_socket sock;
  std::shared_ptr<std::string> inject;
  std::size_t read_some(std::span<std::byte> buf, std::error_code& ec) {
    if (inject->empty()) return sock.read_some(buf, ec);
    const std::size_t n = std::min(buf.size(), inject->size());
    std::memcpy(buf.data(), inject->data(), n);
    inject->erase(0, n);
    ec.clear();
    return n;
  }
  std::size_t write_some(std::span<const std::byte> buf, std::error_code& ec) { return sock.write_some(buf, ec); }
};

const std::string tls_client_hello_prefix = std::string("\x16\x03\x01", 3);

}  // namespace

// ---------------------------------------------------------------- certificate files and data

TEST_CASE("bad input: certificate load of a missing file", "[bad-input][certificate]") {
  row([] {
    const std::string path = "/nonexistent/sslpp/cert.pem";
    const std::string msg = thrown<std::system_error>([&] { sslpp::certificate::load(path); }, true);
    CHECK_THAT(msg, Catch::Contains(path));
    try {
      sslpp::certificate::load(path);
    } catch (const std::system_error& e) {
      CHECK(e.code() == std::errc::no_such_file_or_directory);
    }
  });
}

TEST_CASE("bad input: certificate load of an unreadable file", "[bad-input][certificate]") {
  scratch s;
  row([&] {
    const std::string path = s.unreadable("cert.pem");
    CHECK_THAT(thrown<std::system_error>([&] { sslpp::certificate::load(path); }, true), Catch::Contains(path));
  });
}

TEST_CASE("bad input: certificate load of a file in the wrong format", "[bad-input][certificate]") {
  scratch s;
  row([&] {
    // A PEM private key where a certificate belongs.
    const std::string key = test::pki("leaf-ecdsa.key");
    CHECK_THAT(thrown<sslpp::ssl_error>([&] { sslpp::certificate::load(key); }), Catch::Contains(key));
    // Bytes that are neither PEM nor DER.
    const std::string junk = s.file("junk.bin", "this is not a certificate at all\n");
    CHECK_THAT(thrown<sslpp::ssl_error>([&] { sslpp::certificate::load(junk); }), Catch::Contains(junk));
  });
}

TEST_CASE("bad input: certificate load of a truncated PEM file", "[bad-input][certificate]") {
  scratch s;
  row([&] {
    const std::string path = s.file("half.pem", truncated(test::read_text(test::pki("leaf-ecdsa.pem"))));
    CHECK_THAT(thrown<sslpp::ssl_error>([&] { sslpp::certificate::load(path); }), Catch::Contains(path));
  });
}

TEST_CASE("bad input: certificate load of a truncated DER file", "[bad-input][certificate]") {
  scratch s;
  row([&] {
    const std::string path = s.file("half.der", truncated(der_text(test::pki("leaf-ecdsa.pem"))));
    CHECK_THAT(thrown<sslpp::ssl_error>([&] { sslpp::certificate::load(path); }), Catch::Contains(path));
  });
}

TEST_CASE("bad input: certificate load of an empty file", "[bad-input][certificate]") {
  scratch s;
  row([&] {
    const std::string path = s.file("empty.pem", "");
    CHECK_THAT(thrown<sslpp::ssl_error>([&] { sslpp::certificate::load(path); }), Catch::Contains(path));
  });
}

TEST_CASE("bad input: certificate from_pem of garbage and of truncated text", "[bad-input][certificate]") {
  row([] {
    CHECK_THAT(thrown<sslpp::ssl_error>([] { sslpp::certificate::from_pem("garbage"); }), Catch::Contains("PEM"));
    const std::string half = truncated(test::read_text(test::pki("ca.pem")));
    CHECK_THAT(thrown<sslpp::ssl_error>([&] { sslpp::certificate::from_pem(half); }), Catch::Contains("PEM"));
    // A PEM block whose base64 body is damaged.
    std::string damaged = test::read_text(test::pki("ca.pem"));
    damaged[damaged.size() / 2] = '!';
    CHECK_THAT(thrown<sslpp::ssl_error>([&] { sslpp::certificate::from_pem(damaged); }), Catch::Contains("PEM"));
  });
}

TEST_CASE("bad input: certificate from_der of empty and truncated bytes", "[bad-input][certificate]") {
  row([] {
    CHECK_THAT(thrown<sslpp::ssl_error>([] { sslpp::certificate::from_der({}); }), Catch::Contains("DER"));
    const std::string half = truncated(der_text(test::pki("ca.pem")));
    CHECK_THAT(thrown<sslpp::ssl_error>([&] {
                 sslpp::certificate::from_der(std::as_bytes(std::span(half.data(), half.size())));
               }),
               Catch::Contains("DER"));
  });
}

// ---------------------------------------------------------------- load_cert_chain

TEST_CASE("bad input: load_cert_chain with a missing certificate file", "[bad-input][credentials]") {
  row([] {
    auto ctx = sslpp::context_for(sslpp::protocol::tls_server);
    const std::string path = "/nonexistent/sslpp/chain.pem";
    CHECK_THAT(thrown<std::system_error>([&] { ctx.load_cert_chain(path, test::pki("leaf-ecdsa.key")); }, true),
               Catch::Contains(path));
  });
}

TEST_CASE("bad input: load_cert_chain with a missing key file", "[bad-input][credentials]") {
  row([] {
    auto ctx = sslpp::context_for(sslpp::protocol::tls_server);
    const std::string path = "/nonexistent/sslpp/leaf.key";
    CHECK_THAT(thrown<std::system_error>([&] { ctx.load_cert_chain(test::pki("fullchain-ecdsa.pem"), path); }, true),
               Catch::Contains(path));
  });
}

TEST_CASE("bad input: load_cert_chain with an unreadable key file", "[bad-input][credentials]") {
  scratch s;
  row([&] {
    auto ctx = sslpp::context_for(sslpp::protocol::tls_server);
    const std::string path = s.unreadable("leaf.key");
    CHECK_THAT(thrown<std::system_error>([&] { ctx.load_cert_chain(test::pki("fullchain-ecdsa.pem"), path); }, true),
               Catch::Contains(path));
  });
}

TEST_CASE("bad input: load_cert_chain with files in the wrong format", "[bad-input][credentials]") {
  row([] {
    auto ctx = sslpp::context_for(sslpp::protocol::tls_server);
    // A key where the chain belongs, and a certificate where the key belongs.
    const std::string key = test::pki("leaf-ecdsa.key");
    CHECK_THAT(thrown<sslpp::ssl_error>([&] { ctx.load_cert_chain(key, key); }), Catch::Contains(key));
    const std::string cert = test::pki("leaf-ecdsa.pem");
    CHECK_THAT(thrown<sslpp::ssl_error>([&] { ctx.load_cert_chain(cert, cert); }),
               Catch::Contains(cert) && Catch::Contains("private key"));
  });
}

TEST_CASE("bad input: load_cert_chain with a truncated key", "[bad-input][credentials]") {
  scratch s;
  row([&] {
    auto ctx = sslpp::context_for(sslpp::protocol::tls_server);
    const std::string path = s.file("half.key", truncated(test::read_text(test::pki("leaf-rsa.key"))));
    CHECK_THAT(thrown<sslpp::ssl_error>([&] { ctx.load_cert_chain(test::pki("fullchain-rsa.pem"), path); }),
               Catch::Contains(path));
  });
}

TEST_CASE("bad input: load_cert_chain with a wrong password", "[bad-input][credentials]") {
  row([] {
    auto ctx = sslpp::context_for(sslpp::protocol::tls_server);
    const std::string key = test::pki("leaf-encrypted.key");
    const std::string msg =
        thrown<sslpp::ssl_error>([&] { ctx.load_cert_chain(test::pki("fullchain-ecdsa.pem"), key, "wrong"); });
    CHECK_THAT(msg, Catch::Contains("password") && Catch::Contains(key));
    // The same through a callback.
    const std::string msg2 = thrown<sslpp::ssl_error>(
        [&] { ctx.load_cert_chain(test::pki("fullchain-ecdsa.pem"), key, [] { return std::string("nope"); }); });
    CHECK_THAT(msg2, Catch::Contains("password") && Catch::Contains(key));
  });
}

TEST_CASE("bad input: a wrong password says so and not the backend's ASN.1 wrapper", "[bad-input][credentials]") {
  // The encrypted PKCS#8 key of the PKI, and the same key in the legacy PEM form
  // ("Proc-Type: 4,ENCRYPTED"), made here with the openssl command.
  scratch s;
  const std::string legacy = (s.dir / "legacy-encrypted.key").string();
  test::child make({"openssl", "pkey", "-in", test::pki("leaf-ecdsa.key"), "-traditional", "-aes256", "-passout",
                    "pass:s3cret", "-out", legacy});
  REQUIRE(make.wait() == 0);
  REQUIRE_THAT(test::read_text(legacy), Catch::Contains("Proc-Type: 4,ENCRYPTED"));
  for (const std::string& key : {test::pki("leaf-encrypted.key"), legacy}) {
    row([&] {
      auto ctx = sslpp::context_for(sslpp::protocol::tls_server);
      try {
        ctx.load_cert_chain(test::pki("fullchain-ecdsa.pem"), key, "wrong");
        FAIL("loaded " << key << " with a wrong password");
      } catch (const sslpp::ssl_error& e) {
        const std::string msg = e.what();
        CHECK_THAT(msg, Catch::StartsWith("wrong password for the private key in '" + key + "'"));
        CHECK_THAT(msg, !Catch::Contains("ASN.1") && !Catch::Contains("encoding routines"));
        CHECK(e.reason() == "BAD_DECRYPT");
        CHECK((e.library() == "CIPHER" || e.library() == "PEM"));
        CHECK(e.code().category() == sslpp::boringssl_category());  // the backend's code, as before
      }
      // The right password still loads it.
      CHECK_NOTHROW(ctx.load_cert_chain(test::pki("fullchain-ecdsa.pem"), key, "s3cret"));
    });
  }
}

TEST_CASE("bad input: load_cert_chain of an encrypted key without a password", "[bad-input][credentials]") {
  row([] {
    auto ctx = sslpp::context_for(sslpp::protocol::tls_server);
    const std::string key = test::pki("leaf-encrypted.key");
    CHECK_THAT(thrown<sslpp::ssl_error>([&] { ctx.load_cert_chain(test::pki("fullchain-ecdsa.pem"), key); }),
               Catch::Contains("password") && Catch::Contains(key));
  });
}

TEST_CASE("bad input: load_cert_chain with an oversized password", "[bad-input][credentials]") {
  row([] {
    auto ctx = sslpp::context_for(sslpp::protocol::tls_server);
    const std::string key = test::pki("leaf-encrypted.key");
    CHECK_THAT(thrown<sslpp::ssl_error>(
                   [&] { ctx.load_cert_chain(test::pki("fullchain-ecdsa.pem"), key, std::string(100000, 'p')); }),
               Catch::Contains("password"));
  });
}

TEST_CASE("bad input: load_cert_chain with a password callback that throws", "[bad-input][credentials]") {
  // Python propagates the callback's exception; so must sslpp, without letting it unwind
  // through the backend's C frames (which would terminate the program).
  row([] {
    auto ctx = sslpp::context_for(sslpp::protocol::tls_server);
    const std::string key = test::pki("leaf-encrypted.key");
    CHECK_THAT(thrown<std::runtime_error>([&] {
                 ctx.load_cert_chain(test::pki("fullchain-ecdsa.pem"), key,
                                     []() -> std::string { throw std::runtime_error("the user cancelled the prompt"); });
               }),
               Catch::Contains("the user cancelled the prompt"));
    // The context still works afterwards.
    ctx.load_cert_chain(test::pki("fullchain-ecdsa.pem"), key, "s3cret");
  });
}

TEST_CASE("bad input: load_cert_chain with a key that does not match the certificate", "[bad-input][credentials]") {
  row([] {
    auto ctx = sslpp::context_for(sslpp::protocol::tls_server);
    const std::string msg = thrown<sslpp::ssl_error>(
        [&] { ctx.load_cert_chain(test::pki("fullchain-ecdsa.pem"), test::pki("leaf-rsa.key")); });
    CHECK_THAT(msg, Catch::Contains("does not match") && Catch::Contains("leaf-rsa.key"));
    const std::string msg2 = thrown<sslpp::ssl_error>(
        [&] { ctx.load_cert_chain(test::pki("fullchain-ecdsa.pem"), test::pki("expired.key")); });
    CHECK_THAT(msg2, Catch::Contains("does not match"));
  });
}

TEST_CASE("bad input: load_cert_chain_pem with truncated and mismatched data", "[bad-input][credentials]") {
  row([] {
    auto ctx = sslpp::context_for(sslpp::protocol::tls_server);
    const std::string chain = test::read_text(test::pki("fullchain-ecdsa.pem"));
    const std::string key = test::read_text(test::pki("leaf-ecdsa.key"));
    CHECK_THAT(thrown<sslpp::ssl_error>([&] { ctx.load_cert_chain_pem(truncated(chain), key); }),
               Catch::Contains("PEM"));
    CHECK_THAT(thrown<sslpp::ssl_error>([&] { ctx.load_cert_chain_pem(chain, truncated(key)); }),
               Catch::Contains("key"));
    CHECK_THAT(thrown<sslpp::ssl_error>(
                   [&] { ctx.load_cert_chain_pem(chain, test::read_text(test::pki("leaf-rsa.key"))); }),
               Catch::Contains("does not match"));
    CHECK_THAT(thrown<sslpp::ssl_error>([&] { ctx.load_cert_chain_pem("", ""); }), Catch::Contains("PEM"));
  });
}

// ---------------------------------------------------------------- trust

TEST_CASE("bad input: load_verify_locations with a missing CA file", "[bad-input][trust]") {
  row([] {
    auto ctx = sslpp::context_for(sslpp::protocol::tls_client);
    const std::string path = "/nonexistent/sslpp/ca.pem";
    CHECK_THAT(thrown<std::system_error>([&] { ctx.load_verify_locations(path); }, true), Catch::Contains(path));
    CHECK_THAT(thrown<std::system_error>(
                   [&] { sslpp::create_default_context(sslpp::purpose::server_auth, {.cafile = path}); }, true),
               Catch::Contains(path));
  });
}

TEST_CASE("bad input: load_verify_locations with an unreadable CA file", "[bad-input][trust]") {
  scratch s;
  row([&] {
    auto ctx = sslpp::context_for(sslpp::protocol::tls_client);
    const std::string path = s.unreadable("ca.pem");
    CHECK_THAT(thrown<std::system_error>([&] { ctx.load_verify_locations(path); }, true), Catch::Contains(path));
  });
}

TEST_CASE("bad input: load_verify_locations with a CA file in the wrong format", "[bad-input][trust]") {
  scratch s;
  row([&] {
    auto ctx = sslpp::context_for(sslpp::protocol::tls_client);
    const std::string key = test::pki("ca.key");
    CHECK_THAT(thrown<sslpp::ssl_error>([&] { ctx.load_verify_locations(key); }), Catch::Contains(key));
    const std::string empty = s.file("empty.pem", "");
    CHECK_THAT(thrown<sslpp::ssl_error>([&] { ctx.load_verify_locations(empty); }), Catch::Contains(empty));
  });
}

TEST_CASE("bad input: load_verify_locations with a truncated CA file", "[bad-input][trust]") {
  scratch s;
  row([&] {
    auto ctx = sslpp::context_for(sslpp::protocol::tls_client);
    const std::string path = s.file("half-ca.pem", truncated(test::read_text(test::pki("ca.pem"))));
    CHECK_THAT(thrown<sslpp::ssl_error>([&] { ctx.load_verify_locations(path); }), Catch::Contains(path));
  });
}

TEST_CASE("bad input: trust with a missing CA directory", "[bad-input][trust]") {
  row([] {
    auto ctx = sslpp::context_for(sslpp::protocol::tls_client);
    const std::string path = "/nonexistent/sslpp/certs";
    CHECK_THAT(thrown<std::system_error>([&] { ctx.load_verify_locations(sslpp::trust{.capath = path}); }, true),
               Catch::Contains(path));
  });
}

TEST_CASE("bad input: trust cadata that is garbage or truncated", "[bad-input][trust]") {
  row([] {
    auto ctx = sslpp::context_for(sslpp::protocol::tls_client);
    CHECK_THAT(thrown<sslpp::ssl_error>(
                   [&] { ctx.load_verify_locations(sslpp::trust{.cadata = std::string("not PEM")}); }),
               Catch::Contains("cadata"));
    const std::string half = truncated(der_text(test::pki("ca.pem")));
    const auto* p = reinterpret_cast<const std::byte*>(half.data());
    CHECK_THAT(thrown<sslpp::ssl_error>([&] {
                 ctx.load_verify_locations(sslpp::trust{.cadata = std::vector<std::byte>(p, p + half.size())});
               }),
               Catch::Contains("cadata"));
    CHECK_THAT(thrown<sslpp::ssl_error>(
                   [&] { ctx.load_verify_locations(sslpp::trust{.cadata = std::vector<std::byte>{}}); }),
               Catch::Contains("cadata"));
  });
}

// ---------------------------------------------------------------- host names, ciphers, ALPN, groups

TEST_CASE("bad input: runtime_hostname that is empty", "[bad-input][hostname]") {
  row([] {
    CHECK_THAT(thrown<std::invalid_argument>([] { sslpp::runtime_hostname(""); }), Catch::Contains("empty"));
  });
}

TEST_CASE("bad input: runtime_hostname that is oversized", "[bad-input][hostname]") {
  row([] {
    std::string long_name;
    while (long_name.size() < 300) long_name += "abcdefghi.";
    long_name.pop_back();
    CHECK_THAT(thrown<std::invalid_argument>([&] { sslpp::runtime_hostname(long_name); }),
               Catch::Contains("longer than 253"));
    const std::string long_label = std::string(64, 'a') + ".example";
    CHECK_THAT(thrown<std::invalid_argument>([&] { sslpp::runtime_hostname(long_label); }),
               Catch::Contains("longer than 63"));
    // A megabyte of name: the message quotes a bounded prefix only.
    const std::string huge(1 << 20, 'a');
    CHECK(thrown<std::invalid_argument>([&] { sslpp::runtime_hostname(huge); }).size() < 400);
  });
}

TEST_CASE("bad input: runtime_hostname with a NUL byte or a bad shape", "[bad-input][hostname]") {
  row([] {
    using namespace std::string_view_literals;
    CHECK_THAT(thrown<std::invalid_argument>([] { sslpp::runtime_hostname("good.example\0.evil"sv); }),
               Catch::Contains("NUL"));
    CHECK_THAT(thrown<std::invalid_argument>([] { sslpp::runtime_hostname(".example"); }), Catch::Contains("dot"));
    CHECK_THAT(thrown<std::invalid_argument>([] { sslpp::runtime_hostname("a..example"); }),
               Catch::Contains("empty label"));
    CHECK_THAT(thrown<std::invalid_argument>([] { sslpp::runtime_hostname("example.."); }), Catch::Contains("dot"));
    CHECK_THAT(thrown<std::invalid_argument>([] { sslpp::runtime_hostname("b\xc3\xbc" "cher.example"); }),
               Catch::Contains("ASCII"));
  });
}

TEST_CASE("bad input: set_ciphers with an unknown cipher", "[bad-input][ciphers]") {
  row([] {
    auto ctx = sslpp::context_for(sslpp::protocol::tls_client);
    CHECK_THAT(thrown<sslpp::ssl_error>([&] { ctx.set_ciphers(std::string("NO-SUCH-CIPHER")); }), Catch::Contains("NO-SUCH-CIPHER"));
    CHECK_THAT(thrown<sslpp::ssl_error>([&] { ctx.set_ciphers(std::string()); }), Catch::Contains("cipher"));
  });
}

// Rows for members other engineers are adding: they run once the member exists (checked
// with a requires-expression inside a template, so this file compiles either way).
template <class Ctx>
bool alpn_row(Ctx& ctx) {
  if constexpr (requires { ctx.set_alpn_protocols(std::vector<std::string>{""}); }) {
    row([&] {
      CHECK_THAT(thrown<std::exception>([&] { ctx.set_alpn_protocols(std::vector<std::string>{""}); }),
                 Catch::Contains("ALPN"));
      CHECK_THAT(thrown<std::exception>(
                     [&] { ctx.set_alpn_protocols(std::vector<std::string>{std::string(256, 'h')}); }),
                 Catch::Contains("ALPN"));
    });
    return true;
  } else {
    return false;
  }
}
template <class Ctx>
bool groups_row(Ctx& ctx) {
  if constexpr (requires { ctx.set_groups(std::vector<std::string>{"X25519"}); }) {
    row([&] {
      CHECK_THAT(thrown<std::invalid_argument>([&] { ctx.set_groups(std::vector<std::string>{"NO-SUCH-GROUP"}); }),
                 Catch::Contains("NO-SUCH-GROUP"));
    });
    return true;
  } else {
    return false;
  }
}

TEST_CASE("bad input: set_alpn_protocols with an empty or oversized protocol name", "[bad-input][alpn]") {
  auto ctx = sslpp::context_for(sslpp::protocol::tls_client);
  if (!alpn_row(ctx)) WARN("not run: set_alpn_protocols does not exist yet (issue 5)");
}

TEST_CASE("bad input: set_groups with an unknown group", "[bad-input][groups]") {
  auto ctx = sslpp::context_for(sslpp::protocol::tls_client);
  if (!groups_row(ctx)) WARN("not run: set_groups does not exist yet (issue 5)");
}

// ---------------------------------------------------------------- sockets and peers

TEST_CASE("bad input: tcp_socket connect to a closed port or an unknown host", "[bad-input][socket]") {
  row([] {
    const test::closed_port refusing;
    const std::uint16_t port = refusing.port();
    const std::string msg =
        thrown<std::system_error>([&] { sslpp::tcp_socket::connect("127.0.0.1", port); }, true);
    CHECK_THAT(msg, Catch::Contains("127.0.0.1:" + std::to_string(port)));
    std::error_code ec;
    auto s = sslpp::tcp_socket::connect("127.0.0.1", port, {}, ec);
    CHECK(ec == std::errc::connection_refused);
    CHECK_FALSE(s.is_open());
    CHECK_THAT(thrown<std::system_error>([] { sslpp::tcp_socket::connect("no-such-host.invalid", 443); }, true),
               Catch::Contains("no-such-host.invalid"));
  });
}

TEST_CASE("bad input: handshake over a socket the peer closed", "[bad-input][peer]") {
  row([] {
    auto server = raw_server("", false);
    auto ctx = test::client_context_trusting_root();
    const std::string msg = thrown<sslpp::eof_error>(
        [&] { ctx.wrap_socket(sslpp::tcp_socket::connect("127.0.0.1", server.port()), "localhost"); });
    CHECK_THAT(msg, Catch::Contains("EOF") && Catch::Contains("localhost"));
    server.join();
    // The error_code form says the same without throwing.
    auto server2 = raw_server("", false);
    auto tls = ctx.wrap_socket(sslpp::tcp_socket::connect("127.0.0.1", server2.port()), "localhost",
                               {.do_handshake_on_connect = false});
    std::error_code ec;
    tls.do_handshake(ec);
    CHECK(ec == sslpp::ssl_errc::eof);
    server2.join();
  });
}

TEST_CASE("bad input: handshake over a socket that holds no descriptor", "[bad-input][peer]") {
  row([] {
    auto ctx = test::client_context_trusting_root();
    CHECK_THAT(thrown<std::invalid_argument>([&] { ctx.wrap_socket(sslpp::tcp_socket(), "localhost"); }),
               Catch::Contains("closed socket"));
  });
}

TEST_CASE("bad input: writing and reading after the peer closed the connection", "[bad-input][peer]") {
  row([] {
    auto server = test::server_thread([](sslpp::tcp_socket sock) {
      auto tls = test::server_context_with().wrap_socket(std::move(sock));
      // Closes the TCP connection without close_notify.
    });
    auto ctx = test::client_context_trusting_root();
    auto tls = ctx.wrap_socket(sslpp::tcp_socket::connect("127.0.0.1", server.port()), "localhost",
                               {.suppress_ragged_eofs = false});
    server.join();
    // The first write may still be taken by the kernel; later ones fail with EPIPE or
    // ECONNRESET — an ssl_error, never a SIGPIPE that kills the process.
    std::error_code ec;
    const std::string chunk(1000, 'x');
    for (int i = 0; i < 50 && !ec; ++i) {
      tls.sendall(std::as_bytes(std::span(chunk.data(), chunk.size())), ec);
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    CHECK(ec);
    CHECK_THROWS_AS(tls.read(10), sslpp::ssl_error);
  });
}

TEST_CASE("bad input: a client handshake with a non-TLS peer", "[bad-input][peer]") {
  row([] {
    std::string noise;
    for (int i = 0; i < 512; ++i) noise += static_cast<char>((i * 7919 + 13) & 0xff);
    auto server = raw_server(noise);
    auto ctx = test::client_context_trusting_root();
    try {
      ctx.wrap_socket(sslpp::tcp_socket::connect("127.0.0.1", server.port()), "localhost");
      FAIL("the handshake succeeded with a non-TLS peer");
    } catch (const sslpp::cert_verification_error& e) {
      FAIL("a non-TLS peer reported as a certificate failure: " << e.what());
    } catch (const sslpp::ssl_error& e) {
      CHECK_FALSE(e.reason().empty());
      CHECK_THAT(e.what(), Catch::Contains("localhost"));
    }
    server.join();
  });
}

TEST_CASE("bad input: a server handshake with a non-TLS client", "[bad-input][peer]") {
  row([] {
    tls_server_failure failure;
    {
      auto server = failing_tls_server(failure);
      raw_client(server.port(), std::string(300, '\x01'));
      server.join();
    }
    CHECK(failure.is_ssl_error);
    CHECK_FALSE(failure.is_verify_error);
    CHECK_THAT(failure.message, Catch::Contains("from a client"));
  });
}

TEST_CASE("bad input: a client handshake with a peer speaking HTTP", "[bad-input][peer]") {
  row([] {
    auto server = raw_server("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    auto ctx = test::client_context_trusting_root();
    try {
      ctx.wrap_socket(sslpp::tcp_socket::connect("127.0.0.1", server.port()), "localhost");
      FAIL("the handshake succeeded with an HTTP server");
    } catch (const sslpp::cert_verification_error& e) {
      FAIL("an HTTP peer reported as a certificate failure: " << e.what());
    } catch (const sslpp::ssl_error& e) {
      CHECK_THAT(e.reason(), Catch::Contains("WRONG_VERSION_NUMBER") || Catch::Contains("HTTP"));
    }
    server.join();
  });
}

TEST_CASE("bad input: a server handshake with a client speaking HTTP", "[bad-input][peer]") {
  row([] {
    tls_server_failure failure;
    {
      auto server = failing_tls_server(failure);
      raw_client(server.port(), "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
      server.join();
    }
    CHECK(failure.is_ssl_error);
    CHECK(failure.reason == "HTTP_REQUEST");
  });
}

TEST_CASE("bad input: a handshake record over the size limit", "[bad-input][peer]") {
  row([] {
    // A handshake record header announcing 65535 bytes (the limit is 16384 + 2048).
    std::string record = tls_client_hello_prefix + std::string("\xff\xff", 2) + std::string(2000, '\x01');
    tls_server_failure failure;
    {
      auto server = failing_tls_server(failure);
      raw_client(server.port(), record);
      server.join();
    }
    CHECK(failure.is_ssl_error);
    CHECK_THAT(failure.reason, Catch::Contains("LENGTH") || Catch::Contains("TOO_LARGE") || Catch::Contains("TOO_LONG"));
    // And from the server's side, towards a client.
    auto server = raw_server(std::string("\x16\x03\x03\xff\xff", 5) + std::string(2000, '\x02'));
    auto ctx = test::client_context_trusting_root();
    const std::string msg = thrown<sslpp::ssl_error>(
        [&] { ctx.wrap_socket(sslpp::tcp_socket::connect("127.0.0.1", server.port()), "localhost"); });
    CHECK_THAT(msg, Catch::Contains("localhost"));
    server.join();
  });
}

TEST_CASE("bad input: an application data record over the size limit", "[bad-input][peer]") {
  // After a real handshake, the server's transport delivers a record header announcing
  // 65535 bytes of ciphertext (the limit is 16384 + 2048): its read must fail cleanly.
  row([] {
    auto injected = std::make_shared<std::string>();
    std::string reason;
    auto server = test::server_thread([&](sslpp::tcp_socket sock) {
      auto ctx = test::server_context_with();
      auto tls = ctx.wrap_socket(injecting_socket{std::move(sock), injected});
      CHECK(tls.read(100) == "hello");
      *injected = std::string("\x17\x03\x03\xff\xff", 5) + std::string(3000, '\x03');
      try {
        const std::string got = tls.read(100);
        FAIL("the oversized record was accepted: '" << got << "'");
      } catch (const sslpp::ssl_error& e) {
        reason = e.reason();
      }
    });
    auto ctx = test::client_context_trusting_root();
    auto tls = ctx.wrap_socket(sslpp::tcp_socket::connect("127.0.0.1", server.port()), "localhost");
    tls.sendall("hello");
    server.join();
    CHECK(reason == "ENCRYPTED_LENGTH_TOO_LONG");
  });
}

TEST_CASE("bad input: a peer that never answers times out", "[bad-input][peer]") {
  row([] {
    auto listener = sslpp::tcp_listener::listen("127.0.0.1", 0);  // accepts into the backlog, never speaks
    auto ctx = test::client_context_trusting_root();
    auto sock = sslpp::tcp_socket::connect("127.0.0.1", listener.port(), std::chrono::milliseconds(300));
    try {
      ctx.wrap_socket(std::move(sock), "localhost");
      FAIL("the handshake succeeded with a silent peer");
    } catch (const sslpp::ssl_error& e) {
      CHECK(e.code() == std::errc::timed_out);
      CHECK_THAT(e.what(), Catch::Contains("timed out"));
    }
  });
}

TEST_CASE("bad input: a server asks an sslpp client to renegotiate", "[bad-input][peer][renegotiation]") {
  row([] {
    std::uint16_t port = 0;
    test::child server = test::serve_on_free_port(
        [&](std::uint16_t p) {
          return std::vector<std::string>{"openssl", "s_server", "-accept", std::to_string(p), "-tls1_2", "-cert",
                                          test::pki("leaf-ecdsa.pem"), "-cert_chain", test::pki("intermediate.pem"),
                                          "-key", test::pki("leaf-ecdsa.key")};
        },
        port);
    auto ctx = test::client_context_trusting_root();
    auto sock = sslpp::tcp_socket::connect("127.0.0.1", port, std::chrono::seconds(10));
    auto tls = ctx.wrap_socket(std::move(sock), "localhost");
    REQUIRE(tls.version() == sslpp::tls_version::tlsv1_2);
    server.write_stdin("r\n");  // s_server: renegotiate
    try {
      const std::string got = tls.read(100);
      FAIL("the read succeeded after a renegotiation request: '" << got << "'");
    } catch (const sslpp::ssl_error& e) {
      CHECK(e.reason() == "NO_RENEGOTIATION");
      CHECK_THAT(e.what(), Catch::Contains("localhost"));
    }
  });
}

TEST_CASE("bad input: a client asks an sslpp server to renegotiate", "[bad-input][peer][renegotiation]") {
  row([] {
    tls_server_failure failure;
    {
      auto server = failing_tls_server(failure);
      test::child client({"openssl", "s_client", "-connect", "127.0.0.1:" + std::to_string(server.port()), "-tls1_2",
                          "-CAfile", test::pki("ca.pem")});
      REQUIRE(client.wait_for_output("Verify return code: 0"));
      client.write_stdin("R\n");  // s_client: renegotiate
      server.join();
      client.wait(std::chrono::seconds(5));
    }
    CHECK(failure.is_ssl_error);
    CHECK(failure.reason == "NO_RENEGOTIATION");
  });
}

// ---------------------------------------------------------------- newer entry points

TEST_CASE("bad input: cert_time_to_seconds and the PEM and DER converters given garbage", "[bad-input][certificate]") {
  row([] {
    for (const char* t : {"", "not a time", "Foo  5 09:34:43 2018 GMT", "Jan  5 25:34:43 2018 GMT",
                          "Jan  5 09:34:43 2018 PST", "Jan  5 09:34:43 99999999999999999999 GMT"})
      CHECK_THROWS_AS(sslpp::cert_time_to_seconds(t), std::invalid_argument);
    CHECK_THROWS_AS(sslpp::pem_cert_to_der_cert("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"),
                    sslpp::ssl_error);
    const std::string half = truncated(der_text(test::pki("ca.pem")));
    CHECK_THROWS_AS(sslpp::der_cert_to_pem_cert(std::as_bytes(std::span(half.data(), half.size()))), sslpp::ssl_error);
  });
}

TEST_CASE("bad input: set_keylog_filename with a path that cannot be opened", "[bad-input][credentials]") {
  row([] {
    auto ctx = sslpp::context_for(sslpp::protocol::tls_client);
    const std::string path = "/nonexistent/sslpp/keys.log";
    CHECK_THAT(thrown<std::system_error>([&] { ctx.set_keylog_filename(path); }, true), Catch::Contains(path));
    CHECK(ctx.keylog_filename().empty());
  });
}

TEST_CASE("bad input: get_server_certificate from a closed port and from a non-TLS peer", "[bad-input][peer]") {
  row([] {
    const test::closed_port refusing;
    CHECK_THROWS_AS(sslpp::get_server_certificate("127.0.0.1", refusing.port()), std::system_error);
    auto server = raw_server("HTTP/1.1 400 Bad Request\r\n\r\n");
    CHECK_THROWS_AS(sslpp::get_server_certificate("127.0.0.1", server.port()), sslpp::ssl_error);
    server.join();
  });
}

TEST_CASE("bad input: a sans-IO server fed HTTP and a sans-IO client fed a truncated stream", "[bad-input][sans-io]") {
  row([] {
    auto sctx = test::server_context_with();
    sslpp::memory_bio in, out;
    auto server = sctx.wrap_bio(in, out);
    in.write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
    try {
      server.do_handshake();
      FAIL("the handshake accepted an HTTP request");
    } catch (const sslpp::ssl_error& e) {
      CHECK(e.reason() == "HTTP_REQUEST");
    }
    // A client whose peer's bytes end in the middle of a record: more is wanted, then, at
    // the end of the input, an eof_error.
    auto cctx = test::client_context_trusting_root();
    sslpp::memory_bio cin, cout;
    auto client = cctx.wrap_bio(cin, cout, "localhost");
    CHECK_THROWS_AS(client.do_handshake(), sslpp::want_read_error);
    cin.write(std::string("\x16\x03\x03\x00\x40\x02\x00", 7));
    CHECK_THROWS_AS(client.do_handshake(), sslpp::want_read_error);
    cin.write_eof();
    CHECK_THROWS_AS(client.do_handshake(), sslpp::eof_error);
  });
}

// ---------------------------------------------------------------- regressions found by fuzzing

// fuzz_hostname found a signed overflow in the IPv4 parser on a long run of digits
// ("99999999999999:&;1"): undefined behaviour at run time, and — since the parser is
// constexpr — a constant-evaluation error, so this line does not compile while it is there.
static_assert(!sslpp::detail::looks_like_ipv4("99999999999999"));
static_assert(!sslpp::detail::looks_like_ipv4("4294967296.1.1.1"));

TEST_CASE("bad input: runtime_hostname with a long run of digits", "[bad-input][hostname][regression]") {
  row([] {
    // Each is either refused with a reason or accepted as a host name; never mistaken for
    // an IPv4 address (run under UBSan by tools/ci.d/sanitizers.sh).
    for (const std::string name : {"99999999999999", "99999999999999:&;1", "4294967296.1.1.1", "1.2.3.99999999999"}) {
      try {
        const bool ip = sslpp::runtime_hostname(name).is_ip_address();
        CHECK_FALSE(ip);
      } catch (const std::invalid_argument& e) {
        CHECK_THAT(e.what(), Catch::Contains(name.substr(0, 10)));
      }
    }
  });
}
