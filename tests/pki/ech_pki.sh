#!/usr/bin/env bash
# ech_pki.sh PKIDIR — the certificates of the Encrypted Client Hello tests, added to a PKI
# made by tests/pki/make_pki.sh (it needs intermediate.pem and its key there). The tests
# run it themselves (idempotent, marker .done-ech; safe from parallel tests: flock).
#
#   ech-secret.pem / .key      leaf for DNS:secret.example only (the name ECH hides)
#   ech-public.pem / .key      leaf for DNS:public.example only (the ECH public name)
#   ech-both.pem / .key        leaf for both names (for a server that cannot pick by name)
#   fullchain-ech-*.pem        each leaf followed by the intermediate (what a server loads)
# All are P-256 leaves signed by the intermediate, so the test root verifies them.
set -euo pipefail
dir=${1:?usage: ech_pki.sh PKIDIR}
cd "$dir"
exec 9>.ech.lock
flock 9
if [ -f .done-ech ]; then exit 0; fi
for f in intermediate; do
  [ -f "$f.pem" ] && [ -f "$f.key" ] || { echo "ech_pki.sh: $dir has no $f.pem/.key (run make_pki.sh first)" >&2; exit 1; }
done
ossl() { openssl "$@" 2>/dev/null; }
leaf() { # NAME SAN
  cat > "ech-$1.ext" <<EXT
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = $2
EXT
  ossl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "ech-$1.key"
  ossl req -new -key "ech-$1.key" -subj "/O=sslpp tests/CN=ech $1" -out "ech-$1.csr"
  ossl x509 -req -in "ech-$1.csr" -CA intermediate.pem -CAkey intermediate.key -set_serial "0x$(openssl rand -hex 8)" \
    -days 825 -sha256 -extfile "ech-$1.ext" -out "ech-$1.pem"
  cat "ech-$1.pem" intermediate.pem > "fullchain-ech-$1.pem"
  rm -f "ech-$1.csr" "ech-$1.ext"
}
leaf secret "DNS:secret.example"
leaf public "DNS:public.example"
leaf both "DNS:secret.example, DNS:public.example"
touch .done-ech
