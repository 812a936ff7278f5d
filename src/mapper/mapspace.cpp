// The mapspace: per-dimension factorizations over the slots (temporal loop of each level,
// spatial X/Y loops of each level with fan-out), keep masks per level, loop orders.
#include <algorithm>
#include <cmath>

#include "loopsim/core/error.hpp"
#include "loopsim/mapper/residual_factors.hpp"
#include "loopsim/mapper/search.hpp"

namespace loopsim {

namespace {


// Every way to write `rest` as a product over the slots from `slot` on, each factor within
// its slot's range; `divs` holds the divisors of the bound (every factor is one of them).
void factorize(std::int64_t rest, std::size_t slot, const std::vector<FactorRange>& range,
               const std::vector<std::int64_t>& divs, std::vector<std::int64_t>& cur,
               std::vector<std::vector<std::int64_t>>& out) {
  if (slot + 1 == range.size()) {
    if (rest >= range[slot].min && rest <= range[slot].max) {
      cur[slot] = rest;
      out.push_back(cur);
    }
    return;
  }
  for (std::int64_t f : divs) {
    if (f > rest || f > range[slot].max) break;
    if (rest % f != 0 || f < range[slot].min) continue;
    cur[slot] = f;
    factorize(rest / f, slot + 1, range, divs, cur, out);
  }
  cur[slot] = 1;
}

double factorial(std::size_t k) {
  double f = 1;
  for (std::size_t i = 2; i <= k; ++i) f *= static_cast<double>(i);
  return f;
}

}  // namespace

MapSpace::MapSpace(const Workload& w, const ArchSpec& arch, const Constraints& c,
                   const std::function<bool()>& abort)
    : w_(w), arch_(arch), c_(c), nlev_(arch.num_storage_levels()), ndim_(w.num_dims()) {
  LOOPSIM_CHECK(static_cast<int>(c.levels.size()) == nlev_, "constraints for " << c.levels.size()
                                                                            << " levels");
  temporal_slot_.assign(static_cast<std::size_t>(nlev_), -1);
  spatial_slot_.assign(static_cast<std::size_t>(nlev_), {-1, -1});
  for (int l = 0; l < nlev_; ++l) {
    auto& ss = spatial_slot_[static_cast<std::size_t>(l)];
    if (arch.fanout_x(l) > 1) {
      ss[0] = static_cast<int>(slots_.size());
      slots_.push_back({l, Spacetime::SpaceX});
    }
    if (arch.fanout_y(l) > 1) {
      ss[1] = static_cast<int>(slots_.size());
      slots_.push_back({l, Spacetime::SpaceY});
    }
    if (!arch.storage[static_cast<std::size_t>(l)].dummy) {
      temporal_slot_[static_cast<std::size_t>(l)] = static_cast<int>(slots_.size());
      slots_.push_back({l, Spacetime::Time});
    }
  }
  // Which axis a dim's spatial loop may use at a level, from split + permutation. As in
  // Timeloop, the spatial permutation is the listed dims followed by the others in any
  // order, and split cuts it: a listed dim's index fixes its axis; the others fill the
  // places left on either axis (at most free_caps_ of them on each, checked in spatial_ok).
  free_caps_.assign(static_cast<std::size_t>(nlev_), {-1, -1});
  for (int l = 0; l < nlev_; ++l) {
    const auto& lc = c.levels[static_cast<std::size_t>(l)];
    if (!lc.split) continue;
    const auto unlisted = static_cast<std::int64_t>(ndim_ - static_cast<int>(lc.spatial_perm.size()));
    const std::int64_t on_x =
        std::clamp<std::int64_t>(*lc.split - static_cast<std::int64_t>(lc.spatial_perm.size()), 0, unlisted);
    free_caps_[static_cast<std::size_t>(l)] = {on_x, unlisted - on_x};
  }
  auto axis_allowed = [&](int l, int d, Spacetime st) {
    const auto& lc = c.levels[static_cast<std::size_t>(l)];
    const auto du = static_cast<std::size_t>(d);
    if (du < lc.spatial_axis.size() && lc.spatial_axis[du] >= 0 &&
        lc.spatial_axis[du] != (st == Spacetime::SpaceX ? 0 : 1))
      return false;
    if (!lc.split) return true;
    const auto& sp = lc.spatial_perm;
    auto pos = std::find(sp.begin(), sp.end(), d) - sp.begin();
    if (pos < static_cast<std::ptrdiff_t>(sp.size())) return (st == Spacetime::SpaceX) == (pos < *lc.split);
    return free_caps_[static_cast<std::size_t>(l)][st == Spacetime::SpaceX ? 0 : 1] > 0;
  };
  facts_.resize(static_cast<std::size_t>(ndim_));
  double total = 1;
  for (int d = 0; d < ndim_; ++d) {
    if (abort && abort()) {
      aborted_ = true;
      for (auto& f : facts_) f.clear();
      size_ = 0;
      return;
    }
    std::vector<FactorRange> range(slots_.size());
    for (std::size_t s = 0; s < slots_.size(); ++s) {
      const auto& sl = slots_[s];
      const auto& lc = c.levels[static_cast<std::size_t>(sl.level)];
      if (sl.st == Spacetime::Time) {
        range[s] = lc.temporal[static_cast<std::size_t>(d)];
      } else {
        FactorRange r = lc.spatial[static_cast<std::size_t>(d)];
        std::int64_t fan = sl.st == Spacetime::SpaceX ? arch.fanout_x(sl.level)
                                                      : arch.fanout_y(sl.level);
        // The min applies to the dim's one spatial loop at this level; checked in
        // spatial_ok when the level has both axes.
        bool both = arch.fanout_x(sl.level) > 1 && arch.fanout_y(sl.level) > 1;
        if (both) r.min = 1;
        r.max = std::min(r.max, fan);
        if (!axis_allowed(sl.level, d, sl.st)) r.max = 1;
        range[s] = r;
      }
    }
    std::vector<std::int64_t> cur(slots_.size(), 1);
    if (!slots_.empty() && c.imperfect) {
      // The ruby template: imperfect factors where `remainders` allows them.
      if (!imperfect_factorizations(d, range, abort)) {
        aborted_ = true;
        for (auto& f : facts_) f.clear();
        size_ = 0;
        return;
      }
    } else if (!slots_.empty()) {
      factorize(w.bounds[static_cast<std::size_t>(d)], 0, range,
                divisors(w.bounds[static_cast<std::size_t>(d)]), cur,
                facts_[static_cast<std::size_t>(d)]);
    }
    // Spatial minimums on levels with both axes: the product over X and Y.
    auto& list = facts_[static_cast<std::size_t>(d)];
    std::erase_if(list, [&](const std::vector<std::int64_t>& f) {
      for (int l = 0; l < nlev_; ++l) {
        std::int64_t x = 1, y = 1;
        for (std::size_t s = 0; s < slots_.size(); ++s) {
          if (slots_[s].level != l) continue;
          if (slots_[s].st == Spacetime::SpaceX) x = f[s];
          if (slots_[s].st == Spacetime::SpaceY) y = f[s];
        }
        if (x > 1 && y > 1) return true;  // one spatial loop per dim and level
        const auto& r = c.levels[static_cast<std::size_t>(l)].spatial[static_cast<std::size_t>(d)];
        if (arch.fanout(l) > 1 && (x * y < r.min || x * y > r.max)) return true;
        if (arch.fanout(l) <= 1 && r.min > 1) return true;
      }
      return false;
    });
    total *= static_cast<double>(list.size());
  }
  // Keep options.
  keeps_.resize(static_cast<std::size_t>(nlev_));
  const int nds = w.num_data_spaces();
  for (int l = 0; l < nlev_; ++l) {
    const auto& spec = arch.storage[static_cast<std::size_t>(l)];
    const auto& lc = c.levels[static_cast<std::size_t>(l)];
    std::vector<std::vector<bool>> opts{{}};
    for (int ds = 0; ds < nds; ++ds) {
      std::vector<bool> choices;
      KeepRule r = lc.keep[static_cast<std::size_t>(ds)];
      if (spec.dummy || r == KeepRule::Bypass) choices = {false};
      else if (r == KeepRule::Keep || l == nlev_ - 1) choices = {true};
      else choices = {true, false};
      std::vector<std::vector<bool>> next;
      for (const auto& o : opts)
        for (bool ch : choices) {
          auto n = o;
          n.push_back(ch);
          next.push_back(std::move(n));
        }
      opts = std::move(next);
    }
    total *= static_cast<double>(opts.size());
    keeps_[static_cast<std::size_t>(l)] = std::move(opts);
  }
  // Loop orders: an upper estimate (every non-trivial free dim permuted) of the average is
  // not cheap; estimate with the number of dims that can be non-trivial per slot, and on a
  // spatial axis of fan-out F at most log2(F) of them (factors of at least 2 each).
  auto unordered = [&](int slot, const std::vector<int>& listed) {
    std::size_t k = 0;
    for (int d = 0; d < ndim_; ++d) {
      bool can = false;
      for (const auto& f : facts_[static_cast<std::size_t>(d)]) can |= f[static_cast<std::size_t>(slot)] > 1;
      if (can && std::find(listed.begin(), listed.end(), d) == listed.end()) ++k;
    }
    return k;
  };
  for (int l = 0; l < nlev_; ++l) {
    const auto& lc = c.levels[static_cast<std::size_t>(l)];
    int ts = temporal_slot_[static_cast<std::size_t>(l)];
    if (ts >= 0) total *= factorial(unordered(ts, lc.temporal_perm));
    for (int axis = 0; axis < 2; ++axis) {
      int ss = spatial_slot_[static_cast<std::size_t>(l)][static_cast<std::size_t>(axis)];
      if (ss < 0) continue;
      std::int64_t most = 0;
      for (std::int64_t f = axis == 0 ? arch.fanout_x(l) : arch.fanout_y(l); f >= 2; f /= 2) ++most;
      if (std::int64_t cap = free_caps_[static_cast<std::size_t>(l)][static_cast<std::size_t>(axis)]; cap >= 0)
        most = std::min(most, cap);
      total *= factorial(std::min(static_cast<std::size_t>(most), unordered(ss, lc.spatial_perm)));
    }
  }
  size_ = total;
}

std::string MapSpace::empty_reason() const {
  if (aborted_) return "stopped while the mapspace was being built";
  for (int d = 0; d < ndim_; ++d)
    if (facts_[static_cast<std::size_t>(d)].empty())
      return "the factor constraints leave no way to split dimension " +
             w_.dims[static_cast<std::size_t>(d)] + " (bound " +
             std::to_string(w_.bounds[static_cast<std::size_t>(d)]) +
             ") over the levels and fan-outs";
  return "";
}

bool MapSpace::spatial_ok(const std::vector<int>& fact) const {
  for (int l = 0; l < nlev_; ++l) {
    std::int64_t fx = arch_.fanout_x(l), fy = arch_.fanout_y(l);
    if (fx * fy <= 1) continue;
    std::int64_t x = 1, y = 1;
    for (std::size_t s = 0; s < slots_.size(); ++s) {
      if (slots_[s].level != l || slots_[s].st == Spacetime::Time) continue;
      for (int d = 0; d < ndim_; ++d) {
        std::int64_t f = factor(fact, d, static_cast<int>(s));
        if (slots_[s].st == Spacetime::SpaceX) x *= f;
        else y *= f;
      }
    }
    if (x > fx || y > fy) return false;
    double util = static_cast<double>(x * y) / static_cast<double>(fx * fy);
    if (util + 1e-12 < c_.levels[static_cast<std::size_t>(l)].min_spatial_utilization) return false;
    if (!free_fit(fact, l)) return false;
    if (!unsplit_prefix_ok(fact, l)) return false;
  }
  return true;
}

// Timeloop without a `split` on a level with both axes: the spatial permutation is the
// listed dims (non-trivial ones, in order) followed by the others in any order, and the
// split is searched, X taking a prefix of it. So along the listed dims the axes go X...X
// then Y...Y, and an unlisted dim may be on X only when every listed one is.
bool MapSpace::unsplit_prefix_ok(const std::vector<int>& fact, int level) const {
  const auto& lc = c_.levels[static_cast<std::size_t>(level)];
  const auto& ss = spatial_slot_[static_cast<std::size_t>(level)];
  if (lc.split || lc.spatial_perm.empty() || ss[0] < 0 || ss[1] < 0) return true;
  bool seen_y = false;
  for (int d : lc.spatial_perm) {
    if (factor(fact, d, ss[1]) > 1) seen_y = true;
    else if (factor(fact, d, ss[0]) > 1 && seen_y) return false;
  }
  if (!seen_y) return true;
  for (int d = 0; d < ndim_; ++d)
    if (free_spatial_loop(fact, level, d, ss[0])) return false;
  return true;
}

bool MapSpace::free_fit(const std::vector<int>& fact, int level) const {
  const auto& caps = free_caps_[static_cast<std::size_t>(level)];
  if (caps[0] <= 0 || caps[1] <= 0) return true;  // axis_allowed put them all on one axis
  for (int axis = 0; axis < 2; ++axis) {
    int ss = spatial_slot_[static_cast<std::size_t>(level)][static_cast<std::size_t>(axis)];
    if (ss < 0) continue;
    std::int64_t n = 0;
    for (int d = 0; d < ndim_; ++d) n += free_spatial_loop(fact, level, d, ss) ? 1 : 0;
    if (n > caps[static_cast<std::size_t>(axis)]) return false;
  }
  return true;
}

std::int64_t MapSpace::spatial_product(const std::vector<int>& fact) const {
  std::int64_t p = 1;
  for (std::size_t s = 0; s < slots_.size(); ++s)
    if (slots_[s].st != Spacetime::Time)
      for (int d = 0; d < ndim_; ++d) p *= factor(fact, d, static_cast<int>(s));
  return p;
}

std::vector<int> MapSpace::fixed_dims(const std::vector<int>& fact, int level) const {
  std::vector<int> out;
  int ts = temporal_slot_[static_cast<std::size_t>(level)];
  if (ts < 0) return out;
  for (int d : c_.levels[static_cast<std::size_t>(level)].temporal_perm)
    if (factor(fact, d, ts) > 1) out.push_back(d);
  return out;
}

std::vector<int> MapSpace::free_dims(const std::vector<int>& fact, int level) const {
  std::vector<int> out;
  int ts = temporal_slot_[static_cast<std::size_t>(level)];
  if (ts < 0) return out;
  const auto& tp = c_.levels[static_cast<std::size_t>(level)].temporal_perm;
  for (int d = 0; d < ndim_; ++d)
    if (factor(fact, d, ts) > 1 && std::find(tp.begin(), tp.end(), d) == tp.end())
      out.push_back(d);
  return out;
}

void MapSpace::spatial_free_dims(const std::vector<int>& fact, int level, int axis,
                                 std::vector<int>& out) const {
  out.clear();
  int ss = spatial_slot_[static_cast<std::size_t>(level)][static_cast<std::size_t>(axis)];
  if (ss < 0) return;
  for (int d = 0; d < ndim_; ++d)
    if (free_spatial_loop(fact, level, d, ss)) out.push_back(d);
}

bool MapSpace::free_spatial_loop(const std::vector<int>& fact, int level, int d, int ss) const {
  const auto& sp = c_.levels[static_cast<std::size_t>(level)].spatial_perm;
  return factor(fact, d, ss) > 1 && std::find(sp.begin(), sp.end(), d) == sp.end();
}

bool MapSpace::fits(const MapPoint& p) const {
  std::int64_t extent[kMaxDims];
  for (int d = 0; d < ndim_; ++d) extent[d] = 1;
  std::size_t s = 0;
  for (int l = 0; l < nlev_; ++l) {
    // With imperfect factors the full steps below the outermost loop of a dim cover less
    // than its bound, and that loop's tile is the whole bound (residual_factors.hpp).
    for (; s < slots_.size() && slots_[s].level == l; ++s)
      for (int d = 0; d < ndim_; ++d)
        extent[d] = std::min(extent[d] * factor(p.factorization, d, static_cast<int>(s)),
                             w_.bounds[static_cast<std::size_t>(d)]);
    const auto& spec = arch_.storage[static_cast<std::size_t>(l)];
    if (!spec.effective_size_words || spec.allow_overbooking) continue;
    const auto& keep = keeps_[static_cast<std::size_t>(l)][static_cast<std::size_t>(p.keep[static_cast<std::size_t>(l)])];
    std::int64_t total = 0;
    for (int ds = 0; ds < w_.num_data_spaces(); ++ds)
      if (keep[static_cast<std::size_t>(ds)]) total += w_.box_size(ds, extent);
    if (total > *spec.effective_size_words) return false;
  }
  return true;
}

bool MapSpace::keeps_ok(const std::vector<int>& keep) const {
  for (int ds = 0; ds < w_.num_data_spaces(); ++ds) {
    bool any = false;
    for (int l = 0; l < nlev_; ++l)
      any = any || keeps_[static_cast<std::size_t>(l)][static_cast<std::size_t>(keep[static_cast<std::size_t>(l)])]
                         [static_cast<std::size_t>(ds)];
    if (!any) return false;
  }
  return true;
}

void MapSpace::build(const MapPoint& p, Mapping& out) const {
  out.levels.resize(static_cast<std::size_t>(nlev_));
  for (int l = 0; l < nlev_; ++l) {
    auto& lm = out.levels[static_cast<std::size_t>(l)];
    lm.keep = keeps_[static_cast<std::size_t>(l)][static_cast<std::size_t>(p.keep[static_cast<std::size_t>(l)])];
    // no_reuse constraints are properties of every mapping, not choices of the search.
    lm.no_temporal_reuse = c_.levels[static_cast<std::size_t>(l)].no_reuse;
    lm.no_multicast = c_.levels[static_cast<std::size_t>(l)].no_multicast;
  }
  build_loops(p, out);
}

void MapSpace::build_loops(const MapPoint& p, Mapping& out) const {
  for (int l = 0; l < nlev_; ++l) {
    auto& lm = out.levels[static_cast<std::size_t>(l)];
    lm.temporal.clear();
    lm.spatial.clear();
    int ts = temporal_slot_[static_cast<std::size_t>(l)];
    if (ts >= 0) {
      auto add = [&](int d) {
        Loop lp;
        lp.dim = d;
        lp.end = factor(p.factorization, d, ts);
        lp.residual_end = residual(p.factorization, d, ts);
        lm.temporal.push_back(lp);
      };
      for (int d : c_.levels[static_cast<std::size_t>(l)].temporal_perm)
        if (factor(p.factorization, d, ts) > 1) add(d);
      for (int d : p.perm[static_cast<std::size_t>(l)]) add(d);
    }
    // Spatial loops: X then Y; on each axis the constrained dims innermost in the
    // constraint's order, then the free ones in the point's order (or dimension order).
    const auto& sp = c_.levels[static_cast<std::size_t>(l)].spatial_perm;
    for (int axis = 0; axis < 2; ++axis) {
      int ss = spatial_slot_[static_cast<std::size_t>(l)][static_cast<std::size_t>(axis)];
      if (ss < 0) continue;
      auto add = [&](int d) {
        Loop lp;
        lp.dim = d;
        lp.end = factor(p.factorization, d, ss);
        lp.residual_end = residual(p.factorization, d, ss);
        lp.spacetime = axis == 0 ? Spacetime::SpaceX : Spacetime::SpaceY;
        lm.spatial.push_back(lp);
      };
      for (int d : sp)
        if (factor(p.factorization, d, ss) > 1) add(d);
      const std::vector<int>* free = nullptr;
      if (static_cast<std::size_t>(l) < p.sperm.size())
        free = &p.sperm[static_cast<std::size_t>(l)][static_cast<std::size_t>(axis)];
      if (free != nullptr && !free->empty()) {
        for (int d : *free) add(d);
      } else {
        for (int d = 0; d < ndim_; ++d)
          if (free_spatial_loop(p.factorization, l, d, ss)) add(d);
      }
    }
  }
}

}  // namespace loopsim
