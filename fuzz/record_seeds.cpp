// record_seeds: makes the seed corpora of the TLS fuzz targets from real handshakes. An
// sslpp client and server (test PKI, ECDSA and RSA, TLS 1.2 and 1.3) talk over a
// socketpair; what each side received is written as a seed of the target that plays that
// side, prefixed with the chunk-size byte the targets read first.
//
//   record_seeds PKI_DIR OUT_DIR    writes OUT_DIR/{ssl_server,ssl_client}/<name>
#include <sslpp/sslpp.hpp>

#include <sys/socket.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <thread>

namespace {

struct recording_socket {
  sslpp::tcp_socket sock;
  std::string* log;
  std::size_t read_some(std::span<std::byte> buf, std::error_code& ec) {
    const std::size_t n = sock.read_some(buf, ec);
    log->append(reinterpret_cast<const char*>(buf.data()), n);
    return n;
  }
  std::size_t write_some(std::span<const std::byte> buf, std::error_code& ec) { return sock.write_some(buf, ec); }
};

void save(const std::string& path, const std::string& bytes) {
  // Two seeds per transcript: whole records at once (chunk byte 63 -> 505 bytes), and
  // one byte at a time (chunk byte 0).
  for (const char prefix : {'\x3f', '\x00'}) {
    std::ofstream(path + (prefix ? "-chunked" : "-bytewise"), std::ios::binary) << prefix << bytes;
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: record_seeds PKI_DIR OUT_DIR\n";
    return 2;
  }
  const std::string pki = argv[1], out = argv[2];
  for (const std::string key : {"ecdsa", "rsa"}) {
    for (const auto version : {sslpp::tls_version::tlsv1_2, sslpp::tls_version::tlsv1_3}) {
      int fds[2];
      if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) return 1;
      std::string to_server, to_client;
      auto sctx = sslpp::context_for(sslpp::protocol::tls_server);
      sctx.load_cert_chain(pki + "/fullchain-" + key + ".pem", pki + "/leaf-" + key + ".key");
      sctx.set_maximum_version(version);
      std::thread server([&] {
        auto tls = sctx.wrap_socket(recording_socket{sslpp::tcp_socket(fds[1]), &to_server});
        tls.sendall(tls.read(100));
        tls.shutdown();
      });
      auto cctx = sslpp::create_default_context(sslpp::purpose::server_auth, {.cafile = pki + "/ca.pem"});
      auto tls = cctx.wrap_socket(recording_socket{sslpp::tcp_socket(fds[0]), &to_client}, "localhost");
      tls.sendall("GET / HTTP/1.0\r\n\r\n");
      (void)tls.read(100);
      (void)tls.read(100);
      std::error_code ec;
      tls.shutdown(ec);  // the server may have gone already
      server.join();
      const std::string name = key + (version == sslpp::tls_version::tlsv1_3 ? "-tls13" : "-tls12");
      save(out + "/ssl_server/" + name, to_server);
      save(out + "/ssl_client/" + name, to_client);
    }
  }
  return 0;
}
