// A program's translation unit in the compiled mode that runs TLS over a byte stream of
// its own (so it instantiates stream<pipe_end> itself, from stream.hpp) and over memory
// BIOs: the engine's members, the wrap policy (detail::start_client/start_server/
// start_early_data) and detail::throw_failure must still come from the sslpp_compiled
// library, and the object must call no backend function itself
// (tests/compiled/check_engine_probe.cmake reads the symbols with nm).
#include <sslpp/sslpp.hpp>

#include <cstddef>
#include <span>
#include <string>
#include <system_error>

namespace {
struct pipe_end {
  std::string* in = nullptr;
  std::string* out = nullptr;
  std::size_t read_some(std::span<std::byte> b, std::error_code& ec) {
    if (in->empty()) {
      ec = std::make_error_code(std::errc::operation_would_block);
      return 0;
    }
    const std::size_t n = std::min(b.size(), in->size());
    for (std::size_t i = 0; i < n; ++i) b[i] = static_cast<std::byte>((*in)[i]);
    in->erase(0, n);
    return n;
  }
  std::size_t write_some(std::span<const std::byte> b, std::error_code&) {
    for (std::byte x : b) out->push_back(static_cast<char>(x));
    return b.size();
  }
};
}  // namespace

std::string engine_probe(const sslpp::client_context& ctx, const sslpp::server_context& sctx) {
  std::string to_server, to_client;
  auto client = ctx.wrap_socket(pipe_end{&to_client, &to_server}, "localhost",
                                sslpp::wrap_options{.do_handshake_on_connect = false});
  auto server = sctx.wrap_socket(pipe_end{&to_server, &to_client}, sslpp::wrap_options{.do_handshake_on_connect = false});
  std::error_code ec;
  client.do_handshake(ec);
  server.do_handshake(ec);
  client.do_handshake();
  client.sendall("ping");
  std::string got = server.read(4);
  std::byte buf[16];
  const std::size_t n = server.read(buf, ec);
  server.write(std::as_bytes(std::span(got.data(), got.size())), ec);

  sslpp::memory_bio in, out;
  auto object = ctx.wrap_bio(in, out, "example.org");
  object.do_handshake(ec);
  return got + std::to_string(n) + out.read();
}
