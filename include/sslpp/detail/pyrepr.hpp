// sslpp — SPDX-License-Identifier: MIT
//
// detail/pyrepr.hpp: a small model of the Python values getpeercert() returns (str, int,
// tuple, dict) with Python's repr() and pprint.pformat(), so that sslpp prints a
// certificate exactly as `pprint(ssl_sock.getpeercert())` does.
#pragma once

#include <sslpp/config.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

SSLPP_BEGIN_NAMESPACE
namespace detail::py {

/// object: a Python str, int, tuple or dict (str keys). Strings hold UTF-8.
struct object {
  enum class kind { str, integer, tuple, dict };
  kind k = kind::str;
  std::string s;                  // str
  long long i = 0;                // int
  std::vector<object> items;      // tuple items, or dict values
  std::vector<std::string> keys;  // dict keys (parallel to items)

  static object str(std::string v) {
    object o;
    o.s = std::move(v);
    return o;
  }
  static object integer(long long v) {
    object o;
    o.k = kind::integer;
    o.i = v;
    return o;
  }
  static object tuple(std::vector<object> v = {}) {
    object o;
    o.k = kind::tuple;
    o.items = std::move(v);
    return o;
  }
  static object dict() {
    object o;
    o.k = kind::dict;
    return o;
  }
  /// set: adds a dict entry.
  void set(std::string key, object value) {
    keys.push_back(std::move(key));
    items.push_back(std::move(value));
  }
};

/// decode_utf8: the code points of UTF-8 text; a byte that is not valid UTF-8 becomes
/// 0xDC00 + byte (Python's surrogateescape), which repr() then writes as \udcNN.
inline std::vector<char32_t> decode_utf8(std::string_view s) {
  std::vector<char32_t> out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    int n = c < 0x80 ? 0 : (c >> 5) == 6 ? 1 : (c >> 4) == 14 ? 2 : (c >> 3) == 30 ? 3 : -1;
    char32_t cp = n == 0 ? c : n == 1 ? (c & 0x1F) : n == 2 ? (c & 0x0F) : (c & 0x07);
    bool ok = n >= 0 && i + static_cast<std::size_t>(n) < s.size();
    if (ok && n > 0) {
      for (int j = 1; ok && j <= n; ++j) {
        const auto cc = static_cast<unsigned char>(s[i + static_cast<std::size_t>(j)]);
        if ((cc >> 6) != 2) ok = false;
        else cp = (cp << 6) | (cc & 0x3F);
      }
      static constexpr char32_t min_for[] = {0, 0x80, 0x800, 0x10000};
      if (ok && (cp < min_for[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))) ok = false;
    }
    if (!ok) {
      out.push_back(0xDC00 + c);
      ++i;
      continue;
    }
    out.push_back(cp);
    i += static_cast<std::size_t>(n) + 1;
  }
  return out;
}

/// append_utf8: appends one code point as UTF-8.
inline void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

/// is_printable: str.isprintable() for one code point — false for the control, format,
/// separator (other than ' '), surrogate and private-use characters. Unassigned code
/// points are not known here and count as printable.
constexpr bool is_printable(char32_t c) noexcept {
  if (c < 0x20 || c == 0x7F) return false;
  if (c < 0x7F) return true;
  if (c <= 0xA0 || c == 0xAD) return false;
  if ((c >= 0x600 && c <= 0x605) || c == 0x61C || c == 0x6DD || c == 0x70F || c == 0x8E2 || c == 0x1680 ||
      c == 0x180E)
    return false;
  if ((c >= 0x2000 && c <= 0x200F) || (c >= 0x2028 && c <= 0x202F) || (c >= 0x205F && c <= 0x2064) ||
      (c >= 0x2066 && c <= 0x206F) || c == 0x3000)
    return false;
  if ((c >= 0xD800 && c <= 0xF8FF) || c == 0xFEFF || (c >= 0xFFF9 && c <= 0xFFFB)) return false;
  if (c == 0x110BD || c == 0x110CD || (c >= 0x13430 && c <= 0x13438) || (c >= 0x1BCA0 && c <= 0x1BCA3) ||
      (c >= 0x1D173 && c <= 0x1D17A) || c == 0xE0001 || (c >= 0xE0020 && c <= 0xE007F) || c >= 0xF0000)
    return false;
  return true;
}

