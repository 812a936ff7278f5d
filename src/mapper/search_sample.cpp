// The sampling searches of the mapper: random, random-pruned and simulated annealing,
// each drawing from its own seeded generator (a thread's or a stream's), so that a run
// bounded by work gives the same result on any thread count.
#include "searcher.hpp"

namespace loopsim::detail {

void Searcher::random_point(std::mt19937_64& rng, MapPoint& p) {
  p.factorization.resize(static_cast<std::size_t>(space_.num_dims()));
  for (int d = 0; d < space_.num_dims(); ++d)
    p.factorization[static_cast<std::size_t>(d)] = static_cast<int>(
        rng() % space_.factorizations(d).size());
  p.keep.resize(static_cast<std::size_t>(space_.num_levels()));
  for (int l = 0; l < space_.num_levels(); ++l)
    p.keep[static_cast<std::size_t>(l)] = static_cast<int>(rng() % space_.keep_options(l).size());
  random_perms(rng, p);
}

// Uniform loop orders: of the temporal loops of each level and of the spatial loops
// within each of its axes.
void Searcher::random_perms(std::mt19937_64& rng, MapPoint& p) {
  first_orders(p);
  auto shuffle = [&](std::vector<int>& pm) {
    for (std::size_t i = pm.size(); i > 1; --i) std::swap(pm[i - 1], pm[rng() % i]);
  };
  for (int l = 0; l < space_.num_levels(); ++l) {
    shuffle(p.perm[static_cast<std::size_t>(l)]);
    for (auto& pm : p.sperm[static_cast<std::size_t>(l)]) shuffle(pm);
  }
}

void Searcher::sample(Worker& wk, std::mt19937_64& rng, Algorithm a, int t) {
  bool empty = false;
  for (int d = 0; d < space_.num_dims(); ++d) empty |= space_.factorizations(d).empty();
  if (empty) return;
  MapPoint p;
  std::int64_t seq = 0;
  auto order = [&]() { return std::vector<std::int64_t>{t, seq++}; };
  if (a == Algorithm::Anneal) {
    anneal(wk, rng, t);
    return;
  }
  while (!should_stop(wk, t) && !limits_hit(wk)) {
    random_point(rng, p);
    if (!space_.spatial_ok(p.factorization) || !space_.keeps_ok(p.keep)) {
      ++wk.stats.constraint_rejected;
      ++wk.consecutive_invalid;
      continue;
    }
    if (!space_.fits(p)) {
      ++wk.stats.capacity_prechecked;
      ++wk.consecutive_invalid;
      continue;
    }
    if (a == Algorithm::Random) {
      wk.try_point(p, order());
      continue;
    }
    // random_pruned: several random loop orders of one tiling; hybrid: the loop orders in
    // sequence. Both stop at max_permutations_per_if_visit orders per tiling.
    std::int64_t cap = std::max<std::int64_t>(1, s_.max_permutations_per_if_visit);
    if (a == Algorithm::Hybrid) first_orders(p);
    for (std::int64_t k = 0; k < cap && !should_stop(wk, t) && !limits_hit(wk); ++k) {
      auto r = wk.try_point(p, order());
      if (r && (*r == RejectReason::Capacity || *r == RejectReason::Fanout)) break;
      if (a == Algorithm::RandomPruned) random_perms(rng, p);
      else if (!next_order(p)) break;
    }
  }
}

// Simulated annealing on log(first metric): starts from the best of a few promising
// random points; moves change one dimension's factorization, one level's keep mask, or swap two
// loops of one level; geometric cooling; after a long stagnation, restarts from this
// thread's best at the initial temperature.
void Searcher::anneal(Worker& wk, std::mt19937_64& rng, int t) {
  MapPoint cur, best_point;
  std::vector<double> cur_metric, best_metric;
  std::int64_t seq = 0;
  auto order = [&]() { return std::vector<std::int64_t>{t, seq++}; };
  // Starts: among many cheap draws (fan-out, keep and capacity checks only), the 16 with
  // the best lower bound on the first metric; then the best of those by evaluation.
  while (cur_metric.empty() && !should_stop(wk, t) && !limits_hit(wk)) {
    std::vector<std::pair<double, MapPoint>> pool;
    // Draws count as work: a work-bounded run stops drawing at its budget once the pool
    // has a candidate, and still evaluates the pool (a few candidates over the budget).
    for (int tries = 0; tries < 20000 && !should_stop(wk, t) && !(limits_hit(wk) && !pool.empty());
         ++tries) {
      MapPoint p;
      random_point(rng, p);
      if (!space_.spatial_ok(p.factorization) || !space_.keeps_ok(p.keep)) {
        ++wk.stats.constraint_rejected;
        continue;
      }
      if (!space_.fits(p)) {
        ++wk.stats.capacity_prechecked;
        continue;
      }
      pool.emplace_back(lower_bound(p), std::move(p));
      if (pool.size() >= 4096) break;
    }
    std::stable_sort(pool.begin(), pool.end(),
                     [](const auto& x, const auto& y) { return x.first < y.first; });
    if (pool.size() > 16) pool.resize(16);
    for (auto& [lb, p] : pool) {
      if (should_stop(wk, t)) break;
      if (wk.try_point(p, order())) continue;
      if (cur_metric.empty() || compare_metrics(wk.last_metric, cur_metric) < 0) {
        cur = p;
        cur_metric = wk.last_metric;
      }
    }
  }
  if (cur_metric.empty()) return;
  best_point = cur;
  best_metric = cur_metric;
  std::uniform_real_distribution<double> uni(0.0, 1.0);
  const double t0 = 0.1;
  double temp = t0;
  std::int64_t stagnant = 0;
  while (!should_stop(wk, t) && !limits_hit(wk)) {
    MapPoint cand = cur;
    int kind = static_cast<int>(rng() % 3);
    if (kind == 0) {
      int d = static_cast<int>(rng() % static_cast<std::uint64_t>(space_.num_dims()));
      cand.factorization[static_cast<std::size_t>(d)] =
          static_cast<int>(rng() % space_.factorizations(d).size());
      // Keep the order of the loops that stay non-trivial (on the same axis); the new
      // ones go outermost.
      MapPoint fresh;
      fresh.factorization = cand.factorization;
      first_orders(fresh);
      for (int l = 0; l < space_.num_levels(); ++l) {
        const auto i = static_cast<std::size_t>(l);
        refit(cand.perm[i], fresh.perm[i]);
        for (std::size_t axis = 0; axis < 2; ++axis) refit(cand.sperm[i][axis], fresh.sperm[i][axis]);
      }
    } else if (kind == 1) {
      int l = static_cast<int>(rng() % static_cast<std::uint64_t>(space_.num_levels()));
      cand.keep[static_cast<std::size_t>(l)] =
          static_cast<int>(rng() % space_.keep_options(l).size());
    } else {
      // Swap two loops of one level: temporal, or spatial on one axis (drawn among the
      // level's lists that have two loops or more).
      int l = static_cast<int>(rng() % static_cast<std::uint64_t>(space_.num_levels()));
      SmallLists lists;
      for (auto* pm : {&cand.perm[static_cast<std::size_t>(l)],
                       &cand.sperm[static_cast<std::size_t>(l)][0],
                       &cand.sperm[static_cast<std::size_t>(l)][1]})
        if (pm->size() >= 2) lists.push_back(pm);
      if (!lists.empty()) {
        auto& pm = *lists[lists.size() == 1 ? 0 : rng() % lists.size()];
        std::swap(pm[rng() % pm.size()], pm[rng() % pm.size()]);
      }
    }
    if (!space_.spatial_ok(cand.factorization) || !space_.keeps_ok(cand.keep)) {
      ++wk.stats.constraint_rejected;
      continue;
    }
    if (!space_.fits(cand)) {
      ++wk.stats.capacity_prechecked;
      continue;
    }
    if (dominated(wk, cand)) {
      ++wk.stats.constraint_rejected;
      continue;
    }
    auto r = wk.try_point(cand, order());
    temp = std::max(0.002, temp * 0.995);
    if (++stagnant > 2000) {
      cur = best_point;
      cur_metric = best_metric;
      temp = t0;
      stagnant = 0;
    }
    if (r) continue;
    const std::vector<double>& m = wk.last_metric;
    double delta = std::log(std::max(m.front(), 1e-300)) -
                   std::log(std::max(cur_metric.front(), 1e-300));
    if (compare_metrics(m, cur_metric) <= 0 || uni(rng) < std::exp(-delta / temp)) {
      cur = std::move(cand);
      cur_metric = m;
      if (compare_metrics(cur_metric, best_metric) < 0) {
        best_point = cur;
        best_metric = cur_metric;
        stagnant = 0;
      }
    }
  }
}

}  // namespace loopsim::detail
