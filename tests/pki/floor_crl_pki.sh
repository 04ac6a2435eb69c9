#!/usr/bin/env bash
# floor_crl_pki.sh PKIDIR — the certificates of the security-level (key size and signature
# digest floor) and CRL tests, added to a PKI made by tests/pki/make_pki.sh (it needs
# ca.pem, intermediate.pem and client-ca.pem with their keys there). make_pki.sh runs it;
# the tests run it too, so a PKI made before this script existed gets the files.
# Idempotent (marker .done-floor-crl) and safe to run from parallel tests (flock).
#
# Security floor (all localhost leaves as in make_pki.sh's v3_leaf):
#   weak-rsa1024.pem / .key     leaf with an RSA-1024 key, signed (SHA-256) by the intermediate
#   weak-int.pem / .key         intermediate CA "sslpp Test Weak Intermediate CA" with an
#                               RSA-1024 key, signed (SHA-256) by the root
#   weak-int-leaf.pem / .key    P-256 leaf signed (SHA-256) by weak-int
#   sha1-leaf.pem / .key        P-256 leaf signed by the intermediate with ECDSA-SHA1
#   sha1-root.pem / .key        self-signed root "sslpp Test SHA-1 Root CA" (RSA-2048) whose
#                               self-signature is SHA-1 (sha1WithRSAEncryption)
#   sha1-root-leaf.pem / .key   P-256 leaf signed (SHA-256) by sha1-root
#   client-rsa1024.pem / .key   client certificate "sslpp weak client" (RSA-1024) from client-ca
#   fullchain-weak-rsa1024.pem, fullchain-weak-int-leaf.pem, fullchain-sha1-leaf.pem:
#                               each leaf followed by its intermediate (what a server loads)
# CRLs:
#   crl-ca.pem / .key           root "sslpp Test CRL CA" (P-256, keyCertSign + cRLSign)
#   crl-revoked.pem / .key      localhost leaf A from crl-ca, revoked
#   crl-good.pem / .key         localhost leaf B from crl-ca, not revoked
#   crl-ca.crl.pem              crl-ca's CRL (`openssl ca -gencrl`) listing leaf A
#   crl-bundle.pem              crl-ca.pem followed by crl-ca.crl.pem (a CA file with a CRL)
set -euo pipefail
dir=${1:?usage: floor_crl_pki.sh PKIDIR}
cd "$dir"
exec 9>.floor-crl.lock
flock 9
if [ -f .done-floor-crl ]; then exit 0; fi
for f in ca intermediate client-ca; do
  [ -f "$f.pem" ] && [ -f "$f.key" ] || { echo "floor_crl_pki.sh: $dir has no $f.pem/.key (run make_pki.sh first)" >&2; exit 1; }
done

ossl() { openssl "$@" 2>/dev/null; }

# Two CA databases of their own, so that the CRL lists leaf A only.
cat > floor.cnf <<'CNF'
[ ca ]
default_ca = floor_ca
[ floor_ca ]
dir = .
database = ./floor-index.txt
new_certs_dir = ./floor-newcerts
serial = ./floor-serial
default_md = sha256
policy = any
unique_subject = no
preserve = yes
copy_extensions = none
[ crl_ca ]
dir = .
database = ./crl-index.txt
new_certs_dir = ./floor-newcerts
serial = ./crl-serial
crlnumber = ./crl-number
default_md = sha256
default_crl_days = 3650
policy = any
unique_subject = no
preserve = yes
copy_extensions = none
[ any ]
commonName = supplied
organizationName = optional
[ req ]
distinguished_name = dn
prompt = no
[ dn ]
CN = placeholder
[ v3_ca ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ v3_leaf ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = DNS:localhost, IP:127.0.0.1, IP:::1
[ v3_client ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
CNF
mkdir -p floor-newcerts
: > floor-index.txt
: > crl-index.txt
echo 2000 > floor-serial
echo 3000 > crl-serial
echo 01 > crl-number

eckey() { ossl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1"; }
rsakey() { ossl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:"$2" -out "$1"; }
# sign CA_SECTION NAME ISSUER EXT SUBJECT [extra ca args...]
sign() {
  local section=$1 name=$2 issuer=$3 ext=$4 subj=$5; shift 5
  ossl req -new -config floor.cnf -key "$name.key" -subj "$subj" -out "$name.csr"
  ossl ca -batch -config floor.cnf -name "$section" -cert "$issuer.pem" -keyfile "$issuer.key" -extensions "$ext" \
    -in "$name.csr" -out "$name.pem" -notext -days 825 "$@"
}

rsakey weak-rsa1024.key 1024 && sign floor_ca weak-rsa1024 intermediate v3_leaf "/O=sslpp tests/CN=localhost"
rsakey weak-int.key 1024 && sign floor_ca weak-int ca v3_ca "/O=sslpp tests/CN=sslpp Test Weak Intermediate CA"
eckey weak-int-leaf.key && sign floor_ca weak-int-leaf weak-int v3_leaf "/O=sslpp tests/CN=localhost"
eckey sha1-leaf.key && sign floor_ca sha1-leaf intermediate v3_leaf "/O=sslpp tests/CN=localhost" -md sha1
rsakey sha1-root.key 2048
ossl req -new -x509 -config floor.cnf -extensions v3_ca -key sha1-root.key \
  -subj "/O=sslpp tests/CN=sslpp Test SHA-1 Root CA" -days 3650 -sha1 -out sha1-root.pem
eckey sha1-root-leaf.key && sign floor_ca sha1-root-leaf sha1-root v3_leaf "/O=sslpp tests/CN=localhost"
rsakey client-rsa1024.key 1024 && sign floor_ca client-rsa1024 client-ca v3_client "/O=sslpp tests/CN=sslpp weak client"
cat weak-rsa1024.pem intermediate.pem > fullchain-weak-rsa1024.pem
cat weak-int-leaf.pem weak-int.pem > fullchain-weak-int-leaf.pem
cat sha1-leaf.pem intermediate.pem > fullchain-sha1-leaf.pem

eckey crl-ca.key
ossl req -new -x509 -config floor.cnf -extensions v3_ca -key crl-ca.key -subj "/O=sslpp tests/CN=sslpp Test CRL CA" \
  -days 3650 -sha256 -out crl-ca.pem
eckey crl-revoked.key && sign crl_ca crl-revoked crl-ca v3_leaf "/O=sslpp tests/CN=localhost"
eckey crl-good.key && sign crl_ca crl-good crl-ca v3_leaf "/O=sslpp tests/CN=localhost"
ossl ca -config floor.cnf -name crl_ca -cert crl-ca.pem -keyfile crl-ca.key -revoke crl-revoked.pem
ossl ca -config floor.cnf -name crl_ca -cert crl-ca.pem -keyfile crl-ca.key -gencrl -out crl-ca.crl.pem
cat crl-ca.pem crl-ca.crl.pem > crl-bundle.pem

rm -f ./*.csr
touch .done-floor-crl
