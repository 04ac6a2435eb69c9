#!/usr/bin/env bash
# rsa_chain_pki.sh PKIDIR — a three-certificate RSA-2048 chain, for the certificate
# compression tests and the benchmark's handshake-bytes row, added to a PKI made by
# tests/pki/make_pki.sh (it uses its ca.cnf). Idempotent (marker .done-rsa3) and safe to
# run from parallel tests (flock).
#   rsa3-root.pem / .key        root "sslpp Test RSA Root CA"
#   rsa3-int.pem / .key         intermediate "sslpp Test RSA Intermediate CA", from the root
#   rsa3-leaf.pem / .key        localhost leaf (make_pki.sh's v3_leaf), from the intermediate
#   rsa3-fullchain.pem          leaf, intermediate, root: the three certificates a server sends
set -euo pipefail
dir=${1:?usage: rsa_chain_pki.sh PKIDIR}
cd "$dir"
exec 9>.rsa3.lock
flock 9
if [ -f .done-rsa3 ]; then exit 0; fi
[ -f ca.cnf ] || { echo "rsa_chain_pki.sh: $dir has no ca.cnf (run make_pki.sh first)" >&2; exit 1; }
ossl() { openssl "$@" 2>/dev/null; }
rsakey() { ossl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1"; }
# issue NAME ISSUER EXT SUBJECT DAYS
issue() {
  ossl req -new -config ca.cnf -key "$1.key" -subj "$4" -out "$1.csr"
  ossl x509 -req -in "$1.csr" -CA "$2.pem" -CAkey "$2.key" -CAcreateserial -extfile ca.cnf -extensions "$3" \
    -days "$5" -sha256 -out "$1.pem"
  rm -f "$1.csr"
}
rsakey rsa3-root.key
ossl req -new -x509 -config ca.cnf -extensions v3_ca -key rsa3-root.key -subj "/O=sslpp tests/CN=sslpp Test RSA Root CA" \
  -days 3650 -sha256 -out rsa3-root.pem
rsakey rsa3-int.key && issue rsa3-int rsa3-root v3_ca "/O=sslpp tests/CN=sslpp Test RSA Intermediate CA" 3000
rsakey rsa3-leaf.key && issue rsa3-leaf rsa3-int v3_leaf "/O=sslpp tests/CN=localhost" 825
cat rsa3-leaf.pem rsa3-int.pem rsa3-root.pem > rsa3-fullchain.pem
touch .done-rsa3
