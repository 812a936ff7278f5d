// YAML access with file, line and key path for every error (private to io/).
#pragma once

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <vector>

#include "loopsim/core/diagnostics.hpp"
#include "loopsim/core/error.hpp"

namespace loopsim::io {

class Cursor {
 public:
  Cursor() = default;
  // `diag` receives warnings (Cursor::warn); children inherit it. Without one, warnings are
  // printed on stderr.
  Cursor(YAML::Node node, std::string file, std::string path, Diagnostics* diag = nullptr)
      : node_(std::move(node)), file_(std::move(file)), path_(std::move(path)), diag_(diag) {}

  [[nodiscard]] const YAML::Node& node() const { return node_; }
  // The file the node was written in (front-end provenance; else the cursor's file).
  [[nodiscard]] std::string file() const;
  [[nodiscard]] const std::string& path() const { return path_; }
  [[nodiscard]] int line() const;
  [[noreturn]] void fail(const std::string& message) const;
  // An input Timeloop accepts but that looks like a mistake: recorded (an error under --strict).
  void warn(const std::string& message) const;
  [[nodiscard]] Diagnostics* diagnostics() const { return diag_; }
  // A cursor on another node of the same file, with this cursor's diagnostics.
  [[nodiscard]] Cursor at(YAML::Node node, std::string path) const {
    return Cursor(std::move(node), file_, std::move(path), diag_);
  }

  [[nodiscard]] bool is_map() const { return node_.IsMap(); }
  [[nodiscard]] bool is_seq() const { return node_.IsSequence(); }
  [[nodiscard]] bool is_scalar() const { return node_.IsScalar(); }
  [[nodiscard]] bool is_null() const { return !node_ || node_.IsNull(); }
  // Null, empty map, empty sequence or empty string.
  [[nodiscard]] bool is_empty() const;
  [[nodiscard]] std::string tag() const;  // explicit tag like "!Container", or ""

  void expect_map() const;
  void expect_seq() const;
  [[nodiscard]] Cursor required(const std::string& key) const;
  [[nodiscard]] std::optional<Cursor> optional(const std::string& key) const;
  // Where `key` itself is written (for messages about its value as a whole).
  [[nodiscard]] Cursor key(const std::string& key) const;
  // First present key of several aliases.
  [[nodiscard]] std::optional<Cursor> optional_any(std::initializer_list<const char*> keys) const;
  // Errors on keys not in `allowed`, with a suggestion.
  void allow_keys(const std::vector<std::string>& allowed) const;
  [[nodiscard]] std::vector<Cursor> items() const;                         // sequence
  [[nodiscard]] std::vector<std::pair<std::string, Cursor>> entries() const;  // map

  [[nodiscard]] std::string str() const;
  [[nodiscard]] std::int64_t integer() const;
  [[nodiscard]] std::int64_t positive_integer() const;
  // A whole number in [lo, hi]; `what` names it in the message ("a bound").
  [[nodiscard]] std::int64_t integer_in(std::int64_t lo, std::int64_t hi,
                                        const std::string& what) const;
  [[nodiscard]] double number() const;
  [[nodiscard]] bool boolean() const;
  [[nodiscard]] bool quoted() const;  // scalar written in quotes

 private:
  YAML::Node node_;
  std::string file_;
  std::string path_;
  Diagnostics* diag_ = nullptr;
};

// Parses a YAML file as written (no templates or merges: see frontend::load_file);
// ConfigError on syntax errors (with the parser's line).
YAML::Node load_yaml_file(const std::string& path);

}  // namespace loopsim::io
