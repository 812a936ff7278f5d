// Closed-form nest analysis, the blocks with a spatial fan-out: the chain of spatial
// instances, their multicast groups per kind of invocation, and the link transfers between
// grid neighbours (docs/cost-model.md §4a).
#include "closed_form_impl.hpp"

namespace loopsim {

using namespace closed_form;

// Link transfers of one kind of invocation: instances whose delta a grid neighbour held
// in the previous invocation (offset difference `need`) take it from the neighbour. Used
// (and recorded in t) when that leaves fewer multicast groups to fetch from the parent.
template <typename Target>
bool ClosedFormAnalyzer::Impl::link_transfers(const Chain& ch, const Groups& groups, const RankVec& need,
                    std::uint64_t h, std::uint64_t v, std::uint64_t size,
                    std::uint64_t weight, Target& t) {
  if (offs_.size() != ch.count) offs_ = offsets(ch, SmallVec<bool, 8>(ch.sigma.size(), true));
  const std::vector<RankVec>& offs = offs_;
  const std::uint64_t count = ch.count;
  std::vector<bool> reused(count, false);
  std::uint64_t n_reused = 0;
  auto check = [&](std::uint64_t i, std::uint64_t j) {
    if (reused[i] || j >= count) return;
    if (minus(offs[j], offs[i]) == need) {
      reused[i] = true;
      ++n_reused;
    }
  };
  for (std::uint64_t i = 0; i < count; ++i) {
    std::uint64_t hid = i % h, vid = i / h;
    if (v > 1 && vid >= 1) check(i, i - h);
    if (v > 1 && vid + 1 < v) check(i, i + h);
    if (h > 1 && hid >= 1) check(i, i - 1);
    if (h > 1 && hid + 1 < h) check(i, i + 1);
  }
  if (n_reused == 0) return false;
  std::vector<RankVec> rest;
  for (std::uint64_t i = 0; i < count; ++i)
    if (!reused[i]) rest.push_back(offs[i]);
  Groups rest_groups = singletons_ ? Groups{{1, rest.size()}} : groups_of(rest, 1);
  if (group_count(rest_groups) >= group_count(groups)) return false;
  t.link_transfers += n_reused * size * weight;
  add_groups(t.access_stats, rest_groups, size, weight);
  return true;
}

template <typename Target>
void ClosedFormAnalyzer::Impl::spatial_block(int pv, int s, int lo, int master, int child, const Counter& c, bool whole,
                   Target& t) {
  const Chain ch = chain_of(pv, lo, master);
  // No multicast (or reduction) at this level: every instance is a group of its own.
  singletons_ = modified(no_multicast_, s, pv);
  const Groups groups = singletons_ ? Groups{{1, ch.count}} : all_groups(ch);
  auto h = static_cast<std::uint64_t>(fx_->at(s));
  auto v = static_cast<std::uint64_t>(fy_->at(s));
  SmallVec<RankVec, 32>& near = near_;
  bool near_known = false;  // near is made on first use: most invocations never need it
  offs_.clear();  // the instances' offsets, made when a link transfer is possible

  // Accesses of the invocations without link transfers, summed (size x weight): they all
  // share the multicast groups of `groups`.
  std::uint64_t plain = 0;

  // One kind of invocation: the current delta box `cur` (of `size` points), fetched at
  // `shift` from the previous invocation's box `prev` (nullptr for the first one), with
  // the summed weight of the invocations of that kind.
  auto invocation = [&](const Aahr& cur, std::uint64_t size, const RankVec& shift,
                        const Aahr* prev, std::uint64_t weight) {
    if (weight == 0 || size == 0) return;
    if (prev != nullptr && same_shape(cur, *prev)) {
      // Instance i reuses a neighbour j's previous delta when off_j - off_i equals
      // cur.min - prev.min.
      RankVec need{};
      for (int r = 0; r < cur.order(); ++r) need[r] = cur.lo(r) + shift[r] - prev->lo(r);
      // Whether some order of the spatial loops could make the holder a neighbour.
      if (sensitive_ != nullptr && ch.sigma.size() >= 2 && (*sensitive_)[s] == 0 &&
          offset_difference(ch, need))
        (*sensitive_)[s] = 1;
      if (!near_known) {
        neighbour_moves(ch, h, v, near);
        near_known = true;
      }
      if (std::any_of(near.begin(), near.end(), [&](const RankVec& m) { return same(m, need); }) &&
          link_transfers(ch, groups, need, h, v, size, weight, t))
        return;
    }
    plain += size * weight;
  };

  if (child < 0) {
    // Arithmetic units: each instance takes its operand as a unit point every time.
    const Aahr point = OperationSpace(*w_, Point{}, Point{}).data_space(pv);
    const auto size = static_cast<std::uint64_t>(point.size());
    invocation(point, size, RankVec{}, nullptr, 1);
    translations(pv, c, tau_);
    for (std::size_t j = 0; j < tau_.size(); ++j)
      invocation(point, size, tau_[j], &point, c.weight[j]);
  } else if (whole) {
    // Every invocation fetches the whole tile T, moved by t_j from the previous one (also T).
    const Aahr& full = tile(pv, child);
    const std::uint64_t size = tile_size(pv, child);
    invocation(full, size, RankVec{}, nullptr, 1);
    translations(pv, c, tau_);
    for (std::size_t j = 0; j < tau_.size(); ++j)
      invocation(full, size, tau_[j], &full, c.weight[j]);
  } else {
    ChildDeltas& cd = deltas_;
    child_deltas(pv, child, c, cd);
    invocation(cd.full, tile_size(pv, child), RankVec{}, nullptr, 1);
    if (!cd.delta.empty()) {
      // Invocations of the same kind (same boxes, same move) are summed first: D_0 after
      // D_0 (a bit j >= 1 that moves like bit 0, and bit 0 after it), D_0 after the whole
      // tile (after the first invocation, and after a bit that changed the stride).
      std::uint64_t d0_after_d0 = 0, d0_after_full = c.first_bit_weight;
      for (std::size_t j = 1; j < cd.delta.size(); ++j) {
        if (same(cd.tau[j], cd.tau[0])) {
          d0_after_d0 += c.weight[j] + c.first_bit_weight * c.weight[j];
        } else {
          invocation(cd.delta[j], cd.size[j], cd.tau[j], &cd.delta[0], c.weight[j]);
          d0_after_full += c.first_bit_weight * c.weight[j];
        }
      }
      invocation(cd.delta[0], cd.size[0], cd.tau[0], &cd.delta[0], d0_after_d0);
      invocation(cd.delta[0], cd.size[0], cd.tau[0], &cd.full, d0_after_full);
    }
  }
  add_groups(t.access_stats, groups, 1, plain);
}

template void ClosedFormAnalyzer::Impl::spatial_block<LoopTile>(int, int, int, int, int,
                                                                const Counter&, bool, LoopTile&);
template void ClosedFormAnalyzer::Impl::spatial_block<DataMovement>(int, int, int, int, int,
                                                                    const Counter&, bool,
                                                                    DataMovement&);

}  // namespace loopsim
