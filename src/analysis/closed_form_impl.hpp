// Closed-form nest analysis (closed_form.cpp, closed_form_spatial.cpp; this private header
// holds the analyzer) for nests whose loops all divide their dimension evenly.
//
// The simulated analysis (nest_analysis.cpp) walks the nest the way Timeloop does: a
// temporal loop of n iterations visits its body at iteration 0 (weight 1) and at iteration
// 1 standing for iterations 1..n-1 (weight n-1), so a loop with m non-trivial temporal
// loops above it is invoked 2^m times, at positions given by a binary counter over those
// loops (outermost = most significant bit). Spatial loops are transparent for each spatial
// instance (every instance sees the same history, translated by its offset).
//
// Every quantity of that walk depends only on translations, so the sums have closed forms:
//   * invocation k (k >= 1) whose lowest set bit is j moves the tile by
//       t_j = s(a_j) - sum_{i<j} s(a_i)      (a_i: the i-th active loop above, s: its step)
//   * the weight (epochs) summed over those invocations is
//       W_j = (n(a_j) - 1) * prod_{i>j} n(a_i)
//   * the stride rule (a change of translation refetches the whole tile) resets exactly at
//     even invocations whose translation differs from t_0, so the delta is
//       D_0 = T \ (T - t_0);  D_j = (t_j == t_0) ? T \ (T - t_j) : T   (j >= 1)
//   * fills of the child level: S = |T| + sum_j W_j |D_j|.
// Multicast and link transfers are evaluated once per kind of invocation (the first one,
// and each (previous, current) pair of delta kinds) and weighted by the epochs summed over
// the invocations of that kind. The no-reuse modifiers: no temporal reuse of the child
// makes every D_j the whole tile T (so S = |T| (1 + sum_j W_j)); no multicast at a level
// makes every instance a multicast group of its own. docs/cost-model.md states the same
// equations; the unit test ClosedForm.* checks this file against the simulation on random
// nests (with and without modifiers).
#pragma once

#include <algorithm>
#include <optional>

#include "instance_groups.hpp"
#include "loopsim/analysis/closed_form.hpp"
#include "loopsim/analysis/point_set.hpp"

namespace loopsim {

// Private to closed_form.cpp and closed_form_spatial.cpp: the analyzer works in the terms of
// instance_groups.hpp.
using namespace closed_form;  // NOLINT(google-build-using-namespace)

namespace closed_form {

using Point = std::array<Coord, kMaxDims>;

// A hash of a move that is linear in the move (wrapping arithmetic), so the hash of a sum
// of moves is the sum of their hashes.
inline std::uint64_t move_hash(const RankVec& v) {
  constexpr std::array<std::uint64_t, 6> kMul{0x9e3779b97f4a7c15ULL, 0xc2b2ae3d27d4eb4fULL,
                                              0x165667b19e3779f9ULL, 0xd6e8feb86659fd93ULL,
                                              0xff51afd7ed558ccdULL, 0xc4ceb9fe1a85ec53ULL};
  static_assert(kMaxRanks <= 6);
  std::uint64_t h = 0;
  for (int r = 0; r < kMaxRanks; ++r)
    h += static_cast<std::uint64_t>(static_cast<std::int64_t>(v[r])) * kMul[r];
  return h;
}

inline Aahr translated(Aahr box, const RankVec& t) {
  box.translate(t);
  return box;
}

inline bool same_shape(const Aahr& a, const Aahr& b) {
  for (int r = 0; r < a.order(); ++r)
    if (a.hi(r) - a.lo(r) != b.hi(r) - b.lo(r)) return false;
  return true;
}

}  // namespace closed_form

// The analysis of one workload; its buffers are reused from one evaluation to the next.
class ClosedFormAnalyzer::Impl {
 public:
  explicit Impl(const Workload& w) : w_(&w) { prepare(); }

