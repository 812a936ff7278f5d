// The optimal search's branch and bound beyond the tiling-independent bound: a first
// incumbent from a short seeded annealing run, and the per-tiling bound (bound.hpp).
// Both only cut tilings that cannot hold a mapping strictly better than a valid mapping
// already seen, so the enumeration still finds the optimum, and the same one, by itself.
#include "searcher.hpp"

namespace loopsim::detail {

namespace {

// Work of the incumbent search (candidates considered, over its 8 streams): a hundredth of
// the space, from 40,000 to 600,000 (a few seconds, small beside a proof on a large space,
// and the better the incumbent, the more the bounds cut).
std::int64_t incumbent_work(double space_size) {
  return static_cast<std::int64_t>(std::clamp(space_size / 100, 4e4, 6e5));
}

}  // namespace

std::int64_t permutation_rank(const std::vector<int>& pm) {
  // Lexicographic rank among the permutations of the same (distinct) elements, as
  // std::next_permutation visits them from the sorted one.
  std::int64_t rank = 0;
  for (std::size_t i = 0; i < pm.size(); ++i) {
    std::int64_t smaller = 0;
    for (std::size_t j = i + 1; j < pm.size(); ++j) smaller += pm[j] < pm[i] ? 1 : 0;
    rank = rank * static_cast<std::int64_t>(pm.size() - i) + smaller;
  }
  return rank;
}

int Searcher::level_cut(Worker& wk, const MapPoint& p) {
  for (int l = space_.num_levels() - 1; l >= 1; --l) {
    auto& state = wk.level_cut[static_cast<std::size_t>(l)];
    if (state == 0) {
      bool has_pair = false;
      for (const auto& pr : wk.order_terms.pairs) has_pair = has_pair || pr.kstar == l;
      state = 2;
      if (has_pair) {
        double bw = 0;
        partial_->order_energies(wk.order_terms, p, wk.order_scratch, l, &bw);
        if (order_bound_cuts(wk, wk.order_scratch, bw)) state = 1;
      }
    }
    if (state == 1) return l;
  }
  return 0;
}

void Searcher::seed_incumbent(int threads) {
  if (s_.metrics.front() == Metric::LastLevelAccesses) return;
  MapperSettings s2 = s_;
  s2.algorithm = Algorithm::Anneal;
  s2.max_evaluations = incumbent_work(space_.size());
  s2.search_size = 0;
  // Bounded by work (the same incumbent on any machine: a run bounded by time would sample
  // differently), and stopped at what is left of the run's own time budget, which it must
  // not overrun.
  s2.time_budget_s = 0;
  s2.deadline_s = 0;
  if (s_.time_budget_s > 0) {
    s2.deadline_s = s_.time_budget_s - elapsed();
    if (s2.deadline_s <= 0) return;
  }
  s2.timeout = 0;
  s2.victory_condition = 0;
  s2.threads = threads;
  // The progress line shows from the start (the incumbent search is part of the run).
  SearchResult r = search_mappings(w_, arch_, energy_, c_, s2, stop_, progress_);
  incumbent_evaluated_ = r.stats.evaluated;
  if (r.eval) {
    sh_.offer(metric_values(*r.eval, s_.metrics));
    incumbent_best_ = std::move(r.best);
    incumbent_eval_ = std::move(r.eval);
  }
}

bool Searcher::tiling_bound_exceeds(Worker& wk, const MapPoint& p) {
  if (!tiling_bound_->useful()) return false;
  const std::vector<double> inc = sh_.incumbent_now();
  if (inc.empty()) return false;
  // Worth it only when the tiling has more loop orders than the bound evaluates.
  double orders = 1;
  for (int l = 0; l < space_.num_levels() && orders < 16; ++l)
    for (std::size_t k = 2, n = space_.free_dims(p.factorization, l).size(); k <= n; ++k)
      orders *= static_cast<double>(k);
  if (orders <= static_cast<double>(tiling_bound_->evaluations_needed(p))) return false;
  // The data spaces that are not plain: what every order of the tiling spends on them
  // beyond their innermost reads (which the tiling bound counts itself).
  double extra = 0;
  if (partial_) {
    partial_->prepare(p, wk.order_terms);
    for (int ds = 0; ds < w_.num_data_spaces(); ++ds)
      if (!tiling_bound_->plain(ds))
        extra += wk.order_terms.beyond_innermost[static_cast<std::size_t>(ds)];
  }
  TilingBound::Result r = (*tiling_bound_)(p, wk.ev, wk.scratch, inc, &wk.bound_hint, extra);
  wk.stats.evaluated += static_cast<std::uint64_t>(r.evaluated);
  wk.stats.bound_evaluated += static_cast<std::uint64_t>(r.evaluated);
  sh_.evaluated.fetch_add(static_cast<std::uint64_t>(r.evaluated), std::memory_order_relaxed);
  // The bound's evaluations are valid mappings of the space: their metric bounds the
  // optimum from above (a pruning bound; the enumeration still evaluates them itself).
  if (!r.best_seen_metrics.empty()) sh_.offer(r.best_seen_metrics);
  if (r.bound < 0) return false;
  if (TilingBound::cuts(r.bounds, sh_.incumbent_now())) return true;
  wk.tiling_result = std::move(r);
  return false;
}

bool Searcher::spatial_prefix_fits(const MapPoint& p, int dims) const {
  const auto& slots = space_.slots();
  for (int l = 0; l < space_.num_levels(); ++l) {
    std::int64_t x = 1, y = 1;
    for (std::size_t s = 0; s < slots.size(); ++s) {
      if (slots[s].level != l || slots[s].st == Spacetime::Time) continue;
      for (int j = 0; j < dims; ++j) {
        std::int64_t f = space_.factor(p.factorization, dim_order_[static_cast<std::size_t>(j)],
                                       static_cast<int>(s));
        (slots[s].st == Spacetime::SpaceX ? x : y) *= f;
      }
    }
    if (x > arch_.fanout_x(l) || y > arch_.fanout_y(l)) return false;
  }
  return true;
}

}  // namespace loopsim::detail
