#include "loopsim/mapping/mapping.hpp"

namespace loopsim {

LoopNest build_loop_nest(const Mapping& mapping, const Workload& workload) {
  LoopNest nest;
  build_loop_nest(mapping, workload, nest);
  return nest;
}

namespace {

std::uint32_t mask_of(const std::vector<bool>& flags) {
  std::uint32_t m = 0;
  for (std::size_t pv = 0; pv < flags.size(); ++pv)
    if (flags[pv]) m |= 1u << pv;
  return m;
}

}  // namespace

void build_loop_nest(const Mapping& mapping, const Workload& workload, LoopNest& nest) {
  nest.loops.clear();
  nest.boundaries.clear();
  nest.no_temporal_reuse.clear();
  nest.no_multicast.clear();
  for (const auto& level : mapping.levels) {
    nest.no_temporal_reuse.push_back(mask_of(level.no_temporal_reuse));
    nest.no_multicast.push_back(mask_of(level.no_multicast));
    for (const auto& l : level.spatial)
      if (!l.trivial()) nest.loops.push_back(l);
    std::size_t before = nest.loops.size();
    for (const auto& l : level.temporal)
      if (!l.trivial()) nest.loops.push_back(l);
    if (nest.loops.size() == before) {
      Loop t;
      t.dim = workload.num_dims() - 1;
      nest.loops.push_back(t);
    }
    nest.boundaries.push_back(static_cast<int>(nest.loops.size()) - 1);
  }
}

std::array<std::int64_t, kMaxDims> mapped_extent(const Mapping& mapping) {
  // Extent = 1 + sum over loops of (iterations below it) * (residual_end - 1).
  std::array<std::int64_t, kMaxDims> scale{}, extent{};
  scale.fill(1);
  extent.fill(1);
  auto visit = [&](const Loop& l) {
    extent[l.dim] += scale[l.dim] * (l.residual_end - 1);
    scale[l.dim] *= l.end;
  };
  for (const auto& level : mapping.levels) {
    for (const auto& l : level.spatial) visit(l);
    for (const auto& l : level.temporal) visit(l);
  }
  return extent;
}

std::string describe_loop(const Loop& loop, const Workload& workload) {
  std::string s = "for " + workload.dims[loop.dim] + " in [0:" + std::to_string(loop.end);
  if (loop.residual_end != loop.end) s += "," + std::to_string(loop.residual_end);
  s += ")";
  if (loop.spacetime == Spacetime::SpaceX) s += " (Spatial-X)";
  if (loop.spacetime == Spacetime::SpaceY) s += " (Spatial-Y)";
  return s;
}

}  // namespace loopsim
