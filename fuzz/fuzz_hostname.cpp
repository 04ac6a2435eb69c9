// fuzz_hostname: runtime_hostname given arbitrary bytes. It must either refuse the name
// with std::invalid_argument (a message of bounded size) or accept a name that meets the
// rules a literal meets at compile time; an accepted name is then set on a client
// connection (SNI and the host name check), and matched against the test certificate
// when certificate::matches_hostname exists.
#include "fuzz_common.hpp"

#include <optional>
#include <stdexcept>

namespace {

std::optional<sslpp::certificate> leaf;
std::optional<sslpp::client_context> client;

template <class Cert>
void match(const Cert& cert, std::string_view name) {
  if constexpr (requires { cert.matches_hostname(name); }) {
    try {
      (void)cert.matches_hostname(name);
    } catch (const std::invalid_argument&) {
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  leaf = sslpp::certificate::load(fuzz::pki("leaf-ecdsa.pem"));
  client = sslpp::create_default_context(sslpp::purpose::server_auth, {.cafile = fuzz::pki("ca.pem")});
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  match(*leaf, text);
  try {
    const sslpp::hostname h = sslpp::runtime_hostname(text);
    // What was accepted keeps the rules.
    if (h.name() != text || h.name().empty() || h.name().size() > 254 || h.name().find('\0') != std::string_view::npos)
      std::abort();
    if (h.canonical().size() + (text.back() == '.' ? 1 : 0) != text.size()) std::abort();
    if (h.canonical().empty() || h.canonical().back() == '.') std::abort();
    // And a client connection accepts it (over a transport that has nothing to say).
    fuzz::hostile_socket none(nullptr, 0);
    auto tls = client->wrap_socket(std::move(none), h, {.do_handshake_on_connect = false});
    if (tls.server_hostname() != std::string(h.canonical())) std::abort();
  } catch (const std::invalid_argument& e) {
    if (std::string_view(e.what()).size() > 400) std::abort();  // the message quotes a bounded prefix
  }
  return 0;
}
