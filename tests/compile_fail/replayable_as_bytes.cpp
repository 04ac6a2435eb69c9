// Rule: early data (sslpp::replayable) is reachable only through accept_replay_risk():
// it does not convert to bytes or text.
// expect: early data may be a replay: read it with .accept_replay_risk()
#include <sslpp/replayable.hpp>

#include <span>

int main() {
  sslpp::replayable early;
#ifdef SSLPP_COMPILE_FAIL
  std::span<const std::byte> bytes = early;
#else
  std::span<const std::byte> bytes = early.accept_replay_risk();
#endif
  return static_cast<int>(bytes.size());
}
