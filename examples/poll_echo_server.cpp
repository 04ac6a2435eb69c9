// poll_echo_server: a TLS echo server that serves many clients at once on one thread, with
// non-blocking sockets and poll() — the pattern of any event loop (epoll, kqueue, libuv...).
//
//   example_poll_echo_server CERT KEY [PORT]     (PORT 0 or none: any free port)
//
// It prints "listening on 127.0.0.1:PORT" and runs until killed. Each operation on a
// non-blocking stream either completes or reports ssl_errc::want_read / want_write: the
// connection then waits in poll() for that, and the same operation is called again — a
// write again with the same bytes, as TLS has committed to them.
#include <sslpp/sslpp.hpp>

#include <fcntl.h>
#include <poll.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

namespace {

struct connection {
  sslpp::stream<sslpp::tcp_socket> tls;
  std::string out;          // received and not yet echoed (its front is being written)
  bool handshaken = false;
  bool closing = false;     // the client ended: send close_notify once `out` is flushed
  short wants = POLLIN;     // what the last operation waits for
};

// Maps a would-block result to the poll event it waits for; false for a real error.
bool waits(const std::error_code& ec, connection& c) {
  if (ec == sslpp::ssl_errc::want_read) c.wants = POLLIN;
  else if (ec == sslpp::ssl_errc::want_write) c.wants = POLLOUT;
  else return false;
  return true;
}

// step: advances one connection as far as it goes without blocking; false when it is over.
bool step(connection& c) {
  std::error_code ec;
  if (!c.handshaken) {
    c.tls.do_handshake(ec);
    if (ec) return waits(ec, c);
    c.handshaken = true;
  }
  for (;;) {
    while (!c.out.empty()) {
      const std::size_t n = c.tls.write(std::as_bytes(std::span(c.out.data(), c.out.size())), ec);
      if (ec) return waits(ec, c);
      c.out.erase(0, n);
    }
    if (c.closing) {
      c.tls.shutdown(ec);  // best effort: the connection closes either way
      return false;
    }
    char buf[16384];
    const std::size_t n = c.tls.read(std::as_writable_bytes(std::span(buf)), ec);
    if (ec) return waits(ec, c);
    if (n == 0) c.closing = true;  // the client's close_notify (or a bare close)
    else c.out.append(buf, n);
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s CERT KEY [PORT]\n", argv[0]);
    return 2;
  }
  try {
    auto ctx = sslpp::create_default_context(sslpp::purpose::client_auth);
    ctx.load_cert_chain(argv[1], argv[2]);
    auto listener = sslpp::tcp_listener::listen("127.0.0.1", static_cast<std::uint16_t>(argc > 3 ? std::atoi(argv[3]) : 0));
    ::fcntl(listener.native_handle(), F_SETFL, ::fcntl(listener.native_handle(), F_GETFL, 0) | O_NONBLOCK);
    std::printf("listening on 127.0.0.1:%u\n", listener.port());
    std::fflush(stdout);

    std::map<int, connection> connections;  // by descriptor
    std::vector<pollfd> fds;
    for (;;) {
      fds.assign(1, pollfd{listener.native_handle(), POLLIN, 0});
      for (auto& [fd, c] : connections) fds.push_back(pollfd{fd, c.wants, 0});
      if (::poll(fds.data(), fds.size(), -1) < 0) continue;  // EINTR
      if (fds[0].revents & POLLIN) {
        for (;;) {  // accept everything that is waiting
          std::error_code ec;
          sslpp::tcp_socket sock = listener.accept({}, ec);
          if (ec) break;
          sock.set_blocking(false);
          const int fd = sock.native_handle();
          // do_handshake_on_connect must be off on a non-blocking socket (Python's rule too).
          connections.emplace(fd, connection{ctx.wrap_socket(std::move(sock), {.do_handshake_on_connect = false})});
        }
      }
      for (std::size_t i = 1; i < fds.size(); ++i) {
        if (fds[i].revents == 0) continue;
        auto it = connections.find(fds[i].fd);
        if (!step(it->second)) connections.erase(it);
      }
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "poll_echo_server: %s\n", e.what());
    return 1;
  }
}
