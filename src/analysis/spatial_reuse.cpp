// Spatial reuse of one fan-out (Timeloop's multicast and link-transfer analysis): which
// spatial instances receive the same delta (one read multicast to them) and which take
// their delta from a grid neighbour that held it in the previous step; and the
// AccessStatMatrix that records accesses by (multicast, scatter).
#include "spatial_reuse.hpp"

#include <algorithm>
#include <cmath>

namespace loopsim {

std::uint64_t AccessStatMatrix::total_accesses() const {
  std::uint64_t t = 0;
  for (const auto& v : stats) t += v.accesses;
  return t;
}

std::uint64_t AccessStatMatrix::weighted_accesses() const {
  std::uint64_t t = 0;
  for (const auto& v : stats) t += v.accesses * v.multicast;
  return t;
}

AccessStat& AccessStatMatrix::at(std::uint64_t multicast, std::uint64_t scatter) {
  auto it = stats.begin();
  while (it != stats.end() &&
         (it->multicast < multicast || (it->multicast == multicast && it->scatter < scatter)))
    ++it;
  if (it != stats.end() && it->multicast == multicast && it->scatter == scatter) return *it;
  AccessStat fresh;
  fresh.multicast = multicast;
  fresh.scatter = scatter;
  return *stats.insert(it, fresh);
}

void AccessStatMatrix::accumulate(const AccessStatMatrix& other) {
  for (const auto& v : other.stats) {
    auto& mine = at(v.multicast, v.scatter);
    mine.accesses += v.accesses;
    mine.hops += v.hops;
  }
}

namespace detail {

void reset_unaccounted(int nds, const SpatialDeltas& deltas, Unaccounted& u) {
  for (int pv = 0; pv < nds; ++pv) {
    u[pv].clear();
    for (const auto& [idx, delta] : deltas) u[pv].insert(idx);
  }
}

// Hops to deliver one delta to a multicast group from the array's edge (Timeloop's
// ComputeAccurateMulticastedAccesses): the injection point is at the centre of the vertical
// axis; the data runs along the horizontal axis to the farthest column, then down each
// column's vertical line from the centre to its lowest and highest member.
static double multicast_hops(const std::vector<std::uint64_t>& members, std::uint64_t h_size,
                             std::uint64_t v_size) {
  std::map<std::uint64_t, std::pair<std::uint64_t, std::uint64_t>> v_range_at_h;
  std::uint64_t h_max = 0;
  for (auto id : members) {
    std::uint64_t h = id % h_size, v = id / h_size;
    h_max = std::max(h_max, h);
    auto [it, fresh] = v_range_at_h.try_emplace(h, v, v);
    if (!fresh) {
      it->second.first = std::min(it->second.first, v);
      it->second.second = std::max(it->second.second, v);
    }
  }
  const double v_center = static_cast<double>(v_size - 1) / 2;
  double hops = static_cast<double>(h_max);
  for (const auto& [h, range] : v_range_at_h) {
    double lo = static_cast<double>(range.first) - v_center;
    double hi = static_cast<double>(range.second) - v_center;
    if (lo < 0) hops += -lo;
    if (hi > 0) hops += hi;
  }
  return hops;
}

std::array<AccessStatMatrix, kMaxDataSpaces> multicast_accesses(const SpatialReuse& r,
                                                                const SpatialDeltas& deltas,
                                                                Unaccounted& unaccounted) {
  struct Temp {
    std::uint64_t accesses = 0, scatter = 0;
    double hops = 0.0;
  };
  std::array<std::map<std::uint64_t, Temp>, kMaxDataSpaces> temp;
  const std::uint64_t h_size = r.h, v_size = r.v;
  const std::uint32_t no_multicast = r.no_multicast;

  for (auto it = deltas.begin(); it != deltas.end(); ++it) {
    std::array<std::uint64_t, kMaxDataSpaces> matches{};
    std::array<std::vector<std::uint64_t>, kMaxDataSpaces> match_set;
    for (int pv = 0; pv < r.nds; ++pv) {
      auto u = unaccounted[pv].find(it->first);
      if (u == unaccounted[pv].end()) continue;
      unaccounted[pv].erase(u);
      matches[pv] = 1;
      match_set[pv].push_back(it->first);
      if (no_multicast >> pv & 1u) continue;  // each instance is served on its own
      for (auto other = std::next(it); other != deltas.end(); ++other) {
        auto uo = unaccounted[pv].find(other->first);
        if (uo == unaccounted[pv].end()) continue;
        if (it->second.data_space(pv).same_box(other->second.data_space(pv))) {
          unaccounted[pv].erase(uo);
          matches[pv]++;
          match_set[pv].push_back(other->first);
        }
      }
    }
    for (int pv = 0; pv < r.nds; ++pv) {
      if (matches[pv] == 0 || it->second.size(pv) <= 0) continue;
      auto& t = temp[pv][matches[pv]];
      t.accesses += static_cast<std::uint64_t>(it->second.size(pv)) * r.epochs;
      t.scatter++;
      t.hops += multicast_hops(match_set[pv], h_size, v_size);
    }
  }
  std::array<AccessStatMatrix, kMaxDataSpaces> out;
  for (int pv = 0; pv < r.nds; ++pv)
    for (const auto& [mcast, t] : temp[pv]) {
      AccessStat& a = out[pv].at(mcast, t.scatter);
      a.accesses = t.accesses;
      // Timeloop keeps hops as a weighted sum: the mean over the groups times the accesses.
      a.hops = t.hops * static_cast<double>(t.accesses) / static_cast<double>(t.scatter);
    }
  return out;
}

namespace {

// Words covered by exactly c of `boxes` (with multiplicities), for each c >= 1, by
// coordinate compression; false when the grid would exceed `max_cells`.
bool coverage(const std::vector<std::pair<const Aahr*, std::uint64_t>>& boxes,
              std::map<std::uint64_t, std::uint64_t>& words_by_count, std::uint64_t max_cells) {
  const int order = boxes.front().first->order();
  std::array<std::vector<Coord>, kMaxRanks> cuts;
  std::uint64_t cells = 1;
  for (int k = 0; k < order; ++k) {
    for (const auto& [b, m] : boxes) {
      cuts[k].push_back(b->lo(k));
      cuts[k].push_back(b->hi(k));
    }
    std::sort(cuts[k].begin(), cuts[k].end());
    cuts[k].erase(std::unique(cuts[k].begin(), cuts[k].end()), cuts[k].end());
    cells *= cuts[k].size() - 1;
    if (cells > max_cells) return false;
  }
  std::vector<std::uint64_t> count(cells, 0);
  for (const auto& [b, m] : boxes) {
    std::array<std::size_t, kMaxRanks> lo{}, hi{};
    for (int k = 0; k < order; ++k) {
      lo[k] = static_cast<std::size_t>(std::lower_bound(cuts[k].begin(), cuts[k].end(), b->lo(k)) -
                                       cuts[k].begin());
      hi[k] = static_cast<std::size_t>(std::lower_bound(cuts[k].begin(), cuts[k].end(), b->hi(k)) -
                                       cuts[k].begin());
    }
    std::array<std::size_t, kMaxRanks> i = lo;
    for (;;) {
      std::size_t cell = 0;
      for (int k = 0; k < order; ++k) cell = cell * (cuts[k].size() - 1) + i[k];
      count[cell] += m;
      int k = order - 1;
      while (k >= 0 && ++i[k] == hi[k]) {
        i[k] = lo[k];
        --k;
      }
      if (k < 0) break;
    }
  }
  for (std::size_t cell = 0; cell < cells; ++cell) {
    if (count[cell] == 0) continue;
    std::uint64_t volume = 1;
    std::size_t rest = cell;
    for (int k = order - 1; k >= 0; --k) {
      std::size_t n = cuts[k].size() - 1, j = rest % n;
      rest /= n;
      volume *= static_cast<std::uint64_t>(cuts[k][j + 1] - cuts[k][j]);
    }
    words_by_count[count[cell]] += volume;
  }
  return true;
}

}  // namespace

std::array<AccessStatMatrix, kMaxDataSpaces> union_multicast_accesses(const SpatialReuse& r,
                                                                      const SpatialDeltas& deltas,
                                                                      Unaccounted& unaccounted) {
  std::array<AccessStatMatrix, kMaxDataSpaces> out;
  // Timeloop's grouping of identical deltas for data space pv (also the fallback).
  auto by_identical_deltas = [&](int pv) {
    Unaccounted one;
    one[pv] = unaccounted[pv];
    SpatialReuse single = r;
    single.nds = pv + 1;
    out[pv] = multicast_accesses(single, deltas, one)[pv];
    unaccounted[pv].clear();
  };
  for (int pv = 0; pv < r.nds; ++pv) {
    if (r.no_multicast >> pv & 1u) {  // each instance is served on its own, as Timeloop
      by_identical_deltas(pv);
      continue;
    }
    // Identical boxes first (with multiplicities), then the words each distinct box shares.
    std::vector<std::pair<const Aahr*, std::uint64_t>> boxes;
    for (auto idx : unaccounted[pv]) {
      const Aahr& b = deltas.at(idx).data_space(pv);
      if (b.size() <= 0) continue;
      bool found = false;
      for (auto& [seen, m] : boxes)
        if (seen->same_box(b)) {
          ++m;
          found = true;
          break;
        }
      if (!found) boxes.emplace_back(&b, 1);
    }
    std::map<std::uint64_t, std::uint64_t> words_by_count;
    if (!boxes.empty() && !coverage(boxes, words_by_count, std::uint64_t{1} << 22)) {
      by_identical_deltas(pv);
      continue;
    }
    unaccounted[pv].clear();
    for (const auto& [mcast, words] : words_by_count)
      out[pv].at(mcast, 1).accesses += words * r.epochs;
  }
  return out;
}

void link_transfers(const SpatialReuse& r, const SpatialDeltas& deltas, const SpatialDeltas& prev,
                    Unaccounted& unaccounted,
                    std::array<std::uint64_t, kMaxDataSpaces>& transfers) {
  const std::uint64_t h = r.h, v = r.v;
  std::vector<std::array<bool, kMaxDataSpaces>> reuse(h * v);
  auto compare = [&](std::uint64_t cur_idx, std::uint64_t prev_idx) {
    auto c = deltas.find(cur_idx);
    if (c == deltas.end()) return;
    auto p = prev.find(prev_idx);
    if (p == prev.end()) return;
    for (int pv = 0; pv < r.nds; ++pv)
      if (c->second.size(pv) != 0 && c->second.data_space(pv).same_box(p->second.data_space(pv)))
        reuse.at(cur_idx)[pv] = true;
  };
  auto lin = [&](std::uint64_t hid, std::uint64_t vid) { return vid * h + hid; };
  if (v > 1) {
    for (std::uint64_t hid = 0; hid < h; ++hid)
      for (std::uint64_t vid = 1; vid < v; ++vid) compare(lin(hid, vid), lin(hid, vid - 1));
    for (std::uint64_t hid = 0; hid < h; ++hid)
      for (std::uint64_t vid = 0; vid + 1 < v; ++vid) compare(lin(hid, vid), lin(hid, vid + 1));
  }
  if (h > 1) {
    for (std::uint64_t vid = 0; vid < v; ++vid)
      for (std::uint64_t hid = 1; hid < h; ++hid) compare(lin(hid, vid), lin(hid - 1, vid));
    for (std::uint64_t vid = 0; vid < v; ++vid)
      for (std::uint64_t hid = 0; hid + 1 < h; ++hid) compare(lin(hid, vid), lin(hid + 1, vid));
  }
  for (const auto& [idx, delta] : deltas) {
    for (int pv = 0; pv < r.nds; ++pv) {
      if (!reuse.at(idx)[pv]) continue;
      transfers[pv] += static_cast<std::uint64_t>(delta.size(pv)) * r.epochs;
      unaccounted[pv].erase(idx);
    }
  }
}

}  // namespace detail

}  // namespace loopsim
