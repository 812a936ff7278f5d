// The networks in stats.txt (Timeloop's "Networks" section and its fJ/Compute lines) and
// stats.json ("networks"), docs/cost-model.md §9. As Timeloop, the text lists the networks
// with a non-zero energy, ordered by name.
#include <algorithm>

#include "write_network_stats.hpp"
#include "loopsim/core/text.hpp"

namespace loopsim::io {

namespace {

std::string f2(double v) { return fixed(v, 2); }

void line(std::ostream& out, const std::string& indent, const std::string& label,
          const std::string& value) {
  std::string l = label;
  const std::size_t width = 40;
  if (l.size() < width) l.append(width - l.size(), ' ');
  out << indent << l << ": " << value << "\n";
}

}  // namespace

std::vector<int> priced_networks(const Evaluation& ev) {
  std::vector<int> order;
  for (int i = 0; i < static_cast<int>(ev.networks.size()); ++i)
    if (ev.networks[static_cast<std::size_t>(i)].evaluated &&
        ev.networks[static_cast<std::size_t>(i)].energy_pj != 0.0)
      order.push_back(i);
  std::sort(order.begin(), order.end(), [&](int a, int b) {
    return ev.networks[static_cast<std::size_t>(a)].name < ev.networks[static_cast<std::size_t>(b)].name;
  });
  return order;
}

void write_networks_txt(std::ostream& out, const EmitContext& c) {
  const auto& ev = c.eval;
  const std::string in4 = "    ", in8 = "        ", in12 = "            ";
  int shown = 0;
  for (int i : priced_networks(ev)) {
    const NetworkStats& ns = ev.networks[static_cast<std::size_t>(i)];
    const NetworkSpec& spec = c.arch.networks[static_cast<std::size_t>(i)];
    const NetworkEnergy* ne = i < c.energy.num_networks() ? &c.energy.network(i) : nullptr;
    out << "Network " << shown++ << "\n---------\n" << ns.name << "\n\n";
    out << in4 << "SPECS\n" << in4 << "-----\n";
    bool legacy = spec.kind == NetworkKind::Legacy;
    out << in8 << "Type            : " << (legacy ? "Legacy" : "SimpleMulticast") << "\n";
    out << in8 << "Word bits       : " << spec.word_bits << "\n";
    if (legacy && ne) {
      out << in8 << "Router energy   : " << f2(ne->router_pj) << " pJ\n";
      out << in8 << "Wire energy     : " << f2(ne->wire_energy_pj_per_bit_mm) << " pJ/b/mm\n";
      out << in8 << "Ingress energy  : " << f2(ne->ingress_pj) << " pJ\n";
    } else if (!legacy) {
      out << in8 << "Action Name       : " << spec.action_name << "\n";
    }
    out << "\n" << in4 << "STATS\n" << in4 << "-----\n";
    for (int pv = 0; pv < c.workload.num_data_spaces(); ++pv) {
      const NetworkDataSpaceStats& d = ns.data_spaces[static_cast<std::size_t>(pv)];
      if (!legacy && d.total_ingresses == 0) continue;
      auto ui = static_cast<double>(d.utilized_instances);
      out << in4 << c.workload.data_spaces[static_cast<std::size_t>(pv)].name << ":\n";
      line(out, in8, "Fanout", std::to_string(d.fanout));
      line(out, in8, "Multicast factor", std::to_string(d.multicast_factor));
      line(out, in8, "Ingresses", f2(d.total_ingresses));
      if (legacy)
        for (const auto& [key, acc] : d.ingresses)
          out << in12 << "@multicast " << key.first << " @scatter " << key.second << ": "
              << f2(acc) << "\n";
      if (legacy) {
        line(out, in8, "Link transfers", std::to_string(d.link_transfers));
        line(out, in8, "Spatial reductions", f2(d.spatial_reductions));
        line(out, in8, "Average number of hops", f2(d.average_hops));
        line(out, in8, "Energy (per-hop)", f2(d.energy_per_hop_pj * 1000) + " fJ");
      }
      line(out, in8, "Energy (per-instance)", f2(d.energy_per_instance_pj) + " pJ");
      line(out, in8, "Energy (total)", f2(d.energy_per_instance_pj * ui) + " pJ");
      if (legacy) {
        line(out, in8, "Link transfer energy (per-instance)", f2(d.link_energy_per_instance_pj) + " pJ");
        line(out, in8, "Link transfer energy (total)", f2(d.link_energy_per_instance_pj * ui) + " pJ");
        line(out, in8, "Spatial Reduction Energy (per-instance)", "0.00 pJ");
        line(out, in8, "Spatial Reduction Energy (total)", "0.00 pJ");
      }
    }
    out << "\n";
  }
}

nlohmann::json networks_json(const EmitContext& c) {
  nlohmann::json list = nlohmann::json::array();
  for (std::size_t i = 0; i < c.eval.networks.size(); ++i) {
    const NetworkStats& ns = c.eval.networks[i];
    if (!ns.evaluated) continue;
    const NetworkSpec& spec = c.arch.networks[i];
    nlohmann::json n = {{"name", ns.name},
                        {"class", spec.cls},
                        {"inferred", spec.inferred},
                        {"energy_pj", ns.energy_pj}};
    for (int pv = 0; pv < c.workload.num_data_spaces(); ++pv) {
      const NetworkDataSpaceStats& d = ns.data_spaces[static_cast<std::size_t>(pv)];
      nlohmann::json by = nlohmann::json::array();
      for (const auto& [key, acc] : d.ingresses)
        by.push_back({{"multicast", key.first}, {"scatter", key.second}, {"ingresses", acc}});
      n["data_spaces"][c.workload.data_spaces[static_cast<std::size_t>(pv)].name] = {
          {"fanout", d.fanout},
          {"multicast_factor", d.multicast_factor},
          {"ingresses", d.total_ingresses},
          {"ingresses_by_multicast", by},
          {"link_transfers", d.link_transfers},
          {"spatial_reductions", d.spatial_reductions},
          {"average_hops", d.average_hops},
          {"energy_per_hop_pj", d.energy_per_hop_pj},
          {"energy_per_instance_pj", d.energy_per_instance_pj},
          {"link_energy_per_instance_pj", d.link_energy_per_instance_pj},
          {"utilized_instances", d.utilized_instances},
          {"energy_pj", d.energy_total_pj}};
    }
    list.push_back(n);
  }
  return list;
}

}  // namespace loopsim::io
