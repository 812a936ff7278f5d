// A lower bound on the metric of every mapping that completes a partial tiling: the keep
// masks chosen and the factorizations of some of the dimensions (the others unknown), for
// the optimal search's branch and bound over the factorization tree (private to
// src/mapper; docs/mapper.md, "Pruning rules of the optimal search", says why each term
// is exact). Evenly dividing factors and Timeloop's model only (not the ruby template, not
// the accurate model).
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "loopsim/energy/energy_table.hpp"
#include "bound.hpp"
#include "loopsim/mapper/search.hpp"

namespace loopsim::detail {

// Whether every element of data space ds's box is used by some operation: no dim appears
// twice and each rank's terms cover its whole range (a stride no longer than its window),
// so each element must be read from the outermost level at least once, and each level's
// instances together hold all of them.
bool dense(const Workload& w, int ds);

class PartialBound {
 public:
  // `compulsory` (per data space): the energy the tiling-independent bound counts for the
  // data space at the outermost level (reads of every element once), as Searcher computes it.
  PartialBound(const Workload& w, const ArchSpec& arch, const EnergyTable& energy,
               const MapSpace& space, std::vector<double> compulsory);

  // Whether the bound applies to the space (its terms hold for evenly dividing factors).
  [[nodiscard]] bool usable() const { return usable_; }

  // `assigned[d]` != 0: dim d's factorization in `p` is chosen; `p.keep` is chosen.
  // Energy (pJ): MACs, the operand accesses at the innermost level keeping each data space,
  // the compulsory traffic, and for each data space whose ranks are single dimensions the
  // fills of every level keeping it and the accesses at the level above that serve them,
  // with the reuse the best loop order could give.
  // `bw_cycles` (may be null): the cycles the levels' bandwidths allow for those fills and
  // accesses (bandwidth_cycles() in the best order).
  [[nodiscard]] double energy(const MapPoint& p, const char* assigned, double* bw_cycles = nullptr) const;
  // The parts of a full tiling's bound that do not depend on the loop order (prepare()),
  // so that order_energy() costs a few operations per order.
  struct OrderTerms {
    // One level c keeping the data space and the next level up keeping it: with `o` the
    // product of the temporal factors at level kstar (the lowest level above c with a loop
    // on a dim the data space uses; the level count when none) of the dims it does not use
    // that lie outside that level's innermost loop on a dim it uses (1 in the best order).
    struct Pair {
      int ds = 0, kstar = 0;
      double fill = 0, fill_off = 0;  // fills of c
      double served = 0, cut = 0;     // reads (updates: read-write data) of the parent
      double read = 0, read_off = 0;  // read-write data: reads of the parent (partial sums back)
      // The same in words per instance of the level (fills at c; at the parent, reads and
      // updates), for the levels' bandwidths.
      int c = 0, par = 0;
      double fill_w = 0, fill_off_w = 0, served_w = 0, read_w = 0, read_off_w = 0;
      [[nodiscard]] double at(double o) const {
        return std::max(0.0, fill * o - fill_off) + std::max(0.0, served * o - cut) +
               std::max(0.0, read * o - read_off);
      }
    };
    std::vector<Pair> pairs;
    std::vector<Pair> settled;  // the pairs no loop order changes (no level k*)
    std::vector<double> base;             // per data space
    // Per data space that is not plain: its terms beyond the reads at the innermost level
    // keeping it (for TilingBound's `extra`, which evaluates those reads itself).
    std::vector<double> beyond_innermost;
    // Per data space that is not plain: the part of its order_energy() at the innermost
    // level keeping it (order_energy() - innermost is its part beyond, in that order).
    std::vector<double> innermost;
    std::vector<std::vector<int>> fixed;  // per level: its constrained temporal dims
    std::vector<double> tf;               // [level * dims + dim]: temporal factors
  };
  void prepare(const MapPoint& tiling, OrderTerms& out) const;
  // Data space ds's share of energy() for the full tiling of prepare() in the loop orders
  // of `p` (the reuse of that order at the level where it matters, not the best order's):
  // a lower bound on the data space's energy in that mapping.
  [[nodiscard]] double order_energy(const OrderTerms& terms, const MapPoint& p, int ds) const;
  // Cycles at least those the levels' specified bandwidths allow for the accesses of the
  // pairs in the loop orders of `p` (`level` >= 0: only that level's order counts, the
  // others as the best); 0 when no level keeping data has a bandwidth. The same as
  // order_energies()'s `bw_cycles`.
  [[nodiscard]] double bandwidth_cycles(const OrderTerms& terms, const MapPoint& p, int level = -1) const;
  [[nodiscard]] bool has_bandwidth() const { return has_bandwidth_; }
  // order_energy() of every data space at once, into `out` (resized). `level` >= 0: only
  // that level's loop order counts (the others as the best order): a bound for every
  // order of the tiling with the same order at that level.
  // `bw_cycles` (may be null): bandwidth_cycles() for the same orders.
  void order_energies(const OrderTerms& terms, const MapPoint& p, std::vector<double>& out,
                      int level = -1, double* bw_cycles = nullptr) const;
  [[nodiscard]] bool plain(int ds) const { return rel_.plain[static_cast<std::size_t>(ds)] != 0; }
  // Leakage of the storage levels, at least (part of energy()).
  [[nodiscard]] double leakage(const MapPoint& p, const char* assigned) const;
  // Cycles: operations over the most PEs the spatial slots can still use.
  [[nodiscard]] double cycles(const MapPoint& p, const char* assigned) const;
  // Capacity with the unknown dims at extent 1 (tiles only grow with them).
  [[nodiscard]] bool fits(const MapPoint& p, const char* assigned) const { return fits_level(p, assigned) < 0; }
  // The innermost level whose tiles do not fit, or -1.
  [[nodiscard]] int fits_level(const MapPoint& p, const char* assigned) const;
  // After factorization `row` of dim d did not fit at `level`: the next factorization of d
  // that differs from it at a slot of that level or below (those in between have the same
  // tiles up to that level, so they do not fit either); the count when none does.
  [[nodiscard]] int skip_unfit(int d, int level, int row) const;
  // Dim d's factorizations grouped by their spatial factors: the group of `row`, from 0 to
  // groups(d) - 1. cycles() of a partial tiling depends on a chosen dim through its group
  // only.
  [[nodiscard]] int group(int d, int row) const {
    return group_[static_cast<std::size_t>(d)][static_cast<std::size_t>(row)];
  }
  [[nodiscard]] int groups(int d) const { return group_count_[static_cast<std::size_t>(d)]; }
  // The bounds per metric (negative: none), for TilingBound::cuts.
  void metrics(const MapPoint& p, const char* assigned, const std::vector<Metric>& m,
               std::vector<double>& out) const;

