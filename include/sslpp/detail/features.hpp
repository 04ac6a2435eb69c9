// sslpp — SPDX-License-Identifier: MIT
//
// detail/features.hpp: the backend side of the context features — SNI, ALPN, session
// tickets and statistics, key logging, groups, cipher listings, the trust store's
// contents, channel bindings. State that the SSL_CTX must keep lives in ctx_features,
// owned by the SSL_CTX itself (ex_data), so it lives exactly as long as the backend
// context does — also when a server's SNI callback moves a connection to another context
// that the program has since dropped. Per-connection state lives in conn_features, owned
// by the SSL object the same way.
#pragma once

#include <sslpp/cert_store.hpp>
#include <sslpp/cipher.hpp>
#include <sslpp/session_statistics.hpp>
#include <sslpp/detail/backend.hpp>
#include <sslpp/detail/error_impl.hpp>
#include <sslpp/detail/feature_rules.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <mutex>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

SSLPP_BEGIN_NAMESPACE
namespace detail {

/// session_counters: Python's session_stats() keys that the backend does not count
/// itself (BoringSSL's SSL_CTX_sess_* counters are all stubs returning 0).
struct session_counters {
  std::atomic<long> connect{0}, connect_good{0}, accept{0}, accept_good{0}, hits{0}, misses{0};
};

/// ctx_features: what an SSL_CTX needs for sslpp's callbacks.
struct ctx_features {
  // Server ALPN preference list in wire format (length-prefixed), empty: no ALPN.
  std::string alpn_server_wire;
  // The SNI callback: returns the alert to refuse the handshake with, or nullopt.
  std::function<std::optional<std::uint8_t>(SSL*)> sni;
  std::size_t num_tickets = 2;  // BoringSSL's default, and Python's
  std::mutex keylog_mutex;
  std::FILE* keylog = nullptr;
  std::string keylog_path;
  session_counters counters;
  unsigned char session_context[32] = {};  // the current session id context (renew_session_context)
  // The security level whose key-size and digest floor verify_floor_callback applies to
  // the peer's chain (detail/verify_floor.hpp); OpenSSL's and Python's default, 2. Read
  // from the context a connection uses when it verifies (an SNI callback may switch it).
  std::atomic<int> security_level{2};

  ctx_features() = default;
  ctx_features(const ctx_features&) = delete;
  ctx_features& operator=(const ctx_features&) = delete;
  ~ctx_features() {
    if (keylog) std::fclose(keylog);
  }
};

/// conn_features: per-connection state of sslpp's callbacks.
struct conn_features {
  ssl_session_ptr latest_session;       // the newest session (ticket) the server sent
  std::vector<std::uint16_t> client_ciphers;  // the suites in the client's hello (server side)
  bool offered_session = false;        // the client offered a session to resume (server side)
  ctx_features* origin = nullptr;      // the context the connection was made from
  long floor_code = 0;                 // the verify code the security level's floor set, 0: none
  std::string floor_detail;            // which certificate it refused and why
};

inline void free_ctx_features(void*, void* ptr, CRYPTO_EX_DATA*, int, long, void*) {
  delete static_cast<ctx_features*>(ptr);
}
inline void free_conn_features(void*, void* ptr, CRYPTO_EX_DATA*, int, long, void*) {
  delete static_cast<conn_features*>(ptr);
}
inline int ctx_features_index() {
  static const int index = SSL_CTX_get_ex_new_index(0, nullptr, nullptr, nullptr, free_ctx_features);
  return index;
}
inline int conn_features_index() {
  static const int index = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, free_conn_features);
  return index;
}

/// find_features: the ctx_features of a context made by sslpp, or null for a foreign SSL_CTX.
inline ctx_features* find_features(const SSL_CTX* ctx) {
  return static_cast<ctx_features*>(SSL_CTX_get_ex_data(ctx, ctx_features_index()));
}
/// features_of: the ctx_features of a context made by sslpp; throws std::logic_error for a foreign one.
inline ctx_features& features_of(const SSL_CTX* ctx) {
  ctx_features* f = find_features(ctx);
  if (!f) throw std::logic_error("sslpp: this SSL_CTX was not made by sslpp");
  return *f;
}
/// connection_features: the conn_features of a connection, made on first use (null only
/// when out of memory).
inline conn_features* connection_features(const SSL* ssl) {
  auto* c = static_cast<conn_features*>(SSL_get_ex_data(ssl, conn_features_index()));
  if (c) return c;
  c = new (std::nothrow) conn_features;
  if (!c) return nullptr;
  if (!SSL_set_ex_data(const_cast<SSL*>(ssl), conn_features_index(), c)) {
    delete c;
    return nullptr;
  }
  c->origin = find_features(SSL_get_SSL_CTX(ssl));
  return c;
}

