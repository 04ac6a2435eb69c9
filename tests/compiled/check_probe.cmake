# check_probe.cmake -DCOMPILED=obj -DHEADER_ONLY=obj: the compiled-mode object refers to
# tcp_socket/tcp_listener members without defining any (but tcp_socket's inline
# constructors, moves and destructor); the header-only object defines them.
function(members obj kind out)
  execute_process(COMMAND nm -C "${obj}" OUTPUT_VARIABLE _nm RESULT_VARIABLE _rc)
  if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "nm ${obj} failed")
  endif()
  string(REGEX MATCHALL "[^\n]* ${kind} [^\n]*sslpp::v0::tcp_(socket|listener)::[^\n]*" _lines "${_nm}")
  # tcp_socket's defaulted constructors, moves and destructor stay inline by design (they
  # only move or close a descriptor): every other member is the library's.
  list(FILTER _lines EXCLUDE REGEX "tcp_socket::(~?tcp_socket\\(|operator=)")
  set(${out} "${_lines}" PARENT_SCOPE)
endfunction()

members("${COMPILED}" "[TtWw]" defined)
members("${COMPILED}" "U" referred)
if(defined)
  message(FATAL_ERROR "the compiled-mode object defines tcp_socket/tcp_listener members itself:\n${defined}")
endif()
if(NOT referred MATCHES "tcp_socket::connect" OR NOT referred MATCHES "tcp_listener::accept")
  message(FATAL_ERROR "the compiled-mode object does not refer to tcp_socket::connect and tcp_listener::accept:\n${referred}")
endif()
members("${HEADER_ONLY}" "[TtWw]" header_only_defined)
if(NOT header_only_defined MATCHES "tcp_socket::connect")
  message(FATAL_ERROR "the header-only object should define tcp_socket::connect itself (inline)")
endif()
message(STATUS "compiled mode: the object refers to the library for:\n${referred}")
