// API.md conformance: one test case per section of /work/shared/design/API.md that uses
// every public name as API.md spells it (a renamed or missing name stops this file from
// compiling) and checks the settled behaviours that are cheap to check. The behaviours
// themselves are tested in depth by the area tests (test_handshake, test_transport, ...);
// this file is the contract's checklist.
#include "support.hpp"

#include <catch2/catch.hpp>

#include <sys/socket.h>

#include <array>
#include <chrono>
#include <concepts>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>
#include <vector>

namespace {

using namespace std::chrono_literals;

// --- type-level helpers -------------------------------------------------------------

template <class T>
constexpr bool copies_share = std::is_copy_constructible_v<T> && std::is_copy_assignable_v<T> &&
                              std::is_nothrow_move_constructible_v<T>;
template <class T>
constexpr bool move_only = !std::is_copy_constructible_v<T> && !std::is_copy_assignable_v<T> &&
                           std::is_move_constructible_v<T> && std::is_move_assignable_v<T> &&
                           std::is_nothrow_move_constructible_v<T>;

// A byte_stream that is not a descriptor: the other end of a socketpair, read and written
// through read_some/write_some (so the custom-BIO path is what runs).
struct pipe_stream {
  sslpp::tcp_socket s;
  std::size_t read_some(std::span<std::byte> b, std::error_code& ec) { return s.read_some(b, ec); }
  std::size_t write_some(std::span<const std::byte> b, std::error_code& ec) { return s.write_some(b, ec); }
};
static_assert(sslpp::byte_stream<pipe_stream> && !sslpp::native_socket<pipe_stream>);
static_assert(sslpp::byte_stream<sslpp::tcp_socket> && sslpp::native_socket<sslpp::tcp_socket>);

std::pair<sslpp::tcp_socket, sslpp::tcp_socket> socket_pair() {
  int fds[2];
  REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) == 0);
  return {sslpp::tcp_socket(fds[0]), sslpp::tcp_socket(fds[1])};
}

// A server that handshakes, echoes one message, sends close_notify.
test::server_thread echo_server(sslpp::server_context ctx, int connections = 1) {
  return test::server_thread(
      [ctx](sslpp::tcp_socket sock) {
        auto tls = ctx.wrap_socket(std::move(sock));
        // Echoes up to 5 bytes (records may arrive one write at a time), then close_notify.
        std::string msg;
        while (msg.size() < 5) {
          const std::string part = tls.read(1024);
          if (part.empty()) break;
          msg += part;
          if (msg.size() == 1) break;  // one-byte messages end at once
        }
        tls.sendall(msg);
        tls.shutdown();
      },
      connections);
}

// Runs a client and a server ssl_object against each other until both handshakes are done.
void pump_handshake(sslpp::ssl_object& client, sslpp::memory_bio& c_in, sslpp::memory_bio& c_out,
                    sslpp::ssl_object& server, sslpp::memory_bio& s_in, sslpp::memory_bio& s_out) {
  bool client_done = false, server_done = false;
  for (int round = 0; round < 20 && !(client_done && server_done); ++round) {
    std::error_code ec;
    if (!client_done) {
      client.do_handshake(ec);
      client_done = !ec;
      if (ec) REQUIRE(ec == sslpp::ssl_errc::want_read);
    }
    s_in.write(c_out.read());
    if (!server_done) {
      server.do_handshake(ec);
      server_done = !ec;
      if (ec) REQUIRE(ec == sslpp::ssl_errc::want_read);
    }
    c_in.write(s_out.read());
  }
  REQUIRE(client_done);
  REQUIRE(server_done);
}

}  // namespace

// ===================================================================================
// §1. Selectors: protocol, purpose, version
// ===================================================================================
TEST_CASE("API section 1 selectors protocol purpose version", "[api]") {
  // protocol tags and what they make
  static_assert(std::is_same_v<decltype(sslpp::context_for(sslpp::protocol::tls_client)), sslpp::client_context>);
  static_assert(std::is_same_v<decltype(sslpp::context_for(sslpp::protocol::tls_server)), sslpp::server_context>);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
  static_assert(std::is_same_v<decltype(sslpp::context_for(sslpp::protocol::tls)), sslpp::context<sslpp::side::any>>);
  static_assert(std::is_same_v<decltype(sslpp::context_for(sslpp::protocol::tlsv1)), sslpp::client_context>);
  static_assert(std::is_same_v<decltype(sslpp::context_for(sslpp::protocol::tlsv1_1)), sslpp::client_context>);
  [[maybe_unused]] constexpr auto old_min = sslpp::tls_version::tlsv1;
  [[maybe_unused]] constexpr auto old_11 = sslpp::tls_version::tlsv1_1;
#pragma GCC diagnostic pop
  static_assert(std::is_same_v<decltype(sslpp::context_for(sslpp::protocol::tlsv1_2)), sslpp::client_context>);
  // protocol::sslv2 / sslv3 must not compile: tests/compile_fail/protocol_sslv2.cpp, protocol_sslv3.cpp.

  // tls_version: every enumerator API.md names
  using V = sslpp::tls_version;
  static_assert(std::is_enum_v<V> && !std::is_convertible_v<V, int>);
  [[maybe_unused]] constexpr V versions[] = {V::minimum_supported, V::tlsv1_2, V::tlsv1_3, V::maximum_supported};

  // purpose tags
  static_assert(std::is_same_v<decltype(sslpp::create_default_context(sslpp::purpose::server_auth)),
                               sslpp::client_context>);
  static_assert(std::is_same_v<decltype(sslpp::create_default_context(sslpp::purpose::client_auth)),
                               sslpp::server_context>);

  // verify_mode
  using M = sslpp::verify_mode;
  static_assert(std::is_enum_v<M> && !std::is_convertible_v<M, int>);
  [[maybe_unused]] constexpr M modes[] = {M::cert_none, M::cert_optional, M::cert_required};

  // options: a bitmask with |, & and ~
  using O = sslpp::options;
  static_assert(std::is_enum_v<O> && !std::is_convertible_v<O, unsigned>);
  constexpr O o = O::no_compression | O::no_ticket | O::cipher_server_preference | O::no_renegotiation |
                  O::single_ecdh_use;
  static_assert((o & O::no_ticket) == O::no_ticket);
  static_assert((o & ~O::no_ticket) != o);
  static_assert(((o & ~O::no_ticket) & O::no_ticket) == O{});

  // verify_flags: a bitmask with |, & and ~
  using F = sslpp::verify_flags;
  constexpr F f = F::x509_strict | F::x509_partial_chain | F::crl_check_leaf | F::crl_check_chain;
  static_assert((f & F::x509_strict) == F::x509_strict);
  static_assert(((f & ~F::x509_strict) & F::x509_strict) == F{});

  // protocol::tlsv1_2 pins exactly TLS 1.2 (More settled details)
  auto pinned = sslpp::context_for(sslpp::protocol::tlsv1_2);
  CHECK(pinned.minimum_version() == V::tlsv1_2);
  CHECK(pinned.maximum_version() == V::tlsv1_2);
}

