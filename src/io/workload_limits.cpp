// The workload's numeric limits (docs/formats.md, Limits): every coordinate a data space
// reaches fits the analysis' 32-bit coordinates, and no access count can exceed 2^62.
#include <algorithm>

#include "io_internal.hpp"
#include "loopsim/core/limits.hpp"

namespace loopsim::io {

namespace {

std::int64_t abs64(std::int64_t v) { return v < 0 ? -v : v; }

// min(a * b, cap) for non-negative a and b.
std::int64_t saturating_mul(std::int64_t a, std::int64_t b, std::int64_t cap) {
  auto p = limits::checked_mul(a, b);
  return !p || *p > cap ? cap : *p;
}

std::string rank_text(const Workload& w, const std::vector<ProjectionTerm>& rank) {
  std::string s;
  for (const auto& t : rank) {
    if (!s.empty()) s += " + ";
    s += w.dims[static_cast<std::size_t>(t.dim)];
    if (t.coeff >= 0) s += "*" + w.coeff_names[static_cast<std::size_t>(t.coeff)];
  }
  return s;
}

}  // namespace

void check_workload_limits(const Workload& w, const WorkloadPlaces& at) {
  const std::int64_t cap = limits::kMaxAccesses;
  // Coordinates: per rank, the sum of |coefficient| * (bound - 1) over its terms.
  for (const auto& ds : w.data_spaces) {
    for (std::size_t r = 0; r < ds.projection.size(); ++r) {
      std::int64_t reach = 0, widest = -1;
      const Cursor* place = &at.instance;
      for (const auto& t : ds.projection[r]) {
        std::int64_t c = abs64(w.coefficient(t.coeff));
        std::int64_t term = saturating_mul(c, w.bounds[static_cast<std::size_t>(t.dim)] - 1, cap);
        reach = std::min(cap, reach + term);
        if (term > widest) {
          widest = term;
          const auto& b = at.bounds[static_cast<std::size_t>(t.dim)];
          const auto* k = t.coeff >= 0 ? &at.coefficients[static_cast<std::size_t>(t.coeff)]
                                       : nullptr;
          // The larger of the bound and the coefficient, where written; else the instance.
          bool coeff_first = k && *k && (c > w.bounds[static_cast<std::size_t>(t.dim)] - 1 || !b);
          place = coeff_first ? &**k : b ? &*b : &at.instance;
        }
      }
      if (reach > limits::kMaxCoordinate)
        place->fail("data space '" + ds.name + "' rank " + std::to_string(r) + " (" +
                    rank_text(w, ds.projection[r]) + ") reaches coordinate " +
                    (reach >= cap ? "2^62 or more" : std::to_string(reach)) +
                    " with these bounds and coefficients; loopsim's coordinates are 32-bit: "
                    "at most " + limits::describe(limits::kMaxCoordinate) +
                    " (docs/formats.md, Limits)");
    }
  }
  // Access counts: at most operations times the widest reach of one operation into a tensor
  // (per rank the sum of |coefficients|, and a dimension used by several ranks counts again).
  std::int64_t ops = 1;
  for (auto b : w.bounds) ops = saturating_mul(ops, b, cap);
  std::int64_t widest = 1;
  std::string widest_name;
  for (const auto& ds : w.data_spaces) {
    std::int64_t blowup = 1;
    std::vector<int> uses(w.dims.size(), 0);
    for (const auto& rank : ds.projection) {
      std::int64_t sum = 0;
      for (const auto& t : rank) {
        sum = std::min(cap, sum + abs64(w.coefficient(t.coeff)));
        if (uses[static_cast<std::size_t>(t.dim)]++ > 0)
          blowup = saturating_mul(blowup, w.bounds[static_cast<std::size_t>(t.dim)], cap);
      }
      blowup = saturating_mul(blowup, std::max<std::int64_t>(1, sum), cap);
    }
    if (blowup > widest) {
      widest = blowup;
      widest_name = ds.name;
    }
  }
  if (saturating_mul(ops, widest, cap) >= cap) {
    std::string why = ops >= cap ? "2^62 or more operations (the product of the bounds)"
                                 : std::to_string(ops) + " operations (the product of the bounds)";
    if (widest > 1)
      why += " times a reach of " + std::to_string(widest) + " elements per operation into '" +
             widest_name + "'";
    at.instance.fail("the workload is too large: " + why +
                     " could make access counts of 2^62 or more, beyond what loopsim counts "
                     "exactly (docs/formats.md, Limits)");
  }
}

}  // namespace loopsim::io
