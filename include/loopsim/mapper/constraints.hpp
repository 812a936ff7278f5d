// Mapspace constraints (resolved to level, dimension and data-space indices) and mapper
// settings. Parsed from YAML in io/ (load_constraints.cpp); used by the mapspace.
#pragma once

#include "loopsim/model/accuracy.hpp"
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "loopsim/arch/arch_spec.hpp"
#include "loopsim/workload/workload.hpp"

namespace loopsim {

// Allowed range of one loop factor (factors: D=n, D<=n, D>=n).
struct FactorRange {
  std::int64_t min = 1;
  std::int64_t max = std::numeric_limits<std::int64_t>::max();
};

enum class KeepRule : std::int8_t { Free, Keep, Bypass };

struct LevelConstraints {
  std::vector<FactorRange> temporal;  // per dimension
  std::vector<FactorRange> spatial;   // per dimension
  std::vector<int> temporal_perm;     // innermost first; partial: listed dims innermost
  std::vector<int> spatial_perm;      // innermost first
  std::optional<std::int64_t> split;  // spatial dims at permutation index < split are X
  // Per dimension, the axis its spatial loop may use: -1 either, 0 X only, 1 Y only (the
  // dataflow presets' array lists; unlike permutation + split, it leaves the order free).
  std::vector<std::int8_t> spatial_axis;
  std::vector<KeepRule> keep;         // per data space
  double min_spatial_utilization = 0; // fraction of the level's fan-out used
  // Timeloop's no_reuse, per data space; copied onto every mapping (LevelMapping's
  // no_temporal_reuse and no_multicast), they change its evaluation, not the mapspace.
  std::vector<bool> no_reuse;         // temporal: the tile is not kept across outer iterations
  std::vector<bool> no_multicast;     // spatial: no multicast or spatial reduction
  std::vector<SourceLoc> where;       // where each constraint on this level was written
  // Where the factor constraint of each dimension (temporal, spatial), the keep/bypass rule
  // of each data space and the utilization were written (line 0: nowhere), for the
  // infeasibility report (find_infeasibility).
  std::vector<SourceLoc> temporal_at, spatial_at, keep_at;
  SourceLoc utilization_at;
  // Timeloop's `remainders` (used by the ruby mapspace template): the temporal (spatial)
  // factors at this level may be imperfect, factor and residual at most this value; none:
  // perfect factors only (docs/mapper.md, Mapspace).
  std::optional<std::int64_t> temporal_remainders, spatial_remainders;
  SourceLoc remainders_at;
};

struct Constraints {
  std::vector<LevelConstraints> levels;  // per storage level, innermost first
  // Timeloop's mapspace `template`: uber (perfect factors only) or ruby (imperfect factors
  // where a `remainders` constraint allows them).
  bool imperfect = false;
  // Sized for a workload and an architecture, with no restriction.
  static Constraints unconstrained(const Workload& w, const ArchSpec& arch);
};

enum class Metric { Energy, Delay, Edp, LastLevelAccesses };
enum class Algorithm { Auto, Exhaustive, LinearPruned, Random, RandomPruned, Hybrid, Optimal,
                       Anneal };

const char* to_string(Algorithm a);
const char* to_string(Metric m);
std::optional<Algorithm> algorithm_from_string(const std::string& s);
std::vector<std::string> algorithm_names();

struct MapperSettings {
  ModelConfig model;  // the evaluation model (loopsim_model:, --model)
  std::vector<Metric> metrics = {Metric::Edp};  // prioritized
  int threads = 0;                    // 0: all hardware threads
  std::int64_t timeout = 0;           // consecutive invalid mappings per thread; 0: no limit
  std::int64_t victory_condition = 0; // consecutive valid non-improving; 0: no limit
  std::int64_t search_size = 0;       // valid mappings in all (as Timeloop: divided among
                                      // the search chains); 0: no limit
  // Candidate mappings considered in all (evaluated, or ruled out before evaluation); 0: no
  // limit. With search_size, bounds a search by work: same answer on any thread count.
  std::int64_t max_evaluations = 0;
  Algorithm algorithm = Algorithm::Auto;
  std::int64_t max_permutations_per_if_visit = 16;
  std::uint64_t seed = 1;
  double time_budget_s = 0;           // 0: no limit
  // A hard stop (seconds) that leaves a run bounded by work (the optimal search's
  // incumbent search within the caller's time budget): past it the run ends as interrupted
  // by time, its answer is no longer the same on any machine. 0: none.
  double deadline_s = 0;
  // Whether the files give a stopping rule (timeout, victory_condition, search_size,
  // time_budget_s or max_evaluations, even 0 = no limit, as Timeloop reads them); without
  // one, `loopsim map` applies its default budget.
  bool stopping_rule_given = false;
  bool live_status = true;            // progress line on stderr
  bool diagnostics = false;           // print the rejection table even when a mapping is found
  std::int64_t sync_interval = 0;     // accepted; threads share the best at the end
  bool log_stats = false;             // print per-thread statistics at the end
  std::string out_prefix;             // empty: loopsim-mapper
};

}  // namespace loopsim
