// Infeasibility found before searching. Each rule is exact in one direction: it fires only
// when no point of the mapspace can pass the same check the search applies (the factor
// ranges and fan-outs of MapSpace, keeps_ok, MapSpace::fits), so a reported space is
// really empty:
//   1. a dimension without any factorization over the slots (built as the search does);
//   2. spatial minimum factors whose product exceeds a level's fan-out;
//   3. a data space that no level may keep;
//   4. a level that must keep data spaces whose smallest tiles (every factor at its minimum
//      at and below the level: tiles only grow with the factors) exceed its capacity.
#include "loopsim/mapper/feasibility.hpp"

#include <algorithm>

#include "loopsim/mapper/search.hpp"

namespace loopsim {

namespace {

std::string at(const SourceLoc& l) {
  if (l.line <= 0) return "";
  return " (" + l.file + ":" + std::to_string(l.line) +
         (l.key_path.empty() ? "" : ": " + l.key_path) + ")";
}

std::string range_text(const std::string& dim, const FactorRange& r) {
  if (r.min == r.max) return dim + "=" + std::to_string(r.min);
  std::string s;
  if (r.min > 1) s = dim + ">=" + std::to_string(r.min);
  if (r.max < std::numeric_limits<std::int64_t>::max())
    s += (s.empty() ? "" : " ") + dim + "<=" + std::to_string(r.max);
  return s;
}

struct Finder {
  const Workload& w;
  const ArchSpec& arch;
  const Constraints& c;
  std::optional<Infeasibility> found;

  const LevelConstraints& lc(int l) const { return c.levels[static_cast<std::size_t>(l)]; }
  const std::string& name(int l) const { return arch.storage[static_cast<std::size_t>(l)].name; }

  // `level`: whose architecture entry is named when no constraint was written.
  void report(std::string msg, const std::vector<SourceLoc>& locs, int level) {
    if (found) return;
    SourceLoc first = arch.storage[static_cast<std::size_t>(level)].loc;
    for (const auto& l : locs)
      if (l.line > 0) {
        first = l;
        break;
      }
    found = Infeasibility{"no mapping can satisfy the constraints: " + std::move(msg), first};
  }

  // The factor constraints written on dimension d, one clause each, and where.
  std::string constraints_on(int d, std::vector<SourceLoc>& locs) const {
    std::string out;
    const auto du = static_cast<std::size_t>(d);
    for (int l = 0; l < arch.num_storage_levels(); ++l)
      for (int sp = 0; sp < 2; ++sp) {
        const FactorRange& r = sp ? lc(l).spatial[du] : lc(l).temporal[du];
        std::string t = range_text(w.dims[du], r);
        if (t.empty()) continue;
        const SourceLoc& loc = sp ? lc(l).spatial_at[du] : lc(l).temporal_at[du];
        out += std::string(out.empty() ? "" : "; ") + name(l) + (sp ? " spatial " : " temporal ") +
               t + at(loc);
        locs.push_back(loc);
      }
    return out;
  }

  void spatial_products() {
    for (int l = 0; l < arch.num_storage_levels(); ++l) {
      std::int64_t need = 1;
      std::string what;
      std::vector<SourceLoc> locs;
      for (int d = 0; d < w.num_dims(); ++d) {
        const auto du = static_cast<std::size_t>(d);
        std::int64_t m = lc(l).spatial[du].min;
        if (m <= 1) continue;
        // A dimension has one spatial loop per level, on one axis.
        const std::int64_t axis = std::max(arch.fanout_x(l), arch.fanout_y(l));
        if (m > axis)
          report("the spatial factor " + range_text(w.dims[du], lc(l).spatial[du]) + " at " +
                     name(l) + at(lc(l).spatial_at[du]) + " exceeds its fan-out on either axis (" +
                     std::to_string(arch.fanout_x(l)) + "x" + std::to_string(arch.fanout_y(l)) +
                     "): a dimension's spatial loop at a level is on one axis",
                 {lc(l).spatial_at[du]}, l);
        need = std::min<std::int64_t>(need * m, std::int64_t{1} << 40);
        what += std::string(what.empty() ? "" : ", ") + range_text(w.dims[du], lc(l).spatial[du]) +
                at(lc(l).spatial_at[du]);
        locs.push_back(lc(l).spatial_at[du]);
      }
      if (need > arch.fanout(l))
        report("the spatial factors at " + name(l) + " (" + what + ") need at least " +
                   std::to_string(need) + " instances, but " + name(l) + " fans out to " +
                   std::to_string(arch.fanout(l)) + " (" + std::to_string(arch.fanout_x(l)) +
                   "x" + std::to_string(arch.fanout_y(l)) + ")",
               locs, l);
    }
  }

  void factorizations(const MapSpace& ms) {
    for (int d = 0; d < w.num_dims(); ++d) {
      if (!ms.factorizations(d).empty()) continue;
      std::vector<SourceLoc> locs;
      std::string on = constraints_on(d, locs);
      const auto du = static_cast<std::size_t>(d);
      report("no split of dimension " + w.dims[du] + " (bound " + std::to_string(w.bounds[du]) +
                 ") over the levels and fan-outs satisfies " +
                 (on.empty() ? std::string("the spatial permutation and split") : on) +
                 (c.imperfect ? " (factors divide the bound, or are imperfect where a "
                                "`remainders` allows; a spatial factor is at most its fan-out)"
                              : " (factors divide the bound; a spatial factor is at most its "
                                "fan-out)"),
             locs, arch.num_storage_levels() - 1);
    }
  }

