// Rule: an ALPN literal list with an empty protocol name does not compile.
// expect: alpn_literal_has_an_empty_protocol_name
// expect: an ALPN protocol name is 1 to 255 bytes (RFC 7301)
#include <sslpp/sslpp.hpp>

int main() {
  auto ctx = sslpp::create_default_context();
#ifdef SSLPP_COMPILE_FAIL
  ctx.set_alpn_protocols({"h2", ""});
#else
  ctx.set_alpn_protocols({"h2", "http/1.1"});
  ctx.set_alpn_protocols({});
  ctx.set_alpn_protocols(std::vector<std::string>{"h2"});
#endif
}