// --- callbacks ---

inline int servername_callback(SSL* ssl, int* alert, void* arg) {
  auto* f = static_cast<ctx_features*>(arg);
  if (!f || !f->sni) return SSL_TLSEXT_ERR_OK;
  try {
    if (const auto refuse = f->sni(ssl)) {
      *alert = *refuse;
      return SSL_TLSEXT_ERR_ALERT_FATAL;
    }
    return SSL_TLSEXT_ERR_OK;
  } catch (...) {
    // An exception must not cross the backend's C frames: fail this handshake instead.
    *alert = SSL_AD_INTERNAL_ERROR;
    return SSL_TLSEXT_ERR_ALERT_FATAL;
  }
}

inline int alpn_select_callback(SSL*, const uint8_t** out, uint8_t* out_len, const uint8_t* in, unsigned in_len,
                                void* arg) {
  auto* f = static_cast<ctx_features*>(arg);
  if (!f || f->alpn_server_wire.empty()) return SSL_TLSEXT_ERR_NOACK;
  uint8_t* selected = nullptr;
  // The server's order wins, as in Python; no overlap: carry on without ALPN (Python's
  // behaviour; RFC 7301 would allow a no_application_protocol alert instead).
  const auto* server = reinterpret_cast<const uint8_t*>(f->alpn_server_wire.data());
  if (SSL_select_next_proto(&selected, out_len, server, static_cast<unsigned>(f->alpn_server_wire.size()), in,
                            in_len) != OPENSSL_NPN_NEGOTIATED)
    return SSL_TLSEXT_ERR_NOACK;
  *out = selected;
  return SSL_TLSEXT_ERR_OK;
}

inline void keylog_callback(const SSL* ssl, const char* line) {
  ctx_features* f = find_features(SSL_get_SSL_CTX(ssl));
  if (!f) return;
  std::lock_guard<std::mutex> lock(f->keylog_mutex);
  if (!f->keylog) return;
  std::fputs(line, f->keylog);
  std::fputc('\n', f->keylog);
  std::fflush(f->keylog);
}

inline int new_session_callback(SSL* ssl, SSL_SESSION* session) {
  conn_features* c = connection_features(ssl);
  if (!c) return 0;
  c->latest_session.reset(session);  // returning 1: we keep the reference we were given
  return 1;
}

inline enum ssl_select_cert_result_t select_certificate_callback(const SSL_CLIENT_HELLO* hello) {
  conn_features* c = connection_features(hello->ssl);
  if (!c) return ssl_select_cert_success;
  // This runs inside the backend's C frames: running out of memory fails the handshake
  // rather than unwinding through them.
  try {
    c->client_ciphers.clear();
    for (std::size_t i = 0; i + 1 < hello->cipher_suites_len; i += 2)
      c->client_ciphers.push_back(
          static_cast<std::uint16_t>(hello->cipher_suites[i] << 8 | hello->cipher_suites[i + 1]));
  } catch (...) {
    return ssl_select_cert_error;
  }
  const uint8_t* data = nullptr;
  std::size_t len = 0;
  const bool ticket = SSL_early_callback_ctx_extension_get(hello, TLSEXT_TYPE_session_ticket, &data, &len) && len > 0;
  const bool psk = SSL_early_callback_ctx_extension_get(hello, TLSEXT_TYPE_pre_shared_key, &data, &len) != 0;
  // A TLS 1.2 session id is an offer too; a TLS 1.3 client's random session id
  // (middlebox compatibility) comes with a pre_shared_key extension when it resumes.
  bool tls13 = SSL_early_callback_ctx_extension_get(hello, TLSEXT_TYPE_supported_versions, &data, &len) != 0;
  c->offered_session = ticket || psk || (!tls13 && hello->session_id_len > 0);
  return ssl_select_cert_success;
}

