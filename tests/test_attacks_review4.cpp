// A fifth look, at the trust-relevant features added last: the client session cache and
// the wrap's session rules after a context's host name settings change, 0-RTT early data
// when an SNI callback moves the connection to a context that did not opt in, a TLS 1.2
// PSK client meeting a certificate server, and late private key signers answering twice or
// after their connection is gone.
#include "ech_support.hpp"
#include "features_support.hpp"
#include "key_offload_support.hpp"

#include <array>
#include <atomic>
#include <future>
#include <mutex>
#include <memory>
#include <optional>
#include <string>
#include <thread>

namespace {

using Catch::Contains;

// A server for `n` connections whose handshakes may fail: each connection echoes one
// message; a failure is noted and the next connection is served.
test::server_thread tolerant_echo_server(sslpp::server_context ctx, int n, std::shared_ptr<std::atomic<int>> failed) {
  return test::server_thread(
      [ctx, failed](sslpp::tcp_socket sock) {
        try {
          auto tls = ctx.wrap_socket(std::move(sock));
          const std::string msg = tls.read(1024);
          tls.sendall(msg);
          tls.shutdown();
        } catch (const std::exception&) {
          ++*failed;
        }
      },
      n);
}

std::string failure_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::exception& e) {
    return e.what();
  }
  return {};
}

}  // namespace

// --- sessions: a context's host name check turned on after the session was made ---------------

TEST_CASE("review4: a cached session made with check_hostname off is not resumed once it is turned on",
          "[attack][session_cache][sessions]") {
  // The certificate is for localhost: with the host name check off the client accepts it
  // for wrong.example, and caches that session under wrong.example. Turning the check on
  // must not let that session stand in for a host name check that would fail.
  auto failed = std::make_shared<std::atomic<int>>(0);
  auto server = tolerant_echo_server(test::server_context_with(), 3, failed);
  auto client = test::client_context_trusting_root();
  client.set_check_hostname(false);  // verify_mode stays cert_required
  sslpp::session_cache cache;
  sslpp::session saved;
  {
    auto tls = feat::connect(client, server.port(), "wrong.example", {.session_cache = &cache});
    feat::round_trip(tls);
    saved = tls.session();
  }
  REQUIRE(cache.count("wrong.example") >= 1);
  REQUIRE(saved);
  client.set_check_hostname(true);
  // From the cache: the session is dropped and the full handshake fails the host name check.
  const std::string cached = failure_of([&] {
    auto tls = feat::connect(client, server.port(), "wrong.example", {.session_cache = &cache});
    feat::round_trip(tls);
  });
  CHECK_THAT(cached, Contains("wrong.example") || Contains("hostname") || Contains("Hostname"));
  CHECK(cache.count("wrong.example") == 0);
  // Given in wrap_options::session: refused at the wrap, naming the reason.
  const std::string given = failure_of([&] {
    auto tls = feat::connect(client, server.port(), "wrong.example", {.session = saved});
    feat::round_trip(tls);
  });
  CHECK_FALSE(given.empty());
  server.join();
}

TEST_CASE("review4: a cached session made with the common-name fallback is not resumed once it is turned off",
          "[attack][session_cache][sessions]") {
  auto failed = std::make_shared<std::atomic<int>>(0);
  auto server = tolerant_echo_server(test::server_context_with("certs-cnonly-full.pem", "certs-cnonly.key"), 2, failed);
  auto client = test::client_context_trusting_root();
  client.set_hostname_checks_common_name(true);
  sslpp::session_cache cache;
  {
    auto tls = feat::connect(client, server.port(), "cn.example", {.session_cache = &cache});
    feat::round_trip(tls);
  }
  REQUIRE(cache.count("cn.example") >= 1);
  client.set_hostname_checks_common_name(false);
  const std::string msg = failure_of([&] {
    auto tls = feat::connect(client, server.port(), "cn.example", {.session_cache = &cache});
    feat::round_trip(tls);
  });
  CHECK_FALSE(msg.empty());  // a resumption would have skipped the (now failing) name check
  CHECK(cache.count("cn.example") == 0);
  server.join();
}

