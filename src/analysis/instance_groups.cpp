// The spatial instances of a chain of spatial loops: offsets, multicast groups and
// neighbour moves (see instance_groups.hpp; equations in docs/cost-model.md §4a).
#include "instance_groups.hpp"

#include <algorithm>

namespace loopsim::closed_form {

std::uint64_t group_count(const Groups& g) {
  std::uint64_t n = 0;
  for (const auto& [size, count] : g) n += count;
  return n;
}

// Adds, for each multicast factor m, count_m groups of `size` accesses times `weight`.
void add_groups(AccessStatMatrix& stats, const Groups& groups, std::uint64_t size,
                std::uint64_t weight) {
  if (size == 0 || weight == 0) return;
  for (const auto& [m, count] : groups) stats.at(m, count).accesses += count * size * weight;
}

// Groups of equal values among `values`, each group `scale` times larger.
Groups groups_of(std::vector<RankVec> values, std::uint64_t scale) {
  std::sort(values.begin(), values.end());
  std::vector<std::uint64_t> sizes;
  for (std::size_t i = 0; i < values.size();) {
    std::size_t j = i;
    while (j < values.size() && values[j] == values[i]) ++j;
    sizes.push_back((j - i) * scale);
    i = j;
  }
  std::sort(sizes.begin(), sizes.end());
  Groups g;
  for (auto z : sizes) {
    if (!g.empty() && g.back().first == z)
      ++g.back().second;
    else
      g.emplace_back(z, 1);
  }
  return g;
}

// Offsets of all instances (by linear index), restricted to the digits in `use`.
std::vector<RankVec> offsets(const Chain& ch, const SmallVec<bool, 8>& use) {
  std::vector<RankVec> offs{RankVec{}};
  for (int k = static_cast<int>(ch.sigma.size()) - 1; k >= 0; --k) {
    if (!use[k]) continue;
    std::vector<RankVec> next;
    next.reserve(offs.size() * ch.radix[k]);
    for (const auto& base : offs)
      for (std::uint64_t i = 0; i < ch.radix[k]; ++i) {
        RankVec o = base;
        for (int r = 0; r < kMaxRanks; ++r) o[r] += static_cast<Coord>(i) * ch.sigma[k][r];
        next.push_back(o);
      }
    offs = std::move(next);
  }
  return offs;
}

namespace {

// Adds `count` groups of `size` instances, keeping the list sorted by size.
void add_group(Groups& g, std::uint64_t size, std::uint64_t count) {
  auto it = g.begin();
  while (it != g.end() && it->first < size) ++it;
  if (it != g.end() && it->first == size) it->second += count;
  else g.insert(it, {size, count});
}

}  // namespace

// Instances grouped by equal offset. Digits that do not move the tile multiply every
// group; when the moving digits map instances one-to-one (each moves along one rank, and
// on each rank every step exceeds the reach of the smaller ones) all groups are equal;
// otherwise the offsets are enumerated.
Groups all_groups(const Chain& ch) {
  const int q = static_cast<int>(ch.sigma.size());
  std::uint64_t still = 1;
  SmallVec<bool, 8> use(static_cast<std::size_t>(q), false);
  // Per rank, the (step, radix) of the digits moving along it alone.
  using Step = std::pair<Coord, std::uint64_t>;
  std::array<SmallVec<Step, 4>, kMaxRanks> per_rank;
  bool separable = true;  // every moving digit moves along one rank only
  for (int k = 0; k < q; ++k) {
    int rank = -1, nonzero = 0;
    for (int r = 0; r < kMaxRanks; ++r)
      if (ch.sigma[k][r] != 0) {
        rank = r;
        ++nonzero;
      }
    if (nonzero == 0) {
      still *= ch.radix[k];
      continue;
    }
    use[k] = true;
    if (nonzero > 1) separable = false;
    else per_rank[rank].emplace_back(ch.sigma[k][rank], ch.radix[k]);
  }
  if (!separable) return groups_of(offsets(ch, use), still);
  // One-to-one when, on every rank, each step (positive) exceeds the reach of the smaller
  // ones: then all groups have `still` instances.
  bool one_to_one = true;
  std::uint64_t moving = 1;
  for (auto& steps : per_rank) {
    if (steps.size() > 1) std::sort(steps.begin(), steps.end());
    std::int64_t reach = 0;
    for (const auto& [step, radix] : steps) {
      if (step <= reach) one_to_one = false;
      reach += static_cast<std::int64_t>(step) * static_cast<std::int64_t>(radix - 1);
      moving *= radix;
    }
  }
  if (one_to_one) return Groups{{still, moving}};
  // Ranks are independent: per rank, the number of instances at each offset is the
  // convolution of the digits' uniform steps; a group's size is the product over ranks.
  Groups total{{still, 1}};
  for (const auto& steps : per_rank) {
    if (steps.empty()) continue;
    std::int64_t lo = 0, hi = 0;
    for (const auto& [step, radix] : steps)
      (step < 0 ? lo : hi) += static_cast<std::int64_t>(step) * static_cast<std::int64_t>(radix - 1);
    const std::int64_t range = hi - lo + 1;
    if (range > 4096) return groups_of(offsets(ch, use), still);
    SmallVec<std::uint64_t, 64> count(static_cast<std::size_t>(range), 0), next;
    count[static_cast<std::size_t>(-lo)] = 1;
    for (const auto& [step, radix] : steps) {
      next.assign(count.size(), 0);
      for (std::int64_t v = 0; v < range; ++v) {
        if (count[v] == 0) continue;
        for (std::uint64_t d = 0; d < radix; ++d)
          next[static_cast<std::size_t>(v + static_cast<std::int64_t>(d) * step)] += count[v];
      }
      count.swap(next);
    }
    Groups rank_groups;  // (instances at one offset, how many offsets)
    for (auto c : count)
      if (c != 0) add_group(rank_groups, c, 1);
    Groups product;
    for (const auto& [m1, c1] : total)
      for (const auto& [m2, c2] : rank_groups) add_group(product, m1 * m2, c1 * c2);
    total.swap(product);
  }
  return total;
}

// A superset of the offset differences between grid neighbours (linear index +-1 and
// +-h), possibly with repeats (it is only searched): adding delta to a mixed-radix index changes digit k by delta_k + carry_in -
// radix_k * carry_out.
void neighbour_moves(const Chain& ch, std::uint64_t h, std::uint64_t v,
                            SmallVec<RankVec, 32>& moves) {
  moves.clear();
  const int q = static_cast<int>(ch.sigma.size());
  auto add = [&](std::uint64_t delta) {
    if (delta >= ch.count) return;
    SmallVec<std::int64_t, 8> digit(static_cast<std::size_t>(q));
    std::uint64_t rest = delta;
    for (int k = 0; k < q; ++k) {
      digit[k] = static_cast<std::int64_t>(rest % ch.radix[k]);
      rest /= ch.radix[k];
    }
    for (std::uint32_t carries = 0; carries < (1u << (q - 1)); ++carries) {
      RankVec move{};
      bool feasible = true;
      std::int64_t carry_in = 0;
      for (int k = 0; k < q && feasible; ++k) {
        std::int64_t carry_out = (k + 1 < q) ? ((carries >> k) & 1u) : 0;
        std::int64_t e = digit[k] + carry_in - static_cast<std::int64_t>(ch.radix[k]) * carry_out;
        if (e > static_cast<std::int64_t>(ch.radix[k]) - 1 ||
            e < 1 - static_cast<std::int64_t>(ch.radix[k]))
          feasible = false;
        for (int r = 0; r < kMaxRanks; ++r) move[r] += static_cast<Coord>(e) * ch.sigma[k][r];
        carry_in = carry_out;
      }
      if (!feasible) continue;
      moves.push_back(move);
      moves.push_back(minus(RankVec{}, move));
    }
  };
  if (h > 1) add(1);
  if (v > 1) add(h);
}

namespace {

// Whether rest = sum_{k' >= k} e_k' sigma_k' for some |e_k'| < radix_k'; reach[k] bounds
// what digits k.. can move along each rank. Spends `budget` (true when it runs out).
bool reachable(const Chain& ch, const SmallVec<RankVec, 8>& reach, std::size_t k,
               const RankVec& rest, int& budget) {
  if (--budget < 0) return true;
  for (int r = 0; r < kMaxRanks; ++r)
    if (rest[r] > reach[k][r] || rest[r] < -reach[k][r]) return false;
  if (k == ch.sigma.size()) return true;  // reach is 0 there: rest is 0
  if (same(ch.sigma[k], RankVec{})) return reachable(ch, reach, k + 1, rest, budget);
  const auto top = static_cast<Coord>(ch.radix[k]) - 1;
  for (Coord e = -top; e <= top; ++e) {
    RankVec next = rest;
    for (int r = 0; r < kMaxRanks; ++r) next[r] -= e * ch.sigma[k][r];
    if (reachable(ch, reach, k + 1, next, budget)) return true;
  }
  return false;
}

}  // namespace

bool offset_difference(const Chain& ch, const RankVec& need) {
  if (ch.count < 2) return false;
  if (same(need, RankVec{})) return true;
  SmallVec<RankVec, 8> reach(ch.sigma.size() + 1, RankVec{});
  for (std::size_t k = ch.sigma.size(); k-- > 0;)
    for (int r = 0; r < kMaxRanks; ++r) {
      Coord s = ch.sigma[k][r] < 0 ? -ch.sigma[k][r] : ch.sigma[k][r];
      reach[k][r] = reach[k + 1][r] + s * (static_cast<Coord>(ch.radix[k]) - 1);
    }
  int budget = 1 << 14;
  return reachable(ch, reach, 0, need, budget);
}

}  // namespace loopsim::closed_form
