// Map of this file:
//   Analyzer::run()                  set up per-loop properties, walk the nest, collect
//   compute_deltas()                 one invocation of a loop: its tile and the delta from
//                                    the previous invocation (same spatial instance)
//   temporal_working_set()           iterate a temporal loop (#0, #1 x (n-1 or n-2), #last)
//   spatial_working_set()            fan out a spatial loop, find multicast and link reuse
//   fill_spatial_deltas()            deltas of each spatial instance (3 simulated, the rest
//                                    extrapolated by translation)
// The semantics follow Timeloop's NestAnalysis (2024) so that access counts match it
// exactly; docs/cost-model.md states them as equations.
#include "loopsim/analysis/nest_analysis.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <map>
#include <set>

#include "loopsim/analysis/point_set.hpp"
#include "loopsim/analysis/residual.hpp"
#include "loopsim/core/error.hpp"
#include "spatial_reuse.hpp"

namespace loopsim {

namespace {

using detail::SpatialDeltas;
using detail::SpatialReuse;
using detail::Unaccounted;

using Stamp = std::vector<std::uint64_t>;
using Point = std::array<Coord, kMaxDims>;

struct ElementState {
  std::array<std::uint64_t, kMaxDataSpaces> max_size{};
  std::array<AccessStatMatrix, kMaxDataSpaces> access_stats;
  std::array<std::uint64_t, kMaxDataSpaces> link_transfers{};
  OperationSpace last_point_set;
  // Translation between the last two point sets, per data space (none after a reset).
  std::array<std::optional<std::array<Coord, kMaxRanks>>, kMaxDataSpaces> last_translation;
  SpatialDeltas prev_spatial_deltas;
};

struct LoopState {
  Loop desc;
  std::map<Stamp, ElementState> live;
};

class Analyzer {
 public:
  Analyzer(const Workload& w, const LoopNest& nest, const std::vector<std::int64_t>& fx,
           const std::vector<std::int64_t>& fy, bool word_multicast)
      : word_multicast_(word_multicast), w_(w), nds_(w.num_data_spaces()),
        ndims_(w.num_dims()), fanout_x_(fx), fanout_y_(fy),
        nest_(nest) {
    for (const auto& l : nest.loops) loops_.push_back(LoopState{l, {}});
    boundaries_ = nest.boundaries;
    no_temporal_reuse_ = nest.no_temporal_reuse;
    no_multicast_ = nest.no_multicast;
  }

  NestAnalysisResult run() {
    NestAnalysisResult result;
    result.tiles.resize(static_cast<std::size_t>(nds_));
    if (loops_.empty()) return result;
    init_spatial_elems();
    init_storage_boundaries();
    init_spatial_fanouts();
    init_dim_scales();
    utilized_ = utilized_spatial_elems(nest_);
    indices_.assign(loops_.size(), 0);
    imperfect_at_.fill(-1);
    for (int l = levels() - 1; l >= 0; --l)
      if (loops_[l].desc.end != loops_[l].desc.residual_end) imperfect_at_[loops_[l].desc.dim] = l;
    num_epochs_ = 1;
    compute_deltas(static_cast<int>(loops_.size()) - 1);
    collect(result);
    return result;
  }

 private:
  int levels() const { return static_cast<int>(loops_.size()); }

  void init_spatial_elems() {
    int n = levels();
    num_spatial_elems_.assign(n, 1);
    master_spatial_.assign(n, false);
    std::uint64_t product = 1;
    bool prev_spatial = false;
    for (int cur = n - 1; cur >= 0; --cur) {
      num_spatial_elems_[cur] = product;
      if (loops_[cur].desc.spatial()) {
        master_spatial_[cur] = !prev_spatial;
        product *= static_cast<std::uint64_t>(loops_[cur].desc.end);
        prev_spatial = true;
      } else {
        prev_spatial = false;
      }
    }
  }

  void init_storage_boundaries() {
    int n = levels();
    storage_boundary_.assign(n, false);
    arch_level_.assign(n, 0);
    int loop = 0;
    for (std::size_t s = 0; s < boundaries_.size(); ++s) {
      int b = boundaries_[s];
      LOOPSIM_CHECK(b >= 0 && b < n, "bad storage boundary " << b);
      storage_boundary_[b] = true;
      for (; loop <= b; ++loop) arch_level_[loop] = static_cast<int>(s);
    }
  }

