#!/usr/bin/env python3
"""check_backend_wall.py — BoringSSL is called only from include/sslpp/detail/.

    check_backend_wall.py <include dir>              check the tree, exit 1 naming each breach
    check_backend_wall.py <include dir> --self-test  also show that a breach is found

The public headers (include/sslpp/*.hpp) and the public classes' definitions
(include/sslpp/impl/*.ipp) may name the backend's types only as native_handle()'s return
type. They call no backend function or macro (SSL_*, X509_*, BIO_*, sk_*, ...), use no
bssl:: name and include no <openssl/...> header: those live in include/sslpp/detail/ (and
its detail/impl/*.ipp), the one place that touches the C API. Comments are not code.
"""
import glob
import os
import re
import sys

PREFIXES = ("SSL|X509|BIO|EVP|ERR|CRYPTO|PEM|RAND|OPENSSL|sk|d2i|i2d|CBS|CBB|BN|RSA|EC|ECDSA|"
            "HMAC|ASN1|TLS|DTLS|PKCS8|PKCS12")
# A call (a name with a backend prefix followed by "("), a bssl:: name, a backend include.
BREACH_RE = re.compile(r"(?:^|[^A-Za-z0-9_])(?:(?:%s)_[A-Za-z0-9_]*\s*\(|bssl::|#\s*include\s*<openssl/)" % PREFIXES)
COMMENT_RE = re.compile(r"^\s*//")


def breaches(text):
    """(line number, line) of every breach in a file's text."""
    out = []
    for n, line in enumerate(text.splitlines(), 1):
        if COMMENT_RE.match(line):
            continue
        code = line.split("//", 1)[0] if '"' not in line else line  # keep string literals whole
        if BREACH_RE.search(code):
            out.append((n, line.strip()))
    return out


def main():
    include = sys.argv[1]
    public = sorted(glob.glob(os.path.join(include, "sslpp", "*.hpp")) +
                    glob.glob(os.path.join(include, "sslpp", "impl", "*.ipp")))
    if len(public) < 20:
        print(f"FAIL: found only {len(public)} public files under {include}/sslpp: wrong directory?")
        return 1
    if "--self-test" in sys.argv:
        for sample in ["  SSL_free(p);", "x = X509_verify_cert_error_string(v);", "bssl::UniquePtr<X509> x;",
                       "#include <openssl/ssl.h>", "if (sk_X509_num(s) == 0) {}"]:
            if not breaches(sample):
                print(f"FAIL: the check does not see the breach in: {sample}")
                return 1
        for sample in ["SSL* native_handle() const noexcept;", "// SSL_free(p) is detail's job",
                       "BIO* bio_ = nullptr;"]:
            if breaches(sample):
                print(f"FAIL: the check sees a breach where there is none: {sample}")
                return 1
    found = 0
    for path in public:
        with open(path, encoding="utf-8") as f:
            for n, line in breaches(f.read()):
                print(f"{os.path.relpath(path, include)}:{n}: calls the backend outside detail/: {line}")
                found += 1
    if found:
        print(f"FAIL: {found} backend call(s) outside include/sslpp/detail/; move them behind a detail:: function")
        return 1
    print(f"PASS: {len(public)} public headers and definition files call no backend function")
    return 0


if __name__ == "__main__":
    sys.exit(main())
