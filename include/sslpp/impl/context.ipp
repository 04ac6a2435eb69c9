// sslpp — SPDX-License-Identifier: MIT
//
// impl/context.ipp: the definitions of context<S>'s members and of the functions that make
// a context. Included by context.hpp in the header-only mode (SSLPP_DECL is `inline`), and
// compiled once into the sslpp_compiled library in the compiled mode, which explicitly
// instantiates context<side::client>, context<side::server> and context<side::any> and
// their wraps of a tcp_socket at the end of this file (see config.hpp).
#pragma once

#include <sslpp/config.hpp>
#include <sslpp/context.hpp>
#include <sslpp/detail/alpn.hpp>
#include <sslpp/detail/cert_status.hpp>
#include <sslpp/detail/cipher_suites.hpp>
#include <sslpp/detail/context_impl.hpp>
#include <sslpp/detail/early_data.hpp>
#include <sslpp/detail/emptiable.hpp>
#include <sslpp/detail/environment.hpp>
#include <sslpp/detail/error_capture.hpp>
#include <sslpp/detail/groups.hpp>
#include <sslpp/detail/key_offload.hpp>
#include <sslpp/detail/keylog.hpp>
#include <sslpp/detail/private_key.hpp>
#include <sslpp/detail/psk_callbacks.hpp>
#include <sslpp/detail/session_backend.hpp>
#include <sslpp/detail/sigalgs.hpp>
#include <sslpp/detail/system_store.hpp>
#include <sslpp/detail/trust_loading.hpp>
#include <sslpp/detail/trust_store.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

SSLPP_BEGIN_NAMESPACE

static_assert(max_early_data_limit == detail::backend_max_early_data,
              "max_early_data_limit (context.hpp) must be the backend's fixed early data limit");

template <side S>
SSLPP_DECL sslpp::verify_mode context<S>::verify_mode() const { return impl().mode; }

template <side S>
SSLPP_DECL void context<S>::set_verify_mode(sslpp::verify_mode mode)
  requires detail::on_a_server_context<S>
{
  detail::apply_verify_mode(impl(), mode);
  impl().verify_mode_chosen = true;
}

template <side S>
SSLPP_DECL void context<S>::set_verify_mode(client_verify_mode mode)
  requires detail::client_role<S>
{
  if (mode.value() == sslpp::verify_mode::cert_none && impl().check_hostname)
    throw std::invalid_argument(
        "Cannot set verify_mode to cert_none when check_hostname is enabled: call set_check_hostname(false) first, "
        "or disable_verification()");
  detail::apply_verify_mode(impl(), mode.value());
  impl().verify_mode_chosen = true;
}

template <side S>
SSLPP_DECL void context<S>::disable_verification()
  requires detail::client_role<S>
{
  impl().check_hostname = false;
  detail::apply_verify_mode(impl(), sslpp::verify_mode::cert_none);
  impl().verify_mode_chosen = true;
}

template <side S>
SSLPP_DECL bool context<S>::check_hostname() const
  requires detail::client_role<S>
{
  return impl().check_hostname;
}

template <side S>
SSLPP_DECL void context<S>::set_check_hostname(bool on)
  requires detail::client_role<S>
{
  if (on && impl().mode == sslpp::verify_mode::cert_none)
    detail::apply_verify_mode(impl(), sslpp::verify_mode::cert_required);
  detail::apply_host_name_rules(impl(), on, impl().hostname_checks_common_name);
}

template <side S>
SSLPP_DECL bool context<S>::hostname_checks_common_name() const
  requires detail::client_role<S>
{
  return impl().hostname_checks_common_name;
}

template <side S>
SSLPP_DECL void context<S>::set_hostname_checks_common_name(bool on)
  requires detail::client_role<S>
{
  detail::apply_host_name_rules(impl(), impl().check_hostname, on);
}

template <side S>
SSLPP_DECL sslpp::verify_flags context<S>::verify_flags() const { return impl().vflags; }

