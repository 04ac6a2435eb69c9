// sslpp — SPDX-License-Identifier: MIT
//
// ech_keys.cpp: `sslpp ech-keys --public-name NAME --out-dir DIR` — makes an Encrypted
// Client Hello key pair and writes the private key, the ECHConfig and the ECHConfigList
// (the files `sslpp server --ech-key/--ech-config` and `sslpp client --ech-config-list`
// read, in bssl-tool's formats), and prints the list in base64 for a DNS HTTPS record.
#include "cli.hpp"

#include <fmt/core.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace sslpp_cli {

namespace {

const command_spec ech_keys_spec{
    "ech-keys",
    "--public-name NAME --out-dir DIR [options]",
    "Makes a new Encrypted Client Hello (ECH) key pair (X25519, HKDF-SHA256, AES-128-GCM and\n"
    "ChaCha20-Poly1305) and writes, in DIR:\n"
    "  ech.key          the private key, 32 raw bytes (mode 0600: keep it as secret as a TLS key)\n"
    "  ech.config       the ECHConfig                       (sslpp server --ech-config, bssl-tool -ech-config)\n"
    "  ech.configlist   the ECHConfigList clients offer     (sslpp client --ech-config-list)\n"
    "then prints the list in base64, as a DNS HTTPS record's ech= parameter carries it.\n"
    "The server must also have a certificate valid for NAME: clients whose config it cannot\n"
    "decrypt authenticate it for that name before they take its new configs.",
    {
        {"--public-name", "NAME", "", "the name observers see instead of the real one (a DNS name the server has a certificate for); required"},
        {"--config-id", "N", "0", "the config id, 0..255 (give a server's keys different ids)"},
        {"--max-name-length", "N", "0", "the longest server name behind this config, for client padding (0: the default)"},
        {"--out-dir", "DIR", "", "where to write the three files (created if missing; existing files are not overwritten); required"},
    },
    "exit status: 0 success, 1 a file cannot be written (or already exists), 2 usage.",
};

unsigned parse_number(std::string_view text, std::string_view option, unsigned max) {
  unsigned v = 0;
  if (text.empty() || text.size() > 3) throw usage_error(fmt::format("{}: '{}' is not a number 0..{}", option, text, max));
  for (char c : text) {
    if (c < '0' || c > '9') throw usage_error(fmt::format("{}: '{}' is not a number 0..{}", option, text, max));
    v = v * 10 + static_cast<unsigned>(c - '0');
  }
  if (v > max) throw usage_error(fmt::format("{}: {} is above {}", option, v, max));
  return v;
}

// Writes a new file (never replacing one: a key pair overwritten by mistake cannot be had back).
void write_new_file(const std::string& path, const std::vector<std::byte>& bytes, mode_t mode) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0)
    throw failure(exit_io, errno == EEXIST ? fmt::format("'{}' already exists: choose another --out-dir, or remove it", path)
                                           : fmt::format("cannot write '{}': {}", path, std::strerror(errno)));
  const bool ok = ::write(fd, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size());
  const int err = errno;
  ::close(fd);
  if (!ok) throw failure(exit_io, fmt::format("cannot write '{}': {}", path, std::strerror(err)));
}

}  // namespace

std::string base64_encode(std::string_view bytes) {
  static constexpr char table[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const unsigned v = static_cast<unsigned char>(bytes[i]) << 16 | static_cast<unsigned char>(bytes[i + 1]) << 8 |
                       static_cast<unsigned char>(bytes[i + 2]);
    out += {table[v >> 18], table[(v >> 12) & 63], table[(v >> 6) & 63], table[v & 63]};
  }
  if (i + 1 == bytes.size()) {
    const unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
    out += {table[v >> 18], table[(v >> 12) & 63], '=', '='};
  } else if (i + 2 == bytes.size()) {
    const unsigned v = static_cast<unsigned char>(bytes[i]) << 16 | static_cast<unsigned char>(bytes[i + 1]) << 8;
    out += {table[v >> 18], table[(v >> 12) & 63], table[(v >> 6) & 63], '='};
  }
  return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  if (text.empty() || text.size() % 4 == 1) return std::nullopt;
  std::string out;
  unsigned acc = 0;
  int bits = 0;
  for (char c : text) {
    int v;
    if (c >= 'A' && c <= 'Z') v = c - 'A';
    else if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
    else if (c >= '0' && c <= '9') v = c - '0' + 52;
    else if (c == '+') v = 62;
    else if (c == '/') v = 63;
    else return std::nullopt;
    acc = (acc << 6 | static_cast<unsigned>(v)) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xff);
    }
  }
  return out;
}

int run_ech_keys(std::span<char* const> args) {
  auto parsed = parse(ech_keys_spec, args);
  if (!parsed) return exit_ok;
  const arguments& a = *parsed;
  if (!a.positional.empty()) throw usage_error(fmt::format("ech-keys: unexpected argument '{}'", a.positional[0]));
  const auto name = a.value("--public-name");
  if (!name) throw usage_error("ech-keys: --public-name NAME is required (see 'sslpp ech-keys --help')");
  const auto dir = a.value("--out-dir");
  if (!dir) throw usage_error("ech-keys: --out-dir DIR is required (see 'sslpp ech-keys --help')");
  const auto id = static_cast<std::uint8_t>(parse_number(a.value_or("--config-id", "0"), "--config-id", 255));
  const std::size_t max_name = parse_number(a.value_or("--max-name-length", "0"), "--max-name-length", 255);

  const auto keys = [&] {
    try {
      return sslpp::ech_keys::generate(id, *name, max_name);
    } catch (const std::invalid_argument& e) {
      throw usage_error(fmt::format("--public-name: {}", e.what()));
    }
  }();
  if (::mkdir(dir->c_str(), 0700) != 0 && errno != EEXIST)
    throw failure(exit_io, fmt::format("cannot create '{}': {}", *dir, std::strerror(errno)));
  const std::string base = *dir + "/";
  // The private key first: if it cannot be written, no config that needs it exists.
  write_new_file(base + "ech.key", keys.private_key_bytes(), 0600);
  write_new_file(base + "ech.config", keys.config(), 0644);
  const auto list = keys.config_list();
  write_new_file(base + "ech.configlist", list, 0644);
  fmt::print("wrote {0}ech.key (private key), {0}ech.config, {0}ech.configlist (config id {1}, public name {2})\n",
             base, id, *name);
  fmt::print("ech={}\n", base64_encode(std::string_view(reinterpret_cast<const char*>(list.data()), list.size())));
  return exit_ok;
}

}  // namespace sslpp_cli
