// fuzz_ssl_object_server: a server ssl_object (Python's SSLObject) fed hostile bytes
// through its incoming memory_bio, in chunks the input's first byte sizes, as an event
// loop would. Each step must succeed, ask for more (want_read_error), or fail with
// ssl_error — never crash, hang or leak.
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
  if (size == 0) return 0;
  const std::size_t chunk = 1 + data[0] % 64 * 8;
  ++data;
  --size;
  sslpp::memory_bio incoming, outgoing;
  auto tls = server->wrap_bio(incoming, outgoing);
  bool handshaken = false;
  std::error_code ec;
  for (std::size_t off = 0; off <= size; off += chunk) {
    const std::size_t n = std::min(chunk, size - std::min(off, size));
    if (n > 0) incoming.write(std::as_bytes(std::span(data + off, n)));
    if (off + chunk > size) incoming.write_eof();
    if (!handshaken) {
      tls.do_handshake(ec);
      (void)outgoing.read();
      if (ec == sslpp::ssl_errc::want_read) continue;
      if (ec) return 0;
      handshaken = true;
    }
    std::byte buf[4096];
    tls.read(buf, ec);
    (void)outgoing.read();
    if (ec && ec != sslpp::ssl_errc::want_read) return 0;
  }
  return 0;
}
