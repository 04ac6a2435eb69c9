// sslpp — SPDX-License-Identifier: MIT
//
// cert.cpp: `sslpp cert FILE...` — every certificate in PEM bundles or DER files, in
// Python's getpeercert() structure, with its SHA-256 fingerprint.
#include "cli.hpp"

#include <fmt/core.h>

#if __has_include(<sslpp/format.hpp>)
#include <sslpp/format.hpp>
#define SSLPP_CLI_HAVE_FORMAT 1
#endif

namespace sslpp_cli {

void print_certificate(const sslpp::certificate& cert, std::string_view indent) {
#ifdef SSLPP_CLI_HAVE_FORMAT
  std::string text = fmt::format("{}", cert);
#else
  std::string text = cert.to_pem();
#endif
  std::string_view rest = text;
  while (!rest.empty()) {
    auto nl = rest.find('\n');
    fmt::print("{}{}\n", indent, rest.substr(0, nl));
    if (nl == std::string_view::npos) break;
    rest.remove_prefix(nl + 1);
  }
}

namespace {
template <class C>
std::string subject_of(const C& cert) {
  if constexpr (requires { cert.subject().rfc4514(); }) return cert.subject().rfc4514();
  else return "(subject: needs the certificate accessors)";
}
}  // namespace

std::string certificate_subject(const sslpp::certificate& cert) { return subject_of(cert); }

int run_cert(std::span<char* const>) { throw failure(exit_io, "sslpp cert: not written yet"); }

}  // namespace sslpp_cli
