// TLS 1.3 0-RTT early data: the client's wrap_options::early_data delivered exactly once
// (early when the session and the server allow it, right after the handshake otherwise),
// the server's early_data() as sslpp::replayable and never through read(), off unless
// the server opts in, a replayed first flight never delivered; against bssl-tool both ways.
#include "features_support.hpp"

#include <filesystem>
#include <fstream>

namespace {

sslpp::server_context early_server() {
  auto sctx = test::server_context_with();
  sctx.set_max_early_data(sslpp::max_early_data_limit);
  return sctx;
}

// A session from `sctx` for `cctx`: one connection, a round trip to take the ticket in.
sslpp::session ticket_from(test::server_thread& server, const sslpp::client_context& cctx) {
  auto tls = feat::connect(cctx, server.port());
  feat::round_trip(tls);
  sslpp::session s = tls.session();
  REQUIRE(s);
  return s;
}

struct served {
  std::string early;      // what early_data() gave
  std::string ordinary;   // what read() gave
  bool accepted = false;  // early_data_accepted() on the server
  std::string reason;
};

// An echo server for two connections (a full one, then the one under test) that records,
// for the second, what came as early data and what through read(); it answers both.
test::server_thread recording_server(sslpp::server_context sctx, served& out) {
  auto count = std::make_shared<int>(0);
  return test::server_thread(
      [sctx, &out, count](sslpp::tcp_socket sock) {
        auto tls = sctx.wrap_socket(std::move(sock));
        if ((*count)++ == 0) {
          tls.sendall(tls.read(100));
          tls.shutdown();
          return;
        }
        out.early = tls.early_data().accept_replay_risk_text();
        out.accepted = tls.early_data_accepted();
        out.reason = tls.early_data_reason();
        while (out.ordinary.empty() || out.ordinary.back() != '!') {  // the client ends with '!'
          const std::string part = tls.read(100);
          if (part.empty()) break;
          out.ordinary += part;
        }
        tls.sendall("got " + out.early + "|" + out.ordinary);
        tls.shutdown();
      },
      2);
}

}  // namespace

TEST_CASE("early data: accepted, it reaches the server as replayable bytes and never through read", "[early_data]") {
  served got;
  auto server = recording_server(early_server(), got);
  auto cctx = test::client_context_trusting_root();
  const sslpp::session s = ticket_from(server, cctx);
  auto tls = feat::connect(cctx, server.port(), "localhost", {.session = s, .early_data = "GET /early"});
  CHECK(tls.session_reused());
  CHECK(tls.early_data_accepted());
  CHECK(tls.early_data_reason() == "accepted");
  tls.sendall("later!");
  CHECK(tls.read(100) == "got GET /early|later!");
  server.join();
  CHECK(got.accepted);
  CHECK(got.early == "GET /early");
  CHECK(got.ordinary == "later!");  // the early bytes are not in read()
  CHECK(got.reason == "accepted");
}

TEST_CASE("early data: without a session it goes once, right after the handshake", "[early_data]") {
  served got;
  auto server = recording_server(early_server(), got);
  auto cctx = test::client_context_trusting_root();
  {  // the first connection of the recording server
    auto first = feat::connect(cctx, server.port());
    feat::round_trip(first);
  }
  auto tls = feat::connect(cctx, server.port(), "localhost", {.early_data = "GET /late"});
  CHECK_FALSE(tls.early_data_accepted());
  CHECK(tls.early_data_reason() == "no_session_offered");
  tls.sendall("!");
  CHECK(tls.read(100) == "got |GET /late!");
  server.join();
  CHECK_FALSE(got.accepted);
  CHECK(got.early.empty());
  CHECK(got.ordinary == "GET /late!");
}