  void run(const LoopNest& nest, const std::vector<std::int64_t>& fx,
           const std::vector<std::int64_t>& fy, NestAnalysisResult& result) {
    result.tiles.resize(static_cast<std::size_t>(w_->num_data_spaces()));
    if (!begin(nest, fx, fy)) {
      for (auto& t : result.tiles) t.clear();
      result.compute_accesses = 0;
      result.compute_replication = 1;
      return;
    }
    // Analysed loops: temporal loops and master spatial loops, innermost first.
    analysed_.clear();
    for (int l = 0; l < n_; ++l)
      if (!loop(l).spatial() || master_[l]) analysed_.push_back(l);
    slot_.assign(static_cast<std::size_t>(n_), -1);
    for (std::size_t i = 0; i < analysed_.size(); ++i) slot_[analysed_[i]] = static_cast<int>(i);
    for (int pv = 0; pv < nds_; ++pv) {
      auto& tiles = result.tiles[pv];
      tiles.resize(analysed_.size());
      for (std::size_t i = 0; i < analysed_.size(); ++i) {
        int l = analysed_[i];
        LoopTile& t = tiles[i];
        t.access_stats.clear();
        t.size = 0;
        t.link_transfers = 0;
        t.samples = 1;
        t.replication_factor = spatial_elems_[l];
        t.fanout = fanout_[l];
        t.on_storage_boundary = boundary_[l];
        t.master_spatial = master_[l];
        t.first_loop = t.loop = l;
        if (master_[l]) t.first_loop = chain_start(l);
        if (boundary_[l] || master_[l]) t.size = tile_size(pv, l);
      }
    }
    for (int s = 0; s < static_cast<int>(boundaries_->size()); ++s) {
      const Block b = block(s);
      for (int pv = 0; pv < nds_; ++pv) analyse_block(b, pv, result.tiles[pv][slot_[b.innermost]]);
    }
    computes(result.compute_accesses, result.compute_replication);
    result.compute_samples = 1;
  }

  // The same numbers per storage level (one block of loops each), without the per-loop
  // records: what gather_levels() makes of run()'s result. False when a block ends on a
  // spatial loop that is not a master (its chain continues into the next block), which
  // gather_levels() handles and this does not.
  bool run_levels(const LoopNest& nest, const std::vector<std::int64_t>& fx,
                  const std::vector<std::int64_t>& fy, CollapsedNest& out, bool track) {
    const int nlev = static_cast<int>(nest.boundaries.size());
    if (!begin(nest, fx, fy)) return false;
    for (int b : *boundaries_)
      if (loop(b).spatial() && !master_[b]) return false;
    out.data.resize(static_cast<std::size_t>(nds_));
    for (int pv = 0; pv < nds_; ++pv) out.data[pv].resize(static_cast<std::size_t>(nlev));
    out.link_order_sensitive.assign(static_cast<std::size_t>(nlev), track ? 0 : 1);
    sensitive_ = track ? &out.link_order_sensitive : nullptr;
    for (int s = 0; s < nlev; ++s) {
      const Block b = block(s);
      const int last = (*boundaries_)[s];
      for (int pv = 0; pv < nds_; ++pv) {
        auto& levels = out.data[pv];
        DataMovement& c = levels[s];
        c.reset_derived();
        c.first_loop = b.lo;
        c.last_loop = last;
        c.size = tile_size(pv, last);
        c.access_stats.clear();
        c.link_transfers = 0;
        c.samples = 1;
        analyse_block(b, pv, c);
        c.content_accesses = c.access_stats.total_accesses();
        c.replication_factor = spatial_elems_[last];
        c.fanout = fanout_[b.innermost];
        if (s > 0)
          levels[s - 1].partition_fraction_denominator =
              b.master >= 0 ? tile_size(pv, b.master) : levels[s - 1].size;
      }
    }
    computes(out.compute_accesses, out.compute_replication);
    out.compute_samples = 1;
    sensitive_ = nullptr;
    return true;
  }

 private:
  [[nodiscard]] const Loop& loop(int l) const { return (*loops_)[l]; }

  // Takes the nest; false when it has no loops.
  bool begin(const LoopNest& nest, const std::vector<std::int64_t>& fx,
             const std::vector<std::int64_t>& fy) {
    loops_ = &nest.loops;
    boundaries_ = &nest.boundaries;
    no_temporal_reuse_ = &nest.no_temporal_reuse;
    no_multicast_ = &nest.no_multicast;
    fx_ = &fx;
    fy_ = &fy;
    n_ = static_cast<int>(nest.loops.size());
    nds_ = w_->num_data_spaces();
    if (n_ == 0) return false;
    init();
    return true;
  }

