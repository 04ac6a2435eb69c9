// sslpp — SPDX-License-Identifier: MIT
//
// literals.hpp: the argument types of set_alpn_protocols, set_groups, set_ciphers and
// set_client_sigalgs / set_server_sigalgs that
// check a literal at compile time, as fmt's format_string does: a bad name in
// `ctx.set_groups({"X25519", "P-255"})` does not compile, and the compiler's message names
// the rule. Values known only at run time take the other overloads (a std::vector or any
// range of strings, a std::string), which check the same rules at run time and throw
// std::invalid_argument.
#pragma once

#include <sslpp/config.hpp>
#include <sslpp/detail/feature_rules.hpp>

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <type_traits>

SSLPP_BEGIN_NAMESPACE

namespace detail {

/// literal_list_capacity: how many names a braced literal list may hold (ALPN, groups).
inline constexpr std::size_t literal_list_capacity = 16;

// Called only from the consteval constructors below when a literal breaks a rule: they
// are not constexpr, so the compiler stops there, names the function, and prints this
// line, comment included, in its "declared here" note.
void alpn_literal_has_an_empty_protocol_name();  // an ALPN protocol name is 1 to 255 bytes (RFC 7301): remove the "" from the list
void alpn_literal_has_a_protocol_name_longer_than_255_bytes();  // an ALPN protocol name is 1 to 255 bytes (RFC 7301)
void group_literal_names_a_group_this_backend_does_not_know();  // known: X25519, P-256, P-384, P-521, P-224, CECPQ2, and secp256r1, secp384r1, secp521r1, secp224r1, prime256v1, x25519
void group_literal_has_an_empty_name();  // a group name cannot be empty
void sigalg_literal_names_a_signature_algorithm_this_backend_does_not_know();  // known: ecdsa_secp256r1_sha256, ecdsa_secp384r1_sha384, ecdsa_secp521r1_sha512, rsa_pss_rsae_sha256, rsa_pss_rsae_sha384, rsa_pss_rsae_sha512, rsa_pkcs1_sha256, rsa_pkcs1_sha384, rsa_pkcs1_sha512, ed25519, rsa_pkcs1_sha1, ecdsa_sha1 (TLS 1.3 scheme names, not OpenSSL's "RSA+SHA256" form)
void sigalg_literal_has_an_empty_name();  // a signature algorithm name cannot be empty: no "" and no '::' or ':' at an end
void sigalg_literal_has_more_names_than_a_literal_list_holds();  // at most 24 names in a literal list: pass a std::vector<std::string> instead
void cipher_literal_names_a_cipher_or_keyword_this_backend_does_not_know();  // suite names (ECDHE-RSA-AES128-GCM-SHA256 or TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256) and BoringSSL's keywords (ECDHE, AESGCM, CHACHA20, HIGH, ...) only; case matters (a run-time std::string skips unknown names, as OpenSSL does)
void cipher_literal_combines_a_suite_name_with_plus();  // '+' joins keywords ("ECDHE+AESGCM"); a full suite name stands alone
void cipher_literal_has_an_empty_rule();  // two '+' or '|' in a row, or a bare '!', '-' or '+' prefix
void cipher_literal_uses_a_separator_other_than_colon();  // separate cipher rules with ':' ("ECDHE+AESGCM:ECDHE+CHACHA20")
void cipher_literal_has_an_unknown_at_command();  // BoringSSL knows only @STRENGTH (there are no @SECLEVEL security levels; a run-time std::string applies an @SECLEVEL=n that raises the level and skips one that does not)
void cipher_literal_has_a_malformed_prefix_or_group();  // a prefix ('!', '-', '+') needs a rule; "[A|B]" groups need their ']'; '~' is not a prefix
void cipher_literal_selects_no_cipher_suite();  // every rule only removes or reorders: add one that selects suites, e.g. "ECDHE+AESGCM"

// The OpenSSL names real configurations use that this backend does not have, each with its
// own function so that the compiler's error names the token (nginx's "HIGH:!aNULL:!MD5",
// Mozilla's intermediate list with DHE-RSA-... suites, Python's default string). A
// run-time string skips them, as OpenSSL skips names it does not know.
void cipher_literal_names_aNULL_which_this_backend_does_not_have();  // BoringSSL has no anonymous suites, so "!aNULL" excludes nothing: drop it (a run-time string skips it)
void cipher_literal_names_eNULL_which_this_backend_does_not_have();  // BoringSSL has no unencrypted suites, so "!eNULL" excludes nothing: drop it (a run-time string skips it)
void cipher_literal_names_NULL_which_this_backend_does_not_have();  // BoringSSL has no unencrypted suites, so "!NULL" excludes nothing: drop it (a run-time string skips it)
void cipher_literal_names_MD5_which_this_backend_does_not_have();  // BoringSSL has no MD5 suites, so "!MD5" excludes nothing: drop it (a run-time string skips it)
void cipher_literal_names_RC4_which_this_backend_does_not_have();  // BoringSSL has no RC4 suites, so "!RC4" excludes nothing: drop it (a run-time string skips it)
void cipher_literal_names_DES_which_this_backend_does_not_have();  // BoringSSL has no single-DES suites (3DES is "3DES"): drop it (a run-time string skips it)
void cipher_literal_names_EXPORT_which_this_backend_does_not_have();  // BoringSSL has no export suites, so "!EXP" / "!EXPORT" excludes nothing: drop it (a run-time string skips it)
void cipher_literal_names_LOW_or_MEDIUM_which_this_backend_does_not_have();  // BoringSSL has no LOW or MEDIUM keyword (OpenSSL's MEDIUM is 3DES: write "3DES"); a run-time string skips it
void cipher_literal_names_DHE_which_this_backend_does_not_have();  // BoringSSL has no finite-field DHE suites (DHE, EDH, kDHE, kEDH, DHE-RSA-...): use the ECDHE ones; a run-time string skips it
void cipher_literal_names_DSS_which_this_backend_does_not_have();  // BoringSSL has no DSA suites, so "!aDSS" / "!DSS" excludes nothing: drop it (a run-time string skips it)
void cipher_literal_names_a_cipher_this_backend_does_not_have_CAMELLIA_ARIA_SEED_IDEA_CCM();  // BoringSSL has AES-GCM, AES-CBC, ChaCha20-Poly1305 and 3DES only: drop it (a run-time string skips it)
void cipher_literal_names_SHA256_or_SHA384_which_this_backend_does_not_have();  // OpenSSL's SHA256/SHA384 keywords (and ...-SHA256 / -SHA384 CBC suites) select CBC suites BoringSSL lacks; a run-time string skips them
void cipher_literal_names_SRP_which_this_backend_does_not_have();  // BoringSSL has no SRP suites, so "!SRP" excludes nothing: drop it (a run-time string skips it)
void cipher_literal_names_COMPLEMENTOFDEFAULT_or_COMPLEMENTOFALL_which_this_backend_does_not_have();  // BoringSSL lacks these OpenSSL keywords; a run-time string skips them

constexpr bool starts_with(std::string_view s, std::string_view prefix) noexcept {
  return s.substr(0, prefix.size()) == prefix;
}

constexpr bool contains(std::string_view s, std::string_view part) noexcept {
  return s.find(part) != std::string_view::npos;
}

/// report_openssl_only_token: stops the compilation with a function naming `token` when it
/// is one of the OpenSSL names real configurations use.
constexpr void report_openssl_only_token(std::string_view token) {
  if (token == "aNULL" || token == "ADH" || token == "AECDH") cipher_literal_names_aNULL_which_this_backend_does_not_have();
  if (token == "eNULL") cipher_literal_names_eNULL_which_this_backend_does_not_have();
  if (token == "NULL") cipher_literal_names_NULL_which_this_backend_does_not_have();
  if (token == "MD5") cipher_literal_names_MD5_which_this_backend_does_not_have();
  if (token == "RC4" || contains(token, "RC4-")) cipher_literal_names_RC4_which_this_backend_does_not_have();
  if (token == "DES") cipher_literal_names_DES_which_this_backend_does_not_have();
  if (token == "EXP" || token == "EXPORT") cipher_literal_names_EXPORT_which_this_backend_does_not_have();
  if (token == "LOW" || token == "MEDIUM") cipher_literal_names_LOW_or_MEDIUM_which_this_backend_does_not_have();
  if (token == "DHE" || token == "EDH" || token == "kDHE" || token == "kEDH" || token == "DH" ||
      starts_with(token, "DHE-") || starts_with(token, "EDH-") || starts_with(token, "TLS_DHE_"))
    cipher_literal_names_DHE_which_this_backend_does_not_have();
  if (token == "DSS" || token == "aDSS") cipher_literal_names_DSS_which_this_backend_does_not_have();
  if (contains(token, "CAMELLIA") || contains(token, "ARIA") || contains(token, "SEED") || contains(token, "IDEA") ||
      contains(token, "CCM"))
    cipher_literal_names_a_cipher_this_backend_does_not_have_CAMELLIA_ARIA_SEED_IDEA_CCM();
  if (token == "SHA256" || token == "SHA384" || token.ends_with("-SHA256") || token.ends_with("-SHA384"))
    cipher_literal_names_SHA256_or_SHA384_which_this_backend_does_not_have();
  if (token == "SRP" || token == "kSRP" || token == "aSRP")
    cipher_literal_names_SRP_which_this_backend_does_not_have();
  if (token == "COMPLEMENTOFDEFAULT" || token == "COMPLEMENTOFALL")
    cipher_literal_names_COMPLEMENTOFDEFAULT_or_COMPLEMENTOFALL_which_this_backend_does_not_have();
}

/// unknown_cipher_token: the first name or keyword of the element at `where` in `list`
/// that this backend does not know.
constexpr std::string_view unknown_cipher_token(std::string_view list, std::size_t where) {
  std::string_view element = list.substr(where);
  element = element.substr(0, element.find(':'));
  if (!element.empty() && (element[0] == '!' || element[0] == '-' || element[0] == '+')) element.remove_prefix(1);
  if (!element.empty() && element[0] == '[') element = element.substr(1, element.find(']') - 1);
  for (std::size_t start = 0;;) {
    const std::size_t sep = element.find_first_of("+|", start);
    const std::string_view term =
        element.substr(start, sep == std::string_view::npos ? std::string_view::npos : sep - start);
    if (!term.empty() && !is_cipher_alias(term) && !is_cipher_suite_name(term)) return term;
    if (sep == std::string_view::npos) return element;
    start = sep + 1;
  }
}

/// report_cipher_fault: stops the compilation with the function naming `fault`'s rule
/// (and, for an OpenSSL name this backend lacks, the name itself).
constexpr void report_cipher_fault(std::string_view fault, std::string_view token = {}) {
  if (fault.empty()) return;
  if (starts_with(fault, "unknown cipher")) report_openssl_only_token(token);
  if (starts_with(fault, "unknown cipher")) cipher_literal_names_a_cipher_or_keyword_this_backend_does_not_know();
  else if (starts_with(fault, "a cipher suite name cannot")) cipher_literal_combines_a_suite_name_with_plus();
  else if (starts_with(fault, "an empty")) cipher_literal_has_an_empty_rule();
  else if (starts_with(fault, "cipher strings are separated")) cipher_literal_uses_a_separator_other_than_colon();
  else if (starts_with(fault, "unknown '@'")) cipher_literal_has_an_unknown_at_command();
  else if (starts_with(fault, "the cipher string selects no suite")) cipher_literal_selects_no_cipher_suite();
  else cipher_literal_has_a_malformed_prefix_or_group();
}

}  // namespace detail

