#!/usr/bin/env bash
# make_demo_credentials.sh — makes the built-in test credentials of `sslpp demo` and writes
# them, as PEM text, to examples/cli/demo_credentials.hpp (committed; rerun to replace them).
#
#   "sslpp demo CA"      ECDSA P-256 root, valid 2025-01-01 .. 2045-12-31
#   "localhost"          ECDSA P-256 leaf signed by it, DNS:localhost, IP:127.0.0.1, IP:::1,
#                        serverAuth, valid 2025-01-01 .. 2045-12-31
#
# These keys are PUBLIC (they are in the repository): they only serve the loopback demo and
# must never protect anything.
set -euo pipefail
cd "$(dirname "$0")/.."
out=examples/cli/demo_credentials.hpp
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"

cat > ca.cnf <<'CNF'
[ ca ]
default_ca = demo_ca
[ demo_ca ]
dir = .
database = ./index.txt
new_certs_dir = .
serial = ./serial
default_md = sha256
policy = any
unique_subject = no
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
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
subjectAltName = DNS:localhost, IP:127.0.0.1, IP:::1
CNF
touch index.txt
echo 1000 > serial
start=20250101000000Z
end=20451231235959Z

openssl ecparam -name prime256v1 -genkey -noout -out ca.key 2>/dev/null
openssl req -new -key ca.key -subj "/O=sslpp/CN=sslpp demo CA" -config ca.cnf -out ca.csr
openssl ca -batch -config ca.cnf -selfsign -keyfile ca.key -in ca.csr -extensions v3_ca \
  -startdate $start -enddate $end -out ca.pem -notext 2>/dev/null

openssl ecparam -name prime256v1 -genkey -noout -out leaf.ec 2>/dev/null
openssl pkcs8 -topk8 -nocrypt -in leaf.ec -out leaf.key
openssl req -new -key leaf.key -subj "/O=sslpp/CN=localhost" -config ca.cnf -out leaf.csr
openssl ca -batch -config ca.cnf -cert ca.pem -keyfile ca.key -in leaf.csr -extensions v3_leaf \
  -startdate $start -enddate $end -out leaf.pem -notext 2>/dev/null
openssl verify -CAfile ca.pem leaf.pem >/dev/null

{
  echo "// sslpp — SPDX-License-Identifier: MIT"
  echo "//"
  echo "// demo_credentials.hpp: the built-in credentials of \`sslpp demo\`, made by"
  echo "// tools/make_demo_credentials.sh (valid 2025-01-01 .. 2045-12-31). The private key is"
  echo "// public: it serves the loopback demo only and must never protect anything."
  echo "#pragma once"
  echo
  echo "namespace sslpp_cli::demo_credentials {"
  echo
  echo "/// ca_pem: the demo CA the demo's client trusts (CN=sslpp demo CA)."
  printf 'inline constexpr const char* ca_pem = R"PEM(%s\n)PEM";\n\n' "$(cat ca.pem)"
  echo "/// leaf_pem: the server's certificate for localhost, 127.0.0.1 and ::1, signed by the demo CA."
  printf 'inline constexpr const char* leaf_pem = R"PEM(%s\n)PEM";\n\n' "$(cat leaf.pem)"
  echo "/// leaf_key_pem: the server's private key (PKCS#8, P-256)."
  printf 'inline constexpr const char* leaf_key_pem = R"PEM(%s\n)PEM";\n\n' "$(cat leaf.key)"
  echo "}  // namespace sslpp_cli::demo_credentials"
} > "$OLDPWD/$out"
echo "wrote $out"
