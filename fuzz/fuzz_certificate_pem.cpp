// fuzz_certificate_pem: certificate::from_pem and a context's in-memory trust and
// credentials given arbitrary text; whatever parses must round-trip through PEM and DER.
#include "fuzz_common.hpp"

#include <stdexcept>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const auto cert = sslpp::certificate::from_pem(text);
    const std::string pem = cert.to_pem();
    const auto again = sslpp::certificate::from_pem(pem);
    if (again.to_der() != cert.to_der()) std::abort();  // PEM round trip changed the certificate
  } catch (const sslpp::ssl_error&) {
  }
  try {
    auto ctx = sslpp::context_for(sslpp::protocol::tls_client);
    ctx.load_verify_locations(sslpp::trust{.cadata = std::string(text)});
  } catch (const sslpp::ssl_error&) {
  }
  try {
    auto ctx = sslpp::context_for(sslpp::protocol::tls_server);
    ctx.load_cert_chain_pem(text, {}, "s3cret");
  } catch (const sslpp::ssl_error&) {
  }
  return 0;
}
