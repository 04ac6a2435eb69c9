# Every public header compiles on its own (label "compile_fail", as the other compile-time
# checks): headers.alone.<name>, one test each so they run in parallel.
file(GLOB _ha_headers CONFIGURE_DEPENDS RELATIVE "${PROJECT_SOURCE_DIR}/include" "${PROJECT_SOURCE_DIR}/include/sslpp/*.hpp")
foreach(_h ${_ha_headers})
  get_filename_component(_n "${_h}" NAME_WE)
  add_test(NAME "headers.alone.${_n}"
    COMMAND "${CMAKE_COMMAND}" -DHEADER=${_h} -DFLAGS_FILE=${_cf_flags_file} -DWORK=${CMAKE_CURRENT_BINARY_DIR}
            -P "${CMAKE_CURRENT_SOURCE_DIR}/headers/check_alone.cmake")
  set_tests_properties("headers.alone.${_n}" PROPERTIES LABELS "compile_fail" TIMEOUT 120)
endforeach()

# headers.backend_wall: the public headers and impl/*.ipp call no BoringSSL function (that is
# include/sslpp/detail/'s job); --self-test first shows the check finds a planted breach.
find_program(SSLPP_PYTHON3 NAMES python3 REQUIRED)
add_test(NAME headers.backend_wall
  COMMAND "${SSLPP_PYTHON3}" "${CMAKE_CURRENT_SOURCE_DIR}/headers/check_backend_wall.py"
          "${PROJECT_SOURCE_DIR}/include" --self-test)
set_tests_properties(headers.backend_wall PROPERTIES LABELS "compile_fail" TIMEOUT 60
  PASS_REGULAR_EXPRESSION "PASS: [0-9]+ public headers")
