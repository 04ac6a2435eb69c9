// sslpp — SPDX-License-Identifier: MIT
//
// beyond.cpp: the command's options for what Python's ssl cannot do — certificate
// compression (--cert-compression, when the command was built with brotli and zlib) and
// the text form of 0-RTT early data.
#include "cli.hpp"

#include <fmt/core.h>

#ifdef SSLPP_CLI_CERT_COMPRESSION
#include <sslpp/cert_compression_codecs.hpp>
#endif

namespace sslpp_cli {

namespace {
template <class Context>
void compression_on(Context& ctx) {
#ifdef SSLPP_CLI_CERT_COMPRESSION
  ctx.set_cert_compression({sslpp::cert_compression::brotli, sslpp::cert_compression::zlib});
#else
  (void)ctx;
  throw usage_error(
      "--cert-compression: this sslpp command was built without brotli and zlib (install libbrotli-dev and "
      "zlib1g-dev, then build again)");
#endif
}
}  // namespace

void enable_cert_compression(sslpp::client_context& ctx) { compression_on(ctx); }
void enable_cert_compression(sslpp::server_context& ctx) { compression_on(ctx); }

std::string printable(std::string_view bytes) {
  std::string out;
  for (const char ch : bytes) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '\n') out += "\\n";
    else if (c == '\r') out += "\\r";
    else if (c == '\t') out += "\\t";
    else if (c == '\\') out += "\\\\";
    else if (c < 0x20 || c > 0x7e) out += fmt::format("\\x{:02x}", c);
    else out += ch;
  }
  return out;
}

}  // namespace sslpp_cli
