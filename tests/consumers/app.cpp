// The program every consumer project builds: it uses sslpp as a user's program would —
// the umbrella header, a default client context (which calls into BoringSSL, so linking is
// proven too), fmt — and prints the version it was built with, which the test checks.
#include <sslpp/sslpp.hpp>
#include <fmt/core.h>

int main() {
  auto ctx = sslpp::create_default_context();
  (void)ctx;
  fmt::print("sslpp {} consumer: default client context made\n", sslpp::version);
}
