// The optimal search's per-tiling lower bound (bound.hpp). Why it is exact: the traffic of a
// data space whose every rank is one dimension only depends, at each storage boundary, on
// which loops above the boundary lie inside the innermost loop relevant to it (Timeloop's
// walk: fills = |tile| x the product of the loops from that one outwards), so putting the
// irrelevant loops innermost at every level minimises every one of its counts at once.
// docs/mapper.md, "Pruning rules of the optimal search".
#include "bound.hpp"

#include "searcher.hpp"

#include <algorithm>

namespace loopsim::detail {

Relevance::Relevance(const Workload& w) {
  const auto nds = static_cast<std::size_t>(w.num_data_spaces());
  const auto nd = static_cast<std::size_t>(w.num_dims());
  plain.assign(nds, 1);
  relevant.assign(nds, std::vector<char>(nd, 0));
  for (std::size_t ds = 0; ds < nds; ++ds) {
    std::vector<int> uses(nd, 0);
    for (const auto& rank : w.data_spaces[ds].projection) {
      if (rank.size() != 1) plain[ds] = 0;
      for (const auto& t : rank) {
        relevant[ds][static_cast<std::size_t>(t.dim)] = 1;
        ++uses[static_cast<std::size_t>(t.dim)];
      }
    }
    for (int u : uses)
      if (u > 1) plain[ds] = 0;
  }
}

TilingBound::TilingBound(const Workload& w, const MapSpace& space, std::vector<Metric> metrics)
    : w_(w), space_(space), metrics_(std::move(metrics)), rel_(w) {}

bool TilingBound::useful() const {
  for (Metric m : metrics_) {
    if (m == Metric::Energy || m == Metric::Edp) return true;
    if (m != Metric::Delay) return false;
  }
  return false;
}

void TilingBound::bounds_of(const std::vector<Metric>& metrics, double energy_pj, double cycles,
                            std::vector<double>& out) {
  out.clear();
  for (Metric mt : metrics) {
    switch (mt) {
      case Metric::Energy: out.push_back(energy_pj); break;
      case Metric::Delay: out.push_back(cycles); break;
      case Metric::Edp: out.push_back(energy_pj * 1e-12 * cycles); break;
      case Metric::LastLevelAccesses: out.push_back(-1); break;
    }
  }
}

bool TilingBound::cuts(const std::vector<double>& bounds, const std::vector<double>& incumbent) {
  for (std::size_t i = 0; i < bounds.size() && i < incumbent.size(); ++i) {
    if (bounds[i] < 0) return false;
    if (bounds[i] > incumbent[i] * (1 + 1e-9)) return true;
    if (bounds[i] < incumbent[i]) return false;
  }
  return false;
}

void TilingBound::order_for(MapPoint& p, int ds) const {
  const auto n = static_cast<std::size_t>(space_.num_levels());
  p.perm.resize(n);
  p.sperm.resize(n);
  const auto& rel = rel_.relevant[static_cast<std::size_t>(ds)];
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
    if (!rel_.plain[static_cast<std::size_t>(ds)]) continue;
    order_for(q, ds);
    if (std::find(seen.begin(), seen.end(), q.perm) == seen.end()) seen.push_back(q.perm);
  }
  return std::max<int>(1, static_cast<int>(seen.size()));
}

// Energy of the reads of data space ds at the innermost level that keeps it: every MAC
// reads its operand there (no reuse at the arithmetic level), whatever the loop order.
double TilingBound::innermost_reads(const Evaluation& e, const Evaluator& ev, int ds) {
  for (std::size_t l = 0; l < e.levels.size(); ++l) {
    const DataSpaceStats& d = e.levels[l].data_spaces[static_cast<std::size_t>(ds)];
    if (!d.keep) continue;
    if (d.utilized_instances == 0 || d.utilized_clusters == 0) return 0;
    const auto block = static_cast<std::uint64_t>(std::max(1, ev.arch().storage[l].block_size));
    const double vectors = static_cast<double>((d.reads + block - 1) / block);
    return vectors * ev.energy().storage(static_cast<int>(l)).read_pj *
           static_cast<double>(d.utilized_clusters);
  }
  return 0;
}

