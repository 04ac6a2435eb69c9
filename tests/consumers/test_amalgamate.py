#!/usr/bin/env python3
"""test_amalgamate.py SOURCE_DIR [CXX] — tools/amalgamate.py on a fixture tree
(tests/consumers/amalgamate_fixture): includes are followed recursively (<sslpp/...> and
"relative"), each header is inlined once (a redefinition would not compile), an include cycle
ends, a header first included under #if is still there when the condition is false and not
doubled when it is true, a header included under `#if SSLPP_WITH_DEFINITIONS` (always true
in the header-only single header) is inlined once without a guard, classic include guards are handled, the version and licence head the
output, the output is deterministic, and a missing header is a clear error."""
import os
import shutil
import subprocess
import sys
import tempfile

src = os.path.abspath(sys.argv[1])
cxx = sys.argv[2] if len(sys.argv) > 2 and sys.argv[2] else "c++"
tool = os.path.join(src, "tools", "amalgamate.py")
fixture = os.path.join(src, "tests", "consumers", "amalgamate_fixture")
failures = []


def amalgamate(root, out):
    return subprocess.run([sys.executable, tool, "--root", root, "-o", out], stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True)


with tempfile.TemporaryDirectory() as tmp:
    out = os.path.join(tmp, "single.hpp")
    p = amalgamate(fixture, out)
    if p.returncode != 0:
        sys.exit(f"amalgamate.py failed on the fixture: {p.stdout}")
    text = open(out).read()
    if "#include <sslpp/" in text or '#include "' in text:
        failures.append("an sslpp include was left in the output")
    if "// fixture — SPDX-License-Identifier: MIT" not in text.splitlines()[0]:
        failures.append("the licence header is not the first line")
    if "sslpp 7.8.9" not in text:
        failures.append("the version from config.hpp is not in the banner")
    if "#include <vector>" not in text:
        failures.append("a standard include was dropped")
    if "SSLPP_AMALGAMATED_SSLPP_IMPL_E_IPP" in text:
        failures.append("impl/e.ipp, included under #if SSLPP_WITH_DEFINITIONS, was guarded as conditional")
    for name in ("a", "b", "c", "e"):
        if text.count(f"inline int {name}_value") != 1:
            failures.append(f"{name}.hpp inlined {text.count(f'inline int {name}_value')} times, not once")
    amalgamate(fixture, out + "2")
    if open(out + "2").read() != text:
        failures.append("two runs gave different output")
    main = os.path.join(tmp, "main.cpp")
    with open(main, "w") as f:
        f.write('#include "single.hpp"\nint main() { return (a_value == 9 && c_value == 18 && e_value == 107) ? 0 : 1; }\n')
    for defs in ([], ["-DWITH_OPT"]):
        exe = os.path.join(tmp, "main")
        c = subprocess.run([cxx, "-std=c++20", *defs, main, "-o", exe], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True)
        if c.returncode != 0:
            failures.append(f"the amalgamation does not compile with {defs or 'no defines'}:\n{c.stdout}")
        elif subprocess.run([exe]).returncode != 0:
            failures.append(f"wrong values with {defs or 'no defines'} (a header's order or content is wrong)")
    # A missing header: a clear error naming the including file and the header.
    broken = os.path.join(tmp, "broken")
    shutil.copytree(fixture, broken)
    with open(os.path.join(broken, "include", "sslpp", "c.hpp"), "a") as f:
        f.write("#include <sslpp/missing.hpp>\n")
    p = amalgamate(broken, os.path.join(tmp, "x.hpp"))
    if p.returncode == 0 or "sslpp/c.hpp" not in p.stdout or "sslpp/missing.hpp" not in p.stdout:
        failures.append(f"a missing header is not a clear error: rc={p.returncode} {p.stdout!r}")

for f in failures:
    print("test_amalgamate: " + f, file=sys.stderr)
if not failures:
    print("test_amalgamate: ok")
sys.exit(1 if failures else 0)
