// The interop matrix: an sslpp client against each peer's server, and each peer's client
// against an sslpp server — openssl s_server/s_client, python3 ssl, bssl-tool
// server/client, gnutls-serv/gnutls-cli and curl — in every cell of: TLS 1.2 and 1.3,
// ECDSA and RSA certificates, client certificates, ALPN and resumption.
//
// One TEST_CASE per row (peer and direction). Each prints its row; every cell must pass
// unless the peer program itself cannot do what the cell asks ("n/a", with the reason).
// Rows are also written to <build>/interop-matrix/<row>.txt (Markdown table rows, as in
// the README's Reliability section).
#include "support.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <iostream>
#include <fstream>
#include <mutex>

namespace {

using sslpp::tls_version;

struct cell {
  std::string title;
  tls_version version;
  std::string key;  // "ecdsa" or "rsa": the server's certificate
  bool client_cert = false;
  bool alpn = false;
  bool resume = false;
};

const std::vector<cell> cells = {
    {"1.2 ECDSA", tls_version::tlsv1_2, "ecdsa"},
    {"1.2 RSA", tls_version::tlsv1_2, "rsa"},
    {"1.3 ECDSA", tls_version::tlsv1_3, "ecdsa"},
    {"1.3 RSA", tls_version::tlsv1_3, "rsa"},
    {"client cert 1.2", tls_version::tlsv1_2, "ecdsa", true},
    {"client cert 1.3", tls_version::tlsv1_3, "ecdsa", true},
    {"ALPN", tls_version::tlsv1_3, "ecdsa", false, true},
    {"resume 1.2", tls_version::tlsv1_2, "ecdsa", false, false, true},
    {"resume 1.3", tls_version::tlsv1_3, "ecdsa", false, false, true},
};

// A cell's outcome: "pass", "n/a: why" (the peer program cannot), or "FAIL: why".
using outcome = std::string;
const outcome pass = "pass";

std::string p12(tls_version v) { return v == tls_version::tlsv1_2 ? "1.2" : "1.3"; }

// Prints a row and saves it for the README; checks that no cell failed.
void report(const std::string& row, const std::vector<outcome>& results) {
  std::ostringstream line;
  line << "| " << row << " |";
  int passed = 0, na = 0;
  for (std::size_t i = 0; i < results.size(); ++i) {
    const auto& r = results[i];
    line << " " << (r == pass ? "pass" : r.rfind("n/a", 0) == 0 ? "n/a" : "**FAIL**") << " |";
    if (r == pass) ++passed;
    else if (r.rfind("n/a", 0) == 0) ++na;
  }
  std::ostringstream notes;
  for (std::size_t i = 0; i < results.size(); ++i)
    if (results[i] != pass) notes << "  " << cells[i].title << ": " << results[i] << "\n";
  std::ostringstream header;
  header << "| peer |";
  for (const auto& c : cells) header << " " << c.title << " |";
  std::cout << header.str() << "\n" << line.str() << "\n" << notes.str() << "  " << passed << " passed, " << na
            << " n/a, " << (results.size() - passed - na) << " failed\n";
  const std::filesystem::path dir = std::filesystem::path(SSLPP_BINARY_DIR) / "interop-matrix";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / (row + ".txt")) << line.str() << "\n" << notes.str();
  for (std::size_t i = 0; i < results.size(); ++i) {
    INFO(row << " / " << cells[i].title << ": " << results[i]);
    CHECK((results[i] == pass || results[i].rfind("n/a", 0) == 0));
  }
}

// Runs a cell, turning an exception into a failure.
template <class F>
outcome attempt(F&& f) {
  try {
    return f();
  } catch (const std::exception& e) {
    return std::string("FAIL: ") + e.what();
  }
}

// ------------------------------------------------------------ sslpp client against a peer server

sslpp::client_context client_for(const cell& c) {
  auto ctx = test::client_context_trusting_root();
  ctx.set_minimum_version(c.version);
  ctx.set_maximum_version(c.version);
  if (c.client_cert) ctx.load_cert_chain(test::pki("client.pem"), test::pki("client.key"));
  if (c.alpn) ctx.set_alpn_protocols({"h2", "http/1.1"});
  return ctx;
}

