// sslpp — SPDX-License-Identifier: MIT
//
// hostname.hpp: the server name a client connects to, checked at compile time when it is
// a literal (as fmt checks a format string) and by runtime_hostname() when it is not.
#pragma once

#include <sslpp/config.hpp>

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

SSLPP_BEGIN_NAMESPACE

/// hostname_fault: what is wrong with a host name, or `none`.
enum class hostname_fault {
  none,
  empty,
  nul_byte,
  leading_dot,
  empty_label,
  several_trailing_dots,
  label_too_long,
  name_too_long,
  bad_character,
  non_ascii,
  bad_ip_address,
  address_with_trailing_dot,
};

namespace detail {

constexpr bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
constexpr bool is_hex(char c) noexcept {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
constexpr bool is_host_char(char c) noexcept {
  return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '_';
}

/// looks_like_ipv4: dotted-quad text, each part 0..255 in at most three digits.
constexpr bool looks_like_ipv4(std::string_view s) noexcept {
  int parts = 0;
  std::size_t i = 0;
  while (i <= s.size()) {
    std::size_t digits = 0;
    int value = 0;
    while (i < s.size() && is_digit(s[i])) {
      if (++digits > 3) return false;  // before value can overflow on a long run of digits
      // "010": getaddrinfo reads a leading zero as octal (127.0.0.8) where the certificate
      // check reads decimal (127.0.0.10), CVE-2021-29921's ambiguity: refused.
      if (digits == 2 && value == 0) return false;
      value = value * 10 + (s[i] - '0');
      ++i;
    }
    if (digits == 0 || value > 255) return false;
    ++parts;
    if (i == s.size()) break;
    if (s[i] != '.') return false;
    ++i;
  }
  return parts == 4;
}

/// looks_like_ipv6: RFC 4291 text: up to eight groups of one to four hex digits separated
/// by colons, at most one "::" standing for the missing groups, and optionally a dotted
/// IPv4 address in place of the last two groups. No zone ("%eth0") and no brackets.
constexpr bool looks_like_ipv6(std::string_view s) noexcept {
  if (s.size() < 2) return false;
  int groups = 0;
  bool compressed = false;
  std::size_t i = 0;
  if (s[0] == ':') {
    if (s[1] != ':') return false;
    compressed = true;
    i = 2;
    if (i == s.size()) return true;  // "::"
  }
  while (i < s.size()) {
    const std::size_t start = i;
    while (i < s.size() && is_hex(s[i]) && i - start < 5) ++i;
    if (i < s.size() && s[i] == '.') {  // an IPv4 tail takes two groups
      if (!looks_like_ipv4(s.substr(start))) return false;
      groups += 2;
      i = s.size();
      break;
    }
    const std::size_t len = i - start;
    if (len == 0 || len > 4) return false;
    ++groups;
    if (i == s.size()) break;
    if (s[i] != ':') return false;
    ++i;
    if (i < s.size() && s[i] == ':') {
      if (compressed) return false;  // a second "::"
      compressed = true;
      ++i;
      if (i == s.size()) break;  // ends with "::"
    } else if (i == s.size()) {
      return false;  // ends with a single ':'
    }
  }
  return compressed ? groups <= 7 : groups == 8;
}

/// has_numeric_top_label: whether the last label (after one trailing dot is removed) is
/// all digits. No top-level domain is numeric (RFC 3696 §2), so such a name must be an
/// IPv4 address.
constexpr bool has_numeric_top_label(std::string_view name) noexcept {
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  const auto dot = name.rfind('.');
  const std::string_view top = dot == std::string_view::npos ? name : name.substr(dot + 1);
  if (top.empty()) return false;
  for (char c : top)
    if (!is_digit(c)) return false;
  return true;
}

/// host_fault: the first rule `name` breaks, or hostname_fault::none.
constexpr hostname_fault host_fault(std::string_view name) noexcept {
  if (name.empty()) return hostname_fault::empty;
  for (char c : name) {
    if (c == '\0') return hostname_fault::nul_byte;
    if (static_cast<unsigned char>(c) >= 0x80) return hostname_fault::non_ascii;
  }
  if (name.find(':') != std::string_view::npos) {  // only IPv6 text holds ':' ("host:443" is not a host name)
    for (char c : name)
      if (!is_hex(c) && c != ':' && c != '.') return hostname_fault::bad_character;
    return looks_like_ipv6(name) ? hostname_fault::none : hostname_fault::bad_ip_address;
  }
  if (name.front() == '.') return hostname_fault::leading_dot;
  if (name.size() >= 2 && name.substr(name.size() - 2) == "..") return hostname_fault::several_trailing_dots;
  if (name.back() == '.') {
    name.remove_suffix(1);
    // "127.0.0.1." is neither an address (the dot is no part of one) nor a host name (no
    // top-level domain is numeric): refused, so it is never sent as SNI (RFC 6066 §3
    // forbids address literals there) nor checked as a DNS name.
    if (looks_like_ipv4(name)) return hostname_fault::address_with_trailing_dot;
  }
  if (name.size() > 253) return hostname_fault::name_too_long;
  std::size_t label = 0;
  for (char c : name) {
    if (c == '.') {
      if (label == 0) return hostname_fault::empty_label;
      label = 0;
      continue;
    }
    if (!is_host_char(c)) return hostname_fault::bad_character;
    if (++label > 63) return hostname_fault::label_too_long;
  }
  if (has_numeric_top_label(name) && !looks_like_ipv4(name)) return hostname_fault::bad_ip_address;
  return hostname_fault::none;
}

// Called only from the consteval constructor of `hostname` when a literal is bad: they are
// not constexpr, so the compiler stops there, and both its error line (the function's
// name) and its "declared here" note (this line, with its comment) say what is wrong.
void hostname_literal_is_empty();  // a host name cannot be empty: give the server's name, or sslpp::no_hostname
void hostname_literal_contains_a_nul_byte();  // a NUL byte would cut the name short in SNI and the host name check
void hostname_literal_starts_with_a_dot();  // a host name cannot start with '.': write "example.org", not ".example.org"
void hostname_literal_has_two_dots_in_a_row();  // "a..b" has an empty label between the dots
void hostname_literal_ends_with_more_than_one_dot();  // at most one trailing dot: "example.org." is fine, "example.org.." is not
void hostname_literal_has_a_label_longer_than_63_characters();  // each dot-separated label holds 63 characters at most (RFC 1035)
void hostname_literal_is_longer_than_253_characters();  // a host name holds 253 characters at most (RFC 1035)
void hostname_literal_has_a_character_a_host_name_cannot_hold();  // letters, digits, '-', '_' and '.' only (no spaces, ports, slashes or brackets)
void hostname_literal_is_not_ascii_use_the_idna_a_label_form_xn__();  // convert an internationalised name to its xn-- form first
void hostname_literal_is_not_a_valid_ip_address();  // IPv4 as a.b.c.d (0-255 each), IPv6 as RFC 4291 text without brackets or zone
void hostname_literal_is_an_ip_address_with_a_trailing_dot();  // write the address without the dot: "127.0.0.1", not "127.0.0.1."

/// a_name_in_a_variable_needs_sslpp_runtime_hostname: the defaulted last parameter of the
/// deleted constructors of `hostname`, so that g++'s first error line ("use of deleted
/// function hostname::hostname(const std::string&, ...)") already names the fix.
struct a_name_in_a_variable_needs_sslpp_runtime_hostname {};

}  // namespace detail

/// describe: a sentence saying what is wrong with a host name.
constexpr const char* describe(hostname_fault f) noexcept {
  switch (f) {
    case hostname_fault::none: return "valid";
    case hostname_fault::empty: return "is empty";
    case hostname_fault::nul_byte: return "contains a NUL byte";
    case hostname_fault::leading_dot: return "starts with a dot";
    case hostname_fault::empty_label: return "has two dots in a row (an empty label)";
    case hostname_fault::several_trailing_dots: return "ends with more than one dot";
    case hostname_fault::label_too_long: return "has a label longer than 63 characters";
    case hostname_fault::name_too_long: return "is longer than 253 characters";
    case hostname_fault::bad_character:
      return "has a character a host name cannot hold (letters, digits, '-', '_' and '.' only: no port, "
             "scheme, path, brackets or spaces)";
    case hostname_fault::non_ascii: return "is not ASCII (use its IDNA A-label form, xn--...)";
    case hostname_fault::bad_ip_address:
      return "is not a valid IP address (IPv4 as a.b.c.d with parts 0-255, IPv6 as RFC 4291 text without brackets)";
    case hostname_fault::address_with_trailing_dot:
      return "is an IP address with a trailing dot (neither an address nor a host name: write the address without "
             "the dot)";
  }
  return "is invalid";
}

/// no_hostname_t: the type of `no_hostname`.
struct no_hostname_t {
  explicit constexpr no_hostname_t() = default;
};

/// no_hostname: connect without SNI and without a host name check.
///
/// WARNING: without a host name, any certificate the trust store accepts is accepted, for
/// any site. `wrap_socket` refuses it at run time while the context's `check_hostname` is on.
inline constexpr no_hostname_t no_hostname{};

/// hostname: the server name a client wraps a socket for, used for SNI and the host name check.
///
/// A string literal converts implicitly and is checked at compile time: an empty name, a
/// leading dot, two dots in a row, more than one trailing dot, a NUL byte, a label over 63
/// or a name over 253 characters, a character a host name cannot hold, non-ASCII text, or
/// a malformed IP address (a numeric top label, or text with ':') does not compile. IPv4
/// and IPv6 address literals are accepted (no SNI is sent for them). A name known only at run time goes through `runtime_hostname(str)`.
/// The value holds its own copy of the text, so it may outlive the string it was made from.
class hostname {
 public:
  /// Checks a literal at compile time.
  template <std::size_t N>
  consteval hostname(const char (&literal)[N]) {  // NOLINT(google-explicit-constructor)
    switch (detail::host_fault(std::string_view(literal, N - 1))) {
      case hostname_fault::none: break;
      case hostname_fault::empty: detail::hostname_literal_is_empty(); break;
      case hostname_fault::nul_byte: detail::hostname_literal_contains_a_nul_byte(); break;
      case hostname_fault::leading_dot: detail::hostname_literal_starts_with_a_dot(); break;
      case hostname_fault::empty_label: detail::hostname_literal_has_two_dots_in_a_row(); break;
      case hostname_fault::several_trailing_dots: detail::hostname_literal_ends_with_more_than_one_dot(); break;
      case hostname_fault::label_too_long: detail::hostname_literal_has_a_label_longer_than_63_characters(); break;
      case hostname_fault::name_too_long: detail::hostname_literal_is_longer_than_253_characters(); break;
      case hostname_fault::bad_character: detail::hostname_literal_has_a_character_a_host_name_cannot_hold(); break;
      case hostname_fault::non_ascii: detail::hostname_literal_is_not_ascii_use_the_idna_a_label_form_xn__(); break;
      case hostname_fault::bad_ip_address: detail::hostname_literal_is_not_a_valid_ip_address(); break;
      case hostname_fault::address_with_trailing_dot:
        detail::hostname_literal_is_an_ip_address_with_a_trailing_dot();
        break;
    }
    for (std::size_t i = 0; i + 1 < N; ++i) text_[i] = literal[i];
    size_ = static_cast<std::uint8_t>(N - 1);
  }

