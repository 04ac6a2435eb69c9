#!/usr/bin/env python3
"""features_peer.py JSON — a python3 `ssl` peer for sslpp's context-feature tests.

Server mode prints "PORT n" once listening, then for each connection "INFO {json}" with
what Python saw (ALPN, SNI, version, session reuse, peer certificate, tls-unique), echoes
one message and closes. Client mode connects, prints "INFO {json}" per connection, and
resumes the first connection's session on later ones. Failures print "ERROR type: text".
"""
import json
import socket
import ssl
import sys

opts = json.loads(sys.argv[1])


def info_of(s, extra=None):
    cb = None
    try:
        b = s.get_channel_binding("tls-unique")
        cb = b.hex() if b else None
    except ValueError:
        pass
    der = s.getpeercert(True)
    info = {
        "alpn": s.selected_alpn_protocol(),
        "version": s.version(),
        "reused": s.session_reused,
        "peercert": ssl.DER_cert_to_PEM_cert(der) if der else None,
        "tls_unique": cb,
        "cipher": s.cipher()[0],
    }
    info.update(extra or {})
    return info


def server():
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(opts["cert"], opts["key"])
    if "alpn" in opts:
        ctx.set_alpn_protocols(opts["alpn"])
    if "max" in opts:
        ctx.maximum_version = ssl.TLSVersion[opts["max"]]
    if "cafile" in opts:
        ctx.load_verify_locations(opts["cafile"])
        ctx.verify_mode = ssl.CERT_REQUIRED if opts.get("require") else ssl.CERT_OPTIONAL
    seen = {}
    if "sni" in opts:
        others = {}
        for name, (cert, key) in opts["sni"].items():
            o = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            o.load_cert_chain(cert, key)
            others[name] = o

        def callback(sslobj, name, _ctx):
            seen["sni"] = name
            if name in others:
                sslobj.context = others[name]
            return None

        ctx.sni_callback = callback
    srv = socket.create_server(("127.0.0.1", 0))
    srv.settimeout(20)
    print("PORT", srv.getsockname()[1], flush=True)
    for _ in range(opts.get("connections", 1)):
        conn, _ = srv.accept()
        conn.settimeout(20)
        try:
            s = ctx.wrap_socket(conn, server_side=True)
            print("INFO", json.dumps(info_of(s, dict(seen))), flush=True)
            data = s.recv(1024)
            s.sendall(data)
            s.close()
        except Exception as e:  # the test reads what went wrong
            print("ERROR", type(e).__name__ + ":", e, flush=True)
            conn.close()


def client():
    ctx = ssl.create_default_context(cafile=opts["cafile"])
    if "alpn" in opts:
        ctx.set_alpn_protocols(opts["alpn"])
    if "cert" in opts:
        ctx.load_cert_chain(opts["cert"], opts["key"])
    if "max" in opts:
        ctx.maximum_version = ssl.TLSVersion[opts["max"]]
    session = None
    for _ in range(opts.get("connections", 1)):
        try:
            with socket.create_connection(("127.0.0.1", opts["port"]), timeout=20) as sock:
                with ctx.wrap_socket(sock, server_hostname=opts.get("server_hostname", "localhost"),
                                     session=session) as s:
                    s.sendall(b"ping")
                    reply = s.recv(1024)
                    session = s.session
                    print("INFO", json.dumps(info_of(s, {"reply": reply.decode()})), flush=True)
        except Exception as e:
            print("ERROR", type(e).__name__ + ":", e, flush=True)


server() if opts["mode"] == "server" else client()
