// Inputs and outputs of compute and carbon accounting (docs/accounting.md): the `training:`
// YAML section, per-inference figures from a stats.json of `loopsim model`/`loopsim map`,
// and accounting.json.
#pragma once

#include <optional>
#include <ostream>
#include <string>

#include "loopsim/core/diagnostics.hpp"
#include "loopsim/network/accounting.hpp"

namespace loopsim::io {

// A file whose top level is `training:` (ConfigError with file:line on a missing, negative or
// non-numeric value, an unknown key, or settings that contradict each other).
network::TrainingSpec load_training_file(const std::string& path, Diagnostics* diag = nullptr);
// The `training:` section under a network file's `network:` (docs/network.md), if any.
std::optional<network::TrainingSpec> load_network_training(const std::string& path,
                                                           Diagnostics* diag = nullptr);

// summary.energy_pj, summary.cycles and workload.operations (MACs) of a stats.json; the
// batch is workload.bounds.N when the workload has that dimension.
network::InferenceFigures load_inference_figures(const std::string& stats_json_path);

// accounting.json: every figure of the report (null where it could not be computed).
void write_accounting_json(std::ostream& out, const network::AccountingReport& report);

}  // namespace loopsim::io
