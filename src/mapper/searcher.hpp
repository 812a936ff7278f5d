// The mapper's search state: per-thread workers and the Searcher that runs every algorithm
// (private to src/mapper). search.cpp holds the enumerating searches and the reduction;
// search_sample.cpp the sampling ones (random, random-pruned, annealing).
#pragma once

#include <omp.h>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <memory>
#include <mutex>
#include <numeric>
#include "bound.hpp"
#include "partial_bound.hpp"
#include "loopsim/mapper/search.hpp"

namespace loopsim::detail {


using Clock = std::chrono::steady_clock;
// Pointers to a point's loop-order lists (a level's temporal, X and Y lists, or the spatial
// lists a search permutes).
using SmallLists = std::vector<std::vector<int>*>;

// Lexicographic, with a relative tolerance so that sums in a different order tie.
inline int compare_metrics(const std::vector<double>& a, const std::vector<double>& b) {
  for (std::size_t i = 0; i < a.size(); ++i) {
    double tol = 1e-9 * std::max(std::abs(a[i]), std::abs(b[i]));
    if (a[i] < b[i] - tol) return -1;
    if (a[i] > b[i] + tol) return 1;
  }
  return 0;
}

inline std::uint64_t splitmix(std::uint64_t x) {
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
  // The optimal search's pruning bound: the first metric of the best valid mapping seen
  // anywhere (the incumbent search, the tiling bound's evaluations, the enumeration); it
  // only cuts, never answers.
  std::atomic<double> incumbent{std::numeric_limits<double>::infinity()};
  // All the metrics of the incumbent (lexicographic), under `m`.
  std::vector<double> incumbent_metrics;
  void offer(double v) {
    double cur = incumbent.load();
    while (v < cur && !incumbent.compare_exchange_weak(cur, v)) {
    }
  }
  void offer(const std::vector<double>& v) {
    if (v.empty()) return;
    offer(v.front());
    if (v.front() > incumbent.load() * (1 + 1e-9)) return;
    std::lock_guard<std::mutex> lock(m);
    if (incumbent_metrics.empty() || compare_metrics(v, incumbent_metrics) < 0) incumbent_metrics = v;
  }
  std::vector<double> incumbent_now() {
    std::lock_guard<std::mutex> lock(m);
    return incumbent_metrics;
  }
};

// The lexicographic rank of a permutation of distinct elements among all of them, in the
// order std::next_permutation visits them from the sorted one (search_bound.cpp).
std::int64_t permutation_rank(const std::vector<int>& pm);

// What a stopped optimal search left unexplored (search_frontier.cpp): the least first
// metric bound over the subtrees it abandoned.
struct Frontier {
  double lb = std::numeric_limits<double>::infinity();
  bool unknown = false;  // some subtree had no usable bound, or the budget ran out
  // Partial bounds it may still compute (about a microsecond each): a stopped run must end
  // within a second of the signal.
  std::int64_t budget = 20000;
  std::vector<double> scratch;
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
  int bound_hint = -1;      // TilingBound: the data space whose order decided the last cut
  // The incumbent's metrics as this thread last read them (PartialBound cuts; a stale copy
  // is never better than the incumbent, so it only cuts less).
  double inc_first = std::numeric_limits<double>::infinity();
  std::vector<double> inc_metrics, bound_scratch;
  // The per-tiling bound of the tiling whose loop orders are enumerated (when it ran to the
  // end without cutting): the parts each order's bound starts from.
  std::optional<TilingBound::Result> tiling_result;
  PartialBound::OrderTerms order_terms;  // of that tiling
  std::vector<double> order_scratch;     // per data space (Searcher::order_cut)
  // Per level: whether its current loop order alone rules out the tiling's orders
  // (Searcher::level_cut; 0 not known, 1 yes, 2 no).
  std::vector<signed char> level_cut;
  // Per depth of the factorization tree: whether each spatial group of that depth's dim
  // is cut (Searcher::group_cut; 0 not known yet, 1 cut, 2 not cut).
  std::vector<std::vector<char>> group_state;
  std::vector<double> group_inc;  // per depth: the incumbent's first metric group_state is for
  // `scratch` holds the keep masks of the tiling whose loop orders are enumerated: only the
  // loops are rebuilt (Searcher::tiling).
  bool loops_only = false;
  std::uint32_t polls = 0;  // Searcher::should_stop calls
  Frontier frontier;        // the subtrees this thread abandoned when stopped

