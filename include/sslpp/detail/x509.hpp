// sslpp — SPDX-License-Identifier: MIT
//
// detail/x509.hpp: parsing and encoding X.509 certificates with the backend.
#pragma once

#include <sslpp/detail/backend.hpp>
#include <sslpp/detail/error_impl.hpp>
#include <sslpp/detail/text.hpp>
#include <sslpp/digest.hpp>

#include <openssl/ec.h>
#include <openssl/ec_key.h>

#include <arpa/inet.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

SSLPP_BEGIN_NAMESPACE
namespace detail {

/// read_file: a whole file's bytes; throws std::system_error naming `what` and the path.
inline std::string read_file(const std::string& path, std::string_view what) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) throw_file_error(errno, "cannot open " + std::string(what), path);
  std::string data;
  char buf[8192];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) data.append(buf, n);
  const bool failed = std::ferror(f) != 0;
  const int err = errno;
  std::fclose(f);
  if (failed) throw_file_error(err ? err : EIO, "cannot read " + std::string(what), path);
  return data;
}

/// memory_bio_for: a read-only BIO over `data` (which must outlive it).
inline bio_ptr memory_bio_for(std::string_view data) {
  // BIO_new_mem_buf takes an int length in this BoringSSL (ossl_ssize_t in later ones).
  if (data.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()))
    throw std::length_error("sslpp: PEM or DER data of " + std::to_string(data.size()) +
                            " bytes is more than a memory BIO holds (2 GiB)");
  return bio_ptr(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())));
}

/// looks_like_pem: whether `data` holds a PEM block.
inline bool looks_like_pem(std::string_view data) { return data.find("-----BEGIN ") != std::string_view::npos; }