template <side S>
SSLPP_DECL void context<S>::set_verify_flags(sslpp::verify_flags flags) { detail::apply_verify_flags(impl(), flags); }

template <side S>
SSLPP_DECL tls_version context<S>::minimum_version() const { return detail::get_min_version(impl()); }

template <side S>
SSLPP_DECL void context<S>::set_minimum_version(tls_version v) { detail::set_min_version(impl(), v); }

template <side S>
SSLPP_DECL tls_version context<S>::maximum_version() const { return detail::get_max_version(impl()); }

template <side S>
SSLPP_DECL void context<S>::set_maximum_version(tls_version v) { detail::set_max_version(impl(), v); }

template <side S>
SSLPP_DECL sslpp::options context<S>::options() const { return impl().opts; }

template <side S>
SSLPP_DECL void context<S>::set_options(sslpp::options o) { detail::apply_options(impl(), o); }

template <side S>
SSLPP_DECL void context<S>::set_ciphers(cipher_list ciphers) { detail::set_cipher_list(impl(),
                                        std::string(ciphers.text())); }

template <side S>
SSLPP_DECL std::vector<std::string> context<S>::cipher_list_skipped() const { return impl().ciphers_skipped; }

template <side S>
SSLPP_DECL void context<S>::load_verify_locations(const std::string& cafile) { detail::load_cafile(impl(), cafile); }

template <side S>
SSLPP_DECL void context<S>::load_verify_locations(const trust& t) { detail::load_trust(impl(), t); }

template <side S>
SSLPP_DECL void context<S>::set_default_verify_paths() { detail::load_default_verify_paths(impl()); }

template <side S>
SSLPP_DECL void context<S>::load_default_certs() { set_default_verify_paths(); }

template <side S>
SSLPP_DECL void context<S>::load_verify_locations(const std::string& cafile, std::error_code& ec) {
  detail::capture_error(ec, [&] { load_verify_locations(cafile); });
}

template <side S>
SSLPP_DECL void context<S>::load_verify_locations(const trust& t, std::error_code& ec) {
  detail::capture_error(ec, [&] { load_verify_locations(t); });
}

template <side S>
SSLPP_DECL void context<S>::set_default_verify_paths(std::error_code& ec) {
  detail::capture_error(ec, [&] { set_default_verify_paths(); });
}

template <side S>
SSLPP_DECL void context<S>::load_default_certs(std::error_code& ec) { set_default_verify_paths(ec); }

template <side S>
SSLPP_DECL void context<S>::load_cert_chain(const std::string& certfile, const std::string& keyfile,
                                            const password& pw) {
  detail::load_cert_chain_files(impl(), certfile, keyfile, pw);
}

template <side S>
SSLPP_DECL void context<S>::load_cert_chain_pem(std::string_view cert_pem, std::string_view key_pem,
                                                const password& pw) {
  detail::load_cert_chain_pem(impl(), cert_pem, key_pem, pw);
}

template <side S>
SSLPP_DECL void context<S>::load_cert_chain(const std::string& certfile, const std::string& keyfile, const password& pw,
                     std::error_code& ec) {
  detail::capture_error(ec, [&] { load_cert_chain(certfile, keyfile, pw); });
}

template <side S>
SSLPP_DECL void context<S>::load_cert_chain(const std::string& certfile, const std::string& keyfile,
                                            std::error_code& ec) {
  load_cert_chain(certfile, keyfile, password{}, ec);
}

template <side S>
SSLPP_DECL void context<S>::load_cert_chain(const std::string& certfile, std::error_code& ec) {
  load_cert_chain(certfile, std::string{}, password{}, ec);
}

template <side S>
SSLPP_DECL void context<S>::load_cert_chain(const std::string& certfile, private_key_signer signer) {
  detail::load_cert_chain_signer(impl(), certfile, std::move(signer.sign));
}

