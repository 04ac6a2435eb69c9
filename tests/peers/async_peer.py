#!/usr/bin/env python3
"""async_peer.py: the python3 `ssl` servers of sslpp's asio stream tests (test_async_*).

  async_peer.py MODE --cert F --key F [--connections N]

Listens on 127.0.0.1, prints "PORT n", serves N connections (default 1) one after the
other, prints "DONE" and exits. Every step waits on the client, never on a clock.

Modes:
  echo            echo until the client's close_notify (or EOF), then close_notify back (unwrap)
  close_notify    send "bye", then unwrap: close_notify, wait for the client's
  ragged          send "partial data", end the TCP stream without close_notify, wait for the client to close
  silent          handshake, then never answer: read the raw TCP stream until the client closes it
  no_close_notify handshake, read until the client's close_notify, close TCP without answering
  data_then_close wait for the client's "go", send "late data", then unwrap (close_notify, wait for the client's)
"""
import argparse, socket, ssl, sys


def drain(raw):
    """Reads the raw TCP stream until the client closes it (a reset counts as closed)."""
    raw.settimeout(60)  # the detached descriptor is non-blocking (Python's timeouts are)
    try:
        while raw.recv(65536):
            pass
    except OSError:
        pass


def serve(mode, tls):
    if mode == "echo":
        while True:
            try:
                data = tls.recv(65536)
            except (ssl.SSLError, OSError):
                return
            if not data:
                break
            tls.sendall(data)
        try:
            tls.unwrap().close()
        except (ssl.SSLError, OSError):
            pass
    elif mode == "close_notify":
        tls.sendall(b"bye")
        try:
            tls.unwrap().close()
            print("UNWRAPPED", flush=True)
        except (ssl.SSLError, OSError) as e:
            print("UNWRAP FAILED", e, flush=True)
    elif mode == "ragged":
        tls.sendall(b"partial data")
        raw = socket.socket(fileno=tls.detach())  # no close_notify
        raw.shutdown(socket.SHUT_WR)
        drain(raw)
        raw.close()
    elif mode == "silent":
        raw = socket.socket(fileno=tls.detach())
        drain(raw)
        raw.close()
    elif mode == "data_then_close":
        got = b""
        while not got.endswith(b"go"):
            chunk = tls.recv(64)
            if not chunk:
                return
            got += chunk
        tls.sendall(b"late data")
        try:
            tls.unwrap().close()
            print("UNWRAPPED", flush=True)
        except (ssl.SSLError, OSError) as e:
            print("UNWRAP FAILED", e, flush=True)
    elif mode == "no_close_notify":
        try:
            while tls.recv(65536):
                pass
        except (ssl.SSLError, OSError):
            pass
        tls.close()  # Python's close() sends no close_notify
        print("CLOSED", flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode")
    ap.add_argument("--cert", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--connections", type=int, default=1)
    a = ap.parse_args()
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(a.cert, a.key)
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", 0))
    s.listen(8)
    s.settimeout(60)
    print("PORT", s.getsockname()[1], flush=True)
    for _ in range(a.connections):
        conn, _ = s.accept()
        conn.settimeout(60)
        try:
            tls = ctx.wrap_socket(conn, server_side=True)
        except (ssl.SSLError, OSError) as e:
            print("HANDSHAKE FAILED", e, flush=True)
            conn.close()
            continue
        serve(a.mode, tls)
    print("DONE", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
