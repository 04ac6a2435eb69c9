#!/usr/bin/env python3
"""consumer.py — builds and runs small projects that use sslpp the ways its users do.

Run by CTest (tests/cmake/consumers.cmake, tests/cmake/readme.cmake); each subcommand is one
test and exits non-zero, saying what failed, when the way of using sslpp is broken.

  install           configure sslpp alone (tests, examples, benchmarks off) and `cmake --install`
                    it into --prefix (the CTest fixture the other tests share)
  cmake             tests/consumers/cmake: find_package(sslpp CONFIG REQUIRED) against --prefix,
                    build, run
  cmake-wrong-major the same asking for the next major version: configuring must fail
  subdir            tests/consumers/subdir: add_subdirectory(sslpp source), build, run
  meson             tests/consumers/meson: sslpp as a meson subproject, build, run
  meson-readme      the README's meson snippet pasted after `project('app', 'cpp')` (no C++ standard
                    chosen): builds and runs; with cpp_std=c++17, setup is refused in one line
  pkg-config        compile app.cpp with `pkg-config --cflags --libs sslpp` from --prefix, run
  single-header     the README quick-start compiled against single_include/sslpp.hpp alone (no
                    include/ on the path) and run against a local TLS server
  single-header-no-boringssl
                    the single header compiled without BoringSSL's include directory: the
                    first error line names the directory to add
  readme            every ```cpp block of README.md compiled against --prefix; the quick-start
                    client run against a local TLS server
  vcpkg             packaging/vcpkg/portfile.cmake executed (vcpkg's helper functions stubbed by
                    tests/consumers/vcpkg_stub.cmake) into a staging dir, then the cmake consumer
  conan             packaging/conan/conanfile.py executed (Conan's API stubbed by
                    tests/consumers/conan_stub/) into a staging dir, then the cmake consumer
"""
import argparse
import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import readme_snippets  # noqa: E402

TIMEOUT = 300


class Failure(Exception):
    pass


def run(cmd, cwd=None, env=None, timeout=TIMEOUT, expect_fail=False):
    print("+", " ".join(cmd), flush=True)
    try:
        p = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise Failure(f"timed out after {timeout} s: {' '.join(cmd)}")
    except FileNotFoundError:
        raise Failure(f"{cmd[0]} is not installed (tools/bootstrap deps --test installs what the tests need)")
    if p.returncode != 0 and not expect_fail:
        print(p.stdout)
        raise Failure(f"exit status {p.returncode}: {' '.join(cmd)}")
    return p


def version(source_dir):
    with open(os.path.join(source_dir, "include", "sslpp", "config.hpp"), encoding="utf-8") as f:
        parts = dict(re.findall(r"^#define SSLPP_VERSION_(MAJOR|MINOR|PATCH) ([0-9]+)", f.read(), re.M))
    return "{MAJOR}.{MINOR}.{PATCH}".format(**parts)


def fresh(path):
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    return path


def cmake_configure_args(a):
    # No build type: no optimisation, the quickest compile (these programs only have to build and run).
    args = ["-G", a.generator, "-DCMAKE_BUILD_TYPE="]
    if a.cxx:
        args.append(f"-DCMAKE_CXX_COMPILER={a.cxx}")
    return args


def check_app_output(output, a, what):
    want = f"sslpp {version(a.source_dir)} consumer"
    if want not in output:
        raise Failure(f"{what}: the program printed {output!r}, expected a line with {want!r}")
    print(output.strip())


def build_and_run_cmake_consumer(a, project, build, defs):
    run(["cmake", "-S", project, "-B", build] + cmake_configure_args(a) + defs)
    run(["cmake", "--build", build])
    check_app_output(run([os.path.join(build, "app")]).stdout, a, project)


# --- install and the CMake package -------------------------------------------------------------

