import os
import subprocess


def cmake_layout(conanfile):
    pass


class CMakeToolchain:
    def __init__(self, conanfile):
        self.conanfile = conanfile
        self.variables = {}

    def generate(self):
        self.conanfile.toolchain_variables = dict(self.variables)


def _run(cmd):
    print("+", " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True)


class CMake:
    """Runs the real cmake as Conan's CMake helper would (with the toolchain's variables)."""

    def __init__(self, conanfile):
        self.c = conanfile

    def configure(self, variables=None):
        defs = dict(self.c.toolchain_variables)
        defs.update(variables or {})
        cmd = ["cmake", "-S", self.c.source_folder, "-B", self.c.build_folder,
               "-G", os.environ.get("STUB_GENERATOR", "Ninja"), "-DCMAKE_BUILD_TYPE=Release",
               f"-DCMAKE_INSTALL_PREFIX={self.c.package_folder}"]
        if os.environ.get("STUB_CXX"):
            cmd.append(f"-DCMAKE_CXX_COMPILER={os.environ['STUB_CXX']}")
        for k, v in defs.items():
            cmd.append(f"-D{k}={'ON' if v is True else 'OFF' if v is False else v}")
        _run(cmd)

    def build(self):
        _run(["cmake", "--build", self.c.build_folder])

    def install(self):
        _run(["cmake", "--install", self.c.build_folder])
