// fuzz_stream_client: an sslpp client stream<Socket> (verifying, with a host name) over a
// byte_stream that delivers a hostile server's bytes. Every failure must be an ssl_error.
#include "fuzz_common.hpp"

#include <optional>

namespace {
std::optional<sslpp::client_context> client;
}

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  client = sslpp::create_default_context(sslpp::purpose::server_auth, {.cafile = fuzz::pki("ca.pem")});
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto tls = client->wrap_socket(fuzz::hostile_socket(data, size), "localhost", {.do_handshake_on_connect = false});
  std::error_code ec;
  tls.do_handshake(ec);
  if (!ec) {
    std::byte buf[4096];
    while (tls.read(buf, ec) > 0 && !ec) {
    }
  }
  return 0;
}
