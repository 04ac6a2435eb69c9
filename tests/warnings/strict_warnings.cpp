// strict_warnings.cpp: every public header, compiled with the warnings a strict user turns
// on (-Wall -Wextra -Wconversion -Wsign-conversion -Wshadow -Werror, tests/cmake/warnings.cmake),
// and the class templates and member templates a user instantiates, instantiated here so
// their bodies are checked too. Compiled, never run.
#include <sslpp/sslpp.hpp>

#include <sslpp/cert_compression.hpp>
#include <sslpp/cert_compression_codecs.hpp>
#include <sslpp/cert_store.hpp>
#include <sslpp/certificate.hpp>
#include <sslpp/cipher.hpp>
#include <sslpp/config.hpp>
#include <sslpp/context.hpp>
#include <sslpp/digest.hpp>
#include <sslpp/ech.hpp>
#include <sslpp/error.hpp>
#include <sslpp/format.hpp>
#include <sslpp/functions.hpp>
#include <sslpp/fwd.hpp>
#include <sslpp/hostname.hpp>
#include <sslpp/literals.hpp>
#include <sslpp/memory_bio.hpp>
#include <sslpp/password.hpp>
#include <sslpp/protocol.hpp>
#include <sslpp/replayable.hpp>
#include <sslpp/session.hpp>
#include <sslpp/session_statistics.hpp>
#include <sslpp/sni.hpp>
#include <sslpp/socket.hpp>
#include <sslpp/ssl_object.hpp>
#include <sslpp/stream.hpp>
#include <sslpp/trust.hpp>

#include <array>
#include <cstddef>
#include <string>
#include <system_error>
#include <vector>

template class sslpp::stream<sslpp::tcp_socket>;

namespace {

[[maybe_unused]] void beyond_python(sslpp::stream<sslpp::tcp_socket>& tls) {
  auto sctx = sslpp::create_default_context(sslpp::purpose::client_auth);
  sctx.set_cert_compression({sslpp::cert_compression::brotli, sslpp::cert_compression::zlib});
  sctx.set_max_early_data(sslpp::max_early_data_limit);
  const sslpp::replayable early = tls.early_data();
  [[maybe_unused]] const std::string text = early.accept_replay_risk_text();
  [[maybe_unused]] const sslpp::wrap_options o{.early_data = "GET /"};
}

[[maybe_unused]] void client(const std::string& name, std::uint16_t port) {
  auto ctx = sslpp::create_default_context();
  ctx.set_minimum_version(sslpp::tls_version::tlsv1_2);
  ctx.set_ciphers("ECDHE+AESGCM:HIGH");
  ctx.set_ciphers(std::string("HIGH:!aNULL:") + name);
  ctx.set_alpn_protocols({"h2", "http/1.1"});
  ctx.set_alpn_protocols(std::vector<std::string>{"h2"});
  ctx.set_groups({"X25519", "P-256"});
  ctx.set_groups(std::vector<std::string>{"X25519"});
  ctx.load_cert_chain("c.pem", "k.pem", sslpp::password([] { return std::string("pw"); }));
  std::error_code ec;
  ctx.load_verify_locations("ca.pem", ec);

  auto tls = ctx.wrap_socket(sslpp::tcp_socket::connect(name, port), sslpp::runtime_hostname(name));
  tls.sendall("GET / HTTP/1.0\r\n\r\n");
  std::array<std::byte, 4096> buf{};
  const std::size_t n = tls.read(buf);
  tls.write(std::span<const std::byte>(buf.data(), n));
  if (auto cert = tls.getpeercert()) {
    const std::string text = fmt::format("{} {:sha256} {}", *cert, *cert, cert->subject());
    (void)text;
  }
  if (auto c = tls.cipher()) (void)fmt::format("{}", *c);
  if (auto v = tls.version()) (void)fmt::format("{}", *v);
  (void)tls.get_channel_binding();
  (void)tls.shared_ciphers();
  (void)tls.selected_alpn_protocol();
  (void)tls.session();
  (void)tls.ech_accepted();
  (void)tls.ech_retry_configs();
  ctx.set_ech_grease(true);
  try {
    (void)ctx.wrap_socket(sslpp::tcp_socket::connect(name, port), "example.org", {.ech_config_list = {}});
  } catch (const sslpp::ech_rejected_error& e) {
    (void)e.retry_configs();
  }
  auto opt = ctx.wrap_socket(sslpp::tcp_socket::connect(name, port, {}, ec), "example.org", ec);
  (void)opt;
  tls.shutdown();
  auto plain = tls.unwrap(ec);
  (void)plain;

  sslpp::memory_bio in, out;
  auto obj = ctx.wrap_bio(in, out, "example.org");
  obj.do_handshake(ec);
  (void)obj.read(buf, ec);
  out.write(in.read());
  (void)sslpp::get_server_certificate(name, port);
  (void)sslpp::rand_bytes(16);
}

[[maybe_unused]] void server(std::uint16_t port) {
  auto ctx = sslpp::create_default_context(sslpp::purpose::client_auth);
  ctx.load_cert_chain("c.pem", "k.pem");
  ctx.set_sni_callback([](sslpp::sni_request&) {});
  ctx.set_num_tickets(2);
  const auto keys = sslpp::ech_keys::generate(1, "public.example");
  ctx.set_ech_keys(keys);
  ctx.set_ech_keys({keys}, {sslpp::ech_keys::load(keys.config(), keys.private_key_bytes())});
  (void)sslpp::ech_keys::config_list_of({keys});
  auto listener = sslpp::tcp_listener::listen("127.0.0.1", port);
  auto tls = ctx.wrap_socket(listener.accept());
  tls.do_handshake();
  (void)fmt::format("{}", ctx.session_stats().accept);
  (void)ctx.get_ciphers();
  (void)ctx.get_ca_certs();
  (void)ctx.cert_store_stats();
}

[[maybe_unused]] void either(std::uint16_t port) {
  auto server_ctx = sslpp::create_default_context(sslpp::purpose::client_auth);
  auto first = server_ctx.wrap_socket(sslpp::tcp_socket::connect("127.0.0.1", port));
  sslpp::context<sslpp::side::any> ctx = first.context();
  auto tls = ctx.wrap_socket(sslpp::tcp_socket::connect("127.0.0.1", port), sslpp::server_side);
  (void)tls.version();
}

}  // namespace

int main() {}
