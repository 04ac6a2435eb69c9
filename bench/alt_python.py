#!/usr/bin/env python3
"""alt_python.py — sslpp_bench's workloads through python3's ssl module (system OpenSSL),
the alternative a Python user has. Same PKI, same protocol on the wire, client and server
threads over loopback TCP (ssl releases the GIL while it does TLS work).

    bench/alt_python.py [--pki DIR] [--rounds N] [--seconds S] [--bytes B] [--rtts N] [--conns N] [--quick]

Prints Markdown rows: figure | python3 ssl median (min–max).
"""
import argparse
import os
import socket
import ssl
import statistics
import struct
import threading
import time

HEADER = struct.Struct("<cQ")  # mode, count: as sslpp_bench


def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def read_exact(s, n):
    buf = bytearray()
    while len(buf) < n:
        chunk = s.recv(n - len(buf))
        if not chunk:
            return None
        buf += chunk
    return bytes(buf)


class Server:
    def __init__(self, ctx, keep=None):
        self.ctx, self.keep = ctx, keep
        self.lsock = socket.socket()
        self.lsock.bind(("127.0.0.1", 0))
        self.lsock.listen(4096)
        self.port = self.lsock.getsockname()[1]
        self.stop_flag = False
        self.error = None
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        while True:
            sock, _ = self.lsock.accept()
            if self.stop_flag:
                sock.close()
                return
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            try:
                tls = self.ctx.wrap_socket(sock, server_side=True)
                h = read_exact(tls, HEADER.size)
                if h is None:
                    continue
                mode, n = HEADER.unpack(h)
                if mode == b"E":
                    for _ in range(n):
                        b = read_exact(tls, 1)
                        if b is None:
                            break
                        tls.sendall(b)
                elif mode == b"S":
                    while n > 0:
                        got = tls.recv_into(memoryview(bytearray(min(n, 65536))))
                        if got == 0:
                            raise RuntimeError("sink: early end of stream")
                        n -= got
                    tls.sendall(b"k")
                elif mode == b"K":
                    tls.sendall(b"k")
                    self.keep.append(tls)
                    continue
                while tls.recv(65536):
                    pass
                tls.close()
            except (OSError, ssl.SSLError, RuntimeError) as e:
                if self.error is None:
                    self.error = e

    def stop(self):
        self.stop_flag = True
        socket.create_connection(("127.0.0.1", self.port)).close()
        self.thread.join()
        self.lsock.close()
        if self.error:
            raise RuntimeError(f"server: {self.error}")


def contexts(pki, rsa=False, cipher=None):
    s = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    s.load_cert_chain(f"{pki}/fullchain-{'rsa' if rsa else 'ecdsa'}.pem", f"{pki}/leaf-{'rsa' if rsa else 'ecdsa'}.key")
    c = ssl.create_default_context(cafile=f"{pki}/ca.pem")
    if cipher:
        for x in (s, c):
            x.maximum_version = ssl.TLSVersion.TLSv1_2
            x.set_ciphers(cipher)
    return s, c


def connect(cctx, port, session=None):
    sock = socket.create_connection(("127.0.0.1", port))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return cctx.wrap_socket(sock, server_hostname="localhost", session=session)


def handshakes(cctx, port, seconds, resume):
    session = None
    if resume:
        t = connect(cctx, port)
        t.sendall(HEADER.pack(b"E", 1) + b"x")
        read_exact(t, 1)
        session = t.session
        t.close()
    n, t0 = 0, time.perf_counter()
    while True:
        t = connect(cctx, port, session)
        t.sendall(HEADER.pack(b"E", 1) + b"x")
        if read_exact(t, 1) is None:
            raise RuntimeError("handshake exchange: early end of stream")
        if resume and not t.session_reused:
            raise RuntimeError("python: session not resumed")
        t.close()
        n += 1
        if time.perf_counter() - t0 >= seconds:
            return n / (time.perf_counter() - t0)


