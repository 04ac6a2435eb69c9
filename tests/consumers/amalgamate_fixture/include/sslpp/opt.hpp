#pragma once
#include <sslpp/detail/d.hpp>
inline int opt_value = d_value + 10;