def cmd_install(a):
    build = fresh(os.path.join(a.work, "sslpp-build"))
    shutil.rmtree(a.prefix, ignore_errors=True)
    run(["cmake", "-S", a.source_dir, "-B", build, f"-DCMAKE_INSTALL_PREFIX={a.prefix}",
         "-DSSLPP_BUILD_TESTS=OFF", "-DSSLPP_BUILD_EXAMPLES=OFF", "-DSSLPP_BUILD_BENCH=OFF",
         "-DSSLPP_INSTALL=ON"] + cmake_configure_args(a))
    run(["cmake", "--build", build])  # the compiled mode's library, sslpp_compiled
    run(["cmake", "--install", build])
    for rel in ["include/sslpp/sslpp.hpp", "include/sslpp/asio.hpp", "include/sslpp/boost_asio.hpp",
                "include/sslpp/detail/async_stream.hpp", "lib/cmake/sslpp/sslppConfig.cmake",
                "lib/cmake/sslpp/sslppConfigVersion.cmake", "lib/cmake/sslpp/FindBoringSSL.cmake",
                "lib/pkgconfig/sslpp.pc", "include/sslpp/impl/socket.ipp",
                "include/sslpp/detail/impl/engine.ipp", "lib/libsslpp.a"]:
        if not os.path.isfile(os.path.join(a.prefix, rel)):
            raise Failure(f"cmake --install did not install {rel} into {a.prefix}")
    print(f"installed sslpp {version(a.source_dir)} into {a.prefix}")


def cmd_cmake(a, prefix=None, name="cmake"):
    build = fresh(os.path.join(a.work, name))
    build_and_run_cmake_consumer(a, os.path.join(HERE, "cmake"), build,
                                 [f"-DCMAKE_PREFIX_PATH={prefix or a.prefix}",
                                  f"-DSSLPP_REQUEST_VERSION={version(a.source_dir)}"])
    # sslpp::sslpp_compiled, installed by `consumer install`: the compiled mode's app runs too.
    app_compiled = os.path.join(build, "app_compiled")
    if prefix is None:
        if not os.path.isfile(app_compiled):
            raise Failure("the installed package has no sslpp::sslpp_compiled: app_compiled was not built")
        check_app_output(run([app_compiled]).stdout, a, os.path.join(HERE, "cmake"))
        print("sslpp::sslpp_compiled: app_compiled built and ran")
    # sslpp::asio, where asio is installed (the project builds app_asio then): it runs.
    app_asio = os.path.join(build, "app_asio")
    if os.path.isfile(app_asio):
        run([app_asio])
        print("sslpp::asio: app_asio built and ran")


def cmd_cmake_wrong_major(a):
    build = fresh(os.path.join(a.work, "cmake-wrong-major"))
    major = int(version(a.source_dir).split(".")[0])
    p = run(["cmake", "-S", os.path.join(HERE, "cmake"), "-B", build, f"-DCMAKE_PREFIX_PATH={a.prefix}",
             f"-DSSLPP_REQUEST_VERSION={major + 1}.0"] + cmake_configure_args(a), expect_fail=True)
    if p.returncode == 0:
        raise Failure(f"find_package(sslpp {major + 1}.0) accepted sslpp {version(a.source_dir)} (SameMajorVersion broken)")
    if "sslppConfigVersion.cmake" not in p.stdout and "version" not in p.stdout:
        print(p.stdout)
        raise Failure("find_package failed, but not because of the version")
    print(f"find_package(sslpp {major + 1}.0) is refused, as it should be")


def cmd_subdir(a):
    build = fresh(os.path.join(a.work, "subdir"))
    build_and_run_cmake_consumer(a, os.path.join(HERE, "subdir"), build, [f"-DSSLPP_SOURCE_DIR={a.source_dir}"])


# --- meson and pkg-config -----------------------------------------------------------------------