inline void info_callback(const SSL* ssl, int type, int) {
  if (type != SSL_CB_HANDSHAKE_START && type != SSL_CB_HANDSHAKE_DONE) return;
  conn_features* c = connection_features(ssl);
  if (!c || !c->origin) return;
  session_counters& n = c->origin->counters;
  const bool server = SSL_is_server(ssl);
  if (type == SSL_CB_HANDSHAKE_START) {
    ++(server ? n.accept : n.connect);
    return;
  }
  ++(server ? n.accept_good : n.connect_good);
  if (server) {
    if (SSL_session_reused(ssl)) ++n.hits;
    else if (c->offered_session) ++n.misses;
  }
}

/// renew_session_context: gives the context a new random session id context. A server
/// resumes only sessions made under its context's current one, and an SNI switch takes
/// the other context's: so a session made by another context (one that asked no client
/// certificate, or trusted other CAs) never resumes into this one, nor one made before
/// this context's verification settings last changed (a ticket issued before
/// set_verify_mode(cert_required) would skip the client certificate).
inline void renew_session_context(SSL_CTX* ctx) {
  ctx_features& f = features_of(ctx);
  if (!RAND_bytes(f.session_context, sizeof f.session_context) ||
      !SSL_CTX_set_session_id_context(ctx, f.session_context, sizeof f.session_context))
    throw_backend_error("cannot set the session id context");
}

/// install_features: attaches sslpp's feature state and callbacks to a new SSL_CTX.
inline void install_features(SSL_CTX* ctx) {
  auto* f = new ctx_features;
  if (!SSL_CTX_set_ex_data(ctx, ctx_features_index(), f)) {
    delete f;
    throw_backend_error("cannot attach sslpp's state to the TLS context");
  }
  SSL_CTX_set_tlsext_servername_callback(ctx, servername_callback);
  SSL_CTX_set_tlsext_servername_arg(ctx, f);
  SSL_CTX_set_alpn_select_cb(ctx, alpn_select_callback, f);
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_BOTH);
  SSL_CTX_sess_set_new_cb(ctx, new_session_callback);
  SSL_CTX_set_select_certificate_cb(ctx, select_certificate_callback);
  SSL_CTX_set_info_callback(ctx, info_callback);
  renew_session_context(ctx);
}

// --- ALPN ---

/// alpn_wire: protocol names in ALPN's wire format; throws std::invalid_argument naming
/// the first bad one.
template <class Range>
std::string alpn_wire(const Range& protocols) {
  std::string wire;
  for (const auto& p : protocols) {
    const std::string_view name(p);
    const std::string_view fault = alpn_fault(name);
    if (!fault.empty()) {
      const std::string shown = name.size() > 40 ? std::string(name.substr(0, 40)) + "..." : std::string(name);
      throw std::invalid_argument("set_alpn_protocols: " + std::string(fault) + " ('" + shown + "', " +
                                  std::to_string(name.size()) + " bytes)");
    }
    wire.push_back(static_cast<char>(name.size()));
    wire.append(name);
  }
  return wire;
}

/// set_alpn: offers (client) or accepts (server) `wire`; both roles for a context of either side.
inline void set_alpn(SSL_CTX* ctx, const std::string& wire, bool client, bool server) {
  if (client && SSL_CTX_set_alpn_protos(ctx, reinterpret_cast<const uint8_t*>(wire.data()), wire.size()) != 0)
    throw_backend_error("cannot set the ALPN protocols");
  if (server) features_of(ctx).alpn_server_wire = wire;
}

/// selected_alpn: the negotiated protocol, nullopt when none was.
inline std::optional<std::string> selected_alpn(const SSL* ssl) {
  const uint8_t* data = nullptr;
  unsigned len = 0;
  SSL_get0_alpn_selected(ssl, &data, &len);
  if (!data || len == 0) return std::nullopt;
  return std::string(reinterpret_cast<const char*>(data), len);
}

// --- SNI ---

/// requested_server_name: the host name a client asked for, or null.
inline const char* requested_server_name(const SSL* ssl) { return SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name); }

