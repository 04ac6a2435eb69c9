// The quick-start client by hand over BoringSSL's C API + fmt: what sslpp_client.cpp does,
// with the same checks and readable errors. (bench/cost.sh: compile time and size.)
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <fmt/format.h>

#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <string>

namespace {
std::string errors() {
  std::string out;
  while (const uint32_t e = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    out += buf;
  }
  return out;
}

int connect_to(const char* host, const char* port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* list = nullptr;
  if (const int rc = getaddrinfo(host, port, &hints, &list); rc != 0) {
    fmt::print(stderr, "cannot resolve {}: {}\n", host, gai_strerror(rc));
    return -1;
  }
  int fd = -1;
  for (addrinfo* ai = list; ai; ai = ai->ai_next) {
    fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
    if (fd < 0) continue;
    if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) break;
    close(fd);
    fd = -1;
  }
  freeaddrinfo(list);
  if (fd < 0) {
    fmt::print(stderr, "cannot connect to {}:{}: {}\n", host, port, std::strerror(errno));
    return -1;
  }
  const int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}
}  // namespace

int main(int argc, char** argv) {
  const char* host = argc > 1 ? argv[1] : "example.org";
  const char* port = argc > 2 ? argv[2] : "443";
  bssl::UniquePtr<SSL_CTX> ctx(SSL_CTX_new(TLS_method()));
  SSL_CTX_set_min_proto_version(ctx.get(), TLS1_2_VERSION);
  SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_PEER, nullptr);
  if (!SSL_CTX_load_verify_locations(ctx.get(), "/etc/ssl/certs/ca-certificates.crt", nullptr)) {
    fmt::print(stderr, "cannot load the system trust store: {}\n", errors());
    return 1;
  }
  const int fd = connect_to(host, port);
  if (fd < 0) return 1;
  bssl::UniquePtr<SSL> ssl(SSL_new(ctx.get()));
  SSL_set_fd(ssl.get(), fd);
  SSL_set_tlsext_host_name(ssl.get(), host);
  X509_VERIFY_PARAM* param = SSL_get0_param(ssl.get());
  X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NEVER_CHECK_SUBJECT);
  X509_VERIFY_PARAM_set1_host(param, host, std::strlen(host));
  if (SSL_connect(ssl.get()) != 1) {
    const long v = SSL_get_verify_result(ssl.get());
    if (v != X509_V_OK) fmt::print(stderr, "certificate verify failed: {}\n", X509_verify_cert_error_string(v));
    else fmt::print(stderr, "TLS handshake with {} failed: {}\n", host, errors());
    close(fd);
    return 1;
  }
  fmt::print("{} {}\n", SSL_get_version(ssl.get()), SSL_CIPHER_get_name(SSL_get_current_cipher(ssl.get())));
  SSL_shutdown(ssl.get());
  ssl.reset();
  close(fd);
}
