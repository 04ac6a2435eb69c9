# check_values_probe.cmake -DCOMPILED=obj -DHEADER_ONLY=obj: the compiled-mode object of
# tests/compiled/probe_values.cpp calls no backend function and defines none of the members
# of certificate, distinguished_name, the error categories, ssl_error, the formatters'
# format(), session, session_cache and signature_completion, referring to the library for them; the header-only
# object defines them and calls the backend. Inline by design (they touch no backend
# object): certificate's move and private adopting constructors, ssl_error's implicit
# destructor, session's constructors, destructor, operator bool and operator==,
# session_cache's destructor, capacity() and per_host(), and the formatters' parse()
# (constexpr, to check specs at compile time).
include("${CMAKE_CURRENT_LIST_DIR}/nm.cmake")
# The members of the converted classes (and their vtables) that `obj` defines (T, W, V).
function(defined_members nm out)
  string(REGEX MATCHALL "[^\n]* [TtWwVv] (sslpp::v0::(certificate::|distinguished_name::(get|rfc4514)|der_cert_to_pem_cert|ssl_category|verify_category|boringssl_category|ssl_error::|python_text|python_repr|detail::error_formatter::format|session::|session_cache::|signature_completion::(complete|fail))|vtable for sslpp::v0::ssl_error|fmt::v[0-9]+::formatter<sslpp::v0::[^\n]*>::format\\()[^\n]*" _l "${nm}")
  # inline by design: certificate's move constructor and private adopting constructor, and
  # ssl_error's implicit destructor (its vtable stays the library's: what() is its key function)
  list(FILTER _l EXCLUDE REGEX "certificate::certificate\\((sslpp::v0::certificate&&|x509_st\\*)\\)|ssl_error::~ssl_error\\(\\)|session::(~?session\\(|operator)|session_cache::(~session_cache|capacity|per_host)|session_cache::entry::")
  set(${out} "${_l}" PARENT_SCOPE)
endfunction()

nm_output("${COMPILED}" _compiled)
defined_members("${_compiled}" _defined)
if(_defined)
  message(FATAL_ERROR "the compiled-mode object defines members the library should hold:\n${_defined}")
endif()
backend_calls("${COMPILED}" _calls)
if(_calls)
  message(FATAL_ERROR "the compiled-mode object calls the backend itself:\n${_calls}")
endif()
foreach(_m "sslpp::v0::certificate::from_pem" "sslpp::v0::certificate::~certificate"
           "sslpp::v0::certificate::matches_hostname" "sslpp::v0::boringssl_category"
           "sslpp::v0::ssl_error::ssl_error" "sslpp::v0::der_cert_to_pem_cert"
           "formatter<sslpp::v0::certificate, char, void>::format" "formatter<sslpp::v0::digest, char, void>::format"
           "sslpp::v0::detail::error_formatter::format" "sslpp::v0::session::from_bytes"
           "sslpp::v0::session::native_handle" "sslpp::v0::session_cache::put" "sslpp::v0::session_cache::session_cache"
           "sslpp::v0::signature_completion::complete" "sslpp::v0::signature_completion::fail")
  if(NOT _compiled MATCHES " U [^\n]*${_m}")
    message(FATAL_ERROR "the compiled-mode object does not refer to the library for ${_m}")
  endif()
endforeach()

nm_output("${HEADER_ONLY}" _header_only)
defined_members("${_header_only}" _ho_defined)
if(NOT _ho_defined MATCHES "certificate::from_pem" OR NOT _ho_defined MATCHES "boringssl_category"
   OR NOT _ho_defined MATCHES "formatter<sslpp::v0::certificate, char, void>::format"
   OR NOT _ho_defined MATCHES "session_cache::put" OR NOT _ho_defined MATCHES "signature_completion::complete")
  message(FATAL_ERROR "the header-only object should define certificate::from_pem, boringssl_category, the certificate's formatter, session_cache::put and signature_completion::complete itself (inline)")
endif()
backend_calls("${HEADER_ONLY}" _ho_calls)
if(NOT _ho_calls)
  message(FATAL_ERROR "the header-only object should call the backend itself")
endif()
message(STATUS "compiled mode: certificate.hpp, error.hpp, format.hpp, private_key_signer.hpp, session.hpp and session_cache.hpp leave their definitions to the library")
