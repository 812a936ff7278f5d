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

namespace loopsim::detail {

PartialBound::PartialBound(const Workload& w, const ArchSpec& arch, const EnergyTable& energy,
                           const MapSpace& space, std::vector<double> compulsory)
    : w_(w), arch_(arch), energy_(energy), space_(space), compulsory_(std::move(compulsory)),
      nlev_(space.num_levels()), ndim_(space.num_dims()), nds_(w.num_data_spaces()) {
  usable_ = !space.aborted() && !space.has_imperfect() && nlev_ == arch.num_storage_levels();
  plain_.assign(static_cast<std::size_t>(nds_), 1);
  relevant_.assign(static_cast<std::size_t>(nds_),
                   std::vector<char>(static_cast<std::size_t>(ndim_), 0));
  for (int ds = 0; ds < nds_; ++ds) {
    std::vector<int> uses(static_cast<std::size_t>(ndim_), 0);
    for (const auto& rank : w.data_spaces[static_cast<std::size_t>(ds)].projection) {
      if (rank.size() != 1) plain_[static_cast<std::size_t>(ds)] = 0;
      for (const auto& t : rank) {
        relevant_[static_cast<std::size_t>(ds)][static_cast<std::size_t>(t.dim)] = 1;
        ++uses[static_cast<std::size_t>(t.dim)];
      }
    }
    for (int u : uses)
      if (u > 1) plain_[static_cast<std::size_t>(ds)] = 0;
  }
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
}

namespace {
constexpr int kMaxLevels = 32;
}  // namespace

// Data space ds's share of the bound: the operand accesses at the innermost level that keeps
// it, its compulsory traffic and, when its ranks are single dims, the fills of every level
// keeping it and the accesses at the next level up that serve them. `outside(k)`: the
// product of the temporal factors at level k of the dims ds does not use that lie outside
// the level's innermost loop on a dim it uses (1 for the best loop order).
template <class Outside>
double PartialBound::ds_energy(int ds, const int* chain, int n, const Table& tf, const Table& sf,
                               Outside&& outside) const {
  if (n == 0) return 0;
  const auto uds = static_cast<std::size_t>(ds);
  const int top = nlev_ - 1;
  const auto ops = static_cast<double>(w_.operations());
  const bool rw = w_.is_read_write(ds);
  double e = compulsory_[uds];
  {
    const int l0 = chain[0];
    const auto& spec = arch_.storage[static_cast<std::size_t>(l0)];
    const auto& en = energy_.storage(l0);
    const double under = std::max<double>(
        1.0, static_cast<double>(arch_.arithmetic.instances) /
                 static_cast<double>(std::max<std::int64_t>(1, spec.instances)));
    double op = 0.999 * ops * (rw ? en.update_pj : en.read_pj) /
                (std::max(1, spec.block_size) * std::max(1, spec.cluster_size) * under);
    if (l0 == top) op = std::max(0.0, op - compulsory_[uds]);
    e += op;
  }
  if (!plain_[uds]) return e;
  const auto& rel = relevant_[uds];
  const auto size = static_cast<double>(w_.tensor_size(ds));
  for (int i = 0; i + 1 < n; ++i) {
    const int c = chain[i], par = chain[i + 1];
    int kstar = nlev_;
    for (int k = c + 1; k < nlev_ && kstar == nlev_; ++k)
      for (int d = 0; d < ndim_; ++d)
        if (rel[static_cast<std::size_t>(d)] && tf[k][d] > 1) {
          kstar = k;
          break;
        }
    double repeats = kstar < nlev_ ? outside(kstar) : 1.0, spread_c = 1, spread_p = 1;
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
    if (!rw) e += 0.999 * size * spread_c * repeats * energy_.storage(c).fill_pj / per_c;
    const auto& pe = energy_.storage(par);
    double served = 0.999 * size * spread_p * repeats * (rw ? pe.update_pj : pe.read_pj) / per_p;
    if (par == top) served = std::max(0.0, served - compulsory_[uds]);
    e += served;
  }
  return e;
}

double PartialBound::energy(const MapPoint& p, const char* assigned) const {
  if (nlev_ > kMaxLevels) return 0;
  // Temporal and spatial factor per level and chosen dim (1 elsewhere).
  Table tf, sf;
  for (int l = 0; l < nlev_; ++l)
    for (int d = 0; d < ndim_; ++d) tf[l][d] = sf[l][d] = 1;
  const auto nslots = static_cast<int>(slot_level_.size());
  for (int s = 0; s < nslots; ++s) {
    const int l = slot_level_[static_cast<std::size_t>(s)];
    for (int d = 0; d < ndim_; ++d) {
      if (!assigned[d]) continue;
      const auto f = static_cast<double>(space_.factor(p.factorization, d, s));
      (slot_spatial_[static_cast<std::size_t>(s)] ? sf[l][d] : tf[l][d]) *= f;
    }
  }
  double e = static_cast<double>(w_.operations()) * energy_.compute().compute_pj;
  int chain[kMaxLevels];
  for (int ds = 0; ds < nds_; ++ds) {
    int n = 0;
    for (int l = 0; l < nlev_; ++l)
      if (space_.keep_options(l)[static_cast<std::size_t>(p.keep[static_cast<std::size_t>(l)])]
                                [static_cast<std::size_t>(ds)])
        chain[n++] = l;
    e += ds_energy(ds, chain, n, tf, sf, [](int) { return 1.0; });
  }
  return e;
}

double PartialBound::order_energy(const Mapping& m, int ds) const {
  if (nlev_ > kMaxLevels || static_cast<int>(m.levels.size()) != nlev_) return 0;
  Table tf, sf;
  int chain[kMaxLevels];
  int n = 0;
  for (int l = 0; l < nlev_; ++l) {
    for (int d = 0; d < ndim_; ++d) tf[l][d] = sf[l][d] = 1;
    const auto& lm = m.levels[static_cast<std::size_t>(l)];
    for (const Loop& lp : lm.temporal) tf[l][lp.dim] *= static_cast<double>(lp.end);
    for (const Loop& lp : lm.spatial) sf[l][lp.dim] *= static_cast<double>(lp.end);
    if (static_cast<std::size_t>(ds) < lm.keep.size() && lm.keep[static_cast<std::size_t>(ds)])
      chain[n++] = l;
  }
  const auto& rel = relevant_[static_cast<std::size_t>(ds)];
  return ds_energy(ds, chain, n, tf, sf, [&](int k) {
    double outside = 1;
    bool inside = true;  // before (inside) the level's innermost loop on a relevant dim
    for (const Loop& lp : m.levels[static_cast<std::size_t>(k)].temporal) {
      if (lp.end <= 1) continue;
      if (rel[static_cast<std::size_t>(lp.dim)]) inside = false;
      else if (!inside) outside *= static_cast<double>(lp.end);
    }
    return outside;
  });
}

double PartialBound::cycles(const MapPoint& p, const char* assigned) const {
  double pes = 1;
  const auto nslots = static_cast<int>(slot_level_.size());
  for (int s = 0; s < nslots; ++s) {
    if (!slot_spatial_[static_cast<std::size_t>(s)]) continue;
    double most = 1;
    for (int d = 0; d < ndim_; ++d)
      most *= static_cast<double>(assigned[d] ? space_.factor(p.factorization, d, s)
                                              : max_factor_[static_cast<std::size_t>(d)][static_cast<std::size_t>(s)]);
    const int l = slot_level_[static_cast<std::size_t>(s)];
    const auto& slot = space_.slots()[static_cast<std::size_t>(s)];
    const auto fan = static_cast<double>(slot.st == Spacetime::SpaceX ? arch_.fanout_x(l) : arch_.fanout_y(l));
    pes *= std::min(most, fan);
  }
  return static_cast<double>(w_.operations()) / pes;
}

bool PartialBound::fits(const MapPoint& p, const char* assigned) const {
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
    if (total > *spec.effective_size_words) return false;
  }
  return true;
}

void PartialBound::metrics(const MapPoint& p, const char* assigned, const std::vector<Metric>& m,
                           std::vector<double>& out) const {
  out.clear();
  double e = -1, cyc = -1;
  for (Metric mt : m) {
    if ((mt == Metric::Energy || mt == Metric::Edp) && e < 0) e = energy(p, assigned);
    if ((mt == Metric::Delay || mt == Metric::Edp) && cyc < 0) cyc = cycles(p, assigned);
    switch (mt) {
      case Metric::Energy: out.push_back(e); break;
      case Metric::Delay: out.push_back(cyc); break;
      case Metric::Edp: out.push_back(e * 1e-12 * cyc); break;
      case Metric::LastLevelAccesses: out.push_back(-1); break;
    }
  }
}

}  // namespace loopsim::detail
