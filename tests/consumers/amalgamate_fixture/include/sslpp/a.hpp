#pragma once
#include <sslpp/b.hpp>
inline int a_value = b_value + 1;
