# check_no_backend_headers.cmake -DFLAGS_FILE=<flags.cmake> -DUMBRELLA=<include/sslpp/sslpp.hpp> -DWORK=<dir>
# In the compiled mode (SSLPP_COMPILED), the umbrella's headers parse no BoringSSL header
# (the compiler's -H list of the headers it opens):
#  - every header of the umbrella but functions.hpp opens none at all;
#  - with functions.hpp, whose constexpr version constants (openssl_version,
#    openssl_version_number, boringssl_api_version) are the backend's macros, the umbrella
#    opens only <openssl/crypto.h> and what it includes (detail/backend_version.hpp);
#  - with libstdc++, the umbrella parses neither <sstream> (which its <chrono> brings in
#    C++20; detail/chrono.hpp takes <bits/chrono.h>) nor <condition_variable> (the private
#    key signer's slot is the library's): each costs a program's TU about 0.1 s.
cmake_minimum_required(VERSION 3.20)
include("${FLAGS_FILE}")  # SSLPP_CF_CXX, SSLPP_CF_FLAGS (tests/cmake/compile_fail.cmake)

# backend_headers(<source text> <name> <out>): the <openssl/...> headers a TU opens, sorted.
function(backend_headers text name out)
  set(_file "${WORK}/compiled_headers_${name}.cpp")
  file(WRITE "${_file}" "${text}\nint main() {}\n")
  execute_process(COMMAND ${SSLPP_CF_CXX} ${SSLPP_CF_FLAGS} -DSSLPP_COMPILED -H -fsyntax-only -fdiagnostics-color=never "${_file}"
                  RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _out)
  if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "${name} does not compile in the compiled mode:\n${_out}")
  endif()
  string(REGEX MATCHALL "openssl/[a-z0-9_]+\\.h" _l "${_out}")
  if(_l)
    list(REMOVE_DUPLICATES _l)
    list(SORT _l)
  endif()
  string(REGEX MATCHALL "\\.+ [^\n]*sslpp/[^\n]*" _sslpp "${_out}")
  string(REPLACE ";" "\n" _sslpp "${_sslpp}")
  string(REGEX MATCHALL "/c\\+\\+/[0-9]+/(sstream|condition_variable)\n" _heavy "${_out}\n")
  set(${out} "${_l}" PARENT_SCOPE)
  set(${out}_heavy "${_heavy}" PARENT_SCOPE)
  set(${out}_tree "${_sslpp}" PARENT_SCOPE)
endfunction()

file(STRINGS "${UMBRELLA}" _includes REGEX "^#include <sslpp/[a-z_]+\\.hpp>")
set(_all "${_includes}")
list(FILTER _includes EXCLUDE REGEX "sslpp/functions\\.hpp")
list(LENGTH _includes _n)
if(_n LESS 10)
  message(FATAL_ERROR "found only ${_n} headers in ${UMBRELLA}")
endif()
string(REPLACE ";" "\n" _tu "${_includes}")
backend_headers("${_tu}" "umbrella_but_functions" _none)
if(_none)
  string(REPLACE ";" "\n" _none "${_none}")
  message(FATAL_ERROR "in the compiled mode the umbrella's headers (functions.hpp aside) open backend headers:\n${_none}\n\nsslpp's headers, in the order they were opened:\n${_none_tree}")
endif()

backend_headers("#include <openssl/crypto.h>" "crypto" _allowed)
string(REPLACE ";" "\n" _tu "${_all}")
backend_headers("${_tu}" "umbrella" _opened)
set(_extra "${_opened}")
if(_extra AND _allowed)
  list(REMOVE_ITEM _extra ${_allowed})
endif()
if(_extra)
  string(REPLACE ";" "\n" _extra "${_extra}")
  message(FATAL_ERROR "in the compiled mode the umbrella opens backend headers beyond <openssl/crypto.h>'s:\n${_extra}\n\nsslpp's headers, in the order they were opened:\n${_opened_tree}")
endif()
if(_opened_heavy)
  string(REPLACE ";" "" _opened_heavy "${_opened_heavy}")
  message(FATAL_ERROR "in the compiled mode the umbrella parses standard headers it should not:\n${_opened_heavy}\nsslpp's headers, in the order they were opened:\n${_opened_tree}")
endif()
message(STATUS "compiled mode: ${_n} headers of the umbrella open no backend header; functions.hpp only <openssl/crypto.h> (${_opened})")
