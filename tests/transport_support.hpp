// transport_support.hpp: helpers of the transport tests — a byte_stream test double that is
// not a descriptor, the python3 peer script, and checksums for large transfers.
#pragma once

#include "support.hpp"

#include <openssl/sha.h>

#include <sys/socket.h>

#include <array>
#include <cstring>
#include <memory>

namespace test {

/// pair_stream: one end of a socketpair behind read_some/write_some only (no native_handle),
/// so sslpp takes its custom-BIO path. `max_write` limits each write_some (partial writes);
/// would-block is reported as errc::operation_would_block when the end is non-blocking.
class pair_stream {
 public:
  explicit pair_stream(int fd, std::size_t max_write = 0) : fd_(fd), max_write_(max_write) {}
  pair_stream(pair_stream&&) noexcept = default;
  pair_stream& operator=(pair_stream&&) noexcept = default;

  std::size_t read_some(std::span<std::byte> b, std::error_code& ec) {
    ++reads;
    for (;;) {
      const ssize_t n = ::recv(fd_.native_handle(), b.data(), b.size(), 0);
      if (n >= 0) {
        ec.clear();
        return static_cast<std::size_t>(n);
      }
      if (errno == EINTR) continue;
      ec = std::error_code(errno, std::system_category());
      return 0;
    }
  }
  std::size_t write_some(std::span<const std::byte> b, std::error_code& ec) {
    ++writes;
    if (max_write_ && b.size() > max_write_) b = b.first(max_write_);
    for (;;) {
      const ssize_t n = ::send(fd_.native_handle(), b.data(), b.size(), MSG_NOSIGNAL);
      if (n >= 0) {
        ec.clear();
        return static_cast<std::size_t>(n);
      }
      if (errno == EINTR) continue;
      ec = std::error_code(errno, std::system_category());
      return 0;
    }
  }
  /// fd: for the test's own poll() and shutdown calls (sslpp does not see it).
  int fd() const { return fd_.native_handle(); }
  std::size_t reads = 0, writes = 0;

 private:
  sslpp::tcp_socket fd_;  // used only as an owning descriptor
  std::size_t max_write_;
};

/// stream_pair: two connected pair_streams.
inline std::pair<pair_stream, pair_stream> stream_pair(std::size_t max_write = 0) {
  int fds[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) throw std::runtime_error("socketpair failed");
  return {pair_stream(fds[0], max_write), pair_stream(fds[1], max_write)};
}

/// sha256: an incremental SHA-256, printed as hex.
class sha256 {
 public:
  sha256() { SHA256_Init(&ctx_); }
  void update(std::span<const std::byte> b) { SHA256_Update(&ctx_, b.data(), b.size()); }
  void update(std::string_view s) { SHA256_Update(&ctx_, s.data(), s.size()); }
  std::string hex() {
    std::array<unsigned char, SHA256_DIGEST_LENGTH> d{};
    SHA256_Final(d.data(), &ctx_);
    std::string out;
    for (unsigned char c : d) out += "0123456789abcdef"[c >> 4], out += "0123456789abcdef"[c & 15];
    return out;
  }

 private:
  SHA256_CTX ctx_;
};

/// pattern: `size` pseudo-random bytes from `seed` (a block that transfers send repeatedly,
/// rotated so no two blocks are alike).
inline std::vector<std::byte> pattern(std::size_t size, std::uint32_t seed = 1) {
  std::vector<std::byte> v(size);
  std::uint32_t x = seed * 2654435761u + 1;
  for (auto& b : v) {
    x ^= x << 13, x ^= x >> 17, x ^= x << 5;
    b = static_cast<std::byte>(x);
  }
  return v;
}

/// transfer_size: bytes for a big transfer test: `fallback`, or $SSLPP_TRANSFER_BYTES when set.
/// The default runs use 128 MiB; the [.slow] cases (run with `test_transport [slow]`) 1 GiB,
/// which takes 10-20 s per case in a Debug build on a busy 2-core machine.
inline std::size_t transfer_size(std::size_t fallback) {
  if (const char* s = std::getenv("SSLPP_TRANSFER_BYTES")) return std::strtoull(s, nullptr, 10);
  return fallback;
}
inline constexpr std::size_t default_transfer = std::size_t(128) << 20;
inline constexpr std::size_t one_gib = std::size_t(1) << 30;

/// peer_script: tests/peers/transport_peer.py.
inline std::string peer_script() { return std::string(SSLPP_SOURCE_DIR) + "/tests/peers/transport_peer.py"; }

/// python_server: runs transport_peer.py as a one-connection TLS server in `mode`.
class python_server {
 public:
  explicit python_server(const std::string& mode)
      : child_({python(), peer_script(), "server", mode, "--cert", pki("fullchain-ecdsa.pem"), "--key",
                pki("leaf-ecdsa.key")}) {
    port_ = child_.wait_for_port_line("PORT ");
  }
  std::uint16_t port() const { return port_; }
  test::child& process() { return child_; }

 private:
  test::child child_;
  std::uint16_t port_ = 0;
};

}  // namespace test