TilingBound::Result TilingBound::operator()(const MapPoint& tiling, Evaluator& ev,
                                            Mapping& scratch,
                                            const std::vector<double>& incumbent,
                                            int* hint, double extra) const {
  Result res;
  MapPoint q;
  q.factorization = tiling.factorization;
  q.keep = tiling.keep;
  const int nds = w_.num_data_spaces();
  std::vector<char> known(static_cast<std::size_t>(nds), 0);
  res.ds_energy.assign(static_cast<std::size_t>(nds), -1.0);
  double fixed = 0, cycles = 0, known_energy = 0;
  auto bound_now = [&] {
    bounds_of(metrics_, fixed + known_energy, cycles, res.bounds);
    return res.bounds.front();
  };
  // The data spaces in the order their own loop orders are evaluated: the one that decided
  // the last cut first (it is likely to decide the next one too).
  std::vector<int> seq;
  for (int ds = 0; ds < nds; ++ds)
    if (rel_.plain[static_cast<std::size_t>(ds)]) seq.push_back(ds);
  if (hint && *hint >= 0) {
    auto it = std::find(seq.begin(), seq.end(), *hint);
    if (it != seq.end()) std::rotate(seq.begin(), it, it + 1);
  }
  if (seq.empty()) seq.push_back(-1);
  for (std::size_t i = 0; i < seq.size(); ++i) {
    const int ds = seq[i];
    if (ds >= 0 && known[static_cast<std::size_t>(ds)]) continue;
    order_for(q, std::max(ds, 0));
    space_.build(q, scratch);
    ++res.evaluated;
    if (ev.run(scratch) != nullptr) {
      res.bound = -1;
      return res;
    }
    const Evaluation& e = ev.result();
    std::vector<double> mv = metric_values(e, metrics_);
    if (res.best_seen_metrics.empty() || compare_metrics(mv, res.best_seen_metrics) < 0) {
      res.best_seen = mv.front();
      res.best_seen_metrics = std::move(mv);
    }
    if (i == 0) {
      // Every order of the tiling has the same MACs and compute cycles; leakage grows with
      // the cycles, which are at least the compute cycles; the reads at the innermost
      // level that keeps a data space are one per MAC.
      cycles = static_cast<double>(e.compute.cycles);
      fixed = e.compute.energy_pj + extra;
      const double share = e.cycles ? cycles / static_cast<double>(e.cycles) : 1.0;
      for (const auto& st : e.levels) fixed += st.leakage_pj * share;
      for (int d2 = 0; d2 < nds; ++d2)
        if (!rel_.plain[static_cast<std::size_t>(d2)] && !w_.is_read_write(d2))
          fixed += 0.999 * innermost_reads(e, ev, d2);
    }
    // Every plain data space whose own order is this one.
    const std::vector<std::vector<int>> evaluated = q.perm;
    for (int d2 = 0; d2 < nds; ++d2) {
      if (!rel_.plain[static_cast<std::size_t>(d2)] || known[static_cast<std::size_t>(d2)]) continue;
      order_for(q, d2);
      if (q.perm != evaluated) continue;
      known[static_cast<std::size_t>(d2)] = 1;
      double own = 0;
      for (const auto& st : e.levels) own += st.data_spaces[static_cast<std::size_t>(d2)].energy_total_pj;
      res.ds_energy[static_cast<std::size_t>(d2)] = own;
      known_energy += own;
    }
    res.fixed = fixed;
    res.cycles = cycles;
    res.bound = bound_now();
    if (!incumbent.empty() && cuts(res.bounds, incumbent)) {
      if (hint) *hint = ds;
      return res;
    }
  }
  return res;
}

}  // namespace loopsim::detail