// Connects, checks the version (and ALPN), sends an HTTP request, and returns the stream's
// session after the answer came (a TLS 1.3 ticket arrives with the first data read).
sslpp::session one_connection(const cell& c, const sslpp::client_context& ctx, std::uint16_t port,
                              const sslpp::session& resume, bool& reused) {
  auto sock = sslpp::tcp_socket::connect("127.0.0.1", port, std::chrono::seconds(10));
  auto tls = ctx.wrap_socket(std::move(sock), "localhost", {.session = resume});
  if (tls.version() != c.version) throw std::runtime_error("negotiated another version");
  if (c.alpn && tls.selected_alpn_protocol() != std::optional<std::string>("http/1.1"))
    throw std::runtime_error("ALPN did not select http/1.1: " + tls.selected_alpn_protocol().value_or("(none)"));
  tls.sendall("GET / HTTP/1.0\r\n\r\n");
  std::string got;
  for (int i = 0; i < 50 && got.find("HTTP/") == std::string::npos; ++i) {
    const std::string part = tls.read(4096);
    if (part.empty()) break;
    got += part;
  }
  if (got.find("HTTP/") == std::string::npos) throw std::runtime_error("no answer: '" + got.substr(0, 80) + "'");
  reused = tls.session_reused();
  auto s = tls.session();
  std::error_code ec;
  tls.shutdown(ec);
  return s;
}

outcome run_client(const cell& c, std::uint16_t port) {
  auto ctx = client_for(c);
  bool reused = false;
  const auto s = one_connection(c, ctx, port, {}, reused);
  if (!c.resume) return pass;
  if (!s) return "FAIL: no session to resume";
  one_connection(c, ctx, port, s, reused);
  return reused ? pass : "FAIL: the session was not resumed";
}

// The python3 ssl server: answers every connection with an HTTP response (forever). Given
// port 0, it binds a port of its own and prints it ("PORT n").
const char* python_server = R"(
import socket, ssl, sys
port, version, key, client_cert, alpn = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4] == '1', sys.argv[5] == '1'
pki = sys.argv[6]
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
v = ssl.TLSVersion.TLSv1_2 if version == '1.2' else ssl.TLSVersion.TLSv1_3
ctx.minimum_version = ctx.maximum_version = v
ctx.load_cert_chain(f'{pki}/fullchain-{key}.pem', f'{pki}/leaf-{key}.key')
if client_cert:
    ctx.verify_mode = ssl.CERT_REQUIRED
    ctx.load_verify_locations(f'{pki}/client-ca.pem')
if alpn:
    ctx.set_alpn_protocols(['http/1.1'])
srv = socket.create_server(('127.0.0.1', port))
print('PORT', srv.getsockname()[1], flush=True)
while True:
    raw, _ = srv.accept()
    try:
        with ctx.wrap_socket(raw, server_side=True) as s:
            s.recv(1024)
            s.sendall(b'HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok')
    except Exception as e:
        print('error', e, flush=True)
)";

std::vector<std::string> server_command(const std::string& peer, const cell& c, std::uint16_t port) {
  const std::string chain = test::pki("fullchain-" + c.key + ".pem"), leaf = test::pki("leaf-" + c.key + ".pem"),
                    key = test::pki("leaf-" + c.key + ".key"), p = std::to_string(port);
  if (peer == "openssl") {
    std::vector<std::string> a = {"openssl", "s_server", "-accept", p, "-cert", leaf, "-cert_chain",
                                  test::pki("intermediate.pem"), "-key", key, "-www",
                                  c.version == tls_version::tlsv1_2 ? "-tls1_2" : "-tls1_3"};
    if (c.client_cert) a.insert(a.end(), {"-Verify", "1", "-verify_return_error", "-CAfile", test::pki("client-ca.pem")});
    if (c.alpn) a.insert(a.end(), {"-alpn", "http/1.1"});
    return a;
  }
  if (peer == "python3") {
    const auto dir = test::pki("");
    return {test::python(), "-c", python_server, p, p12(c.version), c.key, c.client_cert ? "1" : "0",
            c.alpn ? "1" : "0", dir.substr(0, dir.size() - 1)};
  }
  if (peer == "bssl-tool") {
    const std::string v = c.version == tls_version::tlsv1_2 ? "tls1.2" : "tls1.3";
    std::vector<std::string> a = {"bssl-tool", "server", "-accept", p, "-cert", chain, "-key", key, "-www", "-loop",
                                  "-min-version", v, "-max-version", v};
    if (c.client_cert) a.push_back("-require-any-client-cert");
    return a;
  }
  // gnutls-serv answers HTTP requests by default.
  std::vector<std::string> a = {"gnutls-serv", "-p", p, "--x509certfile", chain, "--x509keyfile", key, "--priority",
                                std::string("NORMAL:-VERS-ALL:+VERS-TLS") + p12(c.version)};
  if (c.client_cert)
    a.insert(a.end(), {"--require-client-cert", "--verify-client-cert", "--x509cafile", test::pki("client-ca.pem")});
  if (c.alpn) a.insert(a.end(), {"--alpn", "http/1.1"});
  return a;
}

