// sslpp — SPDX-License-Identifier: MIT
//
// demo_credentials.hpp: the built-in credentials of `sslpp demo`, made by
// tools/make_demo_credentials.sh (valid 2025-01-01 .. 2045-12-31). The private key is
// public: it serves the loopback demo only and must never protect anything.
#pragma once

namespace sslpp_cli::demo_credentials {

/// ca_pem: the demo CA the demo's client trusts (CN=sslpp demo CA).
inline constexpr const char* ca_pem = R"PEM(-----BEGIN CERTIFICATE-----
MIIBpDCCAUmgAwIBAgICEAAwCgYIKoZIzj0EAwIwKDEWMBQGA1UEAwwNc3NscHAg
ZGVtbyBDQTEOMAwGA1UECgwFc3NscHAwHhcNMjUwMTAxMDAwMDAwWhcNNDUxMjMx
MjM1OTU5WjAoMRYwFAYDVQQDDA1zc2xwcCBkZW1vIENBMQ4wDAYDVQQKDAVzc2xw
cDBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABNscRB5p/WcQZPmdErJwqfbDzJO9
cZFnSKa6SA73Avzf1fiS6IUgZwGLkHa+Rtr5Jl+A//quuxMID3N0RIALfMyjYzBh
MA8GA1UdEwEB/wQFMAMBAf8wDgYDVR0PAQH/BAQDAgEGMB0GA1UdDgQWBBSxff6L
g0DKyHapKB84k7SLkREkLDAfBgNVHSMEGDAWgBSxff6Lg0DKyHapKB84k7SLkREk
LDAKBggqhkjOPQQDAgNJADBGAiEA3psp2Zh23dsVj35h1HveFntIkkxHbfBCcD4I
BgOqRBkCIQC3JqZ06W4e7MBYr4aSYbQcsUZeNi005UfT6vJOkICatg==
-----END CERTIFICATE-----
)PEM";

/// leaf_pem: the server's certificate for localhost, 127.0.0.1 and ::1, signed by the demo CA.
inline constexpr const char* leaf_pem = R"PEM(-----BEGIN CERTIFICATE-----
MIIB4TCCAYegAwIBAgICEAEwCgYIKoZIzj0EAwIwKDEWMBQGA1UEAwwNc3NscHAg
ZGVtbyBDQTEOMAwGA1UECgwFc3NscHAwHhcNMjUwMTAxMDAwMDAwWhcNNDUxMjMx
MjM1OTU5WjAkMRIwEAYDVQQDDAlsb2NhbGhvc3QxDjAMBgNVBAoMBXNzbHBwMFkw
EwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEv+qtza8HXTwouVIEdqd5djovtJMRxdO+
fF5SsJZer+cCIaiW/sggngGVoReZupY9/cPD82NQeBi4a9zvh0kpdKOBpDCBoTAM
BgNVHRMBAf8EAjAAMA4GA1UdDwEB/wQEAwIHgDATBgNVHSUEDDAKBggrBgEFBQcD
ATAdBgNVHQ4EFgQUdQCUFaqujHpaL89uHVBA6FwNyeEwHwYDVR0jBBgwFoAUsX3+
i4NAysh2qSgfOJO0i5ERJCwwLAYDVR0RBCUwI4IJbG9jYWxob3N0hwR/AAABhxAA
AAAAAAAAAAAAAAAAAAABMAoGCCqGSM49BAMCA0gAMEUCIHUwdaufF1Fe6fIH91wv
yeHQe48hoyLvh2PoEstd5PvLAiEA+m2r3chy0BV+gXAN9i4iw8AihLLjvEsH8qMG
n2ylXLI=
-----END CERTIFICATE-----
)PEM";

/// leaf_key_pem: the server's private key (PKCS#8, P-256).
inline constexpr const char* leaf_key_pem = R"PEM(-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg8lmUwaBxk7g6S7m2
WKqxXETY6CKmPYiZ5vJL0T6IBg6hRANCAAS/6q3NrwddPCi5UgR2p3l2Oi+0kxHF
0758XlKwll6v5wIhqJb+yCCeAZWhF5m6lj39w8PzY1B4GLhr3O+HSSl0
-----END PRIVATE KEY-----
)PEM";

}  // namespace sslpp_cli::demo_credentials
