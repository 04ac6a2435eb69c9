// sslpp — SPDX-License-Identifier: MIT
//
// demo.cpp: `sslpp demo` — a TLS 1.3 server on loopback with the built-in credentials, and a
// client that verifies it exactly as a real client would (create_default_context with the
// demo CA as its only trust anchor, and the host name "localhost"), one message each way.
#include "cli.hpp"
#include "demo_credentials.hpp"

#include <fmt/core.h>

#include <exception>
#include <thread>

namespace sslpp_cli {

namespace {

const command_spec demo_spec{
    "demo",
    "[options]",
    "Starts a TLS 1.3 server on 127.0.0.1 (any free port) with the built-in test certificate for\n"
    "localhost, connects a client that verifies it with create_default_context() against the\n"
    "built-in demo CA and checks the host name 'localhost', exchanges one message, and prints\n"
    "the version, cipher, handshake time and the server's certificate. The built-in credentials\n"
    "(tools/make_demo_credentials.sh) are valid until 2045-12-31 and are public: demo use only.",
    {
        {"--message", "TEXT", "'hello from the sslpp demo'", "the message the client sends (the server echoes it)"},
    },
};

}  // namespace

int run_demo(std::span<char* const> args) {
  auto parsed = parse(demo_spec, args);
  if (!parsed) return exit_ok;
  if (!parsed->positional.empty())
    throw usage_error(fmt::format("demo: unexpected argument '{}'", parsed->positional.front()));
  const std::string message = parsed->value_or("--message", "hello from the sslpp demo");
  const style& s = style::out();

  // The server: TLS 1.3 only, the built-in certificate for localhost.
  sslpp::server_context server_ctx =
      sslpp::create_default_context(sslpp::purpose::client_auth, sslpp::trust{.cadata = std::string(demo_credentials::ca_pem)});
  server_ctx.set_minimum_version(sslpp::tls_version::tlsv1_3);
  server_ctx.load_cert_chain_pem(demo_credentials::leaf_pem, demo_credentials::leaf_key_pem);
  auto listener = sslpp::tcp_listener::listen("127.0.0.1", 0);
  const std::uint16_t port = listener.port();
  fmt::print("{} TLS 1.3 server listening on 127.0.0.1:{} with the built-in certificate for localhost\n",
             s.key("server:"), port);

  std::exception_ptr server_error;
  std::string server_got;
  std::thread server([&] {
    try {
      auto tls = server_ctx.wrap_socket(listener.accept(std::chrono::seconds(10)));
      server_got = tls.read(4096);
      tls.sendall(server_got);
      tls.shutdown();
    } catch (...) {
      server_error = std::current_exception();
    }
  });

  // The client: verifies the chain against the demo CA only, and the host name.
  std::exception_ptr client_error;
  try {
    sslpp::client_context ctx = sslpp::create_default_context(
        sslpp::purpose::server_auth, sslpp::trust{.cadata = std::string(demo_credentials::ca_pem)});
    auto sock = sslpp::tcp_socket::connect("127.0.0.1", port, std::chrono::seconds(10));
    sock.set_timeout(std::chrono::seconds(10));
    const auto t0 = std::chrono::steady_clock::now();
    auto tls = ctx.wrap_socket(std::move(sock), "localhost");
    const auto handshake = std::chrono::steady_clock::now() - t0;
    fmt::print("{} connected to 127.0.0.1:{} as 'localhost'; certificate chain and host name {}\n",
               s.key("client:"), port, s.good("verified"));
    fmt::print("  version: {}\n", version_name(tls.version()));
    const auto c = tls.cipher();
    fmt::print("  cipher: {} ({} bits)\n", c ? c->name : "none", c ? c->secret_bits : 0);
    fmt::print("  handshake: {}\n", milliseconds_text(handshake));
    fmt::print("  verified against: the built-in demo CA (trust{{.cadata}}), check_hostname on\n");
    tls.sendall(message);
    fmt::print("{} sent {:?}\n", s.key("client:"), message);
    std::string reply;
    for (std::string chunk; !(chunk = tls.read(4096)).empty();) reply += chunk;
    fmt::print("{} received {:?} back\n", s.key("client:"), reply);
    if (reply != message) throw failure(exit_io, fmt::format("demo: the server echoed {:?}, expected {:?}", reply, message));
    if (auto cert = tls.getpeercert()) {
      fmt::print("{}\n", s.key("peer certificate:"));
      print_certificate(*cert, "  ");
    }
    tls.shutdown();
  } catch (...) {
    client_error = std::current_exception();
  }
  server.join();
  if (client_error) std::rethrow_exception(client_error);
  if (server_error) std::rethrow_exception(server_error);
  fmt::print("{} a verified {} exchange on loopback\n", s.good("ok:"), "TLS 1.3");
  return exit_ok;
}

}  // namespace sslpp_cli
