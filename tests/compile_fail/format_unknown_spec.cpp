// Rule: a format spec sslpp's formatters do not know is a compile error for a literal
// format string (as fmt checks its own), naming the allowed specs; fmt::runtime defers it
// to a fmt::format_error at run time.
// expect: unknown_format_spec_for_sslpp_certificate
// expect: {:sha256}
#include <sslpp/sslpp.hpp>

#include <fmt/format.h>

int main() {
  const auto cert = sslpp::certificate::load("cert.pem");
#ifdef SSLPP_COMPILE_FAIL
  return static_cast<int>(fmt::format("{:sha265}", cert).size());
#else
  return static_cast<int>(fmt::format("{:sha256} {:pem} {}", cert, cert, cert.subject()).size());
#endif
}
