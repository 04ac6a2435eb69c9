# The public headers compile clean under the warnings a strict user turns on, with g++ and
# with clang++ (label "compile_fail", with the other compile-time checks): one translation
# unit each, tests/warnings/strict_warnings.cpp, which includes every public header and
# instantiates the templates a user instantiates. Uses the flags file of compile_fail.cmake.
set(_sw_case "${CMAKE_CURRENT_SOURCE_DIR}/warnings/strict_warnings.cpp")
find_program(SSLPP_GXX NAMES g++ g++-13 g++-12)
find_program(SSLPP_CLANGXX NAMES clang++ clang++-18 clang++-17 clang++-16 clang++-15 clang++-14)
foreach(_sw gcc clang)
  if(_sw STREQUAL "gcc")
    set(_sw_cxx "${SSLPP_GXX}")
  else()
    set(_sw_cxx "${SSLPP_CLANGXX}")
  endif()
  if(NOT _sw_cxx)
    continue()
  endif()
  add_test(NAME "headers.strict_warnings.${_sw}"
    COMMAND "${CMAKE_COMMAND}" -DCASE=${_sw_case} -DCXX=${_sw_cxx} -DFLAGS_FILE=${_cf_flags_file}
            -P "${CMAKE_CURRENT_SOURCE_DIR}/warnings/check_warnings.cmake")
  set_tests_properties("headers.strict_warnings.${_sw}" PROPERTIES LABELS "compile_fail" TIMEOUT 180)
endforeach()
