#!/usr/bin/env bash
# ocsp_response.sh PKI_DIR CERT OUT [good|revoked]
#
# Writes to OUT a real DER OCSP response about the certificate PKI_DIR/CERT (issued by the
# test intermediate CA), signed by that CA (RFC 6960 §4.2.2.2: the issuer may sign its own
# responses), made with `openssl ocsp` from the PKI's own CA database (index.txt). With
# "revoked", the response says the certificate was revoked on 2025-01-01 (the PKI itself
# is not changed: a copy of its database is). Safe to run concurrently: it works in a
# temporary directory and renames OUT into place.
set -euo pipefail
pki=${1:?usage: ocsp_response.sh PKI_DIR CERT OUT [good|revoked]}
cert=$pki/${2:?CERT missing}
out=${3:?OUT missing}
status=${4:-good}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$pki/index.txt" "$work/index.txt"
echo "unique_subject = no" > "$work/index.txt.attr"  # the PKI repeats subjects (CN=localhost)
if [ "$status" = revoked ]; then
  serial=$(openssl x509 -in "$cert" -noout -serial | sed 's/^serial=//')
  awk -F'\t' -v OFS='\t' -v s="$serial" '$4 == s { $1 = "R"; $3 = "250101000000Z" } { print }' \
    "$pki/index.txt" > "$work/index.txt"
elif [ "$status" != good ]; then
  echo "ocsp_response.sh: status must be good or revoked, not '$status'" >&2
  exit 2
fi
openssl ocsp -issuer "$pki/intermediate.pem" -cert "$cert" -no_nonce -reqout "$work/req.der"
openssl ocsp -index "$work/index.txt" -rsigner "$pki/intermediate.pem" -rkey "$pki/intermediate.key" \
  -CA "$pki/intermediate.pem" -reqin "$work/req.der" -respout "$work/resp.der" -ndays 7 >/dev/null
mv "$work/resp.der" "$out.tmp.$$"
mv "$out.tmp.$$" "$out"
