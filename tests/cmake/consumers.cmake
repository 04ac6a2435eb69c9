# Consumer projects: sslpp used the ways its users use it, each built and run by a test
# (driver: tests/consumers/consumer.py). One install of sslpp (fixture sslpp_install, made
# by `cmake --install` of a tests-off configuration) is shared by the tests that need one.
include_guard(GLOBAL)
find_program(SSLPP_PYTHON3 NAMES python3 REQUIRED)
set(SSLPP_CONSUMER_WORK "${CMAKE_BINARY_DIR}/consumers")
set(SSLPP_CONSUMER_PREFIX "${SSLPP_CONSUMER_WORK}/prefix")
set(SSLPP_CONSUMER_DRIVER
  "${SSLPP_PYTHON3}" "${PROJECT_SOURCE_DIR}/tests/consumers/consumer.py"
  --source-dir "${PROJECT_SOURCE_DIR}" --work "${SSLPP_CONSUMER_WORK}" --prefix "${SSLPP_CONSUMER_PREFIX}"
  --generator "${CMAKE_GENERATOR}" --cxx "${CMAKE_CXX_COMPILER}"
  --pki "${SSLPP_TEST_PKI}" --readme "${PROJECT_SOURCE_DIR}/README.md"
  --boringssl-include "${BoringSSL_INCLUDE_DIR}"
  --boringssl-ssl "${BoringSSL_SSL_LIBRARY}" --boringssl-crypto "${BoringSSL_CRYPTO_LIBRARY}"
  --fmt-libs "$<TARGET_LINKER_FILE:fmt::fmt>")

# sslpp_consumer_test(NAME COMMAND [FIXTURES ...])
function(sslpp_consumer_test name command)
  add_test(NAME "${name}" COMMAND ${SSLPP_CONSUMER_DRIVER} ${command})
  set(_fixtures ${ARGN})
  set_tests_properties("${name}" PROPERTIES LABELS consumer TIMEOUT 300)
  if(_fixtures)
    set_tests_properties("${name}" PROPERTIES FIXTURES_REQUIRED "${_fixtures}")
  endif()
endfunction()

sslpp_consumer_test("consumer: cmake --install" install)
set_tests_properties("consumer: cmake --install" PROPERTIES FIXTURES_SETUP sslpp_install)
sslpp_consumer_test("consumer: cmake find_package" cmake sslpp_install)
sslpp_consumer_test("consumer: find_package refuses the next major version" cmake-wrong-major sslpp_install)
sslpp_consumer_test("consumer: cmake add_subdirectory" subdir)
sslpp_consumer_test("consumer: meson subproject" meson)
sslpp_consumer_test("consumer: meson snippet of the README in a new project" meson-readme)
sslpp_consumer_test("consumer: pkg-config" pkg-config sslpp_install)
sslpp_consumer_test("consumer: single header runs the quick-start" single-header pki)
sslpp_consumer_test("consumer: single header without BoringSSL's directory names it" single-header-no-boringssl)
sslpp_consumer_test("consumer: vcpkg port install steps" vcpkg)
sslpp_consumer_test("consumer: conan recipe install steps" conan)

add_test(NAME "consumer: versions agree and vcpkg.json lint"
  COMMAND "${SSLPP_PYTHON3}" "${PROJECT_SOURCE_DIR}/tests/consumers/check_packaging.py" "${PROJECT_SOURCE_DIR}")
set_tests_properties("consumer: versions agree and vcpkg.json lint" PROPERTIES LABELS consumer TIMEOUT 60)

add_test(NAME "consumer: amalgamate follows includes once and in order"
  COMMAND "${SSLPP_PYTHON3}" "${PROJECT_SOURCE_DIR}/tests/consumers/test_amalgamate.py"
          "${PROJECT_SOURCE_DIR}" "${CMAKE_CXX_COMPILER}")
set_tests_properties("consumer: amalgamate follows includes once and in order" PROPERTIES LABELS consumer TIMEOUT 60)
