// Private to frontend/: rendering one Jinja2 template (render.cpp) and the tree resolution
// steps (includes.cpp, merge.cpp).
#pragma once

#include <string>
#include <vector>

#include "loopsim/frontend/frontend.hpp"

namespace loopsim::frontend::detail {

struct Rendered {
  std::string text;
  std::vector<Origin> origins;  // per line of text: the template file and line
};
// Renders `path` with the --var variables and the include path of the including template.
Rendered render_template(const std::string& path, const Options& options,
                         const std::vector<std::string>& include_dirs);

// A libconfig (.cfg) text as YAML flow text with the same lines (libconfig.cpp).
std::string libconfig_to_yaml(const std::string& cfg);

// Loads one file with the include path of its includer (frontend.cpp).
YAML::Node load_with_dirs(const std::string& path, const Options& options,
                          const std::vector<std::string>& include_dirs, int depth);

}  // namespace loopsim::frontend::detail
