// Key logging: set_keylog_filename and $SSLKEYLOGFILE write the NSS key log format; the
// lines carry the connection's client random, the TLS 1.3 exporter secret reproduces the
// connection's exported keying material (recomputed independently by python3's hmac), and
// a python3 client logging the same connection writes the same secrets.
#include "features_support.hpp"

#include <cstdlib>
#include <map>
#include <set>
#include <sstream>

namespace {

std::string temp_path(const std::string& name) {
  return "/tmp/sslpp-keylog-" + std::to_string(::getpid()) + "-" + name + ".txt";
}

std::string hex(const std::vector<std::byte>& b) {
  static const char* digits = "0123456789abcdef";
  std::string s;
  for (std::byte x : b) {
    s += digits[static_cast<unsigned>(x) >> 4];
    s += digits[static_cast<unsigned>(x) & 15];
  }
  return s;
}

std::vector<std::string> lines_of(const std::string& path) {
  std::vector<std::string> out;
  std::istringstream in(test::read_text(path));
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// label -> (client random, secret) of every secret line.
std::map<std::string, std::pair<std::string, std::string>> secrets_in(const std::string& path) {
  std::map<std::string, std::pair<std::string, std::string>> out;
  for (const auto& line : lines_of(path)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream in(line);
    std::string label, random, secret;
    in >> label >> random >> secret;
    out[label] = {random, secret};
  }
  return out;
}

// One connection from `client` to an echo server; returns the client's stream facts.
struct logged {
  std::string client_random;
  std::string cipher;
  std::optional<std::vector<std::byte>> exporter;
};
logged one_connection(const sslpp::client_context& client, sslpp::server_context sctx = test::server_context_with()) {
  auto server = feat::echo_server(sctx);
  auto tls = feat::connect(client, server.port());
  feat::round_trip(tls);
  logged l{hex(sslpp::detail::client_random(tls.native_handle())), tls.cipher()->name,
           tls.get_channel_binding("tls-exporter")};
  server.join();
  return l;
}

}  // namespace

TEST_CASE("the TLS 1.3 key log names the connection and its exporter secret reproduces it", "[keylog]") {
  const std::string path = temp_path("tls13");
  std::remove(path.c_str());
  auto client = test::client_context_trusting_root();
  CHECK(client.keylog_filename().empty());
  client.set_keylog_filename(path);
  CHECK(client.keylog_filename() == path);
  const logged l = one_connection(client);
  const auto lines = lines_of(path);
  REQUIRE_FALSE(lines.empty());
  CHECK(lines[0].rfind("# TLS secrets log file", 0) == 0);
  const auto secrets = secrets_in(path);
  for (const char* label : {"CLIENT_HANDSHAKE_TRAFFIC_SECRET", "SERVER_HANDSHAKE_TRAFFIC_SECRET",
                            "CLIENT_TRAFFIC_SECRET_0", "SERVER_TRAFFIC_SECRET_0", "EXPORTER_SECRET"}) {
    INFO(label);
    REQUIRE(secrets.count(label) == 1);
    CHECK(secrets.at(label).first == l.client_random);
    CHECK(secrets.at(label).second.size() >= 64);
  }
  // RFC 8446 §7.5: the exporter from EXPORTER_SECRET, computed by python3, must equal
  // the connection's RFC 9266 tls-exporter binding.
  REQUIRE(l.exporter);
  const std::string hash = l.cipher.find("SHA384") != std::string::npos ? "sha384" : "sha256";
  const std::string script =
      "import hmac,hashlib,sys\n"
      "H=hashlib." + hash + "\n"
      "def expand(secret,label,ctx,n):\n"
      "  info=n.to_bytes(2,'big')+bytes([6+len(label)])+b'tls13 '+label+bytes([len(ctx)])+ctx\n"
      "  out=b'';t=b'';i=1\n"
      "  while len(out)<n:\n"
      "    t=hmac.new(secret,t+info+bytes([i]),H).digest();out+=t;i+=1\n"
      "  return out[:n]\n"
      "s=bytes.fromhex(sys.argv[1]);L=H().digest_size\n"
      "d=expand(s,b'EXPORTER-Channel-Binding',H(b'').digest(),L)\n"
      "print('EXPORT',expand(d,b'exporter',H(b'').digest(),32).hex())\n";
  test::child py({test::python(), "-c", script, secrets.at("EXPORTER_SECRET").second});
  REQUIRE(py.wait() == 0);
  CHECK_THAT(py.output(), Catch::Contains("EXPORT " + hex(*l.exporter)));
  std::remove(path.c_str());
}

TEST_CASE("the TLS 1.2 key log has a CLIENT_RANDOM line with the master secret", "[keylog]") {
  const std::string path = temp_path("tls12");
  std::remove(path.c_str());
  auto client = test::client_context_trusting_root();
  client.set_maximum_version(sslpp::tls_version::tlsv1_2);
  client.set_keylog_filename(path);
  const logged l = one_connection(client);
  const auto secrets = secrets_in(path);
  REQUIRE(secrets.count("CLIENT_RANDOM") == 1);
  CHECK(secrets.at("CLIENT_RANDOM").first == l.client_random);
  CHECK(secrets.at("CLIENT_RANDOM").second.size() == 96);  // the 48-byte master secret
  std::remove(path.c_str());
}

TEST_CASE("create_default_context logs to SSLKEYLOGFILE as Python does", "[keylog]") {
  const std::string path = temp_path("env");
  std::remove(path.c_str());
  ::setenv("SSLKEYLOGFILE", path.c_str(), 1);
  auto client = sslpp::create_default_context(sslpp::purpose::server_auth, sslpp::trust{.cafile = test::pki("ca.pem")});
  auto server_ctx = sslpp::create_default_context(sslpp::purpose::client_auth);
  ::unsetenv("SSLKEYLOGFILE");
  CHECK(client.keylog_filename() == path);
  CHECK(server_ctx.keylog_filename() == path);
  CHECK(sslpp::create_default_context(sslpp::purpose::server_auth, sslpp::trust{.cafile = test::pki("ca.pem")})
            .keylog_filename()
            .empty());
  const logged l = one_connection(client);
  CHECK(secrets_in(path).at("CLIENT_TRAFFIC_SECRET_0").first == l.client_random);
  std::remove(path.c_str());
}

TEST_CASE("set_keylog_filename names a path it cannot open and empty stops logging", "[keylog]") {
  auto client = test::client_context_trusting_root();
  CHECK_THROWS_AS(client.set_keylog_filename("/nonexistent-dir/keys.txt"), std::system_error);
  CHECK_THROWS_WITH(client.set_keylog_filename("/nonexistent-dir/keys.txt"),
                    Catch::Contains("/nonexistent-dir/keys.txt"));
  const std::string path = temp_path("stop");
  std::remove(path.c_str());
  client.set_keylog_filename(path);
  client.set_keylog_filename("");
  CHECK(client.keylog_filename().empty());
  one_connection(client);
  CHECK(lines_of(path).size() == 1);  // the header only
  std::remove(path.c_str());
}

TEST_CASE("a python3 client logging the same connection writes the same secrets", "[keylog][python]") {
  const std::string ours = temp_path("server"), theirs = temp_path("python");
  std::remove(ours.c_str());
  std::remove(theirs.c_str());
  auto sctx = test::server_context_with();
  sctx.set_keylog_filename(ours);
  auto server = feat::echo_server(sctx);
  ::setenv("SSLKEYLOGFILE", theirs.c_str(), 1);
  auto peer = feat::python_client(server.port());
  ::unsetenv("SSLKEYLOGFILE");
  REQUIRE(peer->wait() == 0);
  server.join();
  std::set<std::string> a, b;
  for (const auto& [label, value] : secrets_in(ours)) a.insert(label + " " + value.first + " " + value.second);
  for (const auto& [label, value] : secrets_in(theirs)) b.insert(label + " " + value.first + " " + value.second);
  CHECK(a.size() >= 5);
  for (const auto& line : a) {
    INFO(line);
    CHECK(b.count(line) == 1);
  }
  std::remove(ours.c_str());
  std::remove(theirs.c_str());
}
