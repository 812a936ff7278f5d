// Imperfect (residual) factorizations of one dimension: see residual_factors.hpp. Depth-first
// over the slots, innermost first, carrying the largest index the slots left must still
// reach (m = bound - 1 at the start): a slot of factor e takes the digit m mod e (its
// residual is that digit + 1) and leaves m div e to the slots above; a perfect slot needs
// the digit e - 1, i.e. e divides m + 1.
#include "loopsim/mapper/residual_factors.hpp"

#include <algorithm>
#include <map>

#include "loopsim/core/error.hpp"
#include "loopsim/mapper/search.hpp"

namespace loopsim {

namespace {

class Enumerator {
 public:
  Enumerator(const std::vector<ResidualSlot>& slots, std::vector<std::vector<std::int64_t>>& out,
             std::size_t limit, const std::function<bool()>& abort)
      : slots_(slots), out_(out), limit_(limit), abort_(abort), e_(slots.size(), 1),
        r_(slots.size(), 1) {}

  // False when stopped (limit or abort).
  bool run(std::size_t j, std::int64_t m) {
    if (abort_ && (++polls_ & 0xFFF) == 0 && abort_()) return false;
    if (j == slots_.size()) return m != 0 || emit();
    const ResidualSlot& s = slots_[j];
    auto try_factor = [&](std::int64_t e, std::int64_t r, std::int64_t rest) {
      if (e < s.range.min || e > s.range.max || r < s.range.min || r > s.range.max) return true;
      e_[j] = e;
      r_[j] = r;
      bool ok = run(j + 1, rest);
      e_[j] = r_[j] = 1;
      return ok;
    };
    // Factor 1 (a trivial loop); once nothing is left (m = 0) the only choice.
    if (!try_factor(1, 1, m)) return false;
    if (m == 0) return true;
    if (!s.imperfect) {
      for (std::int64_t e : divisors(m + 1)) {
        if (e == 1) continue;
        if (e > s.range.max) break;
        if (!try_factor(e, e, (m + 1) / e - 1)) return false;
      }
      return true;
    }
    // Any factor up to m + 1 (the outermost loop, perfect: nothing is left above it); a
    // larger one would be an imperfect outermost loop.
    const std::int64_t top = std::min({m + 1, s.max_factor, s.range.max});
    for (std::int64_t e = 2; e <= top; ++e)
      if (!try_factor(e, m % e + 1, m / e)) return false;
    return true;
  }

 private:
  bool emit() {
    if (out_.size() >= limit_) return false;
    std::vector<std::int64_t> row(e_);
    if (r_ != e_) row.insert(row.end(), r_.begin(), r_.end());
    out_.push_back(std::move(row));
    return true;
  }

  // The divisors of n in increasing order, memoized.
  const std::vector<std::int64_t>& divisors(std::int64_t n) {
    auto it = divisors_.find(n);
    if (it != divisors_.end()) return it->second;
    return divisors_.emplace(n, loopsim::divisors(n)).first->second;
  }

  const std::vector<ResidualSlot>& slots_;
  std::vector<std::vector<std::int64_t>>& out_;
  std::size_t limit_;
  const std::function<bool()>& abort_;
  std::vector<std::int64_t> e_, r_;
  std::map<std::int64_t, std::vector<std::int64_t>> divisors_;
  std::uint64_t polls_ = 0;
};

}  // namespace

bool residual_factorizations(std::int64_t bound, const std::vector<ResidualSlot>& slots,
                             std::vector<std::vector<std::int64_t>>& out, std::size_t limit,
                             const std::function<bool()>& abort) {
  if (bound < 1) return true;
  Enumerator en(slots, out, limit, abort);
  return en.run(0, bound - 1);
}

}  // namespace loopsim

// The mapspace's factorizations of one dimension with the ruby template.

namespace loopsim {

bool MapSpace::imperfect_factorizations(int d, const std::vector<FactorRange>& range,
                                        const std::function<bool()>& abort) {
  // Rows per dimension before the space is refused (each row is two words per slot).
  constexpr std::size_t kMaxRows = std::size_t{1} << 19;
  std::vector<ResidualSlot> spec(slots_.size());
  const LevelConstraints* where = nullptr;
  for (std::size_t s = 0; s < slots_.size(); ++s) {
    const auto& lc = c_.levels[static_cast<std::size_t>(slots_[s].level)];
    const auto& rem =
        slots_[s].st == Spacetime::Time ? lc.temporal_remainders : lc.spatial_remainders;
    spec[s].range = range[s];
    if (rem) {
      spec[s].imperfect = true;
      spec[s].max_factor = *rem;
      if (where == nullptr) where = &lc;
    }
  }
  auto& out = facts_[static_cast<std::size_t>(d)];
  const std::int64_t bound = w_.bounds[static_cast<std::size_t>(d)];
  if (residual_factorizations(bound, spec, out, kMaxRows, abort)) return true;
  if (out.size() < kMaxRows) return false;  // stopped by `abort`
  out.clear();
  const SourceLoc at = where != nullptr ? where->remainders_at : SourceLoc{};
  throw ConfigError(at.file, at.line, at.key_path,
                    "the ruby mapspace has more than " + std::to_string(kMaxRows) +
                        " factorizations of dimension " + w_.dims[static_cast<std::size_t>(d)] +
                        " (bound " + std::to_string(bound) +
                        "); lower the `remainders` values or bound the factors with `factors`");
}

std::vector<std::int64_t> divisors(std::int64_t n) {
  std::vector<std::int64_t> low, high;
  for (std::int64_t f = 1; f <= n / f; ++f) {
    if (n % f != 0) continue;
    low.push_back(f);
    if (f != n / f) high.push_back(n / f);
  }
  low.insert(low.end(), high.rbegin(), high.rend());
  return low;
}

}  // namespace loopsim
