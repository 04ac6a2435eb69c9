# Compile-fail suite (label "compile_fail"): every tests/compile_fail/*.cpp is a snippet
# that must not compile (or, for deprecations, must warn) with a given message, and its
# twin that must compile. Each becomes two CTest tests, compile_fail.<name> and
# compile_fail.<name>.twin, so they run in parallel. The compiler gets exactly the
# include directories, definitions and options sslpp::sslpp gives a user's target.
set(_cf_dir "${CMAKE_CURRENT_SOURCE_DIR}/compile_fail")
set(_cf_flags_file "${CMAKE_CURRENT_BINARY_DIR}/compile_fail_flags_$<CONFIG>.cmake")
# sslpp's own headers with -I, imported dependencies with -isystem (as CMake passes them to
# a consumer), the compiler's implicit directories not at all (-I/usr/include would reorder
# the C++ library's #include_next chain).
set(_cf_all_inc "$<TARGET_PROPERTY:sslpp,INTERFACE_INCLUDE_DIRECTORIES>")
set(_cf_inc "$<FILTER:${_cf_all_inc},INCLUDE,^${PROJECT_SOURCE_DIR}/>")
set(_cf_sys "$<FILTER:${_cf_all_inc},EXCLUDE,^(${PROJECT_SOURCE_DIR}/|/usr/include$|/usr/local/include$)>")
set(_cf_def "$<TARGET_PROPERTY:sslpp,INTERFACE_COMPILE_DEFINITIONS>")
set(_cf_opt "$<TARGET_PROPERTY:sslpp,INTERFACE_COMPILE_OPTIONS>")
string(TOUPPER "${CMAKE_BUILD_TYPE}" _cf_bt)
separate_arguments(_cf_cxxflags NATIVE_COMMAND "${CMAKE_CXX_FLAGS} ${CMAKE_CXX_FLAGS_${_cf_bt}}")
set(_cf_std "${CMAKE_CXX20_STANDARD_COMPILE_OPTION}")
if(CMAKE_CXX_EXTENSIONS OR NOT DEFINED CMAKE_CXX_EXTENSIONS)
  set(_cf_std "${CMAKE_CXX20_EXTENSION_COMPILE_OPTION}")
endif()
file(GENERATE OUTPUT "${_cf_flags_file}" CONTENT
"set(SSLPP_CF_CXX \"${CMAKE_CXX_COMPILER}\")
set(SSLPP_CF_FLAGS ${_cf_cxxflags} ${_cf_std} -Wall -Wextra $<$<BOOL:${_cf_inc}>:-I$<JOIN:${_cf_inc},;-I>> $<$<BOOL:${_cf_sys}>:-isystem;$<JOIN:$<REMOVE_DUPLICATES:${_cf_sys}>,;-isystem;>> $<$<BOOL:${_cf_def}>:-D$<JOIN:${_cf_def},;-D>> ${_cf_opt})
")

# The compiled mode (sslpp::sslpp_compiled) declares what the header-only mode defines, so
# its users get the same refusals from the same headers: every case runs again with the
# definition that target adds (compile_fail.compiled.<name>[.twin]).
set(_cf_compiled_flags_file "${CMAKE_CURRENT_BINARY_DIR}/compile_fail_flags_compiled_$<CONFIG>.cmake")
if(TARGET sslpp_compiled)
  file(GENERATE OUTPUT "${_cf_compiled_flags_file}" CONTENT
"include(\"${_cf_flags_file}\")
list(APPEND SSLPP_CF_FLAGS $<$<BOOL:$<TARGET_PROPERTY:sslpp_compiled,INTERFACE_COMPILE_DEFINITIONS>>:-D$<JOIN:$<TARGET_PROPERTY:sslpp_compiled,INTERFACE_COMPILE_DEFINITIONS>,;-D>>)
")
endif()

file(GLOB _cf_cases CONFIGURE_DEPENDS "${_cf_dir}/*.cpp")
foreach(_case ${_cf_cases})
  get_filename_component(_name "${_case}" NAME_WE)
  foreach(_mode header_only compiled)
    if(_mode STREQUAL "compiled" AND NOT TARGET sslpp_compiled)
      continue()
    endif()
    foreach(_variant bad twin)
      if(_mode STREQUAL "compiled")
        set(_test "compile_fail.compiled.${_name}")
        set(_flags "${_cf_compiled_flags_file}")
      else()
        set(_test "compile_fail.${_name}")
        set(_flags "${_cf_flags_file}")
      endif()
      if(_variant STREQUAL "twin")
        set(_test "${_test}.twin")
      endif()
      add_test(NAME "${_test}"
        COMMAND "${CMAKE_COMMAND}" -DCASE=${_case} -DVARIANT=${_variant} -DFLAGS_FILE=${_flags}
                -P "${_cf_dir}/check.cmake")
      set_tests_properties("${_test}" PROPERTIES LABELS "compile_fail" TIMEOUT 120)
    endforeach()
  endforeach()
endforeach()

# The cipher names and keywords that set_ciphers literals are checked against must be
# exactly what this BoringSSL knows: tools/gen_cipher_names.py asks bssl-tool.
find_program(SSLPP_BSSL_TOOL bssl-tool)
find_program(SSLPP_OPENSSL openssl)
find_package(Python3 COMPONENTS Interpreter QUIET)
if(SSLPP_BSSL_TOOL AND SSLPP_OPENSSL AND Python3_Interpreter_FOUND)
  add_test(NAME compile_fail.cipher_tables_match_backend
    COMMAND Python3::Interpreter "${PROJECT_SOURCE_DIR}/tools/gen_cipher_names.py"
            --check "${PROJECT_SOURCE_DIR}/include/sslpp/detail/feature_rules.hpp")
  set_tests_properties(compile_fail.cipher_tables_match_backend PROPERTIES LABELS "compile_fail" TIMEOUT 120)
endif()
