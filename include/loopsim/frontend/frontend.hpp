// loopsim's front end (like timeloopfe's YAML loader): YAML in, one resolved tree out.
// A file is rendered with Jinja2 first when it is a template (.jinja2, .j2, .jinja, or a file
// that contains {{ / {% / {#); then include()/include_all() placeholders and the !include,
// !include_all, !includedir tags are replaced by the included files' trees, `<<<` (recursive
// merge) and `<<` (merge key) are applied at every depth, and keys containing "ignore" are
// dropped. Every node keeps its own file and line (sources.hpp: locate()).
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

#include "loopsim/frontend/options.hpp"
#include "loopsim/frontend/sources.hpp"

namespace loopsim::frontend {

// The resolved tree of one input file. Throws ConfigError naming the file and line.
YAML::Node load_file(const std::string& path, const Options& options = {});

// The tree after merges and ignore-keys alone (no rendering or includes); for tests and for
// trees parsed from text. Modifies `node` in place and returns it.
YAML::Node resolve_merges(YAML::Node node);

// `--render-only`: the resolved YAML of every file, one document each (without the --set
// overrides: io::render_with_overrides applies them).
std::string render_only(const std::vector<std::string>& files, const Options& options);
// The same for trees already loaded: (file, tree), one document each.
std::string render_trees(const std::vector<std::pair<std::string, YAML::Node>>& trees);

// True for a file the front end renders with Jinja2 (by name or by content).
[[nodiscard]] bool is_template(const std::string& path, const std::string& text);

}  // namespace loopsim::frontend