  // Candidates considered: evaluated or ruled out before evaluation.
  [[nodiscard]] std::uint64_t work() const {
    return stats.evaluated + stats.constraint_rejected + stats.capacity_prechecked;
  }

  // Returns the rejection reason (or nullopt when valid).
  std::optional<RejectReason> try_point(const MapPoint& p, const std::vector<std::int64_t>& order) {
    if (loops_only) space.build_loops(p, scratch);
    else space.build(p, scratch);
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
    sh.offer(last_metric);
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
      : w_(w), arch_(arch), energy_(energy), c_(c), s_(s), stop_(stop), start_(Clock::now()),
        space_(w, arch, c, [this] { return stop_requested(); }), progress_(progress) {
    // Energy no mapping can go below: every MAC, every element of a read-only tensor read
    // once from the outermost level, and every element of a read-write tensor written
    // (updated) there once (dense tensors, partial_bound.hpp, so that every element is
    // touched; the outermost level keeps every tensor).
    energy_lb_ = static_cast<double>(w.operations()) * energy.compute().compute_pj;
    int top = arch.num_storage_levels() - 1;
    std::vector<double> compulsory(static_cast<std::size_t>(w.num_data_spaces()), 0.0);
    for (int ds = 0; ds < w.num_data_spaces(); ++ds) {
      if (!dense(w, ds)) continue;
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
      compulsory[static_cast<std::size_t>(ds)] =
          0.999 * coded * static_cast<double>(w.tensor_size(ds)) * per_word;
    }
    compulsory_ = compulsory;
    if (!s_.model.accurate()) energy_lb_ += operand_energy_bound(compulsory);
  }

  // Every MAC reads each operand (updates its output) at the innermost level that keeps the
  // data space, with no reuse at the arithmetic level: at least computes / (MACs under one
  // instance of that level) accesses there, shared by a cluster at most, whatever the order,
  // the keep masks and the factors. The cheapest level that may keep it, beyond the
  // compulsory traffic already counted at the outermost level.
  double operand_energy_bound(const std::vector<double>& compulsory) const {
    double total = 0;
    // A space whose build was stopped (a signal, the time budget) has no keep options.
    if (space_.aborted()) return 0;
    const int top = std::min(arch_.num_storage_levels(), space_.num_levels()) - 1;
    const auto ops = static_cast<double>(w_.operations());
    for (int ds = 0; ds < w_.num_data_spaces(); ++ds) {
      double best = std::numeric_limits<double>::infinity();
      for (int l = 0; l <= top; ++l) {
        bool may = false;
        for (const auto& k : space_.keep_options(l)) may = may || k[static_cast<std::size_t>(ds)];
        if (!may) continue;
        const auto& spec = arch_.storage[static_cast<std::size_t>(l)];
        const auto& en = energy_.storage(l);
        double under = std::max<double>(1.0, static_cast<double>(arch_.arithmetic.instances) /
                                                  static_cast<double>(std::max<std::int64_t>(1, spec.instances)));
        double per = (w_.is_read_write(ds) ? en.update_pj : en.read_pj) /
                     (std::max(1, spec.block_size) * std::max(1, spec.cluster_size) * under);
        double e = 0.999 * ops * per;
        if (l == top) e = std::max(0.0, e - compulsory[static_cast<std::size_t>(ds)]);
        best = std::min(best, e);
      }
      if (std::isfinite(best)) total += best;
    }
    return total;
  }

  SearchResult run();

 private:
  double elapsed() const {
    return std::chrono::duration<double>(Clock::now() - start_).count();
  }

  // A stop signal or the time budget (also polled while the mapspace is built).
  bool stop_requested() const {
    if (stop_ && stop_->load(std::memory_order_relaxed)) return true;
    return past_deadline(elapsed());
  }
  bool past_deadline(double now) const {
    return (s_.time_budget_s > 0 && now >= s_.time_budget_s) || (s_.deadline_s > 0 && now >= s_.deadline_s);
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
    // The clock is read every 16th call (a call is at least one candidate considered).
    if ((++wk.polls & 15U) != 0) return false;
    {
      double now = elapsed();
      if (past_deadline(now)) return true;
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
  std::vector<std::vector<int>> make_units();

  // Depth-first over the remaining dims' factorizations, then keep masks, then loop orders.
  bool enumerate_unit(Worker& wk, const std::vector<int>& prefix, bool prune);

  // `k`: how many dims (in dim_order_) the point has chosen.
  bool dfs(Worker& wk, MapPoint& p, int k, bool prune, int t);

  // The optimal search with the partial-tiling bound: the keep masks first (so that every
  // data space's chain of levels is known), then the dims in dim_order_, each subtree cut
  // as soon as the capacity or the partial bound (partial_bound.hpp) rules it out.
  bool keeps_then_dims(Worker& wk, MapPoint& p, int l, int k, bool prune, int t);
  // Whether the tilings that complete the first k dims of dim_order_ (and p.keep) are
  // ruled out: a tile already too large, or a bound strictly worse than the incumbent.
  // `unfit_level` (may be null): the level that overflowed, or -1.
  bool partial_cut(Worker& wk, const MapPoint& p, int k, int* unfit_level = nullptr);
  // assigned[d] = 1 for the first k dims of dim_order_, 0 for the others.
  void assigned_prefix(int k, char* assigned) const {
    std::fill(assigned, assigned + kMaxDims, 0);
    for (int j = 0; j < k; ++j) assigned[dim_order_[static_cast<std::size_t>(j)]] = 1;
  }
  // Whether every factorization of dim_order_[k] in the spatial group of p's (the first k
  // dims chosen) is ruled out at once: the parent's energy bound, which holds for all of
  // them, with the cycle bound of the group (which cycles() depends on alone). `e_parent`:
  // that energy bound, computed on first use (negative before).
  bool group_cut(Worker& wk, MapPoint& p, int k, double& e_parent);

  // Whether a loop order of the tiling is ruled out: the tiling bound's fixed part plus, per
  // plain data space, the larger of its energy in its own best order and the partial
  // bound's share for this order (both bound its energy in this order).
  bool order_cut(Worker& wk, const MapPoint& p);
  // The outermost level L >= 1 whose loop order alone (the other levels' orders as the best
  // ones) rules out the order of p, so every order with the same loops at L is ruled out
  // and the rest of the levels below it can be skipped; 0 when none does. Cached per level
  // in wk.level_cut until its order changes (search_bound.cpp).
  int level_cut(Worker& wk, const MapPoint& p);
  // Whether the order-energy bound `own` (per data space, PartialBound::order_energies),
  // with the cycles at least `bw_cycles` (PartialBound::bandwidth_cycles), rules out the
  // orders it holds for.
  bool order_bound_cuts(Worker& wk, const std::vector<double>& own, double bw_cycles);
  // The incumbent's metrics, re-read when its first metric changed.
  const std::vector<double>& incumbent_cached(Worker& wk);

  // A full tiling (factorization and keep masks): the capacity precheck, the per-tiling
  // bound, then every loop order.
  bool tiling(Worker& wk, MapPoint& p, bool prune, int t);

  // A lower bound on the first metric of every mapping in the space, and the relative gap of
  // the best found to it (0 when proven). Cycles >= operations / the most PEs the spatial
  // slots can use (the product of the fan-outs, at most the product of the bounds); energy
  // >= energy_lb_ (the MACs and compulsory reads); EDP their product.
  void report_bound();
  // An optimal search with the partial bound that stops before it completes: the subtrees
  // it abandons are bounded (search_frontier.cpp), so that its lower bound is the least of
  // the best found and those bounds, not only the tiling-independent one.
  [[nodiscard]] bool tracks_frontier() const { return partial_.has_value(); }
  // The first metric's bound on the completions of p (the keep masks and the first k dims
  // of dim_order_ chosen); +inf when none can be valid (keeps, fan-out, capacity).
  double node_bound(const MapPoint& p, int k, Frontier& f);
  // Dim dim_order_[k]'s factorizations from `from` on (the first k dims chosen).
  void note_children(Frontier& f, MapPoint& p, int k, int from);
  // Keep option `from` on at level l, every option at the levels above it, with the first
  // k dims chosen.
  void note_keeps(Frontier& f, MapPoint& p, int l, int from, int k);
  static void note(Frontier& f, double b) {
    if (b < 0) f.unknown = true;
    else f.lb = std::min(f.lb, b);
  }
  Frontier frontier_;  // all threads' and the units never started

  // Lower bound of the first metric of any mapping with this factorization: cycles >=
  // operations / spatial product; energy >= energy_lb_ (MACs and compulsory reads).
  // Returns a negative value when there is no bound for the metric.
  double lower_bound(const MapPoint& p) const {
    // Imperfect factors: Timeloop's averaged counts may fall below the compulsory ones.
    if (space_.imperfect(p.factorization)) return -1;
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
    return bound_exceeds(lb, sh_.incumbent.load());
  }

  // The per-tiling bound (bound.hpp) against the incumbent, for the optimal search when it
  // is not bounded by work; only on tilings with more loop orders than the bound evaluates.
  bool tiling_bound_exceeds(Worker& wk, const MapPoint& p);

  // Whether the spatial factors of the first `dims` dims fit every level's fan-out on each
  // axis: the others' factors are at least 1, so a prefix that does not fit has no
  // completion that passes spatial_ok (the optimal search skips the whole subtree).
  bool spatial_prefix_fits(const MapPoint& p, int dims) const;

  // A short seeded annealing run bounded by work (deterministic): its best metric becomes
  // the first incumbent of the optimal search (a pruning bound only).
  void seed_incumbent(int threads);

  // A bound cuts a candidate only when it is strictly (beyond rounding) worse than `best`.
  static bool bound_exceeds(double lb, double best) { return lb > best * (1 + 1e-9); }

  // Against this thread's own best (sampling searches stay deterministic).
  bool dominated(const Worker& wk, const MapPoint& p) const {
    if (!wk.best.eval) return false;
    double lb = lower_bound(p);
    return lb >= 0 && bound_exceeds(lb, wk.best.metric.front());
  }

  bool keeps(Worker& wk, MapPoint& p, int l, bool prune, int t);

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
  bool spatial_orders(Worker& wk, MapPoint& p, std::vector<std::int64_t>& order, int t);

  void random_point(std::mt19937_64& rng, MapPoint& p);

  // Uniform loop orders: of the temporal loops of each level and of the spatial loops
  // within each of its axes.
  void random_perms(std::mt19937_64& rng, MapPoint& p);

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

  void sample(Worker& wk, std::mt19937_64& rng, Algorithm a, int t);

  // Simulated annealing on log(first metric): starts from the best of a few promising
  // random points; moves change one dimension's factorization, one level's keep mask, or swap two
  // loops of one level; geometric cooling; after a long stagnation, restarts from this
  // thread's best at the initial temperature.
  void anneal(Worker& wk, std::mt19937_64& rng, int t);

  // `pm` becomes the dims of `free`, those already in pm in pm's order, then the others.
  static void refit(std::vector<int>& pm, const std::vector<int>& free) {
    std::vector<int> out;
    for (int x : pm)
      if (std::find(free.begin(), free.end(), x) != free.end()) out.push_back(x);
    for (int x : free)
      if (std::find(out.begin(), out.end(), x) == out.end()) out.push_back(x);
    pm = std::move(out);
  }

  void merge(const std::vector<Worker*>& workers);

  const Workload& w_;
  const ArchSpec& arch_;
  const EnergyTable& energy_;
  const Constraints& c_;
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
  std::optional<TilingBound> tiling_bound_;
  std::optional<PartialBound> partial_;
  std::vector<double> compulsory_;  // per data space (constructor)
  // The order in which the enumeration chooses the dims' factorizations (units take the
  // first ones); the identity unless the partial bound is on.
  std::vector<int> dim_order_;
  std::uint64_t incumbent_evaluated_ = 0;
  // The incumbent search's mapping: the answer of an enumeration that stops before it
  // completes without finding better (bounded by work, so the same on any machine).
  std::optional<Mapping> incumbent_best_;
  std::optional<Evaluation> incumbent_eval_;
  // Streams of a work-bounded sampling search (independent of the thread count).
  static constexpr std::size_t kStreams = 8;
  bool work_bounded_ = false;
  bool enumerating_ = false;
  std::size_t chains_ = 1;  // threads, streams or work units that share the count limits
};


}  // namespace loopsim::detail
