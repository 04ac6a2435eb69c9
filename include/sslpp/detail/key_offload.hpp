// sslpp — SPDX-License-Identifier: MIT
//
// detail/key_offload.hpp: private-key offload — load_cert_chain(certfile, signer) installs
// the chain with an SSL_PRIVATE_KEY_METHOD instead of a key, whose sign() asks the
// program's private_key_signer and whose complete() collects an answer that came later
// (ssl_private_key_retry until then: SSL_ERROR_WANT_PRIVATE_KEY_OPERATION).
#pragma once

#include <sslpp/detail/backend.hpp>
#include <sslpp/detail/backend_state.hpp>
#include <sslpp/detail/context_impl.hpp>
#include <sslpp/detail/error_impl.hpp>
#include <sslpp/detail/sigalgs.hpp>
#include <sslpp/detail/signing_slot.hpp>
#include <sslpp/detail/x509_codec.hpp>
#include <sslpp/private_key_signer.hpp>

#include <cstddef>
#include <cstring>
#include <exception>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

SSLPP_BEGIN_NAMESPACE
namespace detail {

inline std::string signer_exception_words() {
  try {
    throw;
  } catch (const std::exception& x) {
    return x.what();
  } catch (...) {
    return "an exception not derived from std::exception";
  }
}

// finish_signature: hands the answer in the connection's slot to the backend, or retry.
inline ssl_private_key_result_t finish_signature(conn_extras& x, std::uint8_t* out, std::size_t* out_len,
                                                 std::size_t max_out) noexcept {
  try {
    std::vector<std::byte> sig;
    std::string reason;
    const auto st = x.signing->take(sig, reason);
    if (st == signing_slot::status::pending) return ssl_private_key_retry;
    x.signing.reset();
    if (st == signing_slot::status::failed) {
      x.problem = "the private key signer failed: " + (reason.empty() ? std::string("it gave no reason") : reason);
      return ssl_private_key_failure;
    }
    if (sig.empty()) {
      x.problem = "the private key signer returned an empty signature";
      return ssl_private_key_failure;
    }
    if (sig.size() > max_out) {
      x.problem = "the private key signer returned a " + std::to_string(sig.size()) +
                  "-byte signature; the certificate's key makes at most " + std::to_string(max_out);
      return ssl_private_key_failure;
    }
    std::memcpy(out, sig.data(), sig.size());
    *out_len = sig.size();
    return ssl_private_key_success;
  } catch (...) {  // out of memory for the message
    return ssl_private_key_failure;
  }
}

inline ssl_private_key_result_t signer_sign(SSL* ssl, std::uint8_t* out, std::size_t* out_len, std::size_t max_out,
                                            std::uint16_t algorithm, const std::uint8_t* in,
                                            std::size_t in_len) noexcept {
  conn_extras* x = connection_extras(ssl);
  if (!x) return ssl_private_key_failure;
  const ctx_features* f = find_features(SSL_get_SSL_CTX(ssl));
  try {
    if (!f || !f->signer) {
      x->problem = "this context has no private key signer";
      return ssl_private_key_failure;
    }
    auto slot = std::make_shared<signing_slot>();
    x->signing = slot;
    signing_request request{sigalg_names({algorithm}), std::vector<std::byte>(reinterpret_cast<const std::byte*>(in),
                                                                              reinterpret_cast<const std::byte*>(in) + in_len),
                            signature_completion(slot)};
    if (std::optional<std::vector<std::byte>> now = f->signer(request)) slot->answer(true, std::move(*now), {});
    return finish_signature(*x, out, out_len, max_out);
  } catch (...) {
    x->signing.reset();
    try {
      x->problem = "the private key signer threw: " + signer_exception_words();
    } catch (...) {
    }
    return ssl_private_key_failure;
  }
}

inline ssl_private_key_result_t signer_decrypt(SSL* ssl, std::uint8_t*, std::size_t*, std::size_t, const std::uint8_t*,
                                               std::size_t) noexcept {
  if (conn_extras* x = connection_extras(ssl)) {
    try {
      x->problem = "a private key signer cannot decrypt an RSA key exchange (only signing suites work with one)";
    } catch (...) {
    }
  }
  return ssl_private_key_failure;
}

inline ssl_private_key_result_t signer_complete(SSL* ssl, std::uint8_t* out, std::size_t* out_len,
                                                std::size_t max_out) noexcept {
  conn_extras* x = connection_extras(ssl);
  if (!x || !x->signing) return ssl_private_key_failure;
  return finish_signature(*x, out, out_len, max_out);
}

inline const SSL_PRIVATE_KEY_METHOD signer_method = {signer_sign, signer_decrypt, signer_complete};

/// pending_signature: the slot of the signature a connection waits for, or null.
inline std::shared_ptr<signing_slot> pending_signature(const SSL* ssl) {
  const conn_extras* x = find_extras(ssl);
  return x ? x->signing : nullptr;
}

/// use_cert_chain_with_signer: installs a certificate chain (leaf first) whose key is
/// `signer`: the backend learns the key's type and size from the leaf's public key.
inline void use_cert_chain_with_signer(context_impl& c, std::vector<x509_ptr> chain,
                                       std::function<std::optional<std::vector<std::byte>>(signing_request&)> signer,
                                       const std::string& cert_source) {
  if (!signer)
    throw std::invalid_argument("load_cert_chain: the private_key_signer for " + cert_source +
                                " has no sign function");
  std::vector<bssl::UniquePtr<CRYPTO_BUFFER>> owned;
  std::vector<CRYPTO_BUFFER*> buffers;
  for (const auto& x : chain) {
    std::uint8_t* der = nullptr;
    const int len = i2d_X509(x.get(), &der);
    if (len <= 0) throw_backend_error("cannot encode the certificate in " + cert_source);
    bssl::UniquePtr<std::uint8_t> der_owner(der);
    owned.emplace_back(CRYPTO_BUFFER_new(der, static_cast<std::size_t>(len), nullptr));
    if (!owned.back()) throw_backend_error("cannot use the certificate in " + cert_source);
    buffers.push_back(owned.back().get());
  }
  ctx_features& f = features_of(c.ctx.get());
  // Exactly one of the key and the method: an earlier file key is dropped with the chain.
  if (!SSL_CTX_set_chain_and_key(c.ctx.get(), buffers.data(), buffers.size(), nullptr, &signer_method))
    throw_backend_error("cannot use the certificate in " + cert_source + " with a private key signer");
  f.signer = std::move(signer);
}

/// load_cert_chain_signer: load_cert_chain(certfile, signer).
inline void load_cert_chain_signer(context_impl& c, const std::string& certfile,
                                   std::function<std::optional<std::vector<std::byte>>(signing_request&)> signer) {
  const std::string cert_source = "'" + certfile + "'";
  auto chain = parse_pem_certificates(read_file(certfile, "certificate file"), cert_source);
  use_cert_chain_with_signer(c, std::move(chain), std::move(signer), cert_source);
}

/// explain_signer: a handshake failure the signer caused, in words, or "".
inline std::string explain_signer(const SSL* ssl, int reason) {
  if (reason != SSL_R_PRIVATE_KEY_OPERATION_FAILED) return {};
  const conn_extras* x = find_extras(ssl);
  return x && !x->problem.empty() ? x->problem : std::string("the private key signer failed");
}

}  // namespace detail
SSLPP_END_NAMESPACE
