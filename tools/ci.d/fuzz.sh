#!/usr/bin/env bash
# CI step: build sslpp's libFuzzer targets (fuzz/fuzz_*.cpp) with Debian's clang 14 and
# -fsanitize=fuzzer,address,undefined, make their seed corpora from the test PKI
# (fuzz/make_corpus.sh), and run each target for a bounded time.
#
#   tools/ci.d/fuzz.sh                  every target, FUZZ_SECONDS (default 30) each
#   FUZZ_SECONDS=3600 tools/ci.d/fuzz.sh fuzz_hostname    one target, an hour (by hand)
#
# Needs clang-14 and libclang-rt-14-dev (libFuzzer's runtime); installs the latter with
# apt-get when it is missing. A crash, leak, sanitizer report or timeout fails the step;
# the input that caused it is kept in build/fuzz/artifacts/. Executions per target are
# written to build/fuzz/summary.txt.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
out=$root/build/fuzz
seconds=${FUZZ_SECONDS:-30}
cxx=${FUZZ_CXX:-clang++-14}

rt=/usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer-x86_64.a
if ! command -v "$cxx" >/dev/null || ! ls /usr/lib/llvm-14/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1; then
  echo "fuzz: installing clang-14 and libclang-rt-14-dev (libFuzzer)"
  as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends clang-14 libclang-rt-14-dev >/dev/null
fi
: "$rt"

mkdir -p "$out"/{bin,corpus,artifacts,logs}
fuzz/make_corpus.sh "$out" >/dev/null

bssl_lib=/usr/lib/x86_64-linux-gnu/android
targets=()
if [ $# -gt 0 ]; then targets=("$@"); else
  for f in fuzz/fuzz_*.cpp; do targets+=("$(basename "$f" .cpp)"); done
fi

# Seeds of each target.
seeds_for() {
  case $1 in
    fuzz_certificate_pem) echo certificate_pem ;;
    fuzz_certificate_der) echo certificate_der ;;
    fuzz_hostname) echo hostname ;;
    fuzz_ech_config) echo ech ;;
    *server) echo ssl_server ;;
    *client) echo ssl_client ;;
  esac
}

: > "$out/summary.txt"
failed=0
for t in "${targets[@]}"; do
  src=fuzz/$t.cpp
  # ssl_object targets need the sans-IO API (issue 4); say so instead of failing when it is absent.
  if grep -q ssl_object "$src" && [ ! -f include/sslpp/ssl_object.hpp ]; then
    echo "$t: not run (include/sslpp/ssl_object.hpp does not exist yet)" | tee -a "$out/summary.txt"
    continue
  fi
  echo "fuzz: building $t"
  if ! "$cxx" -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
      -I"$root/include" -isystem /usr/include/android -DSSLPP_FUZZ_PKI="\"$out/pki\"" "$src" -o "$out/bin/$t" \
      -L"$bssl_lib" -Wl,-rpath,"$bssl_lib" -lssl -lcrypto -lfmt 2>"$out/logs/$t.build.log"; then
    cat "$out/logs/$t.build.log" >&2
    echo "$t: BUILD FAILED" | tee -a "$out/summary.txt"
    failed=1
    continue
  fi
  corpus=$out/corpus/$t
  mkdir -p "$corpus"
  seeds=$out/seeds/$(seeds_for "$t")
  echo "fuzz: running $t for ${seconds}s"
  set +e
  (cd "$out/artifacts" && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
    "$out/bin/$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=8192 \
      -print_final_stats=1 -artifact_prefix="$out/artifacts/$t-" "$corpus" "$seeds") >"$out/logs/$t.log" 2>&1
  rc=$?
  set -e
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/logs/$t.log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$out/logs/$t.log" | tail -1 | cut -d' ' -f2)
  if [ $rc -ne 0 ]; then
    tail -60 "$out/logs/$t.log" >&2
    echo "$t: FAILED (exit $rc) after ${execs:-?} executions; input kept in $out/artifacts/" | tee -a "$out/summary.txt"
    failed=1
  else
    echo "$t: ${execs:-0} executions in ${seconds}s, coverage ${cov:-?} edges, corpus $(ls "$corpus" | wc -l) inputs, no failure" |
      tee -a "$out/summary.txt"
  fi
done
exit $failed