namespace detail {
/// literal_names: the storage and iteration of a braced list of name literals checked at
/// compile time (alpn_list, group_list); each list checks its names as it is made.
class literal_names {
 public:
  /// begin, end: the names, in preference order.
  constexpr const std::string_view* begin() const noexcept { return names_.data(); }
  constexpr const std::string_view* end() const noexcept { return names_.data() + size_; }
  /// size: how many names.
  constexpr std::size_t size() const noexcept { return size_; }

 protected:
  constexpr literal_names() noexcept = default;
  template <std::size_t... N>
  constexpr explicit literal_names(const char (&... names)[N]) noexcept
      : names_{std::string_view(names, N - 1)...}, size_(sizeof...(N)) {}

 private:
  std::array<std::string_view, literal_list_capacity> names_{};
  std::size_t size_ = 0;
};
}  // namespace detail

/// alpn_list: a braced list of ALPN protocol name literals, `{"h2", "http/1.1"}`, checked
/// at compile time: an empty name or one over 255 bytes does not compile. An empty list
/// `{}` is allowed (it turns ALPN off). At most 16 names; a longer or run-time list goes
/// in a std::vector<std::string>, which set_alpn_protocols checks at run time.
class alpn_list : public detail::literal_names {
 public:
  /// An empty list: no ALPN.
  constexpr alpn_list() noexcept = default;

