// ECH fixtures shared by the ECH tests and the attack reviews: the names, the PKI with the
// ECH certificates, a server that switches to the public name's certificate, and a client
// and server ssl_object pair over memory BIOs that records every byte the client sent.
#pragma once

#include "features_support.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

namespace test::ech {

constexpr const char* secret_name = "secret.example";
constexpr const char* public_name = "public.example";

/// pki: a PKI file, after tests/pki/ech_pki.sh added the ECH certificates (idempotent).
inline std::string pki(const std::string& name) {
  static std::once_flag once;
  std::call_once(once, [] {
    std::string dir = test::pki("");
    dir.pop_back();
    const std::string cmd = "'" + std::string(SSLPP_SOURCE_DIR) + "/tests/pki/ech_pki.sh' '" + dir + "'";
    if (std::system(cmd.c_str()) != 0) throw std::runtime_error("failed: " + cmd);
  });
  return test::pki(name);
}

/// server_with: a server presenting the secret name's certificate, and the public name's
/// when that is the name asked for (the SNI callback), decrypting with `keys` (none: no
/// ECH). `seen` gets the server name each handshake's SNI callback saw.
inline sslpp::server_context server_with(const std::vector<sslpp::ech_keys>& current,
                                  const std::vector<sslpp::ech_keys>& also = {},
                                  std::shared_ptr<std::vector<std::string>> seen = nullptr,
                                  bool has_public_certificate = true) {
  auto ctx = sslpp::context_for(sslpp::protocol::tls_server);
  ctx.load_cert_chain(pki("fullchain-ech-secret.pem"), pki("ech-secret.key"));
  auto public_ctx = sslpp::context_for(sslpp::protocol::tls_server);
  public_ctx.load_cert_chain(pki("fullchain-ech-public.pem"), pki("ech-public.key"));
  ctx.set_sni_callback([public_ctx, seen, has_public_certificate](sslpp::sni_request& r) {
    if (seen) seen->push_back(std::string(r.server_name().value_or("(none)")));
    if (has_public_certificate && r.server_name() == public_name) r.use_context(public_ctx);
  });
  if (!current.empty()) ctx.set_ech_keys(current, also);
  return ctx;
}

/// bio_connection: a client and a server ssl_object, and every byte the client sent.
struct bio_connection {
  sslpp::memory_bio c_in, c_out, s_in, s_out;
  sslpp::ssl_object client;
  sslpp::ssl_object server;
  std::string client_wire;  // all the client sent, as an observer on the path records it

  bio_connection(const sslpp::client_context& cctx, const sslpp::server_context& sctx, sslpp::wrap_options o,
                 sslpp::hostname host = "secret.example")
      : client(cctx.wrap_bio(c_in, c_out, host, std::move(o))), server(sctx.wrap_bio(s_in, s_out)) {}

  void pump() {
    const std::string a = c_out.read(), b = s_out.read();
    client_wire += a;
    s_in.write(a);
    c_in.write(b);
  }
  /// handshake: runs both ends; rethrows what the client's handshake threw (the server's
  /// failure that follows a client's is not the story).
  void handshake() {
    bool client_done = false, server_done = false;
    for (int round = 0; round < 12 && !(client_done && server_done); ++round) {
      if (!client_done) {
        try {
          client.do_handshake();
          client_done = true;
        } catch (const sslpp::want_read_error&) {
        } catch (...) {
          pump();
          throw;
        }
      }
      if (!server_done) {
        try {
          server.do_handshake();
          server_done = true;
        } catch (const sslpp::want_read_error&) {
        } catch (const sslpp::ssl_error&) {
          server_done = true;  // the client's failure (an alert it sent) ends the server too
        }
      }
      pump();
    }
    if (!(client_done && server_done)) FAIL("the handshake did not finish in 12 rounds");
  }
};

inline sslpp::client_context client() {
  return sslpp::create_default_context(sslpp::purpose::server_auth, sslpp::trust{.cafile = pki("ca.pem")});
}

}  // namespace test::ech
