#!/usr/bin/env bash
# CI step: the test suite under sanitizers.
#
#   1. AddressSanitizer + UndefinedBehaviorSanitizer (preset "asan"; LeakSanitizer on):
#      every CTest test labelled "unit" (all tests/test_*.cpp programs) or "cli" (the sslpp
#      command's black-box tests, run against the sanitized command), except the soak and
#      the 2 GiB write (minutes under ASan, and no code path the other tests miss). Not "compile_fail",
#      "consumer" or "readme": those only compile and install, so a sanitizer adds nothing.
#   2. ThreadSanitizer (preset "tsan"): the programs that run TLS on several threads at once —
#      test_concurrency (one client and one server context shared by 8 threads doing
#      handshakes), test_handshake and test_interop_basic (a server thread per test),
#      test_sessions (the session cache, when it exists) and test_socket (tcp_listener::close from
#      one thread waking accept on others), test_attacks_review3 (close racing accepts, descriptor
#      reuse, the asio stream against peers). TSan runs a subset because a second
#      full build would double the step's time on 2 cores.
#
# The asan preset leaves out UBSan's null, nonnull-attribute and returns-nonnull-attribute
# checks: with them GCC 12 cannot constant-evaluate the constexpr tables behind the
# compile-time literal checks (a GCC bug: "... == 0 is not a constant expression"). A null
# dereference is still caught, by ASan, as a SEGV with its stack.
#
# SANITIZERS=asan or SANITIZERS=tsan runs one half. Exit status: non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/../.."
jobs=$(nproc 2>/dev/null || echo 2)
which=${SANITIZERS:-asan tsan}

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:detect_stack_use_after_return=1:check_initialization_order=1:strict_init_order=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1}

status=0
if [[ " $which " == *" asan "* ]]; then
  start=$SECONDS
  cmake --preset asan -DSSLPP_BUILD_BENCH=OFF >/dev/null
  cmake --build --preset asan -j "$jobs"
  if ctest --preset asan -j "$jobs" -L 'unit|cli' -E '^test_soak:|^test_io_limits:a write above INT_MAX' --timeout 600 | tee build/asan/sanitizers-ctest.log | tail -25; then :; else status=1; fi
  grep -q "tests passed, 0 tests failed" build/asan/sanitizers-ctest.log || status=1
  echo "sanitizers: ASan+UBSan: $(grep -o '[0-9]* tests failed out of [0-9]*' build/asan/sanitizers-ctest.log || grep -o '100% tests passed.*' build/asan/sanitizers-ctest.log) ($((SECONDS - start)) s)"
fi

if [[ " $which " == *" tsan "* ]]; then
  start=$SECONDS
  tsan_targets=()
  for t in test_concurrency test_handshake test_interop_basic test_sessions test_socket test_attacks_review3; do
    [ -f "tests/$t.cpp" ] && tsan_targets+=("$t")
  done
  cmake --preset tsan -DSSLPP_BUILD_BENCH=OFF -DSSLPP_BUILD_EXAMPLES=OFF >/dev/null
  cmake --build --preset tsan -j "$jobs" --target "${tsan_targets[@]}"
  regex="^($(IFS='|'; echo "${tsan_targets[*]}")):"
  # -j1: TSan is slow enough; parallel runs of thread-heavy tests only add timeouts.
  if ctest --preset tsan -R "$regex" --timeout 600 | tee build/tsan/sanitizers-ctest.log | tail -15; then :; else status=1; fi
  grep -q "tests passed, 0 tests failed" build/tsan/sanitizers-ctest.log || status=1
  echo "sanitizers: TSan (${tsan_targets[*]}): $(grep -o '[0-9]* tests failed out of [0-9]*' build/tsan/sanitizers-ctest.log || grep -o '100% tests passed.*' build/tsan/sanitizers-ctest.log) ($((SECONDS - start)) s)"
fi
exit $status
