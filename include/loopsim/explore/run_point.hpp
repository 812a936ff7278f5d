// Running one point of a sweep: its inputs loaded with the parameters applied (--set
// overrides, dataflow preset, workload, mapping, mapper settings), the area filters, then
// the model or a search bounded by work; the result as the store keeps it.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "loopsim/explore/space.hpp"

namespace loopsim::explore {

struct PointResult {
  int id = 0;
  std::string hash;
  std::string params_json;  // {"name": value, ...}
  std::string status;       // ok, failed, filtered (interrupted: not stored)
  std::string error;
  double energy_pj = 0, edp = 0, area_um2 = 0, utilization = 0;
  std::uint64_t cycles = 0, macs = 0;
  std::vector<std::pair<std::string, double>> level_energy_pj;  // storage levels, then compute
  std::string mapping_yaml, stats_json;
  // Components a parameter moved away from their user-ERT entries (docs/sweep.md, Energy
  // follows the design): [{"component", "action": reestimated|pinned, "change", "entry"}].
  std::string ert_notes = "[]";
  // The components of ert_notes with this action ("reestimated" or "pinned").
  [[nodiscard]] std::vector<std::string> ert_components(const std::string& action) const;
  double seconds = 0;
  [[nodiscard]] double energy_per_mac_pj() const {
    return macs ? energy_pj / static_cast<double>(macs) : 0.0;
  }
  // The figure of an objective by name (objective_names()).
  [[nodiscard]] double figure(const std::string& name) const;
};

// A hash (16 hex digits) of what decides a point's result: the run kind, the mapper
// settings, the parameter values and the contents of every file the point reads.
std::string point_hash(const SweepSpec& spec, const Point& p);

// The {"name": value} JSON of a point's parameters (numbers as numbers).
std::string params_json(const SweepSpec& spec, const Point& p);

// Runs one point with `threads` mapper threads. Loading runs under `load_mutex` (the front end
// and the estimator are run one at a time). An error of the point's own inputs is its
// status "failed" with the message; a search stopped by `stop` gives status "interrupted".
PointResult run_point(const SweepSpec& spec, const Point& p, int threads,
                      const std::atomic<bool>* stop, std::mutex& load_mutex,
                      const std::function<std::string(const std::string&)>& dataflow_path);

// A point's result as JSON text and back (MPI ranks send results to the store's rank).
std::string result_to_json(const PointResult& r);
PointResult result_from_json(const std::string& text);

// Loads point `p`'s inputs once without running it: ConfigError for a parameter path that
// names nothing is reported at the parameter in the sweep file (exit 2 before any point runs).
void check_point_inputs(const SweepSpec& spec, const Point& p);

}  // namespace loopsim::explore
