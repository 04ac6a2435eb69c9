// Encrypted Client Hello (ECH): sslpp::ech_keys, server_context::set_ech_keys,
// wrap_options::ech_config_list, ech_accepted, ech_rejected_error and GREASE — with sslpp
// on both ends over memory BIOs, where the test sees every byte the client sent and parses
// the ClientHello as a passive observer would, and against bssl-tool both ways.
#include "ech_support.hpp"
#include "features_support.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>

namespace {

using namespace test::ech;

std::vector<std::byte> bytes_of(std::string_view s) {
  const auto* p = reinterpret_cast<const std::byte*>(s.data());
  return {p, p + s.size()};
}
std::string text_of(const std::vector<std::byte>& b) { return {reinterpret_cast<const char*>(b.data()), b.size()}; }

void write_file(const std::string& path, const std::vector<std::byte>& b) {
  std::ofstream f(path, std::ios::binary);
  f.write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
}
std::vector<std::byte> read_file(const std::string& path) { return bytes_of(test::read_text(path)); }

/// temp_dir: a fresh directory removed at the end of the test.
struct temp_dir {
  std::filesystem::path path;
  temp_dir() {
    static int n = 0;
    path = std::filesystem::temp_directory_path() /
           ("sslpp-ech-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
    std::filesystem::create_directories(path);
  }
  ~temp_dir() { std::filesystem::remove_all(path); }
  std::string operator/(const std::string& name) const { return (path / name).string(); }
};

// --- a passive observer: the ClientHello as it goes over the wire ---

struct observed_hello {
  std::optional<std::string> sni;           // the server_name extension's host name
  std::map<std::uint16_t, std::string> extensions;  // type -> body
  bool has(std::uint16_t type) const { return extensions.count(type) != 0; }
};

std::uint32_t be(const std::string& s, std::size_t at, int n) {
  std::uint32_t v = 0;
  for (int i = 0; i < n; ++i) v = v << 8 | static_cast<unsigned char>(s.at(at + static_cast<std::size_t>(i)));
  return v;
}

/// parse_client_hello: the first ClientHello in `wire` (TLS records as the client sent
/// them), read as anyone on the path can: record layer, handshake header, extensions.
observed_hello parse_client_hello(const std::string& wire) {
  std::string handshake;
  for (std::size_t at = 0; at + 5 <= wire.size();) {
    const auto type = static_cast<unsigned char>(wire[at]);
    const std::size_t len = be(wire, at + 3, 2);
    if (type == 0x16) handshake += wire.substr(at + 5, len);
    at += 5 + len;
    if (handshake.size() >= 4 && handshake.size() >= 4 + be(handshake, 1, 3)) break;
  }
  REQUIRE(handshake.size() >= 4);
  REQUIRE(static_cast<unsigned char>(handshake[0]) == 1);  // client_hello
  const std::string body = handshake.substr(4, be(handshake, 1, 3));
  std::size_t at = 2 + 32;                       // legacy_version, random
  at += 1 + be(body, at, 1);                     // legacy_session_id
  at += 2 + be(body, at, 2);                     // cipher_suites
  at += 1 + be(body, at, 1);                     // legacy_compression_methods
  const std::size_t end = at + 2 + be(body, at, 2);
  at += 2;
  observed_hello out;
  while (at + 4 <= end) {
    const auto type = static_cast<std::uint16_t>(be(body, at, 2));
    const std::size_t len = be(body, at + 2, 2);
    out.extensions[type] = body.substr(at + 4, len);
    at += 4 + len;
  }
  if (out.has(0)) {  // server_name: list<2> of name_type(1) host_name<2>
    const std::string& sn = out.extensions[0];
    REQUIRE(static_cast<unsigned char>(sn.at(2)) == 0);
    out.sni = sn.substr(5, be(sn, 3, 2));
  }
  return out;
}

constexpr std::uint16_t ech_extension = 0xfe0d;

// --- sslpp on both ends over memory BIOs ---

bool contains(const std::string& haystack, std::string_view needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace

// --- keys and their files ---

TEST_CASE("ech keys: generate makes an X25519 config in the draft-13 format, with its list and key", "[ech]") {
  const auto keys = sslpp::ech_keys::generate(7, public_name);
  CHECK(keys.config_id() == 7);
  CHECK(keys.public_name() == public_name);
  const std::string config = text_of(keys.config());
  REQUIRE(config.size() > 40);
  CHECK(be(config, 0, 2) == 0xfe0d);                 // version
  CHECK(be(config, 2, 2) == config.size() - 4);      // length
  CHECK(be(config, 4, 1) == 7);                      // config_id
  CHECK(be(config, 5, 2) == 0x0020);                 // DHKEM(X25519, HKDF-SHA256)
  CHECK(be(config, 7, 2) == 32);                     // public key
  const std::size_t suites = 9 + 32;
  CHECK(contains(config.substr(suites + 2, be(config, suites, 2)), std::string("\x00\x01\x00\x01", 4)));  // HKDF-SHA256, AES-128-GCM
  CHECK(contains(config, public_name));
  const std::string list = text_of(keys.config_list());
  CHECK(be(list, 0, 2) == config.size());
  CHECK(list.substr(2) == config);
  CHECK(keys.private_key_bytes().size() == 32);

  // Saved and loaded back: the same key pair.
  const auto again = sslpp::ech_keys::load(keys.config(), keys.private_key_bytes());
  CHECK(again.config() == keys.config());
  CHECK(again.private_key_bytes() == keys.private_key_bytes());
  CHECK(again.config_id() == 7);
  CHECK(again.public_name() == public_name);
  // Two generations never share a key.
  CHECK(sslpp::ech_keys::generate(7, public_name).private_key_bytes() != keys.private_key_bytes());
  // config_list_of: several configs, in order.
  const auto other = sslpp::ech_keys::generate(8, public_name);
  const std::string both = text_of(sslpp::ech_keys::config_list_of({keys, other}));
  CHECK(be(both, 0, 2) == keys.config().size() + other.config().size());
  CHECK(both.substr(2) == config + text_of(other.config()));
}

TEST_CASE("ech keys: the files bssl-tool generate-ech writes load, and ours equal its format", "[ech][interop]") {
  temp_dir dir;
  test::child gen({"bssl-tool", "generate-ech", "-out-ech-config-list", dir / "list", "-out-ech-config", dir / "config",
                   "-out-private-key", dir / "key", "-public-name", public_name, "-config-id", "42"});
  REQUIRE(gen.wait() == 0);
  const auto keys = sslpp::ech_keys::load_files(dir / "config", dir / "key");
  CHECK(keys.config_id() == 42);
  CHECK(keys.public_name() == public_name);
  CHECK(keys.config() == read_file(dir / "config"));
  CHECK(keys.private_key_bytes() == read_file(dir / "key"));
  CHECK(keys.config_list() == read_file(dir / "list"));  // the list is made the same way
}

// --- the privacy property, seen from the wire ---

TEST_CASE("ech: an observer of the client's bytes sees only the public name, without ECH the real one", "[ech]") {
  const auto keys = sslpp::ech_keys::generate(1, public_name);
  auto seen = std::make_shared<std::vector<std::string>>();
  const auto sctx = server_with({keys}, {}, seen);
  const auto cctx = client();

  SECTION("with ECH") {
    bio_connection c(cctx, sctx, {.ech_config_list = keys.config_list()});
    c.handshake();
    CHECK(c.client.ech_accepted());
    CHECK(c.server.ech_accepted());
    const observed_hello hello = parse_client_hello(c.client_wire);
    CHECK(hello.sni == std::optional<std::string>(public_name));
    CHECK(hello.has(ech_extension));
    // Not in the SNI, and nowhere else in any byte the client sent.
    CHECK_FALSE(contains(c.client_wire, secret_name));
    // The server decrypted the real name (its SNI callback saw it) and presented its certificate.
    CHECK(*seen == std::vector<std::string>{secret_name});
    CHECK(c.client.getpeercert()->subject_alt_names().front().value == secret_name);
    c.client.write("hello over ECH");
    c.pump();
    CHECK(c.server.read(100) == "hello over ECH");
  }
  SECTION("without ECH") {
    bio_connection c(cctx, sctx, {});
    c.handshake();
    CHECK_FALSE(c.client.ech_accepted());
    CHECK_FALSE(c.server.ech_accepted());
    const observed_hello hello = parse_client_hello(c.client_wire);
    CHECK(hello.sni == std::optional<std::string>(secret_name));
    CHECK_FALSE(hello.has(ech_extension));
  }
}

TEST_CASE("ech: over a TCP stream, ech_accepted on both ends", "[ech]") {
  const auto keys = sslpp::ech_keys::generate(3, public_name);
  const auto sctx = server_with({keys});
  bool server_accepted = false;
  test::server_thread srv([&](sslpp::tcp_socket s) {
    auto tls = sctx.wrap_socket(std::move(s));
    server_accepted = tls.ech_accepted();
    tls.sendall(tls.read(100));
  });
  auto tls = feat::connect(client(), srv.port(), sslpp::runtime_hostname(secret_name),
                           {.ech_config_list = keys.config_list()});
  CHECK(tls.ech_accepted());
  tls.sendall("ping");
  CHECK(tls.read(100) == "ping");
  srv.join();
  CHECK(server_accepted);
}

// --- rejection, retry configs, and what never happens after one ---

TEST_CASE("ech: a server with rotated keys rejects, its authenticated retry configs connect, the name never goes out",
          "[ech]") {
  const auto old_keys = sslpp::ech_keys::generate(1, public_name);
  const auto new_keys = sslpp::ech_keys::generate(2, public_name);
  auto seen = std::make_shared<std::vector<std::string>>();
  const auto sctx = server_with({new_keys}, {}, seen);
  const auto cctx = client();

  bio_connection first(cctx, sctx, {.ech_config_list = old_keys.config_list()});
  std::vector<std::byte> retry;
  try {
    first.handshake();
    FAIL("the handshake with a stale config succeeded");
  } catch (const sslpp::ech_rejected_error& e) {
    retry = e.retry_configs();
    CHECK(e.public_name() == public_name);
    CHECK(e.reason() == "ECH_REJECTED");
    CHECK(e.library() == "SSL");
    CHECK(contains(e.what(), "retry configs"));
    CHECK(contains(e.what(), public_name));
    const sslpp::ssl_error& base = e;  // one of the library's errors
    CHECK(base.code().category() == sslpp::boringssl_category());
  }
  CHECK(retry == new_keys.config_list());
  CHECK(first.client.ech_retry_configs() == std::optional<std::vector<std::byte>>(retry));
  // The outer hello named the public name only, and so did everything after it.
  CHECK(parse_client_hello(first.client_wire).sni == std::optional<std::string>(public_name));
  CHECK_FALSE(contains(first.client_wire, secret_name));
  CHECK(*seen == std::vector<std::string>{public_name});

  // Retrying with what the server sent: accepted, still nothing in clear.
  bio_connection second(cctx, sctx, {.ech_config_list = retry});
  second.handshake();
  CHECK(second.client.ech_accepted());
  CHECK(second.server.ech_accepted());
  CHECK_FALSE(contains(second.client_wire, secret_name));
  CHECK(seen->back() == secret_name);
}

TEST_CASE("ech: rotation: also_accepted keys still decrypt, only current ones are sent as retry configs", "[ech]") {
  const auto retired = sslpp::ech_keys::generate(1, public_name);
  const auto current_a = sslpp::ech_keys::generate(2, public_name);
  const auto current_b = sslpp::ech_keys::generate(3, public_name);
  const auto unknown = sslpp::ech_keys::generate(4, public_name);
  const auto sctx = server_with({current_a, current_b}, {retired});
  const auto cctx = client();
  for (const auto& k : {retired, current_a, current_b}) {
    bio_connection c(cctx, sctx, {.ech_config_list = k.config_list()});
    c.handshake();
    CHECK(c.client.ech_accepted());
  }
  bio_connection c(cctx, sctx, {.ech_config_list = unknown.config_list()});
  try {
    c.handshake();
    FAIL("an unknown config was accepted");
  } catch (const sslpp::ech_rejected_error& e) {
    CHECK(e.retry_configs() == sslpp::ech_keys::config_list_of({current_a, current_b}));
  }
  // A list with an unknown config first and a known one after: the client uses the first
  // it supports, and so is rejected (and not silently downgraded).
  CHECK_THROWS_AS(
      bio_connection(cctx, sctx, {.ech_config_list = sslpp::ech_keys::config_list_of({unknown, current_a})}).handshake(),
      sslpp::ech_rejected_error);
}

TEST_CASE("ech attack: retry configs from a server whose certificate is not valid for the public name are refused",
          "[ech][attack]") {
  const auto old_keys = sslpp::ech_keys::generate(1, public_name);
  const auto attacker_keys = sslpp::ech_keys::generate(9, public_name);
  // The rejecting server presents a certificate for the secret name only (as an attacker
  // with a valid certificate for some other name would): the rejection is not authenticated.
  const auto sctx = server_with({attacker_keys}, {}, nullptr, /*has_public_certificate=*/false);
  bio_connection c(client(), sctx, {.ech_config_list = old_keys.config_list()});
  try {
    c.handshake();
    FAIL("the handshake succeeded");
  } catch (const sslpp::ech_rejected_error& e) {
    FAIL("retry configs were handed out from an unauthenticated server: " << e.what());
  } catch (const sslpp::cert_verification_error& e) {
    CHECK(contains(e.what(), "not valid for 'public.example'"));
    CHECK(contains(e.what(), "Encrypted Client Hello"));
  }
  CHECK_FALSE(c.client.ech_retry_configs().has_value());
  CHECK_FALSE(contains(c.client_wire, secret_name));
}

TEST_CASE("ech attack: a server without ECH (rolled back) gets the public name only, no retry configs and no fallback",
          "[ech][attack]") {
  const auto stale = sslpp::ech_keys::generate(1, public_name);
  auto seen = std::make_shared<std::vector<std::string>>();
  const auto sctx = server_with({}, {}, seen);  // no ECH keys at all
  bio_connection c(client(), sctx, {.ech_config_list = stale.config_list()});
  try {
    c.handshake();
    FAIL("the handshake succeeded");
  } catch (const sslpp::ech_rejected_error& e) {
    CHECK(e.retry_configs().empty());
    CHECK(contains(e.what(), "sent no retry configs"));
  }
  CHECK(c.client.ech_retry_configs() == std::optional<std::vector<std::byte>>(std::vector<std::byte>{}));
  CHECK(*seen == std::vector<std::string>{public_name});
  CHECK_FALSE(contains(c.client_wire, secret_name));
  // The connection carries no data after a rejection.
  CHECK_THROWS_AS(c.client.write("x"), sslpp::ssl_error);
}

TEST_CASE("ech attack: the error_code forms report the rejection and keep the retry configs", "[ech][attack]") {
  const auto old_keys = sslpp::ech_keys::generate(1, public_name);
  const auto new_keys = sslpp::ech_keys::generate(2, public_name);
  const auto sctx = server_with({new_keys});
  bio_connection c(client(), sctx, {.ech_config_list = old_keys.config_list()});
  std::error_code ec;
  for (int round = 0; round < 12; ++round) {
    c.client.do_handshake(ec);
    if (ec != sslpp::ssl_errc::want_read) break;
    try {
      c.server.do_handshake();
    } catch (const sslpp::ssl_error&) {
    }
    c.pump();
  }
  REQUIRE(ec.category() == sslpp::boringssl_category());
  CHECK(contains(ec.message(), "ECH_REJECTED"));
  CHECK(c.client.ech_retry_configs() == std::optional<std::vector<std::byte>>(new_keys.config_list()));
  CHECK_FALSE(contains(c.client_wire, secret_name));
}

// --- bad input ---

TEST_CASE("ech attack: malformed config lists and keys give clear errors, never a connection in clear", "[ech][attack]") {
  const auto keys = sslpp::ech_keys::generate(1, public_name);
  const auto sctx = server_with({keys});
  const auto cctx = client();
  sslpp::memory_bio in, out;
  const auto wrap_with = [&](std::vector<std::byte> list) {
    return cctx.wrap_bio(in, out, "secret.example", {.ech_config_list = std::move(list)});
  };
  using Catch::Matchers::Contains;
  SECTION("random bytes") {
    CHECK_THROWS_WITH(wrap_with(bytes_of("not an ECH config list")), Contains("is not an ECHConfigList"));
  }
  SECTION("a single config where a list belongs") {
    CHECK_THROWS_WITH(wrap_with(keys.config()), Contains("starts like a single ECHConfig"));
  }
  SECTION("a list cut short") {
    auto list = keys.config_list();
    list.resize(list.size() - 3);
    CHECK_THROWS_AS(wrap_with(list), std::invalid_argument);
  }
  SECTION("a list with a bad inner length") {
    auto list = keys.config_list();
    list[5] = std::byte{0x7f};  // the config's own length
    CHECK_THROWS_WITH(wrap_with(list), Contains("malformed"));
  }
  SECTION("a list of configs this backend cannot use: the name would go out in clear, so no wrap") {
    auto list = keys.config_list();
    list[2 + 5] = std::byte{0x00};  // KEM 0x0020 -> 0x0010 (P-256, not in this backend)
    list[2 + 6] = std::byte{0x10};
    CHECK_THROWS_WITH(wrap_with(list), Contains("no ECHConfig this backend can use") && Contains("KEM 0x0010"));
    // Found by fuzz/fuzz_ech_config: a public name with a label ending in a hyphen. The
    // backend skips such a config (and would send the name in clear): refused here.
    const auto hyphen_name = [&] {
      auto list = keys.config_list();
      const std::string text = text_of(list);
      const auto at = text.find("public.example");
      REQUIRE(at != std::string::npos);
      list[at + 13] = std::byte{'-'};  // "public.exampl-"
      return list;
    }();
    CHECK_THROWS_WITH(wrap_with(hyphen_name), Contains("no ECHConfig this backend can use") && Contains("not a DNS name"));
    auto versioned = keys.config_list();
    versioned[2 + 1] = std::byte{0x0a};  // version 0xfe0a
    CHECK_THROWS_WITH(wrap_with(versioned), Contains("version 0xfe0a"));
  }
  SECTION("a config whose X25519 key is a low-order point fails at the wrap, not mid-handshake") {
    // Found by fuzz/fuzz_ech_config: an all-zero public key passed every check and the
    // handshake then failed with the backend's bare "invalid peer key".
    const auto zero_key = [](std::vector<std::byte> list) {
      // list length (2), version (2), length (2), config id (1), KEM (2), key length (2)
      std::fill(list.begin() + 11, list.begin() + 11 + 32, std::byte{0});
      return list;
    };
    CHECK_THROWS_WITH(wrap_with(zero_key(keys.config_list())),
                      Contains("ECHConfig 1 (config id 1, public name 'public.example')") && Contains("low-order point"));
    // The client uses the first config it can: a bad key after a good one does not matter,
    // a bad key before one does.
    const auto other = sslpp::ech_keys::generate(2, public_name);
    const auto pair = [](const std::vector<std::byte>& a, const std::vector<std::byte>& b) {
      std::vector<std::byte> list{std::byte{0}, std::byte{0}};
      list.insert(list.end(), a.begin() + 2, a.end());
      list.insert(list.end(), b.begin() + 2, b.end());
      list[0] = std::byte(static_cast<unsigned char>((list.size() - 2) >> 8));
      list[1] = std::byte(static_cast<unsigned char>(list.size() - 2));
      return list;
    };
    CHECK_NOTHROW(wrap_with(pair(keys.config_list(), zero_key(other.config_list()))));
    CHECK_THROWS_WITH(wrap_with(pair(zero_key(other.config_list()), keys.config_list())), Contains("low-order point"));
  }
  SECTION("an error_code wrap reports invalid_argument") {
    std::error_code ec;
    CHECK_FALSE(cctx.wrap_bio(in, out, "secret.example", {.ech_config_list = bytes_of("junk")}, ec));
    CHECK(ec == std::errc::invalid_argument);
  }
  SECTION("ECH on a client that does not verify the server is refused (retry configs would be anyone's)") {
    auto lax = client();
    lax.disable_verification();
    CHECK_THROWS_WITH(lax.wrap_bio(in, out, "secret.example", {.ech_config_list = keys.config_list()}),
                      Contains("needs a client that verifies the server"));
  }
  SECTION("ECH on a client limited to TLS 1.2 is refused") {
    auto old = client();
    old.set_maximum_version(sslpp::tls_version::tlsv1_2);
    CHECK_THROWS_WITH(old.wrap_bio(in, out, "secret.example", {.ech_config_list = keys.config_list()}),
                      Contains("needs TLS 1.3"));
  }
  SECTION("a server wrap given a config list") {
    CHECK_THROWS_WITH(sctx.wrap_bio(in, out, {.ech_config_list = keys.config_list()}),
                      Contains("wrap_options::ech_config_list is for client connections"));
  }
  SECTION("keys") {
    CHECK_THROWS_WITH(sslpp::ech_keys::generate(1, "192.168.0.1"), Contains("is not a DNS host name"));
    CHECK_THROWS_WITH(sslpp::ech_keys::generate(1, ""), Contains("is not a DNS host name"));
    CHECK_THROWS_WITH(sslpp::ech_keys::generate(1, "bad name.example"), Contains("is not a DNS host name"));
    CHECK_THROWS_WITH(sslpp::ech_keys::generate(1, "public.ex-.example"), Contains("is not a DNS host name"));
    CHECK_THROWS_WITH(sslpp::ech_keys::generate(1, "-public.example"), Contains("is not a DNS host name"));
    CHECK_THROWS_WITH(sslpp::ech_keys::generate(1, "public.0x1f"), Contains("is not a DNS host name"));
    CHECK_THROWS_WITH(sslpp::ech_keys::generate(1, public_name, 256), Contains("above 255"));
    const auto other = sslpp::ech_keys::generate(2, public_name);
    CHECK_THROWS_WITH(sslpp::ech_keys::load(keys.config(), other.private_key_bytes()),
                      Contains("does not belong to the config"));
    CHECK_THROWS_WITH(sslpp::ech_keys::load(keys.config_list(), keys.private_key_bytes()),
                      Contains("is an ECHConfigList"));
    auto short_key = keys.private_key_bytes();
    short_key.pop_back();
    CHECK_THROWS_WITH(sslpp::ech_keys::load(keys.config(), short_key), Contains("32 raw bytes"));
    CHECK_THROWS_WITH(sslpp::ech_keys::load(bytes_of("garbage"), keys.private_key_bytes()),
                      Contains("are not one ECHConfig"));
    CHECK_THROWS_AS(sslpp::ech_keys::load_files("/nonexistent/ech.config", "/nonexistent/ech.key"), std::system_error);
    CHECK_THROWS_WITH(sslpp::ech_keys::load_files("/nonexistent/ech.config", "/nonexistent/ech.key"),
                      Contains("/nonexistent/ech.config"));
    auto server = sslpp::context_for(sslpp::protocol::tls_server);
    CHECK_THROWS_WITH(server.set_ech_keys(std::vector<sslpp::ech_keys>{}), Contains("no current key"));
  }
}

// --- GREASE ---

TEST_CASE("ech: GREASE sends an ECH extension that hides nothing, and the handshake goes on", "[ech]") {
  auto cctx = client();
  CHECK_FALSE(cctx.ech_grease());
  cctx.set_ech_grease(true);
  CHECK(cctx.ech_grease());
  const auto keys = sslpp::ech_keys::generate(1, public_name);
  for (bool server_has_keys : {false, true}) {
    const auto sctx = server_has_keys ? server_with({keys}) : server_with({});
    bio_connection c(cctx, sctx, {});
    c.handshake();
    CHECK_FALSE(c.client.ech_accepted());
    CHECK_FALSE(c.server.ech_accepted());
    const observed_hello hello = parse_client_hello(c.client_wire);
    CHECK(hello.has(ech_extension));
    CHECK(hello.sni == std::optional<std::string>(secret_name));
  }
  // With a config list, the real offer replaces GREASE.
  bio_connection c(cctx, server_with({keys}), {.ech_config_list = keys.config_list()});
  c.handshake();
  CHECK(c.client.ech_accepted());
}

// --- interop with bssl-tool ---

namespace {
struct bssl_keys {
  temp_dir dir;
  bssl_keys(int id) {
    test::child gen({"bssl-tool", "generate-ech", "-out-ech-config-list", dir / "list", "-out-ech-config",
                     dir / "config", "-out-private-key", dir / "key", "-public-name", public_name, "-config-id",
                     std::to_string(id)});
    REQUIRE(gen.wait() == 0);
  }
};
}  // namespace

TEST_CASE("ech interop: sslpp client against bssl-tool server, accepted, rejected with retry, and GREASE",
          "[ech][interop]") {
  bssl_keys served(5);
  std::uint16_t port = 0;
  test::child server = test::serve_on_free_port(
      [&](std::uint16_t p) {
        return std::vector<std::string>{"bssl-tool", "server", "-accept", std::to_string(p), "-cert",
                                        pki("fullchain-ech-both.pem"), "-key", pki("ech-both.key"), "-ech-config",
                                        served.dir / "config", "-ech-key", served.dir / "key", "-loop"};
      },
      port);
  auto cctx = client();
  const auto host = sslpp::runtime_hostname(secret_name);

  SECTION("accepted, with bssl-tool's list file") {
    auto tls = feat::connect(cctx, port, host, {.ech_config_list = read_file(served.dir / "list")});
    CHECK(tls.ech_accepted());
    tls.sendall("over ech\n");
    CHECK(server.wait_for_output("Client sent SNI: secret.example"));
    CHECK(server.wait_for_output("Encrypted ClientHello: yes"));
  }
  SECTION("rejected (a stale config): the retry configs are bssl-tool's, and connect") {
    const auto stale = sslpp::ech_keys::generate(1, public_name);
    std::vector<std::byte> retry;
    try {
      feat::connect(cctx, port, host, {.ech_config_list = stale.config_list()});
      FAIL("a stale config was accepted");
    } catch (const sslpp::ech_rejected_error& e) {
      retry = e.retry_configs();
    }
    CHECK(retry == read_file(served.dir / "list"));
    auto tls = feat::connect(cctx, port, host, {.ech_config_list = retry});
    CHECK(tls.ech_accepted());
  }
  SECTION("GREASE") {
    cctx.set_ech_grease(true);
    auto tls = feat::connect(cctx, port, host);
    CHECK_FALSE(tls.ech_accepted());
    tls.sendall("grease\n");
    CHECK(server.wait_for_output("Encrypted ClientHello: no"));
  }
}

TEST_CASE("ech interop: bssl-tool client against an sslpp server with keys saved and loaded from files",
          "[ech][interop]") {
  temp_dir dir;
  {
    const auto made = sslpp::ech_keys::generate(6, public_name);
    write_file(dir / "config", made.config());
    write_file(dir / "key", made.private_key_bytes());
    write_file(dir / "list", made.config_list());
  }
  const auto keys = sslpp::ech_keys::load_files(dir / "config", dir / "key");
  auto seen = std::make_shared<std::vector<std::string>>();
  const auto sctx = server_with({keys}, {}, seen);
  struct result {
    bool accepted = false;
    std::string data;
  };
  const auto serve_one = [&](std::vector<std::string> extra) {
    result r;
    test::server_thread srv([&](sslpp::tcp_socket s) {
      auto tls = sctx.wrap_socket(std::move(s));
      r.accepted = tls.ech_accepted();
      r.data = tls.read(100);
      tls.sendall("served\n");
    });
    std::vector<std::string> argv = {"bssl-tool", "client", "-connect", "127.0.0.1:" + std::to_string(srv.port()),
                                     "-server-name", secret_name, "-root-certs", pki("ca.pem")};
    argv.insert(argv.end(), extra.begin(), extra.end());
    test::child c(argv);
    c.write_stdin("hi\n");
    REQUIRE(c.wait_for_output("served"));
    c.close_stdin();
    srv.join();
    return std::make_pair(r, c.output());
  };
  SECTION("ECH with sslpp's list file: accepted") {
    const auto [r, out] = serve_one({"-ech-config-list", dir / "list"});
    CHECK(r.accepted);
    CHECK(r.data == "hi\n");
    CHECK(contains(out, "Encrypted ClientHello: yes"));
    CHECK(*seen == std::vector<std::string>{secret_name});
  }
  SECTION("bssl-tool's GREASE") {
    const auto [r, out] = serve_one({"-ech-grease"});
    CHECK_FALSE(r.accepted);
    CHECK(contains(out, "Encrypted ClientHello: no"));
    CHECK(*seen == std::vector<std::string>{secret_name});
  }
}

// --- the name stays hidden on the paths around the first flight ---

TEST_CASE("ech attack: after a HelloRetryRequest the second ClientHello is encrypted too", "[ech][attack]") {
  const auto keys = sslpp::ech_keys::generate(1, public_name);
  auto sctx = server_with({keys});
  sctx.set_groups({"P-384"});  // the client's first key share (X25519) is not taken: the server asks again
  bio_connection c(client(), sctx, {.ech_config_list = keys.config_list()});
  c.handshake();
  CHECK(c.client.ech_accepted());
  CHECK(c.client.group() == std::optional<std::string>("secp384r1"));
  // Two ClientHellos went out; neither shows the name.
  std::size_t hellos = 0;
  for (std::size_t at = 0; at + 5 < c.client_wire.size(); at += 5 + be(c.client_wire, at + 3, 2))
    if (c.client_wire[at] == 0x16 && c.client_wire[at + 5] == 0x01) ++hellos;
  CHECK(hellos == 2);
  CHECK_FALSE(contains(c.client_wire, secret_name));
}

TEST_CASE("ech: a resumed connection offers ECH again and shows no name", "[ech]") {
  const auto keys = sslpp::ech_keys::generate(1, public_name);
  const auto sctx = server_with({keys});
  const auto cctx = client();
  bio_connection first(cctx, sctx, {.ech_config_list = keys.config_list()});
  first.handshake();
  first.server.write("ticket");
  first.pump();
  CHECK(first.client.read(100) == "ticket");  // takes the TLS 1.3 tickets in
  const sslpp::session s = first.client.session();
  REQUIRE(s);
  bio_connection second(cctx, sctx, {.session = s, .ech_config_list = keys.config_list()});
  second.handshake();
  CHECK(second.client.session_reused());
  CHECK(second.client.ech_accepted());
  CHECK(parse_client_hello(second.client_wire).sni == std::optional<std::string>(public_name));
  CHECK_FALSE(contains(second.client_wire, secret_name));
}

TEST_CASE("ech attack: a server that answers with TLS 1.2 (a downgrade) is a rejection, the name still hidden",
          "[ech][attack]") {
  const auto keys = sslpp::ech_keys::generate(1, public_name);
  auto sctx = server_with({});
  sctx.set_maximum_version(sslpp::tls_version::tlsv1_2);
  bio_connection c(client(), sctx, {.ech_config_list = keys.config_list()});
  try {
    c.handshake();
    FAIL("the handshake succeeded");
  } catch (const sslpp::ech_rejected_error& e) {
    CHECK(e.retry_configs().empty());
  }
  CHECK_FALSE(contains(c.client_wire, secret_name));
}
