// Imperfect factors (Timeloop's residual syntax, `Q=7,6`): what the nest's residual loops
// change outside the walk itself. Timeloop 0fc43fb averages the spatial instances in use
// over the outer iterations (a spatial loop of 7 steps with a last step of 6 under an
// outer loop of 2 uses (7 + 6) / 2 of its 7 instances) and counts cycles as if every
// residual step were a full one (docs/cost-model.md, "Imperfect factors").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "loopsim/core/ratio.hpp"
#include "loopsim/mapping/mapping.hpp"

namespace loopsim {

[[nodiscard]] bool has_residual(const LoopNest& nest);

// Per loop of the nest (innermost first): the spatial instances above it in use, averaged
// over the outer iterations (Timeloop's utilized_spatial_elems_), exactly.
[[nodiscard]] std::vector<Ratio> utilized_spatial_elems(const LoopNest& nest);

// Product of the full trip counts of all temporal loops: Timeloop's cycle count when any
// factor is imperfect (the residual step takes as long as a full one).
[[nodiscard]] std::uint64_t max_temporal_iterations(const LoopNest& nest);

// Why Timeloop cannot evaluate the nest: a spatial loop with a residual and no loop of the
// same dimension above it (Timeloop exits: "Outermost loop of dimension ... was
// imperfectly factorized"). nullopt when it can.
[[nodiscard]] std::optional<std::string> residual_problem(const LoopNest& nest,
                                                          const Workload& workload);

}  // namespace loopsim
