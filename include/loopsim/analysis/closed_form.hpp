// Closed-form nest analysis (src/analysis/closed_form*.cpp): the same numbers as the walk of
// nest_analysis.hpp for nests whose loops all divide their dimension evenly, computed
// without simulation (equations in docs/cost-model.md §4a).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "loopsim/analysis/nest_analysis.hpp"
#include "loopsim/analysis/tiling.hpp"

namespace loopsim {

// Hop counts are not computed (they are 0): no figure of the model uses them. One analyzer
// serves many nests of one workload (which must outlive it) and keeps its buffers between
// calls. Both entry points return false, leaving `out` alone, for imperfect factors.
class ClosedFormAnalyzer {
 public:
  explicit ClosedFormAnalyzer(const Workload& workload);
  ~ClosedFormAnalyzer();
  ClosedFormAnalyzer(ClosedFormAnalyzer&&) noexcept;
  ClosedFormAnalyzer& operator=(ClosedFormAnalyzer&&) noexcept;
  // Per analysed loop, as analyze_nest() gives it.
  bool run(const LoopNest& nest, const std::vector<std::int64_t>& fanout_x,
           const std::vector<std::int64_t>& fanout_y, NestAnalysisResult& out);
  // Per storage level, as gather_levels() of analyze_nest()'s result gives it (the nest has
  // one block of loops per storage level, each ending at its boundary). Without
  // `track_link_order`, out.link_order_sensitive is 1 everywhere (the test costs about 5%
  // of an evaluation; only the mapper's enumerating searches use it).
  bool run_levels(const LoopNest& nest, const std::vector<std::int64_t>& fanout_x,
                  const std::vector<std::int64_t>& fanout_y, CollapsedNest& out,
                  bool track_link_order = true);

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

// One nest (nullopt for imperfect factors).
std::optional<NestAnalysisResult> analyze_nest_closed_form(
    const Workload& workload, const LoopNest& nest, const std::vector<std::int64_t>& fanout_x,
    const std::vector<std::int64_t>& fanout_y);

}  // namespace loopsim