  void keeps() {
    for (int ds = 0; ds < w.num_data_spaces(); ++ds) {
      const auto dsu = static_cast<std::size_t>(ds);
      bool any = false;
      std::vector<SourceLoc> locs;
      std::string where;
      for (int l = 0; l < arch.num_storage_levels(); ++l) {
        if (arch.storage[static_cast<std::size_t>(l)].dummy) continue;
        if (lc(l).keep[dsu] != KeepRule::Bypass) any = true;
        else {
          where += std::string(where.empty() ? "" : ", ") + name(l) + at(lc(l).keep_at[dsu]);
          locs.push_back(lc(l).keep_at[dsu]);
        }
      }
      if (!any)
        report("data space " + w.data_spaces[dsu].name + " bypasses every level (" + where +
                   "): it must be kept somewhere",
               locs, arch.num_storage_levels() - 1);
    }
  }

  // The most a dimension's factors above level l can take together (capped at its bound).
  std::int64_t max_above(int l, int d) const {
    const auto du = static_cast<std::size_t>(d);
    const std::int64_t bound = w.bounds[du];
    std::int64_t p = 1;
    for (int u = l + 1; u < arch.num_storage_levels() && p < bound; ++u) {
      std::int64_t t = arch.storage[static_cast<std::size_t>(u)].dummy ? 1 : lc(u).temporal[du].max;
      std::int64_t sp = std::min(lc(u).spatial[du].max, arch.fanout(u));
      p = std::min(bound, std::min(bound, p * std::min(bound, t)) * std::min(bound, sp));
    }
    return p;
  }

  void smallest_tiles() {
    const int nlev = arch.num_storage_levels();
    std::vector<std::int64_t> extent(static_cast<std::size_t>(w.num_dims()), 1);
    std::vector<std::int64_t> mins(static_cast<std::size_t>(w.num_dims()), 1);
    for (int l = 0; l < nlev; ++l) {
      for (int d = 0; d < w.num_dims(); ++d) {
        const auto du = static_cast<std::size_t>(d);
        // The factors at and below l multiply to at least their minimums, and to at least
        // the bound over the most the levels above can take.
        std::int64_t f = lc(l).spatial[du].min;
        if (!arch.storage[static_cast<std::size_t>(l)].dummy) f *= lc(l).temporal[du].min;
        mins[du] = std::min(mins[du] * f, w.bounds[du]);
        const std::int64_t above = max_above(l, d);
        extent[du] = std::max(mins[du], (w.bounds[du] + above - 1) / above);
      }
      const auto& spec = arch.storage[static_cast<std::size_t>(l)];
      if (spec.dummy || !spec.effective_size_words || spec.allow_overbooking) continue;
      std::int64_t total = 0;
      std::string kept;
      std::vector<SourceLoc> locs;
      for (int ds = 0; ds < w.num_data_spaces(); ++ds) {
        const auto dsu = static_cast<std::size_t>(ds);
        KeepRule r = lc(l).keep[dsu];
        if (!(r == KeepRule::Keep || (l == nlev - 1 && r != KeepRule::Bypass))) continue;
        std::int64_t words = w.box_size(ds, extent.data());
        total += words;
        kept += std::string(kept.empty() ? "" : ", ") + w.data_spaces[dsu].name + " (" +
                std::to_string(words) + " words" +
                (r == KeepRule::Keep ? at(lc(l).keep_at[dsu]) : std::string(", outermost level")) +
                ")";
        locs.push_back(lc(l).keep_at[dsu]);
      }
      if (total <= *spec.effective_size_words) continue;
      std::string sizes;
      for (int d = 0; d < w.num_dims(); ++d)
        if (extent[static_cast<std::size_t>(d)] > 1) {
          sizes += std::string(sizes.empty() ? "" : ", ") + w.dims[static_cast<std::size_t>(d)] +
                  "=" + std::to_string(extent[static_cast<std::size_t>(d)]);
          std::vector<SourceLoc> more;
          (void)constraints_on(d, more);
          for (const auto& m : more) locs.push_back(m);
        }
      report(name(l) + " must keep " + kept + ": the smallest tiles the factor constraints allow" +
                 (sizes.empty() ? std::string() : " (extents " + sizes + " at and below it)") +
                 " need " + std::to_string(total) + " words, but " + name(l) + " holds " +
                 std::to_string(*spec.effective_size_words),
             locs, l);
    }
  }
};

}  // namespace

std::optional<Infeasibility> find_infeasibility(const Workload& w, const ArchSpec& arch,
                                                const Constraints& c) {
  Finder f{w, arch, c, std::nullopt};
  f.spatial_products();
  if (!f.found) {
    MapSpace ms(w, arch, c);
    f.factorizations(ms);
  }
  f.keeps();
  f.smallest_tiles();
  return f.found;
}

}  // namespace loopsim