  // Whether data space pv has the modifier `masks` (per storage level) at level s.
  [[nodiscard]] static bool modified(const std::vector<std::uint32_t>* masks, int s, int pv) {
    auto i = static_cast<std::size_t>(s);
    return s >= 0 && i < masks->size() && ((*masks)[i] >> pv & 1u);
  }

  // Operations per arithmetic instance, and arithmetic instances used.
  void computes(std::uint64_t& computes, std::uint64_t& replication) const {
    computes = replication = 1;
    for (const auto& l : *loops_)
      (l.spatial() ? replication : computes) *= static_cast<std::uint64_t>(l.end);
  }

  // The first loop of the spatial chain that ends at master loop l.
  [[nodiscard]] int chain_start(int l) const {
    while (l > 0 && loop(l - 1).spatial()) --l;
    return l;
  }

  // The loops of storage level s: lo..boundary, the spatial ones (lo..master) first.
  struct Block {
    int s, lo, master, innermost, child;  // master -1: none; child -1: arithmetic units
  };
  [[nodiscard]] Block block(int s) const {
    Block b{s, s == 0 ? 0 : (*boundaries_)[s - 1] + 1, -1, 0, 0};
    for (int l = b.lo; l <= (*boundaries_)[s] && loop(l).spatial(); ++l) b.master = l;
    b.innermost = b.master >= 0 ? b.master : b.lo;
    b.child = b.lo - 1;
    return b;
  }

  // The projections as one flat list of terms, and the same grouped by dimension.
  void prepare() {
    nds_ = w_->num_data_spaces();
    terms_.clear();
    for (int pv = 0; pv < nds_; ++pv) {
      const auto& proj = w_->data_spaces[pv].projection;
      orders_[pv] = static_cast<int>(proj.size());
      for (std::size_t r = 0; r < proj.size(); ++r)
        for (const auto& term : proj[r]) {
          const auto coeff = static_cast<Coord>(w_->coefficient(term.coeff));
          RankVec unit{};
          unit[r] = coeff;
          terms_.push_back(Term{pv, static_cast<int>(r), term.dim, coeff, move_hash(unit)});
        }
    }
    // The same terms grouped by dimension.
    dim_terms_begin_.assign(static_cast<std::size_t>(w_->num_dims()) + 1, 0);
    for (const Term& t : terms_) ++dim_terms_begin_[t.dim + 1];
    for (int dim = 0; dim < w_->num_dims(); ++dim) dim_terms_begin_[dim + 1] += dim_terms_begin_[dim];
    terms_by_dim_.resize(terms_.size());
    fill_at_.assign(dim_terms_begin_.begin(), dim_terms_begin_.end() - 1);
    for (const Term& t : terms_) terms_by_dim_[fill_at_[t.dim]++] = t;
  }

