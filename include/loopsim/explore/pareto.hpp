// The Pareto front of a set of points over objectives that are all minimized.
#pragma once

#include <vector>

namespace loopsim::explore {

// Indices (ascending) of the rows of `costs` that no other row dominates. Dominance is exact:
// `a` dominates `b` when a <= b in every objective and a < b in one; rows equal in every
// objective do not dominate each other, so ties on the front are all kept.
std::vector<int> pareto_front(const std::vector<std::vector<double>>& costs);

}  // namespace loopsim::explore
