// Search algorithms over the mapspace. Threads split the space (enumerating searches) or
// draw from their own seeded generators (sampling searches); the best is reduced at the end
// by metric, then by a deterministic tie-break, so results do not depend on timing.

#include "searcher.hpp"


namespace loopsim {

std::vector<double> metric_values(const Evaluation& e, const std::vector<Metric>& metrics) {
  std::vector<double> v;
  v.reserve(metrics.size());
  for (Metric m : metrics) {
    switch (m) {
      case Metric::Energy: v.push_back(e.energy_pj); break;
      case Metric::Delay: v.push_back(static_cast<double>(e.cycles)); break;
      case Metric::Edp: v.push_back(e.edp()); break;
      case Metric::LastLevelAccesses: {
        double a = 0;
        if (!e.levels.empty())
          for (const auto& d : e.levels.back().data_spaces) a += static_cast<double>(d.accesses());
        v.push_back(a);
        break;
      }
    }
  }
  return v;
}

namespace detail {

SearchResult Searcher::run() {
  Algorithm a = s_.algorithm;
  if (a == Algorithm::Auto) {
    // The optimal search with its bounds (partial_bound.hpp) proves the optimum of large
    // spaces too, and answers with its incumbent when stopped first; a run bounded by work
    // keeps annealing on spaces above 2e7, so that its answer does not change.
    const bool work_limits = s_.time_budget_s <= 0 &&
                             (s_.max_evaluations > 0 || s_.search_size > 0 ||
                              s_.victory_condition > 0 || s_.timeout > 0);
    const bool bounded = !work_limits && !s_.model.accurate() && !space_.has_imperfect() &&
                         s_.metrics.front() != Metric::LastLevelAccesses;
    a = space_.size() <= 2e7 || bounded ? Algorithm::Optimal : Algorithm::Anneal;
  }
  int threads = s_.threads > 0 ? s_.threads : omp_get_max_threads();
  const bool enumerating =
      a == Algorithm::Optimal || a == Algorithm::Exhaustive || a == Algorithm::LinearPruned;
  enumerating_ = enumerating;
  // Bounded by work and not by time: the result must not depend on the thread count, so
  // the sampling searches run kStreams seeded streams (whatever the threads) and the
  // enumerating ones give each work unit its own budget and pruning bound.
  work_bounded_ = s_.time_budget_s <= 0 &&
                  (s_.max_evaluations > 0 || s_.search_size > 0 ||
                   (!enumerating && (s_.victory_condition > 0 || s_.timeout > 0)));
  std::vector<Worker*> workers(static_cast<std::size_t>(threads), nullptr);
  std::vector<std::unique_ptr<Worker>> streams;  // work-bounded sampling: one per stream
  bool complete = false;
  std::vector<std::vector<int>> units;  // enumerating: first two dims' factorizations
  dim_order_.resize(static_cast<std::size_t>(space_.num_dims()));
  std::iota(dim_order_.begin(), dim_order_.end(), 0);
  // The optimal search without a work bound: the partial-tiling bound, over the dims with
  // the most factorizations first (the widest choices are cut closest to the root).
  if (a == Algorithm::Optimal && !work_bounded_ && !s_.model.accurate() &&
      s_.metrics.front() != Metric::LastLevelAccesses) {
    partial_.emplace(w_, arch_, energy_, space_, compulsory_);
    if (!partial_->usable()) {
      partial_.reset();
    } else {
      std::stable_sort(dim_order_.begin(), dim_order_.end(), [&](int x, int y) {
        return space_.factorizations(x).size() > space_.factorizations(y).size();
      });
    }
  }
  if (enumerating) units = make_units();
  // The optimal search without a work bound: an incumbent first, and the per-tiling bound.
  if (a == Algorithm::Optimal && !work_bounded_) {
    tiling_bound_.emplace(w_, space_, s_.metrics);
    // Not worth it on a space the enumeration covers in about a second.
    if (!units.empty() && space_.size() > 1e6) seed_incumbent(threads);
  }
  chains_ = work_bounded_ ? (enumerating ? std::max<std::size_t>(units.size(), 1) : kStreams)
                          : static_cast<std::size_t>(threads);
  if (!enumerating && work_bounded_) streams.resize(kStreams);
  std::atomic<std::size_t> next_unit{0};
  std::atomic<std::size_t> units_done{0};
  std::atomic<bool> aborted{false};
#pragma omp parallel num_threads(threads)
  {
    int t = omp_get_thread_num();
    Evaluator ev(w_, arch_, energy_, Engine::Auto, s_.model);
    Worker wk(space_, s_, ev, sh_);
    // The enumerating searches skip spatial orders that cannot change the numbers.
    ev.track_link_order(enumerating);
#pragma omp critical(loopsim_mapper_register)
    workers[static_cast<std::size_t>(t)] = &wk;
    if (enumerating) {
      bool prune = a == Algorithm::Optimal;
      for (;;) {
        std::size_t u = next_unit.fetch_add(1);
        if (u >= units.size()) break;
        if (!enumerate_unit(wk, units[u], prune)) {
          aborted = true;
          if (!wk.budget_cut) break;  // stopped: signal or time
          continue;                    // this unit's budget ran out: the next one
        }
        units_done.fetch_add(1);
      }
    } else if (work_bounded_) {
      for (;;) {
        std::size_t k = next_unit.fetch_add(1);
        if (k >= kStreams || stop_requested()) break;
        streams[k] = std::make_unique<Worker>(space_, s_, ev, sh_);
        std::mt19937_64 rng(splitmix(s_.seed * 1000003ULL + k));
        sample(*streams[k], rng, a, static_cast<int>(k));
      }
    } else {
      std::mt19937_64 rng(splitmix(s_.seed * 1000003ULL + static_cast<std::uint64_t>(t)));
      sample(wk, rng, a, t);
    }
#pragma omp barrier
#pragma omp master
    {
      complete = !aborted && units_done.load() == units.size() && !units.empty();
      for (const auto& st : streams) workers.push_back(st.get());
      merge(workers);
      for (const Worker* w : workers)  // the threads' abandoned subtrees
        if (w) note(frontier_, w->frontier.unknown ? -1.0 : w->frontier.lb);
    }
#pragma omp barrier
  }
  // The subtrees a stopped optimal search abandoned, and the units it never started.
  if (!complete && tracks_frontier()) {
    MapPoint p;
    p.factorization.assign(static_cast<std::size_t>(space_.num_dims()), 0);
    p.keep.assign(static_cast<std::size_t>(space_.num_levels()), 0);
    for (std::size_t u = std::min(next_unit.load(), units.size()); u < units.size() && !frontier_.unknown; ++u) {
      for (std::size_t i = 0; i < units[u].size(); ++i)
        p.factorization[static_cast<std::size_t>(dim_order_[i])] = units[u][i];
      note_keeps(frontier_, p, 0, 0, static_cast<int>(units[u].size()));
    }
  }
  // An enumeration stopped before it completed: the incumbent search's mapping is the
  // answer when the enumeration found nothing better.
  if (!complete && incumbent_eval_ &&
      (!result_.eval || compare_metrics(metric_values(*incumbent_eval_, s_.metrics),
                                        metric_values(*result_.eval, s_.metrics)) < 0)) {
    result_.best = incumbent_best_;
    result_.eval = incumbent_eval_;
    result_.stats.answer_from_incumbent = true;
  }
  result_.stats.evaluated += incumbent_evaluated_;
  result_.stats.bound_evaluated += incumbent_evaluated_;
  result_.stats.algorithm = to_string(a);
  result_.stats.threads = threads;
  result_.stats.seconds = elapsed();
  // Proven only when the whole space was covered and something valid was found (an empty
  // space proves nothing is valid, not an optimum).
  result_.stats.proven_optimal = complete && result_.best.has_value();
  result_.stats.interrupted = !complete && stop_ && stop_->load();
  result_.stats.space_size = space_.size();
  report_bound();
  result_.stats.empty_reason = space_.empty_reason();
  return std::move(result_);
}

std::vector<std::vector<int>> Searcher::make_units() {
  std::vector<std::vector<int>> units{{}};
  int d = 0;
  while (d < space_.num_dims() && units.size() < 64) {
    std::vector<std::vector<int>> next;
    const int dim = dim_order_[static_cast<std::size_t>(d)];
    for (const auto& u : units)
      for (int i = 0; i < static_cast<int>(space_.factorizations(dim).size()); ++i) {
        auto n = u;
        n.push_back(i);
        next.push_back(std::move(n));
      }
    units = std::move(next);
    ++d;
  }
  units_total_ = units.size();
  units_total_zero_ = units.empty();
  return units;
}

bool Searcher::enumerate_unit(Worker& wk, const std::vector<int>& prefix, bool prune) {
  const int t = omp_get_thread_num();
  units_started_.fetch_add(1);
  wk.unit_work0 = wk.work();
  wk.unit_valid0 = wk.stats.valid;
  wk.unit_best.reset();
  wk.budget_cut = false;
  MapPoint p;
  p.factorization.assign(static_cast<std::size_t>(space_.num_dims()), 0);
  for (std::size_t i = 0; i < prefix.size(); ++i) p.factorization[static_cast<std::size_t>(dim_order_[i])] = prefix[i];
  p.keep.assign(static_cast<std::size_t>(space_.num_levels()), 0);
  p.perm.assign(static_cast<std::size_t>(space_.num_levels()), {});
  if (partial_ && prune) return keeps_then_dims(wk, p, 0, static_cast<int>(prefix.size()), prune, t);
  return dfs(wk, p, static_cast<int>(prefix.size()), prune, t);
}

bool Searcher::keeps_then_dims(Worker& wk, MapPoint& p, int l, int k, bool prune, int t) {
  if (l < space_.num_levels()) {
    int n = static_cast<int>(space_.keep_options(l).size());
    for (int i = 0; i < n; ++i) {
      p.keep[static_cast<std::size_t>(l)] = i;
      if (!keeps_then_dims(wk, p, l + 1, k, prune, t)) {
        note_keeps(wk.frontier, p, l, i + 1, k);
        return false;
      }
    }
    return true;
  }
  if (should_stop(wk, t)) {
    note(wk.frontier, node_bound(p, k, wk.frontier));
    return false;
  }
  if (!space_.keeps_ok(p.keep)) return true;
  if (!spatial_prefix_fits(p, k) || partial_cut(wk, p, k)) {
    ++wk.stats.constraint_rejected;
    return true;
  }
  return dfs(wk, p, k, prune, t);
}

bool Searcher::partial_cut(Worker& wk, const MapPoint& p, int k, int* unfit_level) {
  char assigned[kMaxDims];
  assigned_prefix(k, assigned);
  const int unfit = partial_->fits_level(p, assigned);
  if (unfit_level) *unfit_level = unfit;
  if (unfit >= 0) return true;
  const std::vector<double>& inc = incumbent_cached(wk);
  if (inc.empty()) return false;
  partial_->metrics(p, assigned, s_.metrics, wk.bound_scratch);
  return TilingBound::cuts(wk.bound_scratch, inc);
}

bool Searcher::group_cut(Worker& wk, MapPoint& p, int k, double& e_parent) {
  const int d = dim_order_[static_cast<std::size_t>(k)];
  const auto uk = static_cast<std::size_t>(k);
  const std::vector<double>& inc = incumbent_cached(wk);
  if (inc.empty()) return false;
  auto& state = wk.group_state[uk];  // sized by dfs() for this node
  const int g = partial_->group(d, p.factorization[static_cast<std::size_t>(d)]);
  if (wk.group_inc[uk] != inc.front()) {  // a new node, or a better incumbent: recheck
    std::fill(state.begin(), state.end(), 0);
    wk.group_inc[uk] = inc.front();
  }
  if (state[static_cast<std::size_t>(g)] == 0) {
    char assigned[kMaxDims];
    assigned_prefix(k, assigned);
    if (e_parent < 0) e_parent = partial_->energy(p, assigned);
    assigned[d] = 1;
    TilingBound::bounds_of(s_.metrics, e_parent, partial_->cycles(p, assigned), wk.bound_scratch);
    state[static_cast<std::size_t>(g)] = TilingBound::cuts(wk.bound_scratch, inc) ? 1 : 2;
  }
  return state[static_cast<std::size_t>(g)] == 1;
}

const std::vector<double>& Searcher::incumbent_cached(Worker& wk) {
  const double first = sh_.incumbent.load(std::memory_order_relaxed);
  if (std::isfinite(first) && (first != wk.inc_first || wk.inc_metrics.empty())) {
    wk.inc_metrics = sh_.incumbent_now();
    wk.inc_first = wk.inc_metrics.empty() ? first : wk.inc_metrics.front();
  }
  return wk.inc_metrics;
}

bool Searcher::order_cut(Worker& wk, const MapPoint& p) {
  double bw = 0;
  partial_->order_energies(wk.order_terms, p, wk.order_scratch, -1, &bw);
  return order_bound_cuts(wk, wk.order_scratch, bw);
}

bool Searcher::order_bound_cuts(Worker& wk, const std::vector<double>& own, double bw_cycles) {
  const TilingBound::Result& tb = *wk.tiling_result;
  const double cycles = std::max(tb.cycles, bw_cycles);
  double e = tb.fixed;
  const auto& terms = wk.order_terms;
  for (int ds = 0; ds < w_.num_data_spaces(); ++ds) {
    const auto u = static_cast<std::size_t>(ds);
    if (!tiling_bound_->plain(ds)) {
      // tb.fixed counts its part beyond the innermost reads in its best order; this order's
      // is at least as large.
      e += std::max(0.0, own[u] - terms.innermost[u] - terms.beyond_innermost[u]);
      continue;
    }
    e += std::max(tb.ds_energy[u], own[u]);
  }
  TilingBound::bounds_of(s_.metrics, e, cycles, wk.bound_scratch);
  return TilingBound::cuts(wk.bound_scratch, incumbent_cached(wk));
}

bool Searcher::dfs(Worker& wk, MapPoint& p, int k, bool prune, int t) {
  if (k < space_.num_dims()) {
    const int d = dim_order_[static_cast<std::size_t>(k)];
    int n = static_cast<int>(space_.factorizations(d).size());
    const bool grouped = partial_ && prune && partial_->groups(d) < n;
    if (grouped) {  // a new node: its groups are not known yet
      const auto uk = static_cast<std::size_t>(k);
      if (wk.group_state.size() <= uk) {
        wk.group_state.resize(uk + 1);
        wk.group_inc.resize(uk + 1, -1);
      }
      wk.group_state[uk].assign(static_cast<std::size_t>(partial_->groups(d)), 0);
    }
    double e_parent = -1;
    for (int i = 0; i < n;) {
      // Polled here too: the partial bound may cut every child before any leaf is reached.
      if (should_stop(wk, t)) {
        if (tracks_frontier()) note_children(wk.frontier, p, k, i);
        return false;
      }
      p.factorization[static_cast<std::size_t>(d)] = i;
      if (prune && !work_bounded_ && !spatial_prefix_fits(p, k + 1)) {
        ++wk.stats.constraint_rejected;
        ++i;
        continue;
      }
      if (grouped && group_cut(wk, p, k, e_parent)) {
        ++wk.stats.constraint_rejected;
        ++i;
        continue;
      }
      int unfit = -1;
      if (partial_ && prune && partial_cut(wk, p, k + 1, &unfit)) {
        // The next factorizations with the same tiles up to the level that overflowed
        // overflow it too.
        const int next = unfit >= 0 ? partial_->skip_unfit(d, unfit, i) : i + 1;
        wk.stats.constraint_rejected += static_cast<std::uint64_t>(next - i);
        i = next;
        continue;
      }
      if (!dfs(wk, p, k + 1, prune, t)) {
        if (tracks_frontier()) note_children(wk.frontier, p, k, i + 1);
        return false;
      }
      ++i;
    }
    return true;
  }
  // Polled before the checks: a space where every tiling is cut must stop promptly too.
  if (should_stop(wk, t)) {
    if (tracks_frontier()) note(wk.frontier, node_bound(p, space_.num_dims(), wk.frontier));
    return false;
  }
  if (!space_.spatial_ok(p.factorization)) {
    ++wk.stats.constraint_rejected;
    return true;
  }
  if (prune && lower_bound_exceeds(wk, p)) {
    ++wk.stats.constraint_rejected;
    return true;
  }
  if (partial_ && prune) {
    if (tiling(wk, p, prune, t)) return true;
    note(wk.frontier, node_bound(p, space_.num_dims(), wk.frontier));  // its orders left
    return false;
  }
  return keeps(wk, p, 0, prune, t);
}

void Searcher::report_bound() {
  auto& st = result_.stats;
  if (st.proven_optimal && result_.eval) {
    st.lower_bound = metric_values(*result_.eval, s_.metrics).front();
    st.gap = 0;
    st.lower_bound_from = "optimum";
    return;
  }
  if (space_.has_imperfect()) return;  // no bound holds for Timeloop's averaged counts
  double pes = 1;
  for (int l = 0; l < arch_.num_storage_levels(); ++l)
    pes *= static_cast<double>(arch_.fanout(l));
  double ops = static_cast<double>(w_.operations());
  double cycles = std::ceil(ops / std::min(pes, ops));
  double lb = -1;
  switch (s_.metrics.front()) {
    case Metric::Delay: lb = cycles; break;
    case Metric::Energy: lb = energy_lb_; break;
    case Metric::Edp: lb = energy_lb_ * 1e-12 * cycles; break;
    case Metric::LastLevelAccesses: lb = -1; break;
  }
  // A stopped optimal search: nothing explored beats the best found, nothing left beats the
  // bounds of the subtrees it abandoned (search_frontier.cpp).
  if (tracks_frontier() && !frontier_.unknown && lb >= 0) {
    double left = frontier_.lb;
    if (result_.eval) left = std::min(left, metric_values(*result_.eval, s_.metrics).front());
    if (std::isfinite(left) && left > lb) {
      lb = left;
      st.lower_bound_from = "unexplored";
    }
  }
  if (lb >= 0 && st.lower_bound_from.empty()) st.lower_bound_from = "compulsory";
  st.lower_bound = lb;
  if (lb > 0 && result_.eval) {
    double best = metric_values(*result_.eval, s_.metrics).front();
    st.gap = std::max(0.0, (best - lb) / best);
  }
}

bool Searcher::keeps(Worker& wk, MapPoint& p, int l, bool prune, int t) {
  if (l < space_.num_levels()) {
    int n = static_cast<int>(space_.keep_options(l).size());
    for (int i = 0; i < n; ++i) {
      p.keep[static_cast<std::size_t>(l)] = i;
      if (!keeps(wk, p, l + 1, prune, t)) return false;
    }
    return true;
  }
  if (should_stop(wk, t)) return false;
  if (!space_.keeps_ok(p.keep)) return true;
  return tiling(wk, p, prune, t);
}

bool Searcher::tiling(Worker& wk, MapPoint& p, bool prune, int t) {
  if (!space_.fits(p)) {
    ++wk.stats.capacity_prechecked;
    return true;
  }
  // No bound holds for Timeloop's averaged counts of imperfect factors (residual loops).
  wk.tiling_result.reset();
  if (prune && tiling_bound_ && !space_.imperfect(p.factorization) &&
      tiling_bound_exceeds(wk, p)) {
    ++wk.stats.constraint_rejected;
    return true;
  }
  // Loop orders: the free temporal dims of each level in every order and, for each, the
  // orders of the spatial loops within each axis (spatial_orders).
  first_orders(p);
  wk.level_cut.assign(static_cast<std::size_t>(space_.num_levels()), 0);
  space_.build(p, wk.scratch);
  struct LoopsOnly {
    bool& flag;
    explicit LoopsOnly(bool& f) : flag(f) { flag = true; }
    ~LoopsOnly() { flag = false; }
  } loops_only(wk.loops_only);
  std::int64_t perm_index = 0;
  bool evaluated_one = false;
  for (;;) {
    if (should_stop(wk, t)) return false;
    if (partial_ && prune && wk.tiling_result && order_cut(wk, p)) {
      ++wk.stats.constraint_rejected;
      // When one level's order alone rules it out, so are the orders of the levels below
      // that follow with the same order there: set them to their last order, so that the
      // next step moves that level on, and count what they skip (the enumeration
      // positions of the later orders stay those of the full enumeration).
      if (const int top = level_cut(wk, p); top > 0) {
        std::int64_t rank = 0, span = 1;
        for (int l = 0; l < top; ++l) {
          auto& pm = p.perm[static_cast<std::size_t>(l)];
          rank += permutation_rank(pm) * span;
          for (std::size_t k = 2; k <= pm.size(); ++k) span *= static_cast<std::int64_t>(k);
          std::sort(pm.begin(), pm.end(), std::greater<>());
        }
        wk.stats.constraint_rejected += static_cast<std::uint64_t>(span - 1 - rank);
        perm_index += span - 1 - rank;
      }
      ++perm_index;
    } else {
      std::vector<std::int64_t> order(p.factorization.begin(), p.factorization.end());
      order.insert(order.end(), p.keep.begin(), p.keep.end());
      order.push_back(perm_index++);
      order.push_back(0);  // the spatial order
      auto r = wk.try_point(p, order);
      // Capacity depends on tiles and keeps only: no other loop order can fit.
      if (r && *r == RejectReason::Capacity) return true;
      if (r && !evaluated_one) {
        // Fan-out / instance rejections do not depend on the order either.
        if (*r == RejectReason::Fanout || *r == RejectReason::Instances) return true;
      }
      evaluated_one = true;
      if (!r && !spatial_orders(wk, p, order, t)) return false;
    }
    int l2 = 0;
    for (; l2 < space_.num_levels(); ++l2) {
      auto& pm = p.perm[static_cast<std::size_t>(l2)];
      if (std::next_permutation(pm.begin(), pm.end())) break;
    }
    if (l2 == space_.num_levels()) return true;
    for (int l = 0; l <= l2; ++l) wk.level_cut[static_cast<std::size_t>(l)] = 0;  // changed
  }
}

bool Searcher::spatial_orders(Worker& wk, MapPoint& p, std::vector<std::int64_t>& order, int t) {
  SmallLists lists;
  const std::vector<char>& sensitive = wk.ev.link_order_sensitive();
  for (int l = 0; l < space_.num_levels(); ++l) {
    if (sensitive[static_cast<std::size_t>(l)] == 0) continue;
    for (auto& pm : p.sperm[static_cast<std::size_t>(l)])
      if (pm.size() >= 2) lists.push_back(&pm);
  }
  for (;;) {
    std::size_t i = 0;
    while (i < lists.size() && !std::next_permutation(lists[i]->begin(), lists[i]->end())) ++i;
    if (i == lists.size()) return true;
    if (should_stop(wk, t)) return false;
    ++order.back();
    wk.try_point(p, order);
  }
}

void Searcher::merge(const std::vector<Worker*>& workers) {
  Best best;
  SearchStats total;
  for (const Worker* wk : workers) {
    if (!wk) continue;
    total.evaluated += wk->stats.evaluated;
    total.valid += wk->stats.valid;
    total.constraint_rejected += wk->stats.constraint_rejected;
    total.bound_evaluated += wk->stats.bound_evaluated;
    total.capacity_prechecked += wk->stats.capacity_prechecked;
    for (std::size_t i = 0; i < total.rejected.size(); ++i)
      total.rejected[i] += wk->stats.rejected[i];
    if (wk->best.better_than(best)) best = wk->best;
  }
  result_.stats = total;
  if (best.eval) {
    result_.best = best.mapping;
    result_.eval = best.eval;
  }
}

}  // namespace detail

using detail::Searcher;

SearchResult search_mappings(const Workload& w, const ArchSpec& arch, const EnergyTable& energy,
                             const Constraints& c, const MapperSettings& s,
                             const std::atomic<bool>* stop,
                             const std::function<void(const Progress&)>& progress) {
  Searcher searcher(w, arch, energy, c, s, stop, progress);
  return searcher.run();
}

}  // namespace loopsim
