#!/usr/bin/env python3
"""transport_peer.py: the python3 `ssl` peers of sslpp's transport tests.

  server MODE --cert F --key F      listens on 127.0.0.1, prints "PORT n", serves one connection
  clients N --port P --cafile F     N concurrent asyncio TLS clients, each echoing random data

Server modes:
  echo          TLS echo until the client's close_notify/EOF, then close_notify back
  ragged        TLS, send "partial data", close TCP without close_notify
  close_notify  TLS, send "bye", then unwrap (close_notify, wait for the peer's), close
  garbage       no TLS: read the ClientHello, answer with an HTTP error, close
  stall         no TLS: read the ClientHello, then say nothing for 30 s
  hangup        no TLS: read the ClientHello, then close the TCP connection
  starttls      clear text "220 ready", TLS after "STARTTLS", echo once, unwrap, clear text again
"""
import argparse, asyncio, hashlib, os, socket, ssl, sys, time


def listen():
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", 0))
    s.listen(8)
    print("PORT", s.getsockname()[1], flush=True)
    s.settimeout(30)
    return s


def readline(sock):
    data = b""
    while not data.endswith(b"\n"):
        chunk = sock.recv(1)
        if not chunk:
            break
        data += chunk
    return data


def server(mode, cert, key):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    lsock = listen()
    conn, _ = lsock.accept()
    conn.settimeout(30)
    if mode in ("garbage", "stall", "hangup"):
        conn.recv(4096)
        if mode == "garbage":
            conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
        elif mode == "stall":
            time.sleep(30)
        conn.close()
        print("DONE", flush=True)
        return
    if mode == "starttls":
        conn.sendall(b"220 ready\n")
        if readline(conn) != b"STARTTLS\n":
            print("FAIL no STARTTLS", flush=True)
            return
        conn.sendall(b"220 go ahead\n")
        tls = ctx.wrap_socket(conn, server_side=True)
        tls.sendall(tls.recv(1024))
        plain = tls.unwrap()
        plain.sendall(b"clear text after TLS\n")
        print("CLIENT SAID", readline(plain).decode().strip(), flush=True)
        plain.close()
        print("DONE", flush=True)
        return
    tls = ctx.wrap_socket(conn, server_side=True)
    if mode == "echo":
        while True:
            data = tls.recv(65536)
            if not data:
                break
            tls.sendall(data)
        try:
            tls.unwrap()
        except (ssl.SSLError, OSError):
            pass
    elif mode == "ragged":
        tls.sendall(b"partial data")
        time.sleep(0.2)
        tls.close()  # no close_notify: Python's close() only closes the descriptor
    elif mode == "close_notify":
        tls.sendall(b"bye")
        tls.unwrap()
        print("UNWRAPPED", flush=True)
    print("DONE", flush=True)


async def one_client(i, port, ctx, rounds):
    reader, writer = await asyncio.open_connection("127.0.0.1", port, ssl=ctx, server_hostname="localhost")
    for r in range(rounds):
        payload = os.urandom(1 + (i * 7919 + r * 104729) % 20000)
        writer.write(payload)
        await writer.drain()
        got = await reader.readexactly(len(payload))
        if got != payload:
            raise RuntimeError(f"client {i}: echo mismatch in round {r}")
    writer.close()
    try:
        await writer.wait_closed()
    except (ssl.SSLError, OSError):
        pass
    return True


async def clients(n, port, cafile, rounds):
    ctx = ssl.create_default_context(cafile=cafile)
    # Open all connections before any finishes: a barrier on the first echo of each.
    results = await asyncio.wait_for(
        asyncio.gather(*(one_client(i, port, ctx, rounds) for i in range(n)), return_exceptions=True), 120)
    bad = [r for r in results if r is not True]
    for b in bad[:5]:
        print("ERROR", repr(b), flush=True)
    print("OK", n - len(bad), "of", n, flush=True)
    return 0 if not bad else 1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("role")
    ap.add_argument("arg")
    ap.add_argument("--cert")
    ap.add_argument("--key")
    ap.add_argument("--port", type=int)
    ap.add_argument("--cafile")
    ap.add_argument("--rounds", type=int, default=3)
    a = ap.parse_args()
    if a.role == "server":
        server(a.arg, a.cert, a.key)
        return 0
    if a.role == "clients":
        return asyncio.run(clients(int(a.arg), a.port, a.cafile, a.rounds))
    return 2


if __name__ == "__main__":
    sys.exit(main())