  /// Checks each literal at compile time.
  template <std::size_t... N>
    requires(sizeof...(N) >= 1 && sizeof...(N) <= detail::literal_list_capacity)
  consteval alpn_list(const char (&... names)[N])  // NOLINT(google-explicit-constructor)
      : literal_names(names...) {
    for (const std::string_view name : *this) {
      if (name.empty()) detail::alpn_literal_has_an_empty_protocol_name();
      if (name.size() > 255) detail::alpn_literal_has_a_protocol_name_longer_than_255_bytes();
    }
  }
};

/// group_list: a braced list of key-exchange group name literals, `{"X25519", "P-256"}`,
/// checked at compile time against the groups this backend implements (see
/// detail::known_groups): an unknown, empty or missing name does not compile. At most 16
/// names; a run-time list goes in a std::vector<std::string>, checked at run time.
class group_list : public detail::literal_names {
 public:
  /// An empty list `{}` does not compile: a context needs at least one group.
  group_list() = delete;  // set_groups needs at least one group, e.g. set_groups({"X25519", "P-256"})

  /// Checks each literal at compile time.
  template <std::size_t... N>
    requires(sizeof...(N) >= 1 && sizeof...(N) <= detail::literal_list_capacity)
  consteval group_list(const char (&... names)[N])  // NOLINT(google-explicit-constructor)
      : literal_names(names...) {
    for (const std::string_view name : *this) {
      if (name.empty()) detail::group_literal_has_an_empty_name();
      if (!detail::find_group(name)) detail::group_literal_names_a_group_this_backend_does_not_know();
    }
  }
};

