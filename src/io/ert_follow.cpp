// Energy follows the design (docs/sweep.md): a --set override (or a sweep parameter) may
// change a component that a user ERT prices, e.g. the global buffer's depth, while the ERT
// still holds the energies of the component it was made for. An ERT written by Accelergy or
// `loopsim energy` records the component's name, not its attributes, so the design the ERT
// was made for is taken to be the inputs before the overrides: the component's estimator
// attributes (expressions evaluated) are compared between that design and the overridden one.
// A component that differs is re-estimated by loopsim's estimator (ErtPolicy::Reestimate) or
// keeps the ERT's energies with one warning at its ERT entry (ErtPolicy::Pin).
#include <iostream>

#include "io_internal.hpp"

namespace loopsim::io {

namespace {

struct Component {
  int level = -1;  // storage level, or -1: the arithmetic level
  std::string name, cls;
  const Attributes* attrs = nullptr;
};

std::vector<Component> priced_components(const ArchSpec& arch) {
  std::vector<Component> out;
  for (int l = 0; l < arch.num_storage_levels(); ++l) {
    const StorageLevel& lv = arch.storage[static_cast<std::size_t>(l)];
    if (lv.dummy || lv.vector_access_energy_pj) continue;
    out.push_back(Component{l, lv.name, lv.cls, &lv.attributes});
  }
  if (!arch.arithmetic.energy_pj)
    out.push_back(Component{-1, arch.arithmetic.name, arch.arithmetic.cls,
                            &arch.arithmetic.attributes});
  return out;
}

// "depth: 13824 -> 27648, width: 64 -> 128" (the first three differences), or "" when equal.
std::string differences(const std::string& cls_a, const std::map<std::string, std::string>& a,
                        const std::string& cls_b, const std::map<std::string, std::string>& b) {
  std::vector<std::string> diffs;
  if (cls_a != cls_b) diffs.push_back("class: " + cls_a + " -> " + cls_b);
  auto show = [](const std::map<std::string, std::string>& m, const std::string& k) {
    auto it = m.find(k);
    return it == m.end() ? std::string("(none)") : it->second;
  };
  std::vector<std::string> keys;
  for (const auto& [k, v] : a) keys.push_back(k);
  for (const auto& [k, v] : b)
    if (!a.count(k)) keys.push_back(k);
  for (const auto& k : keys)
    if (show(a, k) != show(b, k)) diffs.push_back(k + ": " + show(a, k) + " -> " + show(b, k));
  std::string out;
  for (std::size_t i = 0; i < diffs.size() && i < 3; ++i) out += (i ? ", " : "") + diffs[i];
  if (diffs.size() > 3) out += ", ...";
  return out;
}

// The architecture as the files give it; nullopt when it does not load on its own (the
// overrides may be what makes it valid): then nothing is compared.
std::optional<std::pair<ArchSpec, Variables>> base_design(const MergedInputs& merged) {
  Diagnostics scratch(false);
  try {
    const Cursor& at = merged.top.at("architecture").value;
    std::optional<Cursor> vars;
    if (merged.base_variables)
      vars = Cursor(*merged.base_variables, at.file(), "variables", &scratch);
    Variables v = parse_variables(vars);
    LazyVariables lazy(&v);
    Cursor arch(*merged.base_architecture, at.file(), "architecture", &scratch);
    ArchSpec spec = parse_architecture(arch, &lazy).flatten(v, &scratch);
    return std::pair{std::move(spec), std::move(v)};
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

void warn(Diagnostics* diag, const SourceLoc& at, const std::string& msg) {
  if (diag)
    diag->warn(at.file, at.line, at.key_path, msg);
  else
    std::cerr << format_warning(Warning{at.file, at.line, at.key_path, msg}) << "\n";
}

}  // namespace

void follow_design(const MergedInputs& merged, ModelInputs& in, const Variables& vars,
                   Diagnostics* diag) {
  auto base = base_design(merged);
  if (!base) return;
  const auto& [base_arch, base_vars] = *base;
  std::optional<estimate::ComponentLibrary> library;
  for (const Component& c : priced_components(in.arch)) {
    auto entry = std::find_if(in.energy.ert.begin(), in.energy.ert.end(), [&](const ErtEntry& e) {
      return e.source.empty() && ert_component_name(e.name) == c.name;
    });
    if (entry == in.energy.ert.end()) continue;  // not priced by a user ERT
    const std::string* base_cls = nullptr;
    const Attributes* base_attrs = nullptr;
    if (c.level < 0 && base_arch.arithmetic.name == c.name) {
      base_cls = &base_arch.arithmetic.cls;
      base_attrs = &base_arch.arithmetic.attributes;
    } else if (int bl = base_arch.find_level(c.name); c.level >= 0 && bl >= 0) {
      base_cls = &base_arch.storage[static_cast<std::size_t>(bl)].cls;
      base_attrs = &base_arch.storage[static_cast<std::size_t>(bl)].attributes;
    }
    if (!base_attrs) continue;
    std::string change = differences(
        *base_cls,
        estimator_attributes(*base_cls, *base_attrs, base_vars, base_arch.global_cycle_seconds),
        c.cls, estimator_attributes(c.cls, *c.attrs, vars, in.arch.global_cycle_seconds));
    if (change.empty()) continue;
    ErtNote note{c.name, "pinned", change, entry->loc};
    std::string why;
    if (merged.ert_policy == frontend::ErtPolicy::Reestimate) {
      try {
        if (!library) library = load_component_library(merged);
        EstimatedComponent est = estimate_component(in.arch, c.level, *library, vars);
        entry->actions = est.estimate.actions;
        entry->source = "loopsim estimate (" + est.estimate.estimator +
                        "), re-estimated: the ERT was made for another design (" + change + ")";
        for (auto& a : in.energy.art)
          if (ert_component_name(a.name) == c.name) a.area_um2 = est.estimate.area_um2;
        note.action = "reestimated";
      } catch (const ConfigError& e) {
        why = "it cannot be re-estimated (" + e.message() + "), so ";
      }
    }
    if (note.action == "pinned")
      warn(diag, entry->loc,
           "ERT entry '" + entry->name + "' no longer matches the component: the overrides " +
               "changed its attributes (" + change + "); " + why +
               "its energies are the ERT's" +
               (why.empty() ? " (did you mean --energy reestimate, or energy: reestimate in a "
                              "sweep file?)"
                            : ""));
    in.ert_notes.push_back(std::move(note));
  }
}

}  // namespace loopsim::io
