#include "yaml_cursor.hpp"

#include <cmath>
#include <fstream>

#include "loopsim/core/expr.hpp"
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
  return Cursor(n, file_, child_path(path_, key));
}

std::optional<Cursor> Cursor::optional(const std::string& key) const {
  if (!node_.IsMap()) return std::nullopt;
  YAML::Node n = node_[key];
  if (!n) return std::nullopt;
  return Cursor(n, file_, child_path(path_, key));
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

void Cursor::allow_keys(const std::vector<std::string>& allowed) const {
  expect_map();
  for (auto it = node_.begin(); it != node_.end(); ++it) {
    std::string key = it->first.as<std::string>();
    bool ok = false;
    for (const auto& a : allowed) ok |= (a == key);
    if (!ok) {
      Cursor at(it->first, file_, child_path(path_, key));
      at.fail("unknown key '" + key + "'" + did_you_mean(key, allowed) +
              "; expected one of: " + join(allowed));
    }
  }
}

std::vector<Cursor> Cursor::items() const {
  expect_seq();
  std::vector<Cursor> out;
  for (std::size_t i = 0; i < node_.size(); ++i)
    out.emplace_back(node_[i], file_, path_ + "[" + std::to_string(i) + "]");
  return out;
}

std::vector<std::pair<std::string, Cursor>> Cursor::entries() const {
  expect_map();
  std::vector<std::pair<std::string, Cursor>> out;
  for (auto it = node_.begin(); it != node_.end(); ++it) {
    if (!it->first.IsScalar())
      Cursor(it->first, file_, path_).fail("keys must be plain names");
    std::string key = it->first.as<std::string>();
    out.emplace_back(key, Cursor(it->second, file_, child_path(path_, key)));
  }
  return out;
}

std::string Cursor::str() const {
  if (!node_.IsScalar()) fail("expected a single value (text or number)");
  return node_.Scalar();
}

bool Cursor::quoted() const { return node_ && node_.IsScalar() && node_.Tag() == "!"; }

double Cursor::number() const {
  std::string s = str();
  auto v = parse_number(s);
  if (!v) fail("expected a number, got '" + s + "'");
  return *v;
}

std::int64_t Cursor::integer() const {
  double v = number();
  if (std::floor(v) != v || std::fabs(v) > 9e15) fail("expected a whole number, got '" + str() + "'");
  return static_cast<std::int64_t>(v);
}

std::int64_t Cursor::positive_integer() const {
  std::int64_t v = integer();
  if (v <= 0) fail("expected a positive whole number, got '" + str() + "'");
  return v;
}

bool Cursor::boolean() const {
  std::string s = str();
  if (s == "true" || s == "True" || s == "TRUE" || s == "yes" || s == "1") return true;
  if (s == "false" || s == "False" || s == "FALSE" || s == "no" || s == "0") return false;
  fail("expected true or false, got '" + s + "'");
}

YAML::Node load_yaml_file(const std::string& path) {
  std::ifstream f(path);
  if (!f) throw ConfigError(path, 0, "", "cannot open file");
  try {
    return YAML::Load(f);
  } catch (const YAML::ParserException& e) {
    throw ConfigError(path, e.mark.line + 1, "", "YAML syntax error: " + e.msg);
  } catch (const YAML::Exception& e) {
    throw ConfigError(path, e.mark.line >= 0 ? e.mark.line + 1 : 0, "", e.msg);
  }
}

}  // namespace loopsim::io
