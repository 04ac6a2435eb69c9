// fixture — SPDX-License-Identifier: MIT
//
// sslpp.hpp: umbrella of the amalgamation test fixture.
#pragma once
#include <sslpp/config.hpp>
#include <sslpp/a.hpp>
#include "b.hpp"
#if defined(WITH_OPT)
#include <sslpp/opt.hpp>
#endif
#include <sslpp/c.hpp>
#include <vector>
