// Rule: set_cert_compression needs the opt-in codecs (brotli and zlib), so that the core
// library needs neither: without <sslpp/cert_compression_codecs.hpp> it does not compile,
// and the message says what to include and link.
// expect: set_cert_compression needs the brotli and zlib codecs
// expect: sslpp/cert_compression_codecs.hpp
#include <sslpp/sslpp.hpp>
#ifndef SSLPP_COMPILE_FAIL
#include <sslpp/cert_compression_codecs.hpp>
#endif

int main() {
  auto ctx = sslpp::create_default_context();
  ctx.set_cert_compression({sslpp::cert_compression::brotli, sslpp::cert_compression::zlib});
}
