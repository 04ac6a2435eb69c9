#!/usr/bin/env python3
"""raw_tail_peer.py: a python3 `ssl` server (over memory BIOs) that ends a connection the way
an attacker would, for sslpp's attack tests (test_attacks_review3).

  raw_tail_peer.py MODE --cert F --key F [--tls12]

Listens on 127.0.0.1, prints "PORT n", serves one connection, prints "SENT" once it has
sent everything, then waits for the client to close and exits. Modes:
  after_close_notify  send "bye", close_notify, then bytes after it (a record header and
                      clear text, as if application data) and end the TCP stream
  truncated           send "bye", then half of the next record ("hello, truncated"), and
                      end the TCP stream
"""
import argparse, socket, ssl, sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode")
    ap.add_argument("--cert", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--tls12", action="store_true")
    a = ap.parse_args()
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(a.cert, a.key)
    if a.tls12:
        ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    ls = socket.socket()
    ls.bind(("127.0.0.1", 0))
    ls.listen(1)
    ls.settimeout(60)
    print("PORT", ls.getsockname()[1], flush=True)
    c, _ = ls.accept()
    c.settimeout(60)
    inc, out = ssl.MemoryBIO(), ssl.MemoryBIO()
    o = ctx.wrap_bio(inc, out, server_side=True)

    def flush():
        d = out.read()
        if d:
            c.sendall(d)

    while True:
        try:
            o.do_handshake()
            break
        except ssl.SSLWantReadError:
            flush()
            d = c.recv(65536)
            if not d:
                print("HANDSHAKE FAILED", flush=True)
                return 1
            inc.write(d)
    flush()
    o.write(b"bye")
    flush()
    if a.mode == "after_close_notify":
        try:
            o.unwrap()
        except ssl.SSLWantReadError:
            pass
        flush()
        c.sendall(b"\x17\x03\x03\x00\x10after the close!")
    elif a.mode == "truncated":
        o.write(b"hello, truncated")
        rec = out.read()
        c.sendall(rec[: len(rec) // 2])
    c.shutdown(socket.SHUT_WR)
    print("SENT", flush=True)
    try:
        while c.recv(65536):
            pass
    except OSError:
        pass
    c.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
