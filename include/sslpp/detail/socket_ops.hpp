// sslpp — SPDX-License-Identifier: MIT
//
// detail/socket_ops.hpp: the POSIX calls behind tcp_socket and tcp_listener — name
// resolution (RFC 6761 localhost), the first socket that connects or binds, addresses as
// socket_address, poll()-based waits, the listener's wake-up state.
#pragma once

#include <sslpp/config.hpp>
#include <sslpp/detail/deadline.hpp>
#include <sslpp/detail/fd_wait.hpp>
#include <sslpp/detail/text.hpp>
#include <sslpp/socket.hpp>
#include <sslpp/socket_address.hpp>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <sslpp/detail/chrono.hpp>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>

SSLPP_BEGIN_NAMESPACE
namespace detail {

/// endpoint_text: "host:port", or "[v6]:port", for messages.
inline std::string endpoint_text(std::string_view host, std::uint16_t port) {
  const bool v6 = host.find(':') != std::string_view::npos;
  return (v6 ? "[" : "") + std::string(host) + (v6 ? "]:" : ":") + std::to_string(port);
}

/// is_localhost_name: "localhost" or a name under ".localhost" (RFC 6761 §6.3), in any case,
/// with or without one trailing dot.
inline bool is_localhost_name(std::string_view host) noexcept {
  if (!host.empty() && host.back() == '.') host.remove_suffix(1);
  constexpr std::string_view name = "localhost";
  if (host.size() < name.size()) return false;
  const std::string_view tail = host.substr(host.size() - name.size());
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = tail[i];
    if (detail::ascii_lower(c) != name[i]) return false;
  }
  return host.size() == name.size() || host[host.size() - name.size() - 1] == '.';
}

/// resolve: getaddrinfo for `host` (brackets around an IPv6 address removed). Localhost
/// names always mean the loopback addresses, as RFC 6761 asks of resolvers, so they work
/// even on a machine whose /etc/hosts does not list them.
inline int resolve(std::string_view host, std::uint16_t port, int flags, ::addrinfo** out) noexcept {
  std::string h(host);
  if (h.size() > 2 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
  ::addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = flags;
  const std::string service = std::to_string(port);
  if (is_localhost_name(h)) {
    hints.ai_flags &= ~AI_PASSIVE;  // a null node without AI_PASSIVE: the loopback addresses
    return ::getaddrinfo(nullptr, service.c_str(), &hints, out);
  }
  return ::getaddrinfo(h.empty() ? nullptr : h.c_str(), service.c_str(), &hints, out);
}

/// gai_category: getaddrinfo's EAI_* codes, with gai_strerror's words.
class gai_category_impl final : public std::error_category {
 public:
  const char* name() const noexcept override { return "getaddrinfo"; }
  std::string message(int value) const override { return ::gai_strerror(value); }
};
inline const std::error_category& gai_category() noexcept {
  static const gai_category_impl instance;
  return instance;
}

/// resolved: the result of getaddrinfo, freed once.
struct addrinfo_list {
  ::addrinfo* head = nullptr;
  addrinfo_list() = default;
  addrinfo_list(const addrinfo_list&) = delete;
  addrinfo_list& operator=(const addrinfo_list&) = delete;
  ~addrinfo_list() {
    if (head) ::freeaddrinfo(head);
  }
};

/// first_socket: resolves `host` and, address by address, makes a stream socket and hands
/// it to `use(fd, address)`, which returns 0 to keep it or the errno of its failure. The
/// first socket kept; an empty one with the failure in `ec` (the resolver's, or the last
/// address's) when none was.
template <class Use>
unique_fd first_socket(std::string_view host, std::uint16_t port, int flags, std::error_code& ec, Use&& use) noexcept {
  ec.clear();
  addrinfo_list list;
  if (const int rc = resolve(host, port, flags, &list.head); rc != 0) {
    ec = rc == EAI_SYSTEM ? std::error_code(errno, std::generic_category()) : std::error_code(rc, gai_category());
    return unique_fd();
  }
  for (::addrinfo* ai = list.head; ai; ai = ai->ai_next) {
    unique_fd fd(::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol));
    if (fd.get() < 0) {
      ec = std::error_code(errno, std::generic_category());
      continue;
    }
    if (const int err = use(fd.get(), *ai); err != 0) {
      ec = std::error_code(err, std::generic_category());
      continue;
    }
    ec.clear();
    return fd;
  }
  return unique_fd();
}