/// pem_certificates: every certificate in PEM text, in order, and none for text without
/// one. Blocks of other kinds (a key, a CRL) are skipped.
inline std::vector<x509_ptr> pem_certificates(std::string_view pem, std::string_view source) {
  std::vector<x509_ptr> certs;
  bio_ptr bio = memory_bio_for(pem);
  for (;;) {
    x509_ptr x(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    if (!x) break;
    certs.push_back(std::move(x));
  }
  const uint32_t err = static_cast<uint32_t>(ERR_peek_last_error());
  // The loop ends with "no start line" at the end of the text: that is not a failure.
  if (err != 0 && !(ERR_GET_LIB(err) == ERR_LIB_PEM && ERR_GET_REASON(err) == PEM_R_NO_START_LINE))
    throw_backend_error("cannot parse the PEM certificate in " + std::string(source));
  ERR_clear_error();
  return certs;
}

/// throw_no_pem_certificate: the error of PEM text that holds no certificate.
[[noreturn]] inline void throw_no_pem_certificate(std::string_view source) {
  throw ssl_error(make_error_code(ssl_errc::ssl),
                  "no PEM certificate (-----BEGIN CERTIFICATE-----) found in " + std::string(source), "PEM",
                  "NO_START_LINE");
}

/// parse_pem_certificates: every certificate in PEM text, in order. Blocks of other
/// kinds (a key, say) are skipped; it is an error when none is a certificate.
inline std::vector<x509_ptr> parse_pem_certificates(std::string_view pem, std::string_view source) {
  std::vector<x509_ptr> certs = pem_certificates(pem, source);
  if (certs.empty()) throw_no_pem_certificate(source);
  return certs;
}

/// parse_pem_crls: every CRL (-----BEGIN X509 CRL-----) in PEM text, in order; blocks of
/// other kinds are skipped, and text without a CRL gives none.
inline std::vector<x509_crl_ptr> parse_pem_crls(std::string_view pem, std::string_view source) {
  std::vector<x509_crl_ptr> crls;
  if (pem.find("-----BEGIN X509 CRL-----") == std::string_view::npos) return crls;
  bio_ptr bio = memory_bio_for(pem);
  for (;;) {
    x509_crl_ptr crl(PEM_read_bio_X509_CRL(bio.get(), nullptr, nullptr, nullptr));
    if (!crl) break;
    crls.push_back(std::move(crl));
  }
  const uint32_t err = static_cast<uint32_t>(ERR_peek_last_error());
  // As for certificates: "no start line" at the end of the text is how the loop ends.
  if (err != 0 && !(ERR_GET_LIB(err) == ERR_LIB_PEM && ERR_GET_REASON(err) == PEM_R_NO_START_LINE))
    throw_backend_error("cannot parse the PEM CRL in " + std::string(source));
  ERR_clear_error();
  return crls;
}

/// parse_der_certificates: every certificate in concatenated DER bytes.
inline std::vector<x509_ptr> parse_der_certificates(std::span<const std::byte> der, std::string_view source) {
  std::vector<x509_ptr> certs;
  auto p = reinterpret_cast<const unsigned char*>(der.data());
  const auto* end = p + der.size();
  while (p < end) {
    x509_ptr x(d2i_X509(nullptr, &p, static_cast<long>(end - p)));
    if (!x) throw_backend_error("cannot parse the DER certificate in " + std::string(source));
    certs.push_back(std::move(x));
  }
  if (certs.empty())
    throw ssl_error(make_error_code(ssl_errc::ssl), "no DER certificate in " + std::string(source) + " (it is empty)",
                    "X509", "EMPTY");
  return certs;
}

/// to_pem_text: a certificate as PEM text.
inline std::string to_pem_text(X509* x) {
  bio_ptr bio(BIO_new(BIO_s_mem()));
  if (!bio || !PEM_write_bio_X509(bio.get(), x)) throw_backend_error("cannot encode the certificate as PEM");
  const uint8_t* data = nullptr;
  size_t len = 0;
  BIO_mem_contents(bio.get(), &data, &len);
  return std::string(reinterpret_cast<const char*>(data), len);
}

/// to_der_bytes: a certificate as DER bytes.
inline std::vector<std::byte> to_der_bytes(X509* x) {
  const int len = i2d_X509(x, nullptr);
  if (len <= 0) throw_backend_error("cannot encode the certificate as DER");
  std::vector<std::byte> out(static_cast<std::size_t>(len));
  auto* p = reinterpret_cast<unsigned char*>(out.data());
  i2d_X509(x, &p);
  return out;
}


// ---------------------------------------------------------------------------------------
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

/// check_host: BoringSSL's RFC 6125 matcher (X509_check_host) over the DNS SANs: the
/// wildcard only as a whole leftmost label, never partial, never for IDNA A-labels
/// (partial wildcards are always off in BoringSSL), case-insensitive. The subject CN is
/// consulted only when `common_name` is true and the certificate has no DNS SAN.
inline bool check_host(X509* x, std::string_view name, bool common_name) {
  if (name.empty() || name.find('\0') != std::string_view::npos) return false;
  const unsigned flags = common_name ? 0u : static_cast<unsigned>(X509_CHECK_FLAG_NEVER_CHECK_SUBJECT);
  const int rc = X509_check_host(x, name.data(), name.size(), flags, nullptr);
  ERR_clear_error();
  return rc == 1;
}

/// check_ip: X509_check_ip_asc: the address `text` against the iPAddress SANs only.
inline bool check_ip(X509* x, const std::string& text) {
  const int rc = X509_check_ip_asc(x, text.c_str(), 0);
  ERR_clear_error();
  return rc == 1;
}

/// peer_chain: the chain the peer sent, its leaf first (SSL_get_peer_full_cert_chain);
/// empty before the handshake or when the peer sent no certificate.
inline std::vector<x509_ptr> peer_chain(const SSL* ssl) {
  std::vector<x509_ptr> out;
  if (!ssl) return out;
  if (STACK_OF(X509)* chain = SSL_get_peer_full_cert_chain(ssl))
    for (X509* x : chain) out.push_back(up_ref(x));
  return out;
}

/// verified_chain: the chain from the peer's leaf to the trust anchor that verified it.
///
/// This BoringSSL keeps no verified chain after the handshake (it has no
/// SSL_get0_verified_chain), so the chain is rebuilt exactly as the handshake built it:
/// X509_verify_cert over the peer's certificates, against the cert store of the
/// connection's SSL_CTX, with the connection's own verify parameters (flags, depth, host
/// name, purpose "ssl_server"/"ssl_client"). It is rebuilt only when the handshake's
/// verification succeeded (SSL_get_verify_result is X509_V_OK); empty otherwise, before
/// the handshake, without a peer certificate, or when the rebuild fails (a certificate
/// expired since the handshake, say).
inline std::vector<x509_ptr> verified_chain(const SSL* ssl) {
  std::vector<x509_ptr> out;
  if (!ssl || !SSL_is_init_finished(ssl) || SSL_get_verify_result(ssl) != X509_V_OK) return out;
  STACK_OF(X509)* sent = SSL_get_peer_full_cert_chain(ssl);
  if (!sent || sk_X509_num(sent) == 0) return out;
  X509* leaf = sk_X509_value(sent, 0);
  X509_STORE* store = SSL_CTX_get_cert_store(SSL_get_SSL_CTX(ssl));
  bssl::UniquePtr<X509_STORE_CTX> sctx(X509_STORE_CTX_new());
  if (!sctx || !X509_STORE_CTX_init(sctx.get(), store, leaf, sent)) {
    ERR_clear_error();
    return out;
  }
  X509_STORE_CTX_set_default(sctx.get(), SSL_is_server(ssl) ? "ssl_client" : "ssl_server");
  X509_VERIFY_PARAM_set1(X509_STORE_CTX_get0_param(sctx.get()), SSL_get0_param(const_cast<SSL*>(ssl)));
  if (X509_verify_cert(sctx.get()) != 1) {
    ERR_clear_error();
    return out;
  }
  bssl::UniquePtr<STACK_OF(X509)> chain(X509_STORE_CTX_get1_chain(sctx.get()));
  if (chain)
    for (X509* x : chain.get()) out.push_back(up_ref(x));
  return out;
}

}  // namespace detail
SSLPP_END_NAMESPACE