// ===================================================================================
// §2. Contexts
// ===================================================================================
namespace {
template <class C>
concept has_check_hostname = requires(C& c) { c.check_hostname(); c.set_check_hostname(true); };
template <class C>
concept has_hostname_checks_common_name =
    requires(C& c) { c.hostname_checks_common_name(); c.set_hostname_checks_common_name(false); };
template <class C>
concept has_sni_callback = requires(C& c) { c.set_sni_callback([](sslpp::sni_request&) {}); };
template <class C>
concept has_num_tickets = requires(C& c) { c.num_tickets(); c.set_num_tickets(std::size_t{1}); };
}  // namespace

TEST_CASE("API section 2 contexts", "[api]") {
  static_assert(std::is_enum_v<sslpp::side>);
  [[maybe_unused]] constexpr sslpp::side sides[] = {sslpp::side::client, sslpp::side::server, sslpp::side::any};
  static_assert(std::is_same_v<sslpp::client_context, sslpp::context<sslpp::side::client>>);
  static_assert(std::is_same_v<sslpp::server_context, sslpp::context<sslpp::side::server>>);
  static_assert(std::is_same_v<decltype(sslpp::create_default_context()), sslpp::client_context>);
  static_assert(std::is_same_v<decltype(sslpp::create_default_context(sslpp::purpose::server_auth, sslpp::trust{})),
                               sslpp::client_context>);
  static_assert(std::is_same_v<decltype(sslpp::create_default_context(sslpp::purpose::client_auth, sslpp::trust{})),
                               sslpp::server_context>);

  // Side-only members exist only on their side (and on context<side::any>).
  using any_context = sslpp::context<sslpp::side::any>;
  static_assert(has_check_hostname<sslpp::client_context> && !has_check_hostname<sslpp::server_context> &&
                has_check_hostname<any_context>);
  static_assert(has_hostname_checks_common_name<sslpp::client_context> &&
                !has_hostname_checks_common_name<sslpp::server_context>);
  static_assert(has_sni_callback<sslpp::server_context> && !has_sni_callback<sslpp::client_context> &&
                has_sni_callback<any_context>);
  static_assert(has_num_tickets<sslpp::server_context> && !has_num_tickets<sslpp::client_context> &&
                has_num_tickets<any_context>);

  // Defaults of create_default_context (CPython 3.13, with no CN fallback).
  sslpp::client_context c = sslpp::create_default_context(sslpp::purpose::server_auth,
                                                           sslpp::trust{.cafile = test::pki("ca.pem")});
  CHECK(c.minimum_version() == sslpp::tls_version::tlsv1_2);
  CHECK(c.verify_mode() == sslpp::verify_mode::cert_required);
  CHECK(c.check_hostname());
  CHECK_FALSE(c.hostname_checks_common_name());
  CHECK(sslpp::has(c.options(), sslpp::options::no_compression));
  CHECK(sslpp::has(c.options(), sslpp::options::no_renegotiation));
  CHECK(sslpp::has(c.verify_flags(), sslpp::verify_flags::x509_strict));
  CHECK(sslpp::has(c.verify_flags(), sslpp::verify_flags::x509_partial_chain));
  sslpp::server_context s = sslpp::create_default_context(sslpp::purpose::client_auth,
                                                          sslpp::trust{.cafile = test::pki("client-ca.pem")});
  CHECK(s.minimum_version() == sslpp::tls_version::tlsv1_2);
  CHECK(sslpp::has(s.verify_flags(), sslpp::verify_flags::x509_strict));

  // Every member, by its Python name, as getter + set_ setter where Python has an attribute.
  auto any = sslpp::context_for(sslpp::protocol::tls_client);
  any.set_verify_mode(sslpp::verify_mode::cert_required);
  any.set_check_hostname(true);
  any.set_minimum_version(sslpp::tls_version::tlsv1_2);
  any.set_maximum_version(sslpp::tls_version::tlsv1_3);
  CHECK(any.maximum_version() == sslpp::tls_version::tlsv1_3);
  any.set_options(any.options() | sslpp::options::no_ticket);
  CHECK(sslpp::has(any.options(), sslpp::options::no_ticket));
  any.set_verify_flags(any.verify_flags() | sslpp::verify_flags::crl_check_leaf);
  CHECK(sslpp::has(any.verify_flags(), sslpp::verify_flags::crl_check_leaf));
  any.load_verify_locations(test::pki("ca.pem"));
  any.load_verify_locations(sslpp::trust{.cafile = test::pki("other-ca.pem")});
  any.set_default_verify_paths();
  any.load_default_certs();
  CHECK(any.get_ca_certs().size() >= 2);
  const sslpp::cert_store_statistics stats = any.cert_store_stats();
  CHECK(stats.x509_ca >= 2);
  CHECK(stats.x509 >= stats.x509_ca);
  any.set_ciphers("ECDHE+AESGCM");
  const std::vector<sslpp::cipher_description> ciphers = any.get_ciphers();
  CHECK_FALSE(ciphers.empty());
  any.set_alpn_protocols({"h2", "http/1.1"});
  any.set_groups({"X25519", "P-256"});
  any.set_hostname_checks_common_name(false);
  [[maybe_unused]] const sslpp::session_statistics ss = any.session_stats();
  [[maybe_unused]] const int level = any.security_level();
  CHECK(any.keylog_filename().empty());
  CHECK_FALSE(any.post_handshake_auth());
  any.set_post_handshake_auth(false);

  auto srv = sslpp::context_for(sslpp::protocol::tls_server);
  srv.load_cert_chain(test::pki("fullchain-ecdsa.pem"), test::pki("leaf-ecdsa.key"));
  srv.load_cert_chain(test::pki("fullchain-ecdsa.pem"), test::pki("leaf-encrypted.key"), "s3cret");
  srv.load_cert_chain(test::pki("fullchain-ecdsa.pem"), test::pki("leaf-encrypted.key"),
                      [] { return std::string("s3cret"); });
  srv.load_cert_chain_pem(test::read_text(test::pki("fullchain-ecdsa.pem")),
                          test::read_text(test::pki("leaf-ecdsa.key")));
  srv.set_sni_callback([](sslpp::sni_request&) {});
  srv.set_sni_callback(nullptr);
  srv.set_num_tickets(3);
  CHECK(srv.num_tickets() == 3);
  srv.set_verify_mode(sslpp::verify_mode::cert_optional);
  CHECK(srv.verify_mode() == sslpp::verify_mode::cert_optional);

  // Copies share the backend context.
  static_assert(copies_share<sslpp::client_context> && copies_share<sslpp::server_context>);
  sslpp::client_context copy = c;
  copy.set_check_hostname(false);
  CHECK_FALSE(c.check_hostname());
  CHECK(copy.native_handle() == c.native_handle());
}

