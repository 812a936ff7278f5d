// The mapspace (factorizations over temporal and spatial levels, loop orders, keep/bypass)
// and the search algorithms over it. Every candidate is evaluated with Evaluator.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "loopsim/mapper/constraints.hpp"
#include "loopsim/model/evaluate.hpp"

namespace loopsim {

// One point of the mapspace: a factorization choice per dimension, a keep-mask choice per
// level and a loop order per level: of its temporal loops, and of its spatial loops within
// each axis.
struct MapPoint {
  std::vector<int> factorization;           // per dim: index into MapSpace::factorizations(d)
  std::vector<int> keep;                    // per level: index into MapSpace::keep_options(l)
  std::vector<std::vector<int>> perm;       // per level: free non-trivial dims, innermost first
  // Per level, per axis (X, Y): the free non-trivial spatial dims, innermost first. Levels
  // past its end, and empty lists, are in dimension order.
  std::vector<std::array<std::vector<int>, 2>> sperm;
};

class MapSpace {
 public:
  // `abort` (may be empty) is polled while the space is built; when it returns true the
  // space is left empty and aborted() is true.
  MapSpace(const Workload& w, const ArchSpec& arch, const Constraints& c,
           const std::function<bool()>& abort = {});
  [[nodiscard]] bool aborted() const { return aborted_; }

  // A slot is where a dimension's factor goes: the temporal loop of a level, or its
  // spatial X or Y loop.
  struct Slot {
    int level = 0;
    Spacetime st = Spacetime::Time;
  };
  [[nodiscard]] const std::vector<Slot>& slots() const { return slots_; }
  // Per dim: every ordered factorization of the bound over the slots allowed by the
  // constraints (each a factor per slot; an imperfect one, with the ruby template, is
  // followed by a residual per slot: residual_factors.hpp).
  [[nodiscard]] const std::vector<std::vector<std::int64_t>>& factorizations(int d) const {
    return facts_[static_cast<std::size_t>(d)];
  }
  // The residual of dim d at a slot (iterations on the last global iteration of d).
  [[nodiscard]] std::int64_t residual(const std::vector<int>& fact, int d, int slot) const {
    const auto& row = facts_[static_cast<std::size_t>(d)][static_cast<std::size_t>(fact[static_cast<std::size_t>(d)])];
    const std::size_t k = slots_.size(), s = static_cast<std::size_t>(slot);
    return row.size() > k ? row[k + s] : row[s];
  }
  // Whether some factorization of the space is imperfect (the ruby template).
  [[nodiscard]] bool has_imperfect() const {
    for (const auto& list : facts_)
      for (const auto& row : list)
        if (row.size() > slots_.size()) return true;
    return false;
  }
  // Whether some dim of the choice has an imperfect factor.
  [[nodiscard]] bool imperfect(const std::vector<int>& fact) const {
    for (int d = 0; d < ndim_; ++d)
      if (facts_[static_cast<std::size_t>(d)][static_cast<std::size_t>(fact[static_cast<std::size_t>(d)])].size() > slots_.size())
        return true;
    return false;
  }
  [[nodiscard]] const std::vector<std::vector<bool>>& keep_options(int l) const {
    return keeps_[static_cast<std::size_t>(l)];
  }
  // Fan-out, spatial-utilization and split check of a full factorization choice.
  [[nodiscard]] bool spatial_ok(const std::vector<int>& fact) const;
  // Non-trivial temporal dims at a level that the constraints do not order (they are
  // permuted freely, outside the constrained ones), in dimension order.
  [[nodiscard]] std::vector<int> free_dims(const std::vector<int>& fact, int level) const;
  [[nodiscard]] std::vector<int> fixed_dims(const std::vector<int>& fact, int level) const;
  // Non-trivial spatial dims on one axis (0: X, 1: Y) of a level that the spatial
  // permutation constraint does not order, in dimension order, into `out`. The search
  // permutes them; the constrained ones on the axis are innermost, in the constraint's order.
  void spatial_free_dims(const std::vector<int>& fact, int level, int axis,
                         std::vector<int>& out) const;
  [[nodiscard]] std::int64_t factor(const std::vector<int>& fact, int d, int slot) const {
    return facts_[static_cast<std::size_t>(d)][static_cast<std::size_t>(fact[static_cast<std::size_t>(d)])]
                 [static_cast<std::size_t>(slot)];
  }
  // Total spatial product (for a lower bound on cycles).
  [[nodiscard]] std::int64_t spatial_product(const std::vector<int>& fact) const;
  // Number of distinct mappings (factorizations x keep masks x loop orders), as a double.
  [[nodiscard]] double size() const { return size_; }
  // Writes the mapping of a point into `out` (reusing its storage).
  void build(const MapPoint& p, Mapping& out) const;
  // Only the loops (factors and orders) of `out`, built before from a point with the same
  // keep masks.
  void build_loops(const MapPoint& p, Mapping& out) const;
  // Capacity check without the evaluator: the tile of every kept data space at every level
  // (box projection of the loop extents at and below the level, spatial fan-out included)
  // must fit the level's effective size. The same rule as the evaluator's capacity check.
  [[nodiscard]] bool fits(const MapPoint& p) const;
  // Whether a keep-mask combination keeps every data space somewhere.
  [[nodiscard]] bool keeps_ok(const std::vector<int>& keep) const;
  // Why the space is empty ("" when it is not): a dimension without any factorization.
  [[nodiscard]] std::string empty_reason() const;
  [[nodiscard]] int num_levels() const { return nlev_; }
  [[nodiscard]] int num_dims() const { return ndim_; }

