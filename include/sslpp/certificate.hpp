// sslpp — SPDX-License-Identifier: MIT
//
// certificate.hpp: sslpp::certificate, an X.509 certificate (RAII; copies share it).
#pragma once

#include <sslpp/config.hpp>
#include <sslpp/detail/backend_fwd.hpp>
#include <sslpp/digest.hpp>
#include <sslpp/error.hpp>
#include <sslpp/hostname.hpp>

#include <sslpp/detail/chrono.hpp>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

SSLPP_BEGIN_NAMESPACE

/// name_attribute: one attribute of a distinguished name: its name as Python spells it
/// ("commonName", "organizationName", "countryName", ..., or the dotted OID when the
/// backend does not know it) and its value as UTF-8.
struct name_attribute {
  std::string name;   ///< Python's attribute name, or a dotted OID
  std::string value;  ///< the value, UTF-8
  friend bool operator==(const name_attribute&, const name_attribute&) = default;
};

/// relative_distinguished_name: one RDN — usually one attribute, several in a
/// multi-valued RDN ("OU=Unit+UID=42").
using relative_distinguished_name = std::vector<name_attribute>;

/// distinguished_name: an X.509 name as the ordered sequence of its RDNs, in certificate
/// order (Python's `((('countryName', 'DE'),), (('commonName', 'x'),))`).
/// `fmt::format("{}", dn)` (with <sslpp/format.hpp>) prints that Python tuple form;
/// `rfc4514()` gives "CN=x,C=DE".
class distinguished_name {
 public:
  using value_type = relative_distinguished_name;
  using const_iterator = std::vector<relative_distinguished_name>::const_iterator;

  distinguished_name() = default;
  /// Makes a name from its RDNs, in certificate order.
  explicit distinguished_name(std::vector<relative_distinguished_name> rdns) : rdns_(std::move(rdns)) {}

  /// begin / end: the RDNs in certificate order.
  const_iterator begin() const noexcept { return rdns_.begin(); }
  const_iterator end() const noexcept { return rdns_.end(); }
  /// size: the number of RDNs.
  std::size_t size() const noexcept { return rdns_.size(); }
  /// empty: whether the name has no RDN.
  bool empty() const noexcept { return rdns_.empty(); }
  /// operator[]: the i-th RDN.
  const relative_distinguished_name& operator[](std::size_t i) const { return rdns_.at(i); }
  /// rdns: the RDNs as a vector.
  const std::vector<relative_distinguished_name>& rdns() const noexcept { return rdns_; }

  /// get: the value of the first attribute called `name` ("commonName" or a dotted OID),
  /// or nullopt.
  std::optional<std::string> get(std::string_view name) const;

  /// rfc4514: the name as RFC 4514 text, as `openssl x509 -nameopt RFC2253,-esc_msb`
  /// prints it: attributes in reverse order, RDNs joined by ',', the attributes of a
  /// multi-valued RDN by '+', short names where RFC 4514 and
  /// OpenSSL have them (CN, O, OU, C, ST, L, street, DC, UID, emailAddress, ...), special
  /// characters escaped with '\'. Unlike RFC 4514 §2.4, an attribute known only by its
  /// OID shows its value as text rather than as '#' and its DER in hex.
  std::string rfc4514() const;

  friend bool operator==(const distinguished_name&, const distinguished_name&) = default;

 private:
  static std::string_view short_name(std::string_view long_name) noexcept;
  static void append_escaped(std::string& out, std::string_view v);

  std::vector<relative_distinguished_name> rdns_;
};

/// general_name_kind: the kind of a subjectAltName entry. `to_string(kind)` gives
/// Python's tag for it ("DNS", "IP Address", "email", "URI", "DirName", "Registered ID",
/// "othername", and "X400Name" / "EdiPartyName" as OpenSSL words the rarer two).
enum class general_name_kind { dns, ip_address, email, uri, dir_name, registered_id, other_name, x400_name, edi_party_name };

