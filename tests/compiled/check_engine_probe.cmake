# check_engine_probe.cmake -DCOMPILED=obj -DHEADER_ONLY=obj: the compiled-mode object of
# tests/compiled/engine_probe.cpp (a stream over the program's own byte stream, an
# ssl_object) calls no backend function and defines none of detail::engine's members, of
# ssl_handle's, of the wrap policy (start_client, start_server, start_early_data) or
# detail::throw_failure, referring to the library for them; the header-only object defines
# them and calls the backend. Inline by design (they touch no backend object): the
# engine's accessors (ssl, server_side, context, server_hostname, kind), set_quiet_wants,
# set_timeout_source, the read/write templates that hand their callable on as a
# failure_handler, and ssl_handle::get.
include("${CMAKE_CURRENT_LIST_DIR}/nm.cmake")
function(defined_members nm out)
  string(REGEX MATCHALL "[^\n]* [TtWw] sslpp::v0::detail::(engine::|ssl_handle::|start_client|start_server|start_early_data|throw_failure)[^\n]*" _l "${nm}")
  list(FILTER _l EXCLUDE REGEX "engine::(ssl|server_side|context|server_hostname|kind|set_quiet_wants|set_timeout_source)\\(|long sslpp::v0::detail::engine::(read|write)<|ssl_handle::get\\(")
  set(${out} "${_l}" PARENT_SCOPE)
endfunction()

nm_output("${COMPILED}" _compiled)
defined_members("${_compiled}" _defined)
if(_defined)
  string(REPLACE ";" "\n" _defined "${_defined}")
  message(FATAL_ERROR "the compiled-mode object defines what the library should hold:\n${_defined}")
endif()
backend_calls("${COMPILED}" _calls)
if(_calls)
  string(REPLACE ";" "\n" _calls "${_calls}")
  message(FATAL_ERROR "the compiled-mode object calls the backend itself:\n${_calls}")
endif()
foreach(_m "detail::engine::engine\\(" "detail::engine::~engine" "detail::engine::read_erased"
           "detail::engine::write_erased" "detail::engine::handshake" "detail::engine::attach_transport"
           "detail::start_client" "detail::start_server"
           "detail::start_early_data" "detail::throw_failure")
  if(NOT _compiled MATCHES " U [^\n]*${_m}")
    message(FATAL_ERROR "the compiled-mode object does not refer to the library for ${_m}")
  endif()
endforeach()

nm_output("${HEADER_ONLY}" _header_only)
defined_members("${_header_only}" _ho_defined)
if(NOT _ho_defined MATCHES "engine::read_erased" OR NOT _ho_defined MATCHES "detail::start_client")
  message(FATAL_ERROR "the header-only object should define engine::read_erased and detail::start_client itself (inline)")
endif()
backend_calls("${HEADER_ONLY}" _ho_calls)
if(NOT _ho_calls)
  message(FATAL_ERROR "the header-only object should call the backend itself")
endif()
message(STATUS "compiled mode: the engine, the wrap policy and throw_failure are the library's")
