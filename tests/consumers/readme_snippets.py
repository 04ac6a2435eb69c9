#!/usr/bin/env python3
"""readme_snippets.py — the C++ blocks of README.md, as compilable programs.

Every ```cpp block of README.md is one of:
  * a complete program (includes + main): compiled as it is; if it reads a host and a port
    from its arguments (it uses argv[1] and argv[2]) it is a client like the quick-start and
    the test also RUNS it against a local TLS server;
  * a fragment (its first line is `// fragment`): compiled inside a function body after
    `#include <sslpp/sslpp.hpp>`, never run.
A block that is neither (no `main`, no `// fragment` line) is an error naming its README line.

    readme_snippets.py list README.md            print the blocks found
    readme_snippets.py extract README.md OUTDIR  write OUTDIR/readme_L<line>.cpp, one per block
"""
import os
import re
import sys

FENCE_RE = re.compile(r"^(\s*)(`{3,}|~{3,})\s*([A-Za-z0-9_+-]*)")
MAIN_RE = re.compile(r"\bint\s+main\s*\(")


class Snippet:
    def __init__(self, line, code):
        self.line = line          # README line of the first code line
        self.code = code
        first = code.lstrip().splitlines()[0].strip() if code.strip() else ""
        self.fragment = first.startswith("// fragment")
        self.program = not self.fragment and bool(MAIN_RE.search(code))
        self.client = self.program and "argv[1]" in code and "argv[2]" in code

    @property
    def name(self):
        return f"readme_L{self.line}"

    @property
    def kind(self):
        if self.fragment:
            return "fragment"
        if self.client:
            return "client program (run against a local server)"
        return "program"

    def source(self, readme):
        header = f"// Extracted from {readme} line {self.line} by tests/consumers/readme_snippets.py.\n"
        if self.fragment:
            return (header + "#include <sslpp/sslpp.hpp>\n\n"
                    "[[maybe_unused]] static void readme_fragment() {\n"
                    f"#line {self.line} \"{readme}\"\n" + self.code + "\n}\n\nint main() {}\n")
        return header + f"#line {self.line} \"{readme}\"\n" + self.code


def fragments_source(found, readme):
    """All `// fragment` blocks in one translation unit, each in its own function (one compile
    instead of one per fragment; #line keeps the compiler's messages on README lines)."""
    out = [f"// The fragments of {readme}, extracted by tests/consumers/readme_snippets.py.",
           "#include <sslpp/sslpp.hpp>", ""]
    for s in found:
        if s.fragment:
            out += [f"[[maybe_unused]] static void readme_fragment_L{s.line}() {{",
                    f"#line {s.line} \"{readme}\"", s.code, "}", ""]
    out.append("int main() {}")
    return "\n".join(out) + "\n"


def snippets(readme):
    """The ```cpp blocks of `readme`, in order."""
    with open(readme, encoding="utf-8") as f:
        lines = f.read().splitlines()
    out, i = [], 0
    while i < len(lines):
        m = FENCE_RE.match(lines[i])
        if not m:
            i += 1
            continue
        fence, lang = m.group(2), m.group(3).lower()
        start, i = i + 1, i + 1
        while i < len(lines) and not lines[i].strip().startswith(fence):
            i += 1
        if lang in ("cpp", "c++", "cxx"):
            out.append(Snippet(start + 1, "\n".join(lines[start:i]) + "\n"))
        i += 1
    return out


def check(found, readme):
    bad = [s for s in found if not s.fragment and not s.program]
    if bad:
        raise SystemExit("\n".join(
            f"{readme}:{s.line}: this ```cpp block is neither a complete program (it has no main) nor a "
            "fragment (its first line is not `// fragment`): every README C++ block is compiled by the tests."
            for s in bad))


def main(argv):
    if len(argv) < 3 or argv[1] not in ("list", "extract"):
        print(__doc__, file=sys.stderr)
        return 2
    readme = argv[2]
    found = snippets(readme)
    check(found, readme)
    if argv[1] == "list":
        for s in found:
            print(f"{s.name}: {s.kind}")
        return 0
    outdir = argv[3]
    os.makedirs(outdir, exist_ok=True)
    for s in found:
        with open(os.path.join(outdir, s.name + ".cpp"), "w", encoding="utf-8") as f:
            f.write(s.source(readme))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
