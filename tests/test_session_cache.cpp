// sslpp::session_cache with wrap_options{.session_cache = &cache}: a second connection
// resumes (against sslpp and python3 servers), sessions stay with their host name and
// context, a TLS 1.3 ticket is offered once, the bounds evict, and many threads share one
// cache (TSan runs these, label "unit").
#include "features_support.hpp"

#include <atomic>
#include <thread>

namespace {

using Catch::Contains;

// A client connection through `cache` that reads one echo (taking in the tickets sent
// after the handshake) and reports whether it resumed.
bool resumed_via(const sslpp::client_context& ctx, sslpp::session_cache& cache, std::uint16_t port,
                 sslpp::hostname host = "localhost") {
  auto tls = feat::connect(ctx, port, host, {.session_cache = &cache});
  feat::round_trip(tls);
  return tls.session_reused();
}

sslpp::server_context server_with_tickets(std::size_t n) {
  auto sctx = test::server_context_with();
  sctx.set_num_tickets(n);
  return sctx;
}

}  // namespace

TEST_CASE("a session cache makes the second connection to a host resume", "[session_cache][sessions]") {
  for (const auto max : {sslpp::tls_version::tlsv1_3, sslpp::tls_version::tlsv1_2}) {
    INFO(static_cast<int>(max));
    sslpp::session_cache cache;
    auto client = test::client_context_trusting_root();
    client.set_maximum_version(max);
    auto server = feat::echo_server(test::server_context_with(), {}, 3);
    CHECK_FALSE(resumed_via(client, cache, server.port()));
    CHECK(cache.count("localhost") >= 1);
    CHECK(resumed_via(client, cache, server.port()));
    CHECK(resumed_via(client, cache, server.port()));  // the resumed connection's new tickets, or the TLS 1.2 session again
    server.join();
  }
}

TEST_CASE("a session cache resumes with a python3 server", "[session_cache][python]") {
  std::uint16_t port = 0;
  auto peer = feat::python_server("\"connections\": 2", port);
  sslpp::session_cache cache;
  auto client = test::client_context_trusting_root();
  CHECK_FALSE(resumed_via(client, cache, port));
  CHECK_THAT(peer->wait_for_line("INFO"), Contains("\"reused\": false"));
  CHECK(resumed_via(client, cache, port));
  CHECK_THAT(peer->wait_for_line("\"reused\": true"), Contains("TLSv1.3"));  // python3 saw it resume
}

TEST_CASE("a cached session is never offered to another host name or by another context", "[session_cache]") {
  sslpp::session_cache cache;
  auto client = test::client_context_trusting_root();
  auto server = feat::echo_server(test::server_context_with(), {}, 5);
  CHECK_FALSE(resumed_via(client, cache, server.port(), "localhost"));
  const std::size_t for_localhost = cache.count("localhost");
  REQUIRE(for_localhost >= 1);
  // Another name for the same server: a full handshake, and localhost's sessions stay.
  CHECK_FALSE(resumed_via(client, cache, server.port(), "127.0.0.1"));
  CHECK(cache.count("localhost") == for_localhost);
  CHECK(cache.count("127.0.0.1") >= 1);
  // Another context (the same settings, another object) never gets this one's sessions.
  auto other = test::client_context_trusting_root();
  CHECK_FALSE(resumed_via(other, cache, server.port(), "localhost"));
  CHECK(cache.count("localhost") == 2 * for_localhost);
  // The name is compared as the host name check compares it.
  CHECK(resumed_via(client, cache, server.port(), "LOCALHOST."));
  CHECK(resumed_via(other, cache, server.port(), "localhost"));
  server.join();
}

