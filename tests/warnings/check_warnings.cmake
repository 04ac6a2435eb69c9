# check_warnings.cmake: compiles strict_warnings.cpp with one compiler and the strict
# warning set as errors; fails with the compiler's output on any warning.
#
#   cmake -DCASE=<file.cpp> -DCXX=<compiler> -DFLAGS_FILE=<flags.cmake> -P check_warnings.cmake
cmake_minimum_required(VERSION 3.20)
include("${FLAGS_FILE}")  # SSLPP_CF_FLAGS: the flags sslpp::sslpp gives a user's target
set(_strict -Wall -Wextra -Wconversion -Wsign-conversion -Wshadow -Werror)
execute_process(COMMAND "${CXX}" ${SSLPP_CF_FLAGS} ${_strict} -fsyntax-only -fdiagnostics-color=never "${CASE}"
                RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _out)
message("${_out}")
if(NOT _rc EQUAL 0 OR _out MATCHES "warning:")
  message(FATAL_ERROR "FAIL: ${CXX} warns on sslpp's headers with ${_strict}")
endif()
message("PASS: ${CXX} compiles sslpp's headers with ${_strict} and no warning")