/// to_socket_address: a socket_address from what getpeername/getsockname/accept wrote
/// (numeric host, an IPv6 scope as "%name"). False, with `ec` set to
/// errc::address_family_not_supported, for anything but IPv4 and IPv6.
inline bool to_socket_address(const ::sockaddr_storage& ss, socklen_t len, socket_address& out,
                              std::error_code& ec) noexcept {
  if (ss.ss_family != AF_INET && ss.ss_family != AF_INET6) {
    ec = std::make_error_code(std::errc::address_family_not_supported);
    return false;
  }
  char host[NI_MAXHOST];
  if (const int rc = ::getnameinfo(reinterpret_cast<const ::sockaddr*>(&ss), len, host, sizeof host, nullptr, 0,
                                   NI_NUMERICHOST);
      rc != 0) {
    ec = rc == EAI_SYSTEM ? std::error_code(errno, std::generic_category()) : std::error_code(rc, gai_category());
    return false;
  }
  out.host = host;
  out.port = ntohs(ss.ss_family == AF_INET6 ? reinterpret_cast<const ::sockaddr_in6*>(&ss)->sin6_port
                                            : reinterpret_cast<const ::sockaddr_in*>(&ss)->sin_port);
  ec.clear();
  return true;
}

/// fd_address: getpeername (`peer`) or getsockname of `fd` as a socket_address; `ec` on failure
/// (bad_file_descriptor for a closed socket, not_connected, address_family_not_supported).
inline socket_address fd_address(int fd, bool peer, std::error_code& ec) noexcept {
  socket_address out;
  if (fd < 0) {
    ec = std::make_error_code(std::errc::bad_file_descriptor);
    return out;
  }
  ::sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  const int rc = peer ? ::getpeername(fd, reinterpret_cast<::sockaddr*>(&ss), &len)
                      : ::getsockname(fd, reinterpret_cast<::sockaddr*>(&ss), &len);
  if (rc != 0) {
    ec = std::error_code(errno, std::generic_category());
    return out;
  }
  to_socket_address(ss, len, out, ec);
  return out;
}

/// throw_address_error: the exception of a failed peer_address()/local_address().
[[noreturn]] inline void throw_address_error(std::error_code ec, bool peer) {
  const char* what = peer ? "peer_address (getpeername) failed" : "local_address (getsockname) failed";
  if (ec == std::errc::bad_file_descriptor) throw std::system_error(ec, std::string(what) + ": the socket is closed");
  if (ec == std::errc::address_family_not_supported)
    throw std::system_error(ec, std::string(what) + ": the socket is not an IPv4 or IPv6 socket");
  throw std::system_error(ec, what);
}

/// wait_fd: poll()s `fd` for `events` for at most `timeout` from now (zero: forever),
/// signals included. Returns 0, or the errno (ETIMEDOUT).
inline int wait_fd(int fd, short events, std::chrono::milliseconds timeout) noexcept {
  return wait_fd_until(fd, events, deadline(timeout));
}

/// listener_state: a listening descriptor and the self-pipe that close() writes to, so that
/// an accept waiting in another thread wakes up. The descriptors are closed by close() when
/// no accept runs, else by the last accept to return: never while another thread may still
/// use them (a descriptor number closed under a waiting thread could be reused by an
/// unrelated open()).
struct listener_state {
  unique_fd fd;
  unique_fd wake_read;
  unique_fd wake_write;
  std::mutex mutex;
  int accepting = 0;  // accepts in progress; guarded by mutex
  // close() was called; written under mutex, read without it by native_handle() so that a
  // closed listener reads as closed at once (its descriptor may stay open until a woken
  // accept returns, and is then closed by that accept's thread).
  std::atomic<bool> closed{false};

  void close_descriptors() noexcept {
    fd.reset();
    wake_read.reset();
    wake_write.reset();
  }
};

}  // namespace detail
SSLPP_END_NAMESPACE
