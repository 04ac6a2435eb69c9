#pragma once
#include "../config.hpp"
inline int d_value = SSLPP_VERSION_MAJOR;
