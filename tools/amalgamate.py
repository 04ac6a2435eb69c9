#!/usr/bin/env python3
"""amalgamate.py — makes single_include/sslpp.hpp from include/sslpp/sslpp.hpp.

    tools/amalgamate.py                 write single_include/sslpp.hpp
    tools/amalgamate.py -o FILE         write FILE instead
    tools/amalgamate.py --check         exit 1 (with a diff summary) when the committed file is stale
    tools/amalgamate.py --root DIR      read DIR/include/ instead (e.g. a `git archive HEAD` export)

Every `#include <sslpp/...>` (and `#include "..."` that names a file next to the including
header) is replaced by the text of that header, the first time the preprocessor would reach
it — the `#pragma once` rule — following includes recursively and in order, whatever headers
exist: nothing here lists them. Other includes (<openssl/...>, <fmt/...>, the standard
library) are kept as they are. The licence header of the umbrella header and the version from
include/sslpp/config.hpp head the output. The output is deterministic (no dates), so CI can
regenerate it and compare.

A header included only inside #if/#ifdef is inlined there wrapped in its own guard macro, and
inlined again (guarded) at its next inclusion, until one inclusion is unconditional: the
result behaves as the original tree would, whatever the conditions evaluate to. One condition
is known: the single header is the header-only edition (it refuses SSLPP_COMPILED), where
`#if SSLPP_WITH_DEFINITIONS` always holds, so what a header includes there (its .ipp
definitions) counts as included unconditionally — inlined once, not guarded and repeated.
"""
import argparse
import difflib
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
INCLUDE_DIR = os.path.join(ROOT, "include")
UMBRELLA = "sslpp/sslpp.hpp"
DEFAULT_OUT = os.path.join(ROOT, "single_include", "sslpp.hpp")

INCLUDE_RE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')
PRAGMA_ONCE_RE = re.compile(r"^\s*#\s*pragma\s+once\b")
IF_RE = re.compile(r"^\s*#\s*(if|ifdef|ifndef)\b")
ENDIF_RE = re.compile(r"^\s*#\s*endif\b")
ELSE_RE = re.compile(r"^\s*#\s*(else|elif)\b")
# The one condition known to hold in the single header (see the module comment).
ALWAYS_RE = re.compile(r"^\s*#\s*if\s+SSLPP_WITH_DEFINITIONS\s*(//.*)?$")
VERSION_RE = re.compile(r"^#define SSLPP_VERSION_(MAJOR|MINOR|PATCH) ([0-9]+)", re.M)


class AmalgamationError(Exception):
    pass


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def version():
    text = read(os.path.join(INCLUDE_DIR, "sslpp", "config.hpp"))
    parts = dict(VERSION_RE.findall(text))
    if set(parts) != {"MAJOR", "MINOR", "PATCH"}:
        raise AmalgamationError("include/sslpp/config.hpp does not define SSLPP_VERSION_MAJOR/MINOR/PATCH")
    return "{MAJOR}.{MINOR}.{PATCH}".format(**parts)


def leading_comment(lines):
    """The // comment block a header starts with (its licence header)."""
    out = []
    for line in lines:
        if line.startswith("//"):
            out.append(line)
        else:
            break
    return out


def guard_lines(lines):
    """Indices (ifndef, define, endif) of a classic include guard, or None."""
    directives = [(i, l) for i, l in enumerate(lines) if l.lstrip().startswith("#")]
    if len(directives) < 3:
        return None
    (i0, l0), (i1, l1), (i2, l2) = directives[0], directives[1], directives[-1]
    m0 = re.match(r"^\s*#\s*ifndef\s+(\w+)", l0)
    m1 = re.match(r"^\s*#\s*define\s+(\w+)\s*$", l1)
    if m0 and m1 and m0.group(1) == m1.group(1) and ENDIF_RE.match(l2):
        return i0, i1, i2
    return None


def macro_for(rel):
    return "SSLPP_AMALGAMATED_" + re.sub(r"[^A-Za-z0-9]", "_", rel).upper()


