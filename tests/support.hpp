// support.hpp: shared helpers of sslpp's tests — the test PKI, a server on a thread,
// and external peers (openssl, python3, ...) run as child processes.
#pragma once

#include <sslpp/sslpp.hpp>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

extern char** environ;

namespace test {

/// pki: the path of a file of the test PKI made by tests/pki/make_pki.sh.
inline std::string pki(const std::string& name) {
  const char* dir = std::getenv("SSLPP_TEST_PKI");
  return std::string(dir ? dir : SSLPP_TEST_PKI) + "/" + name;
}

/// read_text: a whole file.
inline std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

/// server_context_with: a server context presenting `fullchain` / `key` from the PKI.
inline sslpp::server_context server_context_with(const std::string& fullchain = "fullchain-ecdsa.pem",
                                                 const std::string& key = "leaf-ecdsa.key") {
  auto ctx = sslpp::context_for(sslpp::protocol::tls_server);
  ctx.load_cert_chain(pki(fullchain), pki(key));
  return ctx;
}

/// client_context_trusting_root: create_default_context trusting the test root only.
inline sslpp::client_context client_context_trusting_root() {
  return sslpp::create_default_context(sslpp::purpose::server_auth, sslpp::trust{.cafile = pki("ca.pem")});
}

/// server_thread: accepts one connection on a loopback port and runs `serve` on it in a
/// thread; an exception in `serve` is kept and rethrown by join().
class server_thread {
 public:
  explicit server_thread(std::function<void(sslpp::tcp_socket)> serve, int connections = 1)
      : listener_(sslpp::tcp_listener::listen("127.0.0.1", 0)), port_(listener_.port()) {
    thread_ = std::thread([this, serve = std::move(serve), connections] {
      try {
        for (int i = 0; i < connections; ++i) serve(listener_.accept(std::chrono::seconds(20)));
      } catch (...) {
        error_ = std::current_exception();
      }
    });
  }
  ~server_thread() {
    if (thread_.joinable()) thread_.join();
  }
  std::uint16_t port() const { return port_; }
  /// join: waits for the server and rethrows what it threw.
  void join() {
    thread_.join();
    if (error_) std::rethrow_exception(error_);
  }
  /// error: what the server threw (after join_quietly), or null.
  std::exception_ptr join_quietly() {
    thread_.join();
    return error_;
  }

 private:
  sslpp::tcp_listener listener_;
  std::uint16_t port_;
  std::thread thread_;
  std::exception_ptr error_;
};

/// free_port: a loopback port that was free a moment ago (another test may take it before it
/// is used: a peer server is started with serve_on_free_port, a refused port is a closed_port).
inline std::uint16_t free_port() { return sslpp::tcp_listener::listen("127.0.0.1", 0).port(); }

/// closed_port: a loopback port that refuses connections for as long as this object lives: a
/// socket bound to it without listening, so no other test's server can take it meanwhile.
class closed_port {
 public:
  closed_port() : fd_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len) != 0)
      throw std::runtime_error("closed_port: cannot bind a loopback port");
    port_ = ntohs(a.sin_port);
  }
  closed_port(const closed_port&) = delete;
  closed_port& operator=(const closed_port&) = delete;
  ~closed_port() { ::close(fd_); }
  /// port: the port; a connection to 127.0.0.1 there is refused.
  std::uint16_t port() const noexcept { return port_; }

 private:
  int fd_;
  std::uint16_t port_ = 0;
};

/// listening_socket_inodes: the inodes of the TCP sockets (IPv4 and IPv6) that listen on
/// `port`, from /proc/net/tcp and /proc/net/tcp6.
inline std::vector<std::string> listening_socket_inodes(std::uint16_t port) {
  std::vector<std::string> inodes;
  char hex_port[8];
  std::snprintf(hex_port, sizeof hex_port, ":%04X", static_cast<unsigned>(port));
  for (const char* table : {"/proc/net/tcp", "/proc/net/tcp6"}) {
    std::ifstream in(table);
    std::string line;
    std::getline(in, line);  // the column titles
    while (std::getline(in, line)) {
      std::istringstream fields(line);
      std::string slot, local, remote, state, queues, timer, retransmits, uid, timeout, inode;
      fields >> slot >> local >> remote >> state >> queues >> timer >> retransmits >> uid >> timeout >> inode;
      const bool listen_state = state == "0A";
      if (listen_state && local.size() > 5 && local.ends_with(hex_port)) inodes.push_back(inode);
    }
  }
  return inodes;
}

