// sslpp — SPDX-License-Identifier: MIT
//
// detail/x509_fields.hpp: a certificate's fields, decoded as CPython's _ssl.c decodes them.
#pragma once

#include <sslpp/detail/backend.hpp>
#include <sslpp/detail/error_impl.hpp>
#include <sslpp/detail/text.hpp>
#include <sslpp/digest.hpp>

#include <openssl/ec.h>
#include <openssl/ec_key.h>

#include <arpa/inet.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

SSLPP_BEGIN_NAMESPACE
namespace detail {

// Inspection: the fields of a certificate, decoded the way CPython's _ssl.c decodes them
// (_decode_certificate), so that sslpp's results equal Python's getpeercert().

/// raw_name_entry: one attribute of an X509_NAME: its long name (dotted OID when the
/// backend does not know it), its value as UTF-8, and the index of the RDN it belongs to.
struct raw_name_entry {
  std::string name;
  std::string value;
  int set = 0;
};

/// object_text: an OID's long name ("commonName"), or its dotted form when unknown
/// (OBJ_obj2txt with no_name = 0, as Python's _create_tuple_for_attribute).
inline std::string object_text(const ASN1_OBJECT* obj) {
  char buf[256];
  const int n = OBJ_obj2txt(buf, sizeof buf, obj, 0);
  if (n < 0) return "<invalid OID>";
  if (static_cast<std::size_t>(n) < sizeof buf) return std::string(buf, static_cast<std::size_t>(n));
  std::string big(static_cast<std::size_t>(n) + 1, '\0');
  OBJ_obj2txt(big.data(), n + 1, obj, 0);
  big.resize(static_cast<std::size_t>(n));
  return big;
}

/// dotted_oid: an OID's numeric form ("1.3.6.1.4.1.311.20.2.3").
inline std::string dotted_oid(const ASN1_OBJECT* obj) {
  char buf[256];
  const int n = OBJ_obj2txt(buf, sizeof buf, obj, 1);
  return n < 0 ? std::string() : std::string(buf, std::min<std::size_t>(static_cast<std::size_t>(n), sizeof buf - 1));
}

/// string_utf8: an ASN.1 string converted to UTF-8 (BMPString, T61String... included).
inline std::string string_utf8(const ASN1_STRING* s) {
  unsigned char* out = nullptr;
  const int n = ASN1_STRING_to_UTF8(&out, s);
  if (n < 0) {
    ERR_clear_error();
    // Not convertible: keep the raw bytes, as the backend's own printers do.
    return std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                       static_cast<std::size_t>(ASN1_STRING_length(s)));
  }
  std::string v(reinterpret_cast<const char*>(out), static_cast<std::size_t>(n));
  OPENSSL_free(out);
  return v;
}

/// string_bytes: an ASN.1 string's bytes as they are (NUL bytes kept).
inline std::string string_bytes(const ASN1_STRING* s) {
  return std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                     static_cast<std::size_t>(ASN1_STRING_length(s)));
}

/// name_entries: every attribute of `name`, in order.
inline std::vector<raw_name_entry> name_entries(const X509_NAME* name) {
  std::vector<raw_name_entry> out;
  if (!name) return out;
  const int n = X509_NAME_entry_count(name);
  for (int i = 0; i < n; ++i) {
    const X509_NAME_ENTRY* e = X509_NAME_get_entry(name, i);
    out.push_back({object_text(X509_NAME_ENTRY_get_object(e)), string_utf8(X509_NAME_ENTRY_get_data(e)),
                   X509_NAME_ENTRY_set(e)});
  }
  return out;
}

inline std::vector<raw_name_entry> subject_entries(X509* x) { return name_entries(X509_get_subject_name(x)); }
inline std::vector<raw_name_entry> issuer_entries(X509* x) { return name_entries(X509_get_issuer_name(x)); }

/// serial_hex: the serial number in upper-case hex, two digits a byte, "-" when negative
/// (i2a_ASN1_INTEGER's form, which Python shows).
inline std::string serial_hex(X509* x) {
  const ASN1_INTEGER* serial = X509_get0_serialNumber(x);
  const std::string sign = ASN1_STRING_type(serial) == V_ASN1_NEG_INTEGER ? "-" : "";
  const auto len = static_cast<std::size_t>(ASN1_STRING_length(serial));
  if (len == 0) return sign + "00";
  return sign + upper_hex(std::span(ASN1_STRING_get0_data(serial), len));
}

/// version_number: the version as Python counts it (1 for v1, 3 for v3).
inline long certificate_version(X509* x) { return X509_get_version(x) + 1; }

/// asn1_time_to_unix: seconds since the epoch of an ASN.1 time.
inline long long asn1_time_to_unix(const ASN1_TIME* t) {
  bssl::UniquePtr<ASN1_TIME> epoch(ASN1_TIME_set(nullptr, 0));
  int days = 0, secs = 0;
  if (!epoch || !ASN1_TIME_diff(&days, &secs, epoch.get(), t)) throw_backend_error("cannot read a certificate time");
  return static_cast<long long>(days) * 86400 + secs;
}
inline long long not_before_unix(X509* x) { return asn1_time_to_unix(X509_get0_notBefore(x)); }
inline long long not_after_unix(X509* x) { return asn1_time_to_unix(X509_get0_notAfter(x)); }

