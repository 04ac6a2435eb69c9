// sslpp — SPDX-License-Identifier: MIT
//
// detail/chrono.hpp: std::chrono's durations, clocks and time points, which sslpp's
// declarations use (timeouts, certificate dates). On libstdc++ they come from its
// <bits/chrono.h>: its <chrono> adds, in C++20, the calendar and time-zone types and
// chrono's stream output, and so <sstream> and the iostream machinery, which no sslpp
// header needs and which cost every including translation unit about 0.1 s of CPU (the
// compiled mode's compile-time target). Every other standard library gets <chrono>.
// Definitions that use calendar types (impl/certificate.ipp) include <chrono> themselves.
#pragma once

#include <version>

#if defined(__GLIBCXX__) && __has_include(<bits/chrono.h>)
#include <bits/chrono.h>
#else
#include <sslpp/detail/chrono.hpp>
#endif