// ===================================================================================
// §3. Streams (and sans-IO ssl_object over memory_bio)
// ===================================================================================
TEST_CASE("API section 3 streams", "[api]") {
  using stream_t = sslpp::stream<sslpp::tcp_socket>;
  static_assert(move_only<stream_t> && move_only<sslpp::ssl_object>);
  static_assert(std::is_same_v<decltype(std::declval<stream_t&>().unwrap()), sslpp::tcp_socket>);

  auto sctx = test::server_context_with();
  sctx.set_alpn_protocols({"h2"});
  auto server = echo_server(sctx, 2);
  auto ctx = test::client_context_trusting_root();
  ctx.set_alpn_protocols({"h2"});

  // Before the handshake: nothing negotiated yet.
  auto tls = ctx.wrap_socket(sslpp::tcp_socket::connect("127.0.0.1", server.port()), "localhost.",
                             sslpp::wrap_options{.do_handshake_on_connect = false});
  CHECK_FALSE(tls.version().has_value());
  CHECK_FALSE(tls.getpeercert().has_value());
  CHECK_FALSE(tls.get_channel_binding("tls-exporter").has_value());
  CHECK_FALSE(tls.session());
  tls.do_handshake();

  // Members by API.md's names and result types.
  static_assert(std::is_same_v<decltype(tls.version()), std::optional<sslpp::tls_version>>);
  static_assert(std::is_same_v<decltype(tls.getpeercert()), std::optional<sslpp::certificate>>);
  static_assert(std::is_same_v<decltype(tls.selected_alpn_protocol()), std::optional<std::string>>);
  static_assert(std::is_same_v<decltype(tls.get_channel_binding("tls-unique")),
                               std::optional<std::vector<std::byte>>>);
  static_assert(std::is_same_v<decltype(tls.session()), sslpp::session>);
  REQUIRE(tls.version() == sslpp::tls_version::tlsv1_3);
  CHECK(fmt::format("{}", *tls.version()) == "TLSv1.3");
  const std::optional<sslpp::cipher_info> ci = tls.cipher();
  REQUIRE(ci);
  CHECK_FALSE(ci->name.empty());
  CHECK(ci->protocol == "TLSv1.3");
  CHECK(ci->secret_bits >= 128);
  CHECK_FALSE(tls.shared_ciphers().has_value());  // a client: None, as in Python
  CHECK(tls.selected_alpn_protocol() == "h2");
  CHECK(tls.get_channel_binding("tls-exporter").has_value());
  CHECK_FALSE(tls.get_channel_binding("tls-unique").has_value());  // TLS 1.2 only
  CHECK_THROWS_AS(tls.get_channel_binding("tls-server-end-point-x"), std::invalid_argument);
  CHECK_FALSE(tls.session_reused());
  CHECK_FALSE(tls.server_side());
  CHECK(tls.server_hostname() == "localhost");  // one trailing dot stripped
  CHECK(tls.context().verify_mode() == sslpp::verify_mode::cert_required);
  CHECK(tls.context().native_handle() == ctx.native_handle());
  REQUIRE(tls.getpeercert());
  CHECK(tls.getpeercert_der() == tls.getpeercert()->to_der());
  CHECK(tls.get_unverified_chain().size() == 2);
  CHECK(tls.get_verified_chain().size() == 3);
  CHECK(tls.pending() == 0);

  // Data: write/send/sendall, read/recv; read is 0 after close_notify.
  std::error_code ec;
  const std::string_view hello = "hello";
  CHECK(tls.write(hello.substr(0, 2)) == 2);
  CHECK(tls.send(std::as_bytes(std::span(hello.data() + 2, 1))) == 1);
  tls.sendall(hello.substr(3), ec);
  REQUIRE_FALSE(ec);
  std::array<std::byte, 64> buf{};
  std::size_t got = tls.recv(std::span(buf));
  for (std::size_t n = 1; got < 5 && n > 0;) got += (n = tls.read(std::span(buf).subspan(got), ec));
  CHECK(std::string_view(reinterpret_cast<const char*>(buf.data()), got) == "hello");
  CHECK(tls.read(std::span(buf)) == 0);
  [[maybe_unused]] const sslpp::session sess = tls.session();
  tls.shutdown(ec);

  // unwrap gives the socket back.
  auto tls2 = ctx.wrap_socket(sslpp::tcp_socket::connect("127.0.0.1", server.port()), "localhost");
  CHECK(tls2.write(hello, ec) == 5);
  REQUIRE_FALSE(ec);
  CHECK(tls2.read(100, ec) == "hello");
  CHECK_FALSE(ec);
  sslpp::tcp_socket back = tls2.unwrap();
  CHECK(back.native_handle() >= 0);
  server.join();

  // Move semantics: streams live in containers and std::optional.
  std::vector<stream_t> streams;
  std::optional<stream_t> maybe;
  (void)streams;
  (void)maybe;

  // A byte_stream that is not a descriptor (the custom BIO path).
  auto [a, b] = socket_pair();
  std::thread peer([sctx, sock = std::move(b)]() mutable {
    auto t = sctx.wrap_socket(pipe_stream{std::move(sock)});
    t.sendall(t.read(100));
    t.shutdown();
  });
  auto p = ctx.wrap_socket(pipe_stream{std::move(a)}, "localhost");
  p.sendall("over a byte_stream");
  CHECK(p.read(100) == "over a byte_stream");
  peer.join();
}

