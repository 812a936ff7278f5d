// --set PATH=VALUE: one value of the merged inputs replaced before they are parsed
// (docs/formats.md, Overrides). PATH is a dotted key path from a top-level key; a list
// element is addressed by its index (`nodes[3]` or `nodes.3`) or by its `name`, which is
// also looked for inside unnamed groups' `nodes:` (a v0.4 !Parallel), so
// `architecture.nodes.glb.attributes.depth` reaches the component named glb.
#include "io_internal.hpp"
#include "loopsim/core/text.hpp"
#include "loopsim/frontend/frontend.hpp"
#include "loopsim/frontend/sources.hpp"

#include <algorithm>

namespace loopsim::io {

namespace {

// "nodes[3]" -> "nodes", "3"; "a.b" -> "a", "b".
std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> parts;
  std::string cur;
  for (char ch : path) {
    if (ch == '.' || ch == '[' || ch == ']') {
      if (!cur.empty()) parts.push_back(cur);
      cur.clear();
    } else {
      cur += ch;
    }
  }
  if (!cur.empty()) parts.push_back(cur);
  return parts;
}

std::string name_of(const YAML::Node& n) {
  if (n.IsMap() && n["name"] && n["name"].IsScalar()) return n["name"].Scalar();
  return "";
}

// The element of list `seq` named `name` (also inside unnamed groups' nodes:), or undefined.
YAML::Node find_named(const YAML::Node& seq, const std::string& name,
                      std::vector<std::string>& names) {
  for (const auto& item : seq) {
    std::string n = name_of(item);
    if (!n.empty()) names.push_back(n);
    if (n == name) return item;
  }
  for (const auto& item : seq)
    if (name_of(item).empty() && item.IsMap() && item["nodes"] && item["nodes"].IsSequence()) {
      YAML::Node found = find_named(item["nodes"], name, names);
      if (found.IsDefined()) return found;
    }
  return YAML::Node(YAML::NodeType::Undefined);
}

bool is_index(const std::string& s) {
  return !s.empty() && s.size() < 10 && s.find_first_not_of("0123456789") == std::string::npos;
}

[[noreturn]] void no_such(const std::string& at, const std::string& what, const std::string& part,
                          const std::vector<std::string>& have) {
  throw ConfigError(
      "--set", 0, at,
      what + did_you_mean(part, have) + (have.empty() ? "" : "; there are: " + join(have)));
}

void apply_one(MergedInputs& merged, const std::string& path, const std::string& value) {
  std::vector<std::string> parts = split_path(path);
  if (parts.size() < 2)
    throw ConfigError("--set", 0, path,
                      "expected a path below a top-level key (e.g. variables.NAME or "
                      "architecture.nodes.NAME.attributes.KEY)");
  auto top = merged.top.find(parts[0]);
  if (top == merged.top.end() || top->second.value.is_null()) {
    std::vector<std::string> have;
    for (const auto& [k, e] : merged.top) have.push_back(k);
    no_such(parts[0], "no such top-level key in the input files", parts[0], have);
  }
  YAML::Node parent = top->second.value.node();
  std::string at = parts[0];
  YAML::Node replacement = frontend::parse_yaml_text(value, "--set");
  for (std::size_t i = 1; i < parts.size(); ++i) {
    const std::string& part = parts[i];
    std::string here = at + "." + part;
    bool last = i + 1 == parts.size();
    if (parent.IsMap()) {
      std::vector<std::string> have;
      bool found = false;
      for (auto it = parent.begin(); it != parent.end(); ++it) {
        if (!it->first.IsScalar()) continue;
        have.push_back(it->first.Scalar());
        if (it->first.Scalar() != part) continue;
        found = true;
        if (last) {
          it->second = replacement;
          return;
        }
        parent.reset(it->second);  // rebind (operator= would overwrite the node)
        break;
      }
      if (!found) no_such(here, "no such key", part, have);
    } else if (parent.IsSequence()) {
      std::vector<std::string> names;
      YAML::Node item(YAML::NodeType::Undefined);
      if (is_index(part)) {
        std::size_t k = std::stoul(part);
        if (k >= parent.size())
          throw ConfigError("--set", 0, here,
                            "index " + part + " is past the end of the list (" +
                                std::to_string(parent.size()) + " entries)");
        if (last) {
          parent[k] = replacement;
          return;
        }
        item.reset(parent[k]);
      } else {
        item.reset(find_named(parent, part, names));
        if (!item.IsDefined()) no_such(here, "no list entry named '" + part + "'", part, names);
        if (last) {
          item = replacement;
          return;
        }
      }
      parent.reset(item);
    } else {
      throw ConfigError("--set", 0, here,
                        "'" + at + "' is a single value; it has no key '" + part + "'");
    }
    at = here;
  }
}

}  // namespace

std::string render_with_overrides(const std::vector<std::string>& files,
                                  const frontend::Options& options) {
  MergedInputs merged = merge_input_files(files, nullptr, options);
  std::string out;
  for (const auto& [path, value] : options.sets) out += "# --set " + path + "=" + value + "\n";
  out += frontend::render_trees(merged.roots);
  // A top-level key combined from several files is a new tree: shown merged.
  std::vector<std::string> shown;
  for (const auto& [path, value] : options.sets) {
    std::string key = split_path(path).front();
    auto it = merged.top.find(key);
    if (it == merged.top.end() || std::find(shown.begin(), shown.end(), key) != shown.end())
      continue;
    bool in_a_file = false;
    for (const auto& [f, root] : merged.roots)
      in_a_file |= root.IsMap() && root[key] && root[key].is(it->second.value.node());
    if (in_a_file) continue;
    shown.push_back(key);
    YAML::Node doc;
    doc[key] = it->second.value.node();
    out += frontend::render_trees({{"'" + key + "' (given in several files, merged)", doc}});
  }
  return out;
}

void apply_set_overrides(MergedInputs& merged,
                         const std::vector<std::pair<std::string, std::string>>& sets) {
  for (const auto& [path, value] : sets) apply_one(merged, path, value);
}

}  // namespace loopsim::io