template <side S>
SSLPP_DECL void context<S>::load_cert_chain(const std::string& certfile, private_key_signer signer,
                                            std::error_code& ec) {
  detail::capture_error(ec, [&] { load_cert_chain(certfile, std::move(signer)); });
}

template <side S>
SSLPP_DECL void context<S>::load_cert_chain_pem(std::string_view cert_pem, std::string_view key_pem, const password& pw,
                         std::error_code& ec) {
  detail::capture_error(ec, [&] { load_cert_chain_pem(cert_pem, key_pem, pw); });
}

template <side S>
SSLPP_DECL void context<S>::load_cert_chain_pem(std::string_view cert_pem, std::string_view key_pem,
                                                std::error_code& ec) {
  load_cert_chain_pem(cert_pem, key_pem, password{}, ec);
}

template <side S>
SSLPP_DECL void context<S>::load_cert_chain_pem(std::string_view cert_pem, std::error_code& ec) {
  load_cert_chain_pem(cert_pem, std::string_view{}, password{}, ec);
}

template <side S>
SSLPP_DECL void context<S>::set_sni_callback(std::nullptr_t)
  requires detail::server_role<S>
{
  detail::features_of(impl().ctx.get()).sni = nullptr;
}

template <side S>
SSLPP_DECL void context<S>::set_psk_client_callback(std::nullptr_t)
  requires detail::client_role<S>
{
  detail::set_psk_client(impl().ctx.get(), nullptr);
}

template <side S>
SSLPP_DECL void context<S>::set_psk_server_callback(std::nullptr_t)
  requires detail::server_role<S>
{
  detail::set_psk_server(impl().ctx.get(), nullptr, std::nullopt);
}

template <side S>
SSLPP_DECL void context<S>::set_alpn_protocols(alpn_list protocols) { set_alpn_wire(detail::alpn_wire(protocols)); }

template <side S>
SSLPP_DECL sslpp::alpn_mismatch context<S>::alpn_mismatch() const
  requires detail::server_role<S>
{
  return detail::features_of(impl().ctx.get()).alpn_mismatch_refuses ? sslpp::alpn_mismatch::refuse
                                                                       : sslpp::alpn_mismatch::continue_without;
}

template <side S>
SSLPP_DECL void context<S>::set_alpn_mismatch(sslpp::alpn_mismatch m)
  requires detail::server_role<S>
{
  detail::features_of(impl().ctx.get()).alpn_mismatch_refuses = m == sslpp::alpn_mismatch::refuse;
}

template <side S>
SSLPP_DECL void context<S>::set_groups(group_list names) { detail::set_groups_list(impl().ctx.get(), names); }

template <side S>
SSLPP_DECL std::vector<std::string> context<S>::get_groups(bool include_aliases) const {
  return detail::implemented_groups(static_cast<int>(maximum_version()), include_aliases);
}

template <side S>
SSLPP_DECL void context<S>::set_server_sigalgs(sigalg_list names) {
  detail::store_sigalgs(impl().ctx.get(), false, S == side::client, detail::sigalg_ids(names, "set_server_sigalgs"));
}

template <side S>
SSLPP_DECL void context<S>::set_client_sigalgs(sigalg_list names) {
  detail::store_sigalgs(impl().ctx.get(), true, S == side::client, detail::sigalg_ids(names, "set_client_sigalgs"));
}

template <side S>
SSLPP_DECL std::size_t context<S>::num_tickets() const
  requires detail::server_role<S>
{
  return detail::features_of(impl().ctx.get()).num_tickets;
}

template <side S>
SSLPP_DECL void context<S>::set_num_tickets(std::size_t n)
  requires detail::server_role<S>
{
  detail::set_num_tickets(impl().ctx.get(), n);
}

template <side S>
SSLPP_DECL bool context<S>::has_cert_compression() const { return impl().cert_compression_set; }

template <side S>
SSLPP_DECL std::size_t context<S>::max_early_data() const
  requires detail::server_role<S>
{
  return impl().early_data ? detail::backend_max_early_data : 0;
}

