#include "loopsim/energy/energy_table.hpp"

#include <algorithm>
#include <set>

#include "loopsim/core/error.hpp"
#include "loopsim/core/text.hpp"

namespace loopsim {

std::string ert_component_name(const std::string& full) {
  std::string s = full;
  auto dot = s.rfind('.');
  // Dots inside a "[a..b]" range are not separators.
  while (dot != std::string::npos) {
    // The dot is inside a range when the last '[' before it closes after it
    // ("top.PE[0..3].RF[1..1]": the dot before RF is outside both ranges).
    auto open = s.rfind('[', dot);
    auto close = open == std::string::npos ? std::string::npos : s.find(']', open);
    if (open != std::string::npos && close != std::string::npos && close > dot) {
      if (open == 0) break;
      dot = s.rfind('.', open - 1);
      continue;
    }
    break;
  }
  if (dot != std::string::npos) s = s.substr(dot + 1);
  auto br = s.find('[');
  if (br != std::string::npos) s = s.substr(0, br);
  return s;
}

namespace {

const ErtEntry* find_ert(const EnergyInputs& in, const std::string& name) {
  for (const auto& e : in.ert)
    if (ert_component_name(e.name) == name) return &e;
  return nullptr;
}

const ArtEntry* find_art(const EnergyInputs& in, const std::string& name) {
  for (const auto& e : in.art)
    if (ert_component_name(e.name) == name) return &e;
  return nullptr;
}

std::optional<double> action(const ErtEntry& e, std::initializer_list<const char*> names) {
  for (auto n : names) {
    auto it = e.actions.find(n);
    if (it != e.actions.end()) return it->second;
  }
  return std::nullopt;
}

double largest(const ErtEntry& e) {
  double m = 0;
  for (const auto& [k, v] : e.actions) m = std::max(m, v);
  return m;
}

[[noreturn]] void missing_entry(const EnergyInputs& in, const std::string& what,
                                const std::string& name, std::int64_t instances) {
  std::vector<std::string> given;
  for (const auto& e : in.ert) given.push_back(e.name);
  const SourceLoc& at = in.tables_loc;
  throw ConfigError(at.file.empty() ? in.ert_file : at.file, at.line,
                    at.key_path.empty() ? "ERT.tables" : at.key_path,
                    "no ERT entry for " + what + " '" + name +
                        "'; expected a table named like '<system>." + name + "[1.." +
                        std::to_string(instances) + "]' (tables given: " + join(given) + ")");
}

}  // namespace

EnergyTable EnergyTable::resolve(const ArchSpec& arch, const EnergyInputs& in) {
  EnergyTable t;
  std::vector<std::string> names = arch.level_names();
  names.push_back(arch.arithmetic.name);
  if (in.ert.empty()) {
    throw ConfigError(in.ert_file, 0, "ERT",
                      "no energy reference table (ERT) was given: pass Accelergy's ERT.yaml "
                      "(e.g. timeloop-model.ERT.yaml) with the other input files");
  }
  for (const auto& e : in.ert) {
    std::string n = ert_component_name(e.name);
    bool known = false;
    for (const auto& k : names) known |= (k == n);
    if (!known && !is_network_ert_name(arch, n))
      throw ConfigError(e.loc.file, e.loc.line, e.loc.key_path,
                        "ERT entry '" + e.name + "' names no component of the architecture" +
                            did_you_mean(n, names));
  }
  for (const auto& lv : arch.storage) {
    StorageEnergy se;
    const ErtEntry* e = find_ert(in, lv.name);
    if (!e) {
      if (!lv.dummy && !lv.vector_access_energy_pj)
        missing_entry(in, "storage level", lv.name, lv.instances);
      double v = lv.vector_access_energy_pj.value_or(0.0);
      se.read_pj = se.fill_pj = se.update_pj = v;
      se.source = lv.dummy ? "none" : "user";
    } else {
      // Timeloop: an action the table lacks costs the table's largest energy (a table with
      // only `access`, as Accelergy's table plug-ins give, costs that for every action).
      auto read = action(*e, {"read", "random_read"});
      auto write = action(*e, {"write", "random_fill", "fill"});
      if ((!read || !write) && e->actions.empty())
        throw ConfigError(e->loc.file, e->loc.line, e->loc.key_path,
                          "ERT entry '" + e->name + "' has no actions; expected 'read' and "
                          "'write' (or 'access')");
      se.read_pj = read.value_or(largest(*e));
      se.fill_pj = write.value_or(largest(*e));
      se.update_pj = action(*e, {"update", "random_update"}).value_or(se.fill_pj);
      se.leak_pj = action(*e, {"leak"}).value_or(0.0);
      if (!e->source.empty()) se.source = e->source;
    }
    if (const ArtEntry* a = find_art(in, lv.name)) se.area_um2 = a->area_um2;
    t.storage_.push_back(se);
  }
  const ErtEntry* c = find_ert(in, arch.arithmetic.name);
  if (!c) {
    if (!arch.arithmetic.energy_pj)
      missing_entry(in, "the arithmetic level", arch.arithmetic.name, arch.arithmetic.instances);
    t.compute_.compute_pj = *arch.arithmetic.energy_pj;
    t.compute_.source = "user";
  } else {
    auto e = action(*c, {"compute", "mac_random", "mac", "random_compute"});
    if (!e && c->actions.empty())
      throw ConfigError(c->loc.file, c->loc.line, c->loc.key_path,
                        "ERT entry '" + c->name + "' has no actions; expected 'compute'");
    t.compute_.compute_pj = e.value_or(largest(*c));
    if (!c->source.empty()) t.compute_.source = c->source;
  }
  if (const ArtEntry* a = find_art(in, arch.arithmetic.name)) t.compute_.area_um2 = a->area_um2;
  t.networks_ = resolve_networks(arch, in, t.storage_, t.compute_);
  return t;
}

void EnergyTable::scale(double f) {
  for (auto& s : storage_) {
    s.read_pj *= f;
    s.fill_pj *= f;
    s.update_pj *= f;
    s.leak_pj *= f;
  }
  compute_.compute_pj *= f;
  for (auto& n : networks_) {
    n.energy_per_hop_pj *= f;
    n.router_pj *= f;
    n.ingress_pj *= f;
    for (auto& [a, vs] : n.actions)
      for (auto& v : vs) v.second *= f;
  }
}

bool EnergyTable::networks_priced() const {
  for (const auto& n : networks_) {
    if (n.needs_hops() || n.ingress_pj != 0) return true;
    for (const auto& [a, vs] : n.actions)
      for (const auto& v : vs)
        if (v.second != 0) return true;
  }
  return false;
}

bool EnergyTable::networks_need_hops() const {
  for (const auto& n : networks_)
    if (n.needs_hops()) return true;
  return false;
}

}  // namespace loopsim
