#!/usr/bin/env python3
"""gen_cipher_names.py: the cipher suite names and cipher-string keywords this BoringSSL
knows, as the C++ tables of include/sslpp/detail/feature_rules.hpp (cipher_suite_names,
cipher_aliases) that check set_ciphers literals at compile time.

  tools/gen_cipher_names.py            print the tables
  tools/gen_cipher_names.py --check F  exit 1 when the tables in F differ from this backend

Sources: `bssl-tool ciphers ALL` lists every TLS 1.2-and-older suite by IANA name;
`openssl ciphers -stdname` maps those to the OpenSSL names (the same for these suites in
both libraries); every name and keyword is then confirmed with `bssl-tool ciphers NAME`,
which parses strictly (an unknown word is INVALID_COMMAND). Keyword candidates are the
SSL_TXT_* strings of BoringSSL's ssl.h plus the keywords of OpenSSL's cipher language.
"""
import re
import subprocess
import sys

SSL_H = "/usr/include/android/openssl/ssl.h"
OPENSSL_KEYWORDS = """ALL DEFAULT COMPLEMENTOFDEFAULT COMPLEMENTOFALL HIGH MEDIUM LOW FIPS aNULL eNULL NULL
kRSA aRSA RSA kEECDH kECDHE ECDHE EECDH ECDH kDHE DHE EDH kPSK aPSK PSK ECDSA aECDSA DSS aDSS
AES AES128 AES256 AESGCM AESCCM CHACHA20 3DES DES RC4 MD5 SHA1 SHA SHA256 SHA384
SSLv3 TLSv1 TLSv1.0 TLSv1.2 TLSv1.3 SUITEB128""".split()


def run(args):
    return subprocess.run(args, capture_output=True, text=True)


def backend_accepts(rule):
    """Whether the backend parses `rule` and it selects at least one suite. (SHA256 and
    SHA384 are keywords of this BoringSSL that select no suite, since it has no
    HMAC-SHA256 suites: they are left out, so a literal using them does not compile.)"""
    r = run(["bssl-tool", "ciphers", rule])
    return r.returncode == 0 and bool(r.stdout.split()) and "Failed" not in r.stdout + r.stderr


def suites():
    iana = run(["bssl-tool", "ciphers", "ALL"]).stdout.split()
    # Suites this OpenSSL build no longer has (3DES); their OpenSSL names are still checked below.
    mapping = {"TLS_RSA_WITH_3DES_EDE_CBC_SHA": "DES-CBC3-SHA"}
    for line in run(["openssl", "ciphers", "-stdname", "ALL:COMPLEMENTOFALL:@SECLEVEL=0"]).stdout.splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[1] == "-":
            mapping[parts[0]] = parts[2]
    pairs = []
    for name in iana:
        ossl = mapping.get(name)
        if ossl is None or not backend_accepts(ossl):
            sys.exit(f"no OpenSSL name this backend accepts for {name}")
        if not backend_accepts(name):
            sys.exit(f"the backend lists {name} but does not accept it in a cipher string")
        pairs.append((ossl, name))
    return pairs


def aliases():
    header = open(SSL_H).read()
    candidates = re.findall(r'#define\s+SSL_TXT_\w+\s+"([^"]+)"', header) + OPENSSL_KEYWORDS
    seen, out = set(), []
    for word in candidates:
        if word in seen or not re.fullmatch(r"[A-Za-z0-9.]+", word):
            continue
        seen.add(word)
        if backend_accepts(word):
            out.append(word)
    return out


def table_from_header(path, name):
    text = open(path).read()
    m = re.search(name + r"\[\]\s*=\s*\{(.*?)\};", text, re.S)
    if not m:
        sys.exit(f"{path}: no table {name}")
    return set(re.findall(r'"([^"]+)"', m.group(1)))


def main():
    pairs, words = suites(), aliases()
    if len(sys.argv) == 3 and sys.argv[1] == "--check":
        ok = True
        for table, want in (("cipher_suite_names", {n for p in pairs for n in p}), ("cipher_aliases", set(words))):
            have = table_from_header(sys.argv[2], table)
            if have != want:
                ok = False
                print(f"{table}: missing {sorted(want - have)}, not known to this backend {sorted(have - want)}")
        print("cipher tables match this BoringSSL" if ok else "regenerate with tools/gen_cipher_names.py")
        return 0 if ok else 1
    print("inline constexpr std::string_view cipher_suite_names[] = {")
    for ossl, iana in pairs:
        print(f'    "{ossl}", "{iana}",')
    print("};")
    print("inline constexpr std::string_view cipher_aliases[] = {")
    print("    " + ", ".join(f'"{w}"' for w in words) + ",")
    print("};")
    return 0


if __name__ == "__main__":
    sys.exit(main())
