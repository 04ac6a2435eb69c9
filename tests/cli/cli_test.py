#!/usr/bin/env python3
"""Black-box tests of the `sslpp` command: run the built binary against real peers.

usage: cli_test.py SSLPP_BINARY PKI_DIR CASE

Each CASE is one function below named test_CASE; CTest runs each as its own test (label "cli").
Peers: openssl s_server / s_client, python3's ssl (client and server), curl.
"""
import json
import os
import pty
import select
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time

SSLPP = None
PKI = None
TIMEOUT = 20


def pki(name):
    return os.path.join(PKI, name)


def run(args, stdin=b"", env=None, timeout=TIMEOUT):
    """Runs sslpp with `args`; returns (exit code, stdout text, stderr text)."""
    p = subprocess.run([SSLPP] + args, input=stdin, capture_output=True, timeout=timeout, env=env)
    return p.returncode, p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace")


def check(cond, what, *context):
    if not cond:
        print("FAILED:", what)
        for c in context:
            print("----\n" + str(c))
        sys.exit(1)


def free_port():
    """A loopback port that was free a moment ago (a parallel test may take it before use)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def closed_port():
    """A socket bound to a loopback port without listening: while it is open, a connection to
    its port is refused and no other test's server can take the port."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    return s


def listens_on(pid, port):
    """Whether process `pid` itself has a socket listening on TCP `port` (/proc/net/tcp{,6}
    give the listening sockets' inodes, /proc/PID/fd the process's)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as f:
            for line in f.readlines()[1:]:
                fields = line.split()
                if fields[3] == "0A" and fields[1].endswith(":%04X" % port):
                    inodes.add(fields[9])
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except FileNotFoundError:
        return False
    for fd in fds:
        try:
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        if target.startswith("socket:[") and target[8:-1] in inodes:
            return True
    return False


def serve_on_free_port(argv_for_port):
    """Starts the peer server argv_for_port(port) on a free port; returns (process, port) once
    that process itself listens there. If another test's server took the port first, the peer
    cannot bind and exits: it is started again on another port."""
    out = b""
    for _ in range(5):
        port = free_port()
        proc = subprocess.Popen(argv_for_port(port), stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 15
        while proc.poll() is None and time.monotonic() < deadline:
            if listens_on(proc.pid, port):
                return proc, port
            time.sleep(0.02)
        proc.kill()
        out = proc.communicate()[0]
    raise RuntimeError(f"{argv_for_port(0)[0]} did not listen on a free port in five tries: {out!r}")


def one_line(stderr):
    return len([l for l in stderr.splitlines() if l.strip()]) == 1


class PyServer(threading.Thread):
    """A python3 ssl echo server on loopback; records what it saw."""

    def __init__(self, certfile, keyfile, family=socket.AF_INET, verify_ca=None, require_cert=False,
                 max_version=None, alpn=None, reply=None):
        super().__init__(daemon=True)
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(certfile, keyfile)
        if verify_ca:
            ctx.load_verify_locations(verify_ca)
            ctx.verify_mode = ssl.CERT_REQUIRED if require_cert else ssl.CERT_OPTIONAL
        if max_version:
            ctx.maximum_version = max_version
        if alpn:
            ctx.set_alpn_protocols(alpn)
        self.ctx = ctx
        self.reply = reply
        self.sock = socket.socket(family)
        self.sock.bind(("::1" if family == socket.AF_INET6 else "127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(TIMEOUT)
        self.port = self.sock.getsockname()[1]
        self.errors = []
        self.peercerts = []
        self.received = b""
        self.alpn = []
        self.start()

    def run(self):
        try:
            while True:
                conn, _ = self.sock.accept()
                try:
                    with self.ctx.wrap_socket(conn, server_side=True) as tls:
                        tls.settimeout(TIMEOUT)
                        self.peercerts.append(tls.getpeercert())
                        self.alpn.append(tls.selected_alpn_protocol())
                        while True:
                            data = tls.recv(4096)
                            if not data:
                                break
                            self.received += data
                            tls.sendall(self.reply if self.reply is not None else data)
                        try:
                            tls.unwrap()
                        except (ssl.SSLError, OSError):
                            pass
                except (ssl.SSLError, OSError) as e:
                    self.errors.append(e)
        except OSError:
            pass

    def close(self):
        """Stops accepting, then waits (at most TIMEOUT) until the connection in progress is
        recorded: a client that has already exited may still be being recorded here (a TLS 1.3
        client finishes its handshake before the server does)."""
        try:
            self.sock.shutdown(socket.SHUT_RDWR)  # wakes the accept() in progress (EINVAL)
        except OSError:
            pass
        self.join(TIMEOUT)
        self.sock.close()


class OpenSSLServer:
    """openssl s_server on loopback (killed on close)."""

    def __init__(self, *extra):
        for _ in range(5):
            self.port = free_port()
            self.proc = subprocess.Popen(["openssl", "s_server", "-accept", f"127.0.0.1:{self.port}"] + list(extra),
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            while True:
                line = self.proc.stdout.readline()
                if not line or b"ACCEPT" in line:
                    break
            if b"ACCEPT" in line:
                return
            self.close()
        raise RuntimeError("openssl s_server did not start")

    def close(self):
        self.proc.kill()
        self.proc.wait()


def good_server_args():
    return ["-cert", pki("leaf-ecdsa.pem"), "-cert_chain", pki("intermediate.pem"), "-key", pki("leaf-ecdsa.key")]


# --- demo, help, version, colour -------------------------------------------------------

def test_demo():
    rc, out, err = run(["demo"])
    check(rc == 0, "sslpp demo exits 0", out, err)
    check("version: TLSv1.3" in out, "demo prints 'version: TLSv1.3'", out)
    check("cipher: TLS_" in out, "demo prints the TLS 1.3 cipher", out)
    check("handshake:" in out and " ms" in out, "demo prints the handshake time", out)
    check("received \"hello from the sslpp demo\" back" in out, "demo exchanges a message", out)
    check("\x1b[" not in out, "no colour when stdout is not a terminal", out)


def test_help():
    rc, out, _ = run(["--help"])
    check(rc == 0 and all(c in out for c in ("client", "server", "cert", "demo")), "sslpp --help lists commands", out)
    rc, out, err = run([])
    check(rc == 2 and "usage" in err, "no command: usage on stderr, exit 2", out, err)
    src = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "examples", "cli")
    for cmd in ("client", "server", "cert", "demo"):
        rc, out, err = run([cmd, "--help"])
        check(rc == 0 and out.startswith("usage: sslpp " + cmd), f"sslpp {cmd} --help", out, err)
        # every option the source defines appears in --help
        text = open(os.path.join(src, cmd + ".cpp")).read()
        import re
        for opt in re.findall(r'\{"(--[a-z0-9-]+)", "', text):
            check(opt in out, f"sslpp {cmd} --help lists {opt}", out)
    rc, out, _ = run(["client", "--help"])
    check("(default: the system store)" in out and "(default: 10)" in out, "client --help shows defaults", out)


def test_version():
    rc, out, _ = run(["--version"])
    check(rc == 0 and out.startswith("sslpp 0.") and "BoringSSL" in out and "BORINGSSL_API_VERSION" in out,
          "--version prints sslpp's and BoringSSL's versions", out)


def test_colour():
    # under a terminal: colour; with NO_COLOR: none
    def under_pty(env):
        pid, fd = pty.fork()
        if pid == 0:
            os.execve(SSLPP, [SSLPP, "demo"], env)
        out = b""
        while True:
            try:
                r, _, _ = select.select([fd], [], [], TIMEOUT)
                if not r:
                    break
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
        _, status = os.waitpid(pid, 0)
        return os.waitstatus_to_exitcode(status), out.decode(errors="replace")
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    rc, out = under_pty(env)
    check(rc == 0 and "\x1b[" in out, "colour on a terminal", out)
    rc, out = under_pty(dict(env, NO_COLOR="1"))
    check(rc == 0 and "\x1b[" not in out, "no colour with NO_COLOR", out)


# --- client against real servers -------------------------------------------------------

def test_client_openssl():
    for version, name in (("-tls1_3", "TLSv1.3"), ("-tls1_2", "TLSv1.2")):
        srv = OpenSSLServer(*good_server_args(), version, "-rev")
        try:
            rc, out, err = run(["client", f"127.0.0.1:{srv.port}", "--cafile", pki("ca.pem"),
                                "--servername", "localhost"], stdin=b"hello openssl\n")
        finally:
            srv.close()
        check(rc == 0, f"client against openssl s_server {version} exits 0", out, err)
        check(f"version: {name}" in out, f"summary says version: {name}", out)
        check("verified: yes" in out and "--cafile" in out, "summary says verified and against what", out)
        check("cipher: " in out and "handshake:" in out, "summary has cipher and handshake time", out)
        check("verified chain:" in out and "0 subject: O=sslpp tests,CN=localhost" in out and "sha256:" in out and "valid:" in out,
              "summary lists the verified chain", out)
        check("'subject': ((('commonName', 'localhost'),)," in out, "peer certificate in Python's structure", out)
        check("lssnepo olleh" in out, "data relayed both ways", out)


def test_client_python():
    srv = PyServer(pki("fullchain-rsa.pem"), pki("leaf-rsa.key"))
    rc, out, err = run(["client", f"localhost:{srv.port}", "--cafile", pki("ca.pem")], stdin=b"hello python")
    srv.close()
    check(rc == 0, "client against python3 ssl server exits 0", out, err)
    check(out.rstrip().endswith("hello python"), "echo relayed to stdout", out)
    check(srv.received == b"hello python", "server received stdin", srv.received)
    check("version: TLSv1.3" in out, "TLS 1.3 with python", out)


def test_client_system_store():
    # with no --cafile the client trusts the system store, which $SSL_CERT_FILE names
    srv = PyServer(pki("fullchain-ecdsa.pem"), pki("leaf-ecdsa.key"))
    env = dict(os.environ, SSL_CERT_FILE=pki("ca.pem"))
    env.pop("SSL_CERT_DIR", None)
    rc, out, err = run(["client", f"localhost:{srv.port}"], stdin=b"s", env=env)
    srv.close()
    check(rc == 0 and f"the system store ({pki('ca.pem')})" in out, "default trust: the system store ($SSL_CERT_FILE)",
          rc, out, err)


def test_client_ipv6():
    try:
        srv = PyServer(pki("fullchain-ecdsa.pem"), pki("leaf-ecdsa.key"), family=socket.AF_INET6)
    except OSError:
        print("SKIP: no IPv6 loopback")
        return
    rc, out, err = run(["client", f"[::1]:{srv.port}", "--cafile", pki("ca.pem")], stdin=b"v6")
    srv.close()
    check(rc == 0, "client to [::1]:port verifies the IP SAN ::1", out, err)
    check("(::1)" in out and out.rstrip().endswith("v6"), "connected over IPv6", out)


def test_client_capath():
    d = tempfile.mkdtemp()
    import shutil
    shutil.copy(pki("ca.pem"), os.path.join(d, "ca.pem"))
    subprocess.run(["openssl", "rehash", d], check=True, capture_output=True)
    srv = PyServer(pki("fullchain-ecdsa.pem"), pki("leaf-ecdsa.key"))
    rc, out, err = run(["client", f"localhost:{srv.port}", "--capath", d], stdin=b"p")
    srv.close()
    check(rc == 0 and f"--capath {d}" in out, "--capath verifies against a hashed directory", rc, out, err)


def test_client_quiet():
    srv = PyServer(pki("fullchain-ecdsa.pem"), pki("leaf-ecdsa.key"))
    rc, out, err = run(["client", f"127.0.0.1:{srv.port}", "--cafile", pki("ca.pem"), "--quiet"], stdin=b"only data")
    srv.close()
    check(rc == 0 and out == "only data", "--quiet prints only the data", repr(out), err)


BAD = [
    # (server cert, key, extra client args, expected message part)
    ("fullchain-expired.pem", "expired.key", [], "certificate has expired"),
    ("fullchain-notyet.pem", "notyet.key", [], "certificate is not yet valid"),
    ("fullchain-wronghost.pem", "wronghost.key", [], "Hostname mismatch, certificate is not valid for 'localhost'."),
    ("fullchain-cn-only.pem", "cn-only.key", [], "Hostname mismatch, certificate is not valid for 'localhost'."),
    ("selfsigned.pem", "selfsigned.key", [], "self signed certificate"),
    ("fullchain-ecdsa.pem", "leaf-ecdsa.key", ["--servername", "wrong.example"],
     "Hostname mismatch, certificate is not valid for 'wrong.example'."),
]


def test_client_bad_certificates():
    for cert, key, extra, message in BAD:
        srv = PyServer(pki(cert), pki(key))
        rc, out, err = run(["client", f"localhost:{srv.port}", "--cafile", pki("ca.pem")] + extra)
        srv.close()
        check(rc == 4, f"{cert} {extra}: exit 4", rc, out, err)
        check("certificate verify failed" in err and message.lower() in err.lower(),
              f"{cert}: message says '{message}'", err)
        check(one_line(err), f"{cert}: one line on stderr", err)
        check(out == "", f"{cert}: nothing on stdout", out)
    # a chain from a CA the client does not trust
    srv = OpenSSLServer(*good_server_args())
    rc, out, err = run(["client", f"127.0.0.1:{srv.port}", "--cafile", pki("other-ca.pem"), "--servername", "localhost"])
    srv.close()
    check(rc == 4 and "unable to get local issuer certificate" in err and one_line(err), "untrusted CA: exit 4", rc, err)
    # the system store does not know the test CA: a verifying default client refuses it
    srv = OpenSSLServer(*good_server_args())
    rc, out, err = run(["client", f"127.0.0.1:{srv.port}", "--servername", "localhost"])
    srv.close()
    check(rc == 4 and "certificate verify failed" in err, "system store refuses the test PKI", rc, err)


def test_client_no_verify():
    srv = PyServer(pki("selfsigned.pem"), pki("selfsigned.key"))
    rc, out, err = run(["client", f"127.0.0.1:{srv.port}", "--no-verify"], stdin=b"x")
    srv.close()
    check(rc == 0, "--no-verify connects to a self-signed server", out, err)
    check("WARNING" in err and "NOT checked" in err, "--no-verify warns loudly on stderr", err)
    check("verified: NO" in out and "chain as sent (NOT verified)" in out, "summary says not verified", out)


def test_client_certificate():
    srv = OpenSSLServer(*good_server_args(), "-Verify", "1", "-CAfile", pki("client-ca.pem"), "-verify_return_error",
                        "-rev")
    try:
        rc, out, err = run(["client", f"127.0.0.1:{srv.port}", "--cafile", pki("ca.pem"), "--servername", "localhost",
                            "--cert", pki("client.pem"), "--key", pki("client.key")], stdin=b"abc\n")
    finally:
        srv.close()
    check(rc == 0 and "cba" in out, "client certificate accepted by openssl s_server -Verify", rc, out, err)
    srv = PyServer(pki("fullchain-ecdsa.pem"), pki("leaf-ecdsa.key"), verify_ca=pki("client-ca.pem"), require_cert=True)
    rc, out, err = run(["client", f"127.0.0.1:{srv.port}", "--cafile", pki("ca.pem"),
                        "--cert", pki("client.pem"), "--key", pki("client.key")], stdin=b"with cert")
    srv.close()
    check(rc == 0 and srv.peercerts and srv.peercerts[0], "python server saw the client certificate", rc, out, err,
          srv.errors)
    subject = dict(x[0] for x in srv.peercerts[0]["subject"])
    check(subject.get("commonName") == "sslpp test client", "client certificate subject", srv.peercerts)
    # without a certificate the server refuses: the client's handshake or first read fails
    srv = PyServer(pki("fullchain-ecdsa.pem"), pki("leaf-ecdsa.key"), verify_ca=pki("client-ca.pem"), require_cert=True)
    rc, out, err = run(["client", f"127.0.0.1:{srv.port}", "--cafile", pki("ca.pem")], stdin=b"no cert")
    srv.close()
    check(rc in (1, 3) and one_line(err) and "certificate" in err.lower(),
          "no client certificate: refused with one line naming the certificate", rc, err)


def test_client_encrypted_key():
    d = tempfile.mkdtemp()
    key = os.path.join(d, "client-encrypted.key")
    subprocess.run(["openssl", "pkey", "-in", pki("client.key"), "-aes256", "-passout", "pass:s3cret", "-out", key],
                   check=True, capture_output=True)
    good = os.path.join(d, "good.txt")
    bad = os.path.join(d, "bad.txt")
    open(good, "w").write("s3cret\n")
    open(bad, "w").write("wrong\n")
    srv = PyServer(pki("fullchain-ecdsa.pem"), pki("leaf-ecdsa.key"), verify_ca=pki("client-ca.pem"), require_cert=True)
    rc, out, err = run(["client", f"127.0.0.1:{srv.port}", "--cafile", pki("ca.pem"), "--cert", pki("client.pem"),
                        "--key", key, "--password-file", good], stdin=b"k")
    srv.close()
    check(rc == 0 and srv.peercerts and srv.peercerts[0], "encrypted key with --password-file", rc, out, err, srv.errors)
    rc, out, err = run(["client", "127.0.0.1:9", "--cafile", pki("ca.pem"), "--cert", pki("client.pem"),
                        "--key", key, "--password-file", bad])
    check(rc == 2 and "password" in err and one_line(err), "wrong password: exit 2 naming the password", rc, err)
    rc, out, err = run(["client", "127.0.0.1:9", "--cafile", pki("ca.pem"), "--cert", pki("client.pem"),
                        "--key", key, "--password-file", os.path.join(d, "none.txt")])
    check(rc == 1 and "none.txt" in err and one_line(err), "missing password file: exit 1 naming it", rc, err)


def test_client_json():
    srv = PyServer(pki("fullchain-rsa.pem"), pki("leaf-rsa.key"))
    rc, out, err = run(["client", f"localhost:{srv.port}", "--cafile", pki("ca.pem"), "--json"])
    check(rc == 0, "--json exits 0", out, err)
    got = json.loads(out)
    # python3's own view of the same server
    ctx = ssl.create_default_context(cafile=pki("ca.pem"))
    with ctx.wrap_socket(socket.create_connection(("127.0.0.1", srv.port), timeout=TIMEOUT),
                         server_hostname="localhost") as s:
        want_cert = s.getpeercert()
        want_der = s.getpeercert(binary_form=True)
        want_version = s.version()
        want_cipher = list(s.cipher())
    srv.close()
    check(got["version"] == want_version, "version as python", got["version"], want_version)
    check(got["cipher"][1:] == want_cipher[1:] and got["cipher"][0].startswith("TLS_"), "cipher as python",
          got["cipher"], want_cipher)
    check(got["verified"] is True and got["server_hostname"] == "localhost", "verified and hostname", got)
    check(ssl.PEM_cert_to_DER_cert(got["peercert_pem"]) == want_der, "peer certificate bytes as python", got)
    check(isinstance(got["handshake_ms"], (int, float)), "handshake time", got)
    check(isinstance(got.get("peercert"), dict), "--json has the certificate in getpeercert() form ('peercert')", got)
    want = json.loads(json.dumps(want_cert))
    for field in sorted(set(want) | set(got["peercert"])):
        check(got["peercert"].get(field) == want.get(field), f"peercert field {field} as python's getpeercert()",
              got["peercert"].get(field), want.get(field))
    import hashlib
    fp = ":".join(f"{b:02X}" for b in hashlib.sha256(want_der).digest())
    check(got["peercert_sha256"] == fp, "SHA-256 fingerprint", got["peercert_sha256"], fp)
    check(len(got["chain"]) == 3 and got["chain"][0]["sha256"] == fp and "CN=localhost" in got["chain"][0]["subject"]
          and "Root" in got["chain"][2]["subject"], "verified chain leaf to root", got["chain"])


def test_client_alpn():
    srv = OpenSSLServer(*good_server_args(), "-alpn", "h2,http/1.1", "-rev")
    try:
        rc, out, err = run(["client", f"127.0.0.1:{srv.port}", "--cafile", pki("ca.pem"), "--servername", "localhost",
                            "--alpn", "foo,http/1.1"], stdin=b"x\n")
    finally:
        srv.close()
    check(rc == 0 and "alpn: http/1.1" in out, "ALPN agreed with openssl s_server", rc, out, err)
    srv = PyServer(pki("fullchain-ecdsa.pem"), pki("leaf-ecdsa.key"), alpn=["h2"])
    rc, out, err = run(["client", f"127.0.0.1:{srv.port}", "--cafile", pki("ca.pem"), "--alpn", "h2,http/1.1",
                        "--json"])
    srv.close()
    check(rc == 0 and json.loads(out)["alpn"] == "h2" and srv.alpn == ["h2"], "ALPN h2 with python3", out, err, srv.alpn)
    srv = PyServer(pki("fullchain-ecdsa.pem"), pki("leaf-ecdsa.key"), alpn=["h2"])
    rc, out, err = run(["client", f"127.0.0.1:{srv.port}", "--cafile", pki("ca.pem"), "--alpn", "http/1.1", "--json"])
    srv.close()
    check(rc == 0 and json.loads(out)["alpn"] is None, "no common ALPN protocol: none, as Python", out, err)
    rc, out, err = run(["client", "127.0.0.1:9", "--alpn", "x" * 300])
    check(rc == 2 and "--alpn" in err and one_line(err), "an ALPN name over 255 bytes: usage", rc, err)


def ocsp_response(cert="leaf-ecdsa.pem", status="good"):
    """A real DER OCSP response about a PKI certificate, made by `openssl ocsp` (tests/pki/ocsp_response.sh)."""
    out = tempfile.NamedTemporaryFile(suffix=".der", delete=False).name
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "pki", "ocsp_response.sh")
    subprocess.run([script, PKI, cert, out, status], check=True)
    return out


def test_client_ocsp():
    resp = ocsp_response()
    size = os.path.getsize(resp)
    srv = OpenSSLServer(*good_server_args(), "-status_file", resp, "-rev")
    try:
        rc, out, err = run(["client", f"127.0.0.1:{srv.port}", "--cafile", pki("ca.pem"), "--servername", "localhost",
                            "--ocsp"], stdin=b"x\n")
        check(rc == 0 and f"ocsp: stapled response, {size} bytes (not verified by sslpp)" in out,
              "--ocsp: the response openssl s_server staples is reported with its size", rc, out, err)
        rc, out, err = run(["client", f"127.0.0.1:{srv.port}", "--cafile", pki("ca.pem"), "--servername", "localhost",
                            "--ocsp", "--json"])
        check(rc == 0 and json.loads(out)["ocsp_response_bytes"] == size, "--ocsp --json: ocsp_response_bytes", out, err)
        rc, out, err = run(["client", f"127.0.0.1:{srv.port}", "--cafile", pki("ca.pem"), "--servername", "localhost"],
                           stdin=b"x\n")
        check(rc == 0 and "ocsp:" not in out, "without --ocsp: no ocsp line (nothing asked)", rc, out, err)
    finally:
        srv.close()
        os.unlink(resp)
    srv = PyServer(pki("fullchain-ecdsa.pem"), pki("leaf-ecdsa.key"))
    rc, out, err = run(["client", f"127.0.0.1:{srv.port}", "--cafile", pki("ca.pem"), "--servername", "localhost",
                        "--ocsp"], stdin=b"x\n")
    srv.close()
    check(rc == 0 and "ocsp: none stapled" in out, "--ocsp against python3 (which cannot staple): none", rc, out, err)
    rc, out, err = run(["client", f"127.0.0.1:{srv.port}", "--ocsp=yes"])
    check(rc == 2 and "--ocsp" in err and one_line(err), "--ocsp takes no value: usage", rc, err)


def test_client_groups():
    srv = PyServer(pki("fullchain-ecdsa.pem"), pki("leaf-ecdsa.key"))
    rc, out, err = run(["client", f"127.0.0.1:{srv.port}", "--cafile", pki("ca.pem"), "--groups", "P-384", "--json"])
    srv.close()
    check(rc == 0 and json.loads(out)["group"] == "secp384r1", "--groups P-384 is used", out, err)
    rc, out, err = run(["client", "127.0.0.1:9", "--groups", "no-such-group"])
    check(rc == 2 and "no-such-group" in err and one_line(err), "unknown group: usage naming it", rc, err)


def test_client_session_resumption():
    d = tempfile.mkdtemp()
    sess = os.path.join(d, "session")
    srv = OpenSSLServer(*good_server_args(), "-rev")
    try:
        rc, out, err = run(["client", f"127.0.0.1:{srv.port}", "--cafile", pki("ca.pem"), "--servername", "localhost",
                            "--session-out", sess], stdin=b"one\n")
        check(rc == 0 and "resumed: no" in out and os.path.getsize(sess) > 0, "first connection saves its session",
              rc, out, err)
        check(os.stat(sess).st_mode & 0o077 == 0, "the session file is private", oct(os.stat(sess).st_mode))
        rc, out, err = run(["client", f"127.0.0.1:{srv.port}", "--cafile", pki("ca.pem"), "--servername", "localhost",
                            "--session-in", sess, "--json"])
        check(rc == 0 and json.loads(out)["resumed"] is True, "second connection resumes", rc, out, err)
    finally:
        srv.close()
    with open(os.path.join(d, "junk"), "wb") as f:
        f.write(b"not a session")
    rc, out, err = run(["client", "127.0.0.1:9", "--session-in", os.path.join(d, "junk")])
    check(rc == 2 and "junk" in err and one_line(err), "a file that is not a session: usage naming it", rc, err)
    rc, out, err = run(["client", "127.0.0.1:9", "--session-in", os.path.join(d, "missing")])
    check(rc == 1 and "missing" in err and one_line(err), "a missing session file: exit 1 naming it", rc, err)


def test_client_keylog():
    d = tempfile.mkdtemp()
    log = os.path.join(d, "keys.log")
    srv = PyServer(pki("fullchain-ecdsa.pem"), pki("leaf-ecdsa.key"))
    rc, out, err = run(["client", f"127.0.0.1:{srv.port}", "--cafile", pki("ca.pem"), "--keylog", log, "--json"])
    srv.close()
    check(rc == 0, "--keylog connects", rc, out, err)
    text = open(log).read()
    check("CLIENT_HANDSHAKE_TRAFFIC_SECRET" in text and "SERVER_TRAFFIC_SECRET_0" in text,
          "--keylog writes the NSS key log", text)


# --- failure classes -------------------------------------------------------------------

def test_client_failures():
    refusing = closed_port()
    closed = refusing.getsockname()[1]
    rc, out, err = run(["client", f"127.0.0.1:{closed}", "--cafile", pki("ca.pem")])
    refusing.close()
    check(rc == 1 and "cannot connect" in err and f"127.0.0.1:{closed}" in err and one_line(err),
          "connection refused: exit 1 naming the address", rc, err)
    rc, out, err = run(["client", "no-such-host.invalid:443"])
    check(rc == 1 and "no-such-host.invalid" in err and one_line(err), "unknown host: exit 1", rc, err)
    # usage
    for args, words in ((["client"], "HOST:PORT is missing"), (["client", "x:1", "--bogus"], "unknown option '--bogus'"),
                        (["client", "x:99999"], "not a port number"), (["client", "::1:443"], "brackets"),
                        (["client", "x:1", "--min-version", "1.1"], "deprecated"),
                        (["client", "x:1", "--timeout", "soon"], "--timeout"),
                        (["client", "x:1", "--cafile"], "needs a value"),
                        (["client", "x:1", "--no-verify", "--cafile", "ca.pem"], "--no-verify"),
                        (["nonsense"], "unknown command 'nonsense'")):
        rc, out, err = run(args)
        check(rc == 2 and words in err and one_line(err), f"usage {args}: exit 2 with '{words}'", rc, err)
    # a CA file that does not exist: exit 1 naming it
    rc, out, err = run(["client", "127.0.0.1:9", "--cafile", "/nonexistent/ca.pem"])
    check(rc == 1 and "/nonexistent/ca.pem" in err and one_line(err), "missing --cafile: exit 1 naming it", rc, err)
    # handshake failures: version floor, and a server that does not speak TLS
    srv = PyServer(pki("fullchain-ecdsa.pem"), pki("leaf-ecdsa.key"), max_version=ssl.TLSVersion.TLSv1_2)
    rc, out, err = run(["client", f"localhost:{srv.port}", "--cafile", pki("ca.pem"), "--min-version", "1.3"])
    srv.close()
    check(rc == 3 and one_line(err) and "localhost" in err, "version mismatch: exit 3", rc, err)
    plain = socket.socket()
    plain.bind(("127.0.0.1", 0))
    plain.listen(1)

    def http_answer():
        c, _ = plain.accept()
        c.recv(4096)
        c.sendall(b"HTTP/1.1 400 Bad Request\r\n\r\n")
        c.close()
    t = threading.Thread(target=http_answer, daemon=True)
    t.start()
    rc, out, err = run(["client", f"127.0.0.1:{plain.getsockname()[1]}", "--servername", "localhost"])
    t.join(TIMEOUT)
    check(rc == 3 and one_line(err), "a plain-text server: exit 3", rc, err)
    # a server that accepts and says nothing: the handshake times out
    rc, out, err = run(["client", f"127.0.0.1:{plain.getsockname()[1]}", "--servername", "localhost",
                        "--timeout", "1"])
    plain.close()
    check(rc == 3 and one_line(err), "handshake timeout: exit 3", rc, err)


# --- sslpp server against real clients -------------------------------------------------

class SslppServer:
    def __init__(self, *args):
        self.proc = subprocess.Popen([SSLPP, "server", "--port", "0"] + list(args), stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        check(line.startswith("listening on 127.0.0.1:"), "server prints 'listening on'", line,
              self.proc.stderr.read() if self.proc.poll() is not None else "")
        self.port = int(line.rsplit(":", 1)[1])
        self.log = []

    def stop(self, sig=signal.SIGTERM):
        self.proc.send_signal(sig)
        out, err = self.proc.communicate(timeout=TIMEOUT)
        self.log = out.splitlines()
        return self.proc.returncode, out, err


def server_args():
    return ["--cert", pki("fullchain-ecdsa.pem"), "--key", pki("leaf-ecdsa.key")]


def test_server_clients():
    srv = SslppServer(*server_args())
    try:
        # openssl s_client
        p = subprocess.Popen(["openssl", "s_client", "-connect", f"127.0.0.1:{srv.port}", "-CAfile", pki("ca.pem"),
                              "-verify_return_error", "-verify_hostname", "localhost", "-quiet"],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        p.stdin.write(b"from openssl\n")
        p.stdin.flush()
        r, _, _ = select.select([p.stdout], [], [], TIMEOUT)
        echoed = p.stdout.readline() if r else b""
        p.kill()
        _, s_err = p.communicate()
        check(echoed == b"from openssl\n", "openssl s_client gets its echo", echoed, s_err)
        # python3 ssl, two connections at once
        ctx = ssl.create_default_context(cafile=pki("ca.pem"))
        a = ctx.wrap_socket(socket.create_connection(("127.0.0.1", srv.port), timeout=TIMEOUT), server_hostname="localhost")
        b = ctx.wrap_socket(socket.create_connection(("127.0.0.1", srv.port), timeout=TIMEOUT), server_hostname="localhost")
        b.sendall(b"second")
        check(b.recv(100) == b"second", "second concurrent client served while the first is open")
        a.sendall(b"first")
        check(a.recv(100) == b"first", "first client still served")
        check(a.version() == "TLSv1.3", "python negotiates TLS 1.3", a.version())
        a.close()
        b.close()
    finally:
        rc, out, err = srv.stop()
    check(rc == 0, "server stops cleanly on SIGTERM with exit 0", rc, out, err)
    conn_lines = [l for l in srv.log if " TLSv1." in l]
    check(len(conn_lines) == 3, "one log line per connection", out)
    check(all("127.0.0.1:" in l and "TLS_" in l and "no client certificate" in l for l in conn_lines),
          "log line has peer, version, cipher and client certificate", out)


def test_server_curl():
    srv = SslppServer(*server_args(), "--respond", "HTTP/1.0 200 OK\\r\\nContent-Length: 6\\r\\n\\r\\nhello\\n")
    try:
        p = subprocess.run(["curl", "-sS", "--max-time", "10", "--cacert", pki("ca.pem"),
                            f"https://localhost:{srv.port}/"], capture_output=True, timeout=TIMEOUT)
    finally:
        rc, out, err = srv.stop(signal.SIGINT)
    check(rc == 0 and "stopping" in out, "server stops cleanly on SIGINT", rc, out, err)
    check(p.returncode == 0 and p.stdout == b"hello\n", "curl --cacert gets the --respond text", p.returncode,
          p.stdout, p.stderr)


def test_server_alpn():
    srv = SslppServer(*server_args(), "--alpn", "h2,http/1.1")
    try:
        ctx = ssl.create_default_context(cafile=pki("ca.pem"))
        ctx.set_alpn_protocols(["http/1.1"])
        with ctx.wrap_socket(socket.create_connection(("127.0.0.1", srv.port), timeout=TIMEOUT),
                             server_hostname="localhost") as s:
            check(s.selected_alpn_protocol() == "http/1.1", "server agrees on ALPN", s.selected_alpn_protocol())
            s.sendall(b"a")
            s.recv(10)
    finally:
        srv.stop()
    check(any("alpn http/1.1" in l for l in srv.log), "log line names the ALPN protocol", srv.log)
    # Nothing in common: refused with RFC 7301's alert, not served without ALPN.
    srv = SslppServer(*server_args(), "--alpn", "h2")
    try:
        ctx = ssl.create_default_context(cafile=pki("ca.pem"))
        ctx.set_alpn_protocols(["imap"])
        try:
            with ctx.wrap_socket(socket.create_connection(("127.0.0.1", srv.port), timeout=TIMEOUT),
                                 server_hostname="localhost") as s:
                s.sendall(b"a")
                s.recv(10)
            refused = ""
        except ssl.SSLError as e:
            refused = str(e)
    finally:
        srv.stop()
    check("no application protocol" in refused, "a client with no common ALPN protocol is refused", refused, srv.log)


def test_server_ocsp():
    resp = ocsp_response()
    size = os.path.getsize(resp)
    srv = SslppServer(*server_args(), "--ocsp", resp)
    try:
        p = subprocess.run(["openssl", "s_client", "-connect", f"127.0.0.1:{srv.port}", "-CAfile", pki("ca.pem"),
                            "-servername", "localhost", "-status"], input=b"ping\n", capture_output=True,
                           timeout=TIMEOUT)
        text = p.stdout.decode(errors="replace")
        check("OCSP Response Status: successful" in text and "Cert Status: good" in text,
              "openssl s_client -status reads the response sslpp server --ocsp staples", text)
        rc, out, err = run(["client", f"127.0.0.1:{srv.port}", "--cafile", pki("ca.pem"), "--servername", "localhost",
                            "--ocsp"], stdin=b"x\n")
        check(rc == 0 and f"ocsp: stapled response, {size} bytes" in out, "sslpp client --ocsp against sslpp server --ocsp",
              rc, out, err)
    finally:
        srv.stop()
        os.unlink(resp)
    bad = tempfile.NamedTemporaryFile(suffix=".pem", delete=False)
    bad.write(b"-----BEGIN OCSP RESPONSE-----\nMIIB\n-----END OCSP RESPONSE-----\n")
    bad.close()
    rc, out, err = run(["server"] + server_args() + ["--port", "0", "--ocsp", bad.name])
    os.unlink(bad.name)
    check(rc == 2 and bad.name in err and "not a DER OCSPResponse" in err and one_line(err),
          "--ocsp with PEM text: usage error naming the file", rc, err)
    rc, out, err = run(["server"] + server_args() + ["--port", "0", "--ocsp", "/nonexistent.der"])
    check(rc == 1 and "/nonexistent.der" in err and one_line(err), "--ocsp with a missing file: exit 1 naming it", rc, err)


def test_server_client_certificates():
    srv = SslppServer(*server_args(), "--cafile", pki("client-ca.pem"), "--require-client-cert")
    try:
        ctx = ssl.create_default_context(cafile=pki("ca.pem"))
        ctx.load_cert_chain(pki("client.pem"), pki("client.key"))
        with ctx.wrap_socket(socket.create_connection(("127.0.0.1", srv.port), timeout=TIMEOUT),
                             server_hostname="localhost") as s:
            s.sendall(b"with cert")
            check(s.recv(100) == b"with cert", "client with certificate served")
        ctx = ssl.create_default_context(cafile=pki("ca.pem"))
        try:
            with ctx.wrap_socket(socket.create_connection(("127.0.0.1", srv.port), timeout=TIMEOUT),
                                 server_hostname="localhost") as s:
                s.sendall(b"no cert")
                data = s.recv(100)
                check(data == b"", "client without certificate gets no data", data)
        except (ssl.SSLError, OSError):
            pass
    finally:
        rc, out, err = srv.stop()
    check(rc == 0, "server exit 0", rc, out, err)
    check(any("client certificate" in l and "TLSv1.3" in l and "no client" not in l for l in srv.log),
          "log names the client certificate", out)
    check(any("failed" in l or "refused" in l for l in srv.log), "log line for the refused client", out)


def test_server_usage():
    rc, out, err = run(["server"])
    check(rc == 2 and "--cert" in err and one_line(err), "server without --cert: exit 2", rc, err)
    rc, out, err = run(["server", "--cert", pki("ca.pem"), "--require-client-cert"])
    check(rc == 2 and "--cafile" in err, "--require-client-cert without --cafile: exit 2", rc, err)
    rc, out, err = run(["server", "--cert", "/nonexistent.pem", "--key", pki("leaf-ecdsa.key")])
    check(rc == 1 and "/nonexistent.pem" in err and one_line(err), "missing certificate: exit 1 naming it", rc, err)
    rc, out, err = run(["server", "--cert", pki("leaf-rsa.pem"), "--key", pki("leaf-ecdsa.key")])
    check(rc == 2 and one_line(err), "key that does not match: exit 2", rc, err)


# --- sslpp cert ------------------------------------------------------------------------

def test_cert():
    rc, out, err = run(["cert", pki("fullchain-ecdsa.pem")])
    check(rc == 0 and "certificate 1 of 2" in out and "certificate 2 of 2" in out, "PEM bundle: both certificates", out, err)
    check("'subject': ((('commonName', 'localhost'),)," in out and "'subjectAltName': (('DNS', 'localhost')," in out,
          "certificates in Python's getpeercert() structure", out)
    fp = subprocess.run(["openssl", "x509", "-in", pki("fullchain-ecdsa.pem"), "-noout", "-fingerprint", "-sha256"],
                        capture_output=True, text=True).stdout.strip().split("=", 1)[1]
    check(f"SHA256 fingerprint: {fp}" in out, "SHA-256 fingerprint as openssl prints it", fp, out)
    der = tempfile.NamedTemporaryFile(suffix=".der", delete=False)
    der.write(ssl.PEM_cert_to_DER_cert(open(pki("leaf-rsa.pem")).read()))
    der.close()
    rc, out, err = run(["cert", der.name])
    check(rc == 0 and "certificate 1 of 1" in out, "DER file", out, err)
    os.unlink(der.name)
    rc, out, err = run(["cert", "/nonexistent.pem", pki("ca.pem")])
    check(rc == 1 and "/nonexistent.pem" in err and "certificate 1 of 1" in out, "missing file named, others printed",
          rc, out, err)
    rc, out, err = run(["cert", pki("ca.key")])
    check(rc == 1 and "ca.key" in err and one_line(err), "a key file is not a certificate: named", rc, err)
    rc, out, err = run(["cert"])
    check(rc == 2, "cert without FILE: usage", rc, err)


# --- beyond Python: 0-RTT early data, certificate compression ---------------------------

def test_early_data():
    d = tempfile.mkdtemp()
    sess = os.path.join(d, "session")
    for allow in (True, False):
        srv = SslppServer(*server_args(), *(["--early-data"] if allow else []))
        try:
            rc, out, err = run(["client", f"127.0.0.1:{srv.port}", "--cafile", pki("ca.pem"), "--servername",
                                "localhost", "--session-out", sess, "--quiet"], stdin=b"first\n")
            check(rc == 0 and out == "first\n", "first connection saves its session", rc, out, err)
            rc, out, err = run(["client", f"127.0.0.1:{srv.port}", "--cafile", pki("ca.pem"), "--servername",
                                "localhost", "--session-in", sess, "--early-data", "GET /zero\\n"], stdin=b"after\n")
        finally:
            srv.stop()
        check(rc == 0, "client with --early-data exits 0", rc, out, err)
        check("resumed: yes" in out, "it resumed", out)
        if allow:
            check("early data: accepted (10 bytes sent with the ClientHello)" in out, "client says accepted", out)
            check(any('early data (replayable, 10 bytes): "GET /zero\\n"' in l for l in srv.log),
                  "server logs the early data, marked replayable", srv.log)
        else:
            check("early data: not accepted" in out and "sent after the handshake instead" in out,
                  "client says not accepted and re-sent", out)
            check(not any("early data" in l for l in srv.log), "the server got no early data", srv.log)
        # Delivered exactly once either way: the echo comes back once.
        check(out.count("GET /zero\n") == 1 and out.rstrip().endswith("after"), "echoed exactly once", out)
    # No session at all: sent after the handshake, said so.
    srv = SslppServer(*server_args(), "--early-data")
    try:
        rc, out, err = run(["client", f"127.0.0.1:{srv.port}", "--cafile", pki("ca.pem"), "--servername",
                            "localhost", "--early-data", "hello"], stdin=b"")
    finally:
        srv.stop()
    check(rc == 0 and "not accepted (no_session_offered)" in out and out.count("hello") == 1,
          "no session: the text goes after the handshake, once", rc, out, err)
    rc, out, err = run(["client", "127.0.0.1:9", "--early-data", ""])
    check(rc == 2 and "--early-data" in err and one_line(err), "empty --early-data: usage", rc, err)


class ByteCountingRelay(threading.Thread):
    """A TCP relay to 127.0.0.1:target that counts the bytes the server sends back."""

    def __init__(self, target):
        super().__init__(daemon=True)
        self.target = target
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(1)
        self.sock.settimeout(TIMEOUT)
        self.port = self.sock.getsockname()[1]
        self.from_server = 0
        self.start()

    def run(self):
        conn, _ = self.sock.accept()
        up = socket.create_connection(("127.0.0.1", self.target), timeout=TIMEOUT)
        conn.settimeout(TIMEOUT)
        open_ = {conn: True, up: True}
        while any(open_.values()):
            r, _, _ = select.select([s for s, o in open_.items() if o], [], [], TIMEOUT)
            if not r:
                break
            for s in r:
                data = s.recv(65536)
                other = up if s is conn else conn
                if not data:
                    open_[s] = False
                    try:
                        other.shutdown(socket.SHUT_WR)
                    except OSError:
                        pass
                    continue
                if s is up:
                    self.from_server += len(data)
                other.sendall(data)
        conn.close()
        up.close()
        self.sock.close()


def test_cert_compression():
    subprocess.run([os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "pki", "rsa_chain_pki.sh"), PKI],
                   check=True)
    sizes = {}
    for flag in (True, False):
        extra = ["--cert-compression"] if flag else []
        srv = SslppServer("--cert", pki("rsa3-fullchain.pem"), "--key", pki("rsa3-leaf.key"), *extra)
        try:
            relay = ByteCountingRelay(srv.port)
            rc, out, err = run(["client", f"127.0.0.1:{relay.port}", "--cafile", pki("rsa3-root.pem"), "--servername",
                                "localhost", "--quiet", *extra], stdin=b"x")
            relay.join(TIMEOUT)
        finally:
            srv.stop()
        check(rc == 0 and out == "x", f"--cert-compression={flag}: client connects and verifies", rc, out, err)
        sizes[flag] = relay.from_server
    # Three RSA-2048 certificates: brotli saves hundreds of bytes of the server's flight.
    check(sizes[True] + 300 < sizes[False], "the compressed certificate message was used", sizes)
    # Only the client offering: nothing to compress with, still works.
    srv = SslppServer("--cert", pki("rsa3-fullchain.pem"), "--key", pki("rsa3-leaf.key"))
    try:
        rc, out, err = run(["client", f"127.0.0.1:{srv.port}", "--cafile", pki("rsa3-root.pem"), "--servername",
                            "localhost", "--quiet", "--cert-compression"], stdin=b"y")
    finally:
        srv.stop()
    check(rc == 0 and out == "y", "a server without compression still serves a client offering it", rc, out, err)


# --- Encrypted Client Hello: sslpp ech-keys, server --ech-key/--ech-config, client --ech-config-list ---

SECRET = "secret.example"
PUBLIC = "public.example"


def ech_pki(name):
    """A PKI file, after tests/pki/ech_pki.sh added the ECH certificates (idempotent)."""
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "pki", "ech_pki.sh")
    subprocess.run([script, PKI], check=True)
    return pki(name)


def make_ech_keys(directory, config_id="1"):
    rc, out, err = run(["ech-keys", "--public-name", PUBLIC, "--config-id", config_id, "--out-dir", directory])
    check(rc == 0, "ech-keys makes keys", rc, out, err)
    return out


class Relay(threading.Thread):
    """A TCP relay on loopback to `port` that records every byte the client sent (a passive observer)."""

    def __init__(self, port):
        super().__init__(daemon=True)
        self.target = port
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.client_bytes = b""
        self.lock = threading.Lock()
        self.start()

    def run(self):
        try:
            while True:
                c, _ = self.sock.accept()
                s = socket.create_connection(("127.0.0.1", self.target), timeout=TIMEOUT)
                threading.Thread(target=self.pipe, args=(c, s, True), daemon=True).start()
                threading.Thread(target=self.pipe, args=(s, c, False), daemon=True).start()
        except OSError:
            pass

    def pipe(self, src, dst, record):
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                if record:
                    with self.lock:
                        self.client_bytes += data
                dst.sendall(data)
        except OSError:
            pass
        finally:
            try:
                dst.shutdown(socket.SHUT_WR)
            except OSError:
                pass

    def close(self):
        self.sock.close()


def ech_server(keydir, cert="fullchain-ech-both.pem", key="ech-both.key"):
    return SslppServer("--cert", ech_pki(cert), "--key", ech_pki(key), "--ech-key", os.path.join(keydir, "ech.key"),
                       "--ech-config", os.path.join(keydir, "ech.config"))


def ech_client(port, *extra, stdin=b"hello\n"):
    return run(["client", f"127.0.0.1:{port}", "--servername", SECRET, "--cafile", pki("ca.pem")] + list(extra),
               stdin=stdin)


def test_ech_keys():
    with tempfile.TemporaryDirectory() as d:
        keydir = os.path.join(d, "keys")
        out = make_ech_keys(keydir, "7")
        key, config, clist = (os.path.join(keydir, n) for n in ("ech.key", "ech.config", "ech.configlist"))
        check(os.path.getsize(key) == 32, "ech.key holds 32 raw bytes", os.path.getsize(key))
        check(os.stat(key).st_mode & 0o077 == 0, "ech.key is readable by its owner only", oct(os.stat(key).st_mode))
        cfg, lst = open(config, "rb").read(), open(clist, "rb").read()
        check(cfg[:2] == b"\xfe\x0d" and cfg[4] == 7 and PUBLIC.encode() in cfg, "ech.config is a draft-13 ECHConfig",
              cfg.hex())
        check(lst == len(cfg).to_bytes(2, "big") + cfg, "ech.configlist is the list of that config", lst.hex())
        import base64
        b64 = [l for l in out.splitlines() if l.startswith("ech=")]
        check(len(b64) == 1 and base64.b64decode(b64[0][4:]) == lst, "prints the list in base64 for DNS", out)
        # Never overwrites a key.
        rc, out2, err = run(["ech-keys", "--public-name", PUBLIC, "--out-dir", keydir])
        check(rc == 1 and "already exists" in err and one_line(err), "existing files are not overwritten", rc, err)
        check(open(key, "rb").read() == open(key, "rb").read() and os.path.getsize(key) == 32, "the key is intact")
        # bssl-tool reads the files: its server with ech.key/ech.config, its client with ech.configlist.
        srv, port = serve_on_free_port(lambda p: ["bssl-tool", "server", "-accept", str(p), "-loop", "-cert",
                                                  ech_pki("fullchain-ech-both.pem"), "-key", ech_pki("ech-both.key"),
                                                  "-ech-key", key, "-ech-config", config])
        try:
            rc, out, err = (1, "", "")
            for _ in range(100):
                rc, out, err = ech_client(port, "--ech-config-list", clist, "--json", stdin=b"")
                if rc != 1:
                    break
                time.sleep(0.05)
            check(rc == 0 and json.loads(out)["ech"].startswith("accepted"), "sslpp client with ech.configlist "
                  "against bssl-tool server with ech.key/ech.config", rc, out, err)
            p = subprocess.run(["bssl-tool", "client", "-connect", f"127.0.0.1:{port}", "-server-name", SECRET,
                                "-root-certs", pki("ca.pem"), "-ech-config-list", clist],
                               input=b"", capture_output=True, timeout=TIMEOUT)
            check(b"Encrypted ClientHello: yes" in p.stdout + p.stderr, "bssl-tool client reads ech.configlist",
                  p.stdout, p.stderr)
        finally:
            srv.kill()
            srv.wait()
    for args, what in ((["--out-dir", "/tmp/x"], "--public-name NAME is required"),
                       (["--public-name", PUBLIC], "--out-dir DIR is required"),
                       (["--public-name", "10.0.0.1", "--out-dir", "/tmp/x"], "not a DNS host name"),
                       (["--public-name", PUBLIC, "--config-id", "256", "--out-dir", "/tmp/x"], "above 255")):
        rc, out, err = run(["ech-keys"] + args)
        check(rc == 2 and what in err and one_line(err), f"ech-keys usage: {what}", rc, err)


def test_ech_client_server():
    with tempfile.TemporaryDirectory() as d:
        make_ech_keys(os.path.join(d, "current"), "2")
        make_ech_keys(os.path.join(d, "stale"), "1")
        srv = ech_server(os.path.join(d, "current"))
        relay = Relay(srv.port)
        try:
            # Accepted: the client says so, the server logs it, the observer never sees the name.
            rc, out, err = ech_client(relay.port, "--ech-config-list", os.path.join(d, "current", "ech.configlist"))
            check(rc == 0 and "ech: accepted" in out and "hello" in out, "client prints that ECH was accepted", rc, out,
                  err)
            check(PUBLIC.encode() in relay.client_bytes and SECRET.encode() not in relay.client_bytes,
                  "an observer of the client's bytes sees the public name only")
            # The DNS form (base64) works too.
            b64 = os.path.join(d, "list.b64")
            import base64
            open(b64, "w").write(base64.b64encode(open(os.path.join(d, "current", "ech.configlist"), "rb").read())
                                 .decode() + "\n")
            rc, out, err = ech_client(relay.port, "--ech-config-list", b64, "--json", stdin=b"")
            check(rc == 0 and json.loads(out)["ech"].startswith("accepted"), "a base64 config list is read", rc, out, err)
            # A stale config: rejected, retried with the server's authenticated retry configs, accepted.
            rc, out, err = ech_client(relay.port, "--ech-config-list", os.path.join(d, "stale", "ech.configlist"))
            check(rc == 0 and "ech: accepted after a retry" in out, "a stale config is retried with the retry configs",
                  rc, out, err)
            check(SECRET.encode() not in relay.client_bytes, "no connection showed the real name")
            # Without ECH: the real name goes in clear (what ECH prevents).
            rc, out, err = ech_client(relay.port)
            check(rc == 0 and "ech:" not in out, "without ECH, no ech line", rc, out, err)
            check(SECRET.encode() in relay.client_bytes, "without ECH an observer sees the real name")
            # GREASE: said as such.
            rc, out, err = ech_client(srv.port, "--ech-grease")
            check(rc == 0 and "ech: GREASE only" in out, "--ech-grease is reported as hiding nothing", rc, out, err)
        finally:
            relay.close()
            rc, out, err = srv.stop()
        check(rc == 0, "server stops cleanly", rc, out, err)
        ech_lines = [l for l in srv.log if " TLSv1.3 " in l and " ech " in l]
        check(len(ech_lines) == 3, "the server logs 'ech' for the three accepted connections", out)

        # A server without ECH (rolled back): rejected with no retry configs, exit 3, nothing in clear.
        plain = SslppServer("--cert", ech_pki("fullchain-ech-both.pem"), "--key", ech_pki("ech-both.key"))
        relay = Relay(plain.port)
        try:
            rc, out, err = ech_client(relay.port, "--ech-config-list", os.path.join(d, "current", "ech.configlist"))
            check(rc == 3 and "ECH_REJECTED" in err and "no retry configs" in err and one_line(err),
                  "a server without ECH: exit 3, no fallback", rc, out, err)
            check(SECRET.encode() not in relay.client_bytes, "no fallback to the real name in clear")
        finally:
            relay.close()
            plain.stop()

        # A server whose certificate is not valid for the public name: its retry configs are refused (exit 4).
        bad = ech_server(os.path.join(d, "current"), cert="fullchain-ech-secret.pem", key="ech-secret.key")
        try:
            rc, out, err = ech_client(bad.port, "--ech-config-list", os.path.join(d, "stale", "ech.configlist"))
            check(rc == 4 and "public.example" in err and one_line(err),
                  "a rejection not authenticated for the public name is a verification failure", rc, out, err)
        finally:
            bad.stop()


def test_ech_usage():
    with tempfile.TemporaryDirectory() as d:
        make_ech_keys(os.path.join(d, "k"))
        key, config = os.path.join(d, "k", "ech.key"), os.path.join(d, "k", "ech.config")
        base = ["server", "--cert", pki("fullchain-ecdsa.pem"), "--key", pki("leaf-ecdsa.key"), "--port", "0"]
        rc, out, err = run(base + ["--ech-key", key])
        check(rc == 2 and "go together" in err, "--ech-key without --ech-config", rc, err)
        rc, out, err = run(base + ["--ech-key", config, "--ech-config", key])
        check(rc == 2 and "ech_keys::load" in err and one_line(err), "key and config swapped: named", rc, err)
        rc, out, err = run(base + ["--ech-key", "/nonexistent.key", "--ech-config", config])
        check(rc == 1 and "/nonexistent.key" in err, "a missing key file is named", rc, err)
        junk = os.path.join(d, "junk")
        open(junk, "wb").write(b"\x00\x03abc")
        rc, out, err = run(["client", "127.0.0.1:1", "--servername", SECRET, "--ech-config-list", junk])
        check(rc == 2 and "ech_config_list" in err and one_line(err), "a malformed config list: usage error", rc, err)
        rc, out, err = run(["client", "127.0.0.1:1", "--no-verify", "--ech-config-list",
                            os.path.join(d, "k", "ech.configlist")])
        check(rc == 2 and "verifies the server" in err, "ECH without verification is refused", rc, err)


def main():
    global SSLPP, PKI
    if len(sys.argv) != 4:
        print(__doc__)
        sys.exit(2)
    SSLPP, PKI, case = os.path.abspath(sys.argv[1]), sys.argv[2], sys.argv[3]
    fn = globals().get("test_" + case)
    if not fn:
        print("unknown case", case)
        sys.exit(2)
    fn()
    print("ok:", case)


if __name__ == "__main__":
    main()