template <side S>
SSLPP_DECL void context<S>::set_max_early_data(std::size_t n)
  requires detail::server_role<S>
{
  detail::set_early_data(impl().ctx.get(), impl().early_data, n);
}

template <side S>
SSLPP_DECL session_statistics context<S>::session_stats() const {
  return detail::session_stats_of(impl().ctx.get());
}

template <side S>
SSLPP_DECL std::string context<S>::keylog_filename() const { return detail::features_of(impl().ctx.get()).keylog_path; }

template <side S>
SSLPP_DECL void context<S>::set_keylog_filename(const std::string& path) { detail::set_keylog_file(impl().ctx.get(),
                                                path); }

template <side S>
SSLPP_DECL void context<S>::set_keylog_filename(const std::string& path, std::error_code& ec) {
  detail::capture_error(ec, [&] { set_keylog_filename(path); });
}

template <side S>
SSLPP_DECL bool context<S>::post_handshake_auth() const noexcept { return false; }

template <side S>
SSLPP_DECL void context<S>::set_post_handshake_auth(bool on) {
  if (on)
    throw std::logic_error(
        "post_handshake_auth: BoringSSL does not support TLS 1.3 post-handshake authentication; request the "
        "client certificate during the handshake with set_verify_mode(verify_mode::cert_required) or cert_optional");
}

template <side S>
SSLPP_DECL std::vector<cipher_description> context<S>::get_ciphers() const {
  return detail::describe_ciphers(impl().ctx.get());
}

template <side S>
SSLPP_DECL int context<S>::security_level() const { return detail::security_level_of(impl().ctx.get()); }

template <side S>
SSLPP_DECL void context<S>::set_security_level(int level) { detail::set_security_level(impl().ctx.get(), level); }

template <side S>
SSLPP_DECL std::vector<certificate> context<S>::get_ca_certs() const {
  std::vector<certificate> out;
  for (auto& x : detail::store_certificates(impl().ctx.get(), true))
    out.push_back(detail::certificate_access::make(std::move(x)));
  return out;
}

template <side S>
SSLPP_DECL cert_store_statistics context<S>::cert_store_stats() const {
  return detail::count_store(impl().ctx.get());
}

template <side S>
SSLPP_DECL bool context<S>::ocsp_stapling() const
  requires detail::client_role<S>
{
  return impl().ocsp_stapling;
}

template <side S>
SSLPP_DECL void context<S>::set_ocsp_stapling(bool on)
  requires detail::client_role<S>
{
  impl().ocsp_stapling = on;
}

template <side S>
SSLPP_DECL bool context<S>::signed_cert_timestamps() const
  requires detail::client_role<S>
{
  return impl().signed_cert_timestamps;
}

template <side S>
SSLPP_DECL void context<S>::set_signed_cert_timestamps(bool on)
  requires detail::client_role<S>
{
  impl().signed_cert_timestamps = on;
}

template <side S>
SSLPP_DECL void context<S>::set_ocsp_response(std::span<const std::byte> der)
  requires detail::server_role<S>
{
  detail::set_ocsp_response(impl().ctx.get(), der);
}

template <side S>
SSLPP_DECL void context<S>::set_signed_cert_timestamp_list(std::span<const std::byte> list)
  requires detail::server_role<S>
{
  detail::set_sct_list(impl().ctx.get(), list);
}

template <side S>
SSLPP_DECL void context<S>::set_ech_keys(const ech_keys& keys)
  requires detail::server_role<S>
{
  // (Not set_ech_keys(std::vector<ech_keys>{keys}): Clang 14 compiles this body for a
  // client_context too when the library instantiates it, and there that call is deleted.)
  const std::vector<const detail::ech_key_state*> now{detail::ech_keys_access::state(keys)};
  detail::install_ech_keys(impl().ctx.get(), now, {});
}

