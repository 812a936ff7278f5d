#include "loopsim/analysis/point_set.hpp"

namespace loopsim {

std::int64_t Aahr::size() const {
  if (order_ == 0) return 0;
  std::int64_t s = 1;
  for (int i = 0; i < order_; ++i) s *= (max_[i] - min_[i]);
  return s;
}

void Aahr::reset() {
  min_.fill(0);
  max_.fill(0);
}

bool Aahr::same_box(const Aahr& o) const {
  for (int i = 0; i < order_; ++i)
    if (min_[i] != o.min_[i] || max_[i] != o.max_[i]) return false;
  return true;
}

void Aahr::add_point(const std::array<Coord, kMaxRanks>& p) {
  Aahr unit(order_);
  for (int i = 0; i < order_; ++i) unit.set(i, p[i], p[i] + 1);
  if (size() == 0) {
    *this = unit;
    return;
  }
  if (same_box(unit)) return;
  // Grow along the (single) rank where the point lies outside; extrude if discontiguous.
  for (int d = 0; d < order_; ++d) {
    if (unit.min_[d] < min_[d]) min_[d] = unit.min_[d];
    if (unit.max_[d] > max_[d]) max_[d] = unit.max_[d];
  }
}

void Aahr::subtract(const Aahr& s) {
  if (size() == 0 || s.size() == 0) return;
  if (same_box(s)) {
    reset();
    return;
  }
  for (int d = 0; d < order_; ++d)
    if (s.max_[d] <= min_[d] || s.min_[d] >= max_[d]) return;  // no intersection

  Aahr updated = *this;
  bool found = false;
  for (int d = 0; d < order_; ++d) {
    if (min_[d] == s.min_[d] && max_[d] == s.max_[d]) continue;
    if (found) return;  // differs along two ranks: keep the whole set
    found = true;
    if (s.min_[d] <= min_[d]) {
      if (s.max_[d] <= max_[d])
        updated.min_[d] = s.max_[d];
      else
        updated.max_[d] = min_[d];
    } else {
      if (s.max_[d] < max_[d]) return;  // would fracture: keep the whole set
      updated.max_[d] = s.min_[d];
    }
    if (updated.min_[d] == updated.max_[d]) {
      reset();
      return;
    }
  }
  *this = updated;
}

std::array<Coord, kMaxRanks> Aahr::translation_to(const Aahr& s) const {
  std::array<Coord, kMaxRanks> t{};
  for (int i = 0; i < order_; ++i) t[i] = s.min_[i] - min_[i];
  return t;
}

void Aahr::translate(const std::array<Coord, kMaxRanks>& t) {
  for (int i = 0; i < order_; ++i) {
    min_[i] += t[i];
    max_[i] += t[i];
  }
}

OperationSpace::OperationSpace(const Workload& w) : count_(w.num_data_spaces()) {
  for (int d = 0; d < count_; ++d)
    spaces_[d] = Aahr(static_cast<int>(w.data_spaces[d].projection.size()));
}

OperationSpace::OperationSpace(const Workload& w, const std::array<Coord, kMaxDims>& low,
                               const std::array<Coord, kMaxDims>& high)
    : OperationSpace(w) {
  for (int d = 0; d < count_; ++d) {
    const auto& proj = w.data_spaces[d].projection;
    for (std::size_t r = 0; r < proj.size(); ++r) {
      std::int64_t lo = 0, hi = 0;
      for (const auto& t : proj[r]) {
        std::int64_t c = w.coefficient(t.coeff);
        if (c < 0) {
          lo += high[t.dim] * c;
          hi += low[t.dim] * c;
        } else {
          lo += low[t.dim] * c;
          hi += high[t.dim] * c;
        }
      }
      spaces_[d].set(static_cast<int>(r), static_cast<Coord>(lo), static_cast<Coord>(hi + 1));
    }
  }
}

void OperationSpace::add_point(const Workload& w, const std::array<Coord, kMaxDims>& op) {
  for (int d = 0; d < count_; ++d) {
    const auto& proj = w.data_spaces[d].projection;
    std::array<Coord, kMaxRanks> p{};
    for (std::size_t r = 0; r < proj.size(); ++r)
      for (const auto& t : proj[r])
        p[r] += static_cast<Coord>(op[t.dim] * w.coefficient(t.coeff));
    spaces_[d].add_point(p);
  }
}

}  // namespace loopsim
