// Rule: early data (sslpp::replayable) does not convert to text: the replay risk is
// accepted at the call site.
// expect: early data may be a replay: read it with .accept_replay_risk_text()
#include <sslpp/replayable.hpp>

#include <string>

int main() {
  sslpp::replayable early;
#ifdef SSLPP_COMPILE_FAIL
  std::string text = early;
#else
  std::string text = early.accept_replay_risk_text();
#endif
  return static_cast<int>(text.size());
}
