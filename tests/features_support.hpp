// features_support.hpp: helpers of the context-feature tests (SNI, ALPN, sessions,
// client certificates, key log, ciphers, helpers): python3 and openssl peers.
#pragma once

#include "support.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

namespace feat {

/// peer_script: tests/features_peer.py, the python3 ssl peer.
inline std::string peer_script() { return std::string(SSLPP_SOURCE_DIR) + "/tests/features_peer.py"; }

/// json_str: a JSON string literal.
inline std::string json_str(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

/// python_server: features_peer.py in server mode with the JSON fields `fields` (without
/// braces); waits until it listens and returns its port through `port`.
inline std::unique_ptr<test::child> python_server(const std::string& fields, std::uint16_t& port) {
  auto c = std::make_unique<test::child>(std::vector<std::string>{
      test::python(), peer_script(),
      "{\"mode\": \"server\", \"cert\": " + json_str(test::pki("fullchain-ecdsa.pem")) +
          ", \"key\": " + json_str(test::pki("leaf-ecdsa.key")) + (fields.empty() ? "" : ", " + fields) + "}"});
  port = c->wait_for_port_line("PORT ");
  return c;
}

/// python_client: features_peer.py in client mode against 127.0.0.1:port, trusting the test root.
inline std::unique_ptr<test::child> python_client(std::uint16_t port, const std::string& fields = {}) {
  return std::make_unique<test::child>(std::vector<std::string>{
      test::python(), peer_script(),
      "{\"mode\": \"client\", \"port\": " + std::to_string(port) + ", \"cafile\": " + json_str(test::pki("ca.pem")) +
          (fields.empty() ? "" : ", " + fields) + "}"});
}

/// openssl_server: `openssl s_server` on a free port with the ECDSA leaf and `extra` arguments.
inline std::unique_ptr<test::child> openssl_server(std::vector<std::string> extra, std::uint16_t& port) {
  return std::make_unique<test::child>(test::serve_on_free_port(
      [&](std::uint16_t p) {
        std::vector<std::string> argv{"openssl", "s_server", "-accept", std::to_string(p), "-cert",
                                      test::pki("leaf-ecdsa.pem"), "-key", test::pki("leaf-ecdsa.key"),
                                      "-cert_chain", test::pki("intermediate.pem")};
        argv.insert(argv.end(), extra.begin(), extra.end());
        return argv;
      },
      port));
}

/// echo_once: serves `n` connections with `ctx`: echoes one message, closes cleanly;
/// `seen` runs on each stream after the handshake.
inline test::server_thread echo_server(sslpp::server_context ctx,
                                       std::function<void(sslpp::stream<sslpp::tcp_socket>&)> seen = {}, int n = 1) {
  return test::server_thread(
      [ctx, seen](sslpp::tcp_socket sock) {
        auto tls = ctx.wrap_socket(std::move(sock));
        if (seen) seen(tls);
        const std::string msg = tls.read(1024);
        tls.sendall(msg);
        tls.shutdown();
      },
      n);
}

/// failing_server: serves one connection whose handshake is expected to fail; keeps the message.
inline test::server_thread failing_server(sslpp::server_context ctx, std::string& message) {
  return test::server_thread([ctx, &message](sslpp::tcp_socket sock) {
    auto tls = ctx.wrap_socket(std::move(sock), {.do_handshake_on_connect = false});
    std::error_code ec;
    try {
      tls.do_handshake();
      tls.read(10);  // a TLS 1.3 server learns of the client's refusal only here
    } catch (const std::exception& e) {
      message = e.what();
    }
  });
}

/// round_trip: sends "ping" and expects it back.
template <class Stream>
void round_trip(Stream& tls) {
  tls.sendall("ping");
  CHECK(tls.read(100) == "ping");
}

/// local_client: a default client trusting the test root, connected to 127.0.0.1:port as `host`.
inline sslpp::stream<sslpp::tcp_socket> connect(const sslpp::client_context& ctx, std::uint16_t port,
                                                sslpp::hostname host = "localhost", sslpp::wrap_options o = {}) {
  return ctx.wrap_socket(sslpp::tcp_socket::connect("127.0.0.1", port, std::chrono::seconds(10)), host, std::move(o));
}

/// floor_crl_pki: a PKI file, after tests/pki/floor_crl_pki.sh added its files (it is
/// idempotent and locks; a PKI made before that script existed gets them this way).
inline std::string floor_crl_pki(const std::string& name) {
  static std::once_flag once;
  std::call_once(once, [] {
    std::string dir = test::pki("");
    dir.pop_back();
    const std::string cmd = "'" + std::string(SSLPP_SOURCE_DIR) + "/tests/pki/floor_crl_pki.sh' '" + dir + "'";
    if (std::system(cmd.c_str()) != 0) throw std::runtime_error("failed: " + cmd);
  });
  return test::pki(name);
}

/// pem_of: a PKI certificate file's first certificate as PEM.
inline std::string pem_of(const std::string& name) {
  return sslpp::certificate::from_pem(test::read_text(test::pki(name))).to_pem();
}

}  // namespace feat