TEST_CASE("early data: a server that did not opt in refuses it and the client re-sends it once", "[early_data]") {
  auto sctx = test::server_context_with();
  CHECK(sctx.max_early_data() == 0);  // off unless the server opts in
  served got;
  auto server = recording_server(sctx, got);
  auto cctx = test::client_context_trusting_root();
  const sslpp::session s = ticket_from(server, cctx);
  auto tls = feat::connect(cctx, server.port(), "localhost", {.session = s, .early_data = "GET /x"});
  CHECK(tls.session_reused());
  CHECK_FALSE(tls.early_data_accepted());
  tls.sendall("!");
  CHECK(tls.read(100) == "got |GET /x!");
  server.join();
  CHECK_FALSE(got.accepted);
  CHECK(got.early.empty());
  CHECK(got.ordinary == "GET /x!");
}

TEST_CASE("early data: a ticket that allowed it, then a server that refuses it: rejected and re-sent once",
          "[early_data]") {
  auto sctx = early_server();
  served got;
  auto cctx = test::client_context_trusting_root();
  auto count = std::make_shared<int>(0);
  test::server_thread server(
      [sctx, &got, count](sslpp::tcp_socket sock) mutable {
        if ((*count)++ == 1) sctx.set_max_early_data(0);  // changes its mind after issuing the ticket
        auto tls = sctx.wrap_socket(std::move(sock));
        got.early = tls.early_data().accept_replay_risk_text();
        got.accepted = tls.early_data_accepted();
        got.ordinary = tls.read(100);
        tls.sendall(got.ordinary);
        tls.shutdown();
      },
      2);
  const sslpp::session s = ticket_from(server, cctx);
  auto tls = feat::connect(cctx, server.port(), "localhost", {.session = s, .early_data = "GET /twice?"});
  CHECK(tls.session_reused());
  CHECK_FALSE(tls.early_data_accepted());  // the client saw SSL_ERROR_EARLY_DATA_REJECTED and re-sent it
  CHECK(tls.read(100) == "GET /twice?");
  server.join();
  CHECK_FALSE(got.accepted);
  CHECK(got.early.empty());
  CHECK(got.ordinary == "GET /twice?");  // once, not twice
}

TEST_CASE("early data: a client with a 0-RTT session sends none unless asked, and its writes are never early",
          "[early_data]") {
  served got;
  auto server = recording_server(early_server(), got);
  auto cctx = test::client_context_trusting_root();
  const sslpp::session s = ticket_from(server, cctx);
  // do_handshake_on_connect off: the first write drives the handshake, and must not go early.
  auto tls = feat::connect(cctx, server.port(), "localhost", {.do_handshake_on_connect = false, .session = s});
  tls.sendall("written!");
  CHECK(tls.read(100) == "got |written!");
  CHECK(tls.session_reused());
  CHECK_FALSE(tls.early_data_accepted());
  server.join();
  CHECK_FALSE(got.accepted);
  CHECK(got.early.empty());
  CHECK(got.ordinary == "written!");
}

TEST_CASE("early data: max_early_data takes 0 or the backend's fixed limit", "[early_data]") {
  auto sctx = test::server_context_with();
  sctx.set_max_early_data(sslpp::max_early_data_limit);
  CHECK(sctx.max_early_data() == 14336);
  try {
    sctx.set_max_early_data(1000);
    FAIL("no exception");
  } catch (const std::invalid_argument& e) {
    CHECK_THAT(e.what(), Catch::Contains("no SSL_CTX_set_max_early_data"));
    CHECK_THAT(e.what(), Catch::Contains("14336"));
  }
  CHECK(sctx.max_early_data() == 14336);  // unchanged
  sctx.set_max_early_data(0);
  CHECK(sctx.max_early_data() == 0);
}

TEST_CASE("early data: wrap_options::early_data takes text or bytes and owns them", "[early_data]") {
  sslpp::wrap_options o{.early_data = "GET /"};
  CHECK(o.early_data.text() == "GET /");
  {
    std::string text = "from a string";
    o.early_data = text;
  }  // the string is gone; the options keep their own copy
  CHECK(o.early_data.text() == "from a string");
  o.early_data = std::string_view("view");
  CHECK(o.early_data.size() == 4);
  o.early_data = std::vector<std::byte>{std::byte{0}, std::byte{0xff}};
  CHECK(o.early_data.bytes().size() == 2);
  CHECK(o.early_data.bytes()[1] == std::byte{0xff});
  CHECK(sslpp::wrap_options{}.early_data.empty());
}

