// sslpp — SPDX-License-Identifier: MIT
//
// options.cpp: the option parser, --help text, colour and small helpers of the `sslpp` command.
#include "cli.hpp"

#include <fmt/core.h>
#include <sslpp/format.hpp>

#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <unistd.h>

namespace sslpp_cli {

namespace {
const option_spec* find_option(const command_spec& spec, std::string_view name) {
  for (const auto& o : spec.options)
    if (o.name == name) return &o;
  return nullptr;
}
}  // namespace

std::optional<arguments> parse(const command_spec& spec, std::span<char* const> args) {
  arguments out;
  bool options_done = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string_view a = args[i];
    if (options_done || a.size() < 2 || a[0] != '-' ) {
      out.positional.emplace_back(a);
      continue;
    }
    if (a == "--") {
      options_done = true;
      continue;
    }
    if (a == "--help" || a == "-h") {
      print_help(spec);
      return std::nullopt;
    }
    std::string_view name = a;
    std::optional<std::string> inline_value;
    if (auto eq = a.find('='); eq != std::string_view::npos) {
      name = a.substr(0, eq);
      inline_value = std::string(a.substr(eq + 1));
    }
    const option_spec* o = find_option(spec, name);
    if (!o)
      throw usage_error(fmt::format("{}: unknown option '{}' (see 'sslpp {} --help')", spec.name, name, spec.name));
    auto& slot = out.values[std::string(name)];
    if (!o->repeatable && !slot.empty())
      throw usage_error(fmt::format("{}: option '{}' given more than once", spec.name, name));
    if (o->metavar.empty()) {
      if (inline_value) throw usage_error(fmt::format("{}: option '{}' takes no value", spec.name, name));
      slot.emplace_back();
      continue;
    }
    if (inline_value) {
      slot.push_back(*inline_value);
    } else if (i + 1 < args.size()) {
      slot.emplace_back(args[++i]);
    } else {
      throw usage_error(fmt::format("{}: option '{}' needs a value ({})", spec.name, name, o->metavar));
    }
  }
  return out;
}

void print_help(const command_spec& spec) {
  const style& s = style::out();
  fmt::print("{} sslpp {} {}\n\n{}\n", s.key("usage:"), spec.name, spec.usage, spec.summary);
  if (!spec.options.empty()) fmt::print("\n{}\n", s.key("options:"));
  std::size_t width = 0;
  for (const auto& o : spec.options) width = std::max(width, o.name.size() + (o.metavar.empty() ? 0 : o.metavar.size() + 1));
  for (const auto& o : spec.options) {
    std::string left(o.name);
    if (!o.metavar.empty()) left += " " + std::string(o.metavar);
    fmt::print("  {:<{}}  {}", left, width, o.help);
    if (!o.default_text.empty()) fmt::print(" (default: {})", o.default_text);
    fmt::print("\n");
  }
  fmt::print("  {:<{}}  {}\n", "--help", width, "show this help and exit");
  if (!spec.epilog.empty()) fmt::print("\n{}\n", spec.epilog);
}

const style& style::out() {
  static const style s{::isatty(STDOUT_FILENO) == 1 && std::getenv("NO_COLOR") == nullptr};
  return s;
}

std::string version_name(std::optional<sslpp::tls_version> v) {
  return v ? fmt::format("{}", *v) : std::string("none");
}

sslpp::tls_version parse_version(std::string_view text, std::string_view option) {
  std::string t;
  for (char c : text) t += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (std::string_view prefix : {"tlsv", "tls"})
    if (t.starts_with(prefix)) {
      t.erase(0, prefix.size());
      break;
    }
  if (t == "1.2" || t == "1_2") return sslpp::tls_version::tlsv1_2;
  if (t == "1.3" || t == "1_3") return sslpp::tls_version::tlsv1_3;
  if (t == "1" || t == "1.0" || t == "1.1")
    throw usage_error(fmt::format("{} {}: TLS 1.0 and 1.1 are deprecated (RFC 8996) and sslpp does not offer them; use 1.2 or 1.3",
                                  option, text));
  throw usage_error(fmt::format("{}: unknown TLS version '{}' (use 1.2 or 1.3)", option, text));
}

std::string milliseconds_text(std::chrono::steady_clock::duration d) {
  return fmt::format("{:.1f} ms", std::chrono::duration<double, std::milli>(d).count());
}

std::string read_password_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw failure(exit_io, fmt::format("cannot read password file '{}': {}", path, std::strerror(errno)));
  std::string line;
  std::getline(in, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

std::string unescape(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\' || i + 1 == text.size()) {
      out += text[i];
      continue;
    }
    switch (text[++i]) {
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case '\\': out += '\\'; break;
      default: out += '\\'; out += text[i];
    }
  }
  return out;
}

std::vector<std::string> split_list(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    auto comma = text.find(',');
    auto item = text.substr(0, comma);
    if (!item.empty()) out.emplace_back(item);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

std::uint16_t parse_port(std::string_view text, std::string_view option) {
  unsigned value = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || p != text.data() + text.size() || value > 65535 || text.empty())
    throw usage_error(fmt::format("{}: '{}' is not a port number (0..65535)", option, text));
  return static_cast<std::uint16_t>(value);
}

endpoint parse_endpoint(std::string_view text, std::uint16_t default_port) {
  endpoint e;
  std::string_view rest;
  if (text.starts_with('[')) {
    auto close = text.find(']');
    if (close == std::string_view::npos)
      throw usage_error(fmt::format("'{}': missing ']' after the IPv6 address (write [::1]:443)", text));
    e.host = std::string(text.substr(1, close - 1));
    rest = text.substr(close + 1);
    if (!rest.empty() && !rest.starts_with(':'))
      throw usage_error(fmt::format("'{}': expected ':PORT' after ']'", text));
  } else {
    auto colon = text.find(':');
    if (colon != std::string_view::npos && text.find(':', colon + 1) != std::string_view::npos)
      throw usage_error(fmt::format("'{}': write an IPv6 address in brackets, as [::1]:443", text));
    e.host = std::string(text.substr(0, colon));
    if (colon != std::string_view::npos) rest = text.substr(colon);
  }
  if (e.host.empty()) throw usage_error(fmt::format("'{}': no host name", text));
  e.port = rest.empty() ? default_port : parse_port(rest.substr(1), "port");
  if (e.port == 0) throw usage_error(fmt::format("'{}': port 0 cannot be connected to", text));
  return e;
}

}  // namespace sslpp_cli
