// sslpp — SPDX-License-Identifier: MIT
//
// private_key_signer.hpp: sslpp::private_key_signer, a private key that stays outside
// the process (an HSM, a cloud KMS, another thread): load_cert_chain(certfile, signer)
// has sslpp ask it for each handshake signature.
#pragma once

#include <sslpp/config.hpp>

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

SSLPP_BEGIN_NAMESPACE

namespace detail {
class signing_slot;  // detail/signing_slot.hpp: where a signature and its signer meet
}  // namespace detail

/// signature_completion: the handle a private_key_signer answers a signing request with
/// when the signature comes later. Copyable (copies answer the same request) and
/// thread-safe: complete() or fail() may run on any thread, once; the first answer wins
/// and later ones return false. An answer that comes after the connection was closed is
/// dropped harmlessly.
///
/// After answering, the handshake resumes: a blocking stream waiting in do_handshake()
/// (or the wrap, or a first read or write) wakes by itself, and so does an asio stream's
/// async_handshake (posted back to its executor); on a non-blocking stream or an ssl_object, whose
/// do_handshake() reported want_private_key_operation, call do_handshake() again (the
/// signer knows when it answered: wake the event loop from there).
class signature_completion {
 public:
  /// complete: answers with the signature; false when the request was answered already.
  SSLPP_DECL bool complete(std::vector<std::byte> signature) const;
  /// fail: answers that no signature will come, with the reason the handshake error then
  /// names; false when the request was answered already.
  SSLPP_DECL bool fail(std::string reason) const;

  /// signature_completion: a handle that answers nothing (each request carries a real one).
  signature_completion() = default;
  /// signature_completion: a handle to `slot` (sslpp's own code makes these).
  explicit signature_completion(std::shared_ptr<detail::signing_slot> slot) noexcept : slot_(std::move(slot)) {}

 private:
  std::shared_ptr<detail::signing_slot> slot_;
};

/// signing_request: one handshake signature a private_key_signer is asked for.
struct signing_request {
  /// algorithm: the TLS 1.3 signature scheme to sign with, by sslpp's name for it
  /// (sslpp::get_sigalgs(): "ecdsa_secp256r1_sha256", "rsa_pss_rsae_sha256", "ed25519",
  /// "rsa_pkcs1_sha256", ...). It says the hash and the padding: ECDSA signatures are
  /// DER-encoded, RSA-PSS ones use a salt as long as the hash. In TLS 1.2 an ECDSA name's
  /// curve is not meant: sign with the key's own curve and the named hash.
  std::string algorithm;
  /// input: the bytes to sign, not yet hashed: hash them with the algorithm's hash first
  /// (or give them whole to an API that takes a message, as EVP_DigestSign does).
  std::vector<std::byte> input;
  /// completion: the handle to answer with later, when `sign` returned nullopt.
  signature_completion completion;
};

/// private_key_signer: the private key of a certificate chain as a function, for keys
/// that never enter the process (PKCS#11 tokens, cloud KMS, a signing service or thread).
/// Given to context::load_cert_chain(certfile, signer): sslpp calls `sign` for each
/// handshake signature of that context's connections (the server's, or a client's
/// certificate signature), with the algorithm the handshake chose among those the
/// certificate's key allows (narrow them with set_server_sigalgs / set_client_sigalgs
/// when the key service signs with fewer).
///
/// `sign(request)` either returns the signature at once, or returns nullopt and answers
/// later through `request.completion` (complete or fail, from any thread). Meanwhile a
/// blocking stream waits in its handshake (bounded by the socket's timeout), an asio
/// stream's async_handshake waits without holding its thread (a cancellation ends the
/// wait with operation_aborted); a non-blocking stream's or an ssl_object's do_handshake() reports
/// want_private_key_operation (want_private_key_operation_error, or
/// ssl_errc::want_private_key_operation in the error_code form) until the answer came,
/// and the other connections of the loop carry on. An exception from `sign`, or
/// completion.fail(reason), fails that handshake with an ssl_error
/// (PRIVATE_KEY_OPERATION_FAILED) whose message carries the reason; the peer gets an
/// alert.
///
/// Thread Safety: `sign` runs on the thread of each handshake, so on many threads at
/// once when several handshake in parallel: what it captures must be safe to share.
///
/// Example:
///   ctx.load_cert_chain("fullchain.pem", sslpp::private_key_signer{
///       .sign = [&](sslpp::signing_request& r) -> std::optional<std::vector<std::byte>> {
///         return kms.sign(key_id, r.algorithm, r.input);  // synchronous
///       }});
struct private_key_signer {
  /// sign: makes the signature now (a value), or later through the request's completion (nullopt).
  std::function<std::optional<std::vector<std::byte>>(signing_request&)> sign;
};

SSLPP_END_NAMESPACE

#if SSLPP_WITH_DEFINITIONS
#include <sslpp/impl/private_key_signer.ipp>
#endif