  /// A name held in a variable is not a literal, so it cannot be checked at compile time:
  /// it goes through `runtime_hostname(name)`, which checks it at run time. These deleted
  /// conversions make that mistake one error naming the fix (not a page of candidates).
  /// A string literal still takes the consteval constructor above: it binds to
  /// `const char (&)[N]` exactly and that template is more specialised than the pointer one.
  hostname(const std::string&, detail::a_name_in_a_variable_needs_sslpp_runtime_hostname = {}) = delete;  // a host name held in a std::string is known only at run time: pass sslpp::runtime_hostname(name), which checks it and throws std::invalid_argument naming the fault
  /// See above: a `std::string_view` goes through `runtime_hostname(name)`.
  hostname(std::string_view, detail::a_name_in_a_variable_needs_sslpp_runtime_hostname = {}) = delete;  // a host name held in a std::string_view is known only at run time: pass sslpp::runtime_hostname(name), which checks it and throws std::invalid_argument naming the fault
  /// See above: a `const char*` (or `char*`, e.g. `argv[1]`) goes through `runtime_hostname(name)`.
  template <class P>
    requires std::same_as<P, const char*> || std::same_as<P, char*>
  hostname(P, detail::a_name_in_a_variable_needs_sslpp_runtime_hostname = {}) = delete;  // a host name held in a const char* is known only at run time: pass sslpp::runtime_hostname(name), which checks it and throws std::invalid_argument naming the fault
  /// See above: a non-const `char` array (a buffer filled at run time) goes through `runtime_hostname(name)`.
  template <std::size_t N>
  hostname(char (&)[N], detail::a_name_in_a_variable_needs_sslpp_runtime_hostname = {}) = delete;  // a host name held in a char array is known only at run time: pass sslpp::runtime_hostname(name), which checks it and throws std::invalid_argument naming the fault

