// fuzz_common.hpp: what sslpp's libFuzzer targets share — the test PKI's location, and a
// byte_stream that plays hostile bytes to a TLS engine and swallows what it writes.
#pragma once

#include <sslpp/sslpp.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <span>
#include <string>
#include <system_error>

namespace fuzz {

/// pki: a file of the test PKI (SSLPP_FUZZ_PKI at run time, else the build's directory).
inline std::string pki(const std::string& name) {
  const char* dir = std::getenv("SSLPP_FUZZ_PKI");
  return std::string(dir ? dir : SSLPP_FUZZ_PKI) + "/" + name;
}

/// hostile_socket: a byte_stream whose reads return the fuzz input in chunks whose sizes
/// the input's first byte chooses, then end of stream; writes are accepted and dropped.
class hostile_socket {
 public:
  hostile_socket(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {
    if (size_ > 0) {
      chunk_ = 1 + data_[0] % 64 * 8;  // 1..505: partial records and headers split across reads
      ++data_;
      --size_;
    }
  }
  std::size_t read_some(std::span<std::byte> buf, std::error_code& ec) noexcept {
    ec.clear();
    const std::size_t n = std::min({buf.size(), size_, chunk_});
    std::memcpy(buf.data(), data_, n);
    data_ += n;
    size_ -= n;
    return n;
  }
  std::size_t write_some(std::span<const std::byte> buf, std::error_code& ec) noexcept {
    ec.clear();
    return buf.size();
  }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t chunk_ = 1;
};

}  // namespace fuzz
