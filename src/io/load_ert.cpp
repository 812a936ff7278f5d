// ERT: {version, tables: [{name, actions: [{name, arguments, energy}]}]}
// ART: {version, tables: [{name, area}]}; and the *_summary variants.
#include <algorithm>

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
      auto it = e.actions.find(name);
      if (it == e.actions.end()) e.actions[name] = energy;
      else it->second = std::max(it->second, energy);  // largest over argument sets
    }
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
