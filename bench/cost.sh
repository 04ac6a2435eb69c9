#!/usr/bin/env bash
# bench/cost.sh — what sslpp costs at build time: the compile time of a translation unit
# that makes one verified client connection, and the stripped size of the program, each
# against the same client written by hand over BoringSSL's C API + fmt, and through
# Boost.Asio's ssl (system OpenSSL) when <boost/asio/ssl.hpp> and libssl-dev are installed.
#
#   bench/cost.sh [RUNS]      (default 5; prints a Markdown table)
#
# Compile time: `g++ -std=c++20 -O0 -c`, CPU seconds (user+sys, so other processes on the
# machine disturb it less than wall time), the minimum and median of RUNS runs.
# Size: `g++ -std=c++20 -O2 -DNDEBUG`, linked against the shared libssl/libcrypto/libfmt
# (as Debian ships them), then `strip`; bytes of the executable.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
cxx=${CXX:-g++}
src=bench/cost
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

bssl_inc=/usr/include/android
bssl_lib=/usr/lib/x86_64-linux-gnu/android
sslpp_flags=(-Iinclude -I"$bssl_inc")
hand_flags=(-I"$bssl_inc")
bssl_link=(-L"$bssl_lib" -Wl,-rpath,"$bssl_lib" -lssl -lcrypto -lfmt)

# The single header, amalgamated afresh from include/ (tools/amalgamate.py -o), and the
# same TU including it as "sslpp.hpp".
mkdir -p "$tmp/single"
python3 tools/amalgamate.py -o "$tmp/single/sslpp.hpp" >/dev/null
sed 's|#include <sslpp/sslpp.hpp>|#include "sslpp.hpp"|' "$src/sslpp_client.cpp" > "$tmp/single_client.cpp"

cpu_time() {  # cpu_time FILE FLAGS... -> prints min and median CPU seconds of $runs compiles
  local file=$1; shift
  local times=()
  for ((i = 0; i < runs; i++)); do
    local t
    if ! /usr/bin/time -o "$tmp/time" -f '%U %S' "$cxx" -std=c++20 -O0 -c "$file" -o "$tmp/x.o" "$@" >/dev/null 2>"$tmp/err"; then
      echo "compile of $file failed:" >&2
      cat "$tmp/err" >&2
      return 1
    fi
    times+=("$(awk '{printf "%.2f", $1 + $2}' "$tmp/time")")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.2f %.2f\n", a[1], a[int((NR+1)/2)]}'
}

size_of() {  # size_of FILE OUT FLAGS... -> stripped bytes
  local file=$1 out=$2; shift 2
  "$cxx" -std=c++20 -O2 -DNDEBUG "$file" -o "$tmp/$out" "$@"
  strip "$tmp/$out"
  stat -c %s "$tmp/$out"
}

have_asio=0
if [ -f /usr/include/boost/asio/ssl.hpp ] && [ -f /usr/include/openssl/ssl.h ]; then have_asio=1; fi

read -r hand_min hand_med < <(cpu_time "$src/hand_client.cpp" "${hand_flags[@]}")
read -r pp_min pp_med < <(cpu_time "$src/sslpp_client.cpp" "${sslpp_flags[@]}")
read -r single_min single_med < <(cpu_time "$tmp/single_client.cpp" -I"$tmp/single" -I"$bssl_inc")
# README's "A first client", extracted from README.md as it stands (it also prints the
# certificate in Python's getpeercert() form), header-only and compiled.
python3 - "$tmp/readme_client.cpp" <<'PY'
import re, sys
text = open("README.md", encoding="utf-8").read()
section = text[text.index("## A first client"):]
code = re.search(r"```cpp\n(.*?)```", section, re.S).group(1)
open(sys.argv[1], "w").write(code)
PY
read -r readme_min readme_med < <(cpu_time "$tmp/readme_client.cpp" "${sslpp_flags[@]}")
read -r readme_comp_min readme_comp_med < <(cpu_time "$tmp/readme_client.cpp" -DSSLPP_COMPILED "${sslpp_flags[@]}")
# The compiled mode (sslpp::sslpp_compiled): the same TU with SSLPP_COMPILED, linked against
# libsslpp.so built from src/sslpp.cpp (shared, as Debian ships libssl, libcrypto and libfmt).
read -r comp_min comp_med < <(cpu_time "$src/sslpp_client.cpp" -DSSLPP_COMPILED "${sslpp_flags[@]}")
"$cxx" -std=c++20 -O2 -DNDEBUG -fPIC -shared -DSSLPP_BUILDING_LIBRARY src/sslpp.cpp -o "$tmp/libsslpp.so" \
  "${sslpp_flags[@]}" "${bssl_link[@]}"
strip "$tmp/libsslpp.so"
lib_size=$(stat -c %s "$tmp/libsslpp.so")
if [ $have_asio = 1 ]; then read -r asio_min asio_med < <(cpu_time "$src/asio_client.cpp"); fi

hand_size=$(size_of "$src/hand_client.cpp" hand "${hand_flags[@]}" "${bssl_link[@]}")
pp_size=$(size_of "$src/sslpp_client.cpp" sslpp "${sslpp_flags[@]}" "${bssl_link[@]}")
comp_size=$(size_of "$src/sslpp_client.cpp" sslpp_compiled -DSSLPP_COMPILED "${sslpp_flags[@]}" -L"$tmp" -lsslpp "${bssl_link[@]}")
if [ $have_asio = 1 ]; then asio_size=$(size_of "$src/asio_client.cpp" asio -lssl -lcrypto -lpthread); fi

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }

echo "| one verified client connection | compile CPU s, -O0 -c (min / median of $runs) | × hand-written | stripped -O2 executable, bytes | × hand-written |"
echo "|---|---|---|---|---|"
echo "| by hand: <openssl/ssl.h> (BoringSSL) + <fmt/format.h> | $hand_min / $hand_med | 1.00 | $hand_size | 1.00 |"
echo "| sslpp: <sslpp/sslpp.hpp> | $pp_min / $pp_med | **$(ratio "$pp_min" "$hand_min")** (target ≤ 1.5) | $pp_size | **$(ratio "$pp_size" "$hand_size")** (target ≤ 3) |"
echo "| sslpp compiled mode: <sslpp/sslpp.hpp> with SSLPP_COMPILED, linked to libsslpp.so ($lib_size bytes stripped) | $comp_min / $comp_med | **$(ratio "$comp_min" "$hand_min")** (target ≤ 1.5) | $comp_size | **$(ratio "$comp_size" "$hand_size")** (target ≤ 2) |"
echo "| README's first client (prints the certificate too), header-only | $readme_min / $readme_med | $(ratio "$readme_min" "$hand_min") | | |"
echo "| README's first client, compiled mode | $readme_comp_min / $readme_comp_med | **$(ratio "$readme_comp_min" "$hand_min")** (target ≤ 1.5) | | |"
echo "| sslpp single header: \"sslpp.hpp\" (tools/amalgamate.py) | $single_min / $single_med | $(ratio "$single_min" "$hand_min") | | |"
if [ $have_asio = 1 ]; then
  echo "| Boost.Asio: <boost/asio.hpp> + <boost/asio/ssl.hpp> (OpenSSL 3) | $asio_min / $asio_med | $(ratio "$asio_min" "$hand_min") | $asio_size | $(ratio "$asio_size" "$hand_size") |"
else
  echo "| Boost.Asio | not installed (apt-get install libboost-dev libssl-dev) | | | |"
fi
echo
echo "$("$cxx" --version | head -1); sources in bench/cost/."
