// `loopsim energy`: ERT/ART estimation of an architecture, and single-primitive queries.
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "io_internal.hpp"
#include "loopsim/core/expr.hpp"
#include "loopsim/core/text.hpp"
#include "loopsim/io/emit.hpp"
#include "loopsim/io/energy.hpp"

namespace fs = std::filesystem;

namespace loopsim::io {

namespace {

// Accelergy prints energies rounded to 6 decimal places (its default -p 6); loopsim keeps
// more so that small leakages stay visible.
std::string num(double v) { return significant(v, 10); }

// Attribute text -> query text: numbers and strings as written, expressions evaluated over
// the component's other attributes when possible.
std::string attr_text(const Attributes& all, const Variables& vars, const AttrValue& v,
                      int depth = 0) {
  // Quoted text stays a string unless it reads as an expression (timeloopfe evaluates it).
  bool text = v.quoted && v.text.find_first_of("()+*/") == std::string::npos;
  if (text || v.is_null || parse_number(v.text) || depth > 16) return v.text;
  // A bare name of another attribute or a variable takes its value (also a string: 45nm).
  const AttrValue* named = all.find(v.text);
  if (!named) named = vars.values.find(v.text);
  if (named && named != &v) return attr_text(all, vars, *named, depth + 1);
  try {
    double x = evaluate_expression(v.text, [&](const std::string& name) -> std::optional<double> {
      const AttrValue* a = all.find(name);
      if (!a) a = vars.values.find(name);
      if (!a || a == &v) return std::nullopt;
      return parse_number(attr_text(all, vars, *a, depth + 1));
    });
    return num(x);
  } catch (const ExprError&) {
    return v.text;  // a string such as 45nm or LPDDR4
  }
}

estimate::Query make_query(const std::string& cls, const Attributes& attrs,
                           const Variables& vars, const SourceLoc& loc, double cycle_seconds) {
  estimate::Query q;
  q.cls = cls;
  q.loc = loc;
  for (const auto& [k, v] : attrs.items) q.attrs[k] = attr_text(attrs, vars, v);
  // Accelergy 0.3's library defaults of a v0.2/v0.3 primitive (load_arch.cpp).
  const std::string prefix = kAccelergyDefault;
  for (auto d = q.attrs.lower_bound(prefix); d != q.attrs.end() && d->first.rfind(prefix, 0) == 0;) {
    q.attrs.try_emplace(d->first.substr(prefix.size()), d->second);
    d = q.attrs.erase(d);
  }
  if (!q.has("global_cycle_seconds")) q.attrs["global_cycle_seconds"] = num(cycle_seconds);
  return q;
}

void write_yaml(const fs::path& p, const std::string& text) {
  write_file_atomic(p.string(), [&](std::ostream& out) { out << text; });
}

// Accelergy lists storage actions in this order; other actions follow alphabetically.
std::vector<std::string> ordered_actions(const estimate::Estimate& e) {
  std::vector<std::string> out;
  for (const char* a : {"read", "write", "update", "compute", "add", "leak"})
    if (e.actions.count(a)) out.emplace_back(a);
  for (const auto& [k, v] : e.actions)
    if (std::find(out.begin(), out.end(), k) == out.end()) out.push_back(k);
  return out;
}

}  // namespace

void energy_query(const std::vector<std::string>& files, const std::vector<std::string>& args,
                  std::ostream& out, const frontend::Options& options) {
  if (args.empty())
    throw ConfigError("<command line>", 0, "--query",
                      "expected a class and name=value attributes, e.g. --query SRAM depth=1024 "
                      "width=64 technology=45nm");
  estimate::Query q;
  q.cls = args.front();
  q.loc = SourceLoc{"<command line>", 0, "--query"};
  for (std::size_t i = 1; i < args.size(); ++i) {
    auto eq = args[i].find('=');
    if (eq == std::string::npos || eq == 0)
      throw ConfigError("<command line>", 0, "--query",
                        "expected name=value, got '" + args[i] + "'");
    q.attrs[args[i].substr(0, eq)] = args[i].substr(eq + 1);
  }
  // As Timeloop's front end does, every component gets the global cycle time (1 ns default).
  if (!q.has("global_cycle_seconds")) q.attrs["global_cycle_seconds"] = "1e-9";
  estimate::Estimate e =
      files.empty() ? estimate::ComponentLibrary(estimate::Registry::builtin()).estimate(q)
                    : load_component_library(merge_input_files(files, nullptr, options)).estimate(q);
  nlohmann::ordered_json j;
  j["class"] = e.cls;
  j["estimator"] = e.estimator;
  nlohmann::ordered_json acts = nlohmann::ordered_json::object();
  for (const auto& a : ordered_actions(e)) acts[a] = e.actions.at(a);
  j["actions"] = acts;
  j["area_um2"] = e.area_um2;
  out << j.dump() << "\n";
}

std::map<std::string, std::string> estimator_attributes(const std::string& cls,
                                                        const Attributes& attrs,
                                                        const Variables& vars,
                                                        double cycle_seconds) {
  return make_query(cls, attrs, vars, SourceLoc{}, cycle_seconds).attrs;
}

namespace {

EstimatedComponent estimate_one(const ArchSpec& arch, const std::string& name,
                                const std::string& cls, const Attributes& attrs,
                                const SourceLoc& loc, std::int64_t instances,
                                const estimate::ComponentLibrary& library, const Variables& vars) {
  SourceLoc at = loc, cls_at = loc;
  at.key_path = at.key_path.empty() ? name : at.key_path + ".attributes";
  cls_at.key_path = cls_at.key_path.empty() ? name : cls_at.key_path + ".class";
  EstimatedComponent c;
  c.name = "system_top_level." + name + "[1.." + std::to_string(instances) + "]";
  estimate::Query q = make_query(cls, attrs, vars, at, arch.global_cycle_seconds);
  q.class_loc = cls_at;
  c.estimate = library.estimate(q);
  c.loc = cls_at;
  return c;
}

}  // namespace

EstimatedComponent estimate_component(const ArchSpec& arch, int level,
                                      const estimate::ComponentLibrary& library,
                                      const Variables& vars) {
  if (level < 0) {
    const ArithmeticLevel& a = arch.arithmetic;
    return estimate_one(arch, a.name, a.cls, a.attributes, a.loc, a.instances, library, vars);
  }
  const StorageLevel& lv = arch.storage[static_cast<std::size_t>(level)];
  return estimate_one(arch, lv.name, lv.cls, lv.attributes, lv.loc, lv.instances, library, vars);
}

std::vector<EstimatedComponent> estimate_architecture(const ArchSpec& arch,
                                                      const estimate::ComponentLibrary& library,
                                                      const Variables& vars,
                                                      Diagnostics* diag) {
  std::vector<EstimatedComponent> out;
  // Levels whose energy the architecture gives itself (`vector-access-energy`, `energy`)
  // keep it: EnergyTable::resolve uses those when a level has no entry.
  for (int l = arch.num_storage_levels() - 1; l >= 0; --l) {
    const StorageLevel& lv = arch.storage[static_cast<std::size_t>(l)];
    if (lv.dummy || lv.vector_access_energy_pj) continue;
    out.push_back(estimate_component(arch, l, library, vars));
  }
  if (!arch.arithmetic.energy_pj) out.push_back(estimate_component(arch, -1, library, vars));
  // Network components whose class (v0.4: subclass) the components files define, as
  // Accelergy prices them (a SimpleMulticast's `transfer` actions, an XY_NoC's); Timeloop's
  // legacy networks ignore these entries, a SimpleMulticast network reads its own.
  for (const auto& n : arch.networks) {
    if (n.inferred) continue;
    const std::string& cls = n.subclass.empty() ? n.cls : n.subclass;
    if (!library.has_class(cls)) continue;
    try {
      out.push_back(estimate_one(arch, n.name, cls, n.attributes, n.loc, n.instances, library, vars));
    } catch (const ConfigError& e) {
      // A network class whose definition needs an Accelergy plug-in loopsim lacks: the
      // network gets no entry (Timeloop's legacy networks do not read one anyway).
      if (diag)
        diag->warn(n.loc.file, n.loc.line, n.loc.key_path,
                   "network component '" + n.name + "' (class " + cls +
                       ") is not estimated, it gets no ERT entry: " + e.what());
    }
  }
  return out;
}

EnergyInputs to_energy_inputs(const std::vector<EstimatedComponent>& components) {
  EnergyInputs in;
  in.ert_file = "(estimated by loopsim)";
  for (const auto& c : components) {
    ErtEntry e;
    e.name = c.name;
    e.actions = c.estimate.actions;
    e.source = "loopsim estimate (" + c.estimate.estimator + ")";
    // Messages about an estimated entry point at the class's definition (a compound class
    // in a components file) or else at the component in the architecture.
    e.loc = c.estimate.defined_at.file.empty() ? c.loc : c.estimate.defined_at;
    in.ert.push_back(std::move(e));
    ArtEntry a;
    a.name = c.name;
    a.area_um2 = c.estimate.area_um2;
    in.art.push_back(std::move(a));
  }
  return in;
}

EnergyModelInputs load_energy_inputs(const std::vector<std::string>& files, Diagnostics* diag,
                                     const frontend::Options& options) {
  MergedInputs merged = merge_input_files(files, diag, options);
  auto arch_cursor = merged.get("architecture");
  if (!arch_cursor) throw merged.missing("architecture", "the architecture (nodes: or subtree:)");
  Variables vars = parse_variables(merged.get("variables"));
  LazyVariables lazy(&vars);
  ArchSpec arch = parse_architecture(*arch_cursor, &lazy).flatten(vars, diag);
  return EnergyModelInputs{std::move(arch), load_component_library(merged), std::move(vars)};
}

void write_energy_tables(const std::vector<std::string>& files, const std::string& out_dir,
                         Diagnostics* diag, const frontend::Options& options) {
  EnergyModelInputs in = load_energy_inputs(files, diag, options);
  const ArchSpec& arch = in.arch;
  std::vector<EstimatedComponent> comps =
      estimate_architecture(arch, in.library, in.variables, diag);

  std::error_code ec;
  fs::create_directories(out_dir, ec);
  if (ec) throw ConfigError(out_dir, 0, "-o", "cannot create the output directory: " + ec.message());
  fs::path dir(out_dir);
  std::ostringstream ert, ers, art, ars;
  ert << "ERT:\n    version: '0.4'\n    tables:\n";
  ers << "ERT_summary:\n    version: '0.4'\n    table_summary:\n";
  art << "ART:\n    version: '0.4'\n    tables:\n";
  ars << "ART_summary:\n    version: '0.4'\n    table_summary:\n";
  std::string gcs = num(arch.global_cycle_seconds);
  for (const auto& c : comps) {
    const auto& e = c.estimate;
    ert << "      - name: " << c.name << "\n        actions:\n";
    ers << "      - name: " << c.name << "\n        actions:\n";
    for (const auto& a : ordered_actions(e)) {
      ert << "          - name: " << a << "\n            arguments:\n"
          << "                global_cycle_seconds: " << gcs << "\n"
          << "                action_latency_cycles: 1\n"
          << "            energy: " << num(e.actions.at(a)) << "\n";
      ers << "          - name: " << a << "\n            energy: " << num(e.actions.at(a)) << "\n";
    }
    ers << "        primitive_estimation(s):\n";
    if (e.parts.empty()) {
      ers << "          - name: " << c.name << "\n            estimator: " << e.estimator << "\n";
    } else {
      for (const auto& [part, est] : e.parts)
        ers << "          - name: " << part << "\n            estimator: " << est << "\n";
    }
    art << "      - name: " << c.name << "\n        area: " << num(e.area_um2) << "\n";
    ars << "      - name: " << c.name << "\n        area: " << num(e.area_um2) << "\n"
        << "        primitive_estimations: " << e.estimator << "\n";
  }
  write_yaml(dir / "ERT.yaml", ert.str());
  write_yaml(dir / "ERT_summary.yaml", ers.str());
  write_yaml(dir / "ART.yaml", art.str());
  write_yaml(dir / "ART_summary.yaml", ars.str());
}

}  // namespace loopsim::io