  void init() {
    counter_loop_ = -1;
    master_.assign(n_, false);
    boundary_.assign(n_, false);
    spatial_elems_.assign(n_, 1);
    fanout_.assign(n_, 1);
    step_.assign(n_, 1);
    for (int l = 0; l < n_; ++l)
      master_[l] = loop(l).spatial() && (l == n_ - 1 || !loop(l + 1).spatial());
    for (int b : *boundaries_) boundary_[b] = true;
    std::uint64_t above = 1;
    for (int l = n_ - 1; l >= 0; --l) {
      spatial_elems_[l] = above;
      if (loop(l).spatial()) above *= static_cast<std::uint64_t>(loop(l).end);
    }
    for (int l = 0; l < n_; ++l) {
      if (!loop(l).spatial()) continue;
      if (!master_[l]) {
        fanout_[l] = 0;
        continue;
      }
      std::uint64_t chain = 1;
      for (int c = l; c >= 0 && loop(c).spatial(); --c)
        chain *= static_cast<std::uint64_t>(loop(c).end);
      fanout_[l] = chain;
    }
    // Per loop: its unit step in its dimension, the projected step per data space (and its
    // hash), and for boundary and master loops the tile at the origin. The tile's bounds
    // are running sums: a loop over dimension d of n iterations at unit step s widens each
    // term c * d of a projection by c * s * (n - 1), towards hi for c > 0, lo for c < 0.
    Point scale;
    scale.fill(1);
    steps_.resize(static_cast<std::size_t>(n_));
    step_hash_.resize(static_cast<std::size_t>(n_));
    boxes_.resize(static_cast<std::size_t>(n_));
    box_sizes_.resize(static_cast<std::size_t>(n_));
    std::array<RankVec, kMaxDataSpaces> lo{}, hi{};
    for (int l = 0; l < n_; ++l) {
      const Loop& d = loop(l);
      const Coord step = scale[d.dim];
      const Coord widen = step * static_cast<Coord>(d.end - 1);
      scale[d.dim] *= static_cast<Coord>(d.end);
      auto& u = steps_[l];
      auto& hash = step_hash_[l];
      for (int pv = 0; pv < nds_; ++pv) {
        u[pv].fill(0);
        hash[pv] = 0;
      }
      for (int i = dim_terms_begin_[d.dim]; i < dim_terms_begin_[d.dim + 1]; ++i) {
        const Term& t = terms_by_dim_[i];
        u[t.pv][t.rank] += step * t.coeff;
        hash[t.pv] += static_cast<std::uint64_t>(static_cast<std::int64_t>(step)) * t.hash;
        (t.coeff < 0 ? lo : hi)[t.pv][t.rank] += widen * t.coeff;
      }
      if (!boundary_[l] && !master_[l]) continue;
      auto& box = boxes_[l];
      for (int pv = 0; pv < nds_; ++pv) {
        box[pv] = Aahr(orders_[pv]);
        std::uint64_t size = 1;
        for (int r = 0; r < orders_[pv]; ++r) {
          box[pv].set(r, lo[pv][r], hi[pv][r] + 1);
          size *= static_cast<std::uint64_t>(hi[pv][r] + 1 - lo[pv][r]);
        }
        box_sizes_[l][pv] = size;
      }
    }
  }

  // The tile of loop l at the origin, in data space pv (boundary and master loops only).
  [[nodiscard]] const Aahr& tile(int pv, int l) const { return boxes_[l][pv]; }
  [[nodiscard]] std::uint64_t tile_size(int pv, int l) const { return box_sizes_[l][pv]; }

  // The per-instance invocation sequence of everything below loop l: the active temporal
  // loops above it (a_0 innermost) and the weights W_j summed over the invocations whose
  // lowest set bit is j.
  struct Counter {
    SmallVec<int, 16> active;
    SmallVec<std::uint64_t, 16> weight;  // W_j
    std::uint64_t first_bit_weight = 0;  // n(a_0) - 1
  };

  // The counter above loop l, made once per nest (all data spaces share it).
  const Counter& counter_above(int l) {
    if (counter_loop_ != l) {
      make_counter(l, counter_);
      counter_loop_ = l;
    }
    return counter_;
  }

  void make_counter(int l, Counter& c) const {
    c.active.clear();
    c.first_bit_weight = 0;
    for (int a = l + 1; a < n_; ++a)
      if (!loop(a).spatial() && loop(a).end >= 2) c.active.push_back(a);
    const auto m = c.active.size();
    c.weight.resize(m);
    std::uint64_t above = 1;  // prod_{i>j} n(a_i)
    for (std::size_t j = m; j-- > 0;) {
      auto n = static_cast<std::uint64_t>(loop(c.active[j]).end);
      c.weight[j] = (n - 1) * above;
      above *= n;
    }
    if (m > 0) c.first_bit_weight = static_cast<std::uint64_t>(loop(c.active[0]).end - 1);
  }

  // Data-space translations t_j = s(a_j) - sum_{i<j} s(a_i) of the counter's bits.
  void translations(int pv, const Counter& c, SmallVec<RankVec, 16>& tau) const {
    tau.resize(c.active.size());
    RankVec back{};
    for (std::size_t j = 0; j < c.active.size(); ++j) {
      const RankVec& u = steps_[c.active[j]][pv];
      RankVec& t = tau[j];
      for (int r = 0; r < kMaxRanks; ++r) t[r] = u[r] - back[r];  // fixed bounds: vectorized
      for (int r = 0; r < kMaxRanks; ++r) back[r] += u[r];
    }
  }

