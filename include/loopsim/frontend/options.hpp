// Options of the front end that the command line gives (no yaml-cpp here).
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace loopsim::frontend {

struct Options {
  // Jinja2 variables (--var NAME=VALUE, in order); values are read as YAML scalars.
  std::vector<std::pair<std::string, std::string>> vars;
};

// Parses one --var argument "NAME=VALUE" (ConfigError when it has no '=' or no name).
std::pair<std::string, std::string> parse_var(const std::string& arg);

}  // namespace loopsim::frontend
