// sslpp — SPDX-License-Identifier: MIT
//
// cert.cpp: `sslpp cert FILE...` — every certificate in PEM bundles or DER files, in
// Python's getpeercert() structure, with its SHA-256 fingerprint.
#include "cli.hpp"

#include <fmt/core.h>

#include <sslpp/format.hpp>

namespace sslpp_cli {

void print_certificate(const sslpp::certificate& cert, std::string_view indent) {
  std::string text = fmt::format("{}\nSHA256 fingerprint: {:sha256}", cert, cert);
  std::string_view rest = text;
  while (!rest.empty()) {
    auto nl = rest.find('\n');
    fmt::print("{}{}\n", indent, rest.substr(0, nl));
    if (nl == std::string_view::npos) break;
    rest.remove_prefix(nl + 1);
  }
}

std::string certificate_subject(const sslpp::certificate& cert) { return cert.subject().rfc4514(); }

namespace {
const command_spec cert_spec{
    "cert",
    "FILE... [options]",
    "Prints every certificate in each FILE (a PEM bundle or one DER certificate) in the structure\n"
    "of Python's getpeercert(), with its SHA-256 fingerprint. A file that cannot be read or parsed\n"
    "is reported on stderr, naming it and why; the others are still printed.",
    {},
    "exit status: 0 when every file was printed, 1 when one could not be read or parsed, 2 usage.",
};
}  // namespace

int run_cert(std::span<char* const> args) {
  auto parsed = parse(cert_spec, args);
  if (!parsed) return exit_ok;
  if (parsed->positional.empty()) throw usage_error("cert: FILE is missing (see 'sslpp cert --help')");
  const style& st = style::out();
  int rc = exit_ok;
  for (const std::string& path : parsed->positional) {
    std::vector<sslpp::certificate> certs;
    try {
      certs = sslpp::certificate::load_all(path);
    } catch (const std::exception& e) {
      std::fflush(stdout);
      fmt::print(stderr, "sslpp: {}: {}\n", path, e.what());
      rc = exit_io;
      continue;
    }
    for (std::size_t i = 0; i < certs.size(); ++i) {
      fmt::print("{} certificate {} of {}\n", st.key(path + ":"), i + 1, certs.size());
      print_certificate(certs[i], "  ");
    }
  }
  return rc;
}

}  // namespace sslpp_cli