TEST_CASE("review4: a session cache never hands one TLS 1.3 ticket to two connections racing for it",
          "[attack][session_cache][concurrency]") {
  // One ticket in the cache, many wraps at once: at most one may offer it.
  constexpr int racers = 6;
  auto sctx = test::server_context_with();
  sctx.set_num_tickets(1);
  auto failed = std::make_shared<std::atomic<int>>(0);
  auto server = tolerant_echo_server(sctx, 1 + racers, failed);
  auto client = test::client_context_trusting_root();
  sslpp::session_cache cache;
  {
    auto tls = feat::connect(client, server.port(), "localhost", {.session_cache = &cache});
    feat::round_trip(tls);
  }
  REQUIRE(cache.count("localhost") == 1);
  std::atomic<int> offered{0}, resumed{0}, errors{0}, wrapped{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> pool;
  for (int i = 0; i < racers; ++i)
    pool.emplace_back([&] {
      while (!go) std::this_thread::yield();
      try {  // no Catch2 assertions off the main thread
        auto tls = feat::connect(client, server.port(), "localhost",
                                 {.do_handshake_on_connect = false, .session_cache = &cache});
        if (tls.session()) ++offered;  // before its handshake, session() is what it offers
        // Every wrap has taken what it offers before any handshake brings new tickets.
        ++wrapped;
        while (wrapped < racers) std::this_thread::yield();
        tls.do_handshake();
        tls.sendall("x");
        if (tls.read(10) != "x") ++errors;
        if (tls.session_reused()) ++resumed;
      } catch (...) {
        ++errors;
        ++wrapped;
      }
    });
  go = true;
  for (auto& t : pool) t.join();
  CHECK(errors == 0);
  CHECK(offered == 1);
  CHECK(resumed <= 1);
  server.join();
  CHECK(*failed == 0);
}

// --- early data and SNI ------------------------------------------------------------------------

TEST_CASE("review4: early data is refused when the SNI callback moves the connection to a context that did not opt in",
          "[attack][early_data][sni]") {
  auto strict = test::server_context_with();  // max_early_data 0
  REQUIRE(strict.max_early_data() == 0);
  auto base = test::server_context_with();
  base.set_max_early_data(sslpp::max_early_data_limit);
  auto count = std::make_shared<std::atomic<int>>(0);
  base.set_sni_callback([strict, count](sslpp::sni_request& r) {
    if (*count > 0) r.use_context(strict);  // the first connection (the ticket's) stays on base
  });
  struct seen_t {
    bool accepted = false;
    std::string early, ordinary;
  };
  auto seen = std::make_shared<seen_t>();
  test::server_thread server(
      [base, count, seen](sslpp::tcp_socket sock) {
        auto tls = base.wrap_socket(std::move(sock));
        if ((*count)++ == 0) {
          tls.sendall(tls.read(100));
          tls.shutdown();
          return;
        }
        seen->accepted = tls.early_data_accepted();
        seen->early = tls.early_data().accept_replay_risk_text();
        seen->ordinary = tls.read(100);
        tls.sendall(seen->ordinary);
        tls.shutdown();
      },
      2);
  auto cctx = test::client_context_trusting_root();
  sslpp::session s;
  {
    auto first = feat::connect(cctx, server.port());
    feat::round_trip(first);
    s = first.session();
  }
  REQUIRE(s);
  auto tls = feat::connect(cctx, server.port(), "localhost", {.session = s, .early_data = "POST /once"});
  CHECK_FALSE(tls.early_data_accepted());  // the context serving localhost refuses 0-RTT
  CHECK(tls.read(100) == "POST /once");    // re-sent once as ordinary data
  server.join();
  CHECK_FALSE(seen->accepted);
  CHECK(seen->early.empty());
  CHECK(seen->ordinary == "POST /once");
}

// --- PSK: a certificate suite is still verified ------------------------------------------------

TEST_CASE("review4: a client with a PSK callback still verifies a certificate server it meets",
          "[attack][psk]") {
  const auto with_psk = [](sslpp::client_context ctx) {
    ctx.set_psk_client_callback([](std::optional<std::string_view>) {
      return sslpp::psk_credentials{"id", std::vector<std::byte>(16, std::byte{7})};
    });
    return ctx;
  };
  auto failed = std::make_shared<std::atomic<int>>(0);
  auto server = tolerant_echo_server(test::server_context_with(), 3, failed);
  // Not trusting the test root: the ECDHE-ECDSA suite the server picks must fail verification.
  auto untrusting = with_psk(sslpp::create_default_context());
  CHECK_THROWS_AS(feat::connect(untrusting, server.port()), sslpp::cert_verification_error);
  // Trusting it, but for a name the certificate does not carry.
  auto trusting = with_psk(test::client_context_trusting_root());
  CHECK_THROWS_AS(feat::connect(trusting, server.port(), "wrong.example"), sslpp::cert_verification_error);
  // And the right name works, over a certificate suite, with the chain verified.
  auto tls = feat::connect(trusting, server.port());
  feat::round_trip(tls);
  CHECK(tls.getpeercert().has_value());
  CHECK_THAT(tls.cipher()->name, !Contains("PSK"));
  server.join();
}

TEST_CASE("review4: a PSK callback answering an empty key or an identity past 128 bytes fails, never an empty PSK",
          "[attack][psk]") {
  for (const auto& [identity, key] : {std::pair<std::string, std::size_t>{"id", 0},
                                      std::pair<std::string, std::size_t>{std::string(129, 'i'), 16},
                                      std::pair<std::string, std::size_t>{std::string("a\0b", 3), 16}}) {
    INFO(identity.size() << " " << key);
    auto sctx = sslpp::context_for(sslpp::protocol::tls_server);
    sctx.set_psk_server_callback([](std::string_view) { return std::vector<std::byte>{}; });
    auto failed = std::make_shared<std::atomic<int>>(0);
    auto server = tolerant_echo_server(sctx, 1, failed);
    auto cctx = test::client_context_trusting_root();
    cctx.set_psk_client_callback([identity, key](std::optional<std::string_view>) {
      return sslpp::psk_credentials{identity, std::vector<std::byte>(key, std::byte{1})};
    });
    CHECK_THROWS_AS(feat::connect(cctx, server.port()), sslpp::ssl_error);
    server.join();
    CHECK(*failed == 1);
  }
}

// --- key offload: late answers ------------------------------------------------------------------

namespace {
using signature = std::optional<std::vector<std::byte>>;

sslpp::server_context offload_server(sslpp::private_key_signer signer) {
  auto sctx = sslpp::context_for(sslpp::protocol::tls_server);
  sctx.load_cert_chain(test::pki("fullchain-ecdsa.pem"), std::move(signer));
  return sctx;
}
}  // namespace

TEST_CASE("review4: a completion answered twice keeps the first answer, and one answered after its connection died is harmless",
          "[attack][key_offload][sans_io]") {
  auto key = std::shared_ptr<EVP_PKEY>(test::read_key(test::pki("leaf-ecdsa.key")).release(), EVP_PKEY_free);
  std::vector<sslpp::signing_request> held;
  auto sctx = offload_server({.sign = [&](sslpp::signing_request& r) -> signature {
    held.push_back(std::move(r));
    return std::nullopt;
  }});
  auto cctx = test::client_context_trusting_root();
  SECTION("twice: the second answer (a forgery) changes nothing") {
    sslpp::memory_bio c_in, c_out, s_in, s_out;
    auto client = cctx.wrap_bio(c_in, c_out, "localhost");
    auto server = sctx.wrap_bio(s_in, s_out);
    std::error_code ec;
    client.do_handshake(ec);
    s_in.write(c_out.read());
    server.do_handshake(ec);
    REQUIRE(ec == sslpp::ssl_errc::want_private_key_operation);
    REQUIRE(held.size() == 1);
    const auto copy = held[0].completion;  // copies answer the same request
    CHECK(held[0].completion.complete(test::sign_with(key.get(), held[0].algorithm, held[0].input)));
    CHECK_FALSE(copy.complete(std::vector<std::byte>(64, std::byte{0})));
    CHECK_FALSE(copy.fail("too late"));
    for (int round = 0; round < 10; ++round) {
      std::error_code cec, sec;
      server.do_handshake(sec);
      c_in.write(s_out.read());
      client.do_handshake(cec);
      s_in.write(c_out.read());
      if (!cec && !sec) break;
    }
    client.write("ok");
    s_in.write(c_out.read());
    CHECK(server.read(10) == "ok");
  }
  SECTION("after the connection (and its context) are gone, from another thread") {
    std::optional<sslpp::signature_completion> late;
    {
      sslpp::memory_bio c_in, c_out, s_in, s_out;
      auto client = cctx.wrap_bio(c_in, c_out, "localhost");
      auto server = sctx.wrap_bio(s_in, s_out);
      std::error_code ec;
      client.do_handshake(ec);
      s_in.write(c_out.read());
      server.do_handshake(ec);
      REQUIRE(ec == sslpp::ssl_errc::want_private_key_operation);
      REQUIRE(held.size() == 1);
      late = held[0].completion;
      held.clear();
    }
    sctx = sslpp::context_for(sslpp::protocol::tls_server);  // the signer's context dropped too
    bool answered = false;
    std::thread([&] { answered = late->complete(std::vector<std::byte>(72, std::byte{1})); }).join();
    CHECK(answered);  // written into a slot nobody reads (ASan: no use after free)
    CHECK_FALSE(late->fail("again"));
  }
}

TEST_CASE("review4: a blocking handshake whose signer answers from another thread while the stream is being destroyed",
          "[attack][key_offload]") {
  // The signer answers only after the client gave up and the server stream is gone.
  auto key = std::shared_ptr<EVP_PKEY>(test::read_key(test::pki("leaf-ecdsa.key")).release(), EVP_PKEY_free);
  std::promise<sslpp::signing_request> asked;
  auto sctx = offload_server({.sign = [&](sslpp::signing_request& r) -> signature {
    asked.set_value(std::move(r));
    return std::nullopt;
  }});
  std::atomic<bool> server_done{false};
  std::string server_error;
  test::server_thread server([&, sctx](sslpp::tcp_socket sock) {
    sock.set_timeout(std::chrono::milliseconds(300));
    try {
      auto tls = sctx.wrap_socket(std::move(sock));
    } catch (const std::exception& e) {
      server_error = e.what();
    }
    server_done = true;
  });
  auto cctx = test::client_context_trusting_root();
  auto raw = sslpp::tcp_socket::connect("127.0.0.1", server.port(), std::chrono::seconds(10));
  auto client = cctx.wrap_socket(std::move(raw), "localhost", {.do_handshake_on_connect = false});
  std::thread hs([&] {
    try {
      client.do_handshake();
    } catch (...) {
    }
  });
  auto request = asked.get_future().get();
  server.join();  // the server's blocking handshake timed out waiting for the signer
  CHECK(server_done);
  CHECK_FALSE(server_error.empty());
  // Now the answer: the stream it belonged to no longer exists.
  CHECK(request.completion.complete(test::sign_with(key.get(), request.algorithm, request.input)));
  hs.join();
}

// --- PSK: a session made under a pre-shared key that was since withdrawn -----------------------

namespace {
std::vector<std::byte> psk_key() { return std::vector<std::byte>(16, std::byte{0x42}); }

sslpp::server_context psk_only_server() {
  auto sctx = sslpp::context_for(sslpp::protocol::tls_server);  // no certificate at all
  sctx.set_psk_server_callback([](std::string_view id) { return id == "alice" ? psk_key() : std::vector<std::byte>{}; });
  return sctx;
}

sslpp::client_context psk_only_client() {
  auto ctx = test::client_context_trusting_root();
  ctx.set_psk_client_callback(
      [](std::optional<std::string_view>) { return sslpp::psk_credentials{"alice", psk_key()}; });
  return ctx;
}

// A server for `n` connections that records, for each, whether it resumed or how it failed.
test::server_thread recording_psk_server(sslpp::server_context sctx, int n, std::shared_ptr<std::vector<std::string>> log) {
  return test::server_thread(
      [sctx, log](sslpp::tcp_socket sock) {
        try {
          auto tls = sctx.wrap_socket(std::move(sock));
          log->push_back(tls.session_reused() ? "resumed" : "full");
          tls.sendall(tls.read(100));
          tls.shutdown();
        } catch (const std::exception& e) {
          log->push_back(std::string("failed: ") + e.what());
        }
      },
      n);
}
}  // namespace

TEST_CASE("review4: a PSK server that withdrew its PSK callback does not resume sessions the old one authenticated",
          "[attack][psk][sessions]") {
  auto sctx = psk_only_server();
  auto log = std::make_shared<std::vector<std::string>>();
  auto server = recording_psk_server(sctx, 2, log);
  auto client = psk_only_client();
  sslpp::session s;
  {
    auto tls = feat::connect(client, server.port());
    feat::round_trip(tls);
    s = tls.session();
  }
  REQUIRE(s);
  REQUIRE(s.is_resumable());
  sctx.set_psk_server_callback(nullptr);  // alice (and PSK altogether) is revoked
  const std::string msg = failure_of([&] {
    auto tls = feat::connect(client, server.port(), "localhost", {.session = s});
    feat::round_trip(tls);
  });
  server.join();
  REQUIRE(log->size() == 2);
  CHECK((*log)[0] == "full");
  CHECK((*log)[1] != "resumed");  // a ticket from before must not stand in for the PSK check
  CHECK_FALSE(msg.empty());
}

TEST_CASE("review4: a PSK server whose callback now refuses an identity does not resume that identity's sessions",
          "[attack][psk][sessions]") {
  auto sctx = psk_only_server();
  auto log = std::make_shared<std::vector<std::string>>();
  auto server = recording_psk_server(sctx, 2, log);
  auto client = psk_only_client();
  sslpp::session s;
  {
    auto tls = feat::connect(client, server.port());
    feat::round_trip(tls);
    s = tls.session();
  }
  REQUIRE(s);
  sctx.set_psk_server_callback([](std::string_view) { return std::vector<std::byte>{}; });  // nobody any more
  const std::string msg = failure_of([&] {
    auto tls = feat::connect(client, server.port(), "localhost", {.session = s});
    feat::round_trip(tls);
  });
  server.join();
  REQUIRE(log->size() == 2);
  CHECK((*log)[1] != "resumed");
  CHECK_FALSE(msg.empty());
}

TEST_CASE("review4: a client that withdrew its PSK callback does not offer sessions the old key authenticated",
          "[attack][psk][sessions][session_cache]") {
  auto log = std::make_shared<std::vector<std::string>>();
  auto server = recording_psk_server(psk_only_server(), 3, log);
  auto client = psk_only_client();
  sslpp::session_cache cache;
  sslpp::session s;
  {
    auto tls = feat::connect(client, server.port(), "localhost", {.session_cache = &cache});
    feat::round_trip(tls);
    s = tls.session();
  }
  REQUIRE(s);
  REQUIRE(cache.count("localhost") >= 1);
  client.set_psk_client_callback(nullptr);  // the client no longer trusts peers holding that key
  // Given explicitly: refused at the wrap (the session holds no certificate to verify).
  CHECK_THROWS_AS(feat::connect(client, server.port(), "localhost", {.session = s}), std::invalid_argument);
  // From the cache: dropped, and the full handshake finds nothing to agree on.
  CHECK_THROWS(feat::connect(client, server.port(), "localhost", {.session_cache = &cache}));
  CHECK(cache.count("localhost") == 0);
  server.join();
  REQUIRE(log->size() == 3);
  for (const auto& l : *log) CHECK(l != "resumed");
}

// --- ECH: the rejection is authenticated whatever the host name settings ---------------------

namespace ech4 = test::ech;

TEST_CASE("review4: with check_hostname off, ECH retry configs still need a certificate valid for the public name",
          "[attack][ech]") {
  using namespace ech4;
  const auto old_keys = sslpp::ech_keys::generate(1, public_name);
  const auto attacker_keys = sslpp::ech_keys::generate(9, public_name);
  // The rejecting server has a valid certificate, but for the secret name only: with the
  // host name check off the client would accept it for the secret name, yet a rejection
  // is only authentic when the certificate names the public name.
  const auto sctx = server_with({attacker_keys}, {}, nullptr, /*has_public_certificate=*/false);
  auto cctx = client();
  cctx.set_check_hostname(false);
  REQUIRE(cctx.verify_mode() == sslpp::verify_mode::cert_required);
  bio_connection c(cctx, sctx, {.ech_config_list = old_keys.config_list()});
  bool handed_out = false, refused = false;
  try {
    c.handshake();
  } catch (const sslpp::ech_rejected_error& e) {
    handed_out = !e.retry_configs().empty();
  } catch (const sslpp::cert_verification_error&) {
    refused = true;
  }
  CHECK_FALSE(handed_out);
  CHECK(refused);
  CHECK_FALSE(c.client.ech_retry_configs().has_value());
  CHECK(c.client_wire.find(secret_name) == std::string::npos);
}

TEST_CASE("review4: with check_hostname off, a server without ECH keys still never sees the secret name",
          "[attack][ech]") {
  using namespace ech4;
  const auto stale = sslpp::ech_keys::generate(1, public_name);
  auto seen = std::make_shared<std::vector<std::string>>();
  const auto sctx = server_with({}, {}, seen);
  auto cctx = client();
  cctx.set_check_hostname(false);
  bio_connection c(cctx, sctx, {.ech_config_list = stale.config_list()});
  CHECK_THROWS_AS(c.handshake(), sslpp::ech_rejected_error);
  CHECK(*seen == std::vector<std::string>{public_name});
  CHECK(c.client_wire.find(secret_name) == std::string::npos);
  CHECK_THROWS_AS(c.client.write("x"), sslpp::ssl_error);
}

// --- key offload: answers that arrive before sign() returned, or conflict with its return ------

TEST_CASE("review4: a signer that completes before returning nullopt does not stall the handshake",
          "[attack][key_offload]") {
  auto key = std::shared_ptr<EVP_PKEY>(test::read_key(test::pki("leaf-ecdsa.key")).release(), EVP_PKEY_free);
  SECTION("on its own thread, inside sign()") {
    auto server = feat::echo_server(offload_server({.sign = [key](sslpp::signing_request& r) -> signature {
      (void)r.completion.complete(test::sign_with(key.get(), r.algorithm, r.input));  // no Catch2 off the main thread
      return std::nullopt;
    }}));
    const auto start = std::chrono::steady_clock::now();
    auto tls = feat::connect(test::client_context_trusting_root(), server.port());
    feat::round_trip(tls);
    server.join();
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));  // not the socket's timeout
  }
  SECTION("from another thread, racing the return") {
    auto server = feat::echo_server(offload_server({.sign = [key](sslpp::signing_request& r) -> signature {
      std::thread([key, algorithm = r.algorithm, input = r.input, c = r.completion] {
        c.complete(test::sign_with(key.get(), algorithm, input));
      }).join();
      return std::nullopt;
    }}));
    auto tls = feat::connect(test::client_context_trusting_root(), server.port());
    feat::round_trip(tls);
    server.join();
  }
  SECTION("a forged late answer after a synchronous signature changes nothing") {
    std::optional<sslpp::signature_completion> kept;
    auto server = feat::echo_server(offload_server({.sign = [key, &kept](sslpp::signing_request& r) -> signature {
      kept = r.completion;
      return test::sign_with(key.get(), r.algorithm, r.input);
    }}));
    auto tls = feat::connect(test::client_context_trusting_root(), server.port());
    feat::round_trip(tls);
    server.join();
    REQUIRE(kept.has_value());
    (void)kept->complete(std::vector<std::byte>(64, std::byte{0}));  // into a slot nobody reads
    CHECK(tls.getpeercert().has_value());
  }
}

