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
  gradient_ = Gradient{};
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

Gradient Aahr::subtract(const Aahr& s) {
  if (size() == 0 || s.size() == 0) return Gradient{};
  if (same_box(s)) {
    reset();
    return Gradient{};
  }
  for (int d = 0; d < order_; ++d)
    if (s.max_[d] <= min_[d] || s.min_[d] >= max_[d]) return Gradient{};  // no intersection

  Aahr updated = *this;
  Gradient g;
  bool found = false;
  for (int d = 0; d < order_; ++d) {
    if (min_[d] == s.min_[d] && max_[d] == s.max_[d]) continue;
    if (found) return Gradient{};  // differs along two ranks: keep the whole set
    found = true;
    if (s.min_[d] <= min_[d]) {
      if (s.max_[d] <= max_[d]) {
        g.dim = d;
        g.value = s.max_[d] - min_[d];
        updated.min_[d] = s.max_[d];
      } else {
        g = Gradient{};
        updated.max_[d] = min_[d];
      }
    } else {
      if (s.max_[d] < max_[d]) return Gradient{};  // would fracture: keep the whole set
      g.dim = d;
      g.value = s.min_[d] - max_[d];
      updated.max_[d] = s.min_[d];
    }
    if (updated.min_[d] == updated.max_[d]) {
      reset();
      return Gradient{};
    }
  }
  *this = updated;
  return g;
}

Aahr Aahr::minus(const Aahr& s) {
  Aahr delta(*this);
  Gradient g = delta.subtract(s);
  if (s.gradient_.value == 0) {
    gradient_ = g;
  } else if (g.value == 0 && delta.size() == 0) {
    gradient_ = g;
  } else if (s.gradient_.dim == g.dim && s.gradient_.sign() == g.sign()) {
    gradient_ = g;
  } else {
    // The tile changed direction: discard the residual and refetch the whole set.
    delta = *this;
    gradient_ = Gradient{};
  }
  delta.gradient_ = Gradient{};
  return delta;
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
      Coord lo = 0, hi = 0;
      for (const auto& t : proj[r]) {
        Coord c = w.coefficient(t.coeff);
        if (c < 0) {
          lo += high[t.dim] * c;
          hi += low[t.dim] * c;
        } else {
          lo += low[t.dim] * c;
          hi += high[t.dim] * c;
        }
      }
      spaces_[d].set(static_cast<int>(r), lo, hi + 1);
    }
  }
}

void OperationSpace::add_point(const Workload& w, const std::array<Coord, kMaxDims>& op) {
  for (int d = 0; d < count_; ++d) {
    const auto& proj = w.data_spaces[d].projection;
    std::array<Coord, kMaxRanks> p{};
    for (std::size_t r = 0; r < proj.size(); ++r)
      for (const auto& t : proj[r]) p[r] += op[t.dim] * w.coefficient(t.coeff);
    spaces_[d].add_point(p);
  }
}

OperationSpace OperationSpace::subtract_tracking(const OperationSpace& prev) {
  OperationSpace delta;
  delta.count_ = count_;
  for (int d = 0; d < count_; ++d) delta.spaces_[d] = spaces_[d].minus(prev.spaces_[d]);
  return delta;
}

}  // namespace loopsim
