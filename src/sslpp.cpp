// sslpp — SPDX-License-Identifier: MIT
//
// sslpp.cpp: the sslpp_compiled library (CMake: sslpp::sslpp_compiled). It compiles, once,
// the definitions that the compiled mode keeps out of a program's translation units
// (include/sslpp/impl/*.ipp and include/sslpp/detail/impl/*.ipp; see config.hpp), with
// SSLPP_BUILDING_LIBRARY defined. A program that links it is compiled with SSLPP_COMPILED
// and includes the same headers.
#ifndef SSLPP_BUILDING_LIBRARY
#define SSLPP_BUILDING_LIBRARY 1
#endif

#include <sslpp/sslpp.hpp>

SSLPP_BEGIN_NAMESPACE

// The library's instantiations of the class templates whose common arguments a compiled-mode
// program leaves to it (`extern template` in their headers). Here, after the umbrella header,
// so that every member is defined by now: an explicit instantiation instantiates only the
// members defined before it (stream<Socket>::context() is defined by context.hpp).
template class stream<tcp_socket>;

SSLPP_END_NAMESPACE
