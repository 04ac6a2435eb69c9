// sslpp — SPDX-License-Identifier: MIT
//
// detail/peer_chain.hpp: the certificate chains of a connection: as the peer sent it, and as verified.
#pragma once

#include <sslpp/detail/backend.hpp>

#include <vector>

SSLPP_BEGIN_NAMESPACE
namespace detail {

/// peer_chain: the chain the peer sent, its leaf first (SSL_get_peer_full_cert_chain);
/// empty before the handshake or when the peer sent no certificate.
inline std::vector<x509_ptr> peer_chain(const SSL* ssl) {
  std::vector<x509_ptr> out;
  if (!ssl) return out;
  if (STACK_OF(X509)* chain = SSL_get_peer_full_cert_chain(ssl))
    for (X509* x : chain) out.push_back(up_ref(x));
  return out;
}

/// verified_chain: the chain from the peer's leaf to the trust anchor that verified it.
///
/// This BoringSSL keeps no verified chain after the handshake (it has no
/// SSL_get0_verified_chain), so the chain is rebuilt exactly as the handshake built it:
/// X509_verify_cert over the peer's certificates, against the cert store of the
/// connection's SSL_CTX, with the connection's own verify parameters (flags, depth, host
/// name, purpose "ssl_server"/"ssl_client"). It is rebuilt only when the handshake's
/// verification succeeded (SSL_get_verify_result is X509_V_OK); empty otherwise, before
/// the handshake, without a peer certificate, or when the rebuild fails (a certificate
/// expired since the handshake, say).
inline std::vector<x509_ptr> verified_chain(const SSL* ssl) {
  std::vector<x509_ptr> out;
  if (!ssl || !SSL_is_init_finished(ssl) || SSL_get_verify_result(ssl) != X509_V_OK) return out;
  STACK_OF(X509)* sent = SSL_get_peer_full_cert_chain(ssl);
  if (!sent || sk_X509_num(sent) == 0) return out;
  X509* leaf = sk_X509_value(sent, 0);
  X509_STORE* store = SSL_CTX_get_cert_store(SSL_get_SSL_CTX(ssl));
  bssl::UniquePtr<X509_STORE_CTX> sctx(X509_STORE_CTX_new());
  if (!sctx || !X509_STORE_CTX_init(sctx.get(), store, leaf, sent)) {
    ERR_clear_error();
    return out;
  }
  X509_STORE_CTX_set_default(sctx.get(), SSL_is_server(ssl) ? "ssl_client" : "ssl_server");
  X509_VERIFY_PARAM_set1(X509_STORE_CTX_get0_param(sctx.get()), SSL_get0_param(const_cast<SSL*>(ssl)));
  if (X509_verify_cert(sctx.get()) != 1) {
    ERR_clear_error();
    return out;
  }
  bssl::UniquePtr<STACK_OF(X509)> chain(X509_STORE_CTX_get1_chain(sctx.get()));
  if (chain)
    for (X509* x : chain.get()) out.push_back(up_ref(x));
  return out;
}

}  // namespace detail
SSLPP_END_NAMESPACE