 private:
  using Table = double[32][kMaxDims];
  template <class Pair>
  double ds_terms(int ds, const int* chain, int n, const Table& tf, const Table& sf,
                  const char* assigned, Pair&& pair) const;
  // The product of the temporal factors at pr.kstar of the dims pr's data space does not
  // use that lie outside that level's innermost loop on one it uses, in p's order.
  double outside(const OrderTerms& t, const OrderTerms::Pair& pr, const MapPoint& p) const;
  // bandwidth_cycles()'s parts: a pair's words at its levels with reuse o; the cycles of
  // those counts.
  void add_words(const OrderTerms::Pair& pr, double o, double* reads, double* writes) const;
  double words_cycles(const double* reads, const double* writes) const;
  // Factors per level and dim of the chosen dims (`assigned` null: all).
  void factor_tables(const MapPoint& p, const char* assigned, Table& tf, Table& sf) const;
  // The operand term of ds when `l0` is the innermost level keeping it (`assigned` null:
  // every dim chosen).
  double operand_term(int ds, int l0, const Table& sf, const char* assigned) const;
  // The levels that keep ds under p.keep, innermost first; returns their count.
  int chain_of(const MapPoint& p, int ds, int* chain) const;
  const Workload& w_;
  const ArchSpec& arch_;
  const EnergyTable& energy_;
  const MapSpace& space_;
  std::vector<double> compulsory_;
  bool usable_ = true;
  bool has_bandwidth_ = false;

  int nlev_ = 0, ndim_ = 0, nds_ = 0;
  Relevance rel_;
  std::vector<char> dense_;                 // per data space: dense()
  std::vector<int> slot_level_;             // per slot
  std::vector<char> slot_spatial_;          // per slot
  std::vector<std::vector<std::int64_t>> max_factor_;  // [dim][slot] over its factorizations
  std::vector<std::vector<double>> most_below_;  // [level][dim]
  std::vector<std::vector<double>> spatial_most_;  // [level][dim]: largest spatial product at or below
  std::vector<int> last_slot_;  // per level: the last slot at that level or below (-1: none)
  std::vector<std::vector<std::vector<int>>> next_differing_;  // [dim][slot][row]
  std::vector<std::vector<int>> group_;      // [dim][row]: group()
  std::vector<int> group_count_;             // [dim]: groups()
};

}  // namespace loopsim::detail
