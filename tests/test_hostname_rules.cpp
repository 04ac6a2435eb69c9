// Host name rules: the same rules at compile time (literals) and at run time
// (runtime_hostname). The literal side's messages are checked by tests/compile_fail.
#include <sslpp/hostname.hpp>

#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>
#include <utility>

namespace {
using sslpp::hostname_fault;
constexpr hostname_fault fault_of(std::string_view s) { return sslpp::detail::host_fault(s); }

// The constexpr rules, evaluated by the compiler.
static_assert(fault_of("example.org") == hostname_fault::none);
static_assert(fault_of("example.org.") == hostname_fault::none);
static_assert(fault_of("a..b") == hostname_fault::empty_label);
static_assert(fault_of("192.0.2.1") == hostname_fault::none);
static_assert(fault_of("192.0.2.256") == hostname_fault::bad_ip_address);
static_assert(fault_of("2001:db8::1") == hostname_fault::none);
static_assert(fault_of("::ffff:192.0.2.1") == hostname_fault::none);
static_assert(fault_of("1::2::3") == hostname_fault::bad_ip_address);
static_assert(fault_of("example.org:443") == hostname_fault::bad_character);
static_assert(sslpp::hostname("::1").is_ip_address() && !sslpp::hostname("localhost").is_ip_address());
}  // namespace

TEST_CASE("runtime_hostname refuses what a literal cannot hold and names the fault", "[hostname]") {
  const std::pair<std::string, std::string> bad[] = {
      {"", "is empty"},
      {".example.org", "starts with a dot"},
      {"www..example.org", "two dots in a row"},
      {"example.org..", "more than one dot"},
      {std::string("example.org\0evil.com", 20), "NUL"},
      {std::string(64, 'a') + ".example", "label longer than 63"},
      {std::string(60, 'a') + "." + std::string(60, 'b') + "." + std::string(60, 'c') + "." + std::string(60, 'd') +
           ".eeeeeeeeeeeee",
       "longer than 253"},
      {"example.org:443", "cannot hold"},
      {"exa mple.org", "cannot hold"},
      {"[::1]", "cannot hold"},
      {"https://example.org", "cannot hold"},
      {"b\xc3\xbc" "cher.example", "not ASCII"},
      {"192.0.2.256", "not a valid IP address"},
      {"1.2.3", "not a valid IP address"},
      {"2001:db8::1::2", "not a valid IP address"},
      {"1:2:3:4:5:6:7:8:9", "not a valid IP address"},
      {"12345::1", "not a valid IP address"},
  };
  for (const auto& [name, words] : bad) {
    CAPTURE(name);
    CHECK_THROWS_AS(sslpp::runtime_hostname(name), std::invalid_argument);
    CHECK_THROWS_WITH(sslpp::runtime_hostname(name), Catch::Contains(words) && Catch::Contains("invalid host name"));
    CHECK(fault_of(name) != hostname_fault::none);  // the rule a literal is checked with
  }
}

TEST_CASE("runtime_hostname accepts host names and IPv4 and IPv6 addresses", "[hostname]") {
  const std::string label63(63, 'a');
  const char* good[] = {"example.org", "example.org.", "localhost", "xn--bcher-kva.example", "a_b-c.example",
                        "192.0.2.1", "::1", "::", "2001:db8::1", "2001:db8:0:0:0:0:0:1", "::ffff:192.0.2.1",
                        "fe80::", label63.c_str()};
  for (const char* name : good) {
    CAPTURE(name);
    CHECK_NOTHROW(sslpp::runtime_hostname(name));
  }
  CHECK(sslpp::runtime_hostname("192.0.2.1").is_ip_address());
  CHECK(sslpp::runtime_hostname("2001:db8::1").is_ip_address());
  CHECK_FALSE(sslpp::runtime_hostname("example.org").is_ip_address());
  CHECK(sslpp::runtime_hostname("example.org.").canonical() == "example.org");
}