template <side S>
SSLPP_DECL void context<S>::set_ech_keys(const std::vector<ech_keys>& current,
                                         const std::vector<ech_keys>& also_accepted)
  requires detail::server_role<S>
{
  std::vector<const detail::ech_key_state*> now, old;
  for (const auto& k : current) now.push_back(detail::ech_keys_access::state(k));
  for (const auto& k : also_accepted) old.push_back(detail::ech_keys_access::state(k));
  detail::install_ech_keys(impl().ctx.get(), now, old);
}

template <side S>
SSLPP_DECL bool context<S>::ech_grease() const
  requires detail::client_role<S>
{
  return impl().ech_grease;
}

template <side S>
SSLPP_DECL void context<S>::set_ech_grease(bool on)
  requires detail::client_role<S>
{
  impl().ech_grease = on;
}

template <side S>
SSLPP_DECL ssl_object context<S>::wrap_bio(memory_bio& incoming, memory_bio& outgoing, hostname host,
                                           wrap_options opts) const
  requires detail::client_role<S>
{
  return make_object(incoming, outgoing, &host, opts);
}

template <side S>
SSLPP_DECL std::optional<ssl_object> context<S>::wrap_bio(memory_bio& incoming, memory_bio& outgoing, hostname host,
                                                          wrap_options opts,
                                   std::error_code& ec) const
  requires detail::client_role<S>
{
  return make_object(incoming, outgoing, &host, opts, ec);
}

template <side S>
SSLPP_DECL std::optional<ssl_object> context<S>::wrap_bio(memory_bio& incoming, memory_bio& outgoing, hostname host,
                                   std::error_code& ec) const
  requires detail::client_role<S>
{
  return make_object(incoming, outgoing, &host, wrap_options{}, ec);
}

template <side S>
SSLPP_DECL ssl_object context<S>::wrap_bio(memory_bio& incoming, memory_bio& outgoing, wrap_options opts) const
  requires(S == side::server) {
  return make_object(incoming, outgoing, nullptr, opts);
}

template <side S>
SSLPP_DECL std::optional<ssl_object> context<S>::wrap_bio(memory_bio& incoming, memory_bio& outgoing, wrap_options opts,
                                   std::error_code& ec) const
  requires(S == side::server) {
  return make_object(incoming, outgoing, nullptr, opts, ec);
}

template <side S>
SSLPP_DECL std::optional<ssl_object> context<S>::wrap_bio(memory_bio& incoming, memory_bio& outgoing,
                                                          std::error_code& ec) const
  requires(S == side::server) {
  return make_object(incoming, outgoing, nullptr, wrap_options{}, ec);
}

template <side S>
SSLPP_DECL ssl_object context<S>::wrap_bio(memory_bio& incoming, memory_bio& outgoing, server_side_t,
                                           wrap_options opts) const
  requires(S == side::any) {
  return make_object(incoming, outgoing, nullptr, opts);
}

template <side S>
SSLPP_DECL std::optional<ssl_object> context<S>::wrap_bio(memory_bio& incoming, memory_bio& outgoing, server_side_t,
                                                          wrap_options opts,
                                   std::error_code& ec) const
  requires(S == side::any) {
  return make_object(incoming, outgoing, nullptr, opts, ec);
}

template <side S>
SSLPP_DECL std::optional<ssl_object> context<S>::wrap_bio(memory_bio& incoming, memory_bio& outgoing, server_side_t,
                                   std::error_code& ec) const
  requires(S == side::any) {
  return make_object(incoming, outgoing, nullptr, wrap_options{}, ec);
}

template <side S>
SSLPP_DECL SSL_CTX* context<S>::native_handle() const noexcept { return impl_ ? impl_->ctx.get() : nullptr; }

template <side S>
SSLPP_DECL ssl_object context<S>::make_object(memory_bio& incoming, memory_bio& outgoing, const hostname* host,
                       const wrap_options& opts) const {
  return ssl_object(incoming, outgoing, shared_impl(), host == nullptr, host, opts);
}

