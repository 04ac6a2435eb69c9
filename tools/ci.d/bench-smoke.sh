#!/usr/bin/env bash
# CI step: the benchmarks must build and run, so they cannot rot. Builds sslpp_bench (in
# the default build, with the tests) and runs its ~5-second smoke (--quick: every workload,
# tiny sizes), then the asynchronous workloads (sslpp_async_bench and Boost.Asio's
# sslpp_alt_asio_async, where Boost.Asio 1.80+ and OpenSSL 3 headers are found) with a few
# operations each. It fails on an error (a workload that breaks, a handshake or verification
# failure), never on the figures: those are for bench/README.md, from a Release build.
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${SSLPP_BENCH_BUILD:-build/default}
if [ ! -f "$build/build.ninja" ] && [ ! -f "$build/Makefile" ]; then
  cmake --preset default >/dev/null
fi
cmake --build "$build" --target sslpp_bench
out=$(mktemp)
trap 'rm -f "$out"' EXIT
if ! timeout 120 "$build/bench/sslpp_bench" --quick >"$out" 2>&1; then
  cat "$out"
  echo "bench-smoke: sslpp_bench --quick failed" >&2
  exit 1
fi
grep -q '^| full handshakes/s' "$out" || { cat "$out"; echo "bench-smoke: no table printed" >&2; exit 1; }
echo "bench-smoke: sslpp_bench --quick ran every workload ($(grep -c '^| ' "$out") table rows)"

# The asynchronous programs (bench/async_bench.cpp), where they are configured; they use
# the PKI sslpp_bench made.
targets=$(cmake --build "$build" --target help 2>/dev/null || true)
for prog in sslpp_async_bench sslpp_alt_asio_async; do
  if ! grep -qw "$prog" <<<"$targets"; then
    echo "bench-smoke: $prog is not configured here (Boost.Asio 1.80+ / OpenSSL 3 headers missing): skipped"
    continue
  fi
  cmake --build "$build" --target "$prog"
  for op in "hs-ecdsa 3" "resume 3" "bulk-aes 16" "rtt 50"; do
    set -- $op
    if ! timeout 120 "$build/bench/$prog" --op "$1" --count "$2" >"$out" 2>&1; then
      cat "$out"
      echo "bench-smoke: $prog --op $1 failed" >&2
      exit 1
    fi
  done
  timeout 120 "$build/bench/$prog" --memory 50 >"$out" 2>&1 || { cat "$out"; echo "bench-smoke: $prog --memory failed" >&2; exit 1; }
  grep -q "heap bytes per idle connection" "$out" || { cat "$out"; echo "bench-smoke: $prog printed no memory figure" >&2; exit 1; }
  echo "bench-smoke: $prog ran hs-ecdsa, resume, bulk-aes, rtt and memory"
done

# The certificate compression row (built where brotli and zlib are: sslpp::cert_compression).
if grep -q sslpp_handshake_bytes "$build/build.ninja" "$build/Makefile" 2>/dev/null; then
  cmake --build "$build" --target sslpp_handshake_bytes
  if ! timeout 60 "$build/bench/sslpp_handshake_bytes" --seconds 0.05 >"$out" 2>&1 || ! grep -q '^| brotli |' "$out"; then
    cat "$out"
    echo "bench-smoke: sslpp_handshake_bytes failed" >&2
    exit 1
  fi
  echo "bench-smoke: sslpp_handshake_bytes printed its table"
fi