TEST_CASE("API section 3 sans-IO memory_bio and ssl_object", "[api]") {
  auto sctx = test::server_context_with();
  sctx.set_alpn_protocols({"h2"});
  auto cctx = test::client_context_trusting_root();
  cctx.set_alpn_protocols({"h2"});
  sslpp::memory_bio c_in, c_out, s_in, s_out;
  sslpp::ssl_object client = cctx.wrap_bio(c_in, c_out, "localhost");
  sslpp::ssl_object server = sctx.wrap_bio(s_in, s_out);
  static_assert(std::is_same_v<decltype(cctx.wrap_bio(c_in, c_out, "x.example", sslpp::wrap_options{})),
                               sslpp::ssl_object>);

  // memory_bio: write(bytes or string_view), read(max = all) -> std::string, pending, write_eof, eof
  sslpp::memory_bio m;
  CHECK(m.write("abc") == 3);
  CHECK(m.write(std::as_bytes(std::span("de", 2))) == 2);
  CHECK(m.pending() == 5);
  CHECK(m.read(2) == "ab");
  static_assert(std::is_same_v<decltype(m.read()), std::string>);
  m.write_eof();
  CHECK_FALSE(m.eof());
  CHECK(m.read() == "cde");
  CHECK(m.eof());

  // Before the handshake: want_read via the error_code overload, nothing negotiated.
  std::error_code ec;
  client.do_handshake(ec);
  CHECK(ec == sslpp::ssl_errc::want_read);
  CHECK_FALSE(client.version().has_value());
  CHECK_FALSE(client.get_channel_binding("tls-exporter").has_value());
  CHECK_THROWS_AS(client.get_channel_binding("nonsense"), std::invalid_argument);
  pump_handshake(client, c_in, c_out, server, s_in, s_out);

  // The members of stream minus the socket ones.
  CHECK(fmt::format("{}", *client.version()) == "TLSv1.3");
  CHECK(client.cipher().has_value());
  CHECK(client.getpeercert().has_value());
  CHECK(client.getpeercert_der() == client.getpeercert()->to_der());
  CHECK(client.get_unverified_chain().size() == 2);
  CHECK(client.get_verified_chain().size() == 3);
  CHECK(client.selected_alpn_protocol() == "h2");
  CHECK(client.get_channel_binding("tls-exporter").has_value());
  CHECK_FALSE(client.shared_ciphers().has_value());
  CHECK(server.shared_ciphers().has_value());
  CHECK_FALSE(client.session_reused());
  [[maybe_unused]] const sslpp::session s = client.session();
  CHECK_FALSE(client.server_side());
  CHECK(server.server_side());
  CHECK(client.server_hostname() == "localhost");
  CHECK_FALSE(server.server_hostname().has_value());
  CHECK(client.context().native_handle() == cctx.native_handle());
  CHECK(server.context().native_handle() == sctx.native_handle());
  // context() is a context<side::any>; a server context it shares still cannot make a
  // client connection (it would verify nothing: Python's ValueError).
  static_assert(std::is_same_v<decltype(server.context()), sslpp::context<sslpp::side::any>>);
  {
    sslpp::memory_bio i2, o2;
    CHECK_THROWS_WITH(server.context().wrap_bio(i2, o2, "localhost"), Catch::Contains("server context"));
    auto [p, q] = socket_pair();
    CHECK_THROWS_AS(server.context().wrap_socket(std::move(p), "localhost"), std::invalid_argument);
  }
  CHECK(client.pending() == 0);

  // Data, then a clean close: ssl_object::read throws zero_return_error (Python's SSLObject).
  CHECK(client.write("ping", ec) == 4);
  CHECK_FALSE(ec);
  CHECK(server.read(100, ec).empty());  // nothing in incoming yet
  CHECK(ec == sslpp::ssl_errc::want_read);
  s_in.write(c_out.read());
  CHECK(server.read(100) == "ping");
  CHECK_THROWS_AS(server.unwrap(), sslpp::want_read_error);  // sent close_notify, waits for the client's
  c_in.write(s_out.read());
  CHECK_THROWS_AS(client.read(100), sslpp::zero_return_error);
  std::array<std::byte, 8> buf{};
  client.read(std::span(buf), ec);
  CHECK(ec == sslpp::ssl_errc::zero_return);
}

