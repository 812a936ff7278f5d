// The networks' energy parameters (docs/cost-model.md §9), as Timeloop sets them:
// LegacyNetwork::ComputeNetworkEnergy's energy per hop (written, else WireEnergyPerHop: word
// bits * tile width in mm * wire energy, where the wire energy is the attribute or the
// largest `transfer_random` of an ERT entry named `wire`; Timeloop's internal wire model
// gives 0), the router and ingress energies, the floorplan's tile widths
// (Topology::FloorPlan), and a SimpleMulticast network's ERT actions.
#include <algorithm>
#include <cmath>

#include "loopsim/core/expr.hpp"
#include "loopsim/energy/energy_table.hpp"

namespace loopsim {

bool is_network_ert_name(const ArchSpec& arch, const std::string& component) {
  if (component == "wire" || component == "Wire") return true;
  for (const auto& n : arch.networks)
    if (!n.inferred && n.name == component) return true;
  return false;
}

namespace {

// Area of one tile of each level, inner first: the arithmetic unit, then each storage level
// with the tiles of its fan-out (Topology::FloorPlan).
std::vector<double> tile_areas(const ArchSpec& arch, const std::vector<StorageEnergy>& storage,
                               const ComputeEnergy& compute) {
  std::vector<double> area;
  area.push_back(compute.area_um2);
  std::int64_t inner = arch.arithmetic.instances;
  for (int l = 0; l < arch.num_storage_levels(); ++l) {
    std::int64_t cur = std::max<std::int64_t>(1, arch.storage[l].instances);
    double fanout = static_cast<double>(inner / cur);
    area.push_back(storage[l].area_um2 + area.back() * fanout);
    inner = cur;
  }
  return area;
}

double wire_entry_energy(const EnergyInputs& in) {
  double e = 0;
  for (const auto& t : in.ert) {
    std::string n = ert_component_name(t.name);
    if (n != "wire" && n != "Wire") continue;
    if (auto it = t.actions.find("transfer_random"); it != t.actions.end()) e = std::max(e, it->second);
  }
  return e;
}

}  // namespace

std::vector<NetworkEnergy> resolve_networks(const ArchSpec& arch, const EnergyInputs& in,
                                            const std::vector<StorageEnergy>& storage,
                                            const ComputeEnergy& compute) {
  std::vector<NetworkEnergy> out(arch.networks.size());
  std::vector<bool> width_set(arch.networks.size(), false);
  const double wire = wire_entry_energy(in);
  std::vector<double> area = tile_areas(arch, storage, compute);
  for (std::size_t i = 0; i < arch.networks.size(); ++i) {
    const NetworkSpec& s = arch.networks[i];
    NetworkEnergy& e = out[i];
    e.router_pj = s.router_energy_pj;
    e.ingress_pj = s.ingress_energy_pj;
    e.wire_energy_pj_per_bit_mm = s.wire_energy_pj_per_bit_mm.value_or(0.0);
    if (s.inferred && wire != 0.0) e.wire_energy_pj_per_bit_mm = wire;
    if (s.tile_width_um) {
      e.tile_width_um = *s.tile_width_um;
      width_set[i] = true;
    }
  }
  // The floorplan tells each level's networks the width of the inner tile; a network keeps
  // the first width it is told (the innermost level that uses it) unless it has its own.
  for (int l = 0; l < arch.num_storage_levels(); ++l) {
    double width = std::sqrt(area[static_cast<std::size_t>(l)]);
    for (int idx : {arch.storage[l].read_network, arch.storage[l].update_network}) {
      if (idx < 0 || width_set[static_cast<std::size_t>(idx)]) continue;
      out[static_cast<std::size_t>(idx)].tile_width_um = width;
      width_set[static_cast<std::size_t>(idx)] = true;
    }
  }
  for (std::size_t i = 0; i < arch.networks.size(); ++i) {
    const NetworkSpec& s = arch.networks[i];
    NetworkEnergy& e = out[i];
    if (s.energy_per_hop_pj)
      e.energy_per_hop_pj = *s.energy_per_hop_pj;
    else if (e.wire_energy_pj_per_bit_mm != 0.0)
      e.energy_per_hop_pj = s.word_bits * (e.tile_width_um / 1000.0) * e.wire_energy_pj_per_bit_mm;
    if (s.kind != NetworkKind::SimpleMulticast) continue;
    for (const auto& t : in.ert) {
      if (ert_component_name(t.name) != s.name) continue;
      for (const auto& [action, variants] : t.variants) {
        auto& list = e.actions[action];
        for (const auto& v : variants) {
          std::int64_t factor = -1;
          if (auto a = v.arguments.find(s.multicast_factor_argument); a != v.arguments.end())
            if (auto x = parse_number(a->second)) factor = static_cast<std::int64_t>(*x);
          list.emplace_back(factor, v.energy);
        }
      }
    }
  }
  return out;
}

}  // namespace loopsim
