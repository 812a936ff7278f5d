#include "yaml_cursor.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <iostream>
#include <iterator>
#include <charconv>
#include <tuple>
#include <unordered_map>

#include "loopsim/core/expr.hpp"
#include "loopsim/core/limits.hpp"
#include "loopsim/core/text.hpp"

namespace loopsim::io {

int Cursor::line() const {
  if (!node_) return 0;
  auto m = node_.Mark();
  return m.line >= 0 ? m.line + 1 : 0;
}

void Cursor::fail(const std::string& message) const {
  throw ConfigError(file_, line(), path_, message);
}

void Cursor::warn(const std::string& message) const {
  if (diag_) {
    diag_->warn(file_, line(), path_, message);
    return;
  }
  std::cerr << format_warning(Warning{file_, line(), path_, message}) << "\n";
}

bool Cursor::is_empty() const {
  if (is_null()) return true;
  if (node_.IsMap() || node_.IsSequence()) return node_.size() == 0;
  if (node_.IsScalar()) return node_.Scalar().empty() && node_.Tag() != "!";
  return false;
}

std::string Cursor::tag() const {
  std::string t = node_ ? node_.Tag() : "";
  if (t == "?" || t == "!" || t.empty()) return "";
  return t;
}

void Cursor::expect_map() const {
  if (!node_.IsMap()) fail("expected a map (key: value pairs)");
}

void Cursor::expect_seq() const {
  if (!node_.IsSequence()) fail("expected a list");
}

static std::string child_path(const std::string& base, const std::string& key) {
  return base.empty() ? key : base + "." + key;
}

Cursor Cursor::required(const std::string& key) const {
  expect_map();
  YAML::Node n = node_[key];
  if (!n) fail("missing required key '" + key + "'");
  return Cursor(n, file_, child_path(path_, key), diag_);
}

Cursor Cursor::key(const std::string& key) const {
  Cursor value = required(key);
  for (auto it = node_.begin(); it != node_.end(); ++it)
    if (it->first.IsScalar() && it->first.Scalar() == key) return Cursor(it->first, file_, value.path(), diag_);
  return value;
}

std::optional<Cursor> Cursor::optional(const std::string& key) const {
  if (!node_.IsMap()) return std::nullopt;
  YAML::Node n = node_[key];
  if (!n) return std::nullopt;
  return Cursor(n, file_, child_path(path_, key), diag_);
}

std::optional<Cursor> Cursor::optional_any(std::initializer_list<const char*> keys) const {
  std::optional<Cursor> found;
  for (auto k : keys) {
    if (auto c = optional(k)) {
      if (found) c->fail("'" + std::string(k) + "' repeats '" + found->path() + "' (an alias)");
      found = c;
    }
  }
  return found;
}

// Keys must be plain names and appear once per map (yaml-cpp keeps duplicates silently).
// A hash set keeps this linear in the size of the map.
static void check_keys(const YAML::Node& map, const std::string& file, const std::string& path) {
  std::unordered_map<std::string, int> seen;
  seen.reserve(map.size());
  for (auto it = map.begin(); it != map.end(); ++it) {
    Cursor at(it->first, file, path);
    if (!it->first.IsScalar()) at.fail("keys must be plain names, not lists or maps");
    const std::string& key = it->first.Scalar();
    auto [first, inserted] = seen.emplace(key, at.line());
    if (!inserted)
      Cursor(it->first, file, child_path(path, key))
          .fail("key '" + key + "' is given twice in the same map (first at line " +
                std::to_string(first->second) + "); expected each key once");
  }
}

void Cursor::allow_keys(const std::vector<std::string>& allowed) const {
  expect_map();
  check_keys(node_, file_, path_);
  for (auto it = node_.begin(); it != node_.end(); ++it) {
    std::string key = it->first.Scalar();
    bool ok = false;
    for (const auto& a : allowed) ok |= (a == key);
    if (!ok) {
      Cursor at(it->first, file_, child_path(path_, key), diag_);
      at.fail("unknown key '" + key + "'" + did_you_mean(key, allowed) +
              "; expected one of: " + join(allowed));
    }
  }
}

std::vector<Cursor> Cursor::items() const {
  expect_seq();
  std::vector<Cursor> out;
  for (std::size_t i = 0; i < node_.size(); ++i)
    out.emplace_back(node_[i], file_, path_ + "[" + std::to_string(i) + "]", diag_);
  return out;
}

std::vector<std::pair<std::string, Cursor>> Cursor::entries() const {
  expect_map();
  check_keys(node_, file_, path_);
  std::vector<std::pair<std::string, Cursor>> out;
  for (auto it = node_.begin(); it != node_.end(); ++it) {
    std::string key = it->first.Scalar();
    out.emplace_back(key, Cursor(it->second, file_, child_path(path_, key), diag_));
  }
  return out;
}

std::string Cursor::str() const {
  if (!node_.IsScalar()) fail("expected a single value (text or number)");
  // A YAML tag on a value (`!!seq 64`, `!foo 64`) has no meaning in these files: only the
  // standard scalar tags are read, as the plain value.
  std::string t = node_.Tag();
  if (!t.empty() && t != "?" && t != "!") {
    static const char* const kScalarTags[] = {"tag:yaml.org,2002:str", "tag:yaml.org,2002:int",
                                              "tag:yaml.org,2002:float"};
    bool ok = false;
    for (const char* k : kScalarTags) ok |= (t == k);
    if (!ok) {
      std::string shown = t.rfind("tag:yaml.org,2002:", 0) == 0 ? "!!" + t.substr(18) : t;
      fail("the YAML tag '" + shown + "' on the value '" + node_.Scalar() +
           "' is not supported; expected a plain value (remove the tag)");
    }
  }
  return node_.Scalar();
}

bool Cursor::quoted() const { return node_ && node_.IsScalar() && node_.Tag() == "!"; }

double Cursor::number() const {
  std::string s = str();
  auto v = parse_number(s);
  if (!v) fail("expected a number, got '" + s + "'");
  if (!std::isfinite(*v))
    fail("the number '" + s + "' is out of range; numbers must be finite (at most 1.8e308)");
  return *v;
}

// Whole numbers are read exactly when written as digits; up to 2^53 either way.
std::int64_t Cursor::integer() const {
  std::string s = str();
  std::size_t b = s.find_first_not_of(" \t"), e = s.find_last_not_of(" \t");
  std::string digits = b == std::string::npos ? "" : s.substr(b, e - b + 1);
  if (!digits.empty() && digits[0] == '+') digits.erase(0, 1);
  bool plain = !digits.empty() &&
               digits.find_first_not_of("0123456789", digits[0] == '-' ? 1 : 0) ==
                   std::string::npos &&
               digits != "-";
  auto too_large = [&]() {
    fail("the whole number '" + s + "' is too large: loopsim reads whole numbers up to " +
         limits::describe(limits::kMaxInteger) + " (docs/formats.md, Limits)");
  };
  if (plain) {
    std::int64_t v = 0;
    auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
    if (ec != std::errc() || ptr != digits.data() + digits.size() || v > limits::kMaxInteger ||
        v < -limits::kMaxInteger)
      too_large();
    return v;
  }
  double v = number();
  if (std::floor(v) != v) fail("expected a whole number, got '" + s + "'");
  if (std::fabs(v) > static_cast<double>(limits::kMaxInteger)) too_large();
  return static_cast<std::int64_t>(v);
}

std::int64_t Cursor::positive_integer() const {
  std::int64_t v = integer();
  if (v <= 0) fail("expected a positive whole number, got '" + str() + "'");
  return v;
}

std::int64_t Cursor::integer_in(std::int64_t lo, std::int64_t hi, const std::string& what) const {
  std::int64_t v = integer();
  if (lo == 1 && v < 1) fail("expected a positive whole number, got '" + str() + "'");
  if (v < lo || v > hi)
    fail(what + " must be between " + std::to_string(lo) + " and " + limits::describe(hi) +
         ", got " + str() + " (docs/formats.md, Limits)");
  return v;
}

bool Cursor::boolean() const {
  std::string s = str();
  if (s == "true" || s == "True" || s == "TRUE" || s == "yes" || s == "1") return true;
  if (s == "false" || s == "False" || s == "FALSE" || s == "no" || s == "0") return false;
  fail("expected true or false, got '" + s + "'");
}

// Line (1-based) of the first byte that is not part of valid UTF-8, or 0.
static int first_bad_utf8_line(const std::string& text) {
  int line = 1;
  std::size_t i = 0, n = text.size();
  while (i < n) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c == '\n') ++line;
    std::size_t len = c < 0x80           ? 1
                      : (c >> 5) == 0x6  ? 2
                      : (c >> 4) == 0xE  ? 3
                      : (c >> 3) == 0x1E ? 4
                                         : 0;
    if (len == 0 || i + len > n || (len == 2 && c < 0xC2)) return line;
    for (std::size_t k = 1; k < len; ++k)
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return line;
    if (c == 0) return line;  // NUL bytes are not YAML text either
    i += len;
  }
  return 0;
}

