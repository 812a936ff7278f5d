// Equal-area variants of a template architecture (docs/compare.md, Equal area): a PE-local
// storage level of `pe_words` words per PE is traded against the global buffer so that the
// total storage area stays within a budget, as in Chen, Emer and Sze (ISCA 2016), where every
// dataflow gets the same on-chip storage area split differently between register files and
// the buffer.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>

#include "loopsim/arch/arch_spec.hpp"

namespace loopsim::explore {

struct EqualAreaResult {
  std::int64_t glb_words = 0;  // the largest global buffer size that fits the budget
  double area_um2 = 0;         // total storage area at that size
};

// The largest glb_words = k * step (1 <= k <= max_words / step) with
// total_area(glb_words) <= budget_um2; nullopt when even one step does not fit.
// `total_area` must not decrease as glb_words grows (binary search).
[[nodiscard]] std::optional<EqualAreaResult> largest_glb_within(
    double budget_um2, std::int64_t step, std::int64_t max_words,
    const std::function<double(std::int64_t glb_words)>& total_area);

// Sets a storage level's size to `words` (a multiple of its block size): size_words, the
// effective size (size / multiple buffering) and the `depth` attribute the estimator reads.
// Returns false when `words` is not a positive multiple of the block size.
[[nodiscard]] bool resize_level(ArchSpec& arch, int level, std::int64_t words);

// Total area of the on-chip storage: the sum over non-dummy SRAM levels of
// area_per_instance(level) * instances.
[[nodiscard]] double storage_area_um2(const ArchSpec& arch,
                                      const std::function<double(int level)>& area_per_instance);

}  // namespace loopsim::explore