// ===================================================================================
// §4. Certificates
// ===================================================================================
TEST_CASE("API section 4 certificates free functions and constants", "[api]") {
  static_assert(copies_share<sslpp::certificate>);
  const std::string pem = test::read_text(test::pki("leaf-ecdsa.pem"));
  const sslpp::certificate cert = sslpp::certificate::from_pem(pem);
  const sslpp::certificate loaded = sslpp::certificate::load(test::pki("leaf-ecdsa.pem"));
  const std::vector<std::byte> der = cert.to_der();
  const sslpp::certificate from_der = sslpp::certificate::from_der(der);
  CHECK(from_der.to_pem() == cert.to_pem());
  CHECK(loaded.to_der() == der);
  const sslpp::certificate copy = cert;
  CHECK(copy.native_handle() == cert.native_handle());

  static_assert(std::is_same_v<decltype(cert.subject()), sslpp::distinguished_name>);
  static_assert(std::is_same_v<decltype(cert.issuer()), sslpp::distinguished_name>);
  const sslpp::distinguished_name subject = cert.subject();
  REQUIRE_FALSE(subject.empty());
  for (const auto& rdn : subject)
    for (const auto& attr : rdn) {
      static_assert(std::is_same_v<decltype(attr.name), std::string>);
      static_assert(std::is_same_v<decltype(attr.value), std::string>);
    }
  CHECK(subject.get("commonName") == "localhost");
  CHECK(subject.rfc4514().find("CN=localhost") != std::string::npos);
  CHECK(fmt::format("{}", subject).find("(('commonName', 'localhost'),)") != std::string::npos);

  const std::string serial = cert.serial_number();
  CHECK_FALSE(serial.empty());
  CHECK(serial.find_first_of("abcdef") == std::string::npos);
  CHECK(cert.version() == 3);
  static_assert(std::is_same_v<decltype(cert.not_before()), std::chrono::system_clock::time_point>);
  static_assert(std::is_same_v<decltype(cert.not_after()), std::chrono::system_clock::time_point>);
  CHECK(cert.not_before() < cert.not_after());

  const std::vector<sslpp::general_name> sans = cert.subject_alt_names();
  REQUIRE(sans.size() == 3);
  CHECK(sans[0].kind == sslpp::general_name_kind::dns);
  CHECK(sans[0].value == "localhost");
  CHECK(fmt::format("{}", sans[0].kind) == "DNS");
  CHECK(fmt::format("{}", sans[1].kind) == "IP Address");
  CHECK(fmt::format("{}", sans[1]) == "('IP Address', '127.0.0.1')");
  static_assert(std::is_same_v<decltype(sans[0].value), std::string>);
  [[maybe_unused]] constexpr sslpp::general_name_kind kinds[] = {
      sslpp::general_name_kind::dns,      sslpp::general_name_kind::ip_address,
      sslpp::general_name_kind::email,    sslpp::general_name_kind::uri,
      sslpp::general_name_kind::dir_name, sslpp::general_name_kind::registered_id,
      sslpp::general_name_kind::other_name};
  [[maybe_unused]] const std::vector<std::string> ocsp = cert.ocsp();
  [[maybe_unused]] const std::vector<std::string> issuers = cert.ca_issuers();
  [[maybe_unused]] const std::vector<std::string> crl = cert.crl_distribution_points();

  [[maybe_unused]] constexpr sslpp::digest digests[] = {sslpp::digest::sha1, sslpp::digest::sha256,
                                                        sslpp::digest::sha384, sslpp::digest::sha512};
  const std::string fp = cert.fingerprint(sslpp::digest::sha256);
  CHECK(fp.size() == 32 * 3 - 1);
  CHECK(fp[2] == ':');
  CHECK(fp.find_first_of("abcdef") == std::string::npos);
  CHECK(cert.fingerprint(sslpp::digest::sha1).size() == 20 * 3 - 1);

  CHECK(cert.matches_hostname("localhost"));
  CHECK(cert.matches_hostname("LOCALHOST."));
  CHECK(cert.matches_hostname("127.0.0.1"));
  CHECK_FALSE(cert.matches_hostname("127.0.0.2"));
  CHECK_FALSE(cert.matches_hostname("other.example"));

  const std::string text = fmt::format("{}", cert);
  CHECK(text.rfind("{'issuer': ", 0) == 0);
  CHECK(text.find("'subjectAltName': (('DNS', 'localhost'),") != std::string::npos);

  // Free functions.
  CHECK(sslpp::pem_cert_to_der_cert(pem) == der);
  CHECK(sslpp::der_cert_to_pem_cert(der) == cert.to_pem());
  static_assert(std::is_same_v<decltype(sslpp::cert_time_to_seconds("")), std::chrono::sys_seconds>);
  CHECK(sslpp::cert_time_to_seconds("Jan  5 09:34:43 2018 GMT").time_since_epoch() == 1515144883s);
  CHECK_THROWS_AS(sslpp::cert_time_to_seconds("yesterday"), std::invalid_argument);
  const sslpp::default_verify_paths paths = sslpp::get_default_verify_paths();
  CHECK(paths.openssl_cafile_env == "SSL_CERT_FILE");
  CHECK(paths.openssl_capath_env == "SSL_CERT_DIR");
  static_assert(std::is_same_v<decltype(sslpp::rand_bytes(1)), std::vector<std::byte>>);
  CHECK(sslpp::rand_bytes(32).size() == 32);
  CHECK(sslpp::rand_bytes(32) != sslpp::rand_bytes(32));
  {
    auto server = echo_server(test::server_context_with(), 1);
    const std::string got = sslpp::get_server_certificate("127.0.0.1", server.port());
    CHECK(got.find("-----BEGIN CERTIFICATE-----") == 0);
    server.join_quietly();  // it closed without a message: not this test's subject
  }

  // Constants.
  static_assert(sslpp::has_sni && sslpp::has_alpn && sslpp::has_tlsv1_3);
  CHECK(std::string_view(sslpp::openssl_version).find("BoringSSL") != std::string_view::npos);
  CHECK(std::find(sslpp::channel_binding_types.begin(), sslpp::channel_binding_types.end(), "tls-unique") !=
        sslpp::channel_binding_types.end());
  CHECK(std::find(sslpp::channel_binding_types.begin(), sslpp::channel_binding_types.end(), "tls-exporter") !=
        sslpp::channel_binding_types.end());
}

