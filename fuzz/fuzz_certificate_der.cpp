// fuzz_certificate_der: certificate::from_der and DER trust data given arbitrary bytes;
// whatever parses must re-encode to the same DER and survive a PEM round trip.
#include "fuzz_common.hpp"

#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto bytes = std::as_bytes(std::span(data, size));
  try {
    const auto cert = sslpp::certificate::from_der(bytes);
    const auto der = cert.to_der();
    const auto again = sslpp::certificate::from_pem(sslpp::certificate::from_der(der).to_pem());
    if (again.to_der() != der) std::abort();  // DER -> PEM -> DER changed the certificate
  } catch (const sslpp::ssl_error&) {
  }
  try {
    auto ctx = sslpp::context_for(sslpp::protocol::tls_client);
    ctx.load_verify_locations(sslpp::trust{.cadata = std::vector<std::byte>(bytes.begin(), bytes.end())});
  } catch (const sslpp::ssl_error&) {
  }
  return 0;
}
