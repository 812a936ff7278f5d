// The optimal search's per-tiling lower bound (bound.hpp). Why it is exact: the traffic of a
// data space whose every rank is one dimension only depends, at each storage boundary, on
// which loops above the boundary lie inside the innermost loop relevant to it (Timeloop's
// walk: fills = |tile| x the product of the loops from that one outwards), so putting the
// irrelevant loops innermost at every level minimises every one of its counts at once.
// docs/mapper.md, "Pruning rules of the optimal search".
#include "bound.hpp"

#include <algorithm>

namespace loopsim::detail {

TilingBound::TilingBound(const Workload& w, const MapSpace& space, Metric metric)
    : w_(w), space_(space), metric_(metric) {
  const int nds = w.num_data_spaces();
  plain_.assign(static_cast<std::size_t>(nds), 1);
  relevant_.assign(static_cast<std::size_t>(nds),
                   std::vector<char>(static_cast<std::size_t>(w.num_dims()), 0));
  for (int ds = 0; ds < nds; ++ds) {
    for (const auto& rank : w.data_spaces[static_cast<std::size_t>(ds)].projection) {
      // A rank with two terms (a sliding window, P + R) couples its dims: the order of
      // their loops changes the overlap of consecutive tiles, so no single order is best.
      if (rank.size() != 1) plain_[static_cast<std::size_t>(ds)] = 0;
      for (const auto& t : rank)
        relevant_[static_cast<std::size_t>(ds)][static_cast<std::size_t>(t.dim)] = 1;
    }
    // A dim used by two ranks would also couple them.
    std::vector<int> uses(static_cast<std::size_t>(w.num_dims()), 0);
    for (const auto& rank : w.data_spaces[static_cast<std::size_t>(ds)].projection)
      for (const auto& t : rank) ++uses[static_cast<std::size_t>(t.dim)];
    for (int u : uses)
      if (u > 1) plain_[static_cast<std::size_t>(ds)] = 0;
  }
}

void TilingBound::order_for(MapPoint& p, int ds) const {
  const auto n = static_cast<std::size_t>(space_.num_levels());
  p.perm.resize(n);
  p.sperm.resize(n);
  const auto& rel = relevant_[static_cast<std::size_t>(ds)];
  for (int l = 0; l < space_.num_levels(); ++l) {
    auto& pm = p.perm[static_cast<std::size_t>(l)];
    pm = space_.free_dims(p.factorization, l);
    std::stable_partition(pm.begin(), pm.end(),
                          [&](int d) { return rel[static_cast<std::size_t>(d)] == 0; });
    for (int axis = 0; axis < 2; ++axis)
      space_.spatial_free_dims(p.factorization, l, axis,
                               p.sperm[static_cast<std::size_t>(l)][static_cast<std::size_t>(axis)]);
  }
}

int TilingBound::evaluations_needed(const MapPoint& tiling) const {
  MapPoint q;
  q.factorization = tiling.factorization;
  q.keep = tiling.keep;
  std::vector<std::vector<std::vector<int>>> seen;
  for (int ds = 0; ds < w_.num_data_spaces(); ++ds) {
    if (!plain_[static_cast<std::size_t>(ds)]) continue;
    order_for(q, ds);
    if (std::find(seen.begin(), seen.end(), q.perm) == seen.end()) seen.push_back(q.perm);
  }
  return std::max<int>(1, static_cast<int>(seen.size()));
}

TilingBound::Result TilingBound::operator()(const MapPoint& tiling, Evaluator& ev,
                                            Mapping& scratch) const {
  Result res;
  MapPoint q;
  q.factorization = tiling.factorization;
  q.keep = tiling.keep;
  const int nds = w_.num_data_spaces();
  std::vector<double> ds_energy(static_cast<std::size_t>(nds), 0.0);
  std::vector<std::vector<std::vector<int>>> done;  // orders evaluated
  double fixed = 0, cycles = 0;
  auto evaluate = [&](int ds) -> bool {
    order_for(q, ds);
    space_.build(q, scratch);
    ++res.evaluated;
    if (ev.run(scratch) != nullptr) return false;
    const Evaluation& e = ev.result();
    double m = metric_ == Metric::Energy ? e.energy_pj : e.edp();
    if (res.best_seen < 0 || m < res.best_seen) res.best_seen = m;
    // Every order of the tiling has the same MACs and compute cycles; leakage grows with
    // the cycles, which are at least the compute cycles.
    cycles = static_cast<double>(e.compute.cycles);
    fixed = e.compute.energy_pj;
    const double share = e.cycles ? cycles / static_cast<double>(e.cycles) : 1.0;
    for (const auto& st : e.levels) fixed += st.leakage_pj * share;
    for (int d2 = 0; d2 < nds; ++d2) {
      if (!plain_[static_cast<std::size_t>(d2)]) continue;
      order_for(q, d2);
      if (q.perm != done.back()) continue;  // d2's own order is another one
      double sum = 0;
      for (const auto& st : e.levels) sum += st.data_spaces[static_cast<std::size_t>(d2)].energy_total_pj;
      ds_energy[static_cast<std::size_t>(d2)] = sum;
    }
    return true;
  };
  for (int ds = 0; ds < nds; ++ds) {
    if (!plain_[static_cast<std::size_t>(ds)]) continue;
    order_for(q, ds);
    if (std::find(done.begin(), done.end(), q.perm) != done.end()) continue;
    done.push_back(q.perm);
    if (!evaluate(ds)) return res;
  }
  if (done.empty()) {
    done.push_back({});
    order_for(q, 0);
    done.back() = q.perm;
    if (!evaluate(0)) return res;
  }
  double energy = fixed;
  for (double e : ds_energy) energy += e;
  res.bound = metric_ == Metric::Energy ? energy : energy * 1e-12 * cycles;
  return res;
}

}  // namespace loopsim::detail
