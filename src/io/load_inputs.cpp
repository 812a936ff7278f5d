#include <algorithm>
#include <iostream>
#include <map>

#include "io_internal.hpp"
#include "loopsim/io/energy.hpp"
#include "loopsim/core/text.hpp"
#include "loopsim/frontend/frontend.hpp"

namespace loopsim::io {

namespace {

const std::vector<std::string>& top_level_keys() {
  static const std::vector<std::string> k = {
      "problem", "architecture", "arch", "mapping", "variables", "ERT", "ART", "ERT_summary",
      "ART_summary", "globals", "components", "compound_components", "mapper", "mapspace",
      "mapspace_constraints", "architecture_constraints", "constraints",
      "extra_mapping_constraints", "dumped_by_timeloop_front_end", "loopsim_model"};
  return k;
}

// Timeloop skips ERT entries that name no level ("Unused component ERT"): a warning, with
// the closest level name; the entry is dropped.
void drop_unknown_ert_entries(const ArchSpec& arch, EnergyInputs& energy, Diagnostics* diag) {
  std::vector<std::string> names = arch.level_names();
  names.push_back(arch.arithmetic.name);
  auto known = [&](const ErtEntry& e) {
    return std::find(names.begin(), names.end(), ert_component_name(e.name)) != names.end();
  };
  // An ERT of which no entry names a level is an error (EnergyTable::resolve), not ignored.
  if (std::none_of(energy.ert.begin(), energy.ert.end(), known)) return;
  // Entries of network components and Timeloop's `wire` entry price the networks.
  auto known_or_network = [&](const ErtEntry& e) {
    return known(e) || is_network_ert_name(arch, ert_component_name(e.name));
  };
  std::vector<ErtEntry> kept;
  for (auto& e : energy.ert) {
    std::string n = ert_component_name(e.name);
    if (known_or_network(e)) {
      kept.push_back(std::move(e));
      continue;
    }
    std::string msg = "ERT entry '" + e.name + "' names no component of the architecture" +
                      did_you_mean(n, names) + "; ignored, as Timeloop does";
    if (diag) diag->warn(e.loc.file, e.loc.line, e.loc.key_path, msg);
    else std::cerr << format_warning(Warning{e.loc.file, e.loc.line, e.loc.key_path, msg}) << "\n";
  }
  energy.ert = std::move(kept);
}

// timeloopfe's combination of two values of one key (Node.try_combine): an empty value
// gives way to the other, equal values are kept, lists are joined, maps are combined key by
// key; two different scalars (or a list and a map) cannot be combined: an error at `b`.
bool same_tree(const YAML::Node& a, const YAML::Node& b) {
  if (a.Type() != b.Type()) return false;
  if (a.IsScalar()) return a.Scalar() == b.Scalar();
  if (a.size() != b.size()) return false;
  if (a.IsSequence()) {
    for (std::size_t i = 0; i < a.size(); ++i)
      if (!same_tree(a[i], b[i])) return false;
    return true;
  }
  if (a.IsMap()) {
    for (auto it = a.begin(); it != a.end(); ++it) {
      YAML::Node other = b[it->first.Scalar()];
      if (!other || !same_tree(it->second, other)) return false;
    }
  }
  return true;
}

YAML::Node combine_repeated(const Cursor& a, const Cursor& b, const std::string& where) {
  if (a.is_empty()) return b.node();
  if (b.is_empty()) return a.node();
  if (same_tree(a.node(), b.node())) return a.node();
  if (a.is_seq() && b.is_seq()) {
    YAML::Node out(YAML::NodeType::Sequence);
    for (const auto& n : a.node()) out.push_back(n);
    for (const auto& n : b.node()) out.push_back(n);
    return out;
  }
  if (a.is_map() && b.is_map()) {
    YAML::Node out(YAML::NodeType::Map);
    for (auto it = a.node().begin(); it != a.node().end(); ++it) {
      std::string k = it->first.Scalar();
      YAML::Node other = b.node()[k];
      out.force_insert(it->first, other ? combine_repeated(a.at(it->second, a.path() + "." + k),
                                                           b.at(other, b.path() + "." + k), where)
                                        : it->second);
    }
    for (auto it = b.node().begin(); it != b.node().end(); ++it)
      if (!a.node()[it->first.Scalar()]) out.force_insert(it->first, it->second);
    return out;
  }
  if (a.is_scalar() && b.is_scalar() && a.node().Scalar() == b.node().Scalar()) return a.node();
  b.fail("given here and at " + where + " with a different value; timeloopfe combines a key "
         "repeated in two files only when the values are equal, lists or maps");
}

}  // namespace

// globals: and the constraint sections' shapes (shared by the ERT and dummy-table paths).
void check_globals_and_sections(const MergedInputs& merged, ModelInputs& in);

Workload load_workload_file(const std::string& path) {
  Cursor root(frontend::load_file(path), path, "");
  root.expect_map();
  return parse_problem(root.required("problem"));
}

MergedInputs merge_input_files(const std::vector<std::string>& files, Diagnostics* diag,
                               const frontend::Options& options) {
  if (files.empty()) throw ConfigError("", 0, "", "no input files given");
  MergedInputs merged;
  merged.files = files;
  auto& top = merged.top;
  for (const auto& f : files) {
    Cursor root(frontend::load_file(f, options), f, "", diag);
    merged.roots.emplace_back(f, root.node());
    if (root.is_null()) {
      // Timeloop merges an empty file as nothing; a file given by mistake, most likely.
      Warning w{f, 1, "", "the file is empty: nothing is read from it"};
      if (diag) diag->warn(w.file, w.line, w.key_path, w.message);
      else std::cerr << format_warning(w) << "\n";
      continue;
    }
    if (!root.is_map())
      root.fail("expected a YAML map at the top level (problem:, architecture:, ...)");
    auto values = root.entries();  // checks for plain and unique keys
    std::size_t i = 0;
    for (auto it = root.node().begin(); it != root.node().end(); ++it, ++i) {
      const auto& [key, value] = values[i];
      Cursor key_at(it->first, f, key, diag);
      if (key == "sparse_optimizations")
        key_at.fail("sparse optimizations (Sparseloop) are not supported yet; remove them for a "
                    "dense run");
      if (key == "sim") {
        // Settings of Timeloop's old simulator driver (sim: {dumpTextStats: True}): no Timeloop
        // application reads them.
        key_at.warn("'sim' (settings of Timeloop's old simulator driver) is not read by Timeloop "
                    "or loopsim; ignored");
        continue;
      }
      bool known = false;
      for (const auto& k : top_level_keys()) known |= (k == key);
      if (!known)
        key_at.fail("unknown top-level key '" + key + "'" + did_you_mean(key, top_level_keys()) +
                    "; expected one of: " + join(top_level_keys()));
      if (key == "components" || key == "compound_components") {
        if (!value.is_empty()) merged.class_sections.push_back(MergedInputs::Entry{value, key_at});
        continue;
      }
      auto prev = top.find(key);
      if (prev == top.end()) {
        top.emplace(key, MergedInputs::Entry{value, key_at});
        continue;
      }
      if (value.is_empty()) continue;
      if (prev->second.value.is_empty()) {
        prev->second = MergedInputs::Entry{value, key_at};
        continue;
      }
      // timeloopfe combines a top-level key repeated in another file (Node.try_combine):
      // lists are joined, maps merged key by key, equal values kept; anything else is an error.
      std::string where = prev->second.key.file() + ":" + std::to_string(prev->second.key.line());
      YAML::Node both = combine_repeated(prev->second.value, value, where);
      key_at.warn("'" + key + "' is given twice (also at " + where +
                  "); the two are combined as timeloopfe does (lists joined, maps merged)");
      prev->second.value = prev->second.value.at(both, key);
    }
  }
  merged.ert_policy = options.ert_policy;
  if (!options.sets.empty()) {
    // The design as the files give it, for follow_design (a deep copy: the overrides
    // rebind nodes of the merged tree in place).
    for (auto [key, slot] : {std::pair{"architecture", &merged.base_architecture},
                             std::pair{"variables", &merged.base_variables}})
      if (auto c = merged.get(key)) *slot = YAML::Clone(c->node());
  }
  apply_set_overrides(merged, options.sets);
  return merged;
}

std::optional<Cursor> MergedInputs::get(const std::string& k) const {
  auto it = top.find(k);
  if (it == top.end() || it->second.value.is_empty()) return std::nullopt;
  return it->second.value;
}

ConfigError MergedInputs::missing(const std::string& k, const std::string& what) const {
  auto it = top.find(k);
  if (it != top.end())
    return ConfigError(it->second.key.file(), it->second.key.line(), k,
                       "'" + k + "' is empty; expected " + what);
  return ConfigError(files.front(), 0, k,
                     "no top-level '" + k + "' in the input files (" + join(files) +
                         "); expected " + what);
}

EnergyInputs dummy_energy_inputs(const ArchSpec& arch) {
  EnergyInputs out;
  out.ert_file = "--dummy-table";
  auto add = [&](const std::string& name, std::map<std::string, double> actions) {
    ErtEntry e;
    e.name = name;
    e.actions = std::move(actions);
    e.source = "dummy table";
    out.ert.push_back(std::move(e));
    out.art.push_back(ArtEntry{name, 1.0, {}});
  };
  for (const auto& lv : arch.storage)
    if (!lv.dummy) add(lv.name, {{"read", 1.0}, {"write", 1.0}, {"update", 1.0}, {"leak", 0.0}});
  add(arch.arithmetic.name, {{"compute", 1.0}, {"leak", 0.0}});
  return out;
}

ModelInputs load_inputs(const std::vector<std::string>& files, bool need_mapping,
                        Diagnostics* diag, const frontend::Options& options,
                        bool dummy_table) {
  MergedInputs merged = merge_input_files(files, diag, options);
  return load_merged_inputs(merged, files, need_mapping, diag, dummy_table);
}

ModelInputs load_merged_inputs(MergedInputs& merged, const std::vector<std::string>& files,
                               bool need_mapping, Diagnostics* diag, bool dummy_table) {
  auto get = [&](const std::string& k) { return merged.get(k); };
  auto missing = [&](const std::string& k, const std::string& what) {
    return merged.missing(k, what);
  };
  ModelInputs in;
  in.files = files;
  auto problem = get("problem");
  if (!problem) throw missing("problem", "the workload (shape: and instance:)");
  Variables vars = parse_variables(get("variables"));
  in.workload = parse_problem(*problem, &vars);
  auto arch = get("architecture");
  auto legacy = get("arch");
  if (arch && legacy)
    merged.top.at("arch").key.fail("both 'arch' (Timeloop's legacy form) and 'architecture' "
                                   "are given; expected one of them");
  if (!arch && !legacy) throw missing("architecture", "the architecture (nodes: or subtree:)");
  LazyVariables lazy(&vars);
  ArchTree tree = arch ? parse_architecture(*arch, &lazy) : parse_legacy_arch(*legacy);
  in.arch = tree.flatten(vars);
  if (auto m = get("loopsim_model")) in.model = parse_model_config(*m, in.workload);
  if (auto m = get("mapping")) in.mapping = parse_mapping(*m, in.workload, in.arch);
  else if (need_mapping)
    throw missing("mapping", "a non-empty list of mapping directives");
  if (dummy_table) {
    in.energy = dummy_energy_inputs(in.arch);
    check_globals_and_sections(merged, in);
    if (need_mapping) warn_on_constraint_errors(merged, in, diag);
    return in;
  }
  auto ert = get("ERT");
  auto ert_summary = get("ERT_summary");
  if (ert) parse_ert(*ert, in.energy);
  if (auto a = get("ART")) parse_art(*a, in.energy);
  if (ert_summary) parse_ert_summary(*ert_summary, in.energy);
  drop_unknown_ert_entries(in.arch, in.energy, diag);
  if (auto a = get("ART_summary")) parse_art_summary(*a, in.energy);
  if (!in.energy.ert.empty() && merged.base_architecture && arch)
    follow_design(merged, in, vars, diag);
  if (in.energy.ert.empty() && legacy)
    throw ConfigError(merged.top.at("arch").key.file(), merged.top.at("arch").key.line(), "arch",
                      "the legacy 'arch:' form has no energy classes (Timeloop costs it with its "
                      "built-in model, which loopsim does not have): give an ERT, or run with "
                      "--dummy-table for placeholder energies");
  if (in.energy.ert.empty()) {
    // No ERT: loopsim estimates energy and area itself (compound classes and user tables
    // from components:/compound_components:); a given ART still overrides the areas.
    EnergyInputs est =
        to_energy_inputs(estimate_architecture(in.arch, load_component_library(merged), vars));
    for (const auto& a : in.energy.art)
      for (auto& e : est.art)
        if (ert_component_name(e.name) == ert_component_name(a.name)) e.area_um2 = a.area_um2;
    in.energy = std::move(est);
  }
  check_globals_and_sections(merged, in);
  if (need_mapping) warn_on_constraint_errors(merged, in, diag);
  return in;
}

void check_globals_and_sections(const MergedInputs& merged, ModelInputs& in) {
  auto get = [&](const std::string& k) { return merged.get(k); };
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
                        "constraints", "extra_mapping_constraints"}) {
    if (auto c = get(k); c && !c->is_map() && !c->is_seq())
      c->fail(std::string("expected a map or a list under '") + k + "'");
  }
}

}  // namespace loopsim::io