static std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

// The last line at or before `line` that opens more `open` brackets than it closes, or 0.
static int unclosed_line(const std::vector<std::string>& lines, int line, char open, char close) {
  for (int l = std::min<int>(line, static_cast<int>(lines.size())); l >= 1; --l) {
    std::string row = lines[l - 1].substr(0, lines[l - 1].find(" #"));
    int depth = 0;
    for (char ch : row) depth += ch == open ? 1 : ch == close ? -1 : 0;
    if (depth > 0) return l;
  }
  return 0;
}

// A plainer explanation of yaml-cpp's most common syntax messages; may move `line` to where
// the mistake is (an unclosed bracket is reported by yaml-cpp only where it gives up).
static std::string syntax_hint(const std::string& text, int& line, const std::string& msg) {
  auto lines = split_lines(text);
  std::string row = line >= 1 && line <= static_cast<int>(lines.size()) ? lines[line - 1] : "";
  std::string lead = row.substr(0, row.find_first_not_of(" \t"));
  if (lead.find('\t') != std::string::npos)
    return " (this line is indented with a tab; YAML indentation must use spaces)";
  for (auto [what, open, close] : {std::tuple{"end of sequence flow", '[', ']'},
                                   std::tuple{"end of map flow", '{', '}'}}) {
    if (msg.find(what) == std::string::npos) continue;
    std::string hint = std::string(" (a '") + open + "' is not closed with '" + close + "'";
    if (int at = unclosed_line(lines, line, open, close); at > 0 && at != line) {
      hint += "; found while reading line " + std::to_string(line);
      line = at;
    }
    return hint + ")";
  }
  if (msg.find("illegal map value") != std::string::npos ||
      msg.find("end of map not found") != std::string::npos ||
      msg.find("end of sequence not found") != std::string::npos)
    return " (check the indentation of this line against the lines above it)";
  if (msg.find("end of string") != std::string::npos)
    return " (a quoted string is not closed)";
  return "";
}

