#!/usr/bin/env python3
"""instr.py — instructions and system calls per operation, sslpp vs raw BoringSSL.

Wall-clock ratios carry a few per cent of noise on a shared machine; instruction counts
(valgrind --tool=cachegrind) and system-call counts (strace -f -c) do not. Each figure is
the difference between a long and a short run of `sslpp_bench --op OP --impl I --count N`
divided by the difference in N, so set-up (contexts, PKI loading, thread start) cancels
out. Both threads (client and server) are counted.

    bench/instr.py BUILD_DIR/bench/sslpp_bench [OP ...]
    bench/instr.py --async BUILD_DIR/bench/sslpp_bench [OP ...]

OP: hs-ecdsa hs-rsa resume bulk-aes bulk-chacha mem-aes mem-chacha rtt (default: all that run).
Prints a Markdown table.

--async compares, for hs-ecdsa resume bulk-aes rtt, sslpp's blocking stream (sslpp_bench
--impl sslpp) with sslpp::boost_asio::stream (sslpp_async_bench) and Boost.Asio's own
ssl::stream over OpenSSL 3 (sslpp_alt_asio_async), both driven by coroutines; the two
async programs are looked for beside sslpp_bench.
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


def command(bench, op, impl, count):
    """The command line of one run: sslpp_bench's implementations by --impl, the async
    programs (impl = a path) by their own name."""
    if impl in ("raw", "sslpp"):
        return [bench, "--op", op, "--impl", impl, "--count", str(count)]
    return [impl, "--op", op, "--count", str(count)]


def instructions(bench, op, impl, count):
    with tempfile.TemporaryDirectory() as d:
        p = run(["valgrind", "--tool=cachegrind", "--cache-sim=no", f"--cachegrind-out-file={d}/cg.out"]
                + command(bench, op, impl, count))
    m = re.search(r"I\s+refs:\s+([\d,]+)", p.stderr)
    if not m:
        raise RuntimeError("no instruction count in valgrind's output:\n" + p.stderr[-2000:])
    return int(m.group(1).replace(",", ""))


def syscalls(bench, op, impl, count):
    with tempfile.TemporaryDirectory() as d:
        out = f"{d}/strace.txt"
        run(["strace", "-f", "-c", "-o", out] + command(bench, op, impl, count))
        counts = {}
        for line in open(out):
            f = line.split()
            if len(f) < 5 or not f[0][0].isdigit() or f[-1] == "total":
                continue
            counts[f[-1]] = int(f[3])
        return counts


def per_op(bench, op, impl):
    """Instructions and system calls (by name) per operation: long run minus short run."""
    short, long_ = COUNTS[op]
    ir = (instructions(bench, op, impl, long_) - instructions(bench, op, impl, short)) / (long_ - short)
    a, b = syscalls(bench, op, impl, short), syscalls(bench, op, impl, long_)
    per = {k: (b.get(k, 0) - a.get(k, 0)) / (long_ - short) for k in set(a) | set(b)}
    return ir, {k: v for k, v in per.items() if abs(v) >= 0.05}


def fmt_calls(d):
    return f"{sum(d.values()):.2f} (" + (", ".join(f"{k} {v:.2f}" for k, v in sorted(d.items())) or "0") + ")"


def main_async(bench, ops):
    here = os.path.dirname(os.path.abspath(bench))
    impls = [("sslpp", "sslpp"), ("async", os.path.join(here, "sslpp_async_bench")),
             ("asio", os.path.join(here, "sslpp_alt_asio_async"))]
    for _, path in impls[1:]:
        if not os.path.exists(path):
            print(f"{path} not built (needs Boost.Asio 1.80 or later; OpenSSL 3 headers for the Boost.Asio one)")
            return 1
    print("| operation | sslpp blocking instr/op | sslpp async instr/op | async / blocking | Boost.Asio ssl::stream "
          "instr/op | sslpp async / Boost.Asio | syscalls/op: blocking | sslpp async | Boost.Asio |")
    print("|---|---|---|---|---|---|---|---|---|")
    for op in ops or ["hs-ecdsa", "resume", "bulk-aes", "rtt"]:
        try:
            res = {label: per_op(bench, op, impl) for label, impl in impls}
        except RuntimeError as e:
            print(f"| {op} per {UNIT[op]} | not measured: {str(e).splitlines()[-1]} | | | | | | | |")
            continue
        (bi, bs), (ai, as_), (xi, xs) = res["sslpp"], res["async"], res["asio"]
        print(f"| {op} per {UNIT[op]} | {bi:,.0f} | {ai:,.0f} | **{ai / bi:.4f}** | {xi:,.0f} | **{ai / xi:.4f}** "
              f"| {fmt_calls(bs)} | {fmt_calls(as_)} | {fmt_calls(xs)} |", flush=True)
    return 0


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    if sys.argv[1] == "--async":
        if len(sys.argv) < 3:
            print(__doc__)
            return 2
        return main_async(sys.argv[2], sys.argv[3:])
    bench = sys.argv[1]
    ops = sys.argv[2:] or list(COUNTS)
    print("| operation | raw instr/op | sslpp instr/op | sslpp / raw | raw syscalls/op | sslpp syscalls/op | syscalls sslpp − raw |")
    print("|---|---|---|---|---|---|---|")
    for op in ops:
        res = {}
        try:
            for impl in ("raw", "sslpp"):
                res[impl] = per_op(bench, op, impl)
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
