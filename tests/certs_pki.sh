#!/usr/bin/env bash
# certs_pki.sh PKIDIR — the certificates of the certificate-inspection and host name tests,
# added to a PKI made by tests/pki/make_pki.sh (it needs intermediate.pem / .key there).
# Idempotent (marker .done-certs) and safe to run from parallel tests (flock).
#
#   certs-many.pem / .key   every field Python decodes: a long subject with a multi-valued
#                           RDN, UTF-8 and an unknown OID; SANs of every kind (DNS, wildcard,
#                           IPv4, IPv6, email, URI, DirName, Registered ID, two otherNames);
#                           AIA (OCSP, caIssuers), two CRL distribution points; a 17-byte serial
#   certs-hosts.pem / .key  the host name table's certificate (see tests/test_hostname_match.cpp)
#   certs-nul.pem / .key    a DNS SAN "null.example<NUL>evil.example" crafted as raw DER, and DNS:ok.example
#   certs-cnonly.pem / .key CN=cn.example, no SAN
#   certs-v1.pem            an X.509 v1 certificate (no extensions)
#   certs-ed25519.pem / .key an Ed25519 leaf with only caIssuers in its AIA and an empty-ish CRL DP
#   certs-longname.pem      a subject whose values are long enough to make pprint wrap them
#   certs-*-full.pem        each leaf followed by intermediate.pem (what a server loads)
set -euo pipefail
dir=${1:?usage: certs_pki.sh PKIDIR}
cd "$dir"
exec 9>.certs.lock
flock 9
if [ -f .done-certs ]; then exit 0; fi
[ -f intermediate.pem ] || { echo "certs_pki.sh: $dir has no intermediate.pem (run make_pki.sh first)" >&2; exit 1; }

ossl() { openssl "$@" 2>/dev/null; }

cat > certs.cnf <<'CNF'
oid_section = new_oids
[ new_oids ]
sslppCustom = 1.2.3.4.5.6
sslppLong = 1.2.3.4.5.7
[ req ]
distinguished_name = dn
prompt = no
string_mask = utf8only
[ dn ]
CN = placeholder
[ many ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = @many_san
authorityInfoAccess = OCSP;URI:http://ocsp.example.net/, caIssuers;URI:http://ca.example.net/intermediate.der
crlDistributionPoints = URI:http://crl.example.net/a.crl, URI:http://crl.example.net/b.crl
[ many_san ]
DNS.1 = many.example
DNS.2 = *.many.example
IP.1 = 192.0.2.1
IP.2 = 2001:db8::1:0:0:1
IP.3 = ::1
email.1 = admin@many.example
URI.1 = https://many.example/path?q=1
dirName.1 = many_dir
RID.1 = 1.2.3.4.5
otherName.1 = 1.3.6.1.4.1.311.20.2.3;UTF8:upn@many.example
otherName.2 = 1.2.3.4.99;UTF8:opaque value
[ many_dir ]
C = DE
O = Dir Org
CN = Dir Name
[ hosts ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:www.example.com, DNS:*.wild.example, DNS:f*.partial.example, DNS:*.xn--caf-dma.example, DNS:xn--*.idna.example, DNS:xn--bcher-kva.example, DNS:UPPER.Example.ORG, DNS:*.*.double.example, DNS:sub.*.mid.example, IP:192.0.2.7, IP:2001:db8::7, email:mail.example
[ nul ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
2.5.29.17 = DER:30:27:82:19:6E:75:6C:6C:2E:65:78:61:6D:70:6C:65:00:65:76:69:6C:2E:65:78:61:6D:70:6C:65:82:0A:6F:6B:2E:65:78:61:6D:70:6C:65
[ cnonly ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
[ ed ]
basicConstraints = critical, CA:FALSE
authorityInfoAccess = caIssuers;URI:http://ca.example.net/only-issuers.der
crlDistributionPoints = URI:http://crl.example.net/ed.crl
[ long ]
basicConstraints = critical, CA:FALSE
subjectAltName = URI:https://a-rather-long-host-name.for-pprint.example.net/with/a/path/that/goes/on/and/on/for/a/while.crl, DNS:short.example
CNF

eckey() { ossl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1"; }
# issue NAME EXT SUBJECT SERIAL [extra x509 args]: a leaf signed by the intermediate.
issue() {
  local name=$1 ext=$2 subj=$3 serial=$4; shift 4
  [ -f "$name.key" ] || eckey "$name.key"
  ossl req -new -config certs.cnf -utf8 -multivalue-rdn -key "$name.key" -subj "$subj" -out "$name.csr"
  local extargs=()
  [ -n "$ext" ] && extargs=(-extfile certs.cnf -extensions "$ext")
  ossl x509 -req -in "$name.csr" -CA intermediate.pem -CAkey intermediate.key -set_serial "$serial" \
    -days 825 -sha256 "${extargs[@]}" "$@" -out "$name.pem"
  cat "$name.pem" intermediate.pem > "$name-full.pem"
}

issue certs-many many \
  "/C=DE/ST=Berlin/L=Berlin/O=sslpp tests Zürich/OU=Certs Unit+UID=u42/CN=many.example/emailAddress=admin@many.example/sslppCustom=custom attribute/serialNumber=SN-0042/DC=example/DC=net" \
  0x00A1B2C3D4E5F60718293A4B5C6D7E8F90
issue certs-hosts hosts "/O=sslpp tests/CN=cn-not-in-san.example" 0x0A01
issue certs-nul nul "/O=sslpp tests/CN=null.example" 0x0A02
issue certs-cnonly cnonly "/O=sslpp tests/CN=cn.example" 0x0A03
issue certs-v1 "" "/O=sslpp tests/CN=v1.example" 1
ossl genpkey -algorithm ED25519 -out certs-ed25519.key
issue certs-ed25519 ed "/CN=ed25519.example" 0x7FFFFFFFFFFFFFFF
issue certs-longname long \
  "/O=sslpp tests/CN=long.example/sslppLong=a rather long attribute value made of many words so that the pretty printer has to split it over lines" \
  0x0A04

rm -f ./certs-*.csr
touch .done-certs