/// to_string: Python's tag for a general name kind ("DNS", "IP Address", ...).
constexpr std::string_view to_string(general_name_kind k) noexcept {
  switch (k) {
    case general_name_kind::dns: return "DNS";
    case general_name_kind::ip_address: return "IP Address";
    case general_name_kind::email: return "email";
    case general_name_kind::uri: return "URI";
    case general_name_kind::dir_name: return "DirName";
    case general_name_kind::registered_id: return "Registered ID";
    case general_name_kind::other_name: return "othername";
    case general_name_kind::x400_name: return "X400Name";
    case general_name_kind::edi_party_name: return "EdiPartyName";
  }
  return "unknown";
}

/// general_name: one subjectAltName entry, as Python's ('DNS', 'example.org') pair.
///
/// `value` is text for every kind: DNS, email and URI names byte for byte (a NUL byte
/// stays in the string — such a name never matches a host name); an IP address as Python
/// writes it ("192.0.2.1", IPv6 as eight upper-case hex groups "2001:DB8:0:0:0:0:0:1");
/// a Registered ID as the OID's long name or dotted form; a DirName as RFC 4514 text
/// (its structure is in `directory`); an otherName as OpenSSL words it ("UPN:user@x",
/// or "<unsupported>").
struct general_name {
  general_name_kind kind = general_name_kind::dns;  ///< which kind of name
  std::string value;                                ///< the name as text
  distinguished_name directory;                     ///< for dir_name: the name itself; empty otherwise
  friend bool operator==(const general_name&, const general_name&) = default;
};

/// public_key_info: what a certificate's subject public key is: `algorithm` ("RSA",
/// "EC", "Ed25519", "DSA", "RSA-PSS", or "unknown"), its size in `bits` as the backend
/// counts it (2048 for RSA-2048, 256 for P-256, 253 for Ed25519), and for EC keys the
/// `curve` ("P-256", "P-384", ...).
struct public_key_info {
  std::string algorithm;  ///< "RSA", "EC", "Ed25519", ...
  int bits = 0;           ///< key size in bits
  std::string curve;      ///< EC only: the curve's NIST name (or its short name)
};

/// common_name_fallback: whether `certificate::matches_hostname` may fall back to the
/// subject's commonName when the certificate has no DNS name. WARNING: `if_no_dns_names`
/// is the legacy behaviour RFC 6125 and browsers dropped; sslpp's default is `never`.
enum class common_name_fallback { never, if_no_dns_names };

namespace detail {
struct raw_name_entry;
/// make_distinguished_name: a distinguished_name from the backend's entries of a name.
SSLPP_DECL distinguished_name make_distinguished_name(const std::vector<raw_name_entry>& entries);
}  // namespace detail

namespace detail {
struct certificate_access;
}  // namespace detail

/// certificate: an X.509 certificate. Copies share one immutable backend object.
///
/// Thread Safety: a certificate may be read from many threads at once.
///
/// Example:
///   auto cert = sslpp::certificate::load("server.pem");
///   fmt::print("{}\n", cert);   // with <sslpp/format.hpp>: Python's getpeercert() structure
class certificate {
 public:
  /// Copies share the backend object (its reference count goes up).
  certificate(const certificate& other);
  /// Copy assignment: this certificate then shares `other`'s backend object.
  certificate& operator=(const certificate& other);
  /// Moves: `other` holds no certificate afterwards.
  certificate(certificate&& other) noexcept : x_(std::exchange(other.x_, nullptr)) {}
  /// Move assignment: `other` holds no certificate afterwards.
  certificate& operator=(certificate&& other) noexcept;
  /// Releases this object's reference to the backend object.
  ~certificate();

  /// from_pem: the first certificate in PEM text; throws ssl_error when there is none or it is malformed.
  static certificate from_pem(std::string_view pem);
  /// from_der: a certificate from DER bytes; throws ssl_error when they are malformed.
  static certificate from_der(std::span<const std::byte> der);
  /// load: the first certificate in a PEM or DER file (the format is detected). A missing or
  /// unreadable file throws std::system_error naming the path; a malformed one ssl_error.
  static certificate load(const std::string& path);
  /// load_all: every certificate in a PEM bundle, or the one in a DER file.
  static std::vector<certificate> load_all(const std::string& path);

