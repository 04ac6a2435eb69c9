"""Conan 2 recipe for sslpp (header-only). From a checkout of sslpp:

    conan create packaging/conan

The version is read from include/sslpp/config.hpp (the one place it is written); the
package is what sslpp's own `cmake --install` puts in place (headers, the CMake package,
sslpp.pc), with the CMake and pkg-config names Conan's generators should use.
"""
import os
import re

from conan import ConanFile
from conan.tools.build import check_min_cppstd
from conan.tools.cmake import CMake, CMakeToolchain, cmake_layout
from conan.tools.files import copy

required_conan_version = ">=2.0"


class SslppConan(ConanFile):
    name = "sslpp"
    description = "Python's ssl module for C++20: a header-only TLS library over BoringSSL, secure by default."
    license = "MIT"
    topics = ("tls", "ssl", "boringssl", "header-only")
    package_type = "header-library"
    settings = "os", "arch", "compiler", "build_type"
    # sslpp calls BoringSSL-only APIs: an OpenSSL provider is not enough. "system" uses a
    # BoringSSL found on the machine (Debian's android-libboringssl-dev, or BORINGSSL_ROOT_DIR)
    # through sslpp's FindBoringSSL.cmake instead of Conan's package.
    options = {"boringssl": ["conan", "system"]}
    default_options = {"boringssl": "conan"}
    no_copy_source = True

    def _root(self):
        # In the recipe's checkout, the sources are two directories up; once exported, they
        # are next to the recipe (export_sources copies them there).
        up = os.path.join(self.recipe_folder, "..", "..")
        return up if os.path.isfile(os.path.join(up, "include", "sslpp", "config.hpp")) else self.recipe_folder

    def set_version(self):
        with open(os.path.join(self._root(), "include", "sslpp", "config.hpp"), encoding="utf-8") as f:
            parts = dict(re.findall(r"^#define SSLPP_VERSION_(MAJOR|MINOR|PATCH) ([0-9]+)", f.read(), re.M))
        self.version = "{MAJOR}.{MINOR}.{PATCH}".format(**parts)

    def export_sources(self):
        root = self._root()
        for pattern in ("include/*", "cmake/*", "CMakeLists.txt", "LICENSE"):
            copy(self, pattern, root, self.export_sources_folder)

    def layout(self):
        cmake_layout(self)

    def requirements(self):
        if self.options.boringssl == "conan":
            self.requires("boringssl/0.20251124.0")
        self.requires("fmt/[>=9.1 <12]")

    def package_id(self):
        self.info.clear()

    def validate(self):
        if self.settings.get_safe("compiler.cppstd"):
            check_min_cppstd(self, 20)

    def generate(self):
        tc = CMakeToolchain(self)
        tc.variables["SSLPP_BUILD_TESTS"] = False
        tc.variables["SSLPP_BUILD_EXAMPLES"] = False
        tc.variables["SSLPP_BUILD_BENCH"] = False
        tc.variables["SSLPP_INSTALL"] = True
        tc.variables["SSLPP_BUILD_COMPILED"] = False  # the header-only package; the compiled mode is not packaged yet
        tc.generate()

    def build(self):
        pass  # header-only: nothing to build

    def package(self):
        cmake = CMake(self)
        cmake.configure()
        cmake.install()
        copy(self, "LICENSE", self.source_folder, os.path.join(self.package_folder, "licenses"))

    def package_info(self):
        self.cpp_info.bindirs = []
        self.cpp_info.libdirs = []
        self.cpp_info.set_property("cmake_file_name", "sslpp")
        self.cpp_info.set_property("cmake_target_name", "sslpp::sslpp")
        self.cpp_info.set_property("pkg_config_name", "sslpp")
