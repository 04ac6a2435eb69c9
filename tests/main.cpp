// The Catch2 test runner for sslpp's unit and interop tests.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
