def check_min_cppstd(conanfile, cppstd):
    std = conanfile.settings.get_safe("compiler.cppstd")
    if std and int(str(std).replace("gnu", "")) < int(cppstd):
        raise Exception(f"needs C++{cppstd}")
