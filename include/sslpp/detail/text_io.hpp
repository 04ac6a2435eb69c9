// sslpp — SPDX-License-Identifier: MIT
//
// detail/text_io.hpp: the string conveniences of a TLS connection (read into a
// std::string, write a std::string_view), written once over its span operations for
// stream<Socket> and ssl_object.
#pragma once

#include <sslpp/config.hpp>

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <system_error>

SSLPP_BEGIN_NAMESPACE
namespace detail {

/// text_io: read(max) and write(text) for `Derived`, which has read/write over spans (with
/// and without a std::error_code&) and brings these in with `using`.
template <class Derived>
class text_io {
 public:
  /// read: up to `max` decrypted bytes as a string; "" at the end of a stream's data (an
  /// ssl_object throws zero_return_error there, as its span read does).
  std::string read(std::size_t max = 1024) {
    std::string out(max, '\0');
    out.resize(self().read(std::as_writable_bytes(std::span(out.data(), out.size()))));
    return out;
  }
  /// read: as above; reports failure in `ec` and then returns "" (never throws an ssl_error).
  std::string read(std::size_t max, std::error_code& ec) {
    std::string out(max, '\0');
    out.resize(self().read(std::as_writable_bytes(std::span(out.data(), out.size())), ec));
    return out;
  }
  /// write: sends the bytes of `text`; returns how many were written, as the span write.
  std::size_t write(std::string_view text) { return self().write(std::as_bytes(std::span(text.data(), text.size()))); }
  /// write: as above; reports failure in `ec`.
  std::size_t write(std::string_view text, std::error_code& ec) noexcept {
    return self().write(std::as_bytes(std::span(text.data(), text.size())), ec);
  }

 protected:
  text_io() = default;

 private:
  Derived& self() noexcept { return static_cast<Derived&>(*this); }
};

}  // namespace detail
SSLPP_END_NAMESPACE
