// Tiling: collapses the per-loop tiles of the nest analysis into one record per storage
// level and data space, applies bypass (keep masks), and derives reads, fills, updates and
// temporal reductions (Timeloop's CollapseTiles with first-read elision).
#pragma once

#include <cstdint>
#include <vector>

#include "loopsim/analysis/nest_analysis.hpp"
#include "loopsim/core/ratio.hpp"

namespace loopsim {

struct DataMovement {
  std::uint64_t size = 0;            // utilized capacity (working set), 0 when bypassed
  std::uint64_t partition_size = 0;  // share of the tensor held across this level's partition
  AccessStatMatrix access_stats;     // accesses by the inner level, by multicast/scatter
  // access_stats, content_accesses and link_transfers are sums over `samples` instances;
  // the per-instance figure is sum / samples (docs/cost-model.md, "Imperfect factors").
  std::uint64_t content_accesses = 0;
  std::uint64_t link_transfers = 0;
  std::uint64_t samples = 1;
  std::uint64_t replication_factor = 0;  // instances holding a copy (spatial above)
  std::uint64_t fanout = 0;
  std::uint64_t partition_fraction_denominator = 0;
  Ratio content;  // content_accesses / samples, exact (bypass rescales it: finish_levels)
  Ratio parent_access_share;
  Ratio peer_accesses, peer_fills;
  std::uint64_t reads = 0, fills = 0, updates = 0, temporal_reductions = 0;
  // Loops of this level: [first_loop, last_loop] of the nest (empty when first > last).
  int first_loop = 0, last_loop = -1;

  // Zeroes what finish_levels() derives (and the denominator the next level sets).
  void reset_derived() {
    partition_size = partition_fraction_denominator = 0;
    content = parent_access_share = peer_accesses = peer_fills = Ratio();
    reads = fills = updates = temporal_reductions = 0;
  }
};

struct CollapsedNest {
  std::vector<std::vector<DataMovement>> data;  // [data space][storage level]
  std::uint64_t compute_accesses = 0;  // sum over compute_samples arithmetic instances
  std::uint64_t compute_samples = 1;
  std::uint64_t compute_replication = 1;
  // Per storage level: 1 when another order of its spatial loops within an axis (so other
  // instances as grid neighbours) may change the numbers, through link transfers. The closed
  // form leaves 0 where no invocation's data can be held by another instance of the level's
  // fan-out in any order, and where the level has one spatial loop; the walk sets 1.
  std::vector<char> link_order_sensitive;
  std::vector<bool> mask_scratch;  // work buffer
};

// The per-level records as the nest analysis gives them: size, accesses by the inner
// level, link transfers, replication, fan-out, loops and partition denominators (the
// closed form writes the same records directly: ClosedFormAnalyzer::run_levels).
void gather_levels(const NestAnalysisResult& analysis, int num_storage_levels,
                   CollapsedNest& out);
// Applies bypass (the mapping's keep masks) and derives partition sizes, parent access
// shares, peer accesses, reads, fills, updates and temporal reductions.
void finish_levels(const Workload& workload, const Mapping& mapping, CollapsedNest& out);

}  // namespace loopsim