  // The error_code overloads below never throw for bad input or a missing file: they
  // report in `ec` the code the throwing form's exception carries (`e.code()`: a
  // boringssl_category() error or ssl_errc::ssl for malformed data, the errno in the
  // generic category for a file, so `ec == std::errc::no_such_file_or_directory` works)
  // and clear `ec` on success. std::bad_alloc still propagates (detail::capture_error).

  /// from_pem: the first certificate in PEM text, or nullopt with the failure in `ec`.
  static std::optional<certificate> from_pem(std::string_view pem, std::error_code& ec);
  /// from_der: a certificate from DER bytes, or nullopt with the failure in `ec`.
  static std::optional<certificate> from_der(std::span<const std::byte> der, std::error_code& ec);
  /// load: the first certificate in a PEM or DER file, or nullopt with the failure in `ec`.
  static std::optional<certificate> load(const std::string& path, std::error_code& ec);
  /// load_all: every certificate in a file, or an empty vector with the failure in `ec`
  /// (a file that parses always holds at least one).
  static std::vector<certificate> load_all(const std::string& path, std::error_code& ec);

  /// to_pem: the certificate as PEM text.
  std::string to_pem() const;
  /// to_der: the certificate as DER bytes.
  std::vector<std::byte> to_der() const;

  /// subject: the subject's distinguished name, its RDNs in certificate order.
  distinguished_name subject() const;
  /// issuer: the issuer's distinguished name.
  distinguished_name issuer() const;

  /// serial_number: the serial number in upper-case hex, as Python prints it ("0A01";
  /// two digits a byte, a leading "-" for a — non-conforming — negative serial).
  std::string serial_number() const;
  /// version: the X.509 version as Python counts it: 3 for a v3 certificate, 1 for v1.
  long version() const;

  /// not_before: the start of the validity period.
  std::chrono::system_clock::time_point not_before() const;
  /// not_after: the end of the validity period.
  std::chrono::system_clock::time_point not_after() const;
  /// not_before_text: the start of validity in Python's form, "Sep  9 12:00:00 2016 GMT".
  std::string not_before_text() const;
  /// not_after_text: the end of validity in Python's form, "Sep  9 12:00:00 2016 GMT".
  std::string not_after_text() const;

  /// time_text: a time in the form Python (OpenSSL's ASN1_TIME_print) gives certificate
  /// times: "Sep  9 12:00:00 2016 GMT" (day padded with a space). The inverse of
  /// cert_time_to_seconds.
  static std::string time_text(std::chrono::sys_seconds t);

  /// subject_alt_names: the subjectAltName entries in certificate order (empty when the
  /// certificate has none; has_subject_alt_names() tells the two apart).
  std::vector<general_name> subject_alt_names() const;
  /// has_subject_alt_names: whether the certificate has a subjectAltName extension
  /// (Python's dict then has a 'subjectAltName' key, even if it is empty).
  bool has_subject_alt_names() const;

  /// ocsp: the OCSP responder URIs of the authorityInfoAccess extension.
  std::vector<std::string> ocsp() const;
  /// ca_issuers: the caIssuers URIs of the authorityInfoAccess extension.
  std::vector<std::string> ca_issuers() const;
  /// crl_distribution_points: the URIs of the CRL distribution points.
  std::vector<std::string> crl_distribution_points() const;

  /// fingerprint: the digest of the DER encoding in upper-case hex with colons
  /// ("AB:CD:..."), as `openssl x509 -fingerprint` prints it.
  std::string fingerprint(sslpp::digest d = sslpp::digest::sha256) const;

  /// public_key: the subject public key's algorithm and size.
  public_key_info public_key() const;