template <side S>
SSLPP_DECL std::optional<ssl_object> context<S>::make_object(memory_bio& incoming, memory_bio& outgoing,
                                                             const hostname* host,
                                      const wrap_options& opts, std::error_code& ec) const {
  return detail::capture_result(ec, [&] { return make_object(incoming, outgoing, host, opts); });
}

template <side S>
SSLPP_DECL void context<S>::set_alpn_wire(const std::string& wire) {
  detail::set_alpn(impl().ctx.get(), wire, S != side::server, S != side::client);
}

template <side S>
SSLPP_DECL detail::context_impl& context<S>::impl() const { return *shared_impl(); }

template <side S>
SSLPP_DECL const std::shared_ptr<detail::context_impl>& context<S>::shared_impl() const {
  if (!impl_) [[unlikely]]
    detail::throw_emptied("sslpp::context: this context holds no settings: it was moved from");
  return impl_;
}

// The non-template halves of the member templates (context.hpp).

template <side S>
SSLPP_DECL void context<S>::set_alpn_strings(const std::vector<std::string>& protocols) {
  set_alpn_wire(detail::alpn_wire(protocols));
}

template <side S>
SSLPP_DECL void context<S>::set_groups_strings(const std::vector<std::string>& names) {
  detail::set_groups_list(impl().ctx.get(), names);
}

template <side S>
SSLPP_DECL void context<S>::set_sigalgs_strings(bool for_client_auth, const std::vector<std::string>& names) {
  const std::string_view setter = for_client_auth ? "set_client_sigalgs" : "set_server_sigalgs";
  detail::store_sigalgs(impl().ctx.get(), for_client_auth, S == side::client, detail::sigalg_ids_of_range(names, setter));
}

template <side S>
SSLPP_DECL void context<S>::set_sni_function(std::function<void(sni_request&)> callback) {
  auto& slot = detail::features_of(impl().ctx.get()).sni;
  slot = [cb = std::move(callback)](SSL* ssl) mutable -> std::optional<std::uint8_t> {
    sni_request request(ssl);
    cb(request);
    if (const auto a = request.rejected()) return static_cast<std::uint8_t>(*a);
    return std::nullopt;
  };
}

template <side S>
SSLPP_DECL void context<S>::set_psk_client_function(
    std::function<psk_credentials(std::optional<std::string_view>)> callback) {
  detail::set_psk_client(impl().ctx.get(), std::move(callback));
}

template <side S>
SSLPP_DECL void context<S>::set_psk_server_function(std::function<std::vector<std::byte>(std::string_view)> callback,
                                                    const std::optional<std::string>& identity_hint) {
  detail::set_psk_server(impl().ctx.get(), std::move(callback), identity_hint);
}

template <side S>
SSLPP_DECL SSL_CTX* context<S>::check_cert_compression(std::initializer_list<cert_compression> algorithms) const {
  if (impl().cert_compression_set)
    throw std::logic_error(
        "set_cert_compression: this context has its algorithms already, and BoringSSL cannot remove one once "
        "added (SSL_CTX_add_cert_compression_alg): make a new context for another list");
  if (algorithms.size() == 0)
    throw std::invalid_argument("set_cert_compression: the list is empty (name brotli, zlib or both)");
  for (auto a = algorithms.begin(); a != algorithms.end(); ++a)
    for (auto b = algorithms.begin(); b != a; ++b)
      if (*a == *b) throw std::invalid_argument("set_cert_compression: an algorithm is named twice");
  return impl().ctx.get();
}

template <side S>
SSLPP_DECL void context<S>::cert_compression_installed() {
  impl().cert_compression_set = true;
}

template <side S>
SSLPP_DECL bool context<S>::verify_mode_chosen() const {
  return impl().verify_mode_chosen;
}

SSLPP_DECL context<side::any> ssl_object::context() const {
  return detail::context_access::make<side::any>(engine_->context());
}