/// raw_general_name: one GeneralName as Python decodes it: its tag ("DNS", "IP Address",
/// "othername", ...), its value, and for a directoryName the name's entries.
struct raw_general_name {
  int type = 0;  // GEN_*
  std::string value;
  std::vector<raw_name_entry> directory;
};

/// ip_text: an iPAddress as Python writes it: dotted quad, eight upper-case hex groups
/// without "::" compression for IPv6, "<invalid>" for any other length.
inline std::string ip_text(const ASN1_OCTET_STRING* ip) {
  const int len = ASN1_STRING_length(ip);
  const unsigned char* p = ASN1_STRING_get0_data(ip);
  char buf[64];
  if (len == 4) {
    std::snprintf(buf, sizeof buf, "%d.%d.%d.%d", p[0], p[1], p[2], p[3]);
    return buf;
  }
  if (len == 16) {
    std::snprintf(buf, sizeof buf, "%X:%X:%X:%X:%X:%X:%X:%X", p[0] << 8 | p[1], p[2] << 8 | p[3], p[4] << 8 | p[5],
                  p[6] << 8 | p[7], p[8] << 8 | p[9], p[10] << 8 | p[11], p[12] << 8 | p[13], p[14] << 8 | p[15]);
    return buf;
  }
  return "<invalid>";
}

/// othername_text: an otherName as OpenSSL 3's GENERAL_NAME_print words it (which is what
/// Python shows): "UPN:user@example", "SRVName:...", ... or "<unsupported>".
inline std::string othername_text(const OTHERNAME* other) {
  const std::string oid = dotted_oid(other->type_id);
  struct known {
    const char* oid;
    const char* label;
    int type;
  };
  static constexpr known table[] = {
      {"1.3.6.1.5.5.7.8.9", "SmtpUTF8Mailbox", V_ASN1_UTF8STRING},
      {"1.3.6.1.5.5.7.8.5", "XmppAddr", V_ASN1_UTF8STRING},
      {"1.3.6.1.5.5.7.8.7", "SRVName", V_ASN1_IA5STRING},
      {"1.3.6.1.4.1.311.20.2.3", "UPN", V_ASN1_UTF8STRING},
      {"1.3.6.1.5.5.7.8.8", "NAIRealm", V_ASN1_UTF8STRING},
  };
  for (const known& k : table) {
    if (oid != k.oid) continue;
    if (!other->value || other->value->type != k.type) return "<unsupported>";
    return std::string(k.label) + ":" + string_bytes(other->value->value.asn1_string);
  }
  return "<unsupported>";
}

/// decode_general_name: one GeneralName, Python's way.
inline raw_general_name decode_general_name(const GENERAL_NAME* gn) {
  raw_general_name r;
  r.type = gn->type;
  switch (gn->type) {
    case GEN_DNS: r.value = string_bytes(gn->d.dNSName); break;
    case GEN_EMAIL: r.value = string_bytes(gn->d.rfc822Name); break;
    case GEN_URI: r.value = string_bytes(gn->d.uniformResourceIdentifier); break;
    case GEN_IPADD: r.value = ip_text(gn->d.iPAddress); break;
    case GEN_RID: r.value = object_text(gn->d.registeredID); break;
    case GEN_DIRNAME: r.directory = name_entries(gn->d.directoryName); break;
    case GEN_OTHERNAME: r.value = othername_text(gn->d.otherName); break;
    default: r.value = "<unsupported>"; break;  // X400Name, EdiPartyName
  }
  return r;
}

/// subject_alt_names: every name of every subjectAltName extension, in order; nullopt
/// when the certificate has none (Python then leaves 'subjectAltName' out).
inline std::optional<std::vector<raw_general_name>> subject_alt_names(X509* x) {
  std::optional<std::vector<raw_general_name>> out;
  for (int i = -1; (i = X509_get_ext_by_NID(x, NID_subject_alt_name, i)) >= 0;) {
    X509_EXTENSION* ext = X509_get_ext(x, i);
    bssl::UniquePtr<GENERAL_NAMES> names(static_cast<GENERAL_NAMES*>(X509V3_EXT_d2i(ext)));
    if (!names) throw_backend_error("cannot parse the certificate's subjectAltName extension");
    if (!out) out.emplace();
    for (const GENERAL_NAME* gn : names.get()) out->push_back(decode_general_name(gn));
  }
  return out;
}

