#include "loopsim/mapper/constraints.hpp"

namespace loopsim {

Constraints Constraints::unconstrained(const Workload& w, const ArchSpec& arch) {
  Constraints c;
  c.levels.resize(static_cast<std::size_t>(arch.num_storage_levels()));
  for (auto& l : c.levels) {
    l.temporal.assign(static_cast<std::size_t>(w.num_dims()), FactorRange{});
    l.spatial.assign(static_cast<std::size_t>(w.num_dims()), FactorRange{});
    l.spatial_axis.assign(static_cast<std::size_t>(w.num_dims()), -1);
    l.keep.assign(static_cast<std::size_t>(w.num_data_spaces()), KeepRule::Free);
    l.temporal_at.assign(static_cast<std::size_t>(w.num_dims()), SourceLoc{});
    l.spatial_at.assign(static_cast<std::size_t>(w.num_dims()), SourceLoc{});
    l.keep_at.assign(static_cast<std::size_t>(w.num_data_spaces()), SourceLoc{});
    l.no_reuse.assign(static_cast<std::size_t>(w.num_data_spaces()), false);
    l.no_multicast.assign(static_cast<std::size_t>(w.num_data_spaces()), false);
  }
  return c;
}

const char* to_string(Algorithm a) {
  switch (a) {
    case Algorithm::Auto: return "auto";
    case Algorithm::Exhaustive: return "exhaustive";
    case Algorithm::LinearPruned: return "linear_pruned";
    case Algorithm::Random: return "random";
    case Algorithm::RandomPruned: return "random_pruned";
    case Algorithm::Hybrid: return "hybrid";
    case Algorithm::Optimal: return "optimal";
    case Algorithm::Anneal: return "anneal";
  }
  return "?";
}

const char* to_string(Metric m) {
  switch (m) {
    case Metric::Energy: return "energy";
    case Metric::Delay: return "delay";
    case Metric::Edp: return "edp";
    case Metric::LastLevelAccesses: return "last_level_accesses";
  }
  return "?";
}

std::vector<std::string> algorithm_names() {
  return {"auto", "exhaustive", "linear_pruned", "random", "random_pruned", "hybrid", "optimal",
          "anneal"};
}

std::optional<Algorithm> algorithm_from_string(const std::string& s) {
  for (auto a : {Algorithm::Auto, Algorithm::Exhaustive, Algorithm::LinearPruned,
                 Algorithm::Random, Algorithm::RandomPruned, Algorithm::Hybrid,
                 Algorithm::Optimal, Algorithm::Anneal})
    if (s == to_string(a)) return a;
  if (s == "linear") return Algorithm::LinearPruned;
  return std::nullopt;
}

}  // namespace loopsim