  void init_spatial_fanouts() {
    int n = levels();
    spatial_fanouts_.assign(n, 1);
    for (int cur = n - 1; cur >= 0; --cur) {
      if (!loops_[cur].desc.spatial()) {
        spatial_fanouts_[cur] = 1;
      } else if (!master_spatial_[cur]) {
        spatial_fanouts_[cur] = 0;
      } else {
        int next_temporal = cur;
        std::uint64_t scale = 1;
        while (loops_[next_temporal].desc.spatial()) {
          if (next_temporal > 0) {
            --next_temporal;
          } else {
            scale = static_cast<std::uint64_t>(loops_[0].desc.end);
            break;
          }
        }
        spatial_fanouts_[cur] = num_spatial_elems_[next_temporal] / num_spatial_elems_[cur] * scale;
      }
    }
  }

  void init_dim_scales() {
    int n = levels();
    vector_strides_.assign(n, {});
    mold_high_.assign(n, {});
    mold_high_residual_.assign(n, {});
    Point scale, residual;
    scale.fill(1);
    residual.fill(1);
    for (int l = 0; l < n; ++l) {
      const Loop& d = loops_[l].desc;
      for (int dim = 0; dim < ndims_; ++dim) vector_strides_[l][dim] = scale[dim];
      residual[d.dim] += scale[d.dim] * (d.residual_end - 1);
      scale[d.dim] *= d.end;
      for (int dim = 0; dim < ndims_; ++dim) {
        mold_high_[l][dim] = scale[dim] - 1;
        mold_high_residual_[l][dim] = residual[dim] - 1;
      }
    }
  }

  bool is_last_global_iteration(int level, int dim) const {
    for (int l = level; l < levels(); ++l) {
      if (loops_[l].desc.dim != dim) continue;
      if (indices_[l] + 1 < loops_[l].desc.residual_end) return false;
    }
    return true;
  }

  Stamp key() const { return Stamp(space_stamp_.begin(), space_stamp_.end() - 1); }

  OperationSpace compute_deltas(int level) {
    if (storage_boundary_[level]) space_stamp_.push_back(0);
    ElementState& st = loops_[level].live[key()];

    if (loops_[level].desc.spatial())
      spatial_working_set(level);
    else
      temporal_working_set(level, st);

    OperationSpace point_set = working_set(level);
    if (storage_boundary_[level] || master_spatial_[level]) {
      for (int pv = 0; pv < nds_; ++pv)
        st.max_size[pv] =
            std::max<std::uint64_t>(st.max_size[pv], static_cast<std::uint64_t>(point_set.size(pv)));
    }
    OperationSpace delta = delta_if_same_stride(point_set, st, modifier(no_temporal_reuse_, level));
    if (storage_boundary_[level]) space_stamp_.pop_back();
    return delta;
  }

  // The tile of loop `level` at the current transform; along each dimension on its last
  // global iteration the tile has the residual extent (Timeloop's GetCurrentWorkingSet).
  OperationSpace working_set(int level) const {
    Point low{}, high{};
    for (int dim = 0; dim < ndims_; ++dim) {
      const Point& mold = is_last_global_iteration(level + 1, dim) ? mold_high_residual_[level]
                                                                   : mold_high_[level];
      low[dim] = cur_transform_[dim];
      high[dim] = cur_transform_[dim] + mold[dim];
    }
    return OperationSpace(w_, low, high);
  }

  // The modifier bits (no_temporal_reuse_ or no_multicast_) of the storage level that owns
  // loop `level`.
  std::uint32_t modifier(const std::vector<std::uint32_t>& masks, int level) const {
    auto s = static_cast<std::size_t>(arch_level_[level]);
    return s < masks.size() ? masks[s] : 0u;
  }

  // Delta between this invocation's point set and the previous one. A tile that keeps
  // sliding with the same stride only fetches the new part; when the stride changes (also
  // from or to standing still) the residual is discarded and the whole tile is fetched.
  // Data spaces in `no_reuse` (bits) keep nothing: the delta is the whole point set.
  OperationSpace delta_if_same_stride(const OperationSpace& point_set, ElementState& st,
                                      std::uint32_t no_reuse) const {
    if (st.last_point_set.count() == 0) st.last_point_set = OperationSpace(w_);
    OperationSpace delta = point_set;
    for (int pv = 0; pv < nds_; ++pv) {
      if (no_reuse >> pv & 1u) continue;
      Aahr& prev = st.last_point_set.data_space(pv);
      Aahr& cur = delta.data_space(pv);
      auto& last = st.last_translation[pv];
      if (prev.empty()) {
        // First invocation: everything is new.
      } else {
        auto t = prev.translation_to(cur);
        if (!last) {
          cur.subtract(prev);
          last = t;
        } else if (*last == t) {
          cur.subtract(prev);
        } else {
          last.reset();
        }
      }
      prev = point_set.data_space(pv);
    }
    return delta;
  }

