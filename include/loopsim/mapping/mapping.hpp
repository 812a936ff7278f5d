// A mapping: per storage level, the temporal loops, the spatial loops that fan out to the
// next-inner level, and which data spaces the level keeps. And the loop nest built from it.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "loopsim/arch/arch_spec.hpp"
#include "loopsim/workload/workload.hpp"

namespace loopsim {

enum class Spacetime : std::uint8_t { Time, SpaceX, SpaceY };

struct Loop {
  int dim = 0;
  std::int64_t end = 1;           // iterations (the loop's factor)
  std::int64_t residual_end = 1;  // iterations on the last global iteration (imperfect factors)
  Spacetime spacetime = Spacetime::Time;
  [[nodiscard]] bool spatial() const { return spacetime != Spacetime::Time; }
  [[nodiscard]] bool trivial() const { return end <= 1; }
};

struct LevelMapping {
  std::vector<Loop> temporal;  // innermost first; trivial loops omitted
  std::vector<Loop> spatial;   // innermost first; trivial loops omitted
  std::vector<bool> keep;      // per data space
  // Timeloop's loop-nest modifiers, per data space (empty: none). no_temporal_reuse: the
  // level's tile is moved whole every time the loops above it advance (no reuse of what it
  // held in the previous iteration); no_multicast: the level's fan-out to the next-inner
  // level neither multicasts (read-only data) nor reduces spatially (read-write data).
  std::vector<bool> no_temporal_reuse;
  std::vector<bool> no_multicast;
};

struct Mapping {
  std::vector<LevelMapping> levels;  // per storage level, innermost first
};

// Timeloop's flat loop nest: loops innermost first; boundaries[l] is the index of the
// outermost loop of storage level l. Each level block is [spatial loops, temporal loops]
// (spatial inner) and has at least one temporal loop (a trivial one when none is mapped).
struct LoopNest {
  std::vector<Loop> loops;
  std::vector<int> boundaries;
  // Per storage level, bit pv set: the modifiers of LevelMapping for data space pv.
  std::vector<std::uint32_t> no_temporal_reuse, no_multicast;
};

LoopNest build_loop_nest(const Mapping& mapping, const Workload& workload);
void build_loop_nest(const Mapping& mapping, const Workload& workload, LoopNest& out);

// Iterations covered along each dimension by the mapping (imperfect factors included).
std::array<std::int64_t, kMaxDims> mapped_extent(const Mapping& mapping);

// Human-readable loop, e.g. "for C in [0:4)" or "for Q in [0:14) (Spatial-X)".
std::string describe_loop(const Loop& loop, const Workload& workload);

}  // namespace loopsim
