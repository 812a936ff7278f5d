// Equal-area derivation (docs/compare.md, Equal area).
#include <string>

#include "loopsim/explore/equal_area.hpp"

namespace loopsim::explore {

std::optional<EqualAreaResult> largest_glb_within(
    double budget_um2, std::int64_t step, std::int64_t max_words,
    const std::function<double(std::int64_t glb_words)>& total_area) {
  if (step <= 0 || max_words < step) return std::nullopt;
  std::int64_t lo = 1, hi = max_words / step;
  double a1 = total_area(step);
  if (a1 > budget_um2) return std::nullopt;
  EqualAreaResult best{step, a1};
  while (lo < hi) {  // invariant: k = lo fits
    std::int64_t mid = lo + (hi - lo + 1) / 2;
    double a = total_area(mid * step);
    if (a <= budget_um2) {
      lo = mid;
      best = {mid * step, a};
    } else {
      hi = mid - 1;
    }
  }
  return best;
}

bool resize_level(ArchSpec& arch, int level, std::int64_t words) {
  if (level < 0 || level >= arch.num_storage_levels()) return false;
  StorageLevel& s = arch.storage[static_cast<std::size_t>(level)];
  if (words <= 0 || words % s.block_size != 0) return false;
  s.size_words = words;
  s.effective_size_words =
      static_cast<std::int64_t>(static_cast<double>(words) / s.multiple_buffering);
  AttrValue depth;
  depth.text = std::to_string(words / s.block_size);
  if (const AttrValue* old = s.attributes.find("depth")) depth.loc = old->loc;
  s.attributes.set("depth", depth);
  return true;
}

double storage_area_um2(const ArchSpec& arch,
                        const std::function<double(int level)>& area_per_instance) {
  double total = 0;
  for (int l = 0; l < arch.num_storage_levels(); ++l) {
    const StorageLevel& s = arch.storage[static_cast<std::size_t>(l)];
    if (s.dummy || s.technology == StorageTech::DRAM) continue;
    total += area_per_instance(l) * static_cast<double>(s.instances);
  }
  return total;
}

}  // namespace loopsim::explore