  // Whether a temporal loop runs its last iteration on its own (Timeloop 0fc43fb): on the
  // last global iteration of its dimension, when a loop of that dimension below it has a
  // residual; then a loop with a residual of its own also runs its second-last one.
  bool runs_last_iteration(int level) const {
    int dim = loops_[level].desc.dim;
    return imperfect_at_[dim] >= 0 && imperfect_at_[dim] < level &&
           is_last_global_iteration(level + 1, dim);
  }

  void temporal_working_set(int level, ElementState& st) {
    const Loop& d = loops_[level].desc;
    std::int64_t end = is_last_global_iteration(level + 1, d.dim) ? d.residual_end : d.end;
    auto num_iterations = static_cast<std::uint64_t>(end);

    if (level == 0) {
      std::uint64_t body = num_iterations * num_epochs_;
      compute_counts_[key()] += body;
      for (int pv = 0; pv < nds_; ++pv) {
        auto& a = st.access_stats[pv].at(1, 1);
        a.accesses += body;
        a.hops = 0.0;
      }
      return;
    }

    std::vector<std::array<std::int64_t, kMaxDataSpaces>> sizes;
    std::vector<std::uint64_t> scales;
    const bool run_last = runs_last_iteration(level);
    const bool run_second_last = run_last && d.end != d.residual_end;
    int dim = d.dim;
    Coord scale = vector_strides_[level][dim];
    Coord saved = cur_transform_[dim];
    auto record = [&](const OperationSpace& delta, std::uint64_t times) {
      std::array<std::int64_t, kMaxDataSpaces> s{};
      for (int pv = 0; pv < nds_; ++pv) s[pv] = delta.size(pv);
      sizes.push_back(s);
      scales.push_back(times);
    };
    const std::uint64_t n = num_iterations;

    indices_[level] = 0;
    if (n >= 1) {  // iteration #0
      record(compute_deltas(level - 1), 1);
      cur_transform_[dim] += scale;
      indices_[level] += 1;
    }
    if ((run_second_last && n >= 4) || (run_last && !run_second_last && n >= 3) ||
        (!run_last && n >= 2)) {  // iterations #1.. standing for the middle ones
      std::uint64_t virtual_iterations = run_last ? n - 2 : n - 1;
      if (run_second_last) virtual_iterations -= 1;
      std::uint64_t saved_epochs = num_epochs_;
      num_epochs_ *= virtual_iterations;
      OperationSpace delta = compute_deltas(level - 1);
      num_epochs_ = saved_epochs;
      record(delta, virtual_iterations);
      cur_transform_[dim] += scale * static_cast<Coord>(virtual_iterations);
      indices_[level] += static_cast<std::int64_t>(virtual_iterations);
    }
    if (run_second_last && n >= 3) {  // the second-last iteration
      OperationSpace delta = compute_deltas(level - 1);
      if (n >= 4)
        scales.back()++;
      else
        record(delta, 1);
      cur_transform_[dim] += scale;
      indices_[level] += 1;
    }
    if (run_last && n >= 2) {  // the last iteration
      OperationSpace delta = compute_deltas(level - 1);
      if (!run_second_last && n >= 3) {
        scales.back()++;
      } else {
        record(delta, 1);
        cur_transform_[dim] += scale;
      }
      indices_[level] += 1;
    }
    cur_transform_[dim] = saved;

    if (storage_boundary_[level - 1]) {
      for (int pv = 0; pv < nds_; ++pv) {
        std::uint64_t total = 0;
        for (std::size_t i = 0; i < sizes.size(); ++i)
          total += static_cast<std::uint64_t>(sizes[i][pv]) * scales[i];
        auto& a = st.access_stats[pv].at(1, 1);
        a.accesses += total * num_epochs_;
        a.hops = 0.0;
      }
    }
  }

  Point index_to_point() const {
    Point p{};
    for (int l = 0; l < levels(); ++l) {
      int dim = loops_[l].desc.dim;
      p[dim] += vector_strides_[l][dim] * indices_[l];
    }
    return p;
  }

