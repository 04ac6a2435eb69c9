#!/usr/bin/env bash
# CI step: the meson build. Configures meson.build with the tests on, checks that it declares a
# test program for every tests/test_*.cpp (the same tests as CMake), then builds and runs the
# PKI step and test_handshake under meson (building every test program twice, once per build
# system, would not fit CI's time budget; SSLPP_MESON_ALL=1 builds and runs them all).
set -euo pipefail
cd "$(dirname "$0")/../.."
build=build/meson-ci
if [ -d "$build" ]; then
  meson setup --reconfigure "$build" -Dtests=enabled >/dev/null
else
  meson setup "$build" -Dtests=enabled >/dev/null
fi
expected=$(ls tests/test_*.cpp | sed 's|tests/||; s|\.cpp$||' | sort)
declared=$(meson introspect --tests "$build" | python3 -c 'import json,sys; print("\n".join(sorted(t["name"] for t in json.load(sys.stdin) if t["name"] != "pki")))')
if [ "$expected" != "$declared" ]; then
  echo "meson: meson.build's tests differ from tests/test_*.cpp:" >&2
  diff <(echo "$expected") <(echo "$declared") >&2 || true
  exit 1
fi
if [ "${SSLPP_MESON_ALL:-0}" = 1 ]; then
  meson compile -C "$build"
  meson test -C "$build" --no-rebuild --print-errorlogs
else
  meson compile -C "$build" test_handshake
  meson test -C "$build" --no-rebuild --print-errorlogs pki test_handshake
fi
echo "meson: $(echo "$expected" | wc -l) test programs declared; sslpp_dep builds and test_handshake passes under meson"
