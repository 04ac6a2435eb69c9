// Session resumption: TLS 1.3 tickets (taken in by a read), TLS 1.2 tickets and session
// ids, num_tickets, options::no_ticket, session_stats, serialized sessions; on loopback
// and against python3's ssl and openssl s_server.
#include "features_support.hpp"

#include <atomic>

namespace {

sslpp::client_context client_up_to(sslpp::tls_version max) {
  auto c = test::client_context_trusting_root();
  c.set_maximum_version(max);
  return c;
}

// Two connections to an echo server: a full handshake, then one offering its session.
// Returns whether the second (client side, server side) resumed.
std::pair<bool, bool> resume_twice(sslpp::server_context sctx, sslpp::client_context cctx) {
  std::atomic<bool> server_reused{false};
  auto server = feat::echo_server(
      sctx, [&](auto& tls) { server_reused = tls.session_reused(); }, 2);
  sslpp::session s;
  {
    auto first = feat::connect(cctx, server.port());
    CHECK_FALSE(first.session_reused());
    feat::round_trip(first);  // the read takes in TLS 1.3 tickets
    s = first.session();
    REQUIRE(s);
    CHECK(s.is_resumable());
  }
  auto second = feat::connect(cctx, server.port(), "localhost", {.session = s});
  feat::round_trip(second);
  const bool client_reused = second.session_reused();
  server.join();
  return {client_reused, server_reused.load()};
}

}  // namespace

TEST_CASE("a TLS 1.3 session is empty until a read takes in the ticket and then resumes", "[sessions]") {
  auto sctx = test::server_context_with();
  auto server = feat::echo_server(sctx);
  auto client = test::client_context_trusting_root();
  auto tls = feat::connect(client, server.port());
  REQUIRE(tls.version() == sslpp::tls_version::tlsv1_3);
  CHECK_FALSE(tls.session());  // the server's tickets follow the handshake
  feat::round_trip(tls);
  const sslpp::session s = tls.session();
  REQUIRE(s);
  CHECK(s.has_ticket());
  CHECK(s.ticket_lifetime_hint() > 0);
  CHECK(s.timeout().count() > 0);
  const sslpp::session copy = s;  // copies share the session
  CHECK(copy == s);
  server.join();
  CHECK(resume_twice(test::server_context_with(), test::client_context_trusting_root()) == std::pair{true, true});
}

TEST_CASE("a TLS 1.2 session resumes with a ticket and with a session id", "[sessions]") {
  SECTION("ticket") {
    CHECK(resume_twice(test::server_context_with(), client_up_to(sslpp::tls_version::tlsv1_2)) ==
          std::pair{true, true});
  }
  SECTION("session id from the server's cache when tickets are off") {
    auto sctx = test::server_context_with();
    sctx.set_options(sctx.options() | sslpp::options::no_ticket);
    CHECK(resume_twice(sctx, client_up_to(sslpp::tls_version::tlsv1_2)) == std::pair{true, true});
    CHECK(sctx.session_stats().number >= 1);  // the session sits in the server's cache
  }
}

TEST_CASE("num_tickets zero means no TLS 1.3 session and no resumption", "[sessions]") {
  auto sctx = test::server_context_with();
  CHECK(sctx.num_tickets() == 2);
  sctx.set_num_tickets(0);
  CHECK(sctx.num_tickets() == 0);
  auto server = feat::echo_server(sctx);
  auto client = test::client_context_trusting_root();
  auto tls = feat::connect(client, server.port());
  feat::round_trip(tls);
  CHECK_FALSE(tls.session());
  server.join();
}

TEST_CASE("options no_ticket stops tickets in TLS 1.3 too", "[sessions]") {
  auto sctx = test::server_context_with();
  sctx.set_options(sctx.options() | sslpp::options::no_ticket);
  auto server = feat::echo_server(sctx);
  auto client = test::client_context_trusting_root();
  auto tls = feat::connect(client, server.port());
  feat::round_trip(tls);
  CHECK_FALSE(tls.session());  // BoringSSL sends no TLS 1.3 ticket under SSL_OP_NO_TICKET
  server.join();
}

