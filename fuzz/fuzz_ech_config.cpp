// fuzz_ech_config: Encrypted Client Hello configs from an attacker (a forged DNS record, a
// tampered file). The first byte picks the entry point:
//   even: the rest is a client's wrap_options::ech_config_list. The wrap must either refuse
//         it with std::invalid_argument or accept it; an accepted list must hide the real
//         server name: the ClientHello the client then writes never contains it (a list
//         sslpp accepts but the backend skips would send it in clear).
//   odd:  the rest is an ECHConfig for ech_keys::load with a fixed private key: refused with
//         std::invalid_argument, or loaded (and then its config reads back unchanged).
#include "fuzz_common.hpp"

#include <optional>
#include <stdexcept>
#include <string_view>
#include <vector>

namespace {

std::optional<sslpp::client_context> client;
std::vector<std::byte> private_key;

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  client = sslpp::create_default_context(sslpp::purpose::server_auth, {.cafile = fuzz::pki("ca.pem")});
  private_key = sslpp::ech_keys::generate(1, "public.example").private_key_bytes();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const auto* p = reinterpret_cast<const std::byte*>(data + 1);
  std::vector<std::byte> rest(p, p + size - 1);
  if (data[0] % 2 == 0) {
    if (rest.empty()) return 0;  // an empty list means "no ECH"
    sslpp::memory_bio incoming, outgoing;
    std::optional<sslpp::ssl_object> tls;
    try {
      tls.emplace(client->wrap_bio(incoming, outgoing, "secret.example", {.ech_config_list = rest}));
    } catch (const std::invalid_argument&) {
      return 0;
    }
    std::error_code ec;
    tls->do_handshake(ec);
    if (ec != sslpp::ssl_errc::want_read) std::abort();  // a ClientHello must go out
    const std::string hello = outgoing.read();
    if (hello.empty()) std::abort();
    // The name in clear, unless the list itself names it (as a public name, say).
    const std::string_view list(reinterpret_cast<const char*>(rest.data()), rest.size());
    if (hello.find("secret.example") != std::string::npos && list.find("secret.example") == std::string_view::npos)
      std::abort();
    return 0;
  }
  try {
    const auto keys = sslpp::ech_keys::load(rest, private_key);
    if (keys.config() != rest || keys.private_key_bytes() != private_key) std::abort();
    (void)keys.config_list();
  } catch (const std::invalid_argument&) {
  }
  return 0;
}