/// switch_context: serves this connection with another context's certificate and key
/// and its client verification: verify mode, callback (and so security level), depth,
/// verification flags and trust store. The backend's SSL_set_SSL_CTX moves only the
/// certificate and key; the rest was copied into the connection when it was made.
inline void switch_context(SSL* ssl, SSL_CTX* ctx) {
  if (!ctx) throw std::logic_error("sni_request::use_context: the context holds no settings: it was moved from");
  if (!SSL_set_SSL_CTX(ssl, ctx)) throw_backend_error("cannot switch the connection to another context");
  SSL_set_verify(ssl, SSL_CTX_get_verify_mode(ctx), SSL_CTX_get_verify_callback(ctx));
  // Replaced, not merged (X509_VERIFY_PARAM_set1 would OR the flags and keep the depth).
  X509_VERIFY_PARAM* to = SSL_get0_param(ssl);
  const X509_VERIFY_PARAM* from = SSL_CTX_get0_param(ctx);
  X509_VERIFY_PARAM_clear_flags(to, X509_VERIFY_PARAM_get_flags(to));
  X509_VERIFY_PARAM_set_flags(to, X509_VERIFY_PARAM_get_flags(const_cast<X509_VERIFY_PARAM*>(from)));
  X509_VERIFY_PARAM_set_depth(to, X509_VERIFY_PARAM_get_depth(from));
  if (!SSL_set1_verify_cert_store(ssl, SSL_CTX_get_cert_store(ctx)))
    throw_backend_error("cannot switch the connection to another context's trust store");
}

/// serve_without_client_certificates: this server connection asks no client for a
/// certificate (the verify callback is kept).
inline void serve_without_client_certificates(SSL* ssl) {
  SSL_set_verify(ssl, SSL_VERIFY_NONE, SSL_get_verify_callback(ssl));
}

// --- sessions and tickets ---

/// session_of: the newest resumable session of a connection: a ticket the server sent
/// (TLS 1.3 tickets arrive after the handshake and are taken in by reads), else the
/// connection's own session when it can be resumed; null when there is none.
inline ssl_session_ptr session_of(const SSL* ssl) {
  if (auto* c = static_cast<conn_features*>(SSL_get_ex_data(ssl, conn_features_index())); c && c->latest_session)
    return up_ref(c->latest_session.get());
  SSL_SESSION* s = SSL_get_session(ssl);
  if (s && SSL_SESSION_is_resumable(s)) return up_ref(s);
  return {};
}

/// session_was_reused: whether the handshake resumed a session.
inline bool session_was_reused(const SSL* ssl) { return SSL_session_reused(ssl) != 0; }

// The most tickets this backend sends after a handshake; it caps larger requests.
inline constexpr std::size_t backend_max_tickets = 16;

/// set_num_tickets: how many TLS 1.3 tickets a server sends; records what is sent.
inline void set_num_tickets(SSL_CTX* ctx, std::size_t n) {
  SSL_CTX_set_num_tickets(ctx, n);
  features_of(ctx).num_tickets = std::min(n, backend_max_tickets);
}

/// session_stats_of: Python's session_stats(): number (the server's session cache), and
/// the handshakes sslpp counts itself.
inline session_statistics session_stats_of(const SSL_CTX* ctx) {
  const session_counters& n = features_of(ctx).counters;
  session_statistics s;
  s.number = static_cast<long>(SSL_CTX_sess_number(ctx));
  s.connect = n.connect.load();
  s.connect_good = n.connect_good.load();
  s.accept = n.accept.load();
  s.accept_good = n.accept_good.load();
  s.hits = n.hits.load();
  s.misses = n.misses.load();
  return s;
}

