// Comparing configurations (architecture + dataflow + energy table) on the same layers
// (docs/compare.md): the rows of compare.csv and summary.csv, normalisation (energy per MAC,
// relative to the best configuration), and the files `loopsim compare` writes. Pure: the
// search and the loading are the caller's.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "loopsim/arch/arch_spec.hpp"
#include "loopsim/model/evaluate.hpp"
#include "loopsim/workload/workload.hpp"

namespace loopsim::explore {

// A dataflow name as the presets are named: the short forms ws, os, rs, nlr, is and
// os-a/os-b/os-c (case-insensitive, `_` as `-`) expand to weight-stationary, ...; other
// names are returned lower-cased, with `_` as `-`.
[[nodiscard]] std::string expand_dataflow_name(const std::string& name);

// Splits "a,b , c" into {"a","b","c"} (empty items dropped).
[[nodiscard]] std::vector<std::string> split_list(const std::string& text);

// One mapped point: a configuration on one layer (a shape evaluated once; `repeat` times).
struct ComparePoint {
  std::string config, layer;
  std::int64_t repeat = 1;
  std::int64_t macs = 0;             // of one run (the workload's operations)
  Evaluation eval;                   // one run of the layer
  bool proven = false;               // the search proved the optimum
  std::int64_t max_evaluations = 0;  // the work bound when not proven
  double lower_bound_pj = 0;         // of one run (the optimum when proven)
};

// A row of compare.csv: energy and accesses of all repeats of a layer at one level.
struct LevelRow {
  std::string config, layer, level, dataspace;
  double energy_pj = 0;
  double accesses = 0;
};
// Per non-dummy storage level (innermost first) and data space, then the compute level
// (dataspace "-"), then a "leakage" row per level that leaks. Accesses are the scalar
// reads + fills + updates of all the instances in use.
[[nodiscard]] std::vector<LevelRow> level_rows(const ComparePoint& p, const Workload& w,
                                               const ArchSpec& arch);

// A row of summary.csv.
struct SummaryRow {
  std::string config, layer;  // layer "total": the sum over the layers
  std::int64_t macs = 0;
  double energy_pj = 0, energy_per_mac_pj = 0;
  double relative_to_best = 0;  // energy / the lowest energy of any config on this layer
  std::uint64_t cycles = 0;
  double utilization = 0;  // total: weighted by MACs
  std::string result;      // "proven" or "best of N"
  double gap = 0;          // (energy - lower bound) / energy; 0 when proven
};
// Rows per config (in `configs` order) × layer (in `layers` order), then each config's
// total. Every (config, layer) pair must have a point.
[[nodiscard]] std::vector<SummaryRow> summarise(const std::vector<ComparePoint>& points,
                                                const std::vector<std::string>& configs,
                                                const std::vector<std::string>& layers);

// Extra facts about a configuration for compare.json (the equal-area derivation).
struct ConfigInfo {
  std::string name, dataflow;
  std::vector<std::string> files;
  std::optional<std::int64_t> pe_words, glb_words;  // set by equal_area
  std::optional<double> storage_area_um2;
};

void write_compare_csv(std::ostream& os, const std::vector<LevelRow>& rows);
void write_summary_csv(std::ostream& os, const std::vector<SummaryRow>& rows);
void write_compare_json(std::ostream& os, const std::vector<ConfigInfo>& configs,
                        const std::vector<std::string>& layers,
                        const std::vector<SummaryRow>& summary);
// The normalised table (energy per MAC per layer and in total, relative to the best
// config's total, result and gap) as printed on stdout.
void print_table(std::ostream& os, const std::vector<SummaryRow>& summary,
                 const std::vector<std::string>& configs, const std::vector<std::string>& layers);

}  // namespace loopsim::explore