  // Whether bit j of the counter moves like bit 0: s(a_j) - sum_{i<j} s(a_i) = s(a_0).
  [[nodiscard]] bool same_move_as_first(int pv, const Counter& c, std::size_t j) const {
    RankVec t = steps_[c.active[j]][pv];
    for (std::size_t i = 0; i < j; ++i)
      for (int r = 0; r < kMaxRanks; ++r) t[r] -= steps_[c.active[i]][pv][r];
    return same(t, steps_[c.active[0]][pv]);
  }

  // |T \ (T - t)| with Timeloop's box difference: empty for t = 0, the slab |t_r| * (the
  // other extents) when t moves along one rank r by less than the extent, else all of T.
  static std::uint64_t delta_size(const Aahr& full, std::uint64_t full_size, const RankVec& t) {
    int moved = -1;
    for (int r = 0; r < full.order(); ++r) {
      if (t[r] == 0) continue;
      if (moved >= 0) return full_size;
      moved = r;
    }
    if (moved < 0) return 0;
    auto extent = static_cast<std::uint64_t>(full.hi(moved) - full.lo(moved));
    auto step = static_cast<std::uint64_t>(t[moved] < 0 ? -t[moved] : t[moved]);
    if (step >= extent) return full_size;
    return full_size / extent * step;
  }

  // Deltas of a child tile T over its invocation sequence (stride rule applied).
  struct ChildDeltas {
    Aahr full;                  // T at the origin
    SmallVec<RankVec, 16> tau;  // data-space translation per bit
    SmallVec<Aahr, 16> delta;   // D_j, relative to the tile at the origin
    SmallVec<std::uint64_t, 16> size;  // |D_j|
  };

  void child_deltas(int pv, int child, const Counter& c, ChildDeltas& cd) const {
    cd.full = tile(pv, child);
    translations(pv, c, cd.tau);
    cd.delta.resize(cd.tau.size());
    cd.size.resize(cd.tau.size());
    const std::uint64_t full_size = tile_size(pv, child);
    for (std::size_t j = 0; j < cd.tau.size(); ++j) {
      if (j == 0) {
        cd.delta[0] = cd.full;
        cd.delta[0].subtract(translated(cd.full, minus(RankVec{}, cd.tau[0])));
        cd.size[0] = static_cast<std::uint64_t>(cd.delta[0].size());
      } else if (same(cd.tau[j], cd.tau[0])) {  // the same move: the same delta
        cd.delta[j] = cd.delta[0];
        cd.size[j] = cd.size[0];
      } else {  // the stride changed: the whole tile
        cd.delta[j] = cd.full;
        cd.size[j] = full_size;
      }
    }
  }

  // The accesses that level b.s's children make to it (data space pv), into t (a LoopTile
  // or a DataMovement: its access_stats and link_transfers).
  template <typename Target>
  void analyse_block(const Block& b, int pv, Target& t) {
    const int child = b.child;
    const Counter& c = counter_above(b.master >= 0 ? b.master : (child >= 0 ? child : 0));
    // No temporal reuse of the child level: every invocation moves the whole child tile.
    const bool whole = modified(no_temporal_reuse_, b.s - 1, pv);
    if (b.master >= 0) {
      spatial_block(pv, b.s, b.lo, b.master, child, c, whole, t);
      return;
    }
    std::uint64_t accesses = 0;
    if (child < 0) {
      accesses = 1;
      for (const auto& l : *loops_)
        if (!l.spatial()) accesses *= static_cast<std::uint64_t>(l.end);
    } else if (whole) {
      // S = |T| x (invocations) = |T| (1 + sum_j W_j).
      std::uint64_t invocations = 1;
      for (auto wj : c.weight) invocations += wj;
      accesses = tile_size(pv, child) * invocations;
    } else {
      // S = |T| + sum_j W_j |D_j|, where D_j = D_0 when t_j = t_0 and T otherwise. The
      // test t_j = t_0 runs on a linear hash of the moves (a scalar per bit); only a
      // matching hash is confirmed on the vectors.
      const std::uint64_t full_size = tile_size(pv, child);
      accesses = full_size;
      if (!c.active.empty()) {
        const RankVec& t0 = steps_[c.active[0]][pv];
        const std::uint64_t d0 = delta_size(tile(pv, child), full_size, t0);
        const std::uint64_t h0 = step_hash_[c.active[0]][pv];
        accesses += c.weight[0] * d0;
        std::uint64_t back_hash = h0;  // hash of sum_{i<j} s(a_i)
        for (std::size_t j = 1; j < c.active.size(); ++j) {
          const std::uint64_t hj = step_hash_[c.active[j]][pv];
          bool same_move = hj - back_hash == h0 && same_move_as_first(pv, c, j);
          accesses += c.weight[j] * (same_move ? d0 : full_size);
          back_hash += hj;
        }
      }
    }
    t.access_stats.at(1, 1).accesses += accesses;
  }