/// session_id_bytes, session facts for sslpp::session.
inline std::vector<std::byte> session_id_bytes(const SSL_SESSION* s) {
  unsigned len = 0;
  const uint8_t* id = SSL_SESSION_get_id(s, &len);
  const auto* b = reinterpret_cast<const std::byte*>(id);
  return std::vector<std::byte>(b, b + len);
}
inline long session_time(const SSL_SESSION* s) { return static_cast<long>(SSL_SESSION_get_time(s)); }
inline long session_timeout(const SSL_SESSION* s) { return static_cast<long>(SSL_SESSION_get_timeout(s)); }
inline bool session_has_ticket(const SSL_SESSION* s) { return SSL_SESSION_has_ticket(s) != 0; }
inline unsigned long session_ticket_lifetime_hint(const SSL_SESSION* s) {
  // BoringSSL keeps a TLS 1.3 ticket's lifetime as the session's timeout, not as the hint.
  const auto hint = static_cast<unsigned long>(SSL_SESSION_get_ticket_lifetime_hint(s));
  if (hint == 0 && SSL_SESSION_has_ticket(s)) return static_cast<unsigned long>(SSL_SESSION_get_timeout(s));
  return hint;
}
inline bool session_is_resumable(const SSL_SESSION* s) { return SSL_SESSION_is_resumable(s) != 0; }
// The serialized form of a session: this magic, a byte saying whether a server name
// follows, its length and text, then the backend's own encoding. Keeping the name lets a
// session read back be checked against the host it is offered to.
inline constexpr std::string_view session_magic{"sslpp-session\x01", 14};

/// session_to_bytes: the session and the server name it was made for, serialized.
inline std::vector<std::byte> session_to_bytes(const SSL_SESSION* s, const std::optional<std::string>& name) {
  uint8_t* out = nullptr;
  std::size_t len = 0;
  if (!SSL_SESSION_to_bytes(s, &out, &len)) throw_backend_error("cannot serialize the session");
  bssl::UniquePtr<uint8_t> owned(out);
  std::vector<std::byte> v;
  v.reserve(session_magic.size() + 2 + (name ? name->size() : 0) + len);
  for (char c : session_magic) v.push_back(static_cast<std::byte>(c));
  v.push_back(std::byte{name ? std::uint8_t{1} : std::uint8_t{0}});
  v.push_back(static_cast<std::byte>(name ? name->size() : 0));  // at most 253 (hostname's rule)
  if (name)
    for (char c : *name) v.push_back(static_cast<std::byte>(c));
  const auto* b = reinterpret_cast<const std::byte*>(out);
  v.insert(v.end(), b, b + len);
  return v;
}

/// parsed_session: what session_from_bytes read.
struct parsed_session {
  ssl_session_ptr backend;
  std::optional<std::string> server_hostname;
};

/// session_from_bytes: a session serialized by session_to_bytes; throws ssl_error otherwise.
inline parsed_session session_from_bytes(std::span<const std::byte> bytes) {
  const auto text = [&](std::size_t at, std::size_t n) {
    return std::string_view(reinterpret_cast<const char*>(bytes.data()) + at, n);
  };
  const std::size_t header = session_magic.size() + 2;
  if (bytes.size() < header || text(0, session_magic.size()) != session_magic)
    throw ssl_error(make_error_code(ssl_errc::ssl),
                    "cannot parse the serialized session: it was not made by sslpp::session::to_bytes", "SSL",
                    "BAD_SESSION");
  const bool has_name = bytes[session_magic.size()] != std::byte{0};
  const auto name_size = static_cast<std::size_t>(bytes[session_magic.size() + 1]);
  if (bytes.size() < header + name_size)
    throw ssl_error(make_error_code(ssl_errc::ssl), "cannot parse the serialized session: it is truncated", "SSL",
                    "BAD_SESSION");
  parsed_session p;
  if (has_name) p.server_hostname = std::string(text(header, name_size));
  const auto der = bytes.subspan(header + name_size);
  // Parsing needs a context for its certificate handling; any TLS context will do.
  static const ssl_ctx_ptr any_ctx(SSL_CTX_new(TLS_method()));
  p.backend.reset(SSL_SESSION_from_bytes(reinterpret_cast<const uint8_t*>(der.data()), der.size(), any_ctx.get()));
  if (!p.backend) throw_backend_error("cannot parse the serialized session");
  return p;
}

// --- key logging ---

