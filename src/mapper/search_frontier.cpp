// The lower bound of an optimal search stopped before it completed (a signal, the time
// budget): every subtree of the factorization tree it abandoned is bounded by the partial
// bound at its root, so no mapping left unexplored beats the least of those bounds, and
// every mapping explored or cut is no better than the best found. The run's lower bound is
// the least of the two (docs/mapper.md, "Lower bound and gap").
#include "searcher.hpp"

namespace loopsim::detail {

double Searcher::node_bound(const MapPoint& p, int k, Frontier& f) {
  if (f.budget-- <= 0) return -1;  // unknown
  if (!space_.keeps_ok(p.keep) || !spatial_prefix_fits(p, k))
    return std::numeric_limits<double>::infinity();
  char assigned[kMaxDims];
  assigned_prefix(k, assigned);
  if (partial_->fits_level(p, assigned) >= 0) return std::numeric_limits<double>::infinity();
  partial_->metrics(p, assigned, s_.metrics, f.scratch);
  return f.scratch.empty() ? -1.0 : f.scratch.front();
}

void Searcher::note_children(Frontier& f, MapPoint& p, int k, int from) {
  if (k >= space_.num_dims()) return;
  const auto d = static_cast<std::size_t>(dim_order_[static_cast<std::size_t>(k)]);
  const int keep = p.factorization[d];
  const int n = static_cast<int>(space_.factorizations(static_cast<int>(d)).size());
  for (int i = from; i < n && !f.unknown; ++i) {
    p.factorization[d] = i;
    note(f, node_bound(p, k + 1, f));
  }
  p.factorization[d] = keep;
}

void Searcher::note_keeps(Frontier& f, MapPoint& p, int l, int from, int k) {
  // The combinations of keep options left: more than the budget leave only the
  // tiling-independent bound.
  double combos = 1;
  for (int m = l + 1; m < space_.num_levels(); ++m)
    combos *= static_cast<double>(space_.keep_options(m).size());
  combos *= std::max(0.0, static_cast<double>(space_.keep_options(l).size()) - from);
  if (combos > static_cast<double>(f.budget)) {
    f.unknown = true;
    return;
  }
  const std::vector<int> saved = p.keep;
  auto rec = [&](auto&& self, int m, int first) -> void {
    if (f.unknown) return;
    if (m == space_.num_levels()) {
      note(f, node_bound(p, k, f));
      return;
    }
    const int n = static_cast<int>(space_.keep_options(m).size());
    for (int i = first; i < n; ++i) {
      p.keep[static_cast<std::size_t>(m)] = i;
      self(self, m + 1, 0);
    }
  };
  rec(rec, l, from);
  p.keep = saved;
}

}  // namespace loopsim::detail
