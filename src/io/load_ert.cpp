// ERT: {version, tables: [{name, actions: [{name, arguments, energy}]}]}
// ART: {version, tables: [{name, area}]}; and the *_summary variants.
#include <algorithm>
#include <sstream>

#include "io_internal.hpp"
#include "loopsim/core/limits.hpp"
#include "loopsim/core/text.hpp"

namespace loopsim::io {

namespace {

// Energies and areas are non-negative numbers, at most 1e15 so that an energy times any
// access count stays finite (docs/formats.md, Limits).
double non_negative(const Cursor& c, const char* what) {
  double v = c.number();
  if (v < 0) c.fail("expected a non-negative " + std::string(what) + ", got '" + c.str() + "'");
  if (v > limits::kMaxEnergyPj)
    c.fail("the " + std::string(what) + " " + c.str() + " is larger than loopsim allows: at most " +
           significant(limits::kMaxEnergyPj, 6) + " (docs/formats.md, Limits)");
  return v;
}

// A storage table with a read action but no write action, or the reverse, looks like a
// mistake: Timeloop costs the missing action at the table's largest energy (a table with
// neither, such as a table plug-in's `access` only, is used that way without a warning).
void warn_one_sided(const Cursor& t, const ErtEntry& e) {
  auto has = [&](std::initializer_list<const char*> names) {
    for (const char* n : names)
      if (e.actions.count(n)) return true;
    return false;
  };
  bool read = has({"read", "random_read"});
  bool write = has({"write", "random_fill", "fill"});
  if (read == write) return;
  double largest = 0;
  for (const auto& [k, v] : e.actions) largest = std::max(largest, v);
  std::ostringstream pj;
  pj << largest;
  t.warn("ERT entry '" + e.name + "' has '" + (read ? "read" : "write") + "' but no '" +
         (read ? "write" : "read") + "' action; as in Timeloop, '" + (read ? "write" : "read") +
         "' costs the table's largest energy (" + pj.str() + " pJ)");
}

}  // namespace

void parse_ert(const Cursor& ert, EnergyInputs& out) {
  ert.allow_keys({"version", "tables"});
  out.ert_file = ert.file();
  Cursor tables = ert.key("tables");
  out.tables_loc = SourceLoc{tables.file(), tables.line(), tables.path()};
  for (const auto& t : ert.required("tables").items()) {
    t.allow_keys({"name", "actions"});
    ErtEntry e;
    e.name = t.required("name").str();
    e.loc = SourceLoc{t.file(), t.line(), t.path()};
    for (const auto& a : t.required("actions").items()) {
      a.allow_keys({"name", "arguments", "energy"});
      std::string name = a.required("name").str();
      double energy = non_negative(a.required("energy"), "energy (pJ)");
      ErtEntry::Variant variant;
      variant.energy = energy;
      if (auto args = a.optional("arguments"); args && args->is_map())
        for (const auto& [k, v] : args->entries())
          if (v.is_scalar()) variant.arguments[k] = v.str();
      e.variants[name].push_back(std::move(variant));
      auto it = e.actions.find(name);
      if (it == e.actions.end()) e.actions[name] = energy;
      else it->second = std::max(it->second, energy);  // largest over argument sets
    }
    warn_one_sided(t, e);
    out.ert.push_back(std::move(e));
  }
}

void parse_art(const Cursor& art, EnergyInputs& out) {
  art.allow_keys({"version", "tables"});
  for (const auto& t : art.required("tables").items()) {
    t.allow_keys({"name", "area"});
    ArtEntry e;
    e.name = t.required("name").str();
    e.area_um2 = non_negative(t.required("area"), "area (um^2)");
    e.loc = SourceLoc{t.file(), t.line(), t.path()};
    out.art.push_back(std::move(e));
  }
}

void parse_ert_summary(const Cursor& s, EnergyInputs& out) {
  s.allow_keys({"version", "table_summary"});
  bool have_ert = !out.ert.empty();
  if (!have_ert) {
    out.ert_file = s.file();
    Cursor tables = s.key("table_summary");
    out.tables_loc = SourceLoc{tables.file(), tables.line(), tables.path()};
  }
  for (const auto& t : s.required("table_summary").items()) {
    t.allow_keys({"name", "actions", "primitive_estimation(s)"});
    ErtEntry e;
    e.name = t.required("name").str();
    e.loc = SourceLoc{t.file(), t.line(), t.path()};
    for (const auto& a : t.required("actions").items()) {
      a.allow_keys({"name", "energy", "average_energy", "max_energy", "min_energy"});
      std::string name = a.required("name").str();
      double energy = non_negative(a.optional("energy")       ? a.required("energy")
                                   : a.optional("max_energy") ? a.required("max_energy")
                                                              : a.required("energy"),
                                   "energy (pJ)");
      e.actions[name] = energy;
    }
    // An ERT given alongside its summary takes precedence.
    if (!have_ert) out.ert.push_back(std::move(e));
  }
}

void parse_art_summary(const Cursor& s, EnergyInputs& out) {
  s.allow_keys({"version", "table_summary"});
  bool have_art = !out.art.empty();
  for (const auto& t : s.required("table_summary").items()) {
    t.allow_keys({"name", "area", "primitive_estimations"});
    ArtEntry e;
    e.name = t.required("name").str();
    e.area_um2 = non_negative(t.required("area"), "area (um^2)");
    e.loc = SourceLoc{t.file(), t.line(), t.path()};
    if (!have_art) out.art.push_back(std::move(e));
  }
}

}  // namespace loopsim::io
