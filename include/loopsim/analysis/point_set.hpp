// Axis-aligned hyper-rectangles (AAHRs) of tensor coordinates, with Timeloop's set
// difference semantics (a "gradient" remembers the direction a tile slides in; a change of
// direction discards the residual), and operation spaces (one AAHR per data space).
#pragma once

#include <array>
#include <cstdint>

#include "loopsim/workload/workload.hpp"

namespace loopsim {

using Coord = std::int32_t;  // as Timeloop

class Aahr {
 public:
  Aahr() = default;
  explicit Aahr(int order) : order_(order) {}

  [[nodiscard]] int order() const { return order_; }
  [[nodiscard]] std::int64_t size() const;
  [[nodiscard]] bool empty() const { return size() == 0; }
  void reset();
  // Box [lo, hi) per rank.
  void set(int rank, Coord lo, Coord hi) {
    min_[rank] = lo;
    max_[rank] = hi;
  }
  [[nodiscard]] Coord lo(int rank) const { return min_[rank]; }
  [[nodiscard]] Coord hi(int rank) const { return max_[rank]; }

  // Grows this set to include a unit point (extruding when discontiguous).
  void add_point(const std::array<Coord, kMaxRanks>& p);
  // In-place set difference (Timeloop's AAHR rule; see docs/cost-model.md).
  void subtract(const Aahr& s);
  [[nodiscard]] bool same_box(const Aahr& o) const;
  // Translation from this set to `s` (s.min - min).
  [[nodiscard]] std::array<Coord, kMaxRanks> translation_to(const Aahr& s) const;
  void translate(const std::array<Coord, kMaxRanks>& t);

 private:
  int order_ = 0;
  std::array<Coord, kMaxRanks> min_{}, max_{};
};

// Points of each data space touched by a set of operations.
class OperationSpace {
 public:
  OperationSpace() = default;
  explicit OperationSpace(const Workload& w);
  // All operations between low and high (both inclusive), projected to each data space.
  OperationSpace(const Workload& w, const std::array<Coord, kMaxDims>& low,
                 const std::array<Coord, kMaxDims>& high);

  void add_point(const Workload& w, const std::array<Coord, kMaxDims>& op);
  [[nodiscard]] Aahr& data_space(int d) { return spaces_[d]; }
  [[nodiscard]] const Aahr& data_space(int d) const { return spaces_[d]; }
  [[nodiscard]] std::int64_t size(int d) const { return spaces_[d].size(); }
  [[nodiscard]] int count() const { return count_; }

 private:
  int count_ = 0;
  std::array<Aahr, kMaxDataSpaces> spaces_{};
};

}  // namespace loopsim