outcome client_against(const std::string& peer, const cell& c) {
  if (peer == "bssl-tool" && c.alpn) return "n/a: bssl-tool server has no ALPN option";
  // The python3 server binds a port of its own and says which. The other servers cannot say:
  // they get a free port, and count as started once they themselves listen on it (another
  // test's server may have taken it first; the client would then meet that one instead).
  std::uint16_t port = 0;
  test::child server =
      peer == "python3"
          ? test::child(server_command(peer, c, 0))
          : test::serve_on_free_port([&](std::uint16_t p) { return server_command(peer, c, p); }, port);
  if (peer == "python3") port = server.wait_for_port_line("PORT ");
  outcome o = attempt([&] { return run_client(c, port); });
  if (o != pass) o += " | server said: " + server.output().substr(0, 300);
  return o;
}

void client_row(const std::string& peer, const std::string& shown) {
  std::vector<outcome> results;
  for (const auto& c : cells) results.push_back(client_against(peer, c));
  report("sslpp client - " + shown, results);
}

// ------------------------------------------------------------ a peer client against an sslpp server

struct facts {
  std::optional<tls_version> version;
  bool peer_cert = false;
  std::optional<std::string> alpn;
  bool reused = false;
  std::string error;
};

// An sslpp server on a thread: answers each connection with an HTTP response and records
// what it saw; stops when destroyed.
class sslpp_server {
 public:
  explicit sslpp_server(const cell& c) : listener_(sslpp::tcp_listener::listen("127.0.0.1", 0)) {
    ctx_.load_cert_chain(test::pki("fullchain-" + c.key + ".pem"), test::pki("leaf-" + c.key + ".key"));
    ctx_.set_minimum_version(c.version);
    ctx_.set_maximum_version(c.version);
    if (c.client_cert) {
      ctx_.set_verify_mode(sslpp::verify_mode::cert_required);
      ctx_.load_verify_locations(test::pki("client-ca.pem"));
    }
    if (c.alpn) ctx_.set_alpn_protocols({"http/1.1"});
    thread_ = std::thread([this] { run(); });
  }
  ~sslpp_server() {
    stop_ = true;
    thread_.join();
  }
  std::uint16_t port() const { return listener_.port(); }
  // What the server saw, once every connection it accepted is finished: a client may exit
  // (having read the answer and the close_notify) before the server thread has recorded
  // that connection.
  std::vector<facts> seen() {
    std::unique_lock lock(mutex_);
    recorded_.wait_for(lock, std::chrono::seconds(30), [this] { return seen_.size() == accepted_; });
    return seen_;
  }

 private:
  void run() {
    while (!stop_) {
      std::error_code ec;
      auto sock = listener_.accept(std::chrono::milliseconds(100), ec);
      if (ec) continue;
      {
        std::lock_guard lock(mutex_);
        ++accepted_;
      }
      facts f;
      try {
        sock.set_timeout(std::chrono::seconds(10));
        auto tls = ctx_.wrap_socket(std::move(sock));
        f.version = tls.version();
        f.peer_cert = tls.getpeercert().has_value();
        f.alpn = tls.selected_alpn_protocol();
        f.reused = tls.session_reused();
        std::string request;
        for (int i = 0; i < 20 && request.find("\r\n\r\n") == std::string::npos; ++i) {
          const std::string part = tls.read(4096);
          if (part.empty()) break;
          request += part;
        }
        tls.sendall("HTTP/1.0 200 OK\r\nContent-Length: 11\r\nConnection: close\r\n\r\nhello sslpp");
        tls.shutdown(ec);
      } catch (const std::exception& e) {
        f.error = e.what();
      }
      std::lock_guard lock(mutex_);
      seen_.push_back(f);
      recorded_.notify_all();
    }
  }

  sslpp::server_context ctx_ = sslpp::context_for(sslpp::protocol::tls_server);
  sslpp::tcp_listener listener_;
  std::atomic<bool> stop_{false};
  std::mutex mutex_;
  std::condition_variable recorded_;
  std::size_t accepted_ = 0;
  std::vector<facts> seen_;
  std::thread thread_;
};

