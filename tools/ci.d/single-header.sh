#!/usr/bin/env bash
# CI step: single_include/sslpp.hpp must be exactly what tools/amalgamate.py makes from include/.
set -euo pipefail
cd "$(dirname "$0")/../.."
tmp=$(mktemp /tmp/sslpp-single-XXXXXX.hpp)
trap 'rm -f "$tmp"' EXIT
python3 tools/amalgamate.py -o "$tmp"
if ! cmp -s "$tmp" single_include/sslpp.hpp; then
  diff -u single_include/sslpp.hpp "$tmp" | head -40 >&2 || true
  echo "single-header: single_include/sslpp.hpp is out of date with include/sslpp/ (or was edited by hand)." >&2
  echo "single-header: run tools/amalgamate.py and commit single_include/sslpp.hpp." >&2
  exit 1
fi
echo "single-header: single_include/sslpp.hpp is up to date (sslpp $(python3 -c 'import re;t=open("include/sslpp/config.hpp").read();print(".".join(re.search(r"SSLPP_VERSION_"+k+r" (\d+)",t).group(1) for k in ("MAJOR","MINOR","PATCH")))'))"
