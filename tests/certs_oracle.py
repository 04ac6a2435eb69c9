#!/usr/bin/env python3
"""certs_oracle.py — Python's ssl module (with OpenSSL) as the oracle of sslpp's certificate tests.

  decode PATH...                  pprint.pformat(ssl._ssl._test_decode_cert(PATH)) for each
                                  path, records separated by a line holding only "\\x1e"
  repr_subject PATH               repr() of the decoded subject tuple
  pformat_strings FILE            pprint.pformat of the tuple of the lines of FILE (UTF-8,
                                  each line's escapes \\n \\t \\\\ \\xNN decoded)
  cert_time TEXT...               ssl.cert_time_to_seconds(TEXT) per line, or "ValueError"
  hostnames CAFILE FILE           for each line "FULLCHAIN<TAB>KEY<TAB>HOSTNAME<TAB>CN(0|1)" of
                                  FILE: "1" when a client handshake (OpenSSL, check_hostname on,
                                  hostname_checks_common_name = CN) accepts the server, "0" on a
                                  host name mismatch, "E message" otherwise — all in memory
  getpeercert PORT HOST CAFILE    connects to 127.0.0.1:PORT, verifies HOST, prints
                                  pprint.pformat(getpeercert())
"""
import pprint
import socket
import ssl
import sys


def decode(paths):
    out = []
    for p in paths:
        out.append(pprint.pformat(ssl._ssl._test_decode_cert(p)))
    sys.stdout.write("\n\x1e\n".join(out))


def pformat_strings(path):
    with open(path, encoding="utf-8") as f:
        items = tuple(bytes(l.rstrip("\n"), "utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8")
                      for l in f)
    sys.stdout.write(pprint.pformat(items))


def cert_time(texts):
    for t in texts:
        try:
            print(ssl.cert_time_to_seconds(t))
        except ValueError:
            print("ValueError")


def handshake(cafile, chain, key, host, cn):
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain(chain, key)
    client = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    client.load_verify_locations(cafile)
    client.hostname_checks_common_name = cn
    c_in, c_out, s_in, s_out = ssl.MemoryBIO(), ssl.MemoryBIO(), ssl.MemoryBIO(), ssl.MemoryBIO()
    c = client.wrap_bio(c_in, c_out, server_hostname=host)
    s = server.wrap_bio(s_in, s_out, server_side=True)
    c_done = s_done = False
    for _ in range(20):
        if not c_done:
            try:
                c.do_handshake()
                c_done = True
            except ssl.SSLWantReadError:
                pass
            except ssl.SSLCertVerificationError as e:
                if e.verify_code in (62, 64):  # X509_V_ERR_HOSTNAME_MISMATCH, X509_V_ERR_IP_ADDRESS_MISMATCH
                    return "0"
                return "E " + e.verify_message
        s_in.write(c_out.read())
        if not s_done:
            try:
                s.do_handshake()
                s_done = True
            except ssl.SSLWantReadError:
                pass
            except ssl.SSLError:
                pass
        c_in.write(s_out.read())
        if c_done:
            return "1"
    return "E no progress"


def hostnames(cafile, path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            chain, key, host, cn = line.rstrip("\n").split("\t")
            try:
                print(handshake(cafile, chain, key, host, cn == "1"))
            except Exception as e:  # noqa: BLE001 - report anything as a line
                print("E " + type(e).__name__ + ": " + str(e).replace("\n", " "))


def getpeercert(port, host, cafile):
    ctx = ssl.create_default_context(cafile=cafile)
    with socket.create_connection(("127.0.0.1", int(port)), timeout=10) as sock:
        with ctx.wrap_socket(sock, server_hostname=host) as tls:
            sys.stdout.write(pprint.pformat(tls.getpeercert()))


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "decode":
        decode(args)
    elif cmd == "repr_subject":
        sys.stdout.write(repr(ssl._ssl._test_decode_cert(args[0])["subject"]))
    elif cmd == "pformat_strings":
        pformat_strings(args[0])
    elif cmd == "cert_time":
        cert_time(args)
    elif cmd == "hostnames":
        hostnames(args[0], args[1])
    elif cmd == "getpeercert":
        getpeercert(*args)
    else:
        sys.exit("unknown command " + cmd)


if __name__ == "__main__":
    main()
