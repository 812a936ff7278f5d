// Helpers shared by the mapper unit tests (mapper_test.cpp, mapper_order_test.cpp).
#pragma once

#include <sstream>
#include <string>

#include "loopsim/io/emit.hpp"
#include "loopsim/io/load.hpp"
#include "loopsim/mapper/search.hpp"

namespace loopsim::testing {

inline SearchResult run(const io::MapperInputs& in, Algorithm a, int threads, std::int64_t search_size,
                 std::uint64_t seed) {
  MapperSettings s = in.settings;
  s.algorithm = a;
  s.threads = threads;
  s.search_size = search_size;
  s.seed = seed;
  s.metrics = {Metric::Edp};
  auto table = EnergyTable::resolve(in.model.arch, in.model.energy);
  return search_mappings(in.model.workload, in.model.arch, table, in.constraints, s, nullptr, {});
}

inline std::string yaml_of(const io::MapperInputs& in, const SearchResult& r) {
  auto table = EnergyTable::resolve(in.model.arch, in.model.energy);
  io::EmitContext ctx{in.model.workload, in.model.arch, table, *r.best, *r.eval};
  std::ostringstream os;
  io::write_map_yaml(os, ctx);
  return os.str();
}


inline int slot_of(const MapSpace& ms, int level, Spacetime st) {
  for (std::size_t s = 0; s < ms.slots().size(); ++s)
    if (ms.slots()[s].level == level && ms.slots()[s].st == st) return static_cast<int>(s);
  return -1;
}

}  // namespace loopsim::testing