// The whole text of an input file. Only regular files are read (a FIFO without a writer
// would block, /dev/zero never ends); the size is limited; every failure names the file.
static std::string read_input_file(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0)
    throw ConfigError(path, 0, "", std::string("cannot open file: ") + std::strerror(errno));
  if (S_ISDIR(st.st_mode))
    throw ConfigError(path, 0, "", "is a directory; expected a YAML file");
  if (!S_ISREG(st.st_mode))
    throw ConfigError(path, 0, "",
                      "not a regular file (a FIFO, socket or device); expected a YAML file");
  auto too_large = [&](std::int64_t bytes) {
    return ConfigError(path, 0, "",
                       "the file is larger than loopsim reads (" + std::to_string(bytes) +
                           " bytes or more; the limit is " +
                           std::to_string(limits::kMaxFileBytes >> 20) +
                           " MiB, docs/formats.md, Limits)");
  };
  if (st.st_size > limits::kMaxFileBytes) throw too_large(st.st_size);
  int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0)
    throw ConfigError(path, 0, "", std::string("cannot open file: ") + std::strerror(errno));
  std::string text;
  char buf[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      ::close(fd);
      throw ConfigError(path, 0, "", std::string("cannot read file: ") + std::strerror(err));
    }
    if (n == 0) break;
    text.append(buf, static_cast<std::size_t>(n));
    if (static_cast<std::int64_t>(text.size()) > limits::kMaxFileBytes) {
      ::close(fd);
      throw too_large(static_cast<std::int64_t>(text.size()));
    }
  }
  ::close(fd);
  return text;
}