/// child: an external program run with its stdin from a pipe and its output in a file;
/// killed (SIGTERM) when destroyed.
class child {
 public:
  explicit child(std::vector<std::string> argv) {
    static int counter = 0;
    for (const auto& a : argv) name_ += (name_.empty() ? "" : " ") + a;
    if (name_.size() > 100) name_ = name_.substr(0, 100) + "...";
    for (std::size_t i = 0; (i = name_.find('\n', i)) != std::string::npos;) name_.replace(i, 1, "\\n");
    output_path_ = "/tmp/sslpp-test-child-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + ".log";
    int in[2];
    if (::pipe(in) != 0) throw std::runtime_error("pipe failed");
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, in[0], 0);
    posix_spawn_file_actions_addclose(&fa, in[1]);
    posix_spawn_file_actions_addopen(&fa, 1, output_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    std::vector<char*> args;
    for (auto& a : argv) args.push_back(a.data());
    args.push_back(nullptr);
    const int rc = ::posix_spawnp(&pid_, args[0], &fa, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    ::close(in[0]);
    stdin_ = in[1];
    if (rc != 0) throw std::runtime_error("cannot run " + argv[0]);
  }
  child(const child&) = delete;
  child& operator=(const child&) = delete;
  child(child&& other) noexcept
      : pid_(std::exchange(other.pid_, -1)),
        stdin_(std::exchange(other.stdin_, -1)),
        exited_(other.exited_),
        status_(other.status_),
        name_(std::move(other.name_)),
        output_path_(std::exchange(other.output_path_, std::string())) {}
  child& operator=(child&&) = delete;
  ~child() {
    if (stdin_ >= 0) ::close(stdin_);
    if (pid_ > 0 && !exited_) {
      ::kill(pid_, SIGTERM);
      int st;
      ::waitpid(pid_, &st, 0);
    }
    if (!output_path_.empty()) std::remove(output_path_.c_str());
  }
  /// write_stdin: sends text to the child's stdin.
  void write_stdin(const std::string& text) {
    std::size_t off = 0;
    while (off < text.size()) {
      const ssize_t n = ::write(stdin_, text.data() + off, text.size() - off);
      if (n <= 0) throw std::runtime_error("write to child failed");
      off += static_cast<std::size_t>(n);
    }
  }
  /// close_stdin: ends the child's input.
  void close_stdin() {
    if (stdin_ >= 0) ::close(stdin_);
    stdin_ = -1;
  }
  /// output: what the child printed so far (stdout and stderr).
  std::string output() const { return read_text(output_path_); }
  /// pid: the child's process id (for /proc/PID/status and /proc/PID/fd).
  pid_t pid() const { return pid_; }
  /// wait: the exit status after the child ends (waits at most `limit`, then kills it; -1 then).
  int wait(std::chrono::milliseconds limit = std::chrono::seconds(20)) {
    const auto end = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < end) {
      if (exited()) return status_;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return -1;
  }
  /// exited: whether the child has ended (its status is then what wait() returns); does not block.
  bool exited() {
    int st = 0;
    if (!exited_ && ::waitpid(pid_, &st, WNOHANG) == pid_) {
      exited_ = true;
      status_ = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    }
    return exited_;
  }
  /// listens_on: whether this process itself (not another one) has a socket listening on
  /// TCP `port`: one of the port's listening sockets is among its descriptors.
  bool listens_on(std::uint16_t port) const {
    const std::vector<std::string> inodes = listening_socket_inodes(port);
    if (inodes.empty()) return false;
    std::error_code ec;
    for (const auto& fd : std::filesystem::directory_iterator("/proc/" + std::to_string(pid_) + "/fd", ec)) {
      const std::string target = std::filesystem::read_symlink(fd.path(), ec).string();
      for (const auto& inode : inodes)
        if (target == "socket:[" + inode + "]") return true;
    }
    return false;
  }
  /// wait_for_output: waits until the output contains `text` (true) or `limit` passes (false).
  bool wait_for_output(const std::string& text, std::chrono::milliseconds limit = std::chrono::seconds(15)) const {
    const auto end = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < end) {
      if (output().find(text) != std::string::npos) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }
  /// wait_for_line: the first whole line of output (ended by '\n', returned without it) that
  /// contains `text`. A peer may write a line in pieces ("PORT", " ", "4433", "\n" with
  /// PYTHONUNBUFFERED=1), so a line counts only once its newline is there. Throws
  /// std::runtime_error quoting the output so far if the child ends first or `limit` passes.
  std::string wait_for_line(const std::string& text, std::chrono::milliseconds limit = std::chrono::seconds(15)) {
    const auto end = std::chrono::steady_clock::now() + limit;
    for (;;) {
      const bool gone = exited();  // before reading, so that the last read sees all it wrote
      const std::string out = output();
      for (std::size_t pos = 0, nl; (nl = out.find('\n', pos)) != std::string::npos; pos = nl + 1) {
        std::string line = out.substr(pos, nl - pos);
        if (line.find(text) != std::string::npos) return line;
      }
      if (gone)
        throw std::runtime_error("the peer " + describe() + " ended (status " + std::to_string(status_) +
                                 ") without a whole line containing \"" + text + "\"; its output: " + quoted(out));
      if (std::chrono::steady_clock::now() >= end)
        throw std::runtime_error("the peer " + describe() + " printed no whole line containing \"" + text +
                                 "\" within " + std::to_string(limit.count()) + " ms; its output so far: " + quoted(out));
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  /// wait_for_port_line: the port a peer announces, e.g. 4433 from the line "PORT 4433" (prefix
  /// "PORT ") or "listening on 127.0.0.1:4433" (prefix "listening on 127.0.0.1:"): the digits
  /// right after `prefix` in the first whole line containing it, up to the end of the line.
  std::uint16_t wait_for_port_line(const std::string& prefix = "PORT ",
                                   std::chrono::milliseconds limit = std::chrono::seconds(15)) {
    const std::string line = wait_for_line(prefix, limit);
    std::size_t i = line.find(prefix) + prefix.size();
    unsigned long port = 0;
    std::size_t digits = 0;
    for (; i < line.size() && line[i] >= '0' && line[i] <= '9' && digits < 6; ++i, ++digits)
      port = port * 10 + static_cast<unsigned long>(line[i] - '0');
    const bool rest_blank = line.find_first_not_of(" \t\r", i) == std::string::npos;
    if (digits == 0 || !rest_blank || port == 0 || port > 65535)
      throw std::runtime_error("the peer " + describe() + " announced no port after \"" + prefix + "\" in the line " +
                               quoted(line));
    return static_cast<std::uint16_t>(port);
  }

 private:
  std::string describe() const { return "'" + name_ + "' (pid " + std::to_string(pid_) + ")"; }
  static std::string quoted(const std::string& s) {
    constexpr std::size_t keep = 2000;
    std::string out = s.size() > keep ? "..." + s.substr(s.size() - keep) : s;
    return "\"" + out + "\"";
  }

  pid_t pid_ = -1;
  int stdin_ = -1;
  bool exited_ = false;
  int status_ = -1;
  std::string name_;  // the command line (shortened), for messages
  std::string output_path_;
};

/// serve_on_free_port: runs the peer server `argv(port)` describes (openssl s_server,
/// bssl-tool server, gnutls-serv, ...) on a free port, sets `port`, and returns it once that
/// process itself listens there. The port was free when picked, but another test's server may
/// bind it first: the peer then cannot bind, exits, and is started again on another port
/// (waiting for the port alone would meet the other server). Throws std::runtime_error with
/// the peer's output if it never listens.
inline child serve_on_free_port(const std::function<std::vector<std::string>(std::uint16_t)>& argv,
                                std::uint16_t& port, std::chrono::milliseconds limit = std::chrono::seconds(15)) {
  std::string last_output;
  for (int attempt = 0; attempt < 5; ++attempt) {
    port = free_port();
    child server(argv(port));
    const auto end = std::chrono::steady_clock::now() + limit;
    while (!server.exited() && std::chrono::steady_clock::now() < end) {
      if (server.listens_on(port)) return server;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    last_output = server.output();
    if (!server.exited())
      throw std::runtime_error("the peer server " + argv(port).front() + " did not listen on port " +
                               std::to_string(port) + " within " + std::to_string(limit.count()) +
                               " ms; its output: " + last_output);
  }
  throw std::runtime_error("the peer server " + argv(port).front() + " exited before listening, five times (" +
                           "each on a new free port); its last output: " + last_output);
}

/// python: the python3 interpreter.
inline std::string python() { return "python3"; }

}  // namespace test
