#pragma once
#include <sslpp/config.hpp>
#include <sslpp/b.hpp>
inline int a_value = b_value + 1;
#if SSLPP_WITH_DEFINITIONS
#include <sslpp/impl/e.ipp>
#endif
