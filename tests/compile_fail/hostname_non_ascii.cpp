// Rule: a host name literal that is not ASCII does not compile.
// expect: hostname_literal_is_not_ascii_use_the_idna_a_label_form_xn__
// expect: xn-- form
#include <sslpp/hostname.hpp>

int main() {
#ifdef SSLPP_COMPILE_FAIL
  sslpp::hostname h = "bücher.example";
  (void)h;
#else
  sslpp::hostname h = "xn--bcher-kva.example";
  (void)h;
#endif
}