const char* python_client = R"(
import socket, ssl, sys
port, version, client_cert, alpn, resume, pki = int(sys.argv[1]), sys.argv[2], sys.argv[3] == '1', sys.argv[4] == '1', sys.argv[5] == '1', sys.argv[6]
ctx = ssl.create_default_context(cafile=f'{pki}/ca.pem')
v = ssl.TLSVersion.TLSv1_2 if version == '1.2' else ssl.TLSVersion.TLSv1_3
ctx.minimum_version = ctx.maximum_version = v
if client_cert:
    ctx.load_cert_chain(f'{pki}/client.pem', f'{pki}/client.key')
if alpn:
    ctx.set_alpn_protocols(['h2', 'http/1.1'])
session = None
for i in range(2 if resume else 1):
    with socket.create_connection(('127.0.0.1', port), timeout=10) as raw:
        with ctx.wrap_socket(raw, server_hostname='localhost', session=session) as s:
            s.sendall(b'GET / HTTP/1.0\r\n\r\n')
            body = b''
            while True:
                d = s.recv(4096)
                if not d: break
                body += d
            print(s.version(), s.selected_alpn_protocol(), 'reused' if s.session_reused else 'new', body.decode().split('\r\n')[-1], flush=True)
            session = s.session
)";

// The peer client's command for a cell; `resume` cells run it twice with a session file
// where the program needs that (openssl), or once with its own resumption switch.
std::vector<std::vector<std::string>> client_commands(const std::string& peer, const cell& c, std::uint16_t port,
                                                      const std::string& session_file) {
  const std::string p = std::to_string(port), v = p12(c.version);
  if (peer == "openssl") {
    std::vector<std::string> a = {"openssl", "s_client", "-connect", "127.0.0.1:" + p, "-servername", "localhost",
                                  "-verify_hostname", "localhost", "-CAfile", test::pki("ca.pem"),
                                  "-verify_return_error", "-ign_eof", c.version == tls_version::tlsv1_2 ? "-tls1_2" : "-tls1_3"};
    if (c.client_cert) a.insert(a.end(), {"-cert", test::pki("client.pem"), "-key", test::pki("client.key")});
    if (c.alpn) a.insert(a.end(), {"-alpn", "h2,http/1.1"});
    if (!c.resume) return {a};
    auto first = a, second = a;
    first.insert(first.end(), {"-sess_out", session_file});
    second.insert(second.end(), {"-sess_in", session_file});
    return {first, second};
  }
  if (peer == "python3") {
    const auto dir = test::pki("");
    return {{test::python(), "-c", python_client, p, v, c.client_cert ? "1" : "0", c.alpn ? "1" : "0",
             c.resume ? "1" : "0", dir.substr(0, dir.size() - 1)}};
  }
  if (peer == "bssl-tool") {
    const std::string bv = c.version == tls_version::tlsv1_2 ? "tls1.2" : "tls1.3";
    std::vector<std::string> a = {"bssl-tool", "client", "-connect", "127.0.0.1:" + p, "-server-name", "localhost",
                                  "-root-certs", test::pki("ca.pem"), "-min-version", bv, "-max-version", bv};
    if (c.client_cert) a.insert(a.end(), {"-cert", test::pki("client.pem"), "-key", test::pki("client.key")});
    if (c.alpn) a.insert(a.end(), {"-alpn-protos", "h2,http/1.1"});
    if (c.resume) a.push_back("-test-resumption");
    return {a};
  }
  if (peer == "gnutls-cli") {
    std::vector<std::string> a = {"gnutls-cli", "-p", p, "--x509cafile", test::pki("ca.pem"), "--priority",
                                  "NORMAL:-VERS-ALL:+VERS-TLS" + v};
    if (c.client_cert) a.insert(a.end(), {"--x509certfile", test::pki("client.pem"), "--x509keyfile", test::pki("client.key")});
    if (c.alpn) a.insert(a.end(), {"--alpn", "h2", "--alpn", "http/1.1"});
    if (c.resume) a.push_back("--resume");
    // Connect by address, name the server explicitly: works without an /etc/hosts entry.
    a.insert(a.end(), {"--sni-hostname", "localhost", "--verify-hostname", "localhost", "127.0.0.1"});
    return {a};
  }
  // curl: two URLs in one command share its session cache; "Connection: close" forces a
  // second connection, which offers the session.
  const std::string url = "https://localhost:" + p + "/";
  std::vector<std::string> a = {"curl", "-sS", "--max-time", "10", "--cacert", test::pki("ca.pem"),
                                "--tlsv" + v, "--tls-max", v, "--resolve", "localhost:" + p + ":127.0.0.1"};
  if (c.client_cert) a.insert(a.end(), {"--cert", test::pki("client.pem"), "--key", test::pki("client.key")});
  if (c.alpn) a.push_back("--http1.1");  // offers http/1.1 by ALPN
  a.push_back(url);
  if (c.resume) a.push_back(url);
  return {a};
}

