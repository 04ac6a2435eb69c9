# README snippets: every ```cpp block of README.md is extracted
# (tests/consumers/readme_snippets.py), compiled against the installed sslpp — full
# programs as they are, `// fragment` blocks inside a function after
# #include <sslpp/sslpp.hpp> — and the quick-start client (a program taking a host and a
# port) is run against a local TLS server. Uses SSLPP_CONSUMER_DRIVER from consumers.cmake.
if(NOT SSLPP_CONSUMER_DRIVER)
  include("${CMAKE_CURRENT_LIST_DIR}/consumers.cmake")
endif()
add_test(NAME "readme: every C++ snippet compiles and the quick-start runs" COMMAND ${SSLPP_CONSUMER_DRIVER} readme)
set_tests_properties("readme: every C++ snippet compiles and the quick-start runs" PROPERTIES
  LABELS "consumer;readme" TIMEOUT 300 FIXTURES_REQUIRED "sslpp_install;pki")