TEST_CASE("session_stats counts handshakes hits and misses", "[sessions]") {
  auto sctx = test::server_context_with();
  auto cctx = test::client_context_trusting_root();
  CHECK(resume_twice(sctx, cctx) == std::pair{true, true});
  auto st = sctx.session_stats();
  CHECK(st.accept == 2);
  CHECK(st.accept_good == 2);
  CHECK(st.hits == 1);
  CHECK(st.misses == 0);
  CHECK(st.accept_renegotiate == 0);
  auto ct = cctx.session_stats();
  CHECK(ct.connect == 2);
  CHECK(ct.connect_good == 2);
  CHECK(ct.accept == 0);

  // A session from another server (other ticket keys) is offered and not resumed: a miss.
  auto other = test::server_context_with();
  sslpp::session foreign;
  {
    auto server = feat::echo_server(other);
    auto tls = feat::connect(cctx, server.port());
    feat::round_trip(tls);
    foreign = tls.session();
    server.join();
  }
  REQUIRE(foreign);
  auto server = feat::echo_server(sctx);
  auto tls = feat::connect(cctx, server.port(), "localhost", {.session = foreign});
  CHECK_FALSE(tls.session_reused());
  feat::round_trip(tls);
  server.join();
  CHECK(sctx.session_stats().misses == 1);
  CHECK(sctx.session_stats().hits == 1);
}

TEST_CASE("a serialized session resumes after from_bytes", "[sessions]") {
  auto sctx = test::server_context_with();
  auto cctx = test::client_context_trusting_root();
  std::atomic<bool> server_reused{false};
  auto server = feat::echo_server(sctx, [&](auto& tls) { server_reused = tls.session_reused(); }, 2);
  std::vector<std::byte> bytes;
  {
    auto tls = feat::connect(cctx, server.port());
    feat::round_trip(tls);
    bytes = tls.session().to_bytes();
  }
  REQUIRE_FALSE(bytes.empty());
  const auto s = sslpp::session::from_bytes(bytes);
  auto tls = feat::connect(cctx, server.port(), "localhost", {.session = s});
  CHECK(tls.session_reused());
  feat::round_trip(tls);
  server.join();
  CHECK(server_reused);
  CHECK_THROWS_AS(sslpp::session::from_bytes(std::vector<std::byte>(5, std::byte{1})), sslpp::ssl_error);
}

TEST_CASE("sslpp resumes sessions with a python3 server", "[sessions][python]") {
  for (const char* max : {"TLSv1_3", "TLSv1_2"}) {
    INFO(max);
    std::uint16_t port = 0;
    auto peer = feat::python_server("\"connections\": 2, \"max\": \"" + std::string(max) + "\"", port);
    auto client = test::client_context_trusting_root();
    sslpp::session s;
    {
      auto first = feat::connect(client, port);
      feat::round_trip(first);
      s = first.session();
    }
    REQUIRE(s);
    auto second = feat::connect(client, port, "localhost", {.session = s});
    CHECK(second.session_reused());
    feat::round_trip(second);
    CHECK(peer->wait_for_output("\"reused\": true"));
  }
}

TEST_CASE("a python3 client resumes its session with an sslpp server", "[sessions][python]") {
  for (const char* max : {"TLSv1_3", "TLSv1_2"}) {
    INFO(max);
    auto sctx = test::server_context_with();
    std::atomic<int> reused{0};
    auto server = feat::echo_server(sctx, [&](auto& tls) { reused += tls.session_reused(); }, 2);
    auto peer = feat::python_client(server.port(), "\"connections\": 2, \"max\": \"" + std::string(max) + "\"");
    REQUIRE(peer->wait() == 0);
    server.join();
    CHECK(reused == 1);
    CHECK_THAT(peer->output(), Catch::Contains("\"reused\": false") && Catch::Contains("\"reused\": true"));
  }
}

TEST_CASE("sslpp resumes sessions with openssl s_server", "[sessions][openssl]") {
  std::uint16_t port = 0;
  auto peer = feat::openssl_server({}, port);
  auto client = test::client_context_trusting_root();
  sslpp::session s;
  {
    auto first = feat::connect(client, port);
    first.sendall("one\n");
    REQUIRE(peer->wait_for_output("one"));
    // s_server echoes nothing; a short read wait takes in its tickets.
    first.socket().set_timeout(std::chrono::milliseconds(300));
    std::error_code ec;
    std::array<std::byte, 16> buf{};
    first.read(buf, ec);
    s = first.session();
  }
  REQUIRE(s);
  auto second = feat::connect(client, port, "localhost", {.session = s});
  CHECK(second.session_reused());
}
