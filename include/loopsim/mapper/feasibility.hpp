// Infeasibility found before searching: constraints checked against each other and the
// architecture (spatial factors against fan-out, factor constraints against the bound,
// keep/bypass, capacity of the smallest tile), naming the constraints that conflict.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "loopsim/mapper/constraints.hpp"

namespace loopsim {

struct Infeasibility {
  std::string message;            // what cannot hold, naming every constraint (file:line)
  SourceLoc where;                // the first conflicting constraint (line 0: none written)
};

// Contract: when it returns a value, the mapspace of (w, arch, c) has no mapping that the
// factor, fan-out, keep and capacity rules accept (never a false alarm); it may miss
// conflicts that only a search finds (utilization, combinations across dimensions).
std::optional<Infeasibility> find_infeasibility(const Workload& w, const ArchSpec& arch,
                                                const Constraints& c);

}  // namespace loopsim
