# check_context_probe.cmake -DCOMPILED=obj -DHEADER_ONLY=obj: the compiled-mode object of
# context_probe.cpp refers to the members of context<side::...> (and their wraps of a
# tcp_socket) and to create_default_context / context_for without defining any of them;
# the header-only object defines them itself.
include("${CMAKE_CURRENT_LIST_DIR}/nm.cmake")

# The program's own: the member templates instantiated with its lambdas and ranges (a
# template's instantiation for a type the library cannot know; they only hand their
# argument to a member the library defines), and, inline by design, the private constructor
# that adopts backend state and the implicit copies, moves and destructor (they copy or
# release a std::shared_ptr, which needs no backend type).
set(_own "::(set_sni_callback|set_alpn_protocols|set_groups|set_server_sigalgs|set_client_sigalgs|set_psk_client_callback|set_psk_server_callback)<|::context\\(std::shared_ptr|::~context\\(|::context\\(sslpp::v0::context<|::operator=")
set(_context "sslpp::v0::context<[^>]*>::|sslpp::v0::create_default_context|sslpp::v0::context_for")

nm_symbols("${COMPILED}" "[TtWw]" "${_context}" defined)
list(FILTER defined EXCLUDE REGEX "${_own}")
if(defined)
  message(FATAL_ERROR "the compiled-mode object defines context members itself:\n${defined}")
endif()
nm_symbols("${COMPILED}" "U" "${_context}" referred)
foreach(_needed "create_default_context" "context<\\(sslpp::v0::side\\)0>::set_alpn_protocols\\(sslpp::v0::alpn_list"
                "context<\\(sslpp::v0::side\\)1>::set_sni_function" "context<\\(sslpp::v0::side\\)2>::set_groups_strings"
                "context<\\(sslpp::v0::side\\)0>::wrap_socket<sslpp::v0::tcp_socket>"
                "context<\\(sslpp::v0::side\\)1>::wrap_socket<sslpp::v0::tcp_socket>"
                "context<\\(sslpp::v0::side\\)2>::wrap_socket<sslpp::v0::tcp_socket>")
  if(NOT referred MATCHES "${_needed}")
    message(FATAL_ERROR "the compiled-mode object does not refer to the library for ${_needed}:\n${referred}")
  endif()
endforeach()
nm_symbols("${HEADER_ONLY}" "[TtWw]" "${_context}" header_only_defined)
if(NOT header_only_defined MATCHES "create_default_context" OR NOT header_only_defined MATCHES "set_sni_function")
  message(FATAL_ERROR "the header-only object should define create_default_context and the context members itself")
endif()
message(STATUS "compiled mode: the object refers to the library for:\n${referred}")
