// Search algorithms over the mapspace. Threads split the space (enumerating searches) or
// draw from their own seeded generators (sampling searches); the best is reduced at the end
// by metric, then by a deterministic tie-break, so results do not depend on timing.
#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <memory>
#include <mutex>
#include <numeric>

#include "loopsim/mapper/search.hpp"

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

namespace {

using Clock = std::chrono::steady_clock;
// Pointers to a point's loop-order lists (a level's temporal, X and Y lists, or the spatial
// lists a search permutes).
using SmallLists = std::vector<std::vector<int>*>;

// Lexicographic, with a relative tolerance so that sums in a different order tie.
int compare_metrics(const std::vector<double>& a, const std::vector<double>& b) {
  for (std::size_t i = 0; i < a.size(); ++i) {
    double tol = 1e-9 * std::max(std::abs(a[i]), std::abs(b[i]));
    if (a[i] < b[i] - tol) return -1;
    if (a[i] > b[i] + tol) return 1;
  }
  return 0;
}

std::uint64_t splitmix(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

struct Best {
  std::vector<double> metric;
  std::vector<std::int64_t> order;  // deterministic tie-break (smaller wins)
  Mapping mapping;
  std::optional<Evaluation> eval;
  [[nodiscard]] bool better_than(const Best& o) const {
    if (!eval) return false;
    if (!o.eval) return true;
    int c = compare_metrics(metric, o.metric);
    if (c != 0) return c < 0;
    return order < o.order;
  }
};

struct Shared {
  std::atomic<std::uint64_t> evaluated{0}, valid{0};
  std::atomic<bool> done{false};
  std::mutex m;
  std::vector<double> best_metric;  // for pruning and progress
  std::atomic<double> best_first{0};
};

// Per-thread worker state.
struct Worker {
  Worker(const MapSpace& sp, const MapperSettings& st, Evaluator& e, Shared& shared)
      : space(sp), s(st), ev(e), sh(shared) {}
  const MapSpace& space;
  const MapperSettings& s;
  Evaluator& ev;  // the running thread's
  Shared& sh;
  SearchStats stats;
  Best best;
  Mapping scratch;
  std::int64_t consecutive_invalid = 0, since_improvement = 0;
  std::vector<double> last_metric;  // of the last valid candidate
  // Work-bounded enumeration: the current unit's start counts and best first metric (its
  // own pruning bound, so that a unit's result does not depend on the others).
  std::uint64_t unit_work0 = 0, unit_valid0 = 0;
  std::optional<double> unit_best;
  bool budget_cut = false;  // the current unit (or stream) ran out of its work budget

  // Candidates considered: evaluated or ruled out before evaluation.
  [[nodiscard]] std::uint64_t work() const {
    return stats.evaluated + stats.constraint_rejected + stats.capacity_prechecked;
  }

  // Returns the rejection reason (or nullopt when valid).
  std::optional<RejectReason> try_point(const MapPoint& p, const std::vector<std::int64_t>& order) {
    space.build(p, scratch);
    const Rejection* rej = ev.run(scratch);  // evaluates into the evaluator's buffers
    ++stats.evaluated;
    sh.evaluated.fetch_add(1, std::memory_order_relaxed);
    if (rej) {
      ++stats.rejected[static_cast<std::size_t>(rej->reason)];
      ++consecutive_invalid;
      return rej->reason;
    }
    consecutive_invalid = 0;
    ++stats.valid;
    sh.valid.fetch_add(1, std::memory_order_relaxed);
    const Evaluation& e = ev.result();
    last_metric = metric_values(e, s.metrics);
    if (!unit_best || last_metric.front() < *unit_best) unit_best = last_metric.front();
    int cmp = best.eval ? compare_metrics(last_metric, best.metric) : -1;
    if (cmp < 0 || (cmp == 0 && order < best.order)) {
      best.metric = last_metric;
      best.order = order;
      best.mapping = scratch;
      best.eval = e;  // copied only when it improves
      since_improvement = 0;
      std::lock_guard<std::mutex> lock(sh.m);
      if (sh.best_metric.empty() || compare_metrics(best.metric, sh.best_metric) < 0) {
        sh.best_metric = best.metric;
        sh.best_first.store(best.metric.front());
      }
    } else {
      ++since_improvement;
    }
    return std::nullopt;
  }
};

class Searcher {
 public:
  Searcher(const Workload& w, const ArchSpec& arch, const EnergyTable& energy,
           const Constraints& c, const MapperSettings& s, const std::atomic<bool>* stop,
           const std::function<void(const Progress&)>& progress)
      : w_(w), arch_(arch), energy_(energy), s_(s), stop_(stop), start_(Clock::now()),
        space_(w, arch, c, [this] { return stop_requested(); }), progress_(progress) {
    // Energy no mapping can go below: every MAC, every element of a read-only tensor read
    // once from the outermost level, and every element of a read-write tensor written
    // (updated) there once (tensors whose projections have no coefficients, so that every
    // element is touched; the outermost level keeps every tensor).
    energy_lb_ = static_cast<double>(w.operations()) * energy.compute().compute_pj;
    int top = arch.num_storage_levels() - 1;
    for (int ds = 0; ds < w.num_data_spaces(); ++ds) {
      bool plain = true;
      for (const auto& rank : w.data_spaces[static_cast<std::size_t>(ds)].projection)
        for (const auto& t : rank) plain = plain && t.coeff < 0;
      if (!plain) continue;
      const auto& top_energy = energy.storage(top);
      double per_word = (w.is_read_write(ds) ? top_energy.update_pj : top_energy.read_pj) /
                        std::max(1, arch.storage[static_cast<std::size_t>(top)].block_size);
      // The accurate model codes the DRAM traffic of a tensor with a density (run length).
      double coded = 1.0;
      if (s_.model.accurate() && s_.model.density[ds])
        coded = rlc_ratio(*s_.model.density[ds],
                          arch.storage[static_cast<std::size_t>(top)].word_bits,
                          s_.model.rlc_run_bits);
      energy_lb_ += 0.999 * coded * static_cast<double>(w.tensor_size(ds)) * per_word;
    }
  }

  SearchResult run() {
    Algorithm a = s_.algorithm;
    if (a == Algorithm::Auto)
      a = space_.size() <= 2e7 ? Algorithm::Optimal : Algorithm::Anneal;
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
    if (enumerating) units = make_units();
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
      }
#pragma omp barrier
    }
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

 private:
  double elapsed() const {
    return std::chrono::duration<double>(Clock::now() - start_).count();
  }

  // A stop signal or the time budget (also polled while the mapspace is built).
  bool stop_requested() const {
    if (stop_ && stop_->load(std::memory_order_relaxed)) return true;
    return s_.time_budget_s > 0 && elapsed() >= s_.time_budget_s;
  }

  // Per chain (a thread, a stream or a work unit) share of a total count: Timeloop divides
  // search_size among its threads the same way.
  [[nodiscard]] std::uint64_t per_chain(std::int64_t total) const {
    auto n = static_cast<std::uint64_t>(chains_);
    return (static_cast<std::uint64_t>(total) + n - 1) / n;
  }

  // The work budget of the enumerating searches, per unit (work-bounded runs only).
  bool unit_budget_hit(Worker& wk) const {
    if (!work_bounded_ || !enumerating_) return false;
    bool hit = (s_.max_evaluations > 0 && wk.work() - wk.unit_work0 >= per_chain(s_.max_evaluations)) ||
               (s_.search_size > 0 && wk.stats.valid - wk.unit_valid0 >= per_chain(s_.search_size));
    if (hit) wk.budget_cut = true;
    return hit;
  }

  // Polled between candidates: a signal, the time budget, the work budget of a unit; thread
  // 0 also reports progress about twice a second.
  bool should_stop(Worker& wk, int /*chain*/) {
    if (stop_ && stop_->load(std::memory_order_relaxed)) return true;
    if (sh_.done.load(std::memory_order_relaxed)) return true;
    if (unit_budget_hit(wk)) return true;
    {
      double now = elapsed();
      if (s_.time_budget_s > 0 && now >= s_.time_budget_s) return true;
      if (omp_get_thread_num() == 0 && progress_ && now - last_progress_ >= 0.5) {
        last_progress_ = now;
        Progress p;
        p.evaluated = sh_.evaluated.load();
        p.valid = sh_.valid.load();
        p.best_metric = sh_.best_first.load();
        p.seconds = now;
        if (!units_total_zero_) p.fraction_done = static_cast<double>(units_started_.load()) /
                                                  static_cast<double>(units_total_);
        progress_(p);
      }
    }
    return false;
  }

  // Work units: every combination of the first dims' factorizations, until there are
  // enough units to balance the threads.
  std::vector<std::vector<int>> make_units() {
    std::vector<std::vector<int>> units{{}};
    int d = 0;
    while (d < space_.num_dims() && units.size() < 64) {
      std::vector<std::vector<int>> next;
      for (const auto& u : units)
        for (int i = 0; i < static_cast<int>(space_.factorizations(d).size()); ++i) {
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

  // Depth-first over the remaining dims' factorizations, then keep masks, then loop orders.
  bool enumerate_unit(Worker& wk, const std::vector<int>& prefix, bool prune) {
    const int t = omp_get_thread_num();
    units_started_.fetch_add(1);
    wk.unit_work0 = wk.work();
    wk.unit_valid0 = wk.stats.valid;
    wk.unit_best.reset();
    wk.budget_cut = false;
    MapPoint p;
    p.factorization.assign(static_cast<std::size_t>(space_.num_dims()), 0);
    for (std::size_t i = 0; i < prefix.size(); ++i) p.factorization[i] = prefix[i];
    p.keep.assign(static_cast<std::size_t>(space_.num_levels()), 0);
    p.perm.assign(static_cast<std::size_t>(space_.num_levels()), {});
    return dfs(wk, p, static_cast<int>(prefix.size()), prune, t);
  }

  bool dfs(Worker& wk, MapPoint& p, int d, bool prune, int t) {
    if (d < space_.num_dims()) {
      int n = static_cast<int>(space_.factorizations(d).size());
      for (int i = 0; i < n; ++i) {
        p.factorization[static_cast<std::size_t>(d)] = i;
        if (!dfs(wk, p, d + 1, prune, t)) return false;
      }
      return true;
    }
    // Polled before the checks: a space where every tiling is cut must stop promptly too.
    if (should_stop(wk, t)) return false;
    if (!space_.spatial_ok(p.factorization)) {
      ++wk.stats.constraint_rejected;
      return true;
    }
    if (prune && lower_bound_exceeds(wk, p)) {
      ++wk.stats.constraint_rejected;
      return true;
    }
    return keeps(wk, p, 0, prune, t);
  }

  // A lower bound on the first metric of every mapping in the space, and the relative gap of
  // the best found to it (0 when proven). Cycles >= operations / the most PEs the spatial
  // slots can use (the product of the fan-outs, at most the product of the bounds); energy
  // >= energy_lb_ (the MACs and compulsory reads); EDP their product.
  void report_bound() {
    auto& st = result_.stats;
    if (st.proven_optimal && result_.eval) {
      st.lower_bound = metric_values(*result_.eval, s_.metrics).front();
      st.gap = 0;
      return;
    }
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
    st.lower_bound = lb;
    if (lb > 0 && result_.eval) {
      double best = metric_values(*result_.eval, s_.metrics).front();
      st.gap = std::max(0.0, (best - lb) / best);
    }
  }

  // Lower bound of the first metric of any mapping with this factorization: cycles >=
  // operations / spatial product; energy >= energy_lb_ (MACs and compulsory reads).
  // Returns a negative value when there is no bound for the metric.
  double lower_bound(const MapPoint& p) const {
    double cycles = static_cast<double>(w_.operations()) /
                    static_cast<double>(space_.spatial_product(p.factorization));
    switch (s_.metrics.front()) {
      case Metric::Delay: return cycles;
      case Metric::Energy: return energy_lb_;
      case Metric::Edp: return energy_lb_ * 1e-12 * cycles;
      case Metric::LastLevelAccesses: return -1;
    }
    return -1;
  }

  // Against the best found by any thread (enumerating searches: the optimum is unchanged,
  // only strictly worse tilings are cut).
  // Work-bounded runs: against the unit's own best, so that the unit's result does not depend
  // on the others (the thread count).
  bool lower_bound_exceeds(const Worker& wk, const MapPoint& p) {
    double lb = lower_bound(p);
    if (lb < 0) return false;
    if (work_bounded_) return wk.unit_best && bound_exceeds(lb, *wk.unit_best);
    std::lock_guard<std::mutex> lock(sh_.m);
    return !sh_.best_metric.empty() && bound_exceeds(lb, sh_.best_metric.front());
  }

  // A bound cuts a candidate only when it is strictly (beyond rounding) worse than `best`.
  static bool bound_exceeds(double lb, double best) { return lb > best * (1 + 1e-9); }

  // Against this thread's own best (sampling searches stay deterministic).
  bool dominated(const Worker& wk, const MapPoint& p) const {
    if (!wk.best.eval) return false;
    double lb = lower_bound(p);
    return lb >= 0 && bound_exceeds(lb, wk.best.metric.front());
  }

  bool keeps(Worker& wk, MapPoint& p, int l, bool prune, int t) {
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
    if (!space_.fits(p)) {
      ++wk.stats.capacity_prechecked;
      return true;
    }
    // Loop orders: the free temporal dims of each level in every order and, for each, the
    // orders of the spatial loops within each axis (spatial_orders).
    first_orders(p);
    std::int64_t perm_index = 0;
    for (;;) {
      if (should_stop(wk, t)) return false;
      std::vector<std::int64_t> order(p.factorization.begin(), p.factorization.end());
      order.insert(order.end(), p.keep.begin(), p.keep.end());
      order.push_back(perm_index++);
      order.push_back(0);  // the spatial order
      auto r = wk.try_point(p, order);
      // Capacity depends on tiles and keeps only: no other loop order can fit.
      if (r && *r == RejectReason::Capacity) return true;
      if (r && *r != RejectReason::Capacity && perm_index == 1) {
        // Fan-out / instance rejections do not depend on the order either.
        if (*r == RejectReason::Fanout || *r == RejectReason::Instances) return true;
      }
      if (!r && !spatial_orders(wk, p, order, t)) return false;
      int l2 = 0;
      for (; l2 < space_.num_levels(); ++l2) {
        auto& pm = p.perm[static_cast<std::size_t>(l2)];
        if (std::next_permutation(pm.begin(), pm.end())) break;
      }
      if (l2 == space_.num_levels()) return true;
    }
  }

  // The first loop orders of a point's tiling: every free list in dimension order.
  void first_orders(MapPoint& p) const {
    const auto n = static_cast<std::size_t>(space_.num_levels());
    p.perm.resize(n);
    p.sperm.resize(n);
    for (int l = 0; l < space_.num_levels(); ++l) {
      p.perm[static_cast<std::size_t>(l)] = space_.free_dims(p.factorization, l);
      for (int axis = 0; axis < 2; ++axis)
        space_.spatial_free_dims(p.factorization, l, axis,
                                 p.sperm[static_cast<std::size_t>(l)][static_cast<std::size_t>(axis)]);
    }
  }

  // The other orders of the spatial loops within each axis, after the first one (the
  // point as it is, just evaluated as valid: rejections do not depend on these orders).
  // Only at the levels where that evaluation says another order may change the numbers
  // (link transfers between grid neighbours, Evaluator::link_order_sensitive); elsewhere
  // every order evaluates the same. Leaves the lists in dimension order again.
  bool spatial_orders(Worker& wk, MapPoint& p, std::vector<std::int64_t>& order, int t) {
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

  void random_point(std::mt19937_64& rng, MapPoint& p) {
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
  void random_perms(std::mt19937_64& rng, MapPoint& p) {
    first_orders(p);
    auto shuffle = [&](std::vector<int>& pm) {
      for (std::size_t i = pm.size(); i > 1; --i) std::swap(pm[i - 1], pm[rng() % i]);
    };
    for (int l = 0; l < space_.num_levels(); ++l) {
      shuffle(p.perm[static_cast<std::size_t>(l)]);
      for (auto& pm : p.sperm[static_cast<std::size_t>(l)]) shuffle(pm);
    }
  }

  // The next loop order of a point in the order Timeloop's permutation space counts them:
  // one odometer over the levels, innermost first, each level's temporal order, then its X
  // and Y orders. False (and back at the first order) after the last one.
  bool next_order(MapPoint& p) const {
    for (int l = 0; l < space_.num_levels(); ++l) {
      auto& pm = p.perm[static_cast<std::size_t>(l)];
      if (std::next_permutation(pm.begin(), pm.end())) return true;
      for (auto& sp : p.sperm[static_cast<std::size_t>(l)])
        if (std::next_permutation(sp.begin(), sp.end())) return true;
    }
    return false;
  }

  // The count-based stops of the sampling searches, per chain (thread, or stream when the
  // run is bounded by work).
  bool limits_hit(const Worker& wk) const {
    if (s_.search_size > 0 && wk.stats.valid >= per_chain(s_.search_size)) return true;
    if (s_.max_evaluations > 0 && wk.work() >= per_chain(s_.max_evaluations)) return true;
    if (s_.timeout > 0 && wk.consecutive_invalid >= s_.timeout) return true;
    if (s_.victory_condition > 0 && wk.best.eval && wk.since_improvement >= s_.victory_condition)
      return true;
    return false;
  }

  void sample(Worker& wk, std::mt19937_64& rng, Algorithm a, int t) {
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
  void anneal(Worker& wk, std::mt19937_64& rng, int t) {
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

  // `pm` becomes the dims of `free`, those already in pm in pm's order, then the others.
  static void refit(std::vector<int>& pm, const std::vector<int>& free) {
    std::vector<int> out;
    for (int x : pm)
      if (std::find(free.begin(), free.end(), x) != free.end()) out.push_back(x);
    for (int x : free)
      if (std::find(out.begin(), out.end(), x) == out.end()) out.push_back(x);
    pm = std::move(out);
  }

  void merge(const std::vector<Worker*>& workers) {
    Best best;
    SearchStats total;
    for (const Worker* wk : workers) {
      if (!wk) continue;
      total.evaluated += wk->stats.evaluated;
      total.valid += wk->stats.valid;
      total.constraint_rejected += wk->stats.constraint_rejected;
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

  const Workload& w_;
  const ArchSpec& arch_;
  const EnergyTable& energy_;
  const MapperSettings& s_;
  const std::atomic<bool>* stop_;
  Clock::time_point start_;
  MapSpace space_;
  std::function<void(const Progress&)> progress_;
  Shared sh_;
  double last_progress_ = 0;
  std::size_t units_total_ = 0;
  bool units_total_zero_ = true;
  std::atomic<std::size_t> units_started_{0};
  SearchResult result_;
  double energy_lb_ = 0;
  // Streams of a work-bounded sampling search (independent of the thread count).
  static constexpr std::size_t kStreams = 8;
  bool work_bounded_ = false;
  bool enumerating_ = false;
  std::size_t chains_ = 1;  // threads, streams or work units that share the count limits
};

}  // namespace

SearchResult search_mappings(const Workload& w, const ArchSpec& arch, const EnergyTable& energy,
                             const Constraints& c, const MapperSettings& s,
                             const std::atomic<bool>* stop,
                             const std::function<void(const Progress&)>& progress) {
  Searcher searcher(w, arch, energy, c, s, stop, progress);
  return searcher.run();
}

}  // namespace loopsim
