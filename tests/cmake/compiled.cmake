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
# (no weak copies: W), while the header-only build of the same file defines them.
add_library(sslpp_compiled_probe OBJECT "${CMAKE_CURRENT_SOURCE_DIR}/compiled/probe.cpp")
target_link_libraries(sslpp_compiled_probe PRIVATE sslpp::sslpp_compiled)
add_library(sslpp_header_only_probe OBJECT "${CMAKE_CURRENT_SOURCE_DIR}/compiled/probe.cpp")
target_link_libraries(sslpp_header_only_probe PRIVATE sslpp::sslpp)
add_test(NAME compiled.definitions_left_to_the_library
  COMMAND "${CMAKE_COMMAND}" "-DCOMPILED=$<TARGET_OBJECTS:sslpp_compiled_probe>"
          "-DHEADER_ONLY=$<TARGET_OBJECTS:sslpp_header_only_probe>"
          -P "${CMAKE_CURRENT_SOURCE_DIR}/compiled/check_probe.cmake")
set_tests_properties(compiled.definitions_left_to_the_library PROPERTIES LABELS "unit" TIMEOUT 60)

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
