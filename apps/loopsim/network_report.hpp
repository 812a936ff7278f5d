// Outputs of `loopsim network`: layers.csv, network.stats.json, network.summary.txt.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "loopsim/core/diagnostics.hpp"
#include "loopsim/io/load.hpp"
#include "loopsim/mapper/search.hpp"
#include "loopsim/model/evaluate.hpp"
#include "loopsim/network/network.hpp"

namespace loopsim::cli {

// One distinct layer shape: its inputs, and the mapping found (or reused) for it.
struct ShapeRun {
  std::string key, id;
  int first_layer = -1;
  bool reused = false;    // evaluated from --mapping-dir
  bool searched = false;  // a mapper search ran
  std::unique_ptr<io::MapperInputs> in;
  std::unique_ptr<EnergyTable> table;
  std::optional<Mapping> mapping;
  std::optional<Evaluation> eval;
  SearchStats stats;
  std::string failure;
};

struct ReportInputs {
  const network::Network& net;
  const std::vector<ShapeRun>& shapes;
  const std::vector<int>& shape_of;  // per layer; -1 for an operation layer
  double wall_seconds = 0;
  int parallel_shapes = 1, threads_per_search = 1;
  bool interrupted = false;
  const std::vector<Warning>* warnings = nullptr;
  // Energy of one arithmetic operation of an operation layer (elementwise, add, pooling:
  // network::Layer::op_count); negative: operation layers are not modelled (skipped).
  double op_energy_pj = -1;
  std::string op_energy_source;  // where op_energy_pj comes from, for the outputs
};

// The totals of the layers mapped (for the accounting).
struct NetworkTotals {
  std::int64_t macs = 0;
  double energy_pj = 0;
  std::uint64_t cycles = 0;
  double cycle_seconds = 1e-9;
  bool complete = false;
};

// Writes the three files; prints the summary on stdout unless quiet.
NetworkTotals write_network_report(const std::filesystem::path& dir, const ReportInputs& r,
                                   bool quiet);

}  // namespace loopsim::cli
