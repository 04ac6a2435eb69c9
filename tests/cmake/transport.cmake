# Transport tests (issue 4): the non-blocking test runs the poll() echo server example, and
# test_asio needs standalone asio (Debian libasio-dev), a test-only dependency.
if(TARGET test_nonblocking AND TARGET example_poll_echo_server)
  add_dependencies(test_nonblocking example_poll_echo_server)
endif()
if(TARGET test_asio)
  find_path(SSLPP_ASIO_INCLUDE_DIR asio.hpp)
  if(SSLPP_ASIO_INCLUDE_DIR)
    target_include_directories(test_asio SYSTEM PRIVATE "${SSLPP_ASIO_INCLUDE_DIR}")
    target_compile_definitions(test_asio PRIVATE SSLPP_HAVE_ASIO=1)
  else()
    message(STATUS "sslpp: asio not found (apt-get install libasio-dev): test_asio only says it is skipped")
  endif()
endif()