  /// Spells out "no host name": see `no_hostname`.
  constexpr hostname(no_hostname_t) noexcept : none_(true) {}  // NOLINT(google-explicit-constructor)

  /// name: the name as given (one trailing dot kept), or "" for `no_hostname`. The view
  /// refers to this object's own copy of the text.
  constexpr std::string_view name() const noexcept { return {text_, size_}; }
  /// is_none: whether this is `no_hostname`.
  constexpr bool is_none() const noexcept { return none_; }
  /// is_ip_address: whether the name is an IPv4 or IPv6 address (no SNI is sent for those).
  constexpr bool is_ip_address() const noexcept {
    return detail::looks_like_ipv4(name()) || detail::looks_like_ipv6(name());
  }
  /// canonical: the name with one trailing dot stripped, as SNI and the host name check use it.
  constexpr std::string_view canonical() const noexcept {
    const std::string_view n = name();
    return (!n.empty() && n.back() == '.') ? n.substr(0, n.size() - 1) : n;
  }

 private:
  // The longest valid name: 253 characters and one trailing dot (IPv6 text is shorter).
  static constexpr std::size_t max_size = 254;
  struct checked_t {};
  constexpr hostname(checked_t, std::string_view name) noexcept : size_(static_cast<std::uint8_t>(name.size())) {
    for (std::size_t i = 0; i < name.size(); ++i) text_[i] = name[i];
  }
  friend hostname runtime_hostname(std::string_view name);

  // The text is copied in (no allocation, so a literal still converts at compile time):
  // a hostname made from a temporary std::string must not refer to freed memory.
  char text_[max_size]{};
  std::uint8_t size_ = 0;
  bool none_ = false;
};

/// runtime_hostname: checks a host name known only at run time with the rules a literal
/// meets at compile time; throws std::invalid_argument naming the fault and the name.
/// The result holds its own copy of the name.
inline hostname runtime_hostname(std::string_view name) {
  const hostname_fault fault = detail::host_fault(name);
  if (fault != hostname_fault::none) {
    std::string shown(name.substr(0, 80));
    for (char& c : shown)
      if (c == '\0') c = '?';
    throw std::invalid_argument("invalid host name '" + shown + (name.size() > 80 ? "...'" : "'") + ": it " +
                                describe(fault));
  }
  return hostname(hostname::checked_t{}, name);
}

SSLPP_END_NAMESPACE