/// sigalg_list: the argument of set_client_sigalgs and set_server_sigalgs: TLS
/// signature algorithm names (RFC 8446's SignatureScheme names, as Python 3.15's
/// get_sigalgs() lists them), most preferred first, written as Python writes them — one
/// colon-separated string, `"ecdsa_secp256r1_sha256:rsa_pss_rsae_sha256"` — or as a braced
/// list, `{"ecdsa_secp256r1_sha256", "rsa_pss_rsae_sha256"}`. Literals are checked at
/// compile time against the algorithms this backend implements (detail::known_sigalgs):
/// an unknown or empty name does not compile, and the compiler's message shows the list.
/// A run-time string (std::string, std::string_view, const char*) is checked when it is
/// set, and an unknown name throws std::invalid_argument naming it. A run-time value is
/// referred to, not copied, as std::string_view does.
class sigalg_list {
 public:
  /// An empty list `{}` does not compile: a setting needs at least one algorithm.
  sigalg_list() = delete;  // set_client_sigalgs / set_server_sigalgs need at least one algorithm, e.g. {"ecdsa_secp256r1_sha256"}

  /// Checks a literal of names separated by ':' at compile time.
  template <std::size_t N>
  consteval sigalg_list(const char (&literal)[N]) : literal_(true) {  // NOLINT(google-explicit-constructor)
    add_literal(std::string_view(literal, N - 1));
  }
  /// Checks each literal of a braced list (each may hold names separated by ':') at compile time.
  template <std::size_t... N>
    requires(sizeof...(N) >= 2 && sizeof...(N) <= detail::literal_list_capacity)
  consteval sigalg_list(const char (&... literals)[N])  // NOLINT(google-explicit-constructor)
      : literal_(true) {
    (add_literal(std::string_view(literals, N - 1)), ...);
  }
  /// Takes a run-time string of names separated by ':', checked when it is set.
  sigalg_list(const std::string& text) noexcept : text_(text) {}  // NOLINT(google-explicit-constructor)
  /// Takes a run-time string of names separated by ':', checked when it is set.
  constexpr sigalg_list(std::string_view text) noexcept : text_(text) {}  // NOLINT(google-explicit-constructor)
  /// Takes a run-time C string of names separated by ':', checked when it is set. (A
  /// template, so that a literal, an array, still picks the checking constructor above.)
  template <class P>
    requires(std::is_same_v<P, const char*> || std::is_same_v<P, char*>)
  constexpr sigalg_list(P text) noexcept : text_(text) {}  // NOLINT(google-explicit-constructor)