  // Timeloop 0fc43fb's FillSpatialDeltas: the first instance of each run of spatial
  // instances over a temporal loop is simulated; each other one gets the delta of the
  // instance `stride` before it, translated by one step of loop `extrapolation_level` (a
  // stride of 0: nothing simulated yet on this path).
  void fill_spatial_deltas(int level, SpatialDeltas& deltas, std::uint64_t base_index,
                           std::uint64_t stride, int extrapolation_level) {
    const Loop& d = loops_[level].desc;
    std::int64_t end = is_last_global_iteration(level + 1, d.dim) ? d.residual_end : d.end;
    base_index *= static_cast<std::uint64_t>(end);

    if (level == 0) {
      for (indices_[0] = 0; indices_[0] < end; ++indices_[0]) {
        auto idx = base_index + static_cast<std::uint64_t>(indices_[0]);
        OperationSpace os(w_);
        os.add_point(w_, index_to_point());
        deltas[idx] = os;
        space_stamp_.back() = idx;
        compute_counts_[space_stamp_] += num_epochs_;
      }
      return;
    }

    int dim = d.dim;
    Coord scale = vector_strides_[level][dim];
    std::uint64_t orig_spatial_id = spatial_id_;
    Coord saved = cur_transform_[dim];

    if (loops_[level - 1].desc.spatial()) {
      for (indices_[level] = 0; indices_[level] < end; ++indices_[level]) {
        bool first = indices_[level] == 0;
        fill_spatial_deltas(level - 1, deltas,
                            base_index + static_cast<std::uint64_t>(indices_[level]),
                            first ? stride * static_cast<std::uint64_t>(end) : 1,
                            first ? extrapolation_level : level);
        cur_transform_[dim] += scale;
      }
    } else {
      indices_[level] = 0;
      if (stride == 0) {
        spatial_id_ = orig_spatial_id + base_index;
        space_stamp_.back() = base_index;
        deltas[base_index] = compute_deltas(level - 1);
        cur_transform_[dim] += scale;
        indices_[level] = 1;
        stride = 1;
        extrapolation_level = level;
      } else {
        stride *= static_cast<std::uint64_t>(end);
      }
      if (indices_[level] < end) {
        std::array<std::array<Coord, kMaxRanks>, kMaxDataSpaces> shift{};
        int xl = extrapolation_level;
        int xdim = loops_[xl].desc.dim;
        OperationSpace here = working_set(xl);
        Coord saved_x = cur_transform_[xdim];
        cur_transform_[xdim] += vector_strides_[xl][xdim];
        OperationSpace next = working_set(xl);
        cur_transform_[xdim] = saved_x;
        for (int pv = 0; pv < nds_; ++pv)
          shift[pv] = here.data_space(pv).translation_to(next.data_space(pv));
        for (; indices_[level] < end; ++indices_[level]) {
          auto dst = base_index + static_cast<std::uint64_t>(indices_[level]);
          auto src = deltas.find(dst - stride);
          LOOPSIM_CHECK(dst >= stride && src != deltas.end(),
                        "spatial extrapolation without a source instance");
          OperationSpace moved = src->second;
          for (int pv = 0; pv < nds_; ++pv) moved.data_space(pv).translate(shift[pv]);
          deltas[dst] = std::move(moved);
        }
      }
    }
    cur_transform_[dim] = saved;
    spatial_id_ = orig_spatial_id;
  }

  void spatial_working_set(int level) {
    std::uint64_t n = spatial_fanouts_[level];
    spatial_id_ *= n;
    SpatialDeltas deltas;
    fill_spatial_deltas(level, deltas, 0, 0, level);
    spatial_id_ /= n;

    std::uint64_t physical = static_cast<std::uint64_t>(fanout_x_.at(arch_level_[level]) *
                                                        fanout_y_.at(arch_level_[level]));
    for (const auto& [idx, delta] : deltas)
      LOOPSIM_CHECK(idx < physical, "spatial index " << idx << " exceeds the fan-out " << physical);

    ElementState& st = loops_[level].live[key()];
    SpatialReuse reuse{nds_,
                       static_cast<std::uint64_t>(fanout_x_.at(arch_level_[level])),
                       static_cast<std::uint64_t>(fanout_y_.at(arch_level_[level])),
                       modifier(no_multicast_, level), num_epochs_};
    Unaccounted unaccounted;
    detail::reset_unaccounted(nds_, deltas, unaccounted);
    auto multicast =
        word_multicast_ ? detail::union_multicast_accesses : detail::multicast_accesses;
    auto without = multicast(reuse, deltas, unaccounted);
    auto chosen = without;
    // Link transfers between neighbouring instances (master spatial levels are linked).
    detail::reset_unaccounted(nds_, deltas, unaccounted);
    std::array<std::uint64_t, kMaxDataSpaces> transfers{};
    detail::link_transfers(reuse, deltas, st.prev_spatial_deltas, unaccounted, transfers);
    st.prev_spatial_deltas = deltas;
    auto with = multicast(reuse, deltas, unaccounted);
    for (int pv = 0; pv < nds_; ++pv) {
      if (with[pv].total_accesses() < without[pv].total_accesses()) {
        st.link_transfers[pv] += transfers[pv];
        chosen[pv] = with[pv];
      }
    }
    for (int pv = 0; pv < nds_; ++pv) st.access_stats[pv].accumulate(chosen[pv]);
  }

