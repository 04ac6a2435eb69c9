// Private-key offload: load_cert_chain(certfile, sslpp::private_key_signer{...}) with a
// signer that answers at once, or later from another thread that alone holds the key;
// servers (python3 ssl and openssl s_client as clients) and client certificates (openssl
// s_server -Verify and a python3 server as servers); the non-blocking path
// (want_private_key_operation) with a server that serves other clients while a slow
// signer works; sans-IO; and the ways a signer fails.
#include "features_support.hpp"
#include "key_offload_support.hpp"
#include "transport_support.hpp"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>
#include <thread>

namespace {

using Catch::Contains;
using test::read_key;
using test::sign_with;
using signature = std::optional<std::vector<std::byte>>;

// key_service: a thread that alone holds a private key (read there, never seen by the
// TLS side) and signs the requests queued to it, answering through their completions.
class key_service {
 public:
  explicit key_service(std::string key_path) {
    std::promise<void> ready;
    auto started = ready.get_future();
    thread_ = std::thread([this, key_path, &ready] {
      auto key = read_key(key_path);
      ready.set_value();
      std::unique_lock<std::mutex> lock(m_);
      for (;;) {
        cv_.wait(lock, [&] { return stop_ || !queue_.empty(); });
        if (queue_.empty()) return;
        sslpp::signing_request r = std::move(queue_.front());
        queue_.pop_front();
        lock.unlock();
        // Counted before the answer: the handshake may finish, and a test read the count,
        // as soon as complete() returns control to the TLS side.
        ++signed_;
        try {
          r.completion.complete(sign_with(key.get(), r.algorithm, r.input));
        } catch (const std::exception& e) {
          r.completion.fail(e.what());
        }
        lock.lock();
      }
    });
    started.get();
  }
  ~key_service() {
    {
      std::lock_guard<std::mutex> lock(m_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  /// signer: queues each request to the service's thread and answers later.
  sslpp::private_key_signer signer() {
    return {.sign = [this](sslpp::signing_request& r) -> signature {
      algorithms_.push(r.algorithm);
      {
        std::lock_guard<std::mutex> lock(m_);
        queue_.push_back(std::move(r));
      }
      cv_.notify_all();
      return std::nullopt;
    }};
  }
  int signatures() const { return signed_; }
  std::string last_algorithm() { return algorithms_.last(); }

 private:
  struct names {
    std::mutex m;
    std::string value;
    void push(std::string v) {
      std::lock_guard<std::mutex> lock(m);
      value = std::move(v);
    }
    std::string last() {
      std::lock_guard<std::mutex> lock(m);
      return value;
    }
  } algorithms_;
  std::mutex m_;
  std::condition_variable cv_;
  std::deque<sslpp::signing_request> queue_;
  bool stop_ = false;
  std::atomic<int> signed_{0};
  std::thread thread_;
};

// A signer that signs at once with a key the test holds.
sslpp::private_key_signer sync_signer(const std::string& key_name, std::atomic<int>* calls = nullptr) {
  auto key = std::shared_ptr<EVP_PKEY>(read_key(test::pki(key_name)).release(), EVP_PKEY_free);
  return {.sign = [key, calls](sslpp::signing_request& r) -> signature {
    if (calls) ++*calls;
    return sign_with(key.get(), r.algorithm, r.input);
  }};
}

sslpp::server_context server_with_signer(sslpp::private_key_signer signer,
                                         const std::string& chain = "fullchain-ecdsa.pem") {
  auto sctx = sslpp::context_for(sslpp::protocol::tls_server);
  sctx.load_cert_chain(test::pki(chain), std::move(signer));
  return sctx;
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

// --- servers ---

TEST_CASE("a signer answering at once signs the server's handshake, TLS 1.3 and 1.2, ECDSA and RSA",
          "[key_offload]") {
  for (const auto& [chain, key] : {std::pair<std::string, std::string>{"fullchain-ecdsa.pem", "leaf-ecdsa.key"},
                                   {"fullchain-rsa.pem", "leaf-rsa.key"}}) {
    for (const auto max : {sslpp::tls_version::tlsv1_3, sslpp::tls_version::tlsv1_2}) {
      std::atomic<int> calls{0};
      auto server = feat::echo_server(server_with_signer(sync_signer(key, &calls), chain));
      auto client = test::client_context_trusting_root();
      client.set_maximum_version(max);
      auto tls = feat::connect(client, server.port());
      feat::round_trip(tls);
      server.join();
      INFO(chain);
      CHECK(calls == 1);
      CHECK(tls.version() == max);
      CHECK(tls.server_sigalg().has_value());
    }
  }
}

TEST_CASE("a signer in another thread, holding the key alone, serves blocking handshakes to sslpp clients",
          "[key_offload]") {
  key_service hsm(test::pki("leaf-rsa.key"));
  auto server = feat::echo_server(server_with_signer(hsm.signer(), "fullchain-rsa.pem"), {}, 3);
  for (int i = 0; i < 3; ++i) {
    auto tls = feat::connect(test::client_context_trusting_root(), server.port());
    feat::round_trip(tls);
    CHECK(tls.server_sigalg() == hsm.last_algorithm());
  }
  server.join();
  CHECK(hsm.signatures() == 3);
  CHECK(hsm.last_algorithm() == "rsa_pss_rsae_sha256");
}

TEST_CASE("a blocking server that reads before any handshake waits for the late signer too", "[key_offload]") {
  key_service hsm(test::pki("leaf-ecdsa.key"));
  auto sctx = server_with_signer(hsm.signer());
  std::string got;
  auto server = test::server_thread([&](sslpp::tcp_socket sock) {
    auto tls = sctx.wrap_socket(std::move(sock), {.do_handshake_on_connect = false});
    got = tls.read(100);  // makes the handshake, which waits for the signer's thread
    tls.sendall(got);
    tls.shutdown();
  });
  auto tls = feat::connect(test::client_context_trusting_root(), server.port());
  feat::round_trip(tls);
  server.join();
  CHECK(got == "ping");
  CHECK(hsm.signatures() == 1);
}

TEST_CASE("python3 ssl connects to a server whose key signs in another thread", "[key_offload][python]") {
  key_service hsm(test::pki("leaf-ecdsa.key"));
  auto server = feat::echo_server(server_with_signer(hsm.signer()), {}, 2);
  auto py = feat::python_client(server.port(), "\"connections\": 1");
  const std::string line = py->wait_for_line("INFO");
  CHECK_THAT(line, Contains("\"reply\": \"ping\""));
  auto py12 = feat::python_client(server.port(), "\"max\": \"TLSv1_2\"");
  CHECK_THAT(py12->wait_for_line("INFO"), Contains("TLSv1.2"));
  server.join();
  CHECK(hsm.signatures() == 2);
}

TEST_CASE("openssl s_client connects to a server whose key signs in another thread", "[key_offload][openssl]") {
  key_service hsm(test::pki("leaf-ecdsa.key"));
  auto sctx = server_with_signer(hsm.signer());
  auto server = test::server_thread([&](sslpp::tcp_socket sock) {
    auto tls = sctx.wrap_socket(std::move(sock));
    tls.sendall("done\n");
    tls.shutdown();
  });
  test::child peer({"openssl", "s_client", "-connect", "127.0.0.1:" + std::to_string(server.port()), "-CAfile",
                    test::pki("ca.pem"), "-verify_return_error"});
  REQUIRE(peer.wait_for_output("done"));
  peer.close_stdin();
  peer.wait();
  server.join();
  CHECK_THAT(peer.output(), Contains("Verify return code: 0 (ok)"));
  CHECK(hsm.signatures() == 1);
}

// --- client certificates ---

TEST_CASE("a client certificate whose key signs in another thread satisfies an sslpp server", "[key_offload][client_auth]") {
  key_service hsm(test::pki("client.key"));
  auto sctx = test::server_context_with();
  sctx.set_verify_mode(sslpp::verify_mode::cert_required);
  sctx.load_verify_locations(test::pki("client-ca.pem"));
  std::optional<std::string> subject_seen;
  auto server = feat::echo_server(sctx, [&](auto& tls) { subject_seen = tls.client_sigalg(); });
  auto client = test::client_context_trusting_root();
  client.load_cert_chain(test::pki("client.pem"), hsm.signer());
  auto tls = feat::connect(client, server.port());
  feat::round_trip(tls);
  server.join();
  CHECK(hsm.signatures() == 1);
  CHECK(subject_seen == hsm.last_algorithm());
}

TEST_CASE("a client certificate with a signer satisfies openssl s_server -Verify and a python3 server",
          "[key_offload][client_auth][openssl][python]") {
  key_service hsm(test::pki("client.key"));
  auto client = test::client_context_trusting_root();
  client.load_cert_chain(test::pki("client.pem"), hsm.signer());
  {
    std::uint16_t port = 0;
    auto peer = feat::openssl_server({"-Verify", "1", "-CAfile", test::pki("client-ca.pem"), "-verify_return_error"}, port);
    auto tls = feat::connect(client, port);
    tls.sendall("hello\n");
    CHECK(peer->wait_for_output("hello"));
  }
  {
    std::uint16_t port = 0;
    auto py = feat::python_server("\"cafile\": " + feat::json_str(test::pki("client-ca.pem")) + ", \"require\": true",
                                  port);
    auto tls = feat::connect(client, port);
    feat::round_trip(tls);
    const std::string info = py->wait_for_line("INFO");
    CHECK_THAT(info, Contains("BEGIN CERTIFICATE"));  // python saw (and verified) the client certificate
  }
  CHECK(hsm.signatures() == 2);
}

// --- non-blocking and sans-IO ---

namespace {

// Behind the socket object's back, as an event loop may: the handshake must still not wait for the signer.
void set_nonblocking(int fd) { ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL, 0) | O_NONBLOCK); }

// Retries `op(ec)` on a non-blocking stream, polling its socket for what it wants.
template <class Stream, class Op>
void drive(Stream& tls, Op op) {
  for (int i = 0; i < 1000; ++i) {
    std::error_code ec;
    op(ec);
    if (!ec) return;
    REQUIRE((ec == sslpp::ssl_errc::want_read || ec == sslpp::ssl_errc::want_write));
    ::pollfd p{tls.socket().native_handle(), static_cast<short>(ec == sslpp::ssl_errc::want_read ? POLLIN : POLLOUT), 0};
    REQUIRE(::poll(&p, 1, 10000) == 1);
  }
  FAIL("no progress");
}

template <class Stream>
std::string echo_nonblocking(Stream& tls) {
  std::array<std::byte, 64> buf{};
  std::size_t n = 0;
  drive(tls, [&](std::error_code& ec) { n = tls.read(buf, ec); });
  const std::string got(reinterpret_cast<const char*>(buf.data()), n);
  drive(tls, [&](std::error_code& ec) { tls.sendall(got, ec); });
  return got;
}

}  // namespace

TEST_CASE("a non-blocking server serves another client while a slow signer works on the first",
          "[key_offload][nonblocking]") {
  auto key = std::shared_ptr<EVP_PKEY>(read_key(test::pki("leaf-ecdsa.key")).release(), EVP_PKEY_free);
  std::mutex m;
  std::optional<sslpp::signing_request> held;  // the first request, answered only when the test says
  int requests = 0;
  auto sctx = server_with_signer({.sign = [&](sslpp::signing_request& r) -> signature {
    std::lock_guard<std::mutex> lock(m);
    if (requests++ == 0) {
      held = std::move(r);
      return std::nullopt;
    }
    return sign_with(key.get(), r.algorithm, r.input);
  }});
  int wake[2];
  REQUIRE(::pipe(wake) == 0);
  auto listener = sslpp::tcp_listener::listen("127.0.0.1", 0);
  auto client_run = [port = listener.port()](std::string msg) {
    return std::async(std::launch::async, [port, msg] {
      auto tls = feat::connect(test::client_context_trusting_root(), port);
      tls.sendall(msg);
      return tls.read(100);
    });
  };

  // Client A: its handshake stops at the signature.
  auto a_reply = client_run("from A");
  auto a_sock = listener.accept(std::chrono::seconds(10));
  set_nonblocking(a_sock.native_handle());
  auto a = sctx.wrap_socket(std::move(a_sock), {.do_handshake_on_connect = false});
  bool a_waits = false;
  for (int i = 0; i < 1000 && !a_waits; ++i) {
    std::error_code ec;
    a.do_handshake(ec);
    REQUIRE(ec);
    if (ec == sslpp::ssl_errc::want_private_key_operation) {
      a_waits = true;
      CHECK_THROWS_AS(a.do_handshake(), sslpp::want_private_key_operation_error);  // still waiting
      break;
    }
    ::pollfd p{a.socket().native_handle(), POLLIN, 0};
    REQUIRE(::poll(&p, 1, 10000) == 1);
  }
  REQUIRE(a_waits);

  // Client B is served from start to end meanwhile.
  auto b_reply = client_run("from B");
  auto b_sock = listener.accept(std::chrono::seconds(10));
  set_nonblocking(b_sock.native_handle());
  auto b = sctx.wrap_socket(std::move(b_sock), {.do_handshake_on_connect = false});
  drive(b, [&](std::error_code& ec) { b.do_handshake(ec); });
  CHECK(echo_nonblocking(b) == "from B");
  CHECK(b_reply.get() == "from B");
  CHECK(a_reply.wait_for(std::chrono::seconds(0)) == std::future_status::timeout);

  // The slow signer answers from its own thread and wakes the loop through a pipe.
  bool second_answer_taken = true;
  std::thread signer_thread([&] {
    std::lock_guard<std::mutex> lock(m);
    held->completion.complete(sign_with(key.get(), held->algorithm, held->input));
    second_answer_taken = held->completion.complete({});
    (void)!::write(wake[1], "x", 1);
  });
  ::pollfd p{wake[0], POLLIN, 0};
  REQUIRE(::poll(&p, 1, 10000) == 1);
  signer_thread.join();
  CHECK_FALSE(second_answer_taken);  // a request is answered once
  drive(a, [&](std::error_code& ec) { a.do_handshake(ec); });
  CHECK(echo_nonblocking(a) == "from A");
  CHECK(a_reply.get() == "from A");
  ::close(wake[0]);
  ::close(wake[1]);
}

TEST_CASE("an ssl_object reports want_private_key_operation until the signer answers", "[key_offload][sans_io]") {
  auto key = std::shared_ptr<EVP_PKEY>(read_key(test::pki("leaf-ecdsa.key")).release(), EVP_PKEY_free);
  std::optional<sslpp::signing_request> held;
  auto sctx = server_with_signer({.sign = [&](sslpp::signing_request& r) -> signature {
    held = std::move(r);
    return std::nullopt;
  }});
  auto cctx = test::client_context_trusting_root();
  sslpp::memory_bio c_in, c_out, s_in, s_out;
  auto client = cctx.wrap_bio(c_in, c_out, "localhost");
  auto server = sctx.wrap_bio(s_in, s_out);
  std::error_code ec;
  client.do_handshake(ec);
  CHECK(ec == sslpp::ssl_errc::want_read);
  s_in.write(c_out.read());
  server.do_handshake(ec);
  CHECK(ec == sslpp::ssl_errc::want_private_key_operation);
  CHECK(ec.message() == "the operation did not complete (private key operation)");
  REQUIRE(held.has_value());
  CHECK_THROWS_WITH(server.do_handshake(), Contains("waits for the private key signer"));
  held->completion.complete(sign_with(key.get(), held->algorithm, held->input));
  for (int round = 0; round < 10; ++round) {
    std::error_code cec, sec;
    server.do_handshake(sec);
    c_in.write(s_out.read());
    client.do_handshake(cec);
    s_in.write(c_out.read());
    if (!cec && !sec) break;
  }
  client.write("sans-io");
  s_in.write(c_out.read());
  CHECK(server.read(100) == "sans-io");
}

// --- failures ---

TEST_CASE("a signer that throws fails the handshake naming the reason, and the client gets an alert",
          "[key_offload][attack]") {
  auto sctx = server_with_signer({.sign = [](sslpp::signing_request&) -> signature {
    throw std::runtime_error("HSM unplugged");
  }});
  std::string server_message;
  auto server = feat::failing_server(sctx, server_message);
  const std::string client_message = failure_of([&] { feat::connect(test::client_context_trusting_root(), server.port()); });
  server.join();
  CHECK_THAT(server_message,
             Contains("PRIVATE_KEY_OPERATION_FAILED") && Contains("the private key signer threw: HSM unplugged"));
  CHECK_FALSE(client_message.empty());
}

TEST_CASE("a signer that fails later, or answers nonsense, fails the handshake saying so", "[key_offload][attack]") {
  struct way {
    std::function<void(sslpp::signing_request&)> answer;
    std::string server_expects;
  };
  const std::vector<way> ways{
      {[](sslpp::signing_request& r) { r.completion.fail("policy denies key 7"); },
       "the private key signer failed: policy denies key 7"},
      {[](sslpp::signing_request& r) { r.completion.complete({}); }, "returned an empty signature"},
      {[](sslpp::signing_request& r) { r.completion.complete(std::vector<std::byte>(100000, std::byte{1})); },
       "returned a 100000-byte signature"},
  };
  for (const auto& w : ways) {
    std::vector<std::thread> threads;
    auto sctx = server_with_signer({.sign = [&](sslpp::signing_request& r) -> signature {
      threads.emplace_back([&w, c = r] { auto copy = c; w.answer(copy); });
      return std::nullopt;
    }});
    std::string server_message;
    auto server = feat::failing_server(sctx, server_message);
    const std::string client_message =
        failure_of([&] { feat::connect(test::client_context_trusting_root(), server.port()); });
    server.join();
    for (auto& t : threads) t.join();
    INFO(server_message);
    CHECK_THAT(server_message, Contains("PRIVATE_KEY_OPERATION_FAILED") && Contains(w.server_expects));
    CHECK_FALSE(client_message.empty());
  }
}

TEST_CASE("a signature made with another key is refused by the client", "[key_offload][attack]") {
  // The RSA leaf's key signing for the ECDSA certificate: the client's check must catch it.
  auto other = std::shared_ptr<EVP_PKEY>(read_key(test::pki("client.key")).release(), EVP_PKEY_free);
  auto sctx = server_with_signer({.sign = [other](sslpp::signing_request& r) -> signature {
    return sign_with(other.get(), r.algorithm, r.input);
  }});
  std::string server_message;
  auto server = feat::failing_server(sctx, server_message);
  const std::string client_message = failure_of([&] { feat::connect(test::client_context_trusting_root(), server.port()); });
  server.join();
  CHECK_THAT(client_message, Contains("BAD_SIGNATURE"));
}

TEST_CASE("a signer that never answers ends a blocking handshake at the socket's timeout", "[key_offload][attack]") {
  std::optional<sslpp::signing_request> held;
  auto sctx = server_with_signer({.sign = [&](sslpp::signing_request& r) -> signature {
    held = std::move(r);
    return std::nullopt;
  }});
  std::error_code server_ec;
  std::string server_message;
  auto server = test::server_thread([&](sslpp::tcp_socket sock) {
    sock.set_timeout(std::chrono::milliseconds(300));
    try {
      sctx.wrap_socket(std::move(sock));
    } catch (const sslpp::ssl_error& e) {
      server_ec = e.code();
      server_message = e.what();
    }
  });
  auto client = test::client_context_trusting_root();
  const std::string client_message = failure_of([&] { feat::connect(client, server.port()); });
  server.join();
  CHECK(server_ec == std::errc::timed_out);
  CHECK_THAT(server_message, Contains("waited for the private key signer"));
  CHECK_FALSE(client_message.empty());
  REQUIRE(held.has_value());
  CHECK(held->completion.complete({std::byte{1}}));  // answering after the connection ended is harmless
}

TEST_CASE("load_cert_chain with a signer: bad input is refused, a key file replaces the signer", "[key_offload]") {
  auto sctx = sslpp::context_for(sslpp::protocol::tls_server);
  CHECK_THROWS_WITH(sctx.load_cert_chain(test::pki("fullchain-ecdsa.pem"), sslpp::private_key_signer{}),
                    Contains("has no sign function"));
  CHECK_THROWS_AS(sctx.load_cert_chain("/nonexistent/chain.pem", sync_signer("leaf-ecdsa.key")), std::system_error);
  std::error_code ec;
  sctx.load_cert_chain("/nonexistent/chain.pem", sync_signer("leaf-ecdsa.key"), ec);
  CHECK(ec == std::errc::no_such_file_or_directory);
  std::atomic<int> calls{0};
  sctx.load_cert_chain(test::pki("fullchain-ecdsa.pem"), sync_signer("leaf-ecdsa.key", &calls));
  sctx.load_cert_chain(test::pki("fullchain-rsa.pem"), test::pki("leaf-rsa.key"));  // a key file now
  auto server = feat::echo_server(sctx);
  auto tls = feat::connect(test::client_context_trusting_root(), server.port());
  feat::round_trip(tls);
  server.join();
  CHECK(calls == 0);
  CHECK_THAT(*tls.server_sigalg(), Contains("rsa"));
}
