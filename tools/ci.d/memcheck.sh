#!/usr/bin/env bash
# CI step: valgrind memcheck over a representative subset of the tests, in the default
# (unsanitized) build: handshakes and shutdowns (test_handshake), the failure paths
# (test_bad_input: every bad file, password, host name, peer), certificate parsing
# (test_certificate), and the shutdown and unwrap paths of streams and sans-IO objects
# (test_transport's close_notify, ragged-EOF, peer-gone, unwrap and garbage cases — its
# timeout cases have 200 ms deadlines valgrind's slowdown overruns, and its bulk
# transfers take many minutes under valgrind; test_sans_io's handshake, unwrap, ragged-EOF
# and handshake-failure cases).
#
# Passes only with zero invalid accesses, zero uses of uninitialised values and zero
# definitely or indirectly lost blocks (--error-exitcode). "Still reachable" blocks (the
# backend's process-wide tables, made once) are not leaks and are not counted.
#
#   tools/ci.d/memcheck.sh [test_program[:catch_filter]...]
set -euo pipefail
cd "$(dirname "$0")/../.."
jobs=$(nproc 2>/dev/null || echo 2)
command -v valgrind >/dev/null || { echo "memcheck: valgrind is not installed (apt-get install valgrind)" >&2; exit 1; }

specs=("$@")
if [ ${#specs[@]} -eq 0 ]; then
  for t in test_handshake test_bad_input test_certificate "test_transport:*close_notify*,*ragged EOF*,*went away*,unwrap*,garbage instead*" "test_sans_io:ssl_object unwrap*,*ragged EOF*,ssl_object handshake failures*,two ssl_objects*"; do
    [ -f "tests/${t%%:*}.cpp" ] && specs+=("$t")
  done
fi
programs=()
for s in "${specs[@]}"; do programs+=("${s%%:*}"); done

cmake --preset default >/dev/null
cmake --build --preset default -j "$jobs" --target "${programs[@]}"
export SSLPP_TEST_PKI=$PWD/build/default/pki
tests/pki/make_pki.sh "$SSLPP_TEST_PKI"
mkdir -p build/default/memcheck

status=0
for spec in "${specs[@]}"; do
  p=${spec%%:*}
  filter=()
  [[ $spec == *:* ]] && filter=("${spec#*:}")
  log=build/default/memcheck/$p.log
  start=$SECONDS
  # Catch2 runs every case of the program in one process: one valgrind run per program.
  if valgrind --tool=memcheck --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect \
      --errors-for-leak-kinds=definite,indirect --track-origins=yes --num-callers=30 \
      --log-file="$log" "build/default/tests/$p" "${filter[@]}" >"$log.out" 2>&1; then
    echo "memcheck: $p: $(grep -o 'test cases: *[0-9]*[^|]*|[^|]*' "$log.out" | head -1 || grep -o 'All tests passed.*' "$log.out"), $(grep -o 'ERROR SUMMARY: [0-9]* errors' "$log"), $(grep -o 'definitely lost: [0-9,]* bytes' "$log" || echo 'definitely lost: 0 bytes') ($((SECONDS - start)) s)"
  else
    status=1
    tail -40 "$log.out" >&2
    grep -A30 -m3 -E 'Invalid|uninitialised|definitely lost in|indirectly lost in' "$log" >&2 || true
    echo "memcheck: $p: FAILED ($(grep -o 'ERROR SUMMARY: [0-9]* errors' "$log")); full report in $log" >&2
  fi
done
exit $status
