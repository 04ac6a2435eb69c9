// A program's translation unit in the compiled mode that makes, configures and wraps with
// contexts of every side: the members of context<side::client/server/any>, their wraps of
// a tcp_socket and the functions that make a context must come from the sslpp_compiled
// library, not from this file (tests/compiled/check_context_probe.cmake reads its symbols
// with nm). The member templates instantiated with this file's own callables and ranges
// are the file's own, as any template's.
#include <sslpp/context.hpp>

#include <string>
#include <vector>

int context_probe() {
  sslpp::client_context client = sslpp::create_default_context();
  client.set_alpn_protocols({"h2", "http/1.1"});
  client.set_alpn_protocols(std::vector<std::string>{"h2"});
  client.set_check_hostname(true);
  sslpp::server_context server = sslpp::create_default_context(sslpp::purpose::client_auth);
  server.set_sni_callback([&](sslpp::sni_request& r) {
    if (r.server_name() == "other.example") r.use_context(server);
  });
  server.set_num_tickets(1);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"  // protocol::tls: the one way to a context<side::any>
  sslpp::context<sslpp::side::any> any = sslpp::context_for(sslpp::protocol::tls);
#pragma GCC diagnostic pop
  any.set_groups(std::vector<std::string>{"x25519"});
  auto listener = sslpp::tcp_listener::listen("127.0.0.1", 0);
  std::error_code ec;
  auto c = client.wrap_socket(sslpp::tcp_socket::connect("127.0.0.1", listener.port()), "localhost", ec);
  auto s = server.wrap_socket(listener.accept(), ec);
  auto a = any.wrap_socket(sslpp::tcp_socket(), sslpp::server_side, ec);
  return c || s || a || server.verify_mode() == sslpp::verify_mode::cert_none ? 1 : 0;
}
