// Network energy (docs/cost-model.md §9), as Timeloop's network models compute it:
// LegacyNetwork (inferred networks, XY_NoC, Legacy) and SimpleMulticastNetwork. Each
// connection (storage level l to its inner level) evaluates its read-fill network and then
// its drain-update network from level l's collapsed tile, each network once (the first
// connection that uses it), as Topology::Evaluate does.
#include <cmath>

#include "loopsim/model/evaluate.hpp"

namespace loopsim {

namespace {

struct Use {
  bool read_fill = false, update_drain = false;
  int sink_level = -1;  // the outer level of the connection it drains into
};

std::vector<Use> network_uses(const ArchSpec& arch) {
  std::vector<Use> uses(arch.networks.size());
  for (int l = 0; l < arch.num_storage_levels(); ++l) {
    const StorageLevel& lv = arch.storage[l];
    if (lv.read_network >= 0) uses[static_cast<std::size_t>(lv.read_network)].read_fill = true;
    if (lv.update_network >= 0) {
      Use& u = uses[static_cast<std::size_t>(lv.update_network)];
      u.update_drain = true;
      u.sink_level = l;
    }
  }
  return uses;
}

// SimpleMulticastNetwork::GetOpEnergyFromERT: with several argument sets, the one whose
// multicast-factor argument equals `multicast` (0 when none does); with one, its energy; an
// action the table lacks costs 0.
double multicast_energy(const NetworkEnergy& ne, const std::string& action,
                        std::uint64_t multicast) {
  auto it = ne.actions.find(action);
  if (it == ne.actions.end() || it->second.empty()) return 0.0;
  const auto& variants = it->second;
  if (variants.size() == 1) return variants.front().second;
  double e = 0.0;
  for (const auto& [factor, energy] : variants)
    if (factor == static_cast<std::int64_t>(multicast)) e = energy;
  return e;
}

void legacy(const NetworkEnergy& ne, NetworkDataSpaceStats& d,
            const std::vector<std::pair<double, double>>& acc_hops) {
  double wire_hops = 0, ingresses = 0;
  std::uint64_t routers = 0;
  for (const auto& [acc, hops] : acc_hops) {
    ingresses += acc;
    if (acc > 0) {
      double num_hops = hops / acc;
      // Timeloop adds a double to an integer count (truncating the sum).
      routers = static_cast<std::uint64_t>(static_cast<double>(routers) +
                                           (1.0 + std::floor(num_hops)) * acc);
      wire_hops += num_hops * acc;
    }
  }
  d.energy_per_hop_pj = ne.energy_per_hop_pj;
  d.average_hops = ingresses > 0 ? wire_hops / ingresses : 0.0;
  d.energy_per_instance_pj = wire_hops * ne.energy_per_hop_pj +
                             static_cast<double>(routers) * ne.router_pj +
                             ne.ingress_pj * ingresses;
  d.link_energy_per_instance_pj =
      static_cast<double>(d.link_transfers) * (ne.energy_per_hop_pj + 2 * ne.router_pj);
}

}  // namespace

void evaluate_networks(const Workload& workload, const ArchSpec& arch, const EnergyTable& energy,
                       const CollapsedNest& tiles, Evaluation& ev) {
  const int nds = workload.num_data_spaces();
  ev.networks.resize(arch.networks.size());
  for (std::size_t i = 0; i < arch.networks.size(); ++i) {
    ev.networks[i].name = arch.networks[i].name;
    ev.networks[i].evaluated = false;
    ev.networks[i].energy_pj = 0;
    ev.networks[i].data_spaces.assign(static_cast<std::size_t>(nds), NetworkDataSpaceStats{});
  }
  if (arch.networks.empty()) return;
  const std::vector<Use> uses = network_uses(arch);
  for (int l = 0; l < arch.num_storage_levels(); ++l) {
    for (int idx : {arch.storage[l].read_network, arch.storage[l].update_network}) {
      if (idx < 0) continue;
      NetworkStats& ns = ev.networks[static_cast<std::size_t>(idx)];
      if (ns.evaluated) continue;
      ns.evaluated = true;
      const NetworkSpec& spec = arch.networks[static_cast<std::size_t>(idx)];
      const NetworkEnergy& ne = energy.network(idx);
      const Use& use = uses[static_cast<std::size_t>(idx)];
      const bool read_fill_only = use.read_fill && !use.update_drain;
      const bool sink_reduces =
          use.sink_level >= 0 && arch.storage[static_cast<std::size_t>(use.sink_level)].reduction_supported;
      for (int pv = 0; pv < nds; ++pv) {
        const DataMovement& dm = tiles.data[static_cast<std::size_t>(pv)][static_cast<std::size_t>(l)];
        NetworkDataSpaceStats& d = ns.data_spaces[static_cast<std::size_t>(pv)];
        const double samples = static_cast<double>(std::max<std::uint64_t>(1, dm.samples));
        const bool rmw = workload.is_read_write(pv);
        const bool doubled = spec.kind == NetworkKind::Legacy && rmw && !sink_reduces &&
                             !read_fill_only;
        d.fanout = dm.fanout;
        d.utilized_instances = dm.replication_factor;
        d.link_transfers = dm.link_transfers / std::max<std::uint64_t>(1, dm.samples);
        std::vector<std::pair<double, double>> acc_hops;
        for (const auto& s : dm.access_stats.stats) {
          double acc = static_cast<double>(s.accesses) / samples;
          // A read-modify-write data space whose sink cannot reduce: each update is a read
          // and a write on the network, less the first (LegacyNetwork::ComputeAccesses).
          if (doubled) acc = 2 * acc - static_cast<double>(dm.partition_size);
          d.ingresses.push_back({{s.multicast, s.scatter}, acc});
          d.total_ingresses += acc;
          d.multicast_factor = std::max(d.multicast_factor, s.multicast);
          if (rmw && use.update_drain && spec.kind == NetworkKind::Legacy)
            d.spatial_reductions += static_cast<double>(s.multicast - 1) * acc;
          acc_hops.emplace_back(acc, s.hops);
        }
        if (spec.kind == NetworkKind::Legacy) {
          legacy(ne, d, acc_hops);
        } else {
          // SimpleMulticastNetwork::Evaluate keeps the energy of the last record with
          // ingresses (its per-record assignment overwrites the earlier ones).
          d.link_transfers = 0;
          std::string action = spec.action_name;
          if (spec.per_datatype_ert) action += "_" + workload.data_spaces[static_cast<std::size_t>(pv)].name;
          for (const auto& [key, acc] : d.ingresses)
            if (acc > 0) d.energy_per_instance_pj = multicast_energy(ne, action, key.first) * acc;
        }
        d.energy_total_pj = (d.energy_per_instance_pj + d.link_energy_per_instance_pj) *
                            static_cast<double>(d.utilized_instances);
        ns.energy_pj += d.energy_total_pj;
      }
    }
  }
}

}  // namespace loopsim