TEST_CASE("a TLS 1.3 ticket from the cache is offered once only", "[session_cache]") {
  sslpp::session_cache cache;
  auto client = test::client_context_trusting_root();
  auto sctx = server_with_tickets(1);
  auto server = feat::echo_server(sctx, {}, 3);
  CHECK_FALSE(resumed_via(client, cache, server.port()));
  REQUIRE(cache.count("localhost") == 1);
  // Before its handshake a connection's session() is the one it offers.
  auto second = feat::connect(client, server.port(), "localhost",
                              {.do_handshake_on_connect = false, .session_cache = &cache});
  const sslpp::session first_ticket = second.session();
  REQUIRE(first_ticket);
  CHECK(cache.count("localhost") == 0);  // taken at the wrap
  second.do_handshake();
  CHECK(second.session_reused());
  feat::round_trip(second);  // takes in the server's new ticket
  CHECK(cache.count("localhost") == 1);
  auto third = feat::connect(client, server.port(), "localhost",
                             {.do_handshake_on_connect = false, .session_cache = &cache});
  CHECK(third.session());
  CHECK_FALSE(third.session() == first_ticket);  // the new ticket, never the used one again
  third.do_handshake();
  feat::round_trip(third);
  CHECK(third.session_reused());
  server.join();
  CHECK(sctx.session_stats().hits == 2);
}

TEST_CASE("a session cache keeps the newest sessions per host and evicts the least recently used",
          "[session_cache]") {
  CHECK_THROWS_AS(sslpp::session_cache(0), std::invalid_argument);
  CHECK_THROWS_AS(sslpp::session_cache(4, 0), std::invalid_argument);
  auto client = test::client_context_trusting_root();
  SECTION("per host") {
    auto server = feat::echo_server(server_with_tickets(3));
    sslpp::session_cache cache(16, 2);
    CHECK_FALSE(resumed_via(client, cache, server.port()));
    CHECK(cache.count("localhost") == 2);  // three tickets arrived, the two newest stay
    server.join();
  }
  SECTION("in all") {
    auto server = feat::echo_server(server_with_tickets(3), {}, 3);
    sslpp::session_cache cache(4, 4);
    CHECK_FALSE(resumed_via(client, cache, server.port(), "localhost"));
    CHECK(resumed_via(client, cache, server.port(), "localhost"));  // used one, three more arrived
    CHECK(cache.size() == 4);
    CHECK(cache.count("localhost") == 4);
    CHECK_FALSE(resumed_via(client, cache, server.port(), "127.0.0.1"));
    CHECK(cache.size() == 4);  // localhost's oldest went
    CHECK(cache.count("127.0.0.1") == 3);
    CHECK(cache.count("localhost") == 1);
    server.join();
  }
  sslpp::session_cache cleared;
  cleared.put(sslpp::session{});  // an empty session is ignored
  CHECK(cleared.size() == 0);
}

TEST_CASE("a session read back with from_bytes can be put in the cache and is re-verified", "[session_cache]") {
  auto client = test::client_context_trusting_root();
  auto server = feat::echo_server(server_with_tickets(1), {}, 2);
  sslpp::session saved;
  {
    auto tls = feat::connect(client, server.port());
    feat::round_trip(tls);
    saved = sslpp::session::from_bytes(tls.session().to_bytes());
  }
  sslpp::session_cache cache;
  cache.put(saved);
  auto other = test::client_context_trusting_root();  // any context whose trust accepts the chain
  CHECK(resumed_via(other, cache, server.port()));
  server.join();
}

TEST_CASE("a server wrap refuses a session cache", "[session_cache]") {
  sslpp::session_cache cache;
  auto sctx = test::server_context_with();
  sslpp::memory_bio in, out;
  CHECK_THROWS_WITH(sctx.wrap_bio(in, out, {.session_cache = &cache}), Contains("session_cache is for client"));
}

TEST_CASE("many threads share one session cache", "[session_cache][concurrency]") {
  constexpr int threads = 4, per_thread = 3;
  sslpp::session_cache cache(8, 2);
  auto client = test::client_context_trusting_root();
  auto server = feat::echo_server(test::server_context_with(), {}, threads * per_thread);
  std::atomic<int> resumed{0}, failed{0};
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t)
    pool.emplace_back([&] {
      for (int i = 0; i < per_thread; ++i) {
        try {  // no Catch2 assertions off the main thread
          auto tls = feat::connect(client, server.port(), "localhost", {.session_cache = &cache});
          tls.sendall("ping");
          if (tls.read(100) != "ping") ++failed;
          if (tls.session_reused()) ++resumed;
        } catch (...) {
          ++failed;
        }
        (void)cache.size();
      }
    });
  for (auto& t : pool) t.join();
  server.join();
  CHECK(failed == 0);
  CHECK(resumed >= 1);
  CHECK(cache.count("localhost") <= 2);
}