TEST_CASE("early data: a server wrap given early data to send throws", "[early_data]") {
  auto sctx = early_server();
  sslpp::memory_bio in, out;
  CHECK_THROWS_WITH(sctx.wrap_bio(in, out, {.early_data = "x"}), Catch::Contains("is what a client sends"));
  auto cctx = test::client_context_trusting_root();
  auto obj = cctx.wrap_bio(in, out, "localhost");
  CHECK_THROWS_WITH(obj.early_data(), Catch::Contains("is what a server received"));
}

namespace {

// Moves what `from` wrote into `to`.
void carry(sslpp::memory_bio& from, sslpp::memory_bio& to) {
  const std::string bytes = from.read();
  if (!bytes.empty()) to.write(bytes);
}

// A full handshake over memory BIOs between a client and a server object, and a round trip
// that takes the TLS 1.3 ticket in; returns the session.
sslpp::session memory_ticket(const sslpp::server_context& sctx, const sslpp::client_context& cctx) {
  sslpp::memory_bio c_in, c_out, s_in, s_out;
  auto client = cctx.wrap_bio(c_in, c_out, "localhost");
  auto server = sctx.wrap_bio(s_in, s_out);
  for (int i = 0; i < 10; ++i) {
    std::error_code ec1, ec2;
    client.do_handshake(ec1);
    carry(c_out, s_in);
    server.do_handshake(ec2);
    carry(s_out, c_in);
    if (!ec1 && !ec2) break;
  }
  server.write("t");
  carry(s_out, c_in);
  CHECK(client.read(10) == "t");
  return client.session();
}

}  // namespace

TEST_CASE("early data: a replayed first flight is accepted by BoringSSL but never delivered by sslpp", "[early_data]") {
  auto sctx = early_server();
  auto cctx = test::client_context_trusting_root();
  const sslpp::session s = memory_ticket(sctx, cctx);
  REQUIRE(s);

  // The client's first flight: ClientHello and the early data records.
  sslpp::memory_bio c_in, c_out;
  auto client = cctx.wrap_bio(c_in, c_out, "localhost", {.session = s, .early_data = "POST /pay?once"});
  CHECK_THROWS_AS(client.do_handshake(), sslpp::want_read_error);
  const std::string first_flight = c_out.read();
  REQUIRE_FALSE(first_flight.empty());

  // The genuine server.
  sslpp::memory_bio s_in, s_out;
  auto server = sctx.wrap_bio(s_in, s_out);
  s_in.write(first_flight);
  CHECK_THROWS_AS(server.do_handshake(), sslpp::want_read_error);  // waits for the client's Finished
  CHECK(server.early_data().empty());  // nothing before the handshake finished
  // An attacker replays the same first flight to a second server instance.
  sslpp::memory_bio r_in, r_out;
  auto replay = sctx.wrap_bio(r_in, r_out);
  r_in.write(first_flight);
  CHECK_THROWS_AS(replay.do_handshake(), sslpp::want_read_error);
  CHECK(replay.early_data_accepted());  // BoringSSL accepted the replayed 0-RTT: no anti-replay cache
  CHECK(replay.early_data().empty());   // but sslpp has delivered nothing
  std::string read_from_replay;
  try {
    read_from_replay = replay.read(100);
  } catch (const sslpp::want_read_error&) {
  }
  CHECK(read_from_replay.empty());  // and read() does not give the early bytes either

  // The genuine client finishes; the server now has its early data, once.
  carry(s_out, c_in);
  client.do_handshake();
  CHECK(client.early_data_accepted());
  const std::string second_flight = c_out.read();
  s_in.write(second_flight);
  server.do_handshake();
  CHECK(server.early_data().accept_replay_risk_text() == "POST /pay?once");

  // The replay cannot finish: the genuine client's Finished does not fit its transcript.
  r_in.write(second_flight);
  CHECK_THROWS_AS(replay.do_handshake(), sslpp::ssl_error);
  CHECK(replay.early_data().empty());
}

