// Dataflow presets (mappings/dataflows/*.yaml): constraints that name roles, resolved
// against the architecture, instead of level names:
//   array           the innermost fan-out levels (per axis: the innermost level whose fan-out
//                   on X, resp. Y, is above 1);
//   PE-local levels the storage levels below the innermost fan-out level;
//   pe_store(T)     the outermost PE-local level that may keep data space T.
// no_local_reuse: every PE-local level bypasses everything and runs no temporal loop (an
// error when the architecture's constraints make a PE-local level keep something).
// dataflow: {description, pe: [{tensor, loops: irrelevant | [dims], full: [dims]}],
//            array: {X: [dims], Y: [dims]}, no_local_reuse: bool}
#include <algorithm>
#include <optional>

#include "io_internal.hpp"
#include "loopsim/core/text.hpp"

namespace loopsim::io {

namespace {

std::vector<int> dim_list(const Cursor& c, const Workload& w) { return parse_permutation(c, w); }

// Where a preset constraint comes from, with the role it was placed by (for the
// infeasibility report).
SourceLoc role_loc(const Cursor& c, const std::string& role) {
  return SourceLoc{c.file(), c.line(), c.path() + " (dataflow role " + role + ")"};
}

std::string dim_names(const Cursor& c, const Workload& w) {
  std::string s;
  for (int d : dim_list(c, w)) s += (s.empty() ? "" : " ") + w.dims[static_cast<std::size_t>(d)];
  return "[" + s + "]";
}

}  // namespace

void apply_dataflow_file(const std::string& path, const Workload& w, const ArchSpec& arch,
                         Constraints& out, std::string* note) {
  Cursor root(load_yaml_file(path), path, "");
  root.expect_map();
  root.allow_keys({"dataflow"});
  Cursor df = root.required("dataflow");
  df.expect_map();
  df.allow_keys({"version", "description", "pe", "array", "array_when_trivial", "no_local_reuse"});
  const int nlev = arch.num_storage_levels();
  int ax = -1, ay = -1;
  for (int l = 0; l < nlev; ++l) {
    if (ax < 0 && arch.fanout_x(l) > 1) ax = l;
    if (ay < 0 && arch.fanout_y(l) > 1) ay = l;
  }
  if (ax < 0 && ay < 0)
    df.fail("a dataflow preset needs an architecture with a PE array (a level with fan-out); "
            "this one has none");
  int array = ax < 0 ? ay : ay < 0 ? ax : std::min(ax, ay);
  auto lc = [&](int l) -> LevelConstraints& { return out.levels[static_cast<std::size_t>(l)]; };
  auto pe_store = [&](const Cursor& at, int ds) {
    for (int l = array - 1; l >= 0; --l) {
      if (arch.storage[static_cast<std::size_t>(l)].dummy) continue;
      if (lc(l).keep[static_cast<std::size_t>(ds)] != KeepRule::Bypass) return l;
    }
    at.fail("no storage level inside the PE array (below '" +
            arch.storage[static_cast<std::size_t>(array)].name + "') may keep '" +
            w.data_spaces[static_cast<std::size_t>(ds)].name + "'");
  };
  if (auto pe = df.optional("pe")) {
    for (const auto& e : pe->items()) {
      e.allow_keys({"tensor", "loops", "full"});
      Cursor t = e.required("tensor");
      int ds = w.data_space_index(t.str());
      if (ds < 0) {
        std::vector<std::string> names;
        for (const auto& d : w.data_spaces) names.push_back(d.name);
        t.fail("unknown data space '" + t.str() + "'" + did_you_mean(t.str(), names) +
               "; data spaces are: " + join(names));
      }
      int l = pe_store(t, ds);
      const std::string role = "pe_store(" + t.str() + ") = " +
                               arch.storage[static_cast<std::size_t>(l)].name;
      lc(l).keep[static_cast<std::size_t>(ds)] = KeepRule::Keep;
      lc(l).keep_at[static_cast<std::size_t>(ds)] = role_loc(t, role);
      std::vector<bool> relevant(static_cast<std::size_t>(w.num_dims()), false);
      for (const auto& rank : w.data_spaces[static_cast<std::size_t>(ds)].projection)
        for (const auto& term : rank) relevant[static_cast<std::size_t>(term.dim)] = true;
      if (auto loops = e.optional("loops")) {
        std::vector<bool> allowed(static_cast<std::size_t>(w.num_dims()), false);
        if (loops->is_scalar() && loops->str() == "irrelevant") {
          for (int d = 0; d < w.num_dims(); ++d) allowed[static_cast<std::size_t>(d)] = !relevant[static_cast<std::size_t>(d)];
        } else {
          for (int d : dim_list(*loops, w)) allowed[static_cast<std::size_t>(d)] = true;
        }
        for (int d = 0; d < w.num_dims(); ++d)
          if (!allowed[static_cast<std::size_t>(d)]) {
            lc(l).temporal[static_cast<std::size_t>(d)].max = 1;
            lc(l).temporal_at[static_cast<std::size_t>(d)] = role_loc(*loops, role + " loops");
          }
      }
      if (auto full = e.optional("full")) {
        for (int d : dim_list(*full, w))
          for (int up = l + 1; up < nlev; ++up) {
            lc(up).temporal[static_cast<std::size_t>(d)].max = 1;
            lc(up).spatial[static_cast<std::size_t>(d)].max = 1;
            lc(up).temporal_at[static_cast<std::size_t>(d)] = role_loc(*full, role + " full");
            lc(up).spatial_at[static_cast<std::size_t>(d)] = role_loc(*full, role + " full");
          }
      }
    }
  }
  std::optional<Cursor> a = df.optional("array");
  // array_when_trivial: the roles used when an axis of `array` names only dimensions of
  // bound 1 in this layer (an FC layer under row-stationary: Q = 1 leaves X unused), so the
  // array is not left idle.
  if (auto alt = df.optional("array_when_trivial"); alt && a) {
    bool trivial = false;
    std::string idle;
    for (const char* axis : {"X", "Y"})
      if (auto dims = a->optional(axis)) {
        bool all_one = true;
        for (int d : dim_list(*dims, w)) all_one &= w.bounds[static_cast<std::size_t>(d)] == 1;
        if (all_one && !trivial) idle = std::string(axis) + ": " + dim_names(*dims, w);
        trivial |= all_one;
      }
    if (trivial) {
      std::string names;
      for (const char* axis : {"X", "Y"})
        if (auto dims = alt->optional(axis))
          names += std::string(names.empty() ? "" : ", ") + axis + ": " + dim_names(*dims, w);
      if (note)
        *note = "the dataflow's array axis " + idle + " has only dimensions of bound 1 in this "
                "layer; using its array_when_trivial roles (" + names + ") so the array is "
                "used (" + path + ")";
      a = alt;
    }
  }
  if (a) {
    a->allow_keys({"X", "Y"});
    std::vector<int> xs, ys;
    if (auto x = a->optional("X")) xs = dim_list(*x, w);
    if (auto y = a->optional("Y")) ys = dim_list(*y, w);
    auto in = [](const std::vector<int>& v, int d) {
      return std::find(v.begin(), v.end(), d) != v.end();
    };
    std::vector<int> levels;
    for (int l : {ax, ay})
      if (l >= 0 && std::find(levels.begin(), levels.end(), l) == levels.end()) levels.push_back(l);
    for (int l : levels) {
      auto& c = lc(l);
      bool both = arch.fanout_x(l) > 1 && arch.fanout_y(l) > 1;
      if (both) {
        if (c.split || !c.spatial_perm.empty())
          a->fail("the array level '" + arch.storage[static_cast<std::size_t>(l)].name +
                  "' already has a spatial permutation or split; give the axes there or in "
                  "the preset's X/Y lists, not both");
        // The axes only: the order within each axis stays for the search.
        for (int d : xs) c.spatial_axis[static_cast<std::size_t>(d)] = 0;
        for (int d : ys) c.spatial_axis[static_cast<std::size_t>(d)] = 1;
      }
      const auto& axis = both ? std::vector<int>{} : (arch.fanout_x(l) > 1 ? xs : ys);
      for (int d = 0; d < w.num_dims(); ++d) {
        bool ok = both ? (in(xs, d) || in(ys, d)) : in(axis, d);
        if (!ok) {
          c.spatial[static_cast<std::size_t>(d)].max = 1;
          c.spatial_at[static_cast<std::size_t>(d)] =
              role_loc(*a, "array = " + arch.storage[static_cast<std::size_t>(l)].name);
        }
      }
    }
  }
  if (auto nlr = df.optional("no_local_reuse"); nlr && nlr->boolean()) {
    for (int l = 0; l < array; ++l) {
      for (auto& r : lc(l).temporal) r.max = 1;
      for (auto& at : lc(l).temporal_at) at = role_loc(*nlr, "PE-local level");
      for (int ds = 0; ds < w.num_data_spaces(); ++ds) {
        auto& k = lc(l).keep[static_cast<std::size_t>(ds)];
        if (k == KeepRule::Keep)
          nlr->fail("no local reuse needs every storage level inside the PE array to bypass "
                    "its data, but the constraints make '" +
                    arch.storage[static_cast<std::size_t>(l)].name + "' keep '" +
                    w.data_spaces[static_cast<std::size_t>(ds)].name + "'");
        k = KeepRule::Bypass;
      }
    }
  }
  for (int l = 0; l < nlev; ++l)
    for (int d = 0; d < w.num_dims(); ++d)
      for (const auto* r : {&lc(l).temporal[static_cast<std::size_t>(d)], &lc(l).spatial[static_cast<std::size_t>(d)]})
        if (r->min > r->max)
          df.fail("the preset contradicts the other constraints on '" +
                  arch.storage[static_cast<std::size_t>(l)].name + "' for dimension " +
                  w.dims[static_cast<std::size_t>(d)]);
}

}  // namespace loopsim::io
