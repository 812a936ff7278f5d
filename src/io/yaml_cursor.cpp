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
#include "loopsim/frontend/sources.hpp"

namespace loopsim::io {

// Nodes parsed by the front end know their own file (a merged or included node may come from
// another file than the cursor's root); others use the cursor's file and the parser's line.
int Cursor::line() const {
  if (!node_) return 0;
  if (auto at = frontend::locate(node_)) return at->line;
  auto m = node_.Mark();
  return m.line >= 0 ? m.line + 1 : 0;
}

std::string Cursor::file() const {
  if (node_)
    if (auto at = frontend::locate(node_)) return at->file;
  return file_;
}

void Cursor::fail(const std::string& message) const {
  throw ConfigError(file(), line(), path_, message);
}

void Cursor::warn(const std::string& message) const {
  if (diag_) {
    diag_->warn(file(), line(), path_, message);
    return;
  }
  std::cerr << format_warning(Warning{file(), line(), path_, message}) << "\n";
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

YAML::Node load_yaml_file(const std::string& path) {
  return frontend::parse_yaml_text(frontend::read_text_file(path), path);
}

}  // namespace loopsim::io
