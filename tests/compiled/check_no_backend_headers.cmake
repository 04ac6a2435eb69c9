# check_no_backend_headers.cmake -DFLAGS_FILE=<flags.cmake> -DUMBRELLA=<include/sslpp/sslpp.hpp> -DWORK=<dir>
# In the compiled mode (SSLPP_COMPILED), a translation unit that includes every header of the
# umbrella parses no BoringSSL header (<openssl/...>): the compiler's -H list of the headers it
# opens must hold none. functions.hpp is left out: its constexpr version constants
# (openssl_version, openssl_version_number, ...) are the backend's macros, read from its headers.
cmake_minimum_required(VERSION 3.20)
include("${FLAGS_FILE}")  # SSLPP_CF_CXX, SSLPP_CF_FLAGS (tests/cmake/compile_fail.cmake)
file(STRINGS "${UMBRELLA}" _includes REGEX "^#include <sslpp/[a-z_]+\\.hpp>")
list(FILTER _includes EXCLUDE REGEX "sslpp/functions\\.hpp")
list(LENGTH _includes _n)
if(_n LESS 10)
  message(FATAL_ERROR "found only ${_n} headers in ${UMBRELLA}")
endif()
string(REPLACE ";" "\n" _tu "${_includes}")
set(_file "${WORK}/compiled_no_backend_headers.cpp")
file(WRITE "${_file}" "${_tu}\nint main() {}\n")
execute_process(COMMAND ${SSLPP_CF_CXX} ${SSLPP_CF_FLAGS} -DSSLPP_COMPILED -H -fsyntax-only -fdiagnostics-color=never "${_file}"
                RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _out)
if(NOT _rc EQUAL 0)
  message(FATAL_ERROR "the umbrella's headers do not compile in the compiled mode:\n${_out}")
endif()
string(REGEX MATCHALL "[^\n]*/openssl/[^\n]*" _backend "${_out}")
string(REGEX MATCHALL "\\.+ [^\n]*sslpp/[^\n]*" _sslpp "${_out}")
if(_backend)
  string(REPLACE ";" "\n" _sslpp "${_sslpp}")
  string(REPLACE ";" "\n" _backend "${_backend}")
  message(FATAL_ERROR "in the compiled mode the umbrella's headers parse backend headers:\n${_backend}\n\nsslpp's headers, in the order they were opened:\n${_sslpp}")
endif()
list(LENGTH _sslpp _k)
message(STATUS "compiled mode: ${_n} headers of the umbrella (${_k} sslpp headers in all) parse no backend header")