/// set_keylog_file: appends the NSS key log lines of every later handshake to `path`
/// (created when missing, with Python's header line when new); "" stops logging.
inline void set_keylog_file(SSL_CTX* ctx, const std::string& path) {
  ctx_features& f = features_of(ctx);
  std::FILE* file = nullptr;
  if (!path.empty()) {
    // Close-on-exec, so child processes do not inherit a file that decrypts every logged
    // connection; readable by the owner only when created.
    const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) throw_file_error(errno, "cannot open the key log file", path);
    file = ::fdopen(fd, "a");
    if (!file) {
      const int err = errno;
      ::close(fd);
      throw_file_error(err, "cannot open the key log file", path);
    }
    if (std::ftell(file) == 0) {
      // Python's header: lets tools and people see what the file is.
      std::fputs("# TLS secrets log file, generated by OpenSSL / sslpp\n", file);
      std::fflush(file);
    }
  }
  {
    std::lock_guard<std::mutex> lock(f.keylog_mutex);
    if (f.keylog) std::fclose(f.keylog);
    f.keylog = file;
    f.keylog_path = path;
  }
  SSL_CTX_set_keylog_callback(ctx, file ? keylog_callback : nullptr);
}

/// client_random: the connection's ClientHello random (32 bytes), for checking key logs.
inline std::vector<std::byte> client_random(const SSL* ssl) {
  std::vector<std::byte> out(SSL3_RANDOM_SIZE);
  out.resize(SSL_get_client_random(ssl, reinterpret_cast<uint8_t*>(out.data()), out.size()));
  return out;
}

// --- groups ---

/// set_groups_list: the key-exchange groups to offer or accept, in preference order;
/// throws std::invalid_argument naming an unknown or empty name.
template <class Range>
void set_groups_list(SSL_CTX* ctx, const Range& names) {
  std::string list;
  std::size_t count = 0;
  for (const auto& n : names) {
    const std::string_view name(n);
    const std::string_view fault = group_fault(name);
    if (!fault.empty()) throw std::invalid_argument("set_groups: '" + std::string(name) + "': " + std::string(fault));
    if (!list.empty()) list += ':';
    list += find_group(name)->backend_name;
    ++count;
  }
  if (count == 0) throw std::invalid_argument("set_groups: the group list must not be empty");
  if (!SSL_CTX_set1_curves_list(ctx, list.c_str())) throw_backend_error("cannot set the groups '" + list + "'");
}

/// negotiated_group: the key-exchange group of the handshake ("X25519", "P-256"), or nullopt.
inline std::optional<std::string> negotiated_group(const SSL* ssl) {
  const uint16_t id = SSL_get_curve_id(ssl);
  if (id == 0) return std::nullopt;
  const std::string_view known = group_name_for(id);
  if (!known.empty()) return std::string(known);
  if (const char* name = SSL_get_curve_name(id)) return std::string(name);
  return "group " + std::to_string(id);
}

// --- ciphers ---

/// cipher_protocol: the protocol version a suite was defined for, as Python (on OpenSSL 3)
/// names it; BoringSSL's SSL_CIPHER_get_version says "TLSv1/SSLv3" for every pre-1.3 suite.
inline std::string cipher_protocol(const SSL_CIPHER* c) {
  switch (SSL_CIPHER_get_min_version(c)) {
    case TLS1_3_VERSION: return "TLSv1.3";
    case TLS1_2_VERSION: return "TLSv1.2";
    case SSL3_VERSION: return "SSLv3";
    default: return "TLSv1.0";
  }
}

/// info_of: a suite's name (OpenSSL's, as Python shows it), protocol and secret bits.
inline cipher_info info_of(const SSL_CIPHER* c) {
  return cipher_info{SSL_CIPHER_get_name(c), cipher_protocol(c), SSL_CIPHER_get_bits(c, nullptr)};
}

/// current_cipher: the negotiated suite, nullopt before the handshake.
inline std::optional<cipher_info> current_cipher(const SSL* ssl) {
  const SSL_CIPHER* c = SSL_get_current_cipher(ssl);
  if (!c) return std::nullopt;
  return info_of(c);
}

inline std::string lower_nid_name(int nid) {
  if (nid == NID_undef) return {};
  const char* ln = OBJ_nid2ln(nid);
  std::string s = ln ? ln : "";
  for (char& ch : s) ch = ascii_lower(ch);
  return s;
}

// A field of the backend's description ("Kx=ECDH"), with OpenSSL's "any" for TLS 1.3's GENERIC.
inline std::string description_field(std::string_view desc, std::string_view key) {
  const std::size_t at = desc.find(key);
  if (at == std::string_view::npos) return {};
  std::size_t end = desc.find_first_of(" \n", at);
  std::string v(desc.substr(at + key.size(), end == std::string_view::npos ? std::string_view::npos : end - at - key.size()));
  return v == "GENERIC" ? "any" : v;
}

