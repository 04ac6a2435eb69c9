# vcpkg overlay port for sslpp (header-only). Use it from a checkout of sslpp:
#   vcpkg install sslpp --overlay-ports=<sslpp>/packaging/vcpkg
# The source is the checkout this port lives in (two directories up), so the port installs
# exactly the headers next to it. The version is in vcpkg.json and must equal the one in
# include/sslpp/config.hpp (tests/consumers/check_packaging.py checks it).
set(SOURCE_PATH "${CMAKE_CURRENT_LIST_DIR}/../..")
set(VCPKG_BUILD_TYPE release)  # header-only: one configuration is enough

vcpkg_cmake_configure(
  SOURCE_PATH "${SOURCE_PATH}"
  OPTIONS
    -DSSLPP_BUILD_TESTS=OFF
    -DSSLPP_BUILD_EXAMPLES=OFF
    -DSSLPP_BUILD_BENCH=OFF
    -DSSLPP_INSTALL=ON
    -DSSLPP_BUILD_COMPILED=OFF  # the header-only package; the compiled mode is not packaged yet
)
vcpkg_cmake_install()
# sslppConfig.cmake, sslppConfigVersion.cmake and FindBoringSSL.cmake: lib/cmake/sslpp -> share/sslpp
vcpkg_cmake_config_fixup(PACKAGE_NAME sslpp CONFIG_PATH lib/cmake/sslpp)
vcpkg_fixup_pkgconfig()

# Header-only: nothing may be left in lib/ but pkgconfig, and no debug tree.
file(REMOVE_RECURSE "${CURRENT_PACKAGES_DIR}/debug")
file(GLOB _sslpp_lib_left "${CURRENT_PACKAGES_DIR}/lib/*")
list(FILTER _sslpp_lib_left EXCLUDE REGEX "/pkgconfig$")
if(_sslpp_lib_left)
  file(REMOVE_RECURSE ${_sslpp_lib_left})
endif()

file(INSTALL "${CMAKE_CURRENT_LIST_DIR}/usage" DESTINATION "${CURRENT_PACKAGES_DIR}/share/${PORT}")
vcpkg_install_copyright(FILE_LIST "${SOURCE_PATH}/LICENSE")
