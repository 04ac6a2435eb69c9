// sslpp — SPDX-License-Identifier: MIT
//
// main.cpp: the `sslpp` command — a secure s_client / s_server for people, built on
// sslpp's public API only. Dispatches to the subcommands and turns every failure into one
// line on stderr and an exit code (1 I/O, 2 usage, 3 handshake, 4 verification).
#include "cli.hpp"

#include <fmt/core.h>

#include <csignal>
#include <cstdio>
#include <exception>
#include <system_error>

namespace {

constexpr std::string_view top_help = R"(usage: sslpp COMMAND [options]

A secure s_client / s_server: verifies by default, says what it did in Python's words,
and exits non-zero on every failure.

commands:
  client HOST:PORT   connect, verify, print a summary, then relay stdin/stdout
  server             a TLS echo server (or --respond TEXT) for many clients at once
  cert FILE...       print the certificates in PEM or DER files
  ech-keys           make an Encrypted Client Hello key pair, its config and config list
  demo               a TLS 1.3 server and a verifying client on loopback, with built-in credentials

options:
  --help             show this help and exit ('sslpp COMMAND --help' for a command's options)
  --version          print sslpp's version and BoringSSL's, and exit

exit status: 0 success, 1 connection or I/O failure, 2 usage, 3 TLS handshake failure,
4 certificate verification failure.
)";

int dispatch(int argc, char** argv) {
  using namespace sslpp_cli;
  if (argc < 2) {
    std::fputs(top_help.data(), stderr);
    return exit_usage;
  }
  const std::string_view cmd = argv[1];
  const std::span<char* const> rest(argv + 2, static_cast<std::size_t>(argc - 2));
  if (cmd == "--help" || cmd == "-h" || cmd == "help") {
    std::fputs(top_help.data(), stdout);
    return exit_ok;
  }
  if (cmd == "--version") {
    fmt::print("sslpp {}\n{} (BORINGSSL_API_VERSION {})\n", sslpp::version, sslpp::openssl_version,
               sslpp::boringssl_api_version);
    return exit_ok;
  }
  if (cmd == "client") return run_client(rest);
  if (cmd == "server") return run_server(rest);
  if (cmd == "cert") return run_cert(rest);
  if (cmd == "demo") return run_demo(rest);
  if (cmd == "ech-keys") return run_ech_keys(rest);
  throw usage_error(fmt::format("unknown command '{}' (commands: client, server, cert, demo, ech-keys; see 'sslpp --help')", cmd));
}

}  // namespace

int main(int argc, char** argv) {
  using namespace sslpp_cli;
  // Every failure ends as ONE line on stderr; the subcommands classify what they can
  // (they know whether a failure happened while connecting, in the handshake or after).
  // A peer that resets the connection, or a closed stdout, must be an error message, not a
  // silent death by SIGPIPE.
  std::signal(SIGPIPE, SIG_IGN);
  try {
    return dispatch(argc, argv);
  } catch (const failure& e) {
    fmt::print(stderr, "sslpp: {}\n", e.what());
    return e.code;
  } catch (const sslpp::cert_verification_error& e) {
    fmt::print(stderr, "sslpp: {}\n", e.what());
    return exit_verification;
  } catch (const sslpp::ssl_error& e) {
    fmt::print(stderr, "sslpp: {}\n", e.what());
    return exit_handshake;
  } catch (const std::invalid_argument& e) {
    fmt::print(stderr, "sslpp: {}\n", e.what());
    return exit_usage;
  } catch (const std::exception& e) {
    fmt::print(stderr, "sslpp: {}\n", e.what());
    return exit_io;
  }
}