TEST_CASE("early data: a server reading before its handshake finished gets no early bytes", "[early_data]") {
  auto sctx = early_server();
  auto cctx = test::client_context_trusting_root();
  const sslpp::session s = memory_ticket(sctx, cctx);
  sslpp::memory_bio c_in, c_out, s_in, s_out;
  auto client = cctx.wrap_bio(c_in, c_out, "localhost", {.session = s, .early_data = "EARLY"});
  auto server = sctx.wrap_bio(s_in, s_out);
  CHECK_THROWS_AS(client.do_handshake(), sslpp::want_read_error);
  carry(c_out, s_in);
  // read() without do_handshake(): the implicit handshake takes the early data aside.
  CHECK_THROWS_AS(server.read(100), sslpp::want_read_error);
  carry(s_out, c_in);
  client.write("ORDINARY");  // finishes the client's handshake, then the data
  carry(c_out, s_in);
  CHECK(server.read(100) == "ORDINARY");
  CHECK(server.early_data().accept_replay_risk_text() == "EARLY");
  CHECK(server.early_data_accepted());
}

TEST_CASE("early data: more than the limit goes partly early, all of it once", "[early_data]") {
  served got;
  auto sctx = early_server();
  auto count = std::make_shared<int>(0);
  const std::string big(sslpp::max_early_data_limit + 1000, 'e');
  std::string early, ordinary;
  test::server_thread server(
      [sctx, &early, &ordinary, count, n = big.size()](sslpp::tcp_socket sock) {
        auto tls = sctx.wrap_socket(std::move(sock));
        if ((*count)++ == 0) {
          tls.sendall(tls.read(100));
          tls.shutdown();
          return;
        }
        early = tls.early_data().accept_replay_risk_text();
        while (early.size() + ordinary.size() < n) ordinary += tls.read(65536);
        tls.sendall("done");
        tls.shutdown();
      },
      2);
  auto cctx = test::client_context_trusting_root();
  const sslpp::session s = ticket_from(server, cctx);
  auto tls = feat::connect(cctx, server.port(), "localhost", {.session = s, .early_data = big});
  CHECK(tls.early_data_accepted());
  CHECK(tls.read(100) == "done");
  server.join();
  CHECK(early.size() == sslpp::max_early_data_limit);
  CHECK(early + ordinary == big);
}

// --- bssl-tool ---

namespace {
std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("sslpp-early-" + std::to_string(::getpid()) + "-" + name)).string();
}
}  // namespace

TEST_CASE("early data: bssl-tool client sends it to an sslpp server, accepted and refused", "[early_data][interop]") {
  const bool allow = GENERATE(true, false);
  auto sctx = test::server_context_with();
  if (allow) sctx.set_max_early_data(sslpp::max_early_data_limit);
  auto listener = sslpp::tcp_listener::listen("127.0.0.1", 0);
  const std::string port = std::to_string(listener.port());
  const std::string session_file = temp_path(allow ? "bssl-session-a" : "bssl-session-r");
  served got;
  std::thread server([&] {
    try {
      for (int i = 0; i < 2; ++i) {
        auto tls = sctx.wrap_socket(listener.accept(std::chrono::seconds(20)));
        if (i == 1) {
          got.early = tls.early_data().accept_replay_risk_text();
          got.accepted = tls.early_data_accepted();
        }
        std::string line = i == 1 ? got.early : "";
        while (line.find('\n') == std::string::npos) {
          const std::string part = tls.read(100);
          if (part.empty()) break;
          line += part;
        }
        if (i == 1) got.ordinary = line.substr(got.early.size());
        tls.sendall("echo " + line);
        tls.shutdown();
      }
    } catch (const std::exception& e) {
      got.reason = e.what();
    }
  });
  {
    test::child first({"bssl-tool", "client", "-connect", "127.0.0.1:" + port, "-server-name", "localhost",
                       "-root-certs", test::pki("ca.pem"), "-session-out", session_file});
    first.write_stdin("one\n");
    CHECK(first.wait_for_output("echo one"));
    first.close_stdin();
    first.wait();
  }
  test::child second({"bssl-tool", "client", "-connect", "127.0.0.1:" + port, "-server-name", "localhost",
                      "-root-certs", test::pki("ca.pem"), "-session-in", session_file, "-early-data", "EARLY-ONE "});
  second.write_stdin("two\n");
  CHECK(second.wait_for_output("echo "));
  second.close_stdin();
  second.wait();
  server.join();
  std::filesystem::remove(session_file);
  INFO(second.output());
  CHECK(got.reason.empty());
  CHECK(got.accepted == allow);
  if (allow) {
    // bssl-tool writes what its stdin gives while still in early data as early data too.
    CHECK_THAT(got.early, Catch::StartsWith("EARLY-ONE "));
    CHECK(got.early + got.ordinary == "EARLY-ONE two\n");
    CHECK_THAT(second.output(), Catch::Contains("Early data: yes"));
  } else {
    // Its session allows no early data (the server issued it without), so bssl-tool never
    // sends its -early-data bytes (it writes them only in early data): none reach the server.
    CHECK(got.early.empty());
    CHECK(got.ordinary == "two\n");
    CHECK_THAT(second.output(), Catch::Contains("Early data: no"));
  }
}

