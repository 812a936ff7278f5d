// Nest analysis: walks the loop nest the way Timeloop's NestAnalysis does (delta
// computation with temporal and spatial extrapolation) and reports, per loop and data
// space, the working-set size and the accesses made by the inner level, with their
// multicast/scatter signature. Tiling (tiling.hpp) then collapses these per storage level.
#pragma once

#include <cstdint>
#include <boost/container/small_vector.hpp>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "loopsim/mapping/mapping.hpp"

namespace loopsim {

struct AccessStat {
  std::uint64_t multicast = 1, scatter = 1;  // the key
  std::uint64_t accesses = 0;
  double hops = 0.0;
};

// Accesses keyed by (multicast factor, scatter factor), in increasing key order. Few keys
// are ever present, so they are kept inline.
struct AccessStatMatrix {
  boost::container::small_vector<AccessStat, 4> stats;

  [[nodiscard]] std::uint64_t total_accesses() const;
  [[nodiscard]] std::uint64_t weighted_accesses() const;  // sum of accesses * multicast
  void accumulate(const AccessStatMatrix& other);
  AccessStat& at(std::uint64_t multicast, std::uint64_t scatter);
  void clear() { stats.clear(); }
};

// One analysed loop (temporal loops and master spatial loops only), for one data space.
struct LoopTile {
  std::uint64_t size = 0;  // max working set of this loop's tile
  AccessStatMatrix access_stats;
  std::uint64_t link_transfers = 0;
  // access_stats' accesses and link_transfers are sums over this many sampled instances
  // (the walk's live states; 1 in the closed form): their average is sum / samples.
  std::uint64_t samples = 1;
  // Spatial instances above this loop (averaged over the outer iterations, rounded down,
  // when a spatial factor is imperfect).
  std::uint64_t replication_factor = 1;
  std::uint64_t fanout = 1;              // spatial fan-out of this loop (master spatial)
  bool on_storage_boundary = false;
  bool master_spatial = false;
  // This loop, plus the slave spatial loops of a master: loops [first_loop, loop] of the nest.
  int first_loop = 0, loop = 0;
};

struct NestAnalysisResult {
  std::vector<std::vector<LoopTile>> tiles;  // [data space][analysed loop], innermost first
  // Operations per arithmetic instance: compute_accesses / compute_samples (a sum over the
  // sampled instances; the closed form gives samples 1).
  std::uint64_t compute_accesses = 0;
  std::uint64_t compute_samples = 1;
  std::uint64_t compute_replication = 1;  // arithmetic instances used
  // Per storage level: fan-out sizes of the architecture (used for hop counts and links).
};

// fanout_x/fanout_y: per storage level, the architecture's fan-out to the next-inner level.
// word_multicast: the accurate model's multicast by word (docs/cost-model.md §7) instead of
// Timeloop's multicast of identical deltas.
NestAnalysisResult analyze_nest(const Workload& workload, const LoopNest& nest,
                                const std::vector<std::int64_t>& fanout_x,
                                const std::vector<std::int64_t>& fanout_y,
                                bool word_multicast = false);

}  // namespace loopsim