  void collect(NestAnalysisResult& result) {
    bool compute_done = false;
    for (int level = 0; level < levels(); ++level) {
      const auto& ls = loops_[level];
      bool valid = !ls.desc.spatial() || master_spatial_[level];
      if (!valid) continue;
      int first_loop = level;
      if (master_spatial_[level])
        while (first_loop > 0 && loops_[first_loop - 1].desc.spatial()) --first_loop;
      auto n = static_cast<std::uint64_t>(ls.live.size());
      LOOPSIM_CHECK(n > 0, "loop " << level << " was never visited");
      for (int pv = 0; pv < nds_; ++pv) {
        LoopTile tile;
        std::uint64_t size = 0, links = 0;
        for (const auto& [stamp, state] : ls.live) {
          tile.access_stats.accumulate(state.access_stats[pv]);
          size += state.max_size[pv];
          links += state.link_transfers[pv];
        }
        // Accesses and link transfers stay sums over the n sampled instances (Timeloop
        // averages them in double; tiling divides once, exactly).
        for (auto& a : tile.access_stats.stats) a.hops /= static_cast<double>(n);
        tile.samples = n;
        tile.size = size / n;
        tile.link_transfers = links;
        tile.replication_factor = utilized_[level].floor();
        tile.fanout = spatial_fanouts_[level];
        tile.on_storage_boundary = storage_boundary_[level];
        tile.master_spatial = master_spatial_[level];
        tile.first_loop = first_loop;
        tile.loop = level;
        result.tiles[pv].push_back(std::move(tile));
      }
      if (!compute_done) {
        Ratio replication = utilized_[level];
        replication.num *= static_cast<Int128>(spatial_fanouts_[level]);
        result.compute_replication = replication.floor();
        result.compute_accesses = 0;
        for (const auto& [stamp, count] : compute_counts_) result.compute_accesses += count;
        result.compute_samples = std::max<std::uint64_t>(1, compute_counts_.size());
        compute_done = true;
      }
    }
  }

  bool word_multicast_;
  const Workload& w_;
  int nds_, ndims_;
  std::vector<std::int64_t> fanout_x_, fanout_y_;
  std::vector<LoopState> loops_;
  std::vector<int> boundaries_;
  std::vector<std::uint32_t> no_temporal_reuse_, no_multicast_;  // per storage level
  std::vector<bool> storage_boundary_, master_spatial_;
  std::vector<int> arch_level_;
  std::vector<std::uint64_t> num_spatial_elems_, spatial_fanouts_;
  std::vector<Point> vector_strides_, mold_high_, mold_high_residual_;
  Point cur_transform_{};
  std::vector<std::int64_t> indices_;
  std::uint64_t num_epochs_ = 1;
  std::uint64_t spatial_id_ = 0;
  Stamp space_stamp_;
  // Per dimension, the innermost loop with a residual (-1: none).
  std::array<int, kMaxDims> imperfect_at_{};
  std::vector<Ratio> utilized_;  // per loop: spatial instances in use above it (residual.hpp)
  const LoopNest& nest_;
  // Operations per simulated arithmetic instance (Timeloop's compute_info_ by space stamp).
  std::map<Stamp, std::uint64_t> compute_counts_;
};

}  // namespace

NestAnalysisResult analyze_nest(const Workload& workload, const LoopNest& nest,
                                const std::vector<std::int64_t>& fanout_x,
                                const std::vector<std::int64_t>& fanout_y, bool word_multicast) {
  Analyzer a(workload, nest, fanout_x, fanout_y, word_multicast);
  return a.run();
}

}  // namespace loopsim