  /// checked: whether the names were checked at compile time.
  constexpr bool checked() const noexcept { return literal_; }

  /// for_each_name: calls `f(std::string_view)` with each name in order (a run-time
  /// string split at ':', unchecked).
  template <class F>
  constexpr void for_each_name(F&& f) const {
    if (literal_) {
      for (std::size_t i = 0; i < size_; ++i) f(names_[i]);
      return;
    }
    for (std::size_t start = 0;;) {
      const std::size_t colon = text_.find(':', start);
      f(text_.substr(start, colon == std::string_view::npos ? std::string_view::npos : colon - start));
      if (colon == std::string_view::npos) return;
      start = colon + 1;
    }
  }

 private:
  static constexpr std::size_t capacity = 24;

  consteval void add_literal(std::string_view text) {
    for (std::size_t start = 0;;) {
      const std::size_t colon = text.find(':', start);
      const std::string_view name =
          text.substr(start, colon == std::string_view::npos ? std::string_view::npos : colon - start);
      if (name.empty()) detail::sigalg_literal_has_an_empty_name();
      if (!detail::find_sigalg(name)) detail::sigalg_literal_names_a_signature_algorithm_this_backend_does_not_know();
      if (size_ == capacity) detail::sigalg_literal_has_more_names_than_a_literal_list_holds();
      names_[size_++] = name;
      if (colon == std::string_view::npos) return;
      start = colon + 1;
    }
  }

  std::array<std::string_view, capacity> names_{};
  std::size_t size_ = 0;
  std::string_view text_;
  bool literal_ = false;
};

/// cipher_list: the argument of set_ciphers. A string literal is checked at compile time
/// with BoringSSL's cipher-string grammar and the suite names and keywords this backend
/// knows (detail::cipher_suite_names, detail::cipher_aliases): an unknown name, a ',' for
/// a ':' or an OpenSSL-only keyword such as "!aNULL" or "@SECLEVEL=2" does not compile,
/// and for the OpenSSL names configurations use the error names the token. A
/// std::string or std::string_view (a configuration file's string) is read at run time
/// as OpenSSL reads it: what this backend lacks is skipped (context::cipher_list_skipped)
/// and set_ciphers throws ssl_error only when no suite remains. The value refers to the
/// characters it was made from, as std::string_view does.
class cipher_list {
 public:
  /// Checks a literal at compile time.
  template <std::size_t N>
  consteval cipher_list(const char (&literal)[N]) : text_(literal, N - 1) {  // NOLINT(google-explicit-constructor)
    std::size_t where = 0;
    const std::string_view fault = detail::cipher_list_fault(text_, &where);
    if (!fault.empty()) detail::report_cipher_fault(fault, detail::unknown_cipher_token(text_, where));
  }
  /// Takes a run-time string, checked by the backend when it is set.
  cipher_list(const std::string& text) noexcept : text_(text) {}  // NOLINT(google-explicit-constructor)
  /// Takes a run-time string, checked by the backend when it is set.
  constexpr cipher_list(std::string_view text) noexcept : text_(text) {}  // NOLINT(google-explicit-constructor)
  /// Takes a run-time C string, checked by the backend when it is set. (A template, so
  /// that a literal, an array, still picks the checking constructor above.)
  template <class P>
    requires(std::is_same_v<P, const char*> || std::is_same_v<P, char*>)
  constexpr cipher_list(P text) noexcept : text_(text) {}  // NOLINT(google-explicit-constructor)

  /// text: the cipher string.
  constexpr std::string_view text() const noexcept { return text_; }

 private:
  std::string_view text_;
};

SSLPP_END_NAMESPACE
