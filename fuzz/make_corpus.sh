#!/usr/bin/env bash
# make_corpus.sh OUT_DIR — the seed corpora of sslpp's fuzz targets, made from the test PKI:
#   OUT_DIR/pki                 the test PKI (tests/pki/make_pki.sh)
#   OUT_DIR/seeds/certificate_pem   every certificate and key of the PKI, as PEM text
#   OUT_DIR/seeds/certificate_der   every certificate of the PKI, as DER
#   OUT_DIR/seeds/hostname          the names the PKI certifies, and near misses
#   OUT_DIR/seeds/ssl_server|ssl_client  real handshake transcripts (fuzz/record_seeds.cpp)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
out=${1:?usage: make_corpus.sh OUT_DIR}
mkdir -p "$out"
out=$(cd "$out" && pwd)
"$root/tests/pki/make_pki.sh" "$out/pki"
seeds=$out/seeds
rm -rf "$seeds"
mkdir -p "$seeds"/{certificate_pem,certificate_der,hostname,ssl_server,ssl_client,ech}

for f in "$out"/pki/*.pem "$out"/pki/*.key; do
  cp "$f" "$seeds/certificate_pem/$(basename "$f")"
done
for f in "$out"/pki/*.pem; do
  n=$(basename "$f" .pem)
  openssl x509 -in "$f" -outform DER -out "$seeds/certificate_der/$n.der" 2>/dev/null || true
done

i=0
for name in localhost localhost. LOCALHOST 127.0.0.1 ::1 '[::1]' wrong.example a.b.c.example xn--bcher-kva.example \
            '*.example' .leading trailing.. 'a..b' "$(printf 'a%.0s' {1..63}).example" "$(printf 'b%.0s' {1..64})" \
            1.2.3 256.1.1.1 ::ffff:1.2.3.4 'under_score.example' 'sp ace' '99999999999999:&;1'; do
  printf '%s' "$name" > "$seeds/hostname/$i"
  i=$((i + 1))
done

# ECH: a config list bssl-tool made (even first byte: a client's list) and its single config
# (odd first byte: ech_keys::load's input), with one of two configs and a bad version each.
if command -v bssl-tool >/dev/null; then
  tmp=$(mktemp -d)
  bssl-tool generate-ech -out-ech-config-list "$tmp/list" -out-ech-config "$tmp/config" -out-private-key "$tmp/key" \
    -public-name public.example -config-id 1 >/dev/null
  { printf '\000'; cat "$tmp/list"; } > "$seeds/ech/list"
  { printf '\001'; cat "$tmp/config"; } > "$seeds/ech/config"
  { printf '\000'; cat "$tmp/list" | head -c 20; } > "$seeds/ech/list-cut"
  rm -rf "$tmp"
fi

c++ -std=c++20 -O1 -I"$root/include" -isystem /usr/include/android "$here/record_seeds.cpp" -o "$out/record_seeds" \
  -L/usr/lib/x86_64-linux-gnu/android -Wl,-rpath,/usr/lib/x86_64-linux-gnu/android -lssl -lcrypto -lfmt -pthread
"$out/record_seeds" "$out/pki" "$seeds"
echo "make_corpus: seeds in $seeds: $(for d in "$seeds"/*; do printf '%s=%s ' "$(basename "$d")" "$(ls "$d" | wc -l)"; done)"
