// sslpp — SPDX-License-Identifier: MIT
//
// detail/random.hpp: cryptographically strong random bytes from the backend.
#pragma once

#include <sslpp/detail/backend.hpp>
#include <sslpp/detail/error_impl.hpp>

#include <cstddef>
#include <cstdint>
#include <vector>

SSLPP_BEGIN_NAMESPACE
namespace detail {

/// random_bytes: `n` cryptographically strong random bytes.
inline std::vector<std::byte> random_bytes(std::size_t n) {
  std::vector<std::byte> out(n);
  if (n && !RAND_bytes(reinterpret_cast<uint8_t*>(out.data()), n)) throw_backend_error("cannot get random bytes");
  return out;
}

}  // namespace detail
SSLPP_END_NAMESPACE
