#pragma once
#include <sslpp/a.hpp>
#include <sslpp/detail/d.hpp>
inline int b_value = d_value + 1;