// ===================================================================================
// §5. Errors
// ===================================================================================
TEST_CASE("API section 5 errors", "[api]") {
  static_assert(std::derived_from<sslpp::ssl_error, std::system_error>);
  static_assert(std::derived_from<sslpp::zero_return_error, sslpp::ssl_error>);
  static_assert(std::derived_from<sslpp::want_read_error, sslpp::ssl_error>);
  static_assert(std::derived_from<sslpp::want_write_error, sslpp::ssl_error>);
  static_assert(std::derived_from<sslpp::syscall_error, sslpp::ssl_error>);
  static_assert(std::derived_from<sslpp::eof_error, sslpp::ssl_error>);
  static_assert(std::derived_from<sslpp::certificate_error, sslpp::ssl_error>);
  static_assert(std::derived_from<sslpp::cert_verification_error, sslpp::certificate_error>);
  static_assert(std::is_same_v<decltype(std::declval<const sslpp::cert_verification_error&>().verify_code()), long>);

  // A verification failure: cert_verification_error with the backend's words and the host.
  auto server = test::server_thread([](sslpp::tcp_socket sock) {
    auto ctx = test::server_context_with();
    std::error_code ec;
    auto tls = ctx.wrap_socket(std::move(sock), {.do_handshake_on_connect = false});
    tls.do_handshake(ec);
  });
  auto ctx = test::client_context_trusting_root();
  bool caught = false;
  try {
    ctx.wrap_socket(sslpp::tcp_socket::connect("127.0.0.1", server.port()), "wrong.example");
  } catch (const sslpp::certificate_error& e) {
    caught = true;
    const auto* v = dynamic_cast<const sslpp::cert_verification_error*>(&e);
    REQUIRE(v != nullptr);
    CHECK(v->verify_code() == 62);  // X509_V_ERR_HOSTNAME_MISMATCH
    CHECK_THAT(v->verify_message(), Catch::Contains("wrong.example"));
    CHECK_THAT(std::string(e.what()), Catch::Contains("wrong.example"));
    CHECK(e.library() == "SSL");
    CHECK(e.reason() == "CERTIFICATE_VERIFY_FAILED");
    CHECK(fmt::format("{}", e) == e.what());
    const sslpp::ssl_error& base = e;
    CHECK(fmt::format("{}", base) == e.what());
  }
  CHECK(caught);
  server.join_quietly();

  // error_code overloads never throw: a connection refused, and a handshake that fails.
  std::error_code ec;
  const test::closed_port refusing;
  const std::uint16_t closed = refusing.port();
  auto none = sslpp::tcp_socket::connect("127.0.0.1", closed, 2000ms, ec);
  CHECK(ec);
  CHECK_FALSE(none.is_open());
  CHECK_THROWS_AS(sslpp::tcp_socket::connect("127.0.0.1", closed), std::system_error);

  // fmt formats: tls_version, verify_mode, certificate, distinguished_name, cipher info, ssl_error.
  CHECK(fmt::format("{}", sslpp::tls_version::tlsv1_2) == "TLSv1.2");
  CHECK(fmt::format("{}", sslpp::verify_mode::cert_required) == "CERT_REQUIRED");
  CHECK(fmt::format("{}", sslpp::cipher_info{"TLS_AES_256_GCM_SHA384", "TLSv1.3", 256}) ==
        "('TLS_AES_256_GCM_SHA384', 'TLSv1.3', 256)");
  const sslpp::zero_return_error z(sslpp::make_error_code(sslpp::ssl_errc::zero_return), "TLS/SSL connection has been closed (EOF)");
  CHECK(fmt::format("{}", z) == "TLS/SSL connection has been closed (EOF)");
}

