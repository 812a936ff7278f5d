#include <map>

#include "io_internal.hpp"
#include "loopsim/core/text.hpp"

namespace loopsim::io {

namespace {

const std::vector<std::string>& top_level_keys() {
  static const std::vector<std::string> k = {
      "problem", "architecture", "mapping", "variables", "ERT", "ART", "ERT_summary",
      "ART_summary", "globals", "components", "compound_components", "mapper", "mapspace",
      "mapspace_constraints", "architecture_constraints", "constraints",
      "extra_mapping_constraints", "dumped_by_timeloop_front_end"};
  return k;
}

}  // namespace

Workload load_workload_file(const std::string& path) {
  Cursor root(load_yaml_file(path), path, "");
  root.expect_map();
  return parse_problem(root.required("problem"));
}

ModelInputs load_inputs(const std::vector<std::string>& files, bool need_mapping) {
  if (files.empty()) throw ConfigError("", 0, "", "no input files given");
  std::map<std::string, Cursor> top;
  for (const auto& f : files) {
    Cursor root(load_yaml_file(f), f, "");
    if (root.is_null()) continue;
    if (!root.is_map()) root.fail("expected a YAML map at the top level");
    for (const auto& [key, value] : root.entries()) {
      bool known = false;
      for (const auto& k : top_level_keys()) known |= (k == key);
      if (!known)
        value.fail("unknown top-level key '" + key + "'" + did_you_mean(key, top_level_keys()) +
                   "; expected one of: " + join(top_level_keys()));
      auto it = top.find(key);
      if (it == top.end()) {
        top.emplace(key, value);
        continue;
      }
      if (value.is_empty()) continue;
      if (it->second.is_empty()) {
        it->second = value;
        continue;
      }
      value.fail("'" + key + "' is given twice: also at " + it->second.file() + ":" +
                 std::to_string(it->second.line()));
    }
  }
  auto get = [&](const std::string& k) -> std::optional<Cursor> {
    auto it = top.find(k);
    if (it == top.end() || it->second.is_empty()) return std::nullopt;
    return it->second;
  };
  ModelInputs in;
  in.files = files;
  auto problem = get("problem");
  if (!problem) throw ConfigError(files.front(), 0, "problem", "no 'problem' (workload) in the input files");
  in.workload = parse_problem(*problem);
  auto arch = get("architecture");
  if (!arch) throw ConfigError(files.front(), 0, "architecture", "no 'architecture' in the input files");
  Variables vars = parse_variables(get("variables"));
  ArchTree tree = parse_architecture(*arch);
  in.arch = tree.flatten(vars);
  if (auto m = get("mapping")) in.mapping = parse_mapping(*m, in.workload, in.arch);
  else if (need_mapping)
    throw ConfigError(files.front(), 0, "mapping",
                      "no 'mapping' in the input files (a non-empty mapping: list is needed)");
  if (auto e = get("ERT")) parse_ert(*e, in.energy);
  if (auto a = get("ART")) parse_art(*a, in.energy);
  if (auto e = get("ERT_summary")) parse_ert_summary(*e, in.energy);
  if (auto a = get("ART_summary")) parse_art_summary(*a, in.energy);
  if (auto g = get("globals")) {
    g->allow_keys({"version", "environment_variables", "expression_custom_functions",
                   "accelergy_plug_ins"});
    if (auto ev = g->optional("environment_variables"); ev && !ev->is_empty()) {
      for (const auto& [k, v] : ev->entries()) {
        if (k == "TIMELOOP_HIDE_INCONSEQUENTIAL_STATS")
          in.hide_inconsequential = v.str() != "0" && v.str() != "false";
        else
          v.fail("unsupported environment variable '" + k +
                 "'; loopsim supports TIMELOOP_HIDE_INCONSEQUENTIAL_STATS");
      }
    }
    for (const char* k : {"expression_custom_functions", "accelergy_plug_ins"})
      if (auto x = g->optional(k); x && !x->is_empty())
        x->fail(std::string(k) + " are not supported by loopsim");
  }
  for (const char* k : {"mapper", "mapspace", "mapspace_constraints", "architecture_constraints",
                        "constraints", "extra_mapping_constraints", "components",
                        "compound_components"}) {
    if (auto c = get(k); c && !c->is_map() && !c->is_seq())
      c->fail(std::string("expected a map or a list under '") + k + "'");
  }
  return in;
}

}  // namespace loopsim::io
