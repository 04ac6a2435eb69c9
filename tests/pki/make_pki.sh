#!/usr/bin/env bash
# make_pki.sh OUTDIR — makes the test PKI with the openssl command, at test time.
#
#   ca.pem / ca.key            root CA "sslpp Test Root CA"
#   intermediate.pem / .key    intermediate CA signed by the root
#   chain.pem                  intermediate + root (what a server sends after its leaf)
#   leaf-ecdsa.pem / .key      localhost leaf (P-256): DNS:localhost, IP:127.0.0.1, IP:::1; signed by the intermediate
#   leaf-rsa.pem / .key        the same with an RSA-2048 key
#   fullchain-ecdsa.pem        leaf + intermediate (what a server loads)
#   fullchain-rsa.pem
#   leaf-encrypted.key         leaf-ecdsa.key encrypted (AES-256) with the password "s3cret"
#   expired.pem / .key         localhost leaf valid 2020-01-01 .. 2021-01-01
#   notyet.pem / .key          localhost leaf valid from 2099
#   wronghost.pem / .key       leaf for DNS:wrong.example only
#   cn-only.pem / .key         leaf with CN=localhost and no subjectAltName
#   selfsigned.pem / .key      self-signed localhost certificate (not under the root)
#   client-ca.pem / .key       a separate CA for client certificates
#   client.pem / .key          client certificate "sslpp test client" from client-ca
#   client-wrongca.pem / .key  client certificate from the server-side root (the wrong CA for client auth)
#   other-ca.pem               an unrelated CA nobody signs with
#   weak-*, sha1-*, client-rsa1024.*, crl-*: the security-level and CRL tests' files,
#                              made by tests/pki/floor_crl_pki.sh (listed in its header)
set -euo pipefail
out=${1:?usage: make_pki.sh OUTDIR}
mkdir -p "$out"
cd "$out"
if [ -f .done ]; then exit 0; fi

ossl() { openssl "$@" 2>/dev/null; }

cat > ca.cnf <<'CNF'
[ ca ]
default_ca = test_ca
[ test_ca ]
dir = .
database = ./index.txt
new_certs_dir = ./newcerts
serial = ./serial
default_md = sha256
policy = any
unique_subject = no
preserve = yes
copy_extensions = none
[ any ]
commonName = supplied
organizationName = optional
countryName = optional
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
[ v3_wronghost ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = DNS:wrong.example
[ v3_cnonly ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ v3_selfsigned ]
subjectKeyIdentifier = hash
subjectAltName = DNS:localhost, IP:127.0.0.1, IP:::1
[ v3_client ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
CNF
mkdir -p newcerts
: > index.txt
echo 1000 > serial

eckey() { ossl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1"; }
rsakey() { ossl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1"; }
# sign NAME ISSUER EXT SUBJECT [extra ca args...]
sign() {
  local name=$1 issuer=$2 ext=$3 subj=$4; shift 4
  ossl req -new -config ca.cnf -key "$name.key" -subj "$subj" -out "$name.csr"
  ossl ca -batch -config ca.cnf -cert "$issuer.pem" -keyfile "$issuer.key" -extensions "$ext" \
    -in "$name.csr" -out "$name.pem" -notext "$@"
}
selfsign_ca() { # NAME SUBJECT
  ossl req -new -x509 -config ca.cnf -extensions v3_ca -key "$1.key" -subj "$2" -days 3650 -sha256 -out "$1.pem"
}

eckey ca.key && selfsign_ca ca "/O=sslpp tests/CN=sslpp Test Root CA"
eckey intermediate.key && sign intermediate ca v3_ca "/O=sslpp tests/CN=sslpp Test Intermediate CA" -days 3000
eckey leaf-ecdsa.key && sign leaf-ecdsa intermediate v3_leaf "/O=sslpp tests/CN=localhost" -days 825
rsakey leaf-rsa.key && sign leaf-rsa intermediate v3_leaf "/O=sslpp tests/CN=localhost" -days 825
cat intermediate.pem ca.pem > chain.pem
cat leaf-ecdsa.pem intermediate.pem > fullchain-ecdsa.pem
cat leaf-rsa.pem intermediate.pem > fullchain-rsa.pem
ossl pkey -in leaf-ecdsa.key -aes256 -passout pass:s3cret -out leaf-encrypted.key

eckey expired.key && sign expired intermediate v3_leaf "/O=sslpp tests/CN=localhost" \
  -startdate 20200101000000Z -enddate 20210101000000Z
eckey notyet.key && sign notyet intermediate v3_leaf "/O=sslpp tests/CN=localhost" \
  -startdate 20990101000000Z -enddate 20991231000000Z
eckey wronghost.key && sign wronghost intermediate v3_wronghost "/O=sslpp tests/CN=wrong.example" -days 825
eckey cn-only.key && sign cn-only intermediate v3_cnonly "/O=sslpp tests/CN=localhost" -days 825
for n in expired notyet wronghost cn-only; do cat "$n.pem" intermediate.pem > "fullchain-$n.pem"; done

eckey selfsigned.key
ossl req -new -x509 -config ca.cnf -extensions v3_selfsigned -key selfsigned.key -subj "/O=sslpp tests/CN=localhost" \
  -days 825 -sha256 -out selfsigned.pem

eckey client-ca.key && selfsign_ca client-ca "/O=sslpp tests/CN=sslpp Test Client CA"
eckey client.key && sign client client-ca v3_client "/O=sslpp tests/CN=sslpp test client" -days 825
eckey client-wrongca.key && sign client-wrongca ca v3_client "/O=sslpp tests/CN=sslpp wrong-CA client" -days 825
eckey other-ca.key && selfsign_ca other-ca "/O=elsewhere/CN=Unrelated CA"

rm -f ./*.csr
touch .done

# Certificates of the certificate-inspection and host name tests (certs-*.pem: every SAN
# kind, AIA/OCSP/CRL DP, IPv6, wildcards, IDNA, a NUL byte in a DNS SAN as raw DER, v1,
# Ed25519, long names): made by tests/certs_pki.sh, which the tests also run themselves
# (idempotent) so that a PKI made before this line existed gets them too.
certs_script="$(cd "$OLDPWD" && cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/../certs_pki.sh"
"$certs_script" "$PWD"

# The security-level (RSA-1024, SHA-1) and CRL certificates: tests/pki/floor_crl_pki.sh,
# which the tests also run themselves (idempotent), as with certs_pki.sh above.
"$(dirname "$certs_script")/pki/floor_crl_pki.sh" "$PWD"

# The Encrypted Client Hello certificates (secret.example, public.example):
# tests/pki/ech_pki.sh, which the ECH tests also run themselves (idempotent).
"$(dirname "$certs_script")/pki/ech_pki.sh" "$PWD"
