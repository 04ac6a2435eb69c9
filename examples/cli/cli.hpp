// sslpp — SPDX-License-Identifier: MIT
//
// cli.hpp: what the parts of the `sslpp` command share — exit codes, the error that
// carries one, the option parser, colour, and the subcommands' entry points.
// The command uses only sslpp's public API: it is an example of it.
#pragma once

#include <sslpp/sslpp.hpp>

#include <chrono>
#include <map>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace sslpp_cli {

/// exit_code: what the command's exit status means (API.md §7).
enum exit_code : int {
  exit_ok = 0,
  exit_io = 1,            ///< connecting, reading, writing, or a file
  exit_usage = 2,         ///< a bad command line
  exit_handshake = 3,     ///< the TLS handshake failed for a reason other than the certificate
  exit_verification = 4,  ///< the peer's certificate failed verification
};

/// failure: ends a subcommand with one line on stderr and an exit code.
struct failure : std::runtime_error {
  failure(exit_code c, const std::string& message) : std::runtime_error(message), code(c) {}
  exit_code code;
};

/// usage_error: a bad command line (exit 2).
inline failure usage_error(const std::string& message) { return failure(exit_usage, message); }

/// option_spec: one option of a subcommand, for parsing and for --help.
struct option_spec {
  std::string_view name;          ///< "--cafile"
  std::string_view metavar;       ///< "FILE"; empty for a flag that takes no value
  std::string_view default_text;  ///< shown as "(default: ...)"; empty: none shown
  std::string_view help;          ///< one line
  bool repeatable = false;        ///< may be given more than once (values are collected)
};

/// command_spec: a subcommand's usage line, summary and options.
struct command_spec {
  std::string_view name;      ///< "client"
  std::string_view usage;     ///< "HOST:PORT [options]"
  std::string_view summary;   ///< one paragraph
  std::vector<option_spec> options;
  std::string_view epilog = {};  ///< printed after the options
};

/// arguments: a parsed command line.
struct arguments {
  std::map<std::string, std::vector<std::string>, std::less<>> values;  ///< option -> values given
  std::vector<std::string> positional;

  bool flag(std::string_view name) const { return values.find(name) != values.end(); }
  std::optional<std::string> value(std::string_view name) const {
    auto it = values.find(name);
    if (it == values.end() || it->second.empty()) return std::nullopt;
    return it->second.back();
  }
  std::string value_or(std::string_view name, std::string fallback) const {
    auto v = value(name);
    return v ? *v : std::move(fallback);
  }
};

/// parse: parses `args` (after the subcommand's name) against `spec`; throws usage_error.
/// Returns nullopt when --help was asked for (and printed).
std::optional<arguments> parse(const command_spec& spec, std::span<char* const> args);
/// print_help: the subcommand's --help text.
void print_help(const command_spec& spec);

/// style: ANSI colour, only when stdout is a terminal and NO_COLOR is unset.
struct style {
  bool on = false;
  static const style& out();  ///< for stdout
  std::string good(std::string_view s) const { return wrap("32;1", s); }
  std::string bad(std::string_view s) const { return wrap("31;1", s); }
  std::string warn(std::string_view s) const { return wrap("33;1", s); }
  std::string key(std::string_view s) const { return wrap("1", s); }
  std::string dim(std::string_view s) const { return wrap("2", s); }

 private:
  std::string wrap(const char* code, std::string_view s) const {
    if (!on) return std::string(s);
    return std::string("\x1b[") + code + "m" + std::string(s) + "\x1b[0m";
  }
};

/// version_name: "TLSv1.3", as Python prints a TLSVersion.
std::string version_name(std::optional<sslpp::tls_version> v);
/// parse_version: "1.2", "TLSv1.2", "tls1.2" ... -> tls_version; throws usage_error naming `option`.
sslpp::tls_version parse_version(std::string_view text, std::string_view option);
/// milliseconds_text: "12.3 ms".
std::string milliseconds_text(std::chrono::steady_clock::duration d);
/// read_password_file: the first line of `path` (without its newline); throws failure(exit_io).
std::string read_password_file(const std::string& path);
/// unescape: TEXT from the command line with its \\n \\r \\t \\\\ escapes made bytes.
std::string unescape(std::string_view text);
/// split_list: "a,b,,c" -> {"a","b","c"}.
std::vector<std::string> split_list(std::string_view text);
/// endpoint: a host and port from "host:port", "[v6]:port" or "host" (default port).
struct endpoint {
  std::string host;
  std::uint16_t port = 0;
};
endpoint parse_endpoint(std::string_view text, std::uint16_t default_port);
/// parse_port: a port number 0..65535; throws usage_error naming `option`.
std::uint16_t parse_port(std::string_view text, std::string_view option);
/// print_certificate: one certificate, in Python's getpeercert() structure, with its
/// SHA-256 fingerprint, indented by `indent`.
void print_certificate(const sslpp::certificate& cert, std::string_view indent);

/// enable_cert_compression: offers/uses brotli and zlib certificate compression (RFC 8879);
/// throws usage_error when the command was built without them.
void enable_cert_compression(sslpp::client_context& ctx);
void enable_cert_compression(sslpp::server_context& ctx);
/// printable: bytes as one line of text, with \n, \r, \t, \\ and \xNN escapes.
std::string printable(std::string_view bytes);

/// base64_encode: `bytes` in standard base64 (as DNS zone files write an HTTPS record's "ech=").
std::string base64_encode(std::string_view bytes);
/// base64_decode: standard base64 (padding optional) to bytes, or nullopt when `text` is not base64.
std::optional<std::string> base64_decode(std::string_view text);

int run_ech_keys(std::span<char* const> args);
int run_client(std::span<char* const> args);
int run_server(std::span<char* const> args);
int run_cert(std::span<char* const> args);
int run_demo(std::span<char* const> args);

}  // namespace sslpp_cli

namespace sslpp_cli {
/// certificate_subject: the subject in RFC 4514 text ("CN=localhost,O=sslpp").
std::string certificate_subject(const sslpp::certificate& cert);
}  // namespace sslpp_cli
