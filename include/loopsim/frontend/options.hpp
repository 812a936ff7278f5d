// Options of the front end that the command line gives (no yaml-cpp here).
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace loopsim::frontend {

// What a --set override (or a sweep parameter) that changes a component priced by a user ERT
// does (docs/sweep.md, Energy follows the design): keep the ERT's energies and warn once
// (Pin), or price that component with loopsim's estimator (Reestimate).
enum class ErtPolicy { Pin, Reestimate };

struct Options {
  // Jinja2 variables (--var NAME=VALUE, in order); values are read as YAML scalars.
  std::vector<std::pair<std::string, std::string>> vars;
  // --set PATH=VALUE overrides (in order), applied to the merged inputs after loading
  // (io::merge_input_files); VALUE is read as YAML.
  std::vector<std::pair<std::string, std::string>> sets;
  ErtPolicy ert_policy = ErtPolicy::Pin;  // --energy pin|reestimate
};

// Parses one --var argument "NAME=VALUE" (ConfigError when it has no '=' or no name).
std::pair<std::string, std::string> parse_var(const std::string& arg);
// Parses one --set argument "PATH=VALUE" (ConfigError when it has no '=' or no path).
std::pair<std::string, std::string> parse_set(const std::string& arg);

}  // namespace loopsim::frontend
