#ifndef FIXTURE_C_HPP
#define FIXTURE_C_HPP
#include <sslpp/opt.hpp>
#include <sslpp/impl/e.ipp>
inline int c_value = opt_value + 1;
#endif
