// The quick-start client through sslpp: connect, verify chain and host name against the
// system trust store, print version and cipher. (bench/cost.sh: compile time and size.)
#include <sslpp/sslpp.hpp>

#include <fmt/core.h>

#include <cstdlib>

int main(int argc, char** argv) {
  const char* host = argc > 1 ? argv[1] : "example.org";
  const auto port = static_cast<std::uint16_t>(argc > 2 ? std::atoi(argv[2]) : 443);
  try {
    auto ctx = sslpp::create_default_context();
    auto tls = ctx.wrap_socket(sslpp::tcp_socket::connect(host, port), sslpp::runtime_hostname(host));
    fmt::print("{} {}\n", *tls.version(), tls.cipher()->name);
  } catch (const std::exception& e) {
    fmt::print(stderr, "{}\n", e.what());
    return 1;
  }
}
