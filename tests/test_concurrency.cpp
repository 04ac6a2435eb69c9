// Concurrency: one client context and one server context, each shared by 8 threads doing
// handshakes and exchanging data at the same time. Run under ThreadSanitizer by
// tools/ci.d/sanitizers.sh: sharing a configured context across threads is documented as
// safe, so there must be no data race in sslpp's own code.
#include "support.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <thread>
#include <vector>

namespace {

constexpr int threads = 8;
constexpr int rounds = 6;  // handshakes per thread

}  // namespace

TEST_CASE("one client context and one server context shared by 8 threads", "[concurrency]") {
  const auto client_ctx = test::client_context_trusting_root();
  const auto server_ctx = test::server_context_with();
  auto listener = sslpp::tcp_listener::listen("127.0.0.1", 0);
  const std::uint16_t port = listener.port();

  std::atomic<int> served{0}, completed{0}, failures{0};
  std::vector<std::string> errors(2 * threads);

  // Servers: 8 threads accept from one listener and wrap with the one server context.
  std::vector<std::thread> servers;
  for (int t = 0; t < threads; ++t) {
    servers.emplace_back([&, t] {
      try {
        for (int r = 0; r < rounds; ++r) {
          auto tls = server_ctx.wrap_socket(listener.accept(std::chrono::seconds(30)));
          const std::string msg = tls.read(256);
          tls.sendall(msg);
          tls.shutdown();
          ++served;
        }
      } catch (const std::exception& e) {
        errors[t] = e.what();
        ++failures;
      }
    });
  }
  // Clients: 8 threads connect with the one client context; each checks the echo and the
  // connection's facts, which read the shared context's state.
  std::vector<std::thread> clients;
  for (int t = 0; t < threads; ++t) {
    clients.emplace_back([&, t] {
      try {
        for (int r = 0; r < rounds; ++r) {
          auto sock = sslpp::tcp_socket::connect("127.0.0.1", port, std::chrono::seconds(30));
          auto tls = client_ctx.wrap_socket(std::move(sock), "localhost");
          const std::string msg = "thread " + std::to_string(t) + " round " + std::to_string(r);
          tls.sendall(msg);
          if (tls.read(256) != msg) throw std::runtime_error("wrong echo");
          if (!tls.getpeercert() || tls.version() != sslpp::tls_version::tlsv1_3 || !tls.cipher())
            throw std::runtime_error("missing connection facts");
          if (!tls.read(16).empty()) throw std::runtime_error("no clean close");
          ++completed;
        }
      } catch (const std::exception& e) {
        errors[threads + t] = e.what();
        ++failures;
      }
    });
  }
  for (auto& c : clients) c.join();
  for (auto& s : servers) s.join();
  for (const auto& e : errors)
    if (!e.empty()) UNSCOPED_INFO(e);
  CHECK(failures == 0);
  CHECK(completed == threads * rounds);
  CHECK(served == threads * rounds);
}

TEST_CASE("contexts and certificates copied and destroyed across threads", "[concurrency]") {
  // Copies share the backend object: reference counts change from many threads at once.
  const auto ctx = test::client_context_trusting_root();
  const auto cert = sslpp::certificate::load(test::pki("leaf-ecdsa.pem"));
  std::vector<std::thread> pool;
  std::atomic<int> ok{0};
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        auto c = ctx;
        auto k = cert;
        if (c.check_hostname() && !k.to_der().empty()) ++ok;
      }
    });
  }
  for (auto& p : pool) p.join();
  CHECK(ok == threads * 200);
}
