# test_cert_compression links the opt-in codecs target (brotli and zlib); without them it
# is not built (tests/CMakeLists.txt) and CMake said why at configure time.
if(TARGET test_cert_compression)
  target_link_libraries(test_cert_compression PRIVATE sslpp::cert_compression)
endif()
