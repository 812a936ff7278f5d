// timeloopfe's maximize_dims constraint macro: after every constraint is read, each
// maximize_dims list gets the largest factors that fit in the capacity (a spatial
// constraint's fan-out, or maximize_dims_capacity), spatial constraints first, innermost
// level first, as timeloopfe's ConstraintMacroProcessor does. The result is an exact factor
// constraint (D=n) per listed dimension.
#include <cmath>
#include <limits>

#include "io_internal.hpp"
#include "loopsim/core/text.hpp"

namespace loopsim::io {

namespace {

struct Allocation {
  std::vector<std::pair<int, std::int64_t>> factors;  // (dimension, factor), in order
  double utilization = 1;
};

std::vector<std::int64_t> distinct_primes(std::int64_t x) {
  std::vector<std::int64_t> out;
  for (std::int64_t p = 2; p * p <= x; ++p) {
    if (x % p != 0) continue;
    out.push_back(p);
    while (x % p == 0) x /= p;
  }
  if (x > 1) out.push_back(x);
  return out;
}

// The greedy search of timeloopfe: either one dimension takes an imperfect share of the
// whole capacity, or a prime factor of one dimension is taken and the rest is searched with
// the capacity divided by it; the best utilization of the capacity wins (first found on ties).
Allocation greedy_allocate(std::vector<std::pair<int, std::int64_t>> todo, std::int64_t capacity) {
  Allocation best;
  if (capacity <= 1) return best;
  for (std::size_t i = 0; i < todo.size(); ++i) {
    auto [dim, v] = todo[i];
    if (v > capacity) {
      std::int64_t steps = (v + capacity - 1) / capacity;
      std::int64_t share = (v + steps - 1) / steps;
      std::int64_t remainder = v % share;
      double util =
          static_cast<double>(share * (steps - 1) + remainder) / static_cast<double>(steps);
      if (util > best.utilization) best = Allocation{{{dim, share}}, util};
    }
    for (std::int64_t p : distinct_primes(v)) {
      if (p > capacity) continue;
      auto rest = todo;
      rest[i].second /= p;
      Allocation sub = greedy_allocate(rest, capacity / p);
      double util = sub.utilization * static_cast<double>(p);
      if (util > best.utilization) {
        best.utilization = util;
        best.factors = {{dim, p}};
        best.factors.insert(best.factors.end(), sub.factors.begin(), sub.factors.end());
      }
    }
  }
  return best;
}

std::vector<std::vector<Cursor>> dim_lists(const Cursor& c) {
  std::vector<std::vector<Cursor>> out;
  if (c.is_scalar()) return {{c}};
  std::vector<Cursor> items = c.items();
  bool nested = !items.empty() && items.front().is_seq();
  for (const auto& it : items)
    if (it.is_seq() != nested)
      it.fail("expected a list of dimensions or a list of lists of dimensions, not a mix");
  if (!nested) return {items};
  for (const auto& it : items) out.push_back(it.items());
  return out;
}

}  // namespace

void apply_maximize_dims(const std::vector<MaximizeDims>& requests, const Workload& w,
                         const ArchSpec& arch, Constraints& out) {
  if (requests.empty()) return;
  constexpr auto kNoMax = std::numeric_limits<std::int64_t>::max();
  // What is left of each dimension after every exact factor constraint.
  std::vector<std::int64_t> left(w.bounds.begin(), w.bounds.end());
  for (const auto& lc : out.levels)
    for (const auto* ranges : {&lc.temporal, &lc.spatial})
      for (int d = 0; d < w.num_dims(); ++d) {
        const FactorRange& r = (*ranges)[static_cast<std::size_t>(d)];
        if (r.min == r.max) left[d] = (left[d] + r.min - 1) / r.min;
      }
  std::vector<const MaximizeDims*> order;
  for (bool spatial : {true, false})
    for (int l = 0; l < arch.num_storage_levels(); ++l)
      for (const auto& r : requests)
        if (r.spatial == spatial && r.level == l) order.push_back(&r);
  for (const MaximizeDims* req : order) {
    auto& lc = out.levels[static_cast<std::size_t>(req->level)];
    auto& ranges = req->spatial ? lc.spatial : lc.temporal;
    std::int64_t start = 0;
    if (req->capacity)
      start = req->capacity->positive_integer();
    else if (req->spatial)
      start = arch.fanout(req->level);
    else
      req->dims.fail(
          "a temporal maximize_dims needs maximize_dims_capacity (the product of "
          "the factors it may reach)");
    for (const auto& list : dim_lists(req->dims)) {
      std::int64_t capacity = start;
      for (const auto& r : ranges) capacity /= std::max<std::int64_t>(1, r.min);
      std::vector<std::pair<int, std::int64_t>> todo;
      for (const auto& c : list) {
        std::string name = c.str();
        int d = w.dim_index(name);
        if (d < 0)
          c.fail("unknown dimension '" + name + "'" + did_you_mean(name, w.dims) +
                 "; dimensions are: " + join(w.dims));
        const FactorRange& r = ranges[static_cast<std::size_t>(d)];
        if (r.min > 1 || r.max != kNoMax)
          c.fail("cannot maximize dimension " + name +
                 ": this constraint already gives it a "
                 "factor");
        todo.emplace_back(d, left[d]);
      }
      Allocation a = greedy_allocate(todo, capacity);
      for (const auto& [d, v] : todo) {
        (void)v;
        std::int64_t f = 1;
        for (const auto& [ad, af] : a.factors)
          if (ad == d) f *= af;
        ranges[static_cast<std::size_t>(d)] = FactorRange{f, f};
        left[d] = (left[d] + f - 1) / f;
      }
    }
  }
}

}  // namespace loopsim::io
