// Private to analysis/: the spatial instances of a chain of spatial loops, as the closed
// form sees them (closed_form.cpp): each instance's offset, the multicast groups of equal
// offsets, and the offset differences between grid neighbours (for link transfers).
#pragma once

#include <array>
#include <boost/container/small_vector.hpp>
#include <cstdint>
#include <cstring>
#include <utility>
#include <vector>

#include "loopsim/analysis/nest_analysis.hpp"
#include "loopsim/analysis/point_set.hpp"

namespace loopsim::closed_form {

using RankVec = std::array<Coord, kMaxRanks>;
template <typename T, std::size_t N>
using SmallVec = boost::container::small_vector<T, N>;

// Equality without a call to memcmp (this is on the hot path).
inline bool same(const RankVec& a, const RankVec& b) {
  static_assert(sizeof(RankVec) == 3 * sizeof(std::uint64_t));
  std::array<std::uint64_t, 3> x{}, y{};
  std::memcpy(x.data(), a.data(), sizeof(RankVec));
  std::memcpy(y.data(), b.data(), sizeof(RankVec));
  return ((x[0] ^ y[0]) | (x[1] ^ y[1]) | (x[2] ^ y[2])) == 0;
}

inline RankVec minus(const RankVec& a, const RankVec& b) {
  RankVec t{};
  for (int r = 0; r < kMaxRanks; ++r) t[r] = a[r] - b[r];
  return t;
}

// The spatial instances of the chain lo..master, as digits of a mixed-radix linear index
// (master most significant), each digit moving the tile by sigma (data space pv).
struct Chain {
  SmallVec<RankVec, 8> sigma;        // per digit, innermost first
  SmallVec<std::uint64_t, 8> radix;  // per digit
  std::uint64_t count = 1;           // instances
};

// Multicast signature of an invocation: how many groups of instances share one delta box,
// by group size (the multicast factor), in increasing group size.
using Groups = SmallVec<std::pair<std::uint64_t, std::uint64_t>, 4>;  // (size, count)

std::uint64_t group_count(const Groups& g);
// Adds, for each multicast factor m, count_m groups of `size` accesses times `weight`.
void add_groups(AccessStatMatrix& stats, const Groups& groups, std::uint64_t size,
                std::uint64_t weight);
// Groups of equal values among `values`, each group `scale` times larger.
Groups groups_of(std::vector<RankVec> values, std::uint64_t scale);
// Offsets of all instances (by linear index), restricted to the digits in `use`.
std::vector<RankVec> offsets(const Chain& ch, const SmallVec<bool, 8>& use);
// All instances grouped by equal offset.
Groups all_groups(const Chain& ch);
// A superset of the offset differences between grid neighbours (linear index +-1, +-h),
// possibly with repeats.
void neighbour_moves(const Chain& ch, std::uint64_t h, std::uint64_t v,
                     SmallVec<RankVec, 32>& moves);
// Whether `need` may be the offset difference of two distinct instances: need = sum_k e_k
// sigma_k with |e_k| < radix_k. Unlike the differences between grid neighbours this does not
// depend on the order of the digits (of the spatial loops). Errs towards true: for need = 0
// and when the search would be long.
bool offset_difference(const Chain& ch, const RankVec& need);

}  // namespace loopsim::closed_form