def cmd_meson(a):
    work = fresh(os.path.join(a.work, "meson"))
    src = os.path.join(work, "src")
    os.makedirs(os.path.join(src, "subprojects"))
    shutil.copy(os.path.join(HERE, "meson", "meson.build"), src)
    shutil.copy(os.path.join(HERE, "app.cpp"), src)
    os.symlink(a.source_dir, os.path.join(src, "subprojects", "sslpp"))
    build = os.path.join(work, "build")
    env = dict(os.environ)
    if a.cxx:
        env["CXX"] = a.cxx
    run(["meson", "setup", build, src, "--buildtype=plain"], env=env)
    run(["meson", "compile", "-C", build])
    check_app_output(run([os.path.join(build, "app")]).stdout, a, "meson consumer")


def readme_meson_snippet(a):
    """The README's ```meson block (the way to use sslpp from meson), as a user would paste it."""
    with open(a.readme, encoding="utf-8") as f:
        blocks = re.findall(r"^```meson\n(.*?)^```", f.read(), re.M | re.S)
    if len(blocks) != 1:
        raise Failure(f"README.md should have exactly one ```meson block, it has {len(blocks)}")
    return blocks[0]


def meson_project_from_readme(a, name, project_line):
    """A new project: `project_line`, then the README's meson snippet; sslpp in subprojects/."""
    work = fresh(os.path.join(a.work, name))
    src = os.path.join(work, "src")
    os.makedirs(os.path.join(src, "subprojects"))
    with open(os.path.join(src, "meson.build"), "w", encoding="utf-8") as f:
        f.write(project_line + "\n" + readme_meson_snippet(a))
    shutil.copy(os.path.join(HERE, "app.cpp"), src)
    os.symlink(a.source_dir, os.path.join(src, "subprojects", "sslpp"))
    env = dict(os.environ)
    if a.cxx:
        env["CXX"] = a.cxx
    return src, os.path.join(work, "build"), env


def cmd_meson_readme(a):
    # As pasted into a new project that says nothing about the C++ standard: sslpp_dep brings C++20.
    src, build, env = meson_project_from_readme(a, "meson-readme", "project('app', 'cpp')")
    run(["meson", "setup", build, src, "--buildtype=plain"], env=env)
    run(["meson", "compile", "-C", build])
    check_app_output(run([os.path.join(build, "app")]).stdout, a, "meson consumer pasted from the README")
    # A project that asks for an older standard is refused at setup, in one line naming the fix.
    src, build, env = meson_project_from_readme(a, "meson-readme-cxx17",
                                                "project('app', 'cpp', default_options: ['cpp_std=c++17'])")
    p = run(["meson", "setup", build, src, "--buildtype=plain"], env=env, expect_fail=True)
    if p.returncode == 0:
        raise Failure("meson setup accepted sslpp in a project with cpp_std=c++17")
    want = "sslpp needs C++20, but this build has cpp_std=c++17: set cpp_std=c++20"
    if not any(want in line for line in p.stdout.splitlines()):
        print(p.stdout)
        raise Failure(f"meson setup with cpp_std=c++17 failed without the line {want!r}")
    print("cpp_std=c++17 is refused:", next(line for line in p.stdout.splitlines() if want in line))


def pkg_config(a, *args):
    env = dict(os.environ, PKG_CONFIG_PATH=os.path.join(a.prefix, "lib", "pkgconfig"))
    return run(["pkg-config"] + list(args), env=env).stdout.split()


def cmd_pkg_config(a):
    work = fresh(os.path.join(a.work, "pkg-config"))
    got = " ".join(pkg_config(a, "--modversion", "sslpp"))
    if got != version(a.source_dir):
        raise Failure(f"pkg-config --modversion sslpp says {got}, config.hpp says {version(a.source_dir)}")
    flags = pkg_config(a, "--cflags", "--libs", "sslpp")
    exe = os.path.join(work, "app")
    run([a.cxx or "c++", "-std=c++20", os.path.join(HERE, "app.cpp"), "-o", exe] + flags)
    check_app_output(run([exe]).stdout, a, "pkg-config consumer")


# --- a local TLS server for the quick-start ---------------------------------------------------

