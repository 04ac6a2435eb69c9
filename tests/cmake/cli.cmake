# Black-box tests of the `sslpp` command (examples/cli): tests/cli/cli_test.py runs the built
# binary against real peers (openssl s_server/s_client, python3's ssl, curl). One CTest test
# per case, label "cli".
find_program(SSLPP_PYTHON3 python3)
if(TARGET sslpp_cli AND SSLPP_PYTHON3)
  set(_sslpp_cli_cases
      demo help version colour
      client_openssl client_python client_system_store client_ipv6 client_capath client_quiet client_bad_certificates client_no_verify
      client_certificate client_encrypted_key client_json client_failures
      client_alpn client_groups client_session_resumption client_keylog client_ocsp
      server_clients server_curl server_alpn server_ocsp server_client_certificates server_usage
      cert
      early_data cert_compression
      ech_keys ech_client_server ech_usage)
  foreach(_case ${_sslpp_cli_cases})
    add_test(NAME "cli: ${_case}"
             COMMAND "${SSLPP_PYTHON3}" "${CMAKE_CURRENT_SOURCE_DIR}/cli/cli_test.py"
                     "$<TARGET_FILE:sslpp_cli>" "${SSLPP_TEST_PKI}" "${_case}")
    set_tests_properties("cli: ${_case}" PROPERTIES FIXTURES_REQUIRED pki LABELS "cli" TIMEOUT 120)
  endforeach()
elseif(NOT SSLPP_PYTHON3)
  message(STATUS "sslpp: python3 not found, the sslpp command's tests are skipped")
endif()
