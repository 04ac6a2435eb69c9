// CRLs in a CA file or in PEM cadata are loaded with its certificates (as OpenSSL's
// X509_load_cert_crl_file loads them for Python), so verify_flags::crl_check_leaf and
// crl_check_chain work: a leaf the CRL revokes is refused with 23 "certificate revoked",
// one it does not is accepted. The peer is openssl s_server.
#include "features_support.hpp"

#include <cstdlib>
#include <mutex>
#include <stdexcept>

namespace {

/// pki: a PKI file, with the files of tests/pki/floor_crl_pki.sh.
std::string pki(const std::string& name) { return feat::floor_crl_pki(name); }

/// crl_server: `openssl s_server` presenting the CRL CA's leaf `name` (crl-revoked or crl-good).
std::unique_ptr<test::child> crl_server(const std::string& name, std::uint16_t& port) {
  return std::make_unique<test::child>(test::serve_on_free_port(
      [&](std::uint16_t p) {
        return std::vector<std::string>{"openssl", "s_server", "-accept", std::to_string(p), "-cert",
                                        pki(name + ".pem"), "-key", pki(name + ".key")};
      },
      port));
}

/// outcome: "ok" after a handshake and one message the server printed, else
/// "<verify code> <verify message>" or the error's text.
std::string outcome(const sslpp::client_context& ctx, std::uint16_t port, test::child& peer) {
  try {
    auto tls = feat::connect(ctx, port);
    tls.sendall("crl-hello\n");
    return peer.wait_for_output("crl-hello") ? "ok" : "the server did not see the message";
  } catch (const sslpp::cert_verification_error& e) {
    return std::to_string(e.verify_code()) + " " + e.verify_message();
  } catch (const std::exception& e) {
    return e.what();
  }
}

sslpp::client_context checking(sslpp::trust t, sslpp::verify_flags check = sslpp::verify_flags::crl_check_leaf) {
  auto ctx = sslpp::create_default_context(sslpp::purpose::server_auth, t);
  ctx.set_verify_flags(ctx.verify_flags() | check);
  return ctx;
}

}  // namespace

TEST_CASE("a CRL in a CA file revokes leaf A and not leaf B", "[crl][openssl]") {
  const sslpp::trust file{.cafile = pki("crl-bundle.pem")};
  const sslpp::trust data{.cadata = test::read_text(pki("crl-bundle.pem"))};
  for (const auto& [label, t] : {std::pair{"cafile", file}, std::pair{"cadata", data}}) {
    INFO("trust from " << label);
    auto ctx = checking(t);
    const auto stats = ctx.cert_store_stats();
    CHECK(stats.crl == 1);
    CHECK(stats.x509 == 1);
    std::uint16_t port = 0;
    auto revoked = crl_server("crl-revoked", port);
    CHECK(outcome(ctx, port, *revoked) == "23 certificate revoked");
    auto good = crl_server("crl-good", port);
    CHECK(outcome(ctx, port, *good) == "ok");
  }
}

TEST_CASE("crl_check_chain with the CA's CRL, and load_verify_locations(path)", "[crl][openssl]") {
  auto ctx = sslpp::context_for(sslpp::protocol::tls_client);
  ctx.load_verify_locations(pki("crl-bundle.pem"));
  CHECK(ctx.cert_store_stats().crl == 1);
  ctx.set_verify_flags(ctx.verify_flags() | sslpp::verify_flags::crl_check_chain);
  std::uint16_t port = 0;
  auto revoked = crl_server("crl-revoked", port);
  CHECK(outcome(ctx, port, *revoked) == "23 certificate revoked");
  auto good = crl_server("crl-good", port);
  CHECK(outcome(ctx, port, *good) == "ok");
}

TEST_CASE("loading the same CRL twice keeps one, and a file of CRLs alone adds CRLs", "[crl]") {
  auto ctx = sslpp::context_for(sslpp::protocol::tls_client);
  ctx.load_verify_locations(pki("crl-bundle.pem"));
  ctx.load_verify_locations(sslpp::trust{.cadata = test::read_text(pki("crl-bundle.pem"))});
  CHECK(ctx.cert_store_stats().crl == 1);
  auto only_crl = sslpp::context_for(sslpp::protocol::tls_client);
  only_crl.load_verify_locations(pki("crl-ca.crl.pem"));
  CHECK(only_crl.cert_store_stats().crl == 1);
  CHECK(only_crl.cert_store_stats().x509 == 0);
}
