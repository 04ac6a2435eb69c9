#!/usr/bin/env python3
"""line_peer.py: python3 `ssl` servers for the tests of stream::close, addresses and sslpp::iostream.

Each listens on 127.0.0.1 (or --host), prints "PORT n", serves one connection and prints
what it saw as whole lines.

  watch-close --cert F --key F   TLS; prints "ADDR <peer host> <peer port> <own host> <own port>"
                                 (getpeername, getsockname), then "GOT <text>" per read, and
                                 how the connection ended: "END close_notify", "END ragged"
                                 (TCP closed without close_notify) or "END error <what>"
  smtp --cert F --key F          an SMTP-like exchange: greeting and EHLO in clear text,
                                 STARTTLS, EHLO and MAIL FROM in TLS, "ENDTLS" (both sides
                                 unwrap), then QUIT in clear text again; prints "DONE" or "FAIL ..."
"""
import argparse
import socket
import ssl
import sys


def listen(host):
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    s = socket.socket(family)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((host, 0))
    s.listen(1)
    print("PORT", s.getsockname()[1], flush=True)
    s.settimeout(30)
    return s


def server_context(cert, key):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    return ctx


def watch_close(a):
    lsock = listen(a.host)
    conn, _ = lsock.accept()
    conn.settimeout(30)
    peer, own = conn.getpeername(), conn.getsockname()
    print("ADDR", peer[0], peer[1], own[0], own[1], flush=True)
    # suppress_ragged_eofs=False tells a TCP close without close_notify from a clean end.
    tls = server_context(a.cert, a.key).wrap_socket(conn, server_side=True, suppress_ragged_eofs=False)
    try:
        while True:
            data = tls.recv(4096)
            if not data:
                print("END close_notify", flush=True)
                break
            print("GOT", data.decode(errors="replace").strip(), flush=True)
    except ssl.SSLEOFError:
        print("END ragged", flush=True)
    except (ssl.SSLError, OSError) as e:
        print("END error", e, flush=True)


def readline(f):
    """One CRLF-terminated line from a socket, read a byte at a time (never past the line)."""
    data = b""
    while not data.endswith(b"\r\n"):
        chunk = f.recv(1)
        if not chunk:
            raise EOFError(f"connection ended after {data!r}")
        data += chunk
    return data[:-2].decode()


def expect(sock, want):
    got = readline(sock)
    if got != want:
        raise RuntimeError(f"expected {want!r}, got {got!r}")


def smtp(a):
    ctx = server_context(a.cert, a.key)
    lsock = listen(a.host)
    conn, _ = lsock.accept()
    conn.settimeout(30)
    try:
        conn.sendall(b"220 mail.localhost ESMTP ready\r\n")
        expect(conn, "EHLO client.localhost")
        conn.sendall(b"250-mail.localhost\r\n250-SIZE 1000000\r\n250 STARTTLS\r\n")
        expect(conn, "STARTTLS")
        conn.sendall(b"220 2.0.0 go ahead\r\n")
        tls = ctx.wrap_socket(conn, server_side=True)
        print("TLS", tls.version(), flush=True)
        expect(tls, "EHLO client.localhost")
        tls.sendall(b"250-mail.localhost greets client.localhost\r\n250-SIZE 1000000\r\n250 AUTH PLAIN\r\n")
        expect(tls, "MAIL FROM:<alice@localhost>")
        tls.sendall(b"250 2.1.0 sender ok\r\n")
        expect(tls, "ENDTLS")
        tls.sendall(b"220 leaving TLS\r\n")
        plain = tls.unwrap()
        print("UNWRAPPED", flush=True)
        plain.sendall(b"250 clear text again\r\n")
        expect(plain, "QUIT")
        plain.sendall(b"221 bye\r\n")
        plain.close()
        print("DONE", flush=True)
    except Exception as e:  # noqa: BLE001 - the test reads the reason
        print("FAIL", repr(e), flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["watch-close", "smtp"])
    ap.add_argument("--cert", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--host", default="127.0.0.1")
    a = ap.parse_args()
    {"watch-close": watch_close, "smtp": smtp}[a.mode](a)
    return 0


if __name__ == "__main__":
    sys.exit(main())