 private:
  const Workload& w_;
  const ArchSpec& arch_;
  const Constraints& c_;
  int nlev_ = 0, ndim_ = 0;
  std::vector<Slot> slots_;
  std::vector<int> temporal_slot_;  // per level, -1 when none
  std::vector<std::array<int, 2>> spatial_slot_;  // per level: X and Y slots, -1 when none
  // Per level with a split: how many dims the spatial permutation does not list may go on X
  // and on Y (-1: no split).
  std::vector<std::array<std::int64_t, 2>> free_caps_;
  // Timeloop's axis assignment with a spatial permutation and no split (X takes a prefix).
  [[nodiscard]] bool unsplit_prefix_ok(const std::vector<int>& fact, int level) const;
  // Whether the unlisted non-trivial spatial dims of a level fit its free_caps_.
  [[nodiscard]] bool free_fit(const std::vector<int>& fact, int level) const;
  // Whether dim d has a non-trivial loop at spatial slot ss of the level that the level's
  // spatial permutation constraint does not list.
  [[nodiscard]] bool free_spatial_loop(const std::vector<int>& fact, int level, int d, int ss) const;
  // The ruby template's factorizations of dim d into facts_[d] (residual_factors.cpp);
  // false when `abort` stopped it. Too many is a ConfigError at a `remainders` constraint.
  bool imperfect_factorizations(int d, const std::vector<FactorRange>& range,
                                const std::function<bool()>& abort);
  std::vector<std::vector<std::vector<std::int64_t>>> facts_;
  std::vector<std::vector<std::vector<bool>>> keeps_;
  double size_ = 0;
  bool aborted_ = false;
};

struct SearchStats {
  std::uint64_t evaluated = 0;  // candidates given to the evaluator
  std::uint64_t valid = 0;
  std::array<std::uint64_t, 5> rejected{};  // by RejectReason
  std::uint64_t capacity_prechecked = 0;   // do not fit (MapSpace::fits), not evaluated
  std::uint64_t bound_evaluated = 0;       // of `evaluated`: by the optimal search's
                                            // per-tiling bound and its incumbent search
  std::uint64_t constraint_rejected = 0;   // cut before evaluation (fan-out/utilization
                                            // constraints, capacity known from another order)
  // The answer is the optimal search's incumbent (its seeded, work-bounded annealing run),
  // which the enumeration, stopped before completing, did not beat.
  bool answer_from_incumbent = false;
  double seconds = 0;
  int threads = 1;
  bool proven_optimal = false;
  bool interrupted = false;
  std::string algorithm;
  double space_size = 0;
  // A lower bound on the first metric over the whole space (lower_bound_from) and the relative gap (best - bound) / best of the
  // best found; -1 when there is no bound (last_level_accesses) or nothing was found.
  double lower_bound = -1;
  double gap = -1;
  // What the bound comes from: "optimum" (proven), "compulsory" (compulsory traffic, all PEs
  // busy) or "unexplored" (an optimal search stopped early: the least of the best found and
  // the bounds of the subtrees it left unexplored).
  std::string lower_bound_from;
  std::string empty_reason;  // set when the constraints leave no mapping at all
};

struct SearchResult {
  std::optional<Mapping> best;
  std::optional<Evaluation> eval;
  SearchStats stats;
};

// Progress as the search runs (called about twice a second from one thread).
struct Progress {
  std::uint64_t evaluated = 0, valid = 0;
  double best_metric = 0;  // first metric of the best so far; 0 when none
  double seconds = 0;
  double fraction_done = -1;  // enumerating searches; -1 when unknown
};

// Runs the search. `stop` (may be null) is polled between candidates: set it from a signal
// handler to stop within a second with the best found so far.
SearchResult search_mappings(const Workload& w, const ArchSpec& arch, const EnergyTable& energy,
                             const Constraints& c, const MapperSettings& s,
                             const std::atomic<bool>* stop,
                             const std::function<void(const Progress&)>& progress);

// Metric vector of an evaluation for the given priority list (smaller is better).
std::vector<double> metric_values(const Evaluation& e, const std::vector<Metric>& metrics);

}  // namespace loopsim