// The line where lists and maps first nest deeper than the limit, or 0. Counts block
// nesting by indentation and '- ' items, and flow nesting by brackets outside quotes and
// comments; a conservative over-count only matters near the limit, far above real files.
static int too_deep_line(const std::string& text) {
  int line = 1, flow = 0;
  std::vector<std::size_t> indents;  // open block levels by indentation
  std::size_t i = 0, n = text.size();
  while (i < n) {
    std::size_t eol = text.find('\n', i);
    if (eol == std::string::npos) eol = n;
    std::size_t col = i;
    while (col < eol && text[col] == ' ') ++col;
    if (flow == 0 && col < eol && text[col] != '#') {
      std::size_t ind = col - i;
      while (!indents.empty() && indents.back() > ind) indents.pop_back();
      if (indents.empty() || indents.back() < ind) indents.push_back(ind);
      std::size_t k = col, dashes = 0;
      while (k + 1 < eol && text[k] == '-' && text[k + 1] == ' ') {
        ++dashes;
        k += 2;
        while (k < eol && text[k] == ' ') ++k;
      }
      if (static_cast<int>(indents.size() + dashes) > limits::kMaxNesting) return line;
    }
    char quote = 0;
    for (std::size_t k = col; k < eol; ++k) {
      char c = text[k];
      if (quote) {
        if (c == quote) quote = 0;
        continue;
      }
      if (c == '"' || c == '\'') quote = c;
      else if (c == '#' && (k == i || text[k - 1] == ' ')) break;
      else if (c == '[' || c == '{') {
        if (static_cast<int>(indents.size()) + ++flow > limits::kMaxNesting) return line;
      } else if ((c == ']' || c == '}') && flow > 0) --flow;
    }
    i = eol + 1;
    ++line;
  }
  return 0;
}

YAML::Node load_yaml_file(const std::string& path) {
  std::string text = read_input_file(path);
  if (int bad = first_bad_utf8_line(text))
    throw ConfigError(path, bad, "", "not valid UTF-8 text; expected a UTF-8 YAML file");
  if (int deep = too_deep_line(text))
    throw ConfigError(path, deep, "",
                      "lists and maps are nested too deeply (more than " +
                          std::to_string(limits::kMaxNesting) + " levels)");
  try {
    return YAML::Load(text);
  } catch (const YAML::ParserException& e) {
    int line = e.mark.line >= 0 ? e.mark.line + 1 : 0;
    int reported = line;
    std::string hint = syntax_hint(text, line, e.msg);
    std::string where = e.mark.column >= 0 && line == reported
                            ? " at column " + std::to_string(e.mark.column + 1)
                            : "";
    throw ConfigError(path, line, "", "YAML syntax error" + where + ": " + e.msg + hint);
  } catch (const YAML::Exception& e) {
    throw ConfigError(path, e.mark.line >= 0 ? e.mark.line + 1 : 0, "", "YAML error: " + e.msg);
  }
}

}  // namespace loopsim::io
