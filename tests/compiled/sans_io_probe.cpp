// A program's translation unit in the compiled mode that runs a sans-IO handshake through
// ssl_object and memory_bio and asks the connection what was negotiated: the members of
// ssl_object, memory_bio and detail::queries must come from the sslpp_compiled library
// (tests/compiled/check_members.cmake reads the symbols with nm).
#include <sslpp/sslpp.hpp>

#include <string>

std::string sans_io_probe(const sslpp::client_context& ctx) {
  sslpp::memory_bio in, out;
  auto tls = ctx.wrap_bio(in, out, "example.org");
  try {
    tls.do_handshake();
  } catch (const sslpp::want_read_error&) {
  }
  std::string hello = out.read();
  in.write(hello);
  in.write_eof();
  auto v = tls.version();
  return hello + (v ? "v" : "") + (tls.cipher() ? "c" : "") + std::to_string(tls.pending());
}
