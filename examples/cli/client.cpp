#include "cli.hpp"
namespace sslpp_cli {
int run_client(std::span<char* const>) { throw failure(exit_io, "sslpp client: not written yet"); }
}
