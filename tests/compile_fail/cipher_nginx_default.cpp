// Rule: nginx's default cipher string as a literal does not compile, and the error names the
// OpenSSL-only token (aNULL); the same string read at run time is taken, as OpenSSL takes it.
// expect-first: cipher_literal_names_aNULL_which_this_backend_does_not_have
// expect: BoringSSL has no anonymous suites, so "!aNULL" excludes nothing
#include <sslpp/sslpp.hpp>

#include <string>

int main() {
  auto ctx = sslpp::create_default_context();
#ifdef SSLPP_COMPILE_FAIL
  ctx.set_ciphers("HIGH:!aNULL:!MD5");
#else
  ctx.set_ciphers("HIGH");
  const std::string from_nginx_conf = "HIGH:!aNULL:!MD5";
  ctx.set_ciphers(from_nginx_conf);
#endif
}
