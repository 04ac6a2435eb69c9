#!/usr/bin/env python3
"""https_server.py: python3's http.server behind ssl, for the Beast HTTPS client example.

  https_server.py DIRECTORY --cert F --key F

Serves DIRECTORY on 127.0.0.1 (a free port, printed as "PORT n") over TLS until killed.
"""
import argparse, functools, http.server, ssl, sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("directory")
    ap.add_argument("--cert", required=True)
    ap.add_argument("--key", required=True)
    a = ap.parse_args()
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(a.cert, a.key)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=a.directory)
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.socket = ctx.wrap_socket(httpd.socket, server_side=True)
    print("PORT", httpd.server_address[1], flush=True)
    httpd.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
