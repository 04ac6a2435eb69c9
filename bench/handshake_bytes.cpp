// handshake_bytes: the bytes a TLS 1.3 handshake puts on the wire with a three-certificate
// RSA-2048 chain (tests/pki/rsa_chain_pki.sh), without certificate compression and with
// zlib and brotli (RFC 8879, sslpp's set_cert_compression), and what compressing costs the
// server per handshake. sslpp on both ends over memory BIOs, so every byte is counted.
//
//   sslpp_handshake_bytes [--pki DIR] [--seconds S]
//
// Prints a Markdown table (bench/README.md, "Certificate compression").
#include <sslpp/cert_compression_codecs.hpp>
#include <sslpp/sslpp.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <unistd.h>

#ifndef SSLPP_BENCH_PKI
#define SSLPP_BENCH_PKI "bench-pki"
#endif

namespace {

struct counts {
  std::size_t from_server = 0, from_client = 0;
};

// One full handshake over memory BIOs, counting each side's bytes until both are done
// (the server's session tickets included, as they follow the handshake on the wire).
counts handshake(const sslpp::server_context& sctx, const sslpp::client_context& cctx) {
  sslpp::memory_bio c_in, c_out, s_in, s_out;
  auto client = cctx.wrap_bio(c_in, c_out, "localhost");
  auto server = sctx.wrap_bio(s_in, s_out);
  counts n;
  bool c_done = false, s_done = false;
  for (int i = 0; i < 10 && !(c_done && s_done); ++i) {
    std::error_code ec;
    if (!c_done) {
      client.do_handshake(ec);
      c_done = !ec;
    }
    std::string b = c_out.read();
    n.from_client += b.size();
    s_in.write(b);
    if (!s_done) {
      server.do_handshake(ec);
      s_done = !ec;
    }
    b = s_out.read();
    n.from_server += b.size();
    c_in.write(b);
  }
  if (!c_done || !s_done) throw std::runtime_error("handshake did not complete");
  return n;
}

}  // namespace

int main(int argc, char** argv) {
  std::string pki = SSLPP_BENCH_PKI;
  double seconds = 1.0;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--pki" && i + 1 < argc) pki = argv[++i];
    else if (a == "--seconds" && i + 1 < argc) seconds = std::atof(argv[++i]);
    else {
      std::fprintf(stderr, "usage: sslpp_handshake_bytes [--pki DIR] [--seconds S]\n");
      return 2;
    }
  }
  const std::string script = std::string(SSLPP_SOURCE_DIR) + "/tests/pki/";
  std::vector<std::string> steps;
  if (::access((pki + "/.done").c_str(), F_OK) != 0) steps.push_back("'" + script + "make_pki.sh' '" + pki + "'");
  steps.push_back("'" + script + "rsa_chain_pki.sh' '" + pki + "'");  // idempotent
  for (const std::string& cmd : steps)
    if (std::system(cmd.c_str()) != 0) {
      std::fprintf(stderr, "failed: %s\n", cmd.c_str());
      return 1;
    }

  struct variant {
    const char* name;
    std::optional<sslpp::cert_compression> alg;
  };
  std::printf("| three-certificate RSA-2048 chain, TLS 1.3 | server → client bytes | client → server bytes | "
              "full handshakes/s (both ends, one thread) |\n|---|---|---|---|\n");
  for (const variant v : {variant{"uncompressed", std::nullopt}, variant{"zlib", sslpp::cert_compression::zlib},
                          variant{"brotli", sslpp::cert_compression::brotli}}) {
    auto sctx = sslpp::context_for(sslpp::protocol::tls_server);
    sctx.load_cert_chain(pki + "/rsa3-fullchain.pem", pki + "/rsa3-leaf.key");
    auto cctx =
        sslpp::create_default_context(sslpp::purpose::server_auth, sslpp::trust{.cafile = pki + "/rsa3-root.pem"});
    if (v.alg) {
      sctx.set_cert_compression({*v.alg});
      cctx.set_cert_compression({*v.alg});
    }
    const counts n = handshake(sctx, cctx);
    std::size_t done = 0;
    const auto start = std::chrono::steady_clock::now();
    auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
    while (elapsed() < seconds) {
      handshake(sctx, cctx);
      ++done;
    }
    std::printf("| %s | %zu | %zu | %.0f |\n", v.name, n.from_server, n.from_client, done / elapsed());
  }
  return 0;
}