class Amalgamator:
    def __init__(self):
        self.done = set()       # inlined unconditionally: never again (#pragma once)
        self.guarded = set()    # inlined under a condition at least once: later copies are guarded
        self.stack = []         # headers being inlined (an include cycle stops here, as #pragma once does)

    def resolve(self, kind, name, current):
        if kind == "<":
            if not name.startswith("sslpp/"):
                return None
            path = os.path.join(INCLUDE_DIR, name)
            if not os.path.isfile(path):
                raise AmalgamationError(f"{current}: #include <{name}> names a header that does not exist ({path})")
            return name
        # "..." include: relative to the including header, only when it lies inside include/sslpp.
        path = os.path.normpath(os.path.join(INCLUDE_DIR, os.path.dirname(current), name))
        if os.path.isfile(path) and path.startswith(os.path.join(INCLUDE_DIR, "sslpp") + os.sep):
            return os.path.relpath(path, INCLUDE_DIR).replace(os.sep, "/")
        return None

    def inline(self, rel, conditional, out):
        if rel in self.done or rel in self.stack:
            return
        guard = conditional or rel in self.guarded
        if conditional:
            self.guarded.add(rel)
        else:
            self.done.add(rel)
        self.stack.append(rel)
        lines = read(os.path.join(INCLUDE_DIR, rel)).splitlines()
        g = guard_lines(lines)
        skip = set(g) if g else set()
        out.append(f"// ---- begin {rel} " + "-" * max(0, 80 - 15 - len(rel)))
        if guard:
            m = macro_for(rel)
            out += [f"#ifndef {m}", f"#define {m}"]
        conditions = []  # per open #if: whether its branch may be skipped
        for i, line in enumerate(lines):
            if i in skip or PRAGMA_ONCE_RE.match(line):
                continue
            if IF_RE.match(line):
                conditions.append(not ALWAYS_RE.match(line))
            elif ELSE_RE.match(line) and conditions:
                conditions[-1] = True  # another branch: it may be skipped
            elif ENDIF_RE.match(line) and conditions:
                conditions.pop()
            m = INCLUDE_RE.match(line)
            if m:
                target = self.resolve(m.group(1), m.group(2), rel)
                if target is not None:
                    self.inline(target, conditional or any(conditions), out)
                    continue
            out.append(line)
        if guard:
            out.append(f"#endif  // {macro_for(rel)}")
        out.append(f"// ---- end {rel} " + "-" * max(0, 80 - 13 - len(rel)))
        self.stack.pop()


def amalgamate():
    umbrella_path = os.path.join(INCLUDE_DIR, UMBRELLA)
    licence = leading_comment(read(umbrella_path).splitlines())
    v = version()
    out = [l for l in licence if not re.match(r"^//\s*sslpp\.hpp:", l)]
    while out and out[-1].strip() == "//":
        out.pop()
    out += [
        "//",
        f"// sslpp {v} — the single-header edition.",
        "//",
        "// GENERATED by tools/amalgamate.py from include/sslpp/ — do not edit by hand: edit the",
        "// headers under include/ and run tools/amalgamate.py. Use it with BoringSSL and fmt on",
        "// the include path and linked (libssl, libcrypto, libfmt), and -std=c++20.",
        "#pragma once",
        "",
        "// The single header is the header-only edition: it holds every definition, and the",
        "// compiled mode (SSLPP_COMPILED, CMake's sslpp::sslpp_compiled) is for include/.",
        "#if defined(SSLPP_COMPILED) || defined(SSLPP_BUILDING_LIBRARY)",
        "#error \"the single header sslpp.hpp is header-only: do not define SSLPP_COMPILED or SSLPP_BUILDING_LIBRARY with it (for the compiled mode, use include/ and link sslpp::sslpp_compiled)\"",
        "#endif",
        "",
    ]
    a = Amalgamator()
    a.inline(UMBRELLA, False, out)
    return "\n".join(out) + "\n"


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("-o", "--output", default=DEFAULT_OUT)
    p.add_argument("--check", action="store_true", help="compare with the file instead of writing it")
    p.add_argument("--root", help="the tree whose include/ is read (default: this checkout)")
    args = p.parse_args()
    if args.root:
        global INCLUDE_DIR
        INCLUDE_DIR = os.path.join(os.path.abspath(args.root), "include")
    try:
        text = amalgamate()
    except AmalgamationError as e:
        print(f"amalgamate.py: {e}", file=sys.stderr)
        return 2
    if args.check:
        old = read(args.output) if os.path.exists(args.output) else ""
        if old == text:
            return 0
        rel = os.path.relpath(args.output, ROOT)
        diff = list(difflib.unified_diff(old.splitlines(), text.splitlines(), rel + " (committed)", rel + " (regenerated)", lineterm="", n=1))
        print("\n".join(diff[:40]), file=sys.stderr)
        print(f"amalgamate.py: {rel} is out of date with include/ — run tools/amalgamate.py and commit the result.", file=sys.stderr)
        return 1
    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    with open(args.output, "w", encoding="utf-8") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
