// Spatial reuse of one fan-out: multicast groups and neighbour link transfers among the
// deltas of the spatial instances (spatial_reuse.cpp); used by the walk (nest_analysis.cpp).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <set>

#include "loopsim/analysis/nest_analysis.hpp"
#include "loopsim/analysis/point_set.hpp"

namespace loopsim::detail {

using SpatialDeltas = std::map<std::uint64_t, OperationSpace>;  // instance -> its delta
using Unaccounted = std::array<std::set<std::uint64_t>, kMaxDataSpaces>;

struct SpatialReuse {
  int nds = 0;                     // data spaces
  std::uint64_t h = 1, v = 1;      // the fan-out's X and Y sizes
  std::uint32_t no_multicast = 0;  // bit pv: no multicast or reduction for data space pv
  std::uint64_t epochs = 1;        // times this invocation stands for
};

// Every instance of `deltas` unaccounted for, per data space.
void reset_unaccounted(int nds, const SpatialDeltas& deltas, Unaccounted& u);

// Accesses to the level above: instances with the same delta form one multicast group.
// Only unaccounted instances take part; they are accounted for.
std::array<AccessStatMatrix, kMaxDataSpaces> multicast_accesses(const SpatialReuse& r,
                                                                const SpatialDeltas& deltas,
                                                                Unaccounted& unaccounted);

// The accurate model's multicast (docs/cost-model.md §8): each distinct word of the
// unaccounted instances' deltas is read once from the level above and multicast to every
// instance whose delta holds it; for a read-write data space, the updates of one word from
// several instances are reduced on the way up. Accesses are recorded by that word multicast
// factor (so accesses * multicast still sums to the words the instances receive). Falls back
// to multicast_accesses() when the boxes cut space into more than 2^22 cells.
std::array<AccessStatMatrix, kMaxDataSpaces> union_multicast_accesses(const SpatialReuse& r,
                                                                      const SpatialDeltas& deltas,
                                                                      Unaccounted& unaccounted);

// Instances whose delta a grid neighbour held in the previous invocation (`prev`): their
// words arrive over the link (added to `transfers`) and are accounted for.
void link_transfers(const SpatialReuse& r, const SpatialDeltas& deltas, const SpatialDeltas& prev,
                    Unaccounted& unaccounted, std::array<std::uint64_t, kMaxDataSpaces>& transfers);

}  // namespace loopsim::detail
