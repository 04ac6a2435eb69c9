# check_alone.cmake: compiles one public header as the only include of a translation unit
# (with the flags sslpp::sslpp gives a user's target), so every header states what it needs.
#
#   cmake -DHEADER=sslpp/context.hpp -DFLAGS_FILE=<flags.cmake> -DWORK=<dir> -P check_alone.cmake
cmake_minimum_required(VERSION 3.20)
include("${FLAGS_FILE}")  # SSLPP_CF_CXX, SSLPP_CF_FLAGS (tests/cmake/compile_fail.cmake)
string(MAKE_C_IDENTIFIER "${HEADER}" _id)
set(_tu "${WORK}/alone_${_id}.cpp")
file(WRITE "${_tu}" "#include <${HEADER}>\nint main() {}\n")
execute_process(COMMAND ${SSLPP_CF_CXX} ${SSLPP_CF_FLAGS} -fsyntax-only -fdiagnostics-color=never "${_tu}"
                RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _out)
message("${_out}")
if(NOT _rc EQUAL 0)
  message(FATAL_ERROR "FAIL: <${HEADER}> does not compile on its own")
endif()
message("PASS: <${HEADER}> compiles on its own")