outcome server_against(const std::string& peer, const cell& c) {
  sslpp_server server(c);
  const std::string session_file =
      (std::filesystem::temp_directory_path() / ("sslpp-interop-" + std::to_string(::getpid()) + ".sess")).string();
  std::string output;
  for (const auto& argv : client_commands(peer, c, server.port(), session_file)) {
    test::child client(argv);
    client.write_stdin("GET / HTTP/1.0\r\n\r\n");
    if (peer != "gnutls-cli" && peer != "bssl-tool") client.close_stdin();
    // gnutls-cli and bssl-tool close as soon as stdin ends: end it once the answer came.
    if (peer == "gnutls-cli" || peer == "bssl-tool") {
      client.wait_for_output("hello sslpp", std::chrono::seconds(10));
      if (c.resume && peer == "gnutls-cli") client.wait_for_output("Resume Handshake was completed", std::chrono::seconds(5));
      if (c.resume && peer == "bssl-tool") std::this_thread::sleep_for(std::chrono::milliseconds(300));
      client.close_stdin();
    }
    const int rc = client.wait(std::chrono::seconds(20));
    output += client.output();
    if (rc != 0) {
      std::filesystem::remove(session_file);
      return "FAIL: " + argv[0] + " exited with " + std::to_string(rc) + ": " + output.substr(0, 1500);
    }
  }
  std::filesystem::remove(session_file);
  if (output.find("hello sslpp") == std::string::npos) return "FAIL: no answer in the client's output";
  const auto seen = server.seen();
  if (seen.empty()) return "FAIL: the server saw no connection";
  for (const auto& f : seen)
    if (!f.error.empty()) return "FAIL: server: " + f.error;
  const facts& first = seen.front();
  if (first.version != c.version) return "FAIL: negotiated another version";
  if (c.client_cert && !first.peer_cert) return "FAIL: no client certificate arrived";
  if (c.alpn && first.alpn != std::optional<std::string>("http/1.1")) return "FAIL: ALPN did not select http/1.1";
  if (c.resume) {
    bool any = false;
    for (std::size_t i = 1; i < seen.size(); ++i) any = any || seen[i].reused;
    if (!any) return "FAIL: no connection resumed the session (" + std::to_string(seen.size()) + " connections)";
  }
  return pass;
}

void server_row(const std::string& peer, const std::string& shown) {
  std::vector<outcome> results;
  for (const auto& c : cells) results.push_back(attempt([&] { return server_against(peer, c); }));
  report(shown + " - sslpp server", results);
}

}  // namespace

TEST_CASE("interop matrix: sslpp client against openssl s_server", "[interop][matrix]") { client_row("openssl", "openssl s_server"); }
TEST_CASE("interop matrix: sslpp client against a python3 ssl server", "[interop][matrix]") { client_row("python3", "python3 ssl server"); }
TEST_CASE("interop matrix: sslpp client against bssl-tool server", "[interop][matrix]") { client_row("bssl-tool", "bssl-tool server"); }
TEST_CASE("interop matrix: sslpp client against gnutls-serv", "[interop][matrix]") { client_row("gnutls-serv", "gnutls-serv"); }
TEST_CASE("interop matrix: openssl s_client against an sslpp server", "[interop][matrix]") { server_row("openssl", "openssl s_client"); }
TEST_CASE("interop matrix: python3 ssl client against an sslpp server", "[interop][matrix]") { server_row("python3", "python3 ssl client"); }
TEST_CASE("interop matrix: bssl-tool client against an sslpp server", "[interop][matrix]") { server_row("bssl-tool", "bssl-tool client"); }
TEST_CASE("interop matrix: gnutls-cli against an sslpp server", "[interop][matrix]") { server_row("gnutls-cli", "gnutls-cli"); }
TEST_CASE("interop matrix: curl against an sslpp server", "[interop][matrix]") { server_row("curl", "curl"); }
