// Output files: Timeloop-layout stats.txt and map.txt, and a JSON with every figure.
#pragma once

#include <functional>
#include <ostream>
#include <string>

#include <vector>

#include "loopsim/arch/arch_spec.hpp"
#include "loopsim/core/diagnostics.hpp"
#include "loopsim/energy/energy_table.hpp"
#include "loopsim/mapping/mapping.hpp"
#include "loopsim/mapper/search.hpp"
#include "loopsim/model/evaluate.hpp"

namespace loopsim::io {

struct EmitContext {
  const Workload& workload;
  const ArchSpec& arch;
  const EnergyTable& energy;
  const Mapping& mapping;
  const Evaluation& eval;
  // Warnings of loading the inputs: counted in the summary line, listed in stats.json.
  const std::vector<Warning>* warnings = nullptr;
  // The model the figures come from (stats.json "model"); nullptr: Timeloop's, dense.
  const ModelConfig* model = nullptr;
};

// Writes a whole output file through `fill`: into a temporary file beside `path`, checked,
// then renamed, so `path` is complete or untouched. ConfigError (exit 2) names the file and
// the OS error (a full disk, a size limit, no permission).
void write_file_atomic(const std::string& path, const std::function<void(std::ostream&)>& fill);

void write_stats_txt(std::ostream& out, const EmitContext& ctx);
void write_map_txt(std::ostream& out, const EmitContext& ctx);
void write_stats_json(std::ostream& out, const EmitContext& ctx);
// stats.json of a mapper run: the evaluation of the best mapping plus a `search` object.
void write_mapper_stats_json(std::ostream& out, const EmitContext& ctx, const SearchStats& s);
// The mapping as Timeloop-style mapping YAML (`mapping:` directives), loadable by `loopsim model`.
void write_map_yaml(std::ostream& out, const EmitContext& ctx);
// The short summary printed on stdout.
void write_summary(std::ostream& out, const EmitContext& ctx);

}  // namespace loopsim::io
