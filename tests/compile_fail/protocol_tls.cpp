// Rule: protocol::tls is deprecated as in Python 3.10, naming tls_client and tls_server.
// expect: protocol::tls is deprecated as in Python 3.10: use protocol::tls_client or protocol::tls_server
// mode: warning
#include <sslpp/sslpp.hpp>

int main() {
#ifdef SSLPP_COMPILE_FAIL
  auto ctx = sslpp::context_for(sslpp::protocol::tls);
  (void)ctx;
#else
  auto ctx = sslpp::context_for(sslpp::protocol::tls_client);
  (void)ctx;
#endif
}