/// str_repr: Python's repr() of a str: single quotes unless the text has a single quote
/// and no double quote; \\, the quote, \t \n \r escaped; other non-printable characters
/// as \xNN, \uNNNN or \UNNNNNNNN.
inline std::string str_repr(std::string_view s) {
  const std::vector<char32_t> cps = decode_utf8(s);
  const bool has_single = std::find(cps.begin(), cps.end(), U'\'') != cps.end();
  const bool has_double = std::find(cps.begin(), cps.end(), U'"') != cps.end();
  const char quote = has_single && !has_double ? '"' : '\'';
  std::string out(1, quote);
  static constexpr char hex[] = "0123456789abcdef";
  for (char32_t c : cps) {
    if (c == static_cast<char32_t>(quote) || c == U'\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == U'\t') {
      out += "\\t";
    } else if (c == U'\n') {
      out += "\\n";
    } else if (c == U'\r') {
      out += "\\r";
    } else if (is_printable(c)) {
      append_utf8(out, c);
    } else {
      const int digits = c <= 0xFF ? 2 : c <= 0xFFFF ? 4 : 8;
      out += '\\';
      out += digits == 2 ? 'x' : digits == 4 ? 'u' : 'U';
      for (int d = digits - 1; d >= 0; --d) out += hex[(c >> (4 * d)) & 15];
    }
  }
  out += quote;
  return out;
}

/// width: len() of UTF-8 text in code points.
inline std::size_t width(std::string_view s) noexcept {
  std::size_t n = 0;
  for (char c : s)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  return n;
}

/// sorted_order: a dict's entry indices sorted by key, as pprint's sort_dicts does
/// (code point order, which UTF-8 byte order preserves).
inline std::vector<std::size_t> sorted_order(const object& d) {
  std::vector<std::size_t> idx(d.keys.size());
  for (std::size_t i = 0; i < idx.size(); ++i) idx[i] = i;
  std::stable_sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return d.keys[a] < d.keys[b]; });
  return idx;
}

/// repr: Python's repr() of the value on one line (dict keys sorted, as pprint shows them).
inline std::string repr(const object& o) {
  switch (o.k) {
    case object::kind::str: return str_repr(o.s);
    case object::kind::integer: return std::to_string(o.i);
    case object::kind::tuple: {
      std::string out = "(";
      for (std::size_t i = 0; i < o.items.size(); ++i) {
        if (i) out += ", ";
        out += repr(o.items[i]);
      }
      if (o.items.size() == 1) out += ',';
      return out + ")";
    }
    case object::kind::dict: {
      std::string out = "{";
      bool first = true;
      for (std::size_t i : sorted_order(o)) {
        if (!first) out += ", ";
        first = false;
        out += str_repr(o.keys[i]) + ": " + repr(o.items[i]);
      }
      return out + "}";
    }
  }
  return {};
}

/// is_space: str.isspace() for one code point (what \s matches in Python's re).
constexpr bool is_space(char32_t c) noexcept {
  return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20) || c == 0x85 || c == 0xA0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}
/// is_line_break: a character str.splitlines() splits at.
constexpr bool is_line_break(char32_t c) noexcept {
  return c == 0x0A || c == 0x0B || c == 0x0C || c == 0x0D || c == 0x1C || c == 0x1D || c == 0x1E || c == 0x85 ||
         c == 0x2028 || c == 0x2029;
}

/// pretty_printer: pprint.PrettyPrinter(width=80, indent=1, sort_dicts=True,
/// compact=False), its _format / _pprint_dict / _pprint_tuple / _pprint_str logic.
class pretty_printer {
 public:
  explicit pretty_printer(int width = 80) : width_(width) {}

  std::string pformat(const object& o) {
    out_.clear();
    format(o, 0, 0, 0);
    return out_;
  }

 private:
  void format(const object& o, int indent, int allowance, int level) {
    const std::string rep = repr(o);
    const int max_width = width_ - indent - allowance;
    if (static_cast<int>(width(rep)) > max_width) {
      switch (o.k) {
        case object::kind::dict: return pprint_dict(o, indent, allowance, level + 1);
        case object::kind::tuple: return pprint_tuple(o, indent, allowance, level + 1);
        case object::kind::str: return pprint_str(o.s, indent, allowance, level + 1);
        case object::kind::integer: break;
      }
    }
    out_ += rep;
  }

