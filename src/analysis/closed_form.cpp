// Closed-form nest analysis: the public entry points (the analyzer itself, with the file's
// equations, is in closed_form_impl.hpp; its spatial blocks in closed_form_spatial.cpp).
#include "closed_form_impl.hpp"

namespace loopsim {

std::optional<NestAnalysisResult> analyze_nest_closed_form(
    const Workload& workload, const LoopNest& nest, const std::vector<std::int64_t>& fanout_x,
    const std::vector<std::int64_t>& fanout_y) {
  NestAnalysisResult result;
  ClosedFormAnalyzer analyzer(workload);
  if (!analyzer.run(nest, fanout_x, fanout_y, result)) return std::nullopt;
  return result;
}

ClosedFormAnalyzer::ClosedFormAnalyzer(const Workload& workload)
    : impl_(std::make_unique<Impl>(workload)) {}
ClosedFormAnalyzer::~ClosedFormAnalyzer() = default;
ClosedFormAnalyzer::ClosedFormAnalyzer(ClosedFormAnalyzer&&) noexcept = default;
ClosedFormAnalyzer& ClosedFormAnalyzer::operator=(ClosedFormAnalyzer&&) noexcept = default;

namespace {

// The closed form covers nests whose loops all divide their dimension evenly.
bool evenly_dividing(const LoopNest& nest) {
  return std::all_of(nest.loops.begin(), nest.loops.end(),
                     [](const Loop& l) { return l.end == l.residual_end; });
}

}  // namespace

bool ClosedFormAnalyzer::run(const LoopNest& nest, const std::vector<std::int64_t>& fanout_x,
                             const std::vector<std::int64_t>& fanout_y, NestAnalysisResult& out) {
  if (!evenly_dividing(nest)) return false;
  impl_->run(nest, fanout_x, fanout_y, out);
  return true;
}

bool ClosedFormAnalyzer::run_levels(const LoopNest& nest, const std::vector<std::int64_t>& fanout_x,
                                    const std::vector<std::int64_t>& fanout_y, CollapsedNest& out,
                                    bool track_link_order) {
  if (!evenly_dividing(nest)) return false;
  return impl_->run_levels(nest, fanout_x, fanout_y, out, track_link_order);
}

}  // namespace loopsim
