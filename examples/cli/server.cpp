#include "cli.hpp"
namespace sslpp_cli {
int run_server(std::span<char* const>) { throw failure(exit_io, "sslpp server: not written yet"); }
}
