// key_offload_support.hpp: what the private-key offload tests' "key service" does with a
// signing request: read the key (only there), hash the input as the algorithm says, sign.
#pragma once

#include "support.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

namespace test {

/// read_key: the private key in a PEM file.
inline bssl::UniquePtr<EVP_PKEY> read_key(const std::string& path) {
  const std::string pem = test::read_text(path);
  bssl::UniquePtr<BIO> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  bssl::UniquePtr<EVP_PKEY> key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (!key) throw std::runtime_error("cannot read the key " + path);
  return key;
}

/// sign_with: what an HSM does with the request: hash the input as the algorithm says and sign.
inline std::vector<std::byte> sign_with(EVP_PKEY* key, const std::string& algorithm, const std::vector<std::byte>& input) {
  const EVP_MD* md = nullptr;
  if (algorithm.ends_with("sha256")) md = EVP_sha256();
  else if (algorithm.ends_with("sha384")) md = EVP_sha384();
  else if (algorithm.ends_with("sha512")) md = EVP_sha512();
  else if (algorithm.ends_with("sha1")) md = EVP_sha1();
  else if (algorithm != "ed25519") throw std::runtime_error("the key service cannot sign with " + algorithm);
  bssl::ScopedEVP_MD_CTX ctx;
  EVP_PKEY_CTX* pctx = nullptr;
  if (!EVP_DigestSignInit(ctx.get(), &pctx, md, nullptr, key)) throw std::runtime_error("sign init failed");
  if (algorithm.starts_with("rsa_pss_")) {
    EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING);
    EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, -1);
  }
  std::size_t len = 0;
  const auto* in = reinterpret_cast<const std::uint8_t*>(input.data());
  if (!EVP_DigestSign(ctx.get(), nullptr, &len, in, input.size())) throw std::runtime_error("sign failed");
  std::vector<std::byte> out(len);
  if (!EVP_DigestSign(ctx.get(), reinterpret_cast<std::uint8_t*>(out.data()), &len, in, input.size()))
    throw std::runtime_error("sign failed");
  out.resize(len);
  return out;
}

}  // namespace test
