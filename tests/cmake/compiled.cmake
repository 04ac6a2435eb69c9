if(NOT SSLPP_BUILD_COMPILED)
  return()
endif()

# The compiled mode (sslpp::sslpp_compiled, SSLPP_COMPILED): test programs built against the
# library instead of the header-only definitions, and a check that a program's object file
# really leaves the converted parts' definitions to the library.

# test_socket and test_handshake again, with the compiled library: the same cases pass.
foreach(_t test_socket test_handshake)
  sslpp_add_test(${_t}_compiled SOURCES "${CMAKE_CURRENT_SOURCE_DIR}/${_t}.cpp")
  target_link_libraries(${_t}_compiled PRIVATE sslpp::sslpp_compiled)
endforeach()

# compiled.definitions_left_to_the_library: a translation unit that connects and accepts
# through tcp_socket/tcp_listener refers to their members (nm: U) and defines none of them
# (no weak copies: W), but tcp_socket's defaulted constructors, moves and destructor, inline
# by design (they only move or close a descriptor), while the header-only build of the same
# file defines them.
add_library(sslpp_compiled_probe OBJECT "${CMAKE_CURRENT_SOURCE_DIR}/compiled/probe.cpp")
target_link_libraries(sslpp_compiled_probe PRIVATE sslpp::sslpp_compiled)
add_library(sslpp_header_only_probe OBJECT "${CMAKE_CURRENT_SOURCE_DIR}/compiled/probe.cpp")
target_link_libraries(sslpp_header_only_probe PRIVATE sslpp::sslpp)
add_test(NAME compiled.definitions_left_to_the_library
  COMMAND "${CMAKE_COMMAND}" "-DCOMPILED=$<TARGET_OBJECTS:sslpp_compiled_probe>"
          "-DHEADER_ONLY=$<TARGET_OBJECTS:sslpp_header_only_probe>"
          "-DNAMES=sslpp::v0::tcp_(socket|listener)::"
          "-DINLINE=tcp_socket::(~?tcp_socket\\(|operator=)"
          "-DREQUIRED=tcp_socket::connect;tcp_listener::accept"
          -P "${CMAKE_CURRENT_SOURCE_DIR}/compiled/check_members.cmake")
set_tests_properties(compiled.definitions_left_to_the_library PROPERTIES LABELS "unit" TIMEOUT 60)

# test_sans_io again with the compiled library (ssl_object, memory_bio, the connection queries).
sslpp_add_test(test_sans_io_compiled SOURCES "${CMAKE_CURRENT_SOURCE_DIR}/test_sans_io.cpp")
target_link_libraries(test_sans_io_compiled PRIVATE sslpp::sslpp_compiled)

# compiled.sans_io_left_to_the_library: a translation unit using ssl_object, memory_bio and
# the connection queries defines none of their members (but the trivial inline ones).
add_library(sslpp_compiled_sans_io_probe OBJECT "${CMAKE_CURRENT_SOURCE_DIR}/compiled/sans_io_probe.cpp")
target_link_libraries(sslpp_compiled_sans_io_probe PRIVATE sslpp::sslpp_compiled)
add_library(sslpp_header_only_sans_io_probe OBJECT "${CMAKE_CURRENT_SOURCE_DIR}/compiled/sans_io_probe.cpp")
target_link_libraries(sslpp_header_only_sans_io_probe PRIVATE sslpp::sslpp)
add_test(NAME compiled.sans_io_left_to_the_library
  COMMAND "${CMAKE_COMMAND}" "-DCOMPILED=$<TARGET_OBJECTS:sslpp_compiled_sans_io_probe>"
          "-DHEADER_ONLY=$<TARGET_OBJECTS:sslpp_header_only_sans_io_probe>"
          "-DNAMES=sslpp::v0::(ssl_object|memory_bio)::|sslpp::v0::detail::queries::"
          "-DINLINE=(memory_bio::(memory_bio\\(sslpp::v0::memory_bio&&|eof\\(|write\\(std::basic_string_view|native_handle)|ssl_object::(checked_engine|engine_or_null|emptied)\\()"
          "-DREQUIRED=ssl_object::do_handshake;memory_bio::read;memory_bio::memory_bio\\(\\);queries::version;queries::pending"
          -P "${CMAKE_CURRENT_SOURCE_DIR}/compiled/check_members.cmake")
