// fuzz_stream_server: an sslpp server stream<Socket> over a byte_stream that delivers
// hostile bytes (the generic transport path, through sslpp's custom BIO). The handshake,
// reads and shutdown must fail with ssl_error, never crash or leak.
#include "fuzz_common.hpp"

#include <optional>

namespace {
std::optional<sslpp::server_context> server;
}

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  server = sslpp::context_for(sslpp::protocol::tls_server);
  server->load_cert_chain(fuzz::pki("fullchain-ecdsa.pem"), fuzz::pki("leaf-ecdsa.key"));
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto tls = server->wrap_socket(fuzz::hostile_socket(data, size), {.do_handshake_on_connect = false});
  std::error_code ec;
  tls.do_handshake(ec);
  if (!ec) {
    std::byte buf[4096];
    while (tls.read(buf, ec) > 0 && !ec) {
    }
    tls.shutdown(ec);
  }
  return 0;
}
