// The optimal search's bound on partial tilings (partial_bound.hpp). Why each term holds,
// for a data space v whose every rank is one dimension (docs/mapper.md, "Pruning rules of
// the optimal search"): with evenly dividing factors, the fills of a level c that keeps v,
// summed over its instances, are |v| x (the spatial factors above c of the dims v does not
// use: each instance needs its own copy) x (the temporal factors of those dims that lie
// outside the innermost loop above c that v uses: each of them brings the same tiles back).
// The best loop order puts, at the lowest level above c with a loop v uses, every loop v
// does not use inside it, and levels between c and that one hold only loops v does not use,
// so only the irrelevant loops of the levels above it repeat the tiles. A dimension whose
// factorization is not chosen yet can only add loops (factors >= 1) and lower that level,
// so leaving it out keeps a lower bound. The parent serves those fills with one access per
// multicast group, and multicast only joins instances that differ in the dims v does not
// use below the parent.
#include "partial_bound.hpp"

#include <algorithm>
#include <cmath>
#include <map>

namespace loopsim::detail {

bool dense(const Workload& w, int ds) {
  std::vector<int> uses(static_cast<std::size_t>(w.num_dims()), 0);
  for (const auto& rank : w.data_spaces[static_cast<std::size_t>(ds)].projection) {
    // The sums c1 x1 + c2 x2 + ... (0 <= xi < bound i) cover 0 .. their maximum when, with
    // the terms by increasing coefficient, the first is 1 and each next one is at most one
    // more than the reach of those before (a stride no longer than the window).
    std::vector<std::pair<std::int64_t, std::int64_t>> terms;  // coefficient, bound
    for (const auto& t : rank) {
      if (++uses[static_cast<std::size_t>(t.dim)] > 1) return false;
      const std::int64_t c = w.coefficient(t.coeff), b = w.bounds[static_cast<std::size_t>(t.dim)];
      if (c <= 0) return false;
      if (b > 1) terms.emplace_back(c, b);
    }
    std::sort(terms.begin(), terms.end());
    std::int64_t reach = 0;
    for (const auto& [c, b] : terms) {
      if (c > reach + 1) return false;
      reach += c * (b - 1);
    }
  }
  return true;
}

PartialBound::PartialBound(const Workload& w, const ArchSpec& arch, const EnergyTable& energy,
                           const MapSpace& space, std::vector<double> compulsory)
    : w_(w), arch_(arch), energy_(energy), space_(space), compulsory_(std::move(compulsory)),
      nlev_(space.num_levels()), ndim_(space.num_dims()), nds_(w.num_data_spaces()), rel_(w) {
  usable_ = !space.aborted() && !space.has_imperfect() && nlev_ == arch.num_storage_levels();
  for (const auto& spec : arch.storage)
    has_bandwidth_ = has_bandwidth_ || (spec.read_bandwidth && *spec.read_bandwidth > 0) ||
                     (spec.write_bandwidth && *spec.write_bandwidth > 0) ||
                     (spec.shared_bandwidth && *spec.shared_bandwidth > 0);
  for (int ds = 0; ds < nds_; ++ds) dense_.push_back(dense(w, ds) ? 1 : 0);
  const auto& slots = space.slots();
  for (const auto& s : slots) {
    slot_level_.push_back(s.level);
    slot_spatial_.push_back(s.st == Spacetime::Time ? 0 : 1);
  }
  max_factor_.assign(static_cast<std::size_t>(ndim_), std::vector<std::int64_t>(slots.size(), 1));
  for (int d = 0; d < ndim_ && usable_; ++d)
    for (const auto& row : space.factorizations(d))
      for (std::size_t s = 0; s < slots.size(); ++s)
        max_factor_[static_cast<std::size_t>(d)][s] =
            std::max(max_factor_[static_cast<std::size_t>(d)][s], row[s]);
  // Per level and dim: the most its spatial factors at that level and below can give.
  most_below_.assign(static_cast<std::size_t>(nlev_), std::vector<double>(static_cast<std::size_t>(ndim_), 1.0));
  for (int l = 0; l < nlev_; ++l)
    for (std::size_t s = 0; s < slots.size(); ++s) {
      if (slots[s].st == Spacetime::Time || slots[s].level > l) continue;
      const auto fan = static_cast<double>(slots[s].st == Spacetime::SpaceX ? arch.fanout_x(slots[s].level)
                                                                            : arch.fanout_y(slots[s].level));
      for (int d = 0; d < ndim_; ++d)
        most_below_[static_cast<std::size_t>(l)][static_cast<std::size_t>(d)] *=
            std::min(fan, static_cast<double>(max_factor_[static_cast<std::size_t>(d)][s]));
    }
  // A dim's spatial factors at level l and below multiply to at most the largest such
  // product of its factorizations (tighter than the product of its per-slot maxima when
  // the slots together could exceed its bound).
  spatial_most_.assign(static_cast<std::size_t>(nlev_), std::vector<double>(static_cast<std::size_t>(ndim_), 1.0));
  for (int d = 0; d < ndim_ && usable_; ++d)
    for (const auto& row : space.factorizations(d)) {
      double prod = 1;
      std::size_t s = 0;
      for (int l = 0; l < nlev_; ++l) {
        for (; s < slots.size() && slots[s].level == l; ++s)
          if (slots[s].st != Spacetime::Time) prod *= static_cast<double>(row[s]);
        auto& m = spatial_most_[static_cast<std::size_t>(l)][static_cast<std::size_t>(d)];
        m = std::max(m, prod);
      }
    }
  for (int l = 0; l < nlev_; ++l)
    for (int d = 0; d < ndim_; ++d)
      most_below_[static_cast<std::size_t>(l)][static_cast<std::size_t>(d)] =
          std::min(most_below_[static_cast<std::size_t>(l)][static_cast<std::size_t>(d)],
                   spatial_most_[static_cast<std::size_t>(l)][static_cast<std::size_t>(d)]);
  last_slot_.assign(static_cast<std::size_t>(nlev_), -1);
  for (std::size_t s = 0; s < slots.size(); ++s)
    for (int l = slots[s].level; l < nlev_; ++l) last_slot_[static_cast<std::size_t>(l)] = static_cast<int>(s);
  group_.resize(static_cast<std::size_t>(ndim_));
  group_count_.assign(static_cast<std::size_t>(ndim_), 0);
  for (int d = 0; d < ndim_ && usable_; ++d) {
    std::map<std::vector<std::int64_t>, int> ids;
    const auto& rows = space.factorizations(d);
    for (std::size_t r = 0; r < rows.size(); ++r) {
      std::vector<std::int64_t> key;
      for (std::size_t s = 0; s < slots.size(); ++s)
        if (slots[s].st != Spacetime::Time) key.push_back(rows[r][s]);
      auto it = ids.emplace(std::move(key), static_cast<int>(ids.size())).first;
      group_[static_cast<std::size_t>(d)].push_back(it->second);
    }
    group_count_[static_cast<std::size_t>(d)] = static_cast<int>(ids.size());
  }
  next_differing_.resize(static_cast<std::size_t>(ndim_));
  for (int d = 0; d < ndim_ && usable_; ++d) {
    const auto& rows = space.factorizations(d);
    const auto n = static_cast<int>(rows.size());
    auto& nd = next_differing_[static_cast<std::size_t>(d)];
    nd.assign(slots.size(), std::vector<int>(rows.size(), n));
    for (std::size_t s = 0; s < slots.size(); ++s)
      for (int i = n - 2; i >= 0; --i) {
        const auto& a = rows[static_cast<std::size_t>(i)];
        const auto& b = rows[static_cast<std::size_t>(i) + 1];
        const bool same = std::equal(a.begin(), a.begin() + static_cast<std::ptrdiff_t>(s) + 1, b.begin());
        nd[s][static_cast<std::size_t>(i)] = same ? nd[s][static_cast<std::size_t>(i) + 1] : i + 1;
      }
  }
}

namespace {
constexpr int kMaxLevels = 32;
}  // namespace

// Data space ds's share of the bound, apart from the loop order: returns the operand
// accesses at the innermost level that keeps it plus its compulsory traffic, and, when its
// ranks are single dims, calls `pair(OrderTerms::Pair)` for every level c keeping it and
// the next level up keeping it (the pair adds at(o)).
// Read-write data (partial sums) also go back down: the fills of c and the reads of the
// parent are the same counts less the first fill of each element of each instance's
// partition (Timeloop's first-read elision: |v| x the copies for the dims v does not use,
// at most, in all the instances; one copy at the outermost level).
template <class Pair>
double PartialBound::ds_terms(int ds, const int* chain, int n, const Table& tf, const Table& sf,
                              const char* assigned, Pair&& pair) const {
  if (n == 0) return 0;
  const auto uds = static_cast<std::size_t>(ds);
  const int top = nlev_ - 1;
  const bool rw = w_.is_read_write(ds);
  double e = compulsory_[uds] + operand_term(ds, chain[0], sf, assigned);
  const auto& rel = rel_.relevant[uds];
  // Elements used: the whole box when dense; for a plain data space whose ranks carry
  // coefficients (strided), one per value of each rank's dim.
  double size = static_cast<double>(w_.tensor_size(ds));
  if (!dense_[uds]) {
    size = 1;
    for (const auto& rank : w_.data_spaces[uds].projection)
      for (const auto& t : rank)
        if (w_.coefficient(t.coeff) != 0) size *= static_cast<double>(w_.bounds[static_cast<std::size_t>(t.dim)]);
  }
  // A data space that is not plain (a sliding window) counts only when it is dense and
  // read-only, and only its fills: each run of the innermost loop at level k* on a dim it
  // uses (a sweep) fetches every element of the tiles it visits (the first tile whole: it
  // follows a jump back, which Timeloop's stride rule refetches whole; then the new part of
  // each next tile), and every loop on a dim it does not use outside that one repeats the
  // same sweeps, so the same count as for a plain data space holds; what reaches the parent
  // is not counted (link transfers may serve neighbours).
  const bool windowed = !rel_.plain[uds];
  if (windowed && (rw || !dense_[uds])) return e;
  for (int i = 0; i + 1 < n; ++i) {
    const int c = chain[i], par = chain[i + 1];
    int kstar = nlev_;
    for (int k = c + 1; k < nlev_ && kstar == nlev_; ++k)
      for (int d = 0; d < ndim_; ++d)
        if (rel[static_cast<std::size_t>(d)] && tf[k][d] > 1) {
          kstar = k;
          break;
        }
    double repeats = 1, spread_c = 1, spread_p = 1;
    for (int k = c + 1; k < nlev_; ++k)
      for (int d = 0; d < ndim_; ++d) {
        if (rel[static_cast<std::size_t>(d)]) continue;
        if (k > kstar) repeats *= tf[k][d];
        spread_c *= sf[k][d];
        if (k > par) spread_p *= sf[k][d];
      }
    const auto& cs = arch_.storage[static_cast<std::size_t>(c)];
    const auto& ps = arch_.storage[static_cast<std::size_t>(par)];
    const double per_c = std::max(1, cs.block_size) * std::max(1, cs.cluster_size);
    const double per_p = std::max(1, ps.block_size) * std::max(1, ps.cluster_size);
    const auto& pe = energy_.storage(par);
    OrderTerms::Pair t;
    t.ds = ds;
    t.kstar = kstar;
    t.c = c;
    t.par = par;
    {
      const double ic = static_cast<double>(std::max<std::int64_t>(1, cs.instances));
      const double ip = static_cast<double>(std::max<std::int64_t>(1, ps.instances));
      t.fill_w = 0.999 * size * spread_c * repeats / ic;
      if (rw) t.fill_off_w = 0.999 * size * spread_c / ic;
      if (!windowed) {
        t.served_w = 0.999 * size * spread_p * repeats / ip;
        if (rw) {
          t.read_off_w = 0.999 * size * spread_p / ip;
          t.read_w = t.read_off_w * repeats;
        }
      }
    }
    const double fill_once = 0.999 * size * spread_c * energy_.storage(c).fill_pj / per_c;
    t.fill = fill_once * repeats;
    if (rw) t.fill_off = fill_once;
    if (!windowed) {
      t.served = 0.999 * size * spread_p * repeats * (rw ? pe.update_pj : pe.read_pj) / per_p;
      t.cut = par == top ? compulsory_[uds] : 0.0;
      if (rw) {
        t.read_off = 0.999 * size * spread_p * pe.read_pj / per_p;
        t.read = t.read_off * repeats;
      }
    }
    pair(t);
  }
  return e;
}

double PartialBound::operand_term(int ds, int l0, const Table& sf, const char* assigned) const {
  // One access per MAC at the innermost level that keeps the data space; one access serves
  // at most the MACs under one of its instances that use the same element. Per dim, F = its
  // spatial factors at that level and below (the chosen factors; for the others at most
  // their largest, within the fan-outs): MACs that differ in a dim the data space does not
  // use share elements; within a rank of several dims (a window, P + R) the F of its dims
  // give at least max F distinct elements, so at most (product of F) / max F share one.
  // At most the MACs under one instance in all.
  const auto uds = static_cast<std::size_t>(ds);
  const auto& spec = arch_.storage[static_cast<std::size_t>(l0)];
  double under = std::max<double>(1.0, static_cast<double>(arch_.arithmetic.instances) /
                                           static_cast<double>(std::max<std::int64_t>(1, spec.instances)));
  if (under > 1 && (rel_.plain[uds] || dense_[uds])) {
    double f[kMaxDims];
    for (int d = 0; d < ndim_; ++d) {
      if (assigned && !assigned[d]) {
        f[d] = most_below_[static_cast<std::size_t>(l0)][static_cast<std::size_t>(d)];
        continue;
      }
      f[d] = 1;
      for (int l = 0; l <= l0; ++l) f[d] *= sf[l][d];
    }
    double share = 1;
    const auto& rel = rel_.relevant[uds];
    for (int d = 0; d < ndim_; ++d)
      if (!rel[static_cast<std::size_t>(d)]) share *= f[d];
    for (const auto& rank : w_.data_spaces[uds].projection) {
      double prod = 1, biggest = 1;
      for (const auto& t : rank) {
        prod *= f[t.dim];
        biggest = std::max(biggest, f[t.dim]);
      }
      share *= prod / biggest;
    }
    under = std::min(under, share);
  }
  const auto& en = energy_.storage(l0);
  double op = 0.999 * static_cast<double>(w_.operations()) *
              (w_.is_read_write(ds) ? en.update_pj : en.read_pj) /
              (std::max(1, spec.block_size) * std::max(1, spec.cluster_size) * under);
  if (l0 == nlev_ - 1) op = std::max(0.0, op - compulsory_[uds]);
  return op;
}

void PartialBound::factor_tables(const MapPoint& p, const char* assigned, Table& tf, Table& sf) const {
  for (int l = 0; l < nlev_; ++l)
    for (int d = 0; d < ndim_; ++d) tf[l][d] = sf[l][d] = 1;
  const auto nslots = static_cast<int>(slot_level_.size());
  for (int s = 0; s < nslots; ++s) {
    const int l = slot_level_[static_cast<std::size_t>(s)];
    for (int d = 0; d < ndim_; ++d) {
      if (assigned && !assigned[d]) continue;
      const auto f = static_cast<double>(space_.factor(p.factorization, d, s));
      (slot_spatial_[static_cast<std::size_t>(s)] ? sf[l][d] : tf[l][d]) *= f;
    }
  }
}

int PartialBound::chain_of(const MapPoint& p, int ds, int* chain) const {
  int n = 0;
  for (int l = 0; l < nlev_; ++l)
    if (space_.keep_options(l)[static_cast<std::size_t>(p.keep[static_cast<std::size_t>(l)])]
                              [static_cast<std::size_t>(ds)])
      chain[n++] = l;
  return n;
}

double PartialBound::energy(const MapPoint& p, const char* assigned, double* bw_cycles) const {
  if (nlev_ > kMaxLevels) return 0;
  // Temporal and spatial factor per level and chosen dim (1 elsewhere).
  Table tf, sf;
  factor_tables(p, assigned, tf, sf);
  double e = static_cast<double>(w_.operations()) * energy_.compute().compute_pj;
  int chain[kMaxLevels];
  const bool words = bw_cycles && has_bandwidth_;
  double reads[kMaxLevels] = {}, writes[kMaxLevels] = {};
  for (int ds = 0; ds < nds_; ++ds) {
    const int n = chain_of(p, ds, chain);
    e += ds_terms(ds, chain, n, tf, sf, assigned, [&](const OrderTerms::Pair& t) {
      e += t.at(1.0);
      if (words) add_words(t, 1.0, reads, writes);
    });
  }
  if (bw_cycles) *bw_cycles = words ? words_cycles(reads, writes) : 0.0;
  return e + leakage(p, assigned);
}

double PartialBound::leakage(const MapPoint& p, const char* assigned) const {
  // Level l leaks e_leak x U_l x cycles, U_l the product of the spatial factors above l
  // (its utilized instances). Cycles are at least operations / all the spatial factors,
  // so U_l x cycles is at least operations / the spatial factors at l and below, and at
  // least U_l (chosen dims only) x the cycle bound.
  const double ops = static_cast<double>(w_.operations());
  const double cyc = cycles(p, assigned);
  const auto nslots = static_cast<int>(slot_level_.size());
  double total = 0;
  for (int l = 0; l < nlev_; ++l) {
    const double leak = energy_.storage(l).leak_pj;
    if (leak <= 0) continue;
    double above = 1, below_most = 1;
    for (int s = 0; s < nslots; ++s) {
      if (!slot_spatial_[static_cast<std::size_t>(s)]) continue;
      const int sl = slot_level_[static_cast<std::size_t>(s)];
      double chosen = 1, most = 1;
      for (int d = 0; d < ndim_; ++d) {
        const auto f = static_cast<double>(space_.factor(p.factorization, d, s));
        if (assigned[d]) chosen *= f;
        most *= assigned[d] ? f : static_cast<double>(max_factor_[static_cast<std::size_t>(d)][static_cast<std::size_t>(s)]);
      }
      if (sl > l) {
        above *= chosen;
      } else {
        const auto& slot = space_.slots()[static_cast<std::size_t>(s)];
        below_most *= std::min(most, static_cast<double>(slot.st == Spacetime::SpaceX ? arch_.fanout_x(sl)
                                                                                      : arch_.fanout_y(sl)));
      }
    }
    total += 0.999 * leak * std::max(above * cyc, ops / below_most);
  }
  return total;
}

void PartialBound::prepare(const MapPoint& p, OrderTerms& out) const {
  out.pairs.clear();
  out.settled.clear();
  out.base.assign(static_cast<std::size_t>(nds_), 0.0);
  out.beyond_innermost.assign(static_cast<std::size_t>(nds_), 0.0);
  out.innermost.assign(static_cast<std::size_t>(nds_), 0.0);
  out.fixed.resize(static_cast<std::size_t>(nlev_));
  out.tf.assign(static_cast<std::size_t>(nlev_ * ndim_), 1.0);
  if (nlev_ > kMaxLevels) return;
  Table tf, sf;
  factor_tables(p, nullptr, tf, sf);
  for (int l = 0; l < nlev_; ++l) {
    out.fixed[static_cast<std::size_t>(l)] = space_.fixed_dims(p.factorization, l);
    for (int d = 0; d < ndim_; ++d) out.tf[static_cast<std::size_t>(l * ndim_ + d)] = tf[l][d];
  }
  int chain[kMaxLevels];
  for (int ds = 0; ds < nds_; ++ds) {
    const int n = chain_of(p, ds, chain);
    double& base = out.base[static_cast<std::size_t>(ds)];
    double fills = 0;
    base += ds_terms(ds, chain, n, tf, sf, nullptr, [&](const OrderTerms::Pair& t) {
      if (t.kstar >= nlev_) {
        base += t.at(1.0);
        out.settled.push_back(t);
      } else {
        out.pairs.push_back(t);
      }
      fills += t.at(1.0);
    });
    // The compulsory reads are at the outermost level: beyond the innermost reads unless
    // that is the outermost level too.
    if (!rel_.plain[static_cast<std::size_t>(ds)] && n > 0) {
      out.innermost[static_cast<std::size_t>(ds)] =
          operand_term(ds, chain[0], sf, nullptr) + (chain[0] == nlev_ - 1 ? compulsory_[static_cast<std::size_t>(ds)] : 0.0);
      out.beyond_innermost[static_cast<std::size_t>(ds)] =
          fills + (chain[0] != nlev_ - 1 ? compulsory_[static_cast<std::size_t>(ds)] : 0.0);
    }
  }
}

double PartialBound::order_energy(const OrderTerms& t, const MapPoint& p, int ds) const {
  std::vector<double> all;
  order_energies(t, p, all);
  return all[static_cast<std::size_t>(ds)];
}

double PartialBound::outside(const OrderTerms& t, const OrderTerms::Pair& pr, const MapPoint& p) const {
  const auto& rel = rel_.relevant[static_cast<std::size_t>(pr.ds)];
  // Level kstar's temporal loops, innermost first: the constrained ones, then the point's
  // order of the free ones (MapSpace::build); all non-trivial.
  double out = 1;
  bool inside = true;  // before (inside) the level's innermost loop on a relevant dim
  auto visit = [&](int d) {
    if (rel[static_cast<std::size_t>(d)]) inside = false;
    else if (!inside) out *= t.tf[static_cast<std::size_t>(pr.kstar * ndim_ + d)];
  };
  for (int d : t.fixed[static_cast<std::size_t>(pr.kstar)]) visit(d);
  if (static_cast<std::size_t>(pr.kstar) < p.perm.size())
    for (int d : p.perm[static_cast<std::size_t>(pr.kstar)]) visit(d);
  return out;
}

void PartialBound::order_energies(const OrderTerms& t, const MapPoint& p, std::vector<double>& out,
                                  int level, double* bw_cycles) const {
  out.assign(t.base.begin(), t.base.end());
  const bool words = bw_cycles && has_bandwidth_ && nlev_ <= kMaxLevels;
  double reads[kMaxLevels] = {}, writes[kMaxLevels] = {};
  if (words)
    for (const auto& pr : t.settled) add_words(pr, 1.0, reads, writes);
  for (const auto& pr : t.pairs) {
    const double o = level >= 0 && pr.kstar != level ? 1.0 : outside(t, pr, p);
    out[static_cast<std::size_t>(pr.ds)] += pr.at(o);
    if (words) add_words(pr, o, reads, writes);
  }
  if (bw_cycles) *bw_cycles = words ? words_cycles(reads, writes) : 0.0;
}

void PartialBound::add_words(const OrderTerms::Pair& pr, double o, double* reads, double* writes) const {
  writes[pr.c] += std::max(0.0, pr.fill_w * o - pr.fill_off_w);
  if (w_.is_read_write(pr.ds)) {
    writes[pr.par] += pr.served_w * o;  // updates
    reads[pr.par] += std::max(0.0, pr.read_w * o - pr.read_off_w);
  } else {
    reads[pr.par] += pr.served_w * o;
  }
}

double PartialBound::words_cycles(const double* reads, const double* writes) const {
  // The evaluator's level cycles are its per-instance reads over the read bandwidth (and
  // fills plus updates over the write bandwidth, both over the shared one) when above the
  // compute cycles; the counts here are at most those per-instance counts.
  double cyc = 0;
  for (int l = 0; l < nlev_; ++l) {
    const auto& spec = arch_.storage[static_cast<std::size_t>(l)];
    if (spec.read_bandwidth && *spec.read_bandwidth > 0) cyc = std::max(cyc, reads[l] / *spec.read_bandwidth);
    if (spec.write_bandwidth && *spec.write_bandwidth > 0) cyc = std::max(cyc, writes[l] / *spec.write_bandwidth);
    if (spec.shared_bandwidth && *spec.shared_bandwidth > 0)
      cyc = std::max(cyc, (reads[l] + writes[l]) / *spec.shared_bandwidth);
  }
  return cyc;
}

double PartialBound::bandwidth_cycles(const OrderTerms& t, const MapPoint& p, int level) const {
  std::vector<double> energies;
  double bw = 0;
  order_energies(t, p, energies, level, &bw);
  return bw;
}

double PartialBound::cycles(const MapPoint& p, const char* assigned) const {
  // Per spatial slot, at most its fan-out and the product of its factors (the chosen ones;
  // for the other dims their largest there); and per dim, at most the product of its
  // chosen spatial factors or, not chosen, the largest product its factorizations give.
  double pes = 1, by_dim = 1;
  double chosen[kMaxDims];
  for (int d = 0; d < ndim_; ++d) chosen[d] = 1;
  const auto nslots = static_cast<int>(slot_level_.size());
  for (int s = 0; s < nslots; ++s) {
    if (!slot_spatial_[static_cast<std::size_t>(s)]) continue;
    double most = 1;
    for (int d = 0; d < ndim_; ++d) {
      if (assigned[d]) {
        const auto f = static_cast<double>(space_.factor(p.factorization, d, s));
        most *= f;
        chosen[d] *= f;
      } else {
        most *= static_cast<double>(max_factor_[static_cast<std::size_t>(d)][static_cast<std::size_t>(s)]);
      }
    }
    const int l = slot_level_[static_cast<std::size_t>(s)];
    const auto& slot = space_.slots()[static_cast<std::size_t>(s)];
    const auto fan = static_cast<double>(slot.st == Spacetime::SpaceX ? arch_.fanout_x(l) : arch_.fanout_y(l));
    pes *= std::min(most, fan);
  }
  for (int d = 0; d < ndim_; ++d)
    by_dim *= assigned[d] ? chosen[d] : spatial_most_[static_cast<std::size_t>(nlev_ - 1)][static_cast<std::size_t>(d)];
  return static_cast<double>(w_.operations()) / std::min(pes, by_dim);
}

int PartialBound::skip_unfit(int d, int level, int row) const {
  const auto& rows = next_differing_[static_cast<std::size_t>(d)];
  const int ls = last_slot_[static_cast<std::size_t>(level)];
  if (ls < 0) return static_cast<int>(space_.factorizations(d).size());
  return rows[static_cast<std::size_t>(ls)][static_cast<std::size_t>(row)];
}

int PartialBound::fits_level(const MapPoint& p, const char* assigned) const {
  std::int64_t extent[kMaxDims];
  for (int d = 0; d < ndim_; ++d) extent[d] = 1;
  std::size_t s = 0;
  const auto nslots = slot_level_.size();
  for (int l = 0; l < nlev_; ++l) {
    for (; s < nslots && slot_level_[s] == l; ++s)
      for (int d = 0; d < ndim_; ++d)
        if (assigned[d]) extent[d] *= space_.factor(p.factorization, d, static_cast<int>(s));
    const auto& spec = arch_.storage[static_cast<std::size_t>(l)];
    if (!spec.effective_size_words || spec.allow_overbooking) continue;
    const auto& keep = space_.keep_options(l)[static_cast<std::size_t>(p.keep[static_cast<std::size_t>(l)])];
    std::int64_t total = 0;
    for (int ds = 0; ds < nds_; ++ds)
      if (keep[static_cast<std::size_t>(ds)]) total += w_.box_size(ds, extent);
    if (total > *spec.effective_size_words) return l;
  }
  return -1;
}

void PartialBound::metrics(const MapPoint& p, const char* assigned, const std::vector<Metric>& m,
                           std::vector<double>& out) const {
  double bw = 0;
  const double e = energy(p, assigned, &bw);
  TilingBound::bounds_of(m, e, std::max(cycles(p, assigned), bw), out);
}

}  // namespace loopsim::detail