/// aia_uris: the URIs of one access method (NID_ad_OCSP or NID_ad_ca_issuers) of the
/// authorityInfoAccess extension.
inline std::vector<std::string> aia_uris(X509* x, int method_nid) {
  std::vector<std::string> out;
  int crit = 0;
  bssl::UniquePtr<AUTHORITY_INFO_ACCESS> info(
      static_cast<AUTHORITY_INFO_ACCESS*>(X509_get_ext_d2i(x, NID_info_access, &crit, nullptr)));
  if (!info) {
    ERR_clear_error();
    return out;
  }
  for (const ACCESS_DESCRIPTION* ad : info.get()) {
    if (OBJ_obj2nid(ad->method) != method_nid || ad->location->type != GEN_URI) continue;
    out.push_back(string_bytes(ad->location->d.uniformResourceIdentifier));
  }
  return out;
}

inline std::vector<std::string> ocsp_uris(X509* x) { return aia_uris(x, NID_ad_OCSP); }
inline std::vector<std::string> ca_issuer_uris(X509* x) { return aia_uris(x, NID_ad_ca_issuers); }

/// general_name_index: a GEN_* type as the position of its sslpp::general_name_kind
/// (dns, ip_address, email, uri, dir_name, registered_id, other_name, x400_name, edi_party_name).
inline int general_name_index(int gen_type) noexcept {
  switch (gen_type) {
    case GEN_DNS: return 0;
    case GEN_IPADD: return 1;
    case GEN_EMAIL: return 2;
    case GEN_URI: return 3;
    case GEN_DIRNAME: return 4;
    case GEN_RID: return 5;
    case GEN_OTHERNAME: return 6;
    case GEN_X400: return 7;
    default: return 8;
  }
}

/// same_certificate: whether two certificates are the same (equal encodings).
inline bool same_certificate(X509* a, X509* b) {
  if (a == b) return true;
  if (!a || !b) return false;
  return X509_cmp(a, b) == 0;
}

/// crl_uris: the URIs among the full names of the CRL distribution points.
inline std::vector<std::string> crl_uris(X509* x) {
  std::vector<std::string> out;
  int crit = 0;
  bssl::UniquePtr<CRL_DIST_POINTS> dps(
      static_cast<CRL_DIST_POINTS*>(X509_get_ext_d2i(x, NID_crl_distribution_points, &crit, nullptr)));
  if (!dps) {
    ERR_clear_error();
    return out;
  }
  for (const DIST_POINT* dp : dps.get()) {
    if (!dp->distpoint || dp->distpoint->type != 0) continue;  // CVE-2019-5010: skip empty points
    for (const GENERAL_NAME* gn : dp->distpoint->name.fullname)
      if (gn->type == GEN_URI) out.push_back(string_bytes(gn->d.uniformResourceIdentifier));
  }
  return out;
}

/// digest_method: the backend's implementation of `d`.
inline const EVP_MD* digest_method(sslpp::digest d) noexcept {
  switch (d) {
    case sslpp::digest::sha1: return EVP_sha1();
    case sslpp::digest::sha256: return EVP_sha256();
    case sslpp::digest::sha384: return EVP_sha384();
    case sslpp::digest::sha512: return EVP_sha512();
  }
  return EVP_sha256();
}

/// fingerprint_hex: the digest `d` of the DER encoding in upper-case hex with colons.
inline std::string fingerprint_hex(X509* x, sslpp::digest d) {
  const EVP_MD* md = digest_method(d);
  unsigned char buf[EVP_MAX_MD_SIZE];
  unsigned len = 0;
  if (!X509_digest(x, md, buf, &len)) throw_backend_error("cannot compute the certificate's fingerprint");
  return upper_hex(std::span<const unsigned char>(buf, len), ':');
}

/// raw_public_key: the subject public key's algorithm ("RSA", "EC", "Ed25519", ...), its
/// size in bits as the backend counts it, and for EC keys the curve's NIST or SN name.
struct raw_public_key {
  std::string algorithm;
  int bits = 0;
  std::string curve;
};
inline raw_public_key public_key_of(X509* x) {
  raw_public_key r;
  bssl::UniquePtr<EVP_PKEY> key(X509_get_pubkey(x));
  if (!key) {
    ERR_clear_error();
    r.algorithm = "unknown";
    return r;
  }
  r.bits = EVP_PKEY_bits(key.get());
  switch (EVP_PKEY_id(key.get())) {
    case EVP_PKEY_RSA: r.algorithm = "RSA"; break;
    case EVP_PKEY_RSA_PSS: r.algorithm = "RSA-PSS"; break;
    case EVP_PKEY_DSA: r.algorithm = "DSA"; break;
    case EVP_PKEY_EC: {
      r.algorithm = "EC";
      const EC_KEY* ec = EVP_PKEY_get0_EC_KEY(key.get());
      const int nid = ec ? EC_GROUP_get_curve_name(EC_KEY_get0_group(ec)) : NID_undef;
      const char* nist = EC_curve_nid2nist(nid);
      r.curve = nist ? nist : (nid != NID_undef ? OBJ_nid2sn(nid) : "");
      break;
    }
    case EVP_PKEY_ED25519: r.algorithm = "Ed25519"; break;
    case EVP_PKEY_X25519: r.algorithm = "X25519"; break;
    default: r.algorithm = "unknown"; break;
  }
  return r;
}

}  // namespace detail
SSLPP_END_NAMESPACE