  void pprint_dict(const object& o, int indent, int allowance, int level) {
    out_ += '{';
    if (!o.keys.empty()) {
      const std::vector<std::size_t> order = sorted_order(o);
      indent += 1;
      allowance += 1;
      for (std::size_t n = 0; n < order.size(); ++n) {
        const bool last = n + 1 == order.size();
        const std::string key = str_repr(o.keys[order[n]]);
        out_ += key;
        out_ += ": ";
        format(o.items[order[n]], indent + static_cast<int>(width(key)) + 2, last ? allowance : 1, level);
        if (!last) out_ += ",\n" + std::string(static_cast<std::size_t>(indent), ' ');
      }
    }
    out_ += '}';
  }

  void pprint_tuple(const object& o, int indent, int allowance, int level) {
    out_ += '(';
    const std::string endchar = o.items.size() == 1 ? ",)" : ")";
    allowance += static_cast<int>(endchar.size());
    indent += 1;
    for (std::size_t n = 0; n < o.items.size(); ++n) {
      const bool last = n + 1 == o.items.size();
      if (n) out_ += ",\n" + std::string(static_cast<std::size_t>(indent), ' ');
      format(o.items[n], indent, last ? allowance : 1, level);
    }
    out_ += endchar;
  }

  void pprint_str(const std::string& s, int indent, int allowance, int level) {
    if (s.empty()) {
      out_ += str_repr(s);
      return;
    }
    const std::vector<char32_t> cps = decode_utf8(s);
    // str.splitlines(keepends=True)
    std::vector<std::u32string> lines;
    std::u32string cur;
    for (std::size_t i = 0; i < cps.size(); ++i) {
      cur += cps[i];
      if (is_line_break(cps[i])) {
        if (cps[i] == U'\r' && i + 1 < cps.size() && cps[i + 1] == U'\n') cur += cps[++i];
        lines.push_back(std::move(cur));
        cur.clear();
      }
    }
    if (!cur.empty()) lines.push_back(std::move(cur));
    const auto to_utf8 = [](const std::u32string& u) {
      std::string r;
      for (char32_t c : u) append_utf8(r, c);
      return r;
    };
    const auto rep_of = [&](const std::u32string& u) { return str_repr(to_utf8(u)); };

    if (level == 1) {
      indent += 1;
      allowance += 1;
    }
    int max_width1 = width_ - indent;
    const int max_width = max_width1;
    std::vector<std::string> chunks;
    std::string rep;
    for (std::size_t i = 0; i < lines.size(); ++i) {
      const std::u32string& line = lines[i];
      rep = rep_of(line);
      const bool last_line = i + 1 == lines.size();
      if (last_line) max_width1 -= allowance;
      if (static_cast<int>(width(rep)) <= max_width1) {
        chunks.push_back(rep);
        continue;
      }
      // re.findall(r'\S*\s*', line) without its final empty match
      std::vector<std::u32string> parts;
      for (std::size_t p = 0; p < line.size();) {
        const std::size_t start = p;
        while (p < line.size() && !is_space(line[p])) ++p;
        while (p < line.size() && is_space(line[p])) ++p;
        parts.push_back(line.substr(start, p - start));
      }
      int max_width2 = max_width;
      std::u32string current;
      for (std::size_t j = 0; j < parts.size(); ++j) {
        const std::u32string candidate = current + parts[j];
        if (j + 1 == parts.size() && last_line) max_width2 -= allowance;
        if (static_cast<int>(width(rep_of(candidate))) > max_width2) {
          if (!current.empty()) chunks.push_back(rep_of(current));
          current = parts[j];
        } else {
          current = candidate;
        }
      }
      if (!current.empty()) chunks.push_back(rep_of(current));
    }
    if (chunks.size() == 1) {
      out_ += rep;
      return;
    }
    if (level == 1) out_ += '(';
    for (std::size_t i = 0; i < chunks.size(); ++i) {
      if (i) out_ += "\n" + std::string(static_cast<std::size_t>(indent), ' ');
      out_ += chunks[i];
    }
    if (level == 1) out_ += ')';
  }

  int width_;
  std::string out_;
};

/// pformat: pprint.pformat(o) with Python's defaults.
inline std::string pformat(const object& o) { return pretty_printer().pformat(o); }

}  // namespace detail::py
SSLPP_END_NAMESPACE