  /// matches_hostname: whether the certificate is valid for `name` under the rules the
  /// handshake's host name check applies (RFC 6125, CPython 3.7+ with OpenSSL):
  /// one trailing dot is stripped; an IPv4 or IPv6 address is compared with the
  /// iPAddress SANs only; any other name with the DNS SANs, ASCII case ignored, a
  /// wildcard only as the whole leftmost label ("*.example.org"), never a partial one
  /// ("f*.example.org") nor for an IDNA A-label; a SAN holding a NUL byte never matches;
  /// the subject CN counts only with `common_name_fallback::if_no_dns_names` and no DNS
  /// SAN. The matching is BoringSSL's (X509_check_host / X509_check_ip_asc). A name that
  /// runtime_hostname would refuse (empty, a NUL byte, non-ASCII, '*', brackets, ...)
  /// matches nothing.
  bool matches_hostname(std::string_view name, common_name_fallback cn = common_name_fallback::never) const;

  /// operator==: whether two certificates are the same certificate (equal encodings).
  friend bool operator==(const certificate& a, const certificate& b) { return a.same_as(b); }

  /// native_handle: the backend's X509 object, still owned by this certificate; null once
  /// this object was moved from.
  ///
  /// WARNING: this is the escape hatch to the backend. sslpp does not see what is changed
  /// through it: a setting made on the backend object directly bypasses sslpp's own
  /// (a certificate is shared and treated as immutable), and freeing or
  /// retaining it wrongly corrupts the object.
  X509* native_handle() const noexcept { return x_; }

 private:
  friend struct detail::certificate_access;
  // Adopts a backend certificate (the handle must not be null): this object then owns
  // the reference it holds.
  explicit certificate(X509* adopted) noexcept : x_(adopted) {}

  // checked: the certificate; throws std::logic_error once this object was moved from.
  X509* checked() const;
  // same_as: operator==.
  bool same_as(const certificate& other) const;

  X509* x_;  // owned: one reference to the backend object (null once moved from)
};

namespace detail {
/// certificate_access: how sslpp's own code makes a certificate from a backend handle (a
/// user makes one with from_pem, from_der or load).
struct certificate_access {
  /// make: the certificate owning `x` (a detail::x509_ptr, not null).
  template <class OwningPtr>
  static certificate make(OwningPtr x) noexcept {
    return certificate(x.release());
  }
};
}  // namespace detail

/// der_cert_to_pem_cert: DER bytes of a certificate as PEM text (Python's
/// DER_cert_to_PEM_cert). Throws ssl_error when the bytes are not a certificate.
SSLPP_DECL std::string der_cert_to_pem_cert(std::span<const std::byte> der);
/// der_cert_to_pem_cert: as above, but never throws for bad bytes: "" with the failure in
/// `ec` (as certificate::from_der(der, ec)).
SSLPP_DECL std::string der_cert_to_pem_cert(std::span<const std::byte> der, std::error_code& ec);

/// pem_cert_to_der_cert: the DER bytes of the first certificate in PEM text (Python's
/// PEM_cert_to_DER_cert). Throws ssl_error when the text holds no certificate.
SSLPP_DECL std::vector<std::byte> pem_cert_to_der_cert(std::string_view pem);
/// pem_cert_to_der_cert: as above, but never throws for bad text: an empty vector with the
/// failure in `ec` (as certificate::from_pem(pem, ec)).
SSLPP_DECL std::vector<std::byte> pem_cert_to_der_cert(std::string_view pem, std::error_code& ec);

/// cert_time_to_seconds: a certificate time in Python's text form ("Jan  5 09:34:43 2018
/// GMT") as seconds since the epoch, UTC (Python's cert_time_to_seconds), with Python's
/// leniency: the month English and case-insensitive, fields one or two digits, any day
/// 1..31 (an overflow carries into the next month, as timegm does). Throws std::invalid_argument
/// naming the text when it does not have that form.
SSLPP_DECL std::chrono::sys_seconds cert_time_to_seconds(std::string_view text);
/// cert_time_to_seconds: as above, but never throws: nullopt and std::errc::invalid_argument
/// in `ec` when `text` is not a certificate time (no exception is used inside).
SSLPP_DECL std::optional<std::chrono::sys_seconds> cert_time_to_seconds(std::string_view text, std::error_code& ec) noexcept;

SSLPP_END_NAMESPACE

#if SSLPP_WITH_DEFINITIONS
#include <sslpp/impl/certificate.ipp>
#endif