class LocalServer:
    """A python3 `ssl` server on 127.0.0.1 (and ::1 on the same port when it can), presenting
    the test PKI's localhost chain; it completes the handshake and waits for the client to close."""

    def __init__(self, pki):
        self.ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.ctx.load_cert_chain(os.path.join(pki, "fullchain-ecdsa.pem"), os.path.join(pki, "leaf-ecdsa.key"))
        self.socks = [socket.create_server(("127.0.0.1", 0))]
        self.port = self.socks[0].getsockname()[1]
        try:
            self.socks.append(socket.create_server(("::1", self.port), family=socket.AF_INET6))
        except OSError:
            pass
        self.handshakes = 0
        self.stop = False
        self.threads = [threading.Thread(target=self.serve, args=(s,), daemon=True) for s in self.socks]
        for t in self.threads:
            t.start()

    def serve(self, lsock):
        lsock.settimeout(0.2)
        while not self.stop:
            try:
                conn, _ = lsock.accept()
            except (socket.timeout, OSError):
                continue
            conn.settimeout(10)
            try:
                with self.ctx.wrap_socket(conn, server_side=True) as tls:
                    self.handshakes += 1
                    try:
                        tls.recv(1024)
                    except (ssl.SSLError, OSError):
                        pass
            except (ssl.SSLError, OSError) as e:
                print(f"local server: {e}", flush=True)

    def close(self):
        self.stop = True
        for t in self.threads:
            t.join(5)
        for s in self.socks:
            s.close()


def run_quickstart(exe, pki, what):
    server = LocalServer(pki)
    try:
        env = dict(os.environ, SSL_CERT_FILE=os.path.join(pki, "ca.pem"))
        env.pop("SSL_CERT_DIR", None)
        out = run([exe, "localhost", str(server.port)], env=env, timeout=60).stdout
    finally:
        server.close()
    print(out.strip())
    if "TLSv1.3" not in out or server.handshakes < 1:
        raise Failure(f"{what}: the quick-start did not report a TLS 1.3 connection to the local server")


def compile_flags(a):
    """BoringSSL's and fmt's flags, as CMake found them (passed by tests/cmake/*.cmake)."""
    libdir = os.path.dirname(a.boringssl_ssl)
    return (["-isystem", a.boringssl_include],
            [a.boringssl_ssl, a.boringssl_crypto, f"-Wl,-rpath,{libdir}", "-pthread"] + a.fmt_libs.split(";"))