TEST_CASE("review4: signatures swapped between two pending handshakes are refused by both clients",
          "[attack][key_offload][sans_io]") {
  // A key service that mixes up its queue answers each request with the other's signature:
  // each is a valid signature by the right key, over another handshake's transcript.
  auto key = std::shared_ptr<EVP_PKEY>(test::read_key(test::pki("leaf-ecdsa.key")).release(), EVP_PKEY_free);
  std::vector<sslpp::signing_request> held;
  auto sctx = offload_server({.sign = [&](sslpp::signing_request& r) -> signature {
    held.push_back(std::move(r));
    return std::nullopt;
  }});
  auto cctx = test::client_context_trusting_root();
  for (const auto max : {sslpp::tls_version::tlsv1_3, sslpp::tls_version::tlsv1_2}) {
    INFO(static_cast<int>(max));
    held.clear();
    cctx.set_maximum_version(max);
    struct pair_t {
      sslpp::memory_bio c_in, c_out, s_in, s_out;
      std::optional<sslpp::ssl_object> client, server;
    };
    std::array<pair_t, 2> p;
    for (auto& x : p) {
      x.client.emplace(cctx.wrap_bio(x.c_in, x.c_out, "localhost"));
      x.server.emplace(sctx.wrap_bio(x.s_in, x.s_out));
      std::error_code ec;
      x.client->do_handshake(ec);
      x.s_in.write(x.c_out.read());
      x.server->do_handshake(ec);
      if (ec == sslpp::ssl_errc::want_read) {
        x.c_in.write(x.s_out.read());
        x.client->do_handshake(ec);
        x.s_in.write(x.c_out.read());
        x.server->do_handshake(ec);
      }
      REQUIRE(ec == sslpp::ssl_errc::want_private_key_operation);
    }
    REQUIRE(held.size() == 2);
    REQUIRE(held[0].input != held[1].input);
    CHECK(held[0].completion.complete(test::sign_with(key.get(), held[1].algorithm, held[1].input)));
    CHECK(held[1].completion.complete(test::sign_with(key.get(), held[0].algorithm, held[0].input)));
    for (auto& x : p) {
      bool client_failed = false;
      for (int round = 0; round < 10 && !client_failed; ++round) {
        std::error_code cec, sec;
        x.server->do_handshake(sec);
        x.c_in.write(x.s_out.read());
        try {
          x.client->do_handshake();
          break;
        } catch (const sslpp::want_read_error&) {
        } catch (const sslpp::ssl_error& e) {
          client_failed = true;
          INFO(e.what());
        }
        x.s_in.write(x.c_out.read());
      }
      CHECK(client_failed);
    }
  }
}