set_tests_properties(compiled.sans_io_left_to_the_library PROPERTIES LABELS "unit" TIMEOUT 60)

# test_transport and test_stream_close again with the compiled library: stream<tcp_socket>
# comes from the library (extern template), and a stream over the tests' own byte streams
# (pipes, in-memory doubles, throwing transports) is instantiated by the program itself from
# the member definitions stream.hpp brings in.
foreach(_t test_transport test_stream_close)
  sslpp_add_test(${_t}_compiled SOURCES "${CMAKE_CURRENT_SOURCE_DIR}/${_t}.cpp")
  target_link_libraries(${_t}_compiled PRIVATE sslpp::sslpp_compiled)
endforeach()

# error.hpp and certificate.hpp in the compiled mode: test_certificate (which also prints
# certificates with <sslpp/format.hpp>) and test_error_codes again, against the library.
foreach(_t test_certificate test_error_codes)
  sslpp_add_test(${_t}_compiled SOURCES "${CMAKE_CURRENT_SOURCE_DIR}/${_t}.cpp")
  target_link_libraries(${_t}_compiled PRIVATE sslpp::sslpp_compiled)
endforeach()

# compiled.stream_left_to_the_library: a translation unit that wraps a tcp_socket defines
# none of stream<tcp_socket>'s members but the trivial ones written in the class.
add_library(sslpp_compiled_stream_probe OBJECT "${CMAKE_CURRENT_SOURCE_DIR}/compiled/stream_probe.cpp")
target_link_libraries(sslpp_compiled_stream_probe PRIVATE sslpp::sslpp_compiled)
add_library(sslpp_header_only_stream_probe OBJECT "${CMAKE_CURRENT_SOURCE_DIR}/compiled/stream_probe.cpp")
target_link_libraries(sslpp_header_only_stream_probe PRIVATE sslpp::sslpp)
add_test(NAME compiled.stream_left_to_the_library
  COMMAND "${CMAKE_COMMAND}" "-DCOMPILED=$<TARGET_OBJECTS:sslpp_compiled_stream_probe>"
          "-DHEADER_ONLY=$<TARGET_OBJECTS:sslpp_header_only_stream_probe>"
          "-DNAMES=sslpp::v0::stream<sslpp::v0::tcp_socket>::"
          "-DINLINE=stream<sslpp::v0::tcp_socket>::(recv|send|is_open|socket|state|checked_engine|engine_or_null|socket_gone|emptied|blocked|peer_address|local_address)\\(|sendall\\(std::basic_string_view|shutdown\\(std::error_code"
          "-DREQUIRED=stream<sslpp::v0::tcp_socket>::read\\(std::span;stream<sslpp::v0::tcp_socket>::~stream;stream<sslpp::v0::tcp_socket>::shutdown\\(sslpp::v0::shutdown_mode\\)"
          -P "${CMAKE_CURRENT_SOURCE_DIR}/compiled/check_members.cmake")
set_tests_properties(compiled.stream_left_to_the_library PROPERTIES LABELS "unit" TIMEOUT 60)

# compiled.values_left_to_the_library: a translation unit using certificate.hpp, error.hpp,
# format.hpp, session.hpp and session_cache.hpp defines none of their members and calls no
# backend function (nm), while the header-only build of the same file does both.
add_library(sslpp_compiled_probe_values OBJECT "${CMAKE_CURRENT_SOURCE_DIR}/compiled/probe_values.cpp")
target_link_libraries(sslpp_compiled_probe_values PRIVATE sslpp::sslpp_compiled)
add_library(sslpp_header_only_probe_values OBJECT "${CMAKE_CURRENT_SOURCE_DIR}/compiled/probe_values.cpp")
target_link_libraries(sslpp_header_only_probe_values PRIVATE sslpp::sslpp)
add_test(NAME compiled.values_left_to_the_library
  COMMAND "${CMAKE_COMMAND}" "-DCOMPILED=$<TARGET_OBJECTS:sslpp_compiled_probe_values>"
          "-DHEADER_ONLY=$<TARGET_OBJECTS:sslpp_header_only_probe_values>"
          -P "${CMAKE_CURRENT_SOURCE_DIR}/compiled/check_values_probe.cmake")
set_tests_properties(compiled.values_left_to_the_library PROPERTIES LABELS "unit" TIMEOUT 60)

