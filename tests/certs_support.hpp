// certs_support.hpp: helpers of the certificate tests — the extra certificates made by
// tests/certs_pki.sh, and external oracles (openssl, python3 tests/certs_oracle.py) run
// with their output captured.
#pragma once

#include "support.hpp"

#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

namespace certs_test {

/// shell_quote: one argument quoted for /bin/sh.
inline std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += "'\\''";
    else out += c;
  }
  return out + "'";
}

/// run: runs argv (with a 60 s timeout) and returns its standard output; throws when it
/// cannot be started or exits non-zero.
inline std::string run(const std::vector<std::string>& argv) {
  std::string cmd = "timeout 60";
  for (const auto& a : argv) cmd += " " + shell_quote(a);
  cmd += " 2>/dev/null";
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) throw std::runtime_error("cannot run: " + cmd);
  std::string out;
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  const int st = ::pclose(p);
  if (st != 0) throw std::runtime_error("command failed (" + std::to_string(st) + "): " + cmd);
  return out;
}

/// pki: a file of the test PKI, after making sure tests/certs_pki.sh added its
/// certificates (it is idempotent and locks against parallel runs).
inline std::string pki(const std::string& name) {
  static std::once_flag once;
  std::call_once(once, [] {
    std::string dir = test::pki("");
    dir.pop_back();
    run({std::string(SSLPP_SOURCE_DIR) + "/tests/certs_pki.sh", dir});
  });
  return test::pki(name);
}

/// oracle: runs tests/certs_oracle.py with `args` and returns what it printed.
inline std::string oracle(std::vector<std::string> args) {
  args.insert(args.begin(), {test::python(), std::string(SSLPP_SOURCE_DIR) + "/tests/certs_oracle.py"});
  return run(args);
}

/// split: `text` cut at each `sep`.
inline std::vector<std::string> split(const std::string& text, const std::string& sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    const std::size_t at = text.find(sep, start);
    out.push_back(text.substr(start, at == std::string::npos ? std::string::npos : at - start));
    if (at == std::string::npos) return out;
    start = at + sep.size();
  }
}

}  // namespace certs_test
