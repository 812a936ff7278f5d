// Imperfect factors: the utilized spatial instances and cycles of a nest with residual loops
// (Timeloop 0fc43fb nest-analysis.cpp, the utilized product and max_temporal_iterations).
#include "loopsim/analysis/residual.hpp"

namespace loopsim {

bool has_residual(const LoopNest& nest) {
  for (const auto& l : nest.loops)
    if (l.end != l.residual_end) return true;
  return false;
}

namespace {

// Iterations of the loops of `dim` above loop `below` (outermost first): a loop of end e and
// residual r under o such iterations runs r + e * (o - 1) of them.
std::int64_t outer_iterations(const LoopNest& nest, int below, int dim, bool& found) {
  std::int64_t outer = 1;
  found = false;
  for (int l = static_cast<int>(nest.loops.size()) - 1; l > below; --l) {
    const Loop& o = nest.loops[l];
    if (o.dim != dim) continue;
    outer = o.residual_end + o.end * (outer - 1);
    found = true;
  }
  return outer;
}

}  // namespace

std::vector<Ratio> utilized_spatial_elems(const LoopNest& nest) {
  const int n = static_cast<int>(nest.loops.size());
  std::vector<Ratio> out(static_cast<std::size_t>(n));
  Ratio product = Ratio::whole(1);
  for (int cur = n - 1; cur >= 0; --cur) {
    out[cur] = product;
    const Loop& l = nest.loops[cur];
    if (!l.spatial()) continue;
    if (l.end == l.residual_end) {
      product.num *= l.end;
      continue;
    }
    bool found = false;
    std::int64_t outer = outer_iterations(nest, cur, l.dim, found);
    if (!found) continue;  // residual_problem() rejects such nests
    product = Ratio(product.num * (l.residual_end + l.end * (outer - 1)), product.den * outer);
    product.reduce();
  }
  return out;
}

std::uint64_t max_temporal_iterations(const LoopNest& nest) {
  std::uint64_t p = 1;
  for (const auto& l : nest.loops)
    if (!l.spatial()) p *= static_cast<std::uint64_t>(l.end);
  return p;
}

std::optional<std::string> residual_problem(const LoopNest& nest, const Workload& workload) {
  for (int cur = 0; cur < static_cast<int>(nest.loops.size()); ++cur) {
    const Loop& l = nest.loops[cur];
    if (!l.spatial() || l.end == l.residual_end) continue;
    bool found = false;
    (void)outer_iterations(nest, cur, l.dim, found);
    if (!found)
      return "the spatial factor " + workload.dims[l.dim] + "=" + std::to_string(l.end) + "," +
             std::to_string(l.residual_end) + " has a residual but no loop of " +
             workload.dims[l.dim] +
             " above it (Timeloop: outermost loop of a dimension imperfectly factorized)";
  }
  return std::nullopt;
}

}  // namespace loopsim