# session.hpp and session_cache.hpp in the compiled mode: test_session_cache against the library.
sslpp_add_test(test_session_cache_compiled SOURCES "${CMAKE_CURRENT_SOURCE_DIR}/test_session_cache.cpp")
target_link_libraries(test_session_cache_compiled PRIVATE sslpp::sslpp_compiled)


# context<side::client/server/any> (context.hpp, impl/context.ipp): test_context,
# test_sni_alpn (the member templates: SNI callbacks, ALPN and group ranges) and
# test_helpers (functions.hpp) against the library, and the nm check of a probe that configures and wraps with every side.
foreach(_t test_context test_sni_alpn test_helpers)
  sslpp_add_test(${_t}_compiled SOURCES "${CMAKE_CURRENT_SOURCE_DIR}/${_t}.cpp")
  target_link_libraries(${_t}_compiled PRIVATE sslpp::sslpp_compiled)
endforeach()
add_library(sslpp_compiled_context_probe OBJECT "${CMAKE_CURRENT_SOURCE_DIR}/compiled/context_probe.cpp")
target_link_libraries(sslpp_compiled_context_probe PRIVATE sslpp::sslpp_compiled)
add_library(sslpp_header_only_context_probe OBJECT "${CMAKE_CURRENT_SOURCE_DIR}/compiled/context_probe.cpp")
target_link_libraries(sslpp_header_only_context_probe PRIVATE sslpp::sslpp)
add_test(NAME compiled.context_definitions_left_to_the_library
  COMMAND "${CMAKE_COMMAND}" "-DCOMPILED=$<TARGET_OBJECTS:sslpp_compiled_context_probe>"
          "-DHEADER_ONLY=$<TARGET_OBJECTS:sslpp_header_only_context_probe>"
          -P "${CMAKE_CURRENT_SOURCE_DIR}/compiled/check_context_probe.cmake")
set_tests_properties(compiled.context_definitions_left_to_the_library PROPERTIES LABELS "unit" TIMEOUT 60)

# compiled.engine_left_to_the_library: a translation unit running TLS over its own byte stream
# (stream<pipe_end>, instantiated by the program) and over memory BIOs defines none of
# detail::engine's members (but the trivial accessors and the read/write templates that hand
# their callable on type-erased), none of the wrap policy nor throw_failure, and calls no
# backend function: stream.hpp and ssl_object.hpp need the engine's class only.
add_library(sslpp_compiled_engine_probe OBJECT "${CMAKE_CURRENT_SOURCE_DIR}/compiled/engine_probe.cpp")
target_link_libraries(sslpp_compiled_engine_probe PRIVATE sslpp::sslpp_compiled)
add_library(sslpp_header_only_engine_probe OBJECT "${CMAKE_CURRENT_SOURCE_DIR}/compiled/engine_probe.cpp")
target_link_libraries(sslpp_header_only_engine_probe PRIVATE sslpp::sslpp)
add_test(NAME compiled.engine_left_to_the_library
  COMMAND "${CMAKE_COMMAND}" "-DCOMPILED=$<TARGET_OBJECTS:sslpp_compiled_engine_probe>"
          "-DHEADER_ONLY=$<TARGET_OBJECTS:sslpp_header_only_engine_probe>"
          -P "${CMAKE_CURRENT_SOURCE_DIR}/compiled/check_engine_probe.cmake")
set_tests_properties(compiled.engine_left_to_the_library PROPERTIES LABELS "unit" TIMEOUT 60)

# compiled.umbrella_parses_no_backend_header: in the compiled mode the umbrella's headers
# open no <openssl/...> header (the compiler's -H list), but functions.hpp, whose constexpr
# version constants come from <openssl/crypto.h> alone; nor, with libstdc++, <sstream> or
# <condition_variable>.
add_test(NAME compiled.umbrella_parses_no_backend_header
  COMMAND "${CMAKE_COMMAND}" -DFLAGS_FILE=${_cf_flags_file} "-DUMBRELLA=${PROJECT_SOURCE_DIR}/include/sslpp/sslpp.hpp"
          -DWORK=${CMAKE_CURRENT_BINARY_DIR} -P "${CMAKE_CURRENT_SOURCE_DIR}/compiled/check_no_backend_headers.cmake")
set_tests_properties(compiled.umbrella_parses_no_backend_header PROPERTIES LABELS "compile_fail" TIMEOUT 120)
