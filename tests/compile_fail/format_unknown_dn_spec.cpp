// Rule: a distinguished name takes {} or {:rfc4514}; another spec in a literal format
// string does not compile.
// expect: unknown_format_spec_for_sslpp_distinguished_name
// expect: {:rfc4514}
#include <sslpp/sslpp.hpp>

#include <fmt/format.h>

int main() {
  const auto cert = sslpp::certificate::load("cert.pem");
#ifdef SSLPP_COMPILE_FAIL
  return static_cast<int>(fmt::format("{:rfc2253}", cert.subject()).size());
#else
  return static_cast<int>(fmt::format("{:rfc4514}", cert.subject()).size());
#endif
}
