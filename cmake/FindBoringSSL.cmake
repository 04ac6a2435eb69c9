# FindBoringSSL.cmake — finds BoringSSL's headers and its libssl / libcrypto.
#
# Looks, in order, in BORINGSSL_ROOT_DIR (a BoringSSL build or install tree: include/ and
# lib/ or build/), the CMAKE_PREFIX_PATH, and Debian's android-libboringssl-dev layout
# (/usr/include/android, /usr/lib/<multiarch>/android). It checks that the headers found
# really are BoringSSL's: a system OpenSSL would otherwise masquerade as it.
#
# Result: BoringSSL_FOUND, BoringSSL_INCLUDE_DIR, BoringSSL_SSL_LIBRARY,
# BoringSSL_CRYPTO_LIBRARY, BoringSSL_API_VERSION, and the imported targets
# BoringSSL::ssl and BoringSSL::crypto.

set(_bssl_hints "")
if(BORINGSSL_ROOT_DIR)
  list(APPEND _bssl_hints "${BORINGSSL_ROOT_DIR}")
elseif(DEFINED ENV{BORINGSSL_ROOT_DIR})
  list(APPEND _bssl_hints "$ENV{BORINGSSL_ROOT_DIR}")
endif()

find_path(BoringSSL_INCLUDE_DIR
  NAMES openssl/base.h
  HINTS ${_bssl_hints}
  PATH_SUFFIXES include/android android include
  PATHS /usr/include/android
  NO_SYSTEM_ENVIRONMENT_PATH
  NO_CMAKE_SYSTEM_PATH)

if(CMAKE_LIBRARY_ARCHITECTURE)
  set(_bssl_debian_libdir "/usr/lib/${CMAKE_LIBRARY_ARCHITECTURE}/android")
else()
  file(GLOB _bssl_debian_libdir LIST_DIRECTORIES true "/usr/lib/*/android")
endif()

foreach(_lib ssl crypto)
  string(TOUPPER ${_lib} _LIB)
  find_library(BoringSSL_${_LIB}_LIBRARY
    NAMES ${_lib} lib${_lib}.so.0
    HINTS ${_bssl_hints}
    PATH_SUFFIXES lib lib64 build build/${_lib} ${_lib} android
    PATHS ${_bssl_debian_libdir}
    NO_SYSTEM_ENVIRONMENT_PATH
    NO_CMAKE_SYSTEM_PATH)
endforeach()

if(BoringSSL_INCLUDE_DIR AND EXISTS "${BoringSSL_INCLUDE_DIR}/openssl/base.h")
  file(STRINGS "${BoringSSL_INCLUDE_DIR}/openssl/base.h" _bssl_is REGEX "^#define OPENSSL_IS_BORINGSSL")
  file(STRINGS "${BoringSSL_INCLUDE_DIR}/openssl/base.h" _bssl_api REGEX "^#define BORINGSSL_API_VERSION [0-9]+")
  if(NOT _bssl_is)
    message(FATAL_ERROR
      "FindBoringSSL: ${BoringSSL_INCLUDE_DIR}/openssl/base.h is not BoringSSL's (it does not define "
      "OPENSSL_IS_BORINGSSL); it looks like OpenSSL. Install BoringSSL (Debian: apt-get install "
      "android-libboringssl-dev) or point BORINGSSL_ROOT_DIR at a BoringSSL build.")
  endif()
  string(REGEX REPLACE ".* ([0-9]+)$" "\\1" BoringSSL_API_VERSION "${_bssl_api}")
endif()

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(BoringSSL
  REQUIRED_VARS BoringSSL_INCLUDE_DIR BoringSSL_SSL_LIBRARY BoringSSL_CRYPTO_LIBRARY
  VERSION_VAR BoringSSL_API_VERSION
  REASON_FAILURE_MESSAGE
    "sslpp needs BoringSSL. On Debian or Ubuntu: apt-get install android-libboringssl-dev. For another BoringSSL build, pass -DBORINGSSL_ROOT_DIR=/path/to/boringssl (with include/ and its libssl/libcrypto).")

if(BoringSSL_FOUND)
  if(NOT TARGET Threads::Threads)
    find_package(Threads REQUIRED)
  endif()
  if(NOT TARGET BoringSSL::crypto)
    add_library(BoringSSL::crypto UNKNOWN IMPORTED)
    set_target_properties(BoringSSL::crypto PROPERTIES
      IMPORTED_LOCATION "${BoringSSL_CRYPTO_LIBRARY}"
      INTERFACE_INCLUDE_DIRECTORIES "${BoringSSL_INCLUDE_DIR}"
      INTERFACE_SYSTEM_INCLUDE_DIRECTORIES "${BoringSSL_INCLUDE_DIR}")
  endif()
  if(NOT TARGET BoringSSL::ssl)
    add_library(BoringSSL::ssl UNKNOWN IMPORTED)
    set_target_properties(BoringSSL::ssl PROPERTIES
      IMPORTED_LOCATION "${BoringSSL_SSL_LIBRARY}"
      INTERFACE_INCLUDE_DIRECTORIES "${BoringSSL_INCLUDE_DIR}"
      INTERFACE_SYSTEM_INCLUDE_DIRECTORIES "${BoringSSL_INCLUDE_DIR}"
      INTERFACE_LINK_LIBRARIES "BoringSSL::crypto;Threads::Threads")
  endif()
endif()

mark_as_advanced(BoringSSL_INCLUDE_DIR BoringSSL_SSL_LIBRARY BoringSSL_CRYPTO_LIBRARY)
