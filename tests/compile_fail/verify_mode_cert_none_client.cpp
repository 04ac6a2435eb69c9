// Rule: verify_mode::cert_none written as a constant on a client does not compile; disable_verification() is the explicit opt-out, and a variable is checked at run time.
// expect: verify_mode_cert_none_on_a_client_does_not_compile_call_disable_verification
// expect: write ctx.disable_verification()
#include <sslpp/sslpp.hpp>

int main() {
#ifdef SSLPP_COMPILE_FAIL
  auto ctx = sslpp::create_default_context();
  ctx.set_verify_mode(sslpp::verify_mode::cert_none);
#else
  auto ctx = sslpp::create_default_context();
  ctx.set_verify_mode(sslpp::verify_mode::cert_optional);
  ctx.disable_verification();
  sslpp::verify_mode from_config = sslpp::verify_mode::cert_none;
  ctx.set_verify_mode(from_config);  // a run-time value: checked at run time
  auto server = sslpp::create_default_context(sslpp::purpose::client_auth);
  server.set_verify_mode(sslpp::verify_mode::cert_none);  // a server need not ask clients for certificates
#endif
}