def cmd_single_header(a):
    work = fresh(os.path.join(a.work, "single-header"))
    only = os.path.join(work, "only")
    os.makedirs(only)
    single = os.path.join(a.source_dir, "single_include", "sslpp.hpp")
    shutil.copy(single, only)
    with open(single, encoding="utf-8") as f:
        text = f.read()
    left = re.findall(r"^\s*#\s*include\s*<sslpp/[^>]*>", text, re.M)
    if left:
        raise Failure(f"single_include/sslpp.hpp still includes {left}: run tools/amalgamate.py")
    clients = [s for s in readme_snippets.snippets(a.readme) if s.client]
    if not clients:
        raise Failure(f"{a.readme} has no quick-start client program (a ```cpp program using argv[1] and argv[2])")
    quick = clients[0]
    code = quick.source(a.readme).replace("#include <sslpp/sslpp.hpp>", '#include "sslpp.hpp"')
    src = os.path.join(work, "quickstart.cpp")
    with open(src, "w", encoding="utf-8") as f:
        f.write(code)
    cflags, libs = compile_flags(a)
    exe = os.path.join(work, "quickstart")
    # Only the single header's directory is on the include path: not include/, not an install.
    try:
        run([a.cxx or "c++", "-std=c++20", "-I", only] + cflags + [src, "-o", exe] + libs)
    except Failure as e:
        stale = subprocess.run([sys.executable, os.path.join(a.source_dir, "tools", "amalgamate.py"), "--check"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode != 0
        raise Failure(f"{e}" + ("\nsingle_include/sslpp.hpp is out of date with include/: run tools/amalgamate.py"
                                if stale else ""))
    run_quickstart(exe, a.pki, "single header")


def cmd_single_header_no_boringssl(a):
    """The single header without BoringSSL's include directory: the compiler's first error
    says which directory to add, not a bare "openssl/base.h: No such file"."""
    work = fresh(os.path.join(a.work, "single-header-no-boringssl"))
    shutil.copy(os.path.join(a.source_dir, "single_include", "sslpp.hpp"), work)
    src = os.path.join(work, "main.cpp")
    with open(src, "w", encoding="utf-8") as f:
        f.write('#include "sslpp.hpp"\nint main() { return sslpp::create_default_context().check_hostname() ? 0 : 1; }\n')
    for cxx in [a.cxx or "c++"] + [c for c in ("clang++",) if shutil.which(c) and c != a.cxx]:
        p = run([cxx, "-std=c++20", "-fsyntax-only", "-fdiagnostics-color=never", "-I", work, src], expect_fail=True)
        print(p.stdout)
        if p.returncode == 0:
            if a.boringssl_include in ("/usr/include", "/usr/local/include"):
                print(f"BoringSSL's headers are in {a.boringssl_include}, on every include path: nothing to check")
                return
            raise Failure(f"{cxx}: the single header compiled without {a.boringssl_include} on the include path")
        errors = [line for line in p.stdout.splitlines() if re.search(r": (fatal )?error: ", line)]
        first = errors[0] if errors else ""
        for want in ("<openssl/base.h> is not on the include path", "-isystem /usr/include/android"):
            if want not in first:
                raise Failure(f"{cxx}: the first error line does not say {want!r}:\n{first}")
        print(f"PASS: {cxx}'s first error names the include directory to add")


# --- README snippets --------------------------------------------------------------------------

def cmd_readme(a):
    work = fresh(os.path.join(a.work, "readme"))
    found = readme_snippets.snippets(a.readme)
    readme_snippets.check(found, a.readme)
    if not found:
        raise Failure(f"no ```cpp block in {a.readme}")
    src = os.path.join(work, "src")
    os.makedirs(src)
    lines = ["cmake_minimum_required(VERSION 3.20)", "project(sslpp_readme LANGUAGES CXX)",
             "find_package(sslpp CONFIG REQUIRED)"]
    targets = {}
    for s in found:
        if s.fragment:
            continue
        targets[s.name] = s.source(a.readme)
    if any(s.fragment for s in found):
        targets["readme_fragments"] = readme_snippets.fragments_source(found, a.readme)
    for name, code in targets.items():
        with open(os.path.join(src, name + ".cpp"), "w", encoding="utf-8") as f:
            f.write(code)
        # A program using the opt-in certificate compression links its target (brotli, zlib).
        lib = "sslpp::cert_compression" if "cert_compression_codecs.hpp" in code else "sslpp::sslpp"
        lines += [f"add_executable({name} {name}.cpp)", f"target_link_libraries({name} PRIVATE {lib})"]
    with open(os.path.join(src, "CMakeLists.txt"), "w") as f:
        f.write("\n".join(lines) + "\n")
    build = os.path.join(work, "build")
    run(["cmake", "-S", src, "-B", build, f"-DCMAKE_PREFIX_PATH={a.prefix}"] + cmake_configure_args(a))
    p = run(["cmake", "--build", build, "-j", "2", "--", "-k", "0"], expect_fail=True)
    if p.returncode != 0:
        print(p.stdout)
        starts = sorted(s.line for s in found)
        errs = {int(n) for n in re.findall(re.escape(a.readme) + r":(\d+):(?:\d+:)? error", p.stdout)}
        broken = sorted({max([l for l in starts if l <= n] or [n]) for n in errs})
        raise Failure(("README snippets that do not compile (block starting at): " +
                       ", ".join(f"{a.readme}:{n}" for n in broken)) if broken else "the README snippets did not build")
    for s in found:
        print(f"{a.readme}:{s.line}: {s.kind}: compiles")
    for s in found:
        if s.client:
            run_quickstart(os.path.join(build, s.name), a.pki, f"{a.readme}:{s.line}")
            print(f"{a.readme}:{s.line}: ran against a local server")


# --- vcpkg and conan: the packaging recipes' install steps ------------------------------------

def cmd_vcpkg(a):
    stage = fresh(os.path.join(a.work, "vcpkg-stage"))
    packages = os.path.join(stage, "packages", "sslpp_x64-linux")
    run(["cmake", f"-DPORT_DIR={os.path.join(a.source_dir, 'packaging', 'vcpkg')}",
         f"-DCURRENT_PACKAGES_DIR={packages}", f"-DCURRENT_BUILDTREES_DIR={os.path.join(stage, 'buildtrees')}",
         f"-DSSLPP_SOURCE_DIR={a.source_dir}", f"-DSTUB_GENERATOR={a.generator}",
         f"-DSTUB_CXX={a.cxx or ''}", "-P", os.path.join(HERE, "vcpkg_stub.cmake")])
    for rel in ["include/sslpp/sslpp.hpp", "share/sslpp/sslppConfig.cmake", "share/sslpp/copyright",
                "share/sslpp/usage"]:
        if not os.path.isfile(os.path.join(packages, rel)):
            raise Failure(f"the vcpkg port did not produce {rel}")
    if os.path.exists(os.path.join(packages, "lib", "cmake")) or os.path.exists(os.path.join(packages, "debug")):
        raise Failure("the vcpkg port left lib/cmake or debug/ behind (header-only ports must not)")
    cmd_cmake(a, prefix=packages, name="vcpkg-consumer")


def cmd_conan(a):
    stage = fresh(os.path.join(a.work, "conan-stage"))
    env = dict(os.environ, PYTHONPATH=os.path.join(HERE, "conan_stub"),
               STUB_GENERATOR=a.generator, STUB_CXX=a.cxx or "")
    out = run([sys.executable, os.path.join(HERE, "conan_stub", "run_recipe.py"),
               os.path.join(a.source_dir, "packaging", "conan", "conanfile.py"), stage], env=env).stdout
    print(out.strip())
    m = re.search(r"^version: (\S+)$", out, re.M)
    if not m or m.group(1) != version(a.source_dir):
        raise Failure(f"conanfile.py's version is {m.group(1) if m else 'unset'}, config.hpp says {version(a.source_dir)}")
    cmd_cmake(a, prefix=os.path.join(stage, "package"), name="conan-consumer")


def main():
    p = argparse.ArgumentParser(description="sslpp consumer tests")
    p.add_argument("command", choices=["install", "cmake", "cmake-wrong-major", "subdir", "meson", "meson-readme", "pkg-config",
                                       "single-header", "single-header-no-boringssl", "readme", "vcpkg", "conan"])
    p.add_argument("--source-dir", required=True)
    p.add_argument("--work", required=True, help="a directory for this test's builds")
    p.add_argument("--prefix", help="the install prefix the install step fills")
    p.add_argument("--generator", default="Ninja")
    p.add_argument("--cxx", default="")
    p.add_argument("--pki", help="the test PKI directory")
    p.add_argument("--readme", help="README.md")
    p.add_argument("--boringssl-include", default="")
    p.add_argument("--boringssl-ssl", default="")
    p.add_argument("--boringssl-crypto", default="")
    p.add_argument("--fmt-libs", default="-lfmt")
    a = p.parse_args()
    a.source_dir = os.path.abspath(a.source_dir)
    a.work = os.path.abspath(a.work)
    os.makedirs(a.work, exist_ok=True)
    try:
        globals()["cmd_" + a.command.replace("-", "_")](a)
    except Failure as e:
        print(f"consumer {a.command}: FAILED: {e}", file=sys.stderr)
        return 1
    print(f"consumer {a.command}: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
