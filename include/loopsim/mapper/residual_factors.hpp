// Imperfect (residual) factorizations of one dimension over the mapspace's slots: Timeloop's
// "ruby" mapspace template (docs/mapper.md, Mapspace). A factorization is a factor per slot
// (innermost first) and, when some factor is imperfect, a residual per slot: the iterations
// of that loop on the last global iteration of its dimension (Timeloop's `Q=7,6`).
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <vector>

#include "loopsim/mapper/constraints.hpp"

namespace loopsim {

// The divisors of n in increasing order, by trial division up to sqrt(n) (a prime bound
// near 2^31 takes about 46,000 steps, not two billion).
std::vector<std::int64_t> divisors(std::int64_t n);

// What one slot of a dimension may take.
struct ResidualSlot {
  FactorRange range;  // bounds both the factor and the residual (Timeloop prunes both)
  // Whether the factor may be imperfect here (a `remainders` constraint on the slot's
  // Timeloop tiling level); then the factor is also at most `max_factor` (its value).
  bool imperfect = false;
  std::int64_t max_factor = std::numeric_limits<std::int64_t>::max();
};

// Every exact tiling of `bound` over the slots, appended to `out` in increasing lexicographic
// order of the factors (innermost slot first). A row is k = slots.size() factors e_i, followed,
// only when some residual r_i differs from its factor, by the k residuals. Rules (Timeloop's
// ResidualFactors, Ruby, ISPASS 2022):
//   - 1 <= r_i <= e_i, and r_i = e_i where the slot is not imperfect;
//   - the tiling covers the dimension exactly: 1 + sum_i (r_i - 1) * prod_{j<i} e_j = bound;
//   - the outermost non-trivial loop is perfect and nothing above it iterates (the residual
//     of an outermost loop is its only trip count; a larger factor there would only add
//     cycles in Timeloop's model, or be rejected when spatial).
// So r_i - 1 are the mixed-radix digits of bound - 1 in the bases e_i: given the factors, the
// residuals follow. With no imperfect slot the rows are the perfect factorizations, in the
// same order as before. Returns false (and leaves `out` partial) when `limit` rows would be
// exceeded or `abort` returns true (polled now and then).
bool residual_factorizations(std::int64_t bound, const std::vector<ResidualSlot>& slots,
                             std::vector<std::vector<std::int64_t>>& out,
                             std::size_t limit = std::numeric_limits<std::size_t>::max(),
                             const std::function<bool()>& abort = {});

// The residual of a factorization row at a slot (its factor when the row is perfect).
inline std::int64_t row_residual(const std::vector<std::int64_t>& row, std::size_t k,
                                 std::size_t slot) {
  return row.size() > k ? row[k + slot] : row[slot];
}

}  // namespace loopsim
