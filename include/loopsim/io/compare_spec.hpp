// The `compare:` file of `loopsim compare` (docs/compare.md): named configurations
// (architecture files, dataflow preset or constraints, energy table), the workload, the
// work bound of each search, and an optional equal-area trade.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "loopsim/arch/arch_spec.hpp"
#include "loopsim/core/diagnostics.hpp"

namespace loopsim::io {

struct CompareConfigSpec {
  std::string name;
  std::vector<std::string> files;  // architecture, constraints, energy (paths resolved)
  std::string dataflow;            // preset name or a file path; empty: none
  SourceLoc dataflow_loc;
  std::optional<std::int64_t> pe_words;  // equal_area: words of the traded PE-local level
  SourceLoc loc;
};

struct EqualAreaSpec {
  double budget_um2 = 0;            // -1: `template`, the template architecture's own storage area
  std::string pe_level, glb_level;  // trade: [pe_level, glb_level]
  std::int64_t max_glb_words = std::int64_t{1} << 26;
  SourceLoc loc;
};

struct CompareSpec {
  std::string file;
  std::string workload;  // a problem or network file ("" when not given)
  std::vector<std::string> layers;
  SourceLoc layers_loc;
  std::optional<std::int64_t> max_evaluations, seed;
  std::optional<EqualAreaSpec> equal_area;
  std::vector<CompareConfigSpec> configs;
};

// What a YAML input file is, by its top-level keys: "compare", "network", "problem", or ""
// (anything else: architecture, ERT, constraints, ...; also templates, not read here).
[[nodiscard]] std::string input_kind(const std::string& path);

// Loads a compare file; paths in it are relative to its folder. ConfigError (file:line) on
// unknown keys, missing files, an empty config list or duplicate names.
CompareSpec load_compare_file(const std::string& path, Diagnostics* diag = nullptr);

}  // namespace loopsim::io
