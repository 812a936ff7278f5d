// Warnings about inputs that Timeloop/timeloopfe accept but that look like a mistake
// (W/H that disagree with P/Q, factor 0, an attribute no class uses ...). Loading goes on and
// the warning is recorded with file, line and key path; in strict mode (`--strict`) a
// warning is a ConfigError instead (exit 2). One Diagnostics per run, owned by the caller
// and passed down explicitly (no global).
#pragma once

#include <string>
#include <vector>

namespace loopsim {

struct Warning {
  std::string file;
  int line = 0;  // 1-based; 0 when unknown
  std::string key_path;
  std::string message;
};

// "file:line: key.path: warning: message"
std::string format_warning(const Warning& w);

class Diagnostics {
 public:
  explicit Diagnostics(bool strict = false) : strict_(strict) {}
  // Records the warning; in strict mode throws ConfigError with the same place and text.
  void warn(std::string file, int line, std::string key_path, std::string message);
  [[nodiscard]] bool strict() const { return strict_; }
  [[nodiscard]] const std::vector<Warning>& warnings() const { return warnings_; }

 private:
  bool strict_;
  std::vector<Warning> warnings_;
};

}  // namespace loopsim