def bulk(cctx, port, nbytes):
    t = connect(cctx, port)
    chunk = b"\x5a" * 16384
    nbytes = (nbytes + 16383) // 16384 * 16384
    t.sendall(HEADER.pack(b"S", nbytes))
    t0 = time.perf_counter()
    for _ in range(nbytes // 16384):
        t.sendall(chunk)
    read_exact(t, 1)
    wall = time.perf_counter() - t0
    t.close()
    return nbytes / wall / 1e6


def rtt(cctx, port, n):
    t = connect(cctx, port)
    warm = min(100, n)
    t.sendall(HEADER.pack(b"E", n + warm))
    for _ in range(warm):
        t.sendall(b"x")
        read_exact(t, 1)
    us = []
    for _ in range(n):
        t0 = time.perf_counter()
        t.sendall(b"x")
        read_exact(t, 1)
        us.append((time.perf_counter() - t0) * 1e6)
    t.close()
    us.sort()
    return us[n // 2], us[min(n - 1, n * 99 // 100)]


def memory(pki, n):
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        try:
            sctx, cctx = contexts(pki)
            keep, clients = [], []
            srv = Server(sctx, keep)
            for _ in range(16):
                t = connect(cctx, srv.port)
                t.sendall(HEADER.pack(b"E", 1) + b"x")
                read_exact(t, 1)
                t.close()
            base = rss()
            for _ in range(n):
                t = connect(cctx, srv.port)
                t.sendall(HEADER.pack(b"K", 0))
                read_exact(t, 1)
                clients.append(t)
            while len(keep) < n:
                time.sleep(0.001)
            os.write(w, str((rss() - base) / n).encode())
        finally:
            os._exit(0)
    os.close(w)
    out = os.read(r, 100)
    os.waitpid(pid, 0)
    return float(out)


def cell(v):
    f = lambda x: f"{x:.0f}" if x >= 1000 else f"{x:.1f}" if x >= 100 else f"{x:.2f}"
    return f"{f(statistics.median(v))} ({f(min(v))}–{f(max(v))})" if len(v) > 1 else f(v[0])


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--pki", default=os.environ.get("SSLPP_BENCH_PKI", "build/bench/bench/pki"))
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--seconds", type=float, default=1.0)
    p.add_argument("--bytes", type=int, default=256 << 20)
    p.add_argument("--rtts", type=int, default=5000)
    p.add_argument("--conns", type=int, default=1000)
    p.add_argument("--quick", action="store_true")
    a = p.parse_args()
    if a.quick:
        a.rounds, a.seconds, a.bytes, a.rtts, a.conns = 2, 0.15, 8 << 20, 300, 50
    print(f"python3 {'.'.join(map(str, __import__('sys').version_info[:3]))} ssl, {ssl.OPENSSL_VERSION}")
    print("| figure | python3 ssl |\n|---|---|")

    def figure(label, make, fn):
        s, c = make()
        srv = Server(s)
        vals = [fn(c, srv.port) for _ in range(a.rounds)]
        srv.stop()
        if isinstance(vals[0], tuple):
            print(f"| {label}, median | {cell([v[0] for v in vals])} |")
            print(f"| {label}, p99 | {cell([v[1] for v in vals])} |", flush=True)
        else:
            print(f"| {label} | {cell(vals)} |", flush=True)

    figure("full handshakes/s, TLS 1.3, X25519, ECDSA P-256 leaf", lambda: contexts(a.pki),
           lambda c, port: handshakes(c, port, a.seconds, False))
    figure("full handshakes/s, TLS 1.3, X25519, RSA-2048 leaf", lambda: contexts(a.pki, rsa=True),
           lambda c, port: handshakes(c, port, a.seconds, False))
    figure("resumed handshakes/s (TLS 1.3 ticket, ECDSA)", lambda: contexts(a.pki),
           lambda c, port: handshakes(c, port, a.seconds, True))
    for cipher in ("ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-ECDSA-CHACHA20-POLY1305"):
        figure(f"bulk MB/s, TCP, 16 KiB writes, TLS 1.2 {cipher}", lambda: contexts(a.pki, cipher=cipher),
               lambda c, port: bulk(c, port, a.bytes))
    figure("1-byte round trip µs", lambda: contexts(a.pki), lambda c, port: rtt(c, port, a.rtts))
    vals = [memory(a.pki, a.conns) for _ in range(max(1, min(a.rounds, 3)))]
    print(f"| bytes per idle connection (RSS delta / N, both ends), N={a.conns} | {cell(vals)} |")


if __name__ == "__main__":
    main()
