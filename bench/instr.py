#!/usr/bin/env python3
"""instr.py — instructions and system calls per operation, sslpp vs raw BoringSSL.

Wall-clock ratios carry a few per cent of noise on a shared machine; instruction counts
(valgrind --tool=cachegrind) and system-call counts (strace -f -c) do not. Each figure is
the difference between a long and a short run of `sslpp_bench --op OP --impl I --count N`
divided by the difference in N, so set-up (contexts, PKI loading, thread start) cancels
out. Both threads (client and server) are counted.

    bench/instr.py BUILD_DIR/bench/sslpp_bench [OP ...]

OP: hs-ecdsa hs-rsa resume bulk-aes bulk-chacha mem-aes mem-chacha rtt (default: all that run).
Prints a Markdown table.
"""
import os
import re
import subprocess
import sys
import tempfile

COUNTS = {  # short, long
    "hs-ecdsa": (4, 24),
    "hs-rsa": (4, 24),
    "resume": (4, 24),
    "bulk-aes": (64, 320),
    "bulk-chacha": (64, 320),
    "mem-aes": (64, 320),
    "mem-chacha": (64, 320),
    "rtt": (200, 1200),
}
UNIT = {"hs-ecdsa": "handshake", "hs-rsa": "handshake", "resume": "resumption",
        "bulk-aes": "16 KiB write", "bulk-chacha": "16 KiB write",
        "mem-aes": "16 KiB write (memory BIO)", "mem-chacha": "16 KiB write (memory BIO)", "rtt": "round trip"}


def run(cmd):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=900)
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({p.returncode}):\n{p.stderr[-2000:]}")
    return p


def instructions(bench, op, impl, count):
    with tempfile.TemporaryDirectory() as d:
        p = run(["valgrind", "--tool=cachegrind", "--cache-sim=no", f"--cachegrind-out-file={d}/cg.out",
                 bench, "--op", op, "--impl", impl, "--count", str(count)])
    m = re.search(r"I\s+refs:\s+([\d,]+)", p.stderr)
    if not m:
        raise RuntimeError("no instruction count in valgrind's output:\n" + p.stderr[-2000:])
    return int(m.group(1).replace(",", ""))


def syscalls(bench, op, impl, count):
    with tempfile.TemporaryDirectory() as d:
        out = f"{d}/strace.txt"
        run(["strace", "-f", "-c", "-o", out, bench, "--op", op, "--impl", impl, "--count", str(count)])
        counts = {}
        for line in open(out):
            f = line.split()
            if len(f) < 5 or not f[0][0].isdigit() or f[-1] == "total":
                continue
            counts[f[-1]] = int(f[3])
        return counts


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    bench = sys.argv[1]
    ops = sys.argv[2:] or list(COUNTS)
    print("| operation | raw instr/op | sslpp instr/op | sslpp / raw | raw syscalls/op | sslpp syscalls/op | syscalls sslpp − raw |")
    print("|---|---|---|---|---|---|---|")
    for op in ops:
        short, long_ = COUNTS[op]
        res = {}
        try:
            for impl in ("raw", "sslpp"):
                ir = (instructions(bench, op, impl, long_) - instructions(bench, op, impl, short)) / (long_ - short)
                a, b = syscalls(bench, op, impl, short), syscalls(bench, op, impl, long_)
                per = {k: (b.get(k, 0) - a.get(k, 0)) / (long_ - short) for k in set(a) | set(b)}
                per = {k: v for k, v in per.items() if abs(v) >= 0.05}
                res[impl] = (ir, per)
        except RuntimeError as e:
            print(f"| {op} per {UNIT[op]} | not measured: {str(e).splitlines()[-1]} | | | | | |")
            continue
        (ri, rs), (pi, ps) = res["raw"], res["sslpp"]
        diff = {k: ps.get(k, 0) - rs.get(k, 0) for k in set(rs) | set(ps)}
        diff_text = ", ".join(f"{k} {v:+.2f}" for k, v in sorted(diff.items()) if abs(v) >= 0.05) or "none"
        fmt = lambda d: ", ".join(f"{k} {v:.2f}" for k, v in sorted(d.items())) or "0"
        print(f"| {op} per {UNIT[op]} | {ri:,.0f} | {pi:,.0f} | **{pi / ri:.4f}** | {sum(rs.values()):.2f} ({fmt(rs)}) "
              f"| {sum(ps.values()):.2f} ({fmt(ps)}) | {diff_text} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
