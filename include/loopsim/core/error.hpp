// Errors: ConfigError is the user's fault (bad input, exit code 2); InternalError is ours.
#pragma once

#include <sstream>
#include <stdexcept>
#include <string>

namespace loopsim {

// A problem in the user's input, located by file, line (1-based, 0 when unknown)
// and key path (e.g. "architecture.nodes[2].attributes.depth").
class ConfigError : public std::runtime_error {
 public:
  ConfigError(std::string file, int line, std::string key_path, std::string message);
  const std::string& file() const { return file_; }
  int line() const { return line_; }
  const std::string& key_path() const { return key_path_; }
  const std::string& message() const { return message_; }

 private:
  std::string file_;
  int line_;
  std::string key_path_;
  std::string message_;
};

// A broken invariant inside loopsim.
class InternalError : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

[[noreturn]] void internal_failure(const char* file, int line, const std::string& what);

}  // namespace loopsim

// Always-on invariant check; never compiled out.
#define LOOPSIM_CHECK(cond, msg)                                       \
  do {                                                                 \
    if (!(cond)) {                                                     \
      std::ostringstream loopsim_check_os_;                            \
      loopsim_check_os_ << #cond << ": " << msg;                       \
      ::loopsim::internal_failure(__FILE__, __LINE__, loopsim_check_os_.str()); \
    }                                                                  \
  } while (0)