  [[nodiscard]] Chain chain_of(int pv, int lo, int master) const {
    Chain ch;
    for (int l = lo; l <= master; ++l) {
      ch.sigma.push_back(steps_[l][pv]);
      ch.radix.push_back(static_cast<std::uint64_t>(loop(l).end));
      ch.count *= ch.radix.back();
    }
    return ch;
  }

  // A block with a spatial fan-out (closed_form_spatial.cpp).
  template <typename Target>
  void spatial_block(int pv, int s, int lo, int master, int child, const Counter& c, bool whole,
                     Target& t);

  // Link transfers of one kind of invocation: instances whose delta a grid neighbour held
  // in the previous invocation (offset difference `need`) take it from the neighbour. Used
  // (and recorded in t) when that leaves fewer multicast groups to fetch from the parent.
  template <typename Target>
  bool link_transfers(const Chain& ch, const Groups& groups, const RankVec& need,
                      std::uint64_t h, std::uint64_t v, std::uint64_t size,
                      std::uint64_t weight, Target& t);

  const Workload* w_ = nullptr;
  const std::vector<Loop>* loops_ = nullptr;
  const std::vector<int>* boundaries_ = nullptr;
  const std::vector<std::uint32_t>* no_temporal_reuse_ = nullptr;  // per storage level
  const std::vector<std::uint32_t>* no_multicast_ = nullptr;
  bool singletons_ = false;  // the spatial block being analysed does not multicast
  std::vector<char>* sensitive_ = nullptr;  // run_levels: CollapsedNest::link_order_sensitive
  const std::vector<std::int64_t>* fx_ = nullptr;
  const std::vector<std::int64_t>* fy_ = nullptr;
  int n_ = 0, nds_ = 0;
  std::vector<int> analysed_, slot_;
  struct Term {
    int pv, rank, dim;
    Coord coeff;
    std::uint64_t hash;  // move_hash of a unit move along this term (coeff at its rank)
  };
  std::vector<Term> terms_, terms_by_dim_;
  std::vector<int> dim_terms_begin_, fill_at_;  // terms_by_dim_[begin[d], begin[d + 1]) use dimension d
  std::array<int, kMaxDataSpaces> orders_{};
  std::vector<std::array<Aahr, kMaxDataSpaces>> boxes_;             // [loop][data space]
  std::vector<std::array<std::uint64_t, kMaxDataSpaces>> box_sizes_;  // [loop][data space]
  std::vector<std::array<RankVec, kMaxDataSpaces>> steps_;  // [loop][data space]
  std::vector<std::array<std::uint64_t, kMaxDataSpaces>> step_hash_;  // move_hash(steps_)
  SmallVec<RankVec, 16> tau_;
  SmallVec<RankVec, 32> near_;
  std::vector<RankVec> offs_;
  ChildDeltas deltas_;
  Counter counter_;
  int counter_loop_ = -1;  // the loop counter_ was made for, in the current nest
  std::vector<char> master_, boundary_;
  std::vector<std::uint64_t> spatial_elems_, fanout_;
  std::vector<Coord> step_;
};

}  // namespace loopsim
