// A lower bound on the metric of every loop order of one tiling (a factorization and keep
// masks), for the optimal search's branch and bound (private to src/mapper; docs/mapper.md,
// "Pruning rules of the optimal search", explains why it is exact).
#pragma once

#include <cstdint>
#include <limits>
#include <vector>

#include "loopsim/mapper/search.hpp"

namespace loopsim::detail {

// Per data space: whether it is plain (every rank one dim, no dim in two ranks: a sliding
// window such as P + R couples its dims, so no single loop order is best for it) and which
// dims index it. Shared by TilingBound and PartialBound.
struct Relevance {
  std::vector<char> plain;                   // per data space
  std::vector<std::vector<char>> relevant;   // [data space][dim]
  explicit Relevance(const Workload& w);
};

class TilingBound {
 public:
  TilingBound(const Workload& w, const MapSpace& space, std::vector<Metric> metrics);
  TilingBound(const Workload& w, const MapSpace& space, Metric metric)
      : TilingBound(w, space, std::vector<Metric>{metric}) {}

  // Whether the bound can say more than the tiling-independent one (an energy term).
  [[nodiscard]] bool useful() const;

  // Whether every mapping with metrics at least `bounds` is strictly worse than `incumbent`
  // (lexicographic, as compare_metrics: a metric whose bound is at least the incumbent's
  // cannot make the mapping better, so the next one may decide; a bound beyond the
  // tolerance decides). A negative bound is unknown.
  static bool cuts(const std::vector<double>& bounds, const std::vector<double>& incumbent);
  // The bounds per metric (negative: none) from bounds on the energy (pJ) and the cycles.
  static void bounds_of(const std::vector<Metric>& metrics, double energy_pj, double cycles,
                        std::vector<double>& out);

  // Distinct loop orders the bound evaluates for this tiling (at most one per data space).
  [[nodiscard]] int evaluations_needed(const MapPoint& tiling) const;

  struct Result {
    double bound = -1;        // on the first metric; negative: no bound (a rejection)
    std::vector<double> bounds;     // per metric (negative: none)
    double best_seen = -1;    // the best first metric among the evaluated orders (valid ones)
    std::vector<double> best_seen_metrics;  // all the metrics of that one
    int evaluated = 0;
    // The parts of the bound, for per-order bounds (Searcher::order_cut): MACs, leakage at
    // the compute cycles and the innermost reads of the data spaces that are not plain;
    // the compute cycles; per data space its energy in its own order (-1: not evaluated).
    double fixed = 0, cycles = 0;
    std::vector<double> ds_energy;
  };

  // Evaluates the tiling with, for each plain data space (every rank a single dimension),
  // the loop order that puts the loops irrelevant to it innermost at every level (the
  // order that minimises its traffic), and sums: MAC energy + leakage at the compute-bound
  // cycles + per plain data space its energy in its own order + per other data space 0.
  // For the other data spaces (sliding windows): the reads at the innermost level that
  // keeps them, one per MAC in any order. Cycles are bounded by the compute cycles (no order changes them); EDP multiplies both.
  // Stops evaluating as soon as the bounds cut `incumbent` (cuts(); the data spaces not yet
  // evaluated count as 0, which keeps it a bound; empty: never). `hint` (per thread; may be
  // null): the data space whose order decided the last cut, evaluated first.
  // `extra`: energy the caller knows every order of the tiling spends beyond these terms
  // (the fills of the data spaces that are not plain, PartialBound), added to the fixed part.
  Result operator()(const MapPoint& tiling, Evaluator& ev, Mapping& scratch,
                    const std::vector<double>& incumbent = {}, int* hint = nullptr,
                    double extra = 0) const;

  [[nodiscard]] bool plain(int ds) const { return rel_.plain[static_cast<std::size_t>(ds)] != 0; }

  // The order used for data space ds (exposed for the tests): every level's free temporal
  // loops, the ones irrelevant to ds first (innermost), each group in dimension order.
  void order_for(MapPoint& p, int ds) const;

 private:
  const Workload& w_;
  const MapSpace& space_;
  std::vector<Metric> metrics_;
  Relevance rel_;
  static double innermost_reads(const Evaluation& e, const Evaluator& ev, int ds);
};

}  // namespace loopsim::detail
