#pragma once
#include <sslpp/detail/d.hpp>
inline int e_value = d_value + 100;
