// sides.hpp: whether a context type has a member, as a requires-expression sees it. Used
// by the twins of the side-typing cases to show that the other side's member is not
// callable at all (it is deleted there), not merely refused in its body.
#pragma once
#include <sslpp/sslpp.hpp>

namespace cf {
template <class C>
concept has_check_hostname = requires(const C& c) { c.check_hostname(); };
template <class C>
concept has_set_check_hostname = requires(C& c) { c.set_check_hostname(false); };
template <class C>
concept has_hostname_checks_common_name = requires(const C& c) { c.hostname_checks_common_name(); };
template <class C>
concept has_num_tickets = requires(C& c) { c.num_tickets(); c.set_num_tickets(1); };
template <class C>
concept has_sni_callback = requires(C& c) { c.set_sni_callback([](sslpp::sni_request&) {}); };
template <class C>
concept wraps_as_client = requires(const C& c, sslpp::tcp_socket s) { c.wrap_socket(std::move(s), "example.org"); };
template <class C>
concept wraps_as_server = requires(const C& c, sslpp::tcp_socket s) { c.wrap_socket(std::move(s)); };

using any_context = sslpp::context<sslpp::side::any>;
static_assert(has_check_hostname<sslpp::client_context> && !has_check_hostname<sslpp::server_context> &&
              has_check_hostname<any_context>);
static_assert(has_set_check_hostname<sslpp::client_context> && !has_set_check_hostname<sslpp::server_context>);
static_assert(has_hostname_checks_common_name<sslpp::client_context> &&
              !has_hostname_checks_common_name<sslpp::server_context>);
static_assert(has_num_tickets<sslpp::server_context> && !has_num_tickets<sslpp::client_context> &&
              has_num_tickets<any_context>);
static_assert(has_sni_callback<sslpp::server_context> && !has_sni_callback<sslpp::client_context> &&
              has_sni_callback<any_context>);
static_assert(wraps_as_client<sslpp::client_context> && !wraps_as_client<sslpp::server_context> &&
              wraps_as_client<any_context>);
static_assert(wraps_as_server<sslpp::server_context> && !wraps_as_server<sslpp::client_context> &&
              !wraps_as_server<any_context>);
}  // namespace cf