SSLPP_DECL client_context context_for(protocol::tls_client_t) {
  return detail::context_access::make<side::client>(detail::new_context(false));
}
SSLPP_DECL server_context context_for(protocol::tls_server_t) {
  return detail::context_access::make<side::server>(detail::new_context(true));
}
SSLPP_DECL context<side::any> context_for(protocol::tls_t) {
  return detail::context_access::make<side::any>(detail::new_context(false));
}

namespace detail {
// The settings both create_default_context functions make, as Python's does: the strict
// X.509 flags; the CAs `t` names, or else, while the context verifies its peer, the system
// store (so a server context, which asks no client for a certificate, starts with an empty
// store and trusts only what it is given); key logging to $SSLKEYLOGFILE when set.
template <side S>
context<S> default_context(context<S> ctx, const trust& t) {
  ctx.set_verify_flags(ctx.verify_flags() | verify_flags::x509_strict | verify_flags::x509_partial_chain);
  if (!t.empty()) ctx.load_verify_locations(t);
  else if (ctx.verify_mode() != verify_mode::cert_none) ctx.load_default_certs();
  if (const char* path = environment("SSLKEYLOGFILE"); path && *path) ctx.set_keylog_filename(path);
  return ctx;
}
}  // namespace detail

SSLPP_DECL client_context create_default_context(purpose::server_auth_t, const trust& t) {
  return detail::default_context(context_for(protocol::tls_client), t);
}
SSLPP_DECL client_context create_default_context() { return create_default_context(purpose::server_auth); }
SSLPP_DECL server_context create_default_context(purpose::client_auth_t, const trust& t) {
  return detail::default_context(context_for(protocol::tls_server), t);
}

SSLPP_DECL default_verify_paths get_default_verify_paths() { return detail::find_default_verify_paths(); }

#if defined(SSLPP_BUILDING_LIBRARY)
template class context<side::client>;
template class context<side::server>;
template class context<side::any>;
template stream<tcp_socket> context<side::client>::wrap_socket<tcp_socket>(tcp_socket, hostname, wrap_options) const;
template std::optional<stream<tcp_socket>> context<side::client>::wrap_socket<tcp_socket>(tcp_socket, hostname,
                                                                                         wrap_options,
                                                                                         std::error_code&) const;
template std::optional<stream<tcp_socket>> context<side::client>::wrap_socket<tcp_socket>(tcp_socket, hostname,
                                                                                         std::error_code&) const;
template stream<tcp_socket> context<side::server>::wrap_socket<tcp_socket>(tcp_socket, wrap_options) const;
template std::optional<stream<tcp_socket>> context<side::server>::wrap_socket<tcp_socket>(tcp_socket, wrap_options,
                                                                                         std::error_code&) const;
template std::optional<stream<tcp_socket>> context<side::server>::wrap_socket<tcp_socket>(tcp_socket,
                                                                                         std::error_code&) const;
template stream<tcp_socket> context<side::any>::wrap_socket<tcp_socket>(tcp_socket, hostname, wrap_options) const;
template std::optional<stream<tcp_socket>> context<side::any>::wrap_socket<tcp_socket>(tcp_socket, hostname,
                                                                                      wrap_options,
                                                                                      std::error_code&) const;
template std::optional<stream<tcp_socket>> context<side::any>::wrap_socket<tcp_socket>(tcp_socket, hostname,
                                                                                      std::error_code&) const;
template stream<tcp_socket> context<side::any>::wrap_socket<tcp_socket>(tcp_socket, server_side_t,
                                                                       wrap_options) const;
template std::optional<stream<tcp_socket>> context<side::any>::wrap_socket<tcp_socket>(tcp_socket, server_side_t,
                                                                                      wrap_options,
                                                                                      std::error_code&) const;
template std::optional<stream<tcp_socket>> context<side::any>::wrap_socket<tcp_socket>(tcp_socket, server_side_t,
                                                                                      std::error_code&) const;
#endif

SSLPP_END_NAMESPACE
