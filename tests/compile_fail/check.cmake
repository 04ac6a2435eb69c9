# check.cmake: runs one compile-fail case (see tests/cmake/compile_fail.cmake).
#
#   cmake -DCASE=<file.cpp> -DVARIANT=bad|twin -DFLAGS_FILE=<flags.cmake> -P check.cmake
#
# A case file holds a snippet and its twin, selected by SSLPP_COMPILE_FAIL, and comment
# lines saying what the compiler must print for the snippet:
#   // expect: <text>            (each must appear in the compiler's output)
#   // mode: error | warning     (error, the default: the snippet must not compile;
#                                 warning: it compiles, with a warning holding the text)
# The twin must compile, and must not print the expected text.
cmake_minimum_required(VERSION 3.20)
foreach(_v CASE VARIANT FLAGS_FILE)
  if(NOT DEFINED ${_v})
    message(FATAL_ERROR "check.cmake: -D${_v}=... is required")
  endif()
endforeach()
include("${FLAGS_FILE}")  # sets SSLPP_CF_CXX and SSLPP_CF_FLAGS (the flags sslpp::sslpp gives its users)

file(STRINGS "${CASE}" _expect_lines REGEX "^// expect: ")
file(STRINGS "${CASE}" _mode_lines REGEX "^// mode: ")
set(_mode error)
if(_mode_lines)
  string(REGEX REPLACE "^// mode: *" "" _mode "${_mode_lines}")
endif()
set(_expects)
foreach(_l IN LISTS _expect_lines)
  string(REGEX REPLACE "^// expect: " "" _e "${_l}")
  list(APPEND _expects "${_e}")
endforeach()
if(NOT _expects)
  message(FATAL_ERROR "${CASE}: no '// expect: ' line")
endif()

set(_defs)
if(VARIANT STREQUAL "bad")
  set(_defs -DSSLPP_COMPILE_FAIL)
endif()
execute_process(
  COMMAND ${SSLPP_CF_CXX} ${SSLPP_CF_FLAGS} -fsyntax-only -fdiagnostics-color=never ${_defs} "${CASE}"
  RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _out)
message("${_out}")

set(_missing)
foreach(_e IN LISTS _expects)
  string(FIND "${_out}" "${_e}" _at)
  if(_at EQUAL -1)
    list(APPEND _missing "${_e}")
  endif()
endforeach()

if(VARIANT STREQUAL "bad")
  if(_mode STREQUAL "error" AND _rc EQUAL 0)
    message(FATAL_ERROR "FAIL: ${CASE} compiled, but it must not")
  endif()
  if(_mode STREQUAL "warning" AND NOT _rc EQUAL 0)
    message(FATAL_ERROR "FAIL: ${CASE} must compile with a warning, but it failed")
  endif()
  if(_missing)
    list(JOIN _missing "\n  " _m)
    message(FATAL_ERROR "FAIL: the compiler's output for ${CASE} lacks:\n  ${_m}")
  endif()
  message("PASS: ${CASE} is refused (${_mode}) with the expected message")
else()
  if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "FAIL: the twin of ${CASE} must compile, but it failed")
  endif()
  list(LENGTH _expects _n)
  list(LENGTH _missing _nm)
  if(NOT _nm EQUAL _n)
    message(FATAL_ERROR "FAIL: the twin of ${CASE} printed the snippet's expected message")
  endif()
  message("PASS: the twin of ${CASE} compiles cleanly")
endif()
