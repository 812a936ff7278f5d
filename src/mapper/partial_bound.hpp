// A lower bound on the metric of every mapping that completes a partial tiling: the keep
// masks chosen and the factorizations of some of the dimensions (the others unknown), for
// the optimal search's branch and bound over the factorization tree (private to
// src/mapper; docs/mapper.md, "Pruning rules of the optimal search", says why each term
// is exact). Evenly dividing factors and Timeloop's model only (not the ruby template, not
// the accurate model).
#pragma once

#include <cstdint>
#include <vector>

#include "loopsim/energy/energy_table.hpp"
#include "loopsim/mapper/search.hpp"

namespace loopsim::detail {

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
  [[nodiscard]] double energy(const MapPoint& p, const char* assigned) const;
  // Data space ds's share of energy() for a full mapping in its own loop orders (the reuse
  // of that order at the level where it matters, not the best order's): a lower bound on
  // the data space's energy in that mapping.
  [[nodiscard]] double order_energy(const Mapping& m, int ds) const;
  [[nodiscard]] bool plain(int ds) const { return plain_[static_cast<std::size_t>(ds)] != 0; }
  // Cycles: operations over the most PEs the spatial slots can still use.
  [[nodiscard]] double cycles(const MapPoint& p, const char* assigned) const;
  // Capacity with the unknown dims at extent 1 (tiles only grow with them).
  [[nodiscard]] bool fits(const MapPoint& p, const char* assigned) const;
  // The bounds per metric (negative: none), for TilingBound::cuts.
  void metrics(const MapPoint& p, const char* assigned, const std::vector<Metric>& m,
               std::vector<double>& out) const;

 private:
  using Table = double[32][kMaxDims];
  template <class Outside>
  double ds_energy(int ds, const int* chain, int n, const Table& tf, const Table& sf,
                   Outside&& outside) const;
  const Workload& w_;
  const ArchSpec& arch_;
  const EnergyTable& energy_;
  const MapSpace& space_;
  std::vector<double> compulsory_;
  bool usable_ = true;
  int nlev_ = 0, ndim_ = 0, nds_ = 0;
  std::vector<char> plain_;                 // per data space: every rank one dim
  std::vector<std::vector<char>> relevant_;  // [ds][dim]
  std::vector<int> slot_level_;             // per slot
  std::vector<char> slot_spatial_;          // per slot
  std::vector<std::vector<std::int64_t>> max_factor_;  // [dim][slot] over its factorizations
};

}  // namespace loopsim::detail