/// describe_cipher: one get_ciphers() entry, with Python's fields and values.
inline cipher_description describe_cipher(const SSL_CIPHER* c) {
  cipher_description d;
  d.id = SSL_CIPHER_get_id(c);
  d.name = SSL_CIPHER_get_name(c);
  d.protocol = cipher_protocol(c);
  int alg_bits = 0;
  d.strength_bits = SSL_CIPHER_get_bits(c, &alg_bits);
  d.alg_bits = alg_bits;
  d.aead = SSL_CIPHER_is_aead(c) != 0;
  d.symmetric = lower_nid_name(SSL_CIPHER_get_cipher_nid(c));
  d.digest = lower_nid_name(SSL_CIPHER_get_digest_nid(c));  // "" (Python's None) for AEADs
  d.kea = lower_nid_name(SSL_CIPHER_get_kx_nid(c));
  d.auth = lower_nid_name(SSL_CIPHER_get_auth_nid(c));
  char buf[256];
  const std::string_view backend = SSL_CIPHER_description(c, buf, sizeof buf);
  // OpenSSL's layout, as Python shows it: name, protocol, Kx, Au, Enc, Mac.
  char line[256];
  std::snprintf(line, sizeof line, "%-30s %-7s Kx=%-8s Au=%-4s Enc=%-22s Mac=%s", d.name.c_str(), d.protocol.c_str(),
                description_field(backend, "Kx=").c_str(), description_field(backend, "Au=").c_str(),
                description_field(backend, "Enc=").c_str(), description_field(backend, "Mac=").c_str());
  d.description = line;
  return d;
}

// The TLS 1.3 suites, always enabled in BoringSSL and not part of the cipher list.
inline constexpr std::uint16_t tls13_suites[] = {0x1301, 0x1302, 0x1303};

inline bool allows_tls13(const SSL_CTX* ctx) { return SSL_CTX_get_max_proto_version(ctx) >= TLS1_3_VERSION; }
inline bool allows_tls12(const SSL_CTX* ctx) { return SSL_CTX_get_min_proto_version(ctx) <= TLS1_2_VERSION; }

/// enabled_ciphers: the suites a context can negotiate, TLS 1.3's first as OpenSSL lists them.
inline std::vector<const SSL_CIPHER*> enabled_ciphers(const SSL_CTX* ctx) {
  std::vector<const SSL_CIPHER*> out;
  if (allows_tls13(ctx))
    for (std::uint16_t v : tls13_suites)
      if (const SSL_CIPHER* c = SSL_get_cipher_by_value(v)) out.push_back(c);
  if (allows_tls12(ctx)) {
    STACK_OF(SSL_CIPHER)* sk = SSL_CTX_get_ciphers(ctx);
    for (std::size_t i = 0; sk && i < sk_SSL_CIPHER_num(sk); ++i) out.push_back(sk_SSL_CIPHER_value(sk, i));
  }
  return out;
}

inline std::vector<cipher_description> describe_ciphers(const SSL_CTX* ctx) {
  std::vector<cipher_description> out;
  for (const SSL_CIPHER* c : enabled_ciphers(ctx)) out.push_back(describe_cipher(c));
  return out;
}

/// shared_cipher_list: for a server connection after the handshake, the suites the client
/// offered that this server also enables, in the server's order (Python's
/// shared_ciphers()); nullopt on a client or before the handshake.
inline std::optional<std::vector<cipher_info>> shared_cipher_list(const SSL* ssl) {
  if (!SSL_is_server(ssl) || !SSL_is_init_finished(ssl)) return std::nullopt;
  const auto* c = static_cast<conn_features*>(SSL_get_ex_data(ssl, conn_features_index()));
  if (!c) return std::nullopt;
  std::vector<cipher_info> out;
  for (const SSL_CIPHER* cipher : enabled_ciphers(SSL_get_SSL_CTX(ssl))) {
    const auto value = SSL_CIPHER_get_protocol_id(cipher);
    for (std::uint16_t offered : c->client_ciphers)
      if (offered == value) {
        out.push_back(info_of(cipher));
        break;
      }
  }
  return out;
}

// --- channel bindings ---

