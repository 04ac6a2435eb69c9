"""A minimal stand-in for Conan 2's Python API, only what packaging/conan/conanfile.py uses,
so that the recipe's own code runs here (Conan itself cannot be installed). Not Conan."""
import os


class _Options(dict):
    def __getattr__(self, k):
        return self[k]

    def get_safe(self, k, default=None):
        return self.get(k, default)


class _Settings(dict):
    def get_safe(self, k, default=None):
        return self.get(k, default)

    def __getattr__(self, k):
        return self.get(k)


class _CppInfo:
    def __init__(self):
        self.properties = {}
        self.bindirs = ["bin"]
        self.libdirs = ["lib"]
        self.includedirs = ["include"]

    def set_property(self, k, v):
        self.properties[k] = v


class _Info:
    def clear(self):
        self.cleared = True


class ConanFile:
    name = version = None
    options = {}
    default_options = {}

    def __init__(self, recipe_folder, stage):
        self.recipe_folder = recipe_folder
        self.export_sources_folder = os.path.join(stage, "source")
        self.source_folder = self.export_sources_folder
        self.build_folder = os.path.join(stage, "build")
        self.generators_folder = os.path.join(self.build_folder, "generators")
        self.package_folder = os.path.join(stage, "package")
        self.options = _Options(self.default_options)
        self.settings = _Settings(os="Linux", arch="x86_64", compiler="gcc", build_type="Release")
        self.cpp_info = _CppInfo()
        self.info = _Info()
        self.requirements_seen = []
        self.toolchain_variables = {}

    def requires(self, ref):
        self.requirements_seen.append(ref)

    def output_info(self, msg):
        print(msg)