// ===================================================================================
// §6. Settled details
// ===================================================================================
TEST_CASE("API section 6 settled details", "[api]") {
  // trust: aggregate with designated initializers; cadata PEM text or DER bytes.
  static_assert(std::is_aggregate_v<sslpp::trust>);
  const std::string ca_pem = test::read_text(test::pki("ca.pem"));
  const sslpp::trust by_file{.cafile = test::pki("ca.pem")};
  const sslpp::trust by_dir{.capath = "/nonexistent-dir-is-fine-until-used"};
  const sslpp::trust by_pem{.cadata = ca_pem};
  const sslpp::trust by_der{.cadata = sslpp::pem_cert_to_der_cert(ca_pem)};
  CHECK_FALSE(by_file.empty());
  CHECK_FALSE(by_dir.empty());
  for (const sslpp::trust* t : {&by_pem, &by_der}) {
    auto c = sslpp::create_default_context(sslpp::purpose::server_auth, *t);
    CHECK(c.cert_store_stats().x509_ca == 1);  // only what trust names, not the system store
  }

  // wrap_options: aggregate with Python's defaults.
  static_assert(std::is_aggregate_v<sslpp::wrap_options>);
  const sslpp::wrap_options defaults{};
  CHECK(defaults.do_handshake_on_connect);
  CHECK(defaults.suppress_ragged_eofs);
  CHECK_FALSE(defaults.session);
  [[maybe_unused]] const sslpp::wrap_options spelled{
      .do_handshake_on_connect = true, .suppress_ragged_eofs = true, .session = {}};

  // TCP: static connect with optional timeout and an error_code overload; listen port 0.
  static_assert(move_only<sslpp::tcp_socket> && move_only<sslpp::tcp_listener>);
  static_assert(std::is_same_v<decltype(sslpp::tcp_socket::connect("h", 1)), sslpp::tcp_socket>);
  static_assert(std::is_same_v<decltype(sslpp::tcp_socket::connect(std::string_view("h"), std::uint16_t{1},
                                                                   std::chrono::milliseconds{5})),
                               sslpp::tcp_socket>);
  static_assert(std::is_same_v<decltype(sslpp::tcp_socket::connect(std::string_view("h"), std::uint16_t{1},
                                                                   std::chrono::milliseconds{5},
                                                                   std::declval<std::error_code&>())),
                               sslpp::tcp_socket>);
  sslpp::tcp_listener listener = sslpp::tcp_listener::listen("127.0.0.1", 0);
  REQUIRE(listener.port() != 0);
  sslpp::tcp_socket out = sslpp::tcp_socket::connect("127.0.0.1", listener.port(), 2s);
  sslpp::tcp_socket in = listener.accept();
  static_assert(std::is_same_v<decltype(listener.accept()), sslpp::tcp_socket>);
  static_assert(std::is_same_v<decltype(in.native_handle()), int>);
  in.set_timeout(250ms);
  in.set_blocking(true);
  std::array<std::byte, 4> b{};
  std::error_code ec;
  CHECK(in.read_some(std::span(b), ec) == 0);
  CHECK(ec == std::errc::timed_out);

  // Adopting a descriptor: explicit tcp_socket(int), release() hands it back unclosed.
  static_assert(std::is_constructible_v<sslpp::tcp_socket, int> && !std::is_convertible_v<int, sslpp::tcp_socket>);
  auto [x, y] = socket_pair();
  const int fd = x.native_handle();
  CHECK(x.release() == fd);
  CHECK(x.native_handle() == -1);
  sslpp::tcp_socket adopted(fd);  // still open: release did not close it
  const std::string_view ping = "p";
  CHECK(adopted.write_some(std::as_bytes(std::span(ping.data(), 1)), ec) == 1);
  CHECK(y.read_some(std::span(b), ec) == 1);

  // runtime_hostname: std::invalid_argument naming each fault.
  const std::pair<std::string, std::string> faults[] = {
      {"", "empty"},
      {".example.org", "starts with a dot"},
      {"a..example.org", "two dots in a row"},
      {std::string(64, 'a') + ".org", "label longer than 63"},
      {std::string(50, 'a') + "." + std::string(50, 'b') + "." + std::string(50, 'c') + "." +
           std::string(50, 'd') + "." + std::string(50, 'e') + ".org",
       "longer than 253"},
      {std::string("a\0b.org", 7), "NUL"},
      {"example.org..", "more than one dot"},
  };
  for (const auto& [name, words] : faults) {
    CAPTURE(words);
    CHECK_THROWS_WITH(sslpp::runtime_hostname(name), Catch::Contains(words));
    CHECK_THROWS_AS(sslpp::runtime_hostname(name), std::invalid_argument);
  }
  CHECK(sslpp::runtime_hostname("example.org.").canonical() == "example.org");

  // check_hostname with cert_none: std::invalid_argument, the context left unchanged.
  auto strict = sslpp::create_default_context(sslpp::purpose::server_auth, by_file);
  const sslpp::verify_mode none = sslpp::verify_mode::cert_none;
  CHECK_THROWS_WITH(strict.set_verify_mode(none), Catch::Contains("check_hostname"));
  CHECK(strict.verify_mode() == sslpp::verify_mode::cert_required);
  CHECK(strict.check_hostname());
  // no_hostname is refused at run time while check_hostname is on.
  {
    auto [p, q] = socket_pair();
    CHECK_THROWS_AS(strict.wrap_socket(std::move(p), sslpp::no_hostname), std::invalid_argument);
  }

  // file errors: a missing file is a generic-category std::system_error naming the path.
  auto srv = sslpp::context_for(sslpp::protocol::tls_server);
  const std::string missing = "/nonexistent/sslpp-conformance.pem";
  try {
    srv.load_cert_chain(missing);
    FAIL("loaded a missing file");
  } catch (const std::system_error& e) {
    CHECK(e.code().category() == std::generic_category());
    CHECK_THAT(std::string(e.what()), Catch::Contains(missing));
  }
  // a wrong password: ssl_error whose message says "password" and names the key file.
  try {
    srv.load_cert_chain(test::pki("fullchain-ecdsa.pem"), test::pki("leaf-encrypted.key"), "wrong");
    FAIL("loaded a key with a wrong password");
  } catch (const sslpp::ssl_error& e) {
    CHECK_THAT(std::string(e.what()), Catch::Contains("password") && Catch::Contains("leaf-encrypted.key"));
  }

  // groups: an unknown name throws std::invalid_argument naming it.
  const std::vector<std::string> bad_groups{"X25519", "no-such-group"};
  CHECK_THROWS_WITH(strict.set_groups(bad_groups), Catch::Contains("no-such-group"));

  // sni_request::reject: default alert::unrecognized_name; enum class alert : uint8_t.
  static_assert(std::is_same_v<std::underlying_type_t<sslpp::alert>, std::uint8_t>);
  static_assert(static_cast<int>(sslpp::alert::unrecognized_name) == 112);
  static_assert(std::is_same_v<decltype(std::declval<const sslpp::sni_request&>().server_name()),
                               std::optional<std::string_view>>);
  auto sni_ctx = test::server_context_with();
  std::optional<std::string> seen;
  sni_ctx.set_sni_callback([&](sslpp::sni_request& r) {
    seen = std::string(r.server_name().value_or("<none>"));
    r.reject();
  });
  {
    auto server = test::server_thread([sni_ctx](sslpp::tcp_socket sock) {
      std::error_code hs;
      auto t = sni_ctx.wrap_socket(std::move(sock), {.do_handshake_on_connect = false});
      t.do_handshake(hs);
    });
    auto client = test::client_context_trusting_root();
    CHECK_THROWS_WITH(client.wrap_socket(sslpp::tcp_socket::connect("127.0.0.1", server.port()), "localhost."),
                      Catch::Contains("UNRECOGNIZED_NAME") || Catch::Contains("unrecognized name"));
    server.join_quietly();
    CHECK(seen == "localhost");  // one trailing dot stripped before SNI
  }

  // protocol::tls: a context<side::any> whose server wrap is spelled with server_side.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
  auto either = sslpp::context_for(sslpp::protocol::tls);
#pragma GCC diagnostic pop
  either.load_cert_chain(test::pki("fullchain-ecdsa.pem"), test::pki("leaf-ecdsa.key"));
  CHECK(either.check_hostname());  // the client's secure defaults
  {
    auto [p, q] = socket_pair();
    auto srv_stream = either.wrap_socket(std::move(p), sslpp::server_side, {.do_handshake_on_connect = false});
    CHECK(srv_stream.server_side());
  }

  // Ragged EOF: a 0-byte read by default, eof_error with suppress_ragged_eofs = false;
  // getpeercert() on a server is nullopt when the client sent none; sessions resume.
  auto ragged_server = test::server_thread(
      [](sslpp::tcp_socket sock) {
        auto ctx = test::server_context_with();
        auto t = ctx.wrap_socket(std::move(sock));
        if (t.getpeercert().has_value()) throw std::runtime_error("a certificate the client never sent");
        t.sendall(t.read(100));
        // closes TCP without close_notify
      },
      2);
  auto client = test::client_context_trusting_root();
  {
    auto t = client.wrap_socket(sslpp::tcp_socket::connect("127.0.0.1", ragged_server.port()), "localhost");
    t.sendall("x");
    CHECK(t.read(100) == "x");
    CHECK(t.read(100).empty());
  }
  {
    auto t = client.wrap_socket(sslpp::tcp_socket::connect("127.0.0.1", ragged_server.port()), "localhost",
                                {.suppress_ragged_eofs = false});
    t.sendall("y");
    CHECK(t.read(100) == "y");
    CHECK_THROWS_AS(t.read(100), sslpp::eof_error);
  }
  ragged_server.join();

  // sessions: empty until the server sent one, copyable, resumable with wrap_options{.session}.
  static_assert(copies_share<sslpp::session> && !std::is_convertible_v<sslpp::session, bool> &&
                std::is_constructible_v<bool, sslpp::session>);
  auto resume_server = echo_server(test::server_context_with(), 2);
  sslpp::session saved;
  CHECK_FALSE(saved);
  {
    auto t = client.wrap_socket(sslpp::tcp_socket::connect("127.0.0.1", resume_server.port()), "localhost");
    t.sendall("s");
    CHECK(t.read(100) == "s");  // the read takes in the TLS 1.3 ticket
    saved = t.session();
    CHECK(saved);
    CHECK_FALSE(t.session_reused());
  }
  {
    const sslpp::session copy = saved;
    CHECK(copy == saved);
    auto t = client.wrap_socket(sslpp::tcp_socket::connect("127.0.0.1", resume_server.port()), "localhost",
                                {.session = copy});
    CHECK(t.session_reused());
    t.sendall("r");
    CHECK(t.read(100) == "r");
  }
  resume_server.join();
}