TEST_CASE("early data: an sslpp client sends it to bssl-tool server -early-data", "[early_data][interop]") {
  std::uint16_t port = 0;
  test::child peer = test::serve_on_free_port(
      [&](std::uint16_t p) {
        return std::vector<std::string>{"bssl-tool", "server", "-accept", std::to_string(p), "-cert",
                                        test::pki("fullchain-ecdsa.pem"), "-key", test::pki("leaf-ecdsa.key"),
                                        "-early-data", "-loop"};
      },
      port);
  auto cctx = test::client_context_trusting_root();
  sslpp::session s;
  {
    auto first = feat::connect(cctx, port);
    first.sendall("hello\n");
    REQUIRE(peer.wait_for_output("hello"));  // bssl-tool server prints what it reads
    // It sends its tickets with its first write: what it reads from its stdin.
    peer.write_stdin("srv\n");
    CHECK(first.read(100) == "srv\n");
    s = first.session();
  }
  REQUIRE(s);
  auto second = feat::connect(cctx, port, "localhost", {.session = s, .early_data = "ZERO-RTT-BYTES\n"});
  CHECK(second.session_reused());
  CHECK(second.early_data_accepted());
  second.sendall("after\n");
  CHECK(peer.wait_for_output("after"));
  const std::string out = peer.output();
  INFO(out);
  CHECK(out.find("ZERO-RTT-BYTES") != std::string::npos);
  CHECK(out.find("ZERO-RTT-BYTES") == out.rfind("ZERO-RTT-BYTES"));  // once
}

TEST_CASE("early data: an sslpp client re-sends it once when bssl-tool server refuses early data", "[early_data][interop]") {
  std::uint16_t port = 0;
  test::child peer = test::serve_on_free_port(
      [&](std::uint16_t p) {
        return std::vector<std::string>{"bssl-tool", "server", "-accept", std::to_string(p), "-cert",
                                        test::pki("fullchain-ecdsa.pem"), "-key", test::pki("leaf-ecdsa.key"), "-loop"};
      },
      port);
  auto cctx = test::client_context_trusting_root();
  sslpp::session s;
  {
    auto first = feat::connect(cctx, port);
    first.sendall("hello\n");
    REQUIRE(peer.wait_for_output("hello"));  // bssl-tool server prints what it reads
    // It sends its tickets with its first write: what it reads from its stdin.
    peer.write_stdin("srv\n");
    CHECK(first.read(100) == "srv\n");
    s = first.session();
  }
  REQUIRE(s);
  auto second = feat::connect(cctx, port, "localhost", {.session = s, .early_data = "NOT-EARLY\n"});
  CHECK_FALSE(second.early_data_accepted());
  second.sendall("after\n");
  CHECK(peer.wait_for_output("after"));
  const std::string out = peer.output();
  INFO(out);
  CHECK(out.find("NOT-EARLY") != std::string::npos);
  CHECK(out.find("NOT-EARLY") == out.rfind("NOT-EARLY"));
}
