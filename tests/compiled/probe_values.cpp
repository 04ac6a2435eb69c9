// A program's translation unit in the compiled mode using certificate.hpp, error.hpp,
// format.hpp, private_key_signer.hpp, session.hpp and session_cache.hpp: the definitions of certificate,
// distinguished_name, the error categories, the exceptions, the formatters' format(),
// session, session_cache and signature_completion must come from the sslpp_compiled library, and this file must
// call no backend function itself (tests/compiled/check_values_probe.cmake reads its
// symbols with nm).
#include <sslpp/certificate.hpp>
#include <sslpp/error.hpp>
#include <sslpp/format.hpp>
#include <sslpp/private_key_signer.hpp>
#include <sslpp/session.hpp>
#include <sslpp/session_cache.hpp>

#include <cstddef>
#include <span>
#include <string>

#include <string_view>

int probe_certificate(std::string_view pem) {
  if (pem.empty()) throw sslpp::ssl_error(sslpp::make_error_code(sslpp::ssl_errc::ssl), "no PEM text");
  try {
    const auto cert = sslpp::certificate::from_pem(pem);
    const auto copy = cert;
    auto n = static_cast<int>(cert.subject().rfc4514().size() + cert.fingerprint().size());
    n += cert.matches_hostname("localhost") ? 1 : 0;
    n += copy == cert ? 1 : 0;
    n += static_cast<int>(sslpp::der_cert_to_pem_cert(cert.to_der()).size());
    n += static_cast<int>(fmt::format("{} {:sha1} {:rfc4514} {:>8}", cert, cert, cert.subject(), sslpp::digest::sha1).size());
    return n;
  } catch (const sslpp::cert_verification_error& e) {
    return static_cast<int>(e.verify_code());
  } catch (const sslpp::ssl_error& e) {
    if (fmt::format("{:>20}", e).empty()) return -3;
    return e.code().category() == sslpp::boringssl_category() ? -1 : -2;
  }
}

int probe_session(std::span<const std::byte> bytes) {
  sslpp::session_cache cache(8, 2);
  std::error_code ec;
  const auto s = sslpp::session::from_bytes(bytes, ec);
  cache.put(s);
  const auto copy = s;
  return static_cast<int>(cache.size() + cache.count("example.org") + s.to_bytes().size()) + (copy == s ? 1 : 0) +
         (s.native_handle() != nullptr ? 1 : 0);
}

int probe_signature_completion(bool fail) {
  const sslpp::signature_completion completion;  // answers nothing: both calls return false
  return fail ? completion.fail("no key") : completion.complete({});
}