/// channel_binding: the bytes of a channel binding, nullopt before the handshake or
/// when the type does not apply to the connection.
inline std::optional<std::vector<std::byte>> channel_binding(const SSL* ssl, channel_binding_kind kind) {
  if (!SSL_is_init_finished(ssl)) return std::nullopt;
  const int version = SSL_version(ssl);
  std::vector<std::byte> out;
  if (kind == channel_binding_kind::tls_unique) {
    // RFC 5929 tls-unique: the first Finished message; undefined for TLS 1.3 (RFC 8446 §C.5).
    if (version >= TLS1_3_VERSION) return std::nullopt;
    out.resize(EVP_MAX_MD_SIZE);
    std::size_t len = 0;
    if (!SSL_get_tls_unique(ssl, reinterpret_cast<uint8_t*>(out.data()), &len, out.size())) return std::nullopt;
    out.resize(len);
    return out;
  }
  if (kind == channel_binding_kind::tls_exporter) {
    // RFC 9266: 32 bytes exported with this label and no context; for TLS 1.2 only with
    // the extended master secret (RFC 9266 §3, RFC 7627).
    if (version < TLS1_3_VERSION && !SSL_get_extms_support(ssl)) return std::nullopt;
    static constexpr char label[] = "EXPORTER-Channel-Binding";
    out.resize(32);
    if (!SSL_export_keying_material(const_cast<SSL*>(ssl), reinterpret_cast<uint8_t*>(out.data()), out.size(), label,
                                    sizeof label - 1, nullptr, 0, 0))
      throw_backend_error("cannot export the tls-exporter channel binding");
    return out;
  }
  return std::nullopt;
}

// --- trust store ---

/// store_certificates: every certificate in the context's trust store (a CA directory's
/// certificates only once a verification looked them up, as in OpenSSL and Python).
inline std::vector<x509_ptr> store_certificates(const SSL_CTX* ctx, bool cas_only) {
  std::vector<x509_ptr> out;
  X509_STORE* store = SSL_CTX_get_cert_store(ctx);
  STACK_OF(X509_OBJECT)* objs = X509_STORE_get0_objects(store);
  for (std::size_t i = 0; objs && i < sk_X509_OBJECT_num(objs); ++i) {
    X509_OBJECT* o = sk_X509_OBJECT_value(objs, i);
    if (X509_OBJECT_get_type(o) != X509_LU_X509) continue;
    X509* x = X509_OBJECT_get0_X509(o);
    if (cas_only && !X509_check_ca(x)) continue;
    out.push_back(up_ref(x));
  }
  return out;
}

/// count_store: Python's cert_store_stats(): certificates, CA certificates and CRLs.
inline cert_store_statistics count_store(const SSL_CTX* ctx) {
  cert_store_statistics n;
  STACK_OF(X509_OBJECT)* objs = X509_STORE_get0_objects(SSL_CTX_get_cert_store(ctx));
  for (std::size_t i = 0; objs && i < sk_X509_OBJECT_num(objs); ++i) {
    X509_OBJECT* o = sk_X509_OBJECT_value(objs, i);
    if (X509_OBJECT_get_type(o) == X509_LU_X509) {
      ++n.x509;
      if (X509_check_ca(X509_OBJECT_get0_X509(o))) ++n.x509_ca;
    } else if (X509_OBJECT_get_type(o) == X509_LU_CRL) {
      ++n.crl;
    }
  }
  return n;
}

// --- helpers ---

/// random_bytes: `n` cryptographically strong random bytes.
inline std::vector<std::byte> random_bytes(std::size_t n) {
  std::vector<std::byte> out(n);
  if (n && !RAND_bytes(reinterpret_cast<uint8_t*>(out.data()), n)) throw_backend_error("cannot get random bytes");
  return out;
}

/// backend_version_string, backend_version_number: what Python's OPENSSL_VERSION and
/// OPENSSL_VERSION_NUMBER would say of this backend.
inline constexpr std::string_view backend_version_string = OPENSSL_VERSION_TEXT;
inline constexpr unsigned long backend_version_number = OPENSSL_VERSION_NUMBER;
inline constexpr int backend_api_version = BORINGSSL_API_VERSION;

}  // namespace detail
SSLPP_END_NAMESPACE