TEST_CASE("review4: with ECH accepted, a server certificate for the public name only is refused for the secret name",
          "[attack][ech]") {
  using namespace ech4;
  const auto keys = sslpp::ech_keys::generate(1, public_name);
  auto sctx = sslpp::context_for(sslpp::protocol::tls_server);
  sctx.load_cert_chain(pki("fullchain-ech-public.pem"), pki("ech-public.key"));  // never the secret name's
  sctx.set_ech_keys({keys});
  bio_connection c(client(), sctx, {.ech_config_list = keys.config_list()});
  CHECK_THROWS_AS(c.handshake(), sslpp::cert_verification_error);
  CHECK(c.client_wire.find(secret_name) == std::string::npos);
}

TEST_CASE("review4: a saved session whose stored host name was edited does not resume for the new name",
          "[attack][session_cache][sessions]") {
  auto failed = std::make_shared<std::atomic<int>>(0);
  auto server = tolerant_echo_server(test::server_context_with(), 3, failed);
  auto client = test::client_context_trusting_root();
  std::vector<std::byte> bytes;
  {
    auto tls = feat::connect(client, server.port());
    feat::round_trip(tls);
    bytes = tls.session().to_bytes();
  }
  // The name follows the 14-byte magic, a flag and a length byte: "localhost" becomes
  // "evil.test" (as long), which the server's certificate does not name.
  const std::string evil = "evil.test";
  REQUIRE(bytes.size() > 16 + evil.size());
  REQUIRE(static_cast<std::size_t>(bytes[15]) == evil.size());
  for (std::size_t i = 0; i < evil.size(); ++i) bytes[16 + i] = static_cast<std::byte>(evil[i]);
  const sslpp::session edited = sslpp::session::from_bytes(bytes);
  REQUIRE(edited.server_hostname() == std::optional<std::string>(evil));
  // Given explicitly: refused at the wrap, the chain does not verify for evil.test.
  CHECK_THROWS_AS(feat::connect(client, server.port(), "evil.test", {.session = edited}), std::invalid_argument);
  // Through a cache: dropped, and the full handshake fails the host name check.
  sslpp::session_cache cache;
  cache.put(edited);
  REQUIRE(cache.count(evil) == 1);
  CHECK_THROWS_AS(feat::connect(client, server.port(), "evil.test", {.session_cache = &cache}), sslpp::cert_verification_error);
  CHECK(cache.count(evil) == 0);
  server.join();
}
