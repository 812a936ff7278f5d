#include "loopsim/analysis/tiling.hpp"

#include <algorithm>

#include "loopsim/core/error.hpp"

namespace loopsim {

namespace {

void compute_partition_sizes(std::vector<DataMovement>& nest) {
  int n = static_cast<int>(nest.size());
  std::uint64_t partition = nest[n - 1].size;
  nest[n - 1].partition_size = partition;
  for (int cur = n - 2; cur >= 0; --cur) {
    if (nest[cur].partition_fraction_denominator != 0)
      partition = partition * nest[cur].size / nest[cur].partition_fraction_denominator;
    nest[cur].partition_size = partition;
  }
}

void compute_parent_access_share(std::vector<DataMovement>& nest) {
  int n = static_cast<int>(nest.size());
  for (int cur = 0; cur < n; ++cur) {
    if (nest[cur].size == 0) continue;
    nest[cur].parent_access_share = Ratio();
    int outer = cur + 1;
    while (outer < n && nest[outer].size == 0) ++outer;
    if (outer == n) continue;
    // Average accesses times multicast, shared among the outer level's fan-out.
    Int128 weighted = 0;
    for (const auto& stat : nest[outer].access_stats.stats)
      weighted += static_cast<Int128>(stat.accesses) * static_cast<Int128>(stat.multicast);
    nest[cur].parent_access_share =
        Ratio(weighted, static_cast<Int128>(nest[outer].samples) *
                            static_cast<Int128>(std::max<std::uint64_t>(1, nest[outer].fanout)));
  }
}

void clear_buffer_stats(DataMovement& t) {
  t.size = 0;
  t.partition_size = 0;
  t.content_accesses = 0;
  t.content = Ratio();
  t.parent_access_share = Ratio();
}

// A bypassed level's children access the next kept level directly.
void mask_tiles(std::vector<DataMovement>& nest, const std::vector<bool>& keep) {
  int n = static_cast<int>(nest.size());
  for (int cur = 0; cur < n; ++cur) {
    if (nest[cur].size == 0 || keep[cur]) continue;
    int outer = cur + 1;
    while (outer < n && nest[outer].size == 0) ++outer;
    if (outer == n) {
      clear_buffer_stats(nest[cur]);
      break;
    }
    // Each outer access is scaled by (all children's accesses) / (weighted outer
    // accesses), as averages (the sums carry their own sample counts); the outer level's
    // content accesses become the exact scaled average.
    const auto outer_weighted = static_cast<Int128>(nest[outer].access_stats.weighted_accesses());
    if (outer_weighted != 0) {
      Ratio factor = nest[cur].content *
                     Ratio(static_cast<Int128>(nest[outer].fanout) *
                               static_cast<Int128>(nest[outer].samples),
                           outer_weighted);
      for (auto& stat : nest[outer].access_stats.stats) {
        if (stat.accesses == 0) continue;
        Ratio scaled = Ratio::whole(stat.accesses) * factor;
        stat.accesses = scaled.floor();
        nest[outer].link_transfers = 0;
      }
      nest[outer].content = nest[outer].content * factor;
    }
    nest[outer].content_accesses = nest[outer].access_stats.total_accesses();
    clear_buffer_stats(nest[cur]);
  }
}

void process_outer_masked_levels(std::vector<DataMovement>& nest, const std::vector<bool>& keep) {
  for (int cur = static_cast<int>(nest.size()) - 1; cur >= 0; --cur) {
    if (!keep[cur]) {
      DataMovement& t = nest[cur];
      t.size = 0;
      t.access_stats.clear();
      t.link_transfers = 0;
      t.first_loop = 0;
      t.last_loop = -1;
      t.replication_factor = 0;
      t.fanout = 0;
    } else {
      nest[cur].parent_access_share = Ratio();
      break;
    }
  }
}

void compute_peer_accesses(std::vector<DataMovement>& nest) {
  for (int cur = static_cast<int>(nest.size()) - 1; cur > 0; --cur) {
    if (nest[cur].link_transfers == 0) continue;
    LOOPSIM_CHECK(nest[cur - 1].size > 0, "link transfers into a bypassed level");
    std::uint64_t spatial = nest[cur - 1].replication_factor;
    // Timeloop allows a replication of 1 here (its assert is commented out): with an
    // imperfect spatial factor the instances in use, rounded down, can be 1 (P=2,1 under 4
    // steps uses 1.75 instances on average).
    LOOPSIM_CHECK(spatial >= 1, "link transfers without spatial instances");
    Ratio per_instance(static_cast<Int128>(nest[cur].link_transfers),
                       static_cast<Int128>(nest[cur].samples) * static_cast<Int128>(spatial));
    nest[cur - 1].peer_accesses += per_instance;
    nest[cur - 1].peer_fills += per_instance;
  }
}

void compute_read_update_reduction(std::vector<DataMovement>& nest, bool read_write) {
  int n = static_cast<int>(nest.size());
  for (int cur = 0; cur < n; ++cur) {
    DataMovement& t = nest[cur];
    if (t.size == 0) {
      t.reads = t.updates = t.fills = t.temporal_reductions = 0;
      continue;
    }
    const Ratio& content = t.content;
    const Ratio partition = Ratio::whole(t.partition_size);
    if (read_write) {
      // First touch of each output is a write; later touches are read-modify-writes.
      t.updates = content.round();
      t.reads = (content + t.peer_accesses - partition).round();
      t.temporal_reductions = t.reads;
      bool outermost = true;
      for (int l = cur + 1; l < n; ++l)
        if (nest[l].size > 0) outermost = false;
      Ratio fills = t.parent_access_share + t.peer_fills;
      if (!outermost) fills -= partition;
      t.fills = fills.round();
    } else {
      t.reads = (content + t.peer_accesses).round();
      t.updates = 0;
      t.fills = (t.parent_access_share + t.peer_fills).floor();
      t.temporal_reductions = 0;
    }
  }
}

}  // namespace

void gather_levels(const NestAnalysisResult& analysis, int num_storage_levels,
                   CollapsedNest& out) {
  out.compute_accesses = analysis.compute_accesses;
  out.compute_samples = analysis.compute_samples;
  out.compute_replication = analysis.compute_replication;
  const auto nds = analysis.tiles.size();
  out.data.resize(nds);
  for (std::size_t pv = 0; pv < nds; ++pv) {
    const auto& tiles = analysis.tiles[pv];
    auto& nest = out.data[pv];
    nest.resize(static_cast<std::size_t>(num_storage_levels));
    int processed = 0, level = 0;
    int total = static_cast<int>(tiles.size());
    while (processed < total) {
      int boundary = processed;
      while (!tiles[boundary].on_storage_boundary && boundary < total - 1) ++boundary;
      LOOPSIM_CHECK(level < num_storage_levels, "more loop blocks than storage levels");
      DataMovement& c = nest[level];
      const LoopTile& outermost = tiles[boundary];
      const LoopTile& innermost = tiles[processed];
      c.reset_derived();
      c.first_loop = innermost.first_loop;
      c.last_loop = outermost.loop;
      c.size = outermost.size;
      c.access_stats = innermost.access_stats;
      c.content_accesses = innermost.access_stats.total_accesses();
      c.link_transfers = innermost.link_transfers;
      c.samples = innermost.samples;
      c.replication_factor = outermost.replication_factor;
      c.fanout = innermost.fanout;
      if (level > 0) {
        nest[level - 1].partition_fraction_denominator =
            innermost.master_spatial ? innermost.size : nest[level - 1].size;
      }
      ++level;
      processed = boundary + 1;
    }
    LOOPSIM_CHECK(level == num_storage_levels,
                  "collapsed " << level << " levels, expected " << num_storage_levels);
  }
}

void finish_levels(const Workload& workload, const Mapping& mapping, CollapsedNest& out) {
  const int num_storage_levels = static_cast<int>(mapping.levels.size());
  for (int pv = 0; pv < workload.num_data_spaces(); ++pv) {
    auto& nest = out.data[pv];
    std::vector<bool>& mask = out.mask_scratch;
    mask.resize(static_cast<std::size_t>(num_storage_levels));
    for (int l = 0; l < num_storage_levels; ++l) mask[l] = mapping.levels[l].keep[pv];
    for (auto& t : nest)
      t.content = Ratio(static_cast<Int128>(t.content_accesses), static_cast<Int128>(t.samples));
    compute_partition_sizes(nest);
    compute_parent_access_share(nest);
    mask_tiles(nest, mask);
    process_outer_masked_levels(nest, mask);
    for (int cur = num_storage_levels - 1; cur >= 0; --cur)
      if (nest[cur].size > 0) {
        nest[cur].fills = 0;
        break;
      }
    compute_peer_accesses(nest);
    compute_read_update_reduction(nest, workload.is_read_write(pv));
  }
}

}  // namespace loopsim