TEST_CASE("API section 9 Encrypted Client Hello", "[api]") {
  // ech_keys: generate(config_id, public_name), config_list() bytes; copies share one key pair.
  static_assert(copies_share<sslpp::ech_keys> && !std::is_default_constructible_v<sslpp::ech_keys>);
  static_assert(std::is_base_of_v<sslpp::ssl_error, sslpp::ech_rejected_error>);
  auto keys = sslpp::ech_keys::generate(1, "localhost");
  const std::vector<std::byte> list = keys.config_list();
  auto sctx = test::server_context_with();
  sctx.set_ech_keys(keys);
  auto client = test::client_context_trusting_root();
  client.set_ech_grease(true);
  auto server = echo_server(sctx, 2);
  {
    auto t = client.wrap_socket(sslpp::tcp_socket::connect("127.0.0.1", server.port()), "localhost",
                                sslpp::wrap_options{.ech_config_list = list});
    const bool accepted = t.ech_accepted();
    CHECK(accepted);
    t.sendall("e");
    CHECK(t.read(100) == "e");
  }
  // A rejection: ech_rejected_error whose retry_configs() are the bytes to retry with.
  const auto stale = sslpp::ech_keys::generate(2, "localhost");
  try {
    client.wrap_socket(sslpp::tcp_socket::connect("127.0.0.1", server.port()), "localhost",
                       {.ech_config_list = stale.config_list()});
    FAIL("a stale config was accepted");
  } catch (const sslpp::ech_rejected_error& e) {
    const std::vector<std::byte>& retry = e.retry_configs();
    CHECK(retry == list);
  }
  server.join_quietly();
}
