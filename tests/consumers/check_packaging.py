#!/usr/bin/env python3
"""check_packaging.py SOURCE_DIR — one version everywhere, and a lint of the vcpkg manifest.

The version is written once, in include/sslpp/config.hpp (SSLPP_VERSION_MAJOR/MINOR/PATCH).
This checks that meson.build, packaging/vcpkg/vcpkg.json, packaging/conan/conanfile.py (its
set_version(), run with the stand-in Conan API), single_include/sslpp.hpp and CHANGELOG.md
say the same (CMakeLists.txt reads config.hpp itself; the installed sslpp.pc is checked by the
pkg-config consumer), and that vcpkg.json is a well-formed port manifest: valid JSON, only
known top-level fields, a valid port name, exactly one version field with a valid value, a
description and licence, well-formed dependencies, the host dependencies the portfile's
vcpkg_cmake_* calls need, and a portfile that turns sslpp's tests, examples and benchmarks off.
"""
import importlib.util
import json
import os
import re
import sys

NAME_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
SEMVER_RE = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$")
MANIFEST_KEYS = {"name", "version", "version-semver", "version-date", "version-string", "port-version",
                 "maintainers", "summary", "description", "homepage", "documentation", "license", "supports",
                 "dependencies", "default-features", "features", "overrides", "builtin-baseline",
                 "vcpkg-configuration"}
DEPENDENCY_KEYS = {"name", "host", "features", "default-features", "platform", "version>="}
VERSION_KEYS = ["version", "version-semver", "version-date", "version-string"]


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def main(root):
    errors = []
    parts = dict(re.findall(r"^#define SSLPP_VERSION_(MAJOR|MINOR|PATCH) ([0-9]+)",
                            read(os.path.join(root, "include/sslpp/config.hpp")), re.M))
    if set(parts) != {"MAJOR", "MINOR", "PATCH"}:
        sys.exit("include/sslpp/config.hpp does not define SSLPP_VERSION_MAJOR/MINOR/PATCH")
    v = "{MAJOR}.{MINOR}.{PATCH}".format(**parts)
    print(f"include/sslpp/config.hpp: {v}")

    # meson.build
    m = re.search(r"project\(\s*'sslpp'.*?version:\s*'([^']+)'", read(os.path.join(root, "meson.build")), re.S)
    if not m or m.group(1) != v:
        errors.append(f"meson.build: project version is {m.group(1) if m else 'missing'}, not {v}")

    # single header
    if f"// sslpp {v} " not in read(os.path.join(root, "single_include/sslpp.hpp")):
        errors.append(f"single_include/sslpp.hpp is not for version {v}: run tools/amalgamate.py")

    # CHANGELOG.md
    if not re.search(rf"^## \[?{re.escape(v)}\]?", read(os.path.join(root, "CHANGELOG.md")), re.M):
        errors.append(f"CHANGELOG.md has no '## [{v}]' entry")

    # conanfile.py: run its set_version() with the stand-in API.
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "conan_stub"))
    recipe = os.path.join(root, "packaging/conan/conanfile.py")
    spec = importlib.util.spec_from_file_location("conanfile", recipe)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    c = mod.SslppConan(os.path.dirname(recipe), "/nonexistent")
    c.set_version()
    if c.version != v:
        errors.append(f"packaging/conan/conanfile.py: set_version() gives {c.version}, not {v}")
    if getattr(c, "package_type", None) != "header-library":
        errors.append("packaging/conan/conanfile.py: package_type is not 'header-library'")

    # vcpkg.json
    path = os.path.join(root, "packaging/vcpkg/vcpkg.json")
    try:
        man = json.loads(read(path))
    except json.JSONDecodeError as e:
        errors.append(f"{path}: not valid JSON: {e}")
        man = None
    if man is not None:
        if not isinstance(man, dict):
            errors.append("vcpkg.json: the top level is not an object")
            man = {}
        unknown = sorted(k for k in man if k not in MANIFEST_KEYS and not k.startswith("$"))
        if unknown:
            errors.append(f"vcpkg.json: unknown fields {unknown}")
        if not isinstance(man.get("name"), str) or not NAME_RE.match(man["name"]):
            errors.append(f"vcpkg.json: 'name' {man.get('name')!r} is not a valid port name (lowercase, digits, dashes)")
        elif man["name"] != "sslpp":
            errors.append(f"vcpkg.json: 'name' is {man['name']!r}, not 'sslpp'")
        vk = [k for k in VERSION_KEYS if k in man]
        if len(vk) != 1:
            errors.append(f"vcpkg.json: needs exactly one of {VERSION_KEYS}, has {vk}")
        else:
            got = man[vk[0]]
            if vk[0] == "version-semver" and not SEMVER_RE.match(str(got)):
                errors.append(f"vcpkg.json: version-semver {got!r} is not a semantic version")
            if got != v:
                errors.append(f"vcpkg.json: {vk[0]} is {got!r}, not {v}")
        if "port-version" in man and (not isinstance(man["port-version"], int) or man["port-version"] < 0):
            errors.append("vcpkg.json: port-version must be a non-negative integer")
        d = man.get("description")
        if not (isinstance(d, str) and d) and not (isinstance(d, list) and d and all(isinstance(x, str) for x in d)):
            errors.append("vcpkg.json: 'description' must be a non-empty string or list of strings")
        if not isinstance(man.get("license"), str) or not man.get("license"):
            errors.append("vcpkg.json: 'license' (an SPDX expression) is missing")
        deps = man.get("dependencies", [])
        names = []
        host = set()
        if not isinstance(deps, list):
            errors.append("vcpkg.json: 'dependencies' must be a list")
            deps = []
        for dep in deps:
            if isinstance(dep, str):
                names.append(dep)
            elif isinstance(dep, dict):
                bad = sorted(set(dep) - DEPENDENCY_KEYS)
                if bad or "name" not in dep:
                    errors.append(f"vcpkg.json: dependency {dep} has unknown fields {bad} or no name")
                    continue
                names.append(dep["name"])
                if dep.get("host"):
                    host.add(dep["name"])
                if "version>=" in dep and not re.match(r"^[0-9][0-9A-Za-z.#-]*$", str(dep["version>="])):
                    errors.append(f"vcpkg.json: dependency {dep['name']}: bad version>= {dep['version>=']!r}")
            else:
                errors.append(f"vcpkg.json: dependency {dep!r} is neither a name nor an object")
        for n in names:
            if not NAME_RE.match(n):
                errors.append(f"vcpkg.json: dependency name {n!r} is not a valid port name")
        for needed in ("boringssl", "fmt"):
            if needed not in names:
                errors.append(f"vcpkg.json: no dependency on {needed}")
        portfile = read(os.path.join(root, "packaging/vcpkg/portfile.cmake"))
        for fn, port in (("vcpkg_cmake_configure", "vcpkg-cmake"), ("vcpkg_cmake_config_fixup", "vcpkg-cmake-config")):
            if fn in portfile and port not in host:
                errors.append(f"vcpkg.json: the portfile calls {fn} but {port} is not a host dependency")
        for opt in ("SSLPP_BUILD_TESTS=OFF", "SSLPP_BUILD_EXAMPLES=OFF", "SSLPP_BUILD_BENCH=OFF"):
            if opt not in portfile:
                errors.append(f"portfile.cmake: does not pass -D{opt}")

    for e in errors:
        print("check_packaging: " + e, file=sys.stderr)
    if errors:
        return 1
    print(f"check_packaging: meson.build, vcpkg.json, conanfile.py, single_include/sslpp.hpp and CHANGELOG.md all say {v}; vcpkg.json is well-formed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "."))
