#include "loopsim/explore/pareto.hpp"

#include <cstddef>

namespace loopsim::explore {

namespace {
bool dominates(const std::vector<double>& a, const std::vector<double>& b) {
  bool strictly = false;
  for (std::size_t k = 0; k < a.size(); ++k) {
    if (a[k] > b[k]) return false;
    if (a[k] < b[k]) strictly = true;
  }
  return strictly;
}
}  // namespace

std::vector<int> pareto_front(const std::vector<std::vector<double>>& costs) {
  std::vector<int> out;
  for (std::size_t i = 0; i < costs.size(); ++i) {
    bool dominated = false;
    for (std::size_t j = 0; j < costs.size() && !dominated; ++j)
      dominated = j != i && dominates(costs[j], costs[i]);
    if (!dominated) out.push_back(static_cast<int>(i));
  }
  return out;
}

}  // namespace loopsim::explore
