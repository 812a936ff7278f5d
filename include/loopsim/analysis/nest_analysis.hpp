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
  void divide(std::uint64_t divisor);
  AccessStat& at(std::uint64_t multicast, std::uint64_t scatter);
  void clear() { stats.clear(); }
};

// One analysed loop (temporal loops and master spatial loops only), for one data space.
struct LoopTile {
  std::uint64_t size = 0;  // max working set of this loop's tile
  AccessStatMatrix access_stats;
  std::uint64_t link_transfers = 0;
  std::uint64_t replication_factor = 1;  // spatial instances above this loop
  std::uint64_t fanout = 1;              // spatial fan-out of this loop (master spatial)
  bool on_storage_boundary = false;
  bool master_spatial = false;
  // This loop, plus the slave spatial loops of a master: loops [first_loop, loop] of the nest.
  int first_loop = 0, loop = 0;
};

struct NestAnalysisResult {
  std::vector<std::vector<LoopTile>> tiles;  // [data space][analysed loop], innermost first
  std::uint64_t compute_accesses = 0;        // operations per arithmetic instance
  std::uint64_t compute_replication = 1;     // arithmetic instances used
  // Per storage level: fan-out sizes of the architecture (used for hop counts and links).
};

// fanout_x/fanout_y: per storage level, the architecture's fan-out to the next-inner level.
NestAnalysisResult analyze_nest(const Workload& workload, const LoopNest& nest,
                                const std::vector<std::int64_t>& fanout_x,
                                const std::vector<std::int64_t>& fanout_y);

// The same result computed in closed form (closed_form.cpp) when every loop divides its
// dimension evenly (end == residual_end). Hop counts are not computed (they are 0): no
// figure of the model uses them. One analyzer serves many nests of one workload (which must
// outlive it) and keeps its buffers between calls; run() returns false, leaving `out`
// alone, for imperfect factors.
class ClosedFormAnalyzer {
 public:
  explicit ClosedFormAnalyzer(const Workload& workload);
  ~ClosedFormAnalyzer();
  ClosedFormAnalyzer(ClosedFormAnalyzer&&) noexcept;
  ClosedFormAnalyzer& operator=(ClosedFormAnalyzer&&) noexcept;
  bool run(const LoopNest& nest, const std::vector<std::int64_t>& fanout_x,
           const std::vector<std::int64_t>& fanout_y, NestAnalysisResult& out);

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

// One nest (nullopt for imperfect factors).
std::optional<NestAnalysisResult> analyze_nest_closed_form(
    const Workload& workload, const LoopNest& nest, const std::vector<std::int64_t>& fanout_x,
    const std::vector<std::int64_t>& fanout_y);

}  // namespace loopsim
