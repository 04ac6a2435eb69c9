# The asynchronous streams (issue 15): test_async_asio needs standalone asio (Debian
# libasio-dev), test_async_boost Boost.Asio 1.80 or later (Debian libboost1.81-dev), both
# test-only dependencies; without them each test program only says it is skipped.
# test_async_examples runs the examples that use them against real peers. Boost's
# yield_context needs the compiled Boost.Context library (libboost-context1.81-dev): its
# test is built only where that is found.
find_path(SSLPP_ASYNC_ASIO_HPP asio.hpp)
find_path(SSLPP_ASYNC_BOOST_HPP boost/asio/cancellation_signal.hpp)
foreach(_t test_async_asio test_attacks_async test_attacks_review3 test_early_data_async)
  if(TARGET ${_t} AND SSLPP_ASYNC_ASIO_HPP)
    target_compile_definitions(${_t} PRIVATE SSLPP_HAVE_ASIO=1)
  endif()
endforeach()
if(TARGET test_async_boost AND SSLPP_ASYNC_BOOST_HPP)
  target_compile_definitions(test_async_boost PRIVATE SSLPP_HAVE_BOOST_ASIO=1)
  find_library(SSLPP_BOOST_CONTEXT_LIB NAMES boost_context boost_context-mt)
  if(SSLPP_BOOST_CONTEXT_LIB)
    target_compile_definitions(test_async_boost PRIVATE SSLPP_HAVE_BOOST_CONTEXT=1)
    target_link_libraries(test_async_boost PRIVATE "${SSLPP_BOOST_CONTEXT_LIB}")
  else()
    message(STATUS "sslpp: Boost.Context not found (apt-get install libboost-context1.81-dev): "
                   "the yield_context test of test_async_boost is not built")
  endif()
endif()
if(TARGET test_async_examples)
  foreach(_ex example_async_echo_server example_beast_https_client)
    if(TARGET ${_ex})
      add_dependencies(test_async_examples ${_ex})
      string(TOUPPER "${_ex}" _def)
      target_compile_definitions(test_async_examples PRIVATE SSLPP_HAVE_${_def}=1)
    endif()
  endforeach()
endif()

# The bounded load test (label "load"): 10,000 connections through the coroutine echo
# server. It runs in the normal suite (well under two minutes on two loaded cores); the
# generous timeout is for a machine far slower than that.
sslpp_add_test(test_async_load SOURCES "${CMAKE_CURRENT_SOURCE_DIR}/test_async_load.cpp" LABELS load TIMEOUT 600)
if(SSLPP_ASYNC_ASIO_HPP AND TARGET example_async_echo_server)
  target_compile_definitions(test_async_load PRIVATE SSLPP_HAVE_ASIO=1 SSLPP_HAVE_EXAMPLE_ASYNC_ECHO_SERVER=1)
  add_dependencies(test_async_load example_async_echo_server)
endif()
