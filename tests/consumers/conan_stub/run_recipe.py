#!/usr/bin/env python3
"""run_recipe.py CONANFILE STAGE — runs a Conan recipe's methods in the order `conan create`
does (set_version, export_sources, layout, requirements, validate, generate, build, package,
package_info, package_id) with the stand-in API of this directory, the package going to
STAGE/package; prints what the recipe declared. Uses the system BoringSSL (option
boringssl=system), since Conan's packages cannot be fetched here."""
import importlib.util
import inspect
import os
import shutil
import sys

from conan import ConanFile

recipe, stage = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
spec = importlib.util.spec_from_file_location("conanfile", recipe)
mod = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mod)
classes = [c for _, c in inspect.getmembers(mod, inspect.isclass) if issubclass(c, ConanFile) and c is not ConanFile]
if len(classes) != 1:
    sys.exit(f"{recipe}: expected one ConanFile class, found {len(classes)}")
cls = classes[0]
shutil.rmtree(stage, ignore_errors=True)
c = cls(os.path.dirname(recipe), stage)
c.options["boringssl"] = "system"

for step in ("set_version", "export_sources", "layout", "requirements", "validate", "generate", "build",
             "package", "package_info", "package_id"):
    if hasattr(c, step):
        getattr(c, step)()

problems = []
if c.package_type != "header-library":
    problems.append(f"package_type is {c.package_type!r}, not 'header-library'")
if c.cpp_info.libdirs or c.cpp_info.bindirs:
    problems.append("a header-library must declare no libdirs/bindirs")
if not os.path.isfile(os.path.join(c.package_folder, "include", "sslpp", "sslpp.hpp")):
    problems.append("the package has no include/sslpp/sslpp.hpp")
if not os.path.isfile(os.path.join(c.package_folder, "licenses", "LICENSE")):
    problems.append("the package has no licenses/LICENSE")
if not any(r.startswith("fmt/") for r in c.requirements_seen):
    problems.append("no requirement on fmt")
print(f"name: {c.name}")
print(f"version: {c.version}")
print(f"package_type: {c.package_type}")
print(f"requires (boringssl=system): {', '.join(c.requirements_seen)}")
print(f"cmake_target_name: {c.cpp_info.properties.get('cmake_target_name')}")
if problems:
    sys.exit("conan recipe: " + "; ".join(problems))
