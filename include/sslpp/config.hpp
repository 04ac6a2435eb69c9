// sslpp — Python's ssl module for C++20, over BoringSSL.
// SPDX-License-Identifier: MIT
//
// config.hpp: the library's version and its versioned namespace.
#pragma once

/// SSLPP_VERSION_MAJOR / _MINOR / _PATCH: sslpp's version, the one place it is written.
#define SSLPP_VERSION_MAJOR 0
#define SSLPP_VERSION_MINOR 1
#define SSLPP_VERSION_PATCH 0

// Every public name lives in an inline namespace named after the major
// version, so two sslpp versions linked into one program can never silently
// mix their types (the ODR violation would become a link error instead).
#define SSLPP_ABI_NAMESPACE v0
#define SSLPP_BEGIN_NAMESPACE \
  namespace sslpp {           \
  inline namespace SSLPP_ABI_NAMESPACE {
#define SSLPP_END_NAMESPACE \
  }                         \
  }

// Build modes. Header-only (the default): every definition is in the headers, `inline`.
// Compiled (SSLPP_COMPILED, which linking CMake's sslpp::sslpp_compiled defines): the
// headers whose definitions are in .ipp files only declare (include/sslpp/impl/*.ipp for the
// public classes, include/sslpp/detail/impl/*.ipp for the internals that call BoringSSL,
// asio's layout), and the library
// (src/sslpp.cpp, built with SSLPP_BUILDING_LIBRARY) holds their definitions once,
// as asio's ASIO_SEPARATE_COMPILATION does: a program's translation units then neither parse
// nor compile them. The two modes are the same code; only where it is compiled differs.
#if defined(SSLPP_BUILDING_LIBRARY) && !defined(SSLPP_COMPILED)
#define SSLPP_COMPILED 1
#endif
/// SSLPP_DECL: `inline` on the definitions in the .ipp files (impl/, detail/impl/) in the
/// header-only mode; nothing in the compiled mode, where the library defines each of them once.
#if defined(SSLPP_COMPILED)
#define SSLPP_DECL
#else
#define SSLPP_DECL inline
#endif
/// SSLPP_WITH_DEFINITIONS: 1 where a header includes its .ipp definitions (header-only
/// mode, and the library's own build), 0 in a program using the compiled library.
#if !defined(SSLPP_COMPILED) || defined(SSLPP_BUILDING_LIBRARY)
#define SSLPP_WITH_DEFINITIONS 1
#else
#define SSLPP_WITH_DEFINITIONS 0
#endif

#if __cplusplus < 202002L && !defined(_MSVC_LANG)
#error "sslpp needs C++20: compile with -std=c++20 (CMake: target_compile_features(... cxx_std_20))"
#endif

SSLPP_BEGIN_NAMESPACE

#define SSLPP_DETAIL_STR2(x) #x
#define SSLPP_DETAIL_STR(x) SSLPP_DETAIL_STR2(x)

/// version: sslpp's version as "major.minor.patch", made from the macros above.
inline constexpr const char* version = SSLPP_DETAIL_STR(SSLPP_VERSION_MAJOR) "." SSLPP_DETAIL_STR(
    SSLPP_VERSION_MINOR) "." SSLPP_DETAIL_STR(SSLPP_VERSION_PATCH);

SSLPP_END_NAMESPACE
