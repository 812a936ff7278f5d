#include "network_report.hpp"
#include "loopsim/core/text.hpp"

#include <algorithm>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli.hpp"
#include "loopsim/core/error.hpp"

namespace loopsim::cli {

namespace {

struct Totals {
  std::int64_t macs = 0, macs_mapped = 0;
  std::uint64_t cycles = 0;
  double energy_pj = 0, mac_energy_pj = 0, util_weighted = 0, area_um2 = 0;
  std::vector<double> level_pj;
  std::map<std::string, double> data_space_pj;
  int layers = 0, mapped = 0, cache_hits = 0, ops = 0;
  std::int64_t op_count = 0;  // arithmetic operations of the operation layers
  double op_energy_pj = 0;
};

}  // namespace

NetworkTotals write_network_report(const std::filesystem::path& dir, const ReportInputs& r,
                                   bool quiet) {
  const bool count_ops = r.op_energy_pj >= 0;
  const auto& net = r.net;
  std::vector<std::string> levels;
  double cycle_s = 1e-9;
  for (const auto& s : r.shapes)
    if (s.eval) {
      levels = s.in->model.arch.level_names();
      cycle_s = s.in->model.arch.global_cycle_seconds;
      break;
    }
  Totals t;
  t.level_pj.assign(levels.size(), 0);
  std::ofstream csv(dir / "layers.csv");
  if (!csv) throw ConfigError((dir / "layers.csv").string(), 0, "-o", "cannot write this file");
  csv << std::setprecision(15);
  csv << "name,shape,repeat,macs,cycles,energy_pj";
  for (const auto& l : levels) csv << ",energy_" << l << "_pj";
  csv << ",energy_mac_pj";
  if (count_ops) csv << ",energy_operations_pj";
  csv << ",utilization,mapping_id,cache_hit\n";
  std::vector<char> seen(r.shapes.size(), 0);
  for (int i : net.order) {
    const auto& l = net.layers[i];
    if (!l.is_problem()) {
      ++t.ops;
      t.op_count += l.op_count;
      if (count_ops) {  // a row: no MACs, no cycles (not modelled), op_count x the op energy
        double e = static_cast<double>(l.op_count) * r.op_energy_pj;
        t.op_energy_pj += e;
        t.energy_pj += e;
        csv << csv_field(l.name) << ","
            << csv_field("op=" + l.op + " out=" + network::to_string(l.output)) << "," << l.repeat
            << ",0,0," << e;
        for (std::size_t k = 0; k < levels.size(); ++k) csv << ",0";
        csv << ",0," << e << ",0,op,false\n";
      }
      continue;
    }
    ++t.layers;
    t.macs += l.macs();
    int si = r.shape_of[i];
    const ShapeRun& s = r.shapes[si];
    bool hit = seen[si];
    seen[si] = 1;
    if (!s.eval) continue;
    const Evaluation& ev = *s.eval;
    const double rep = static_cast<double>(l.repeat);
    ++t.mapped;
    t.cache_hits += hit;
    t.macs_mapped += l.macs();
    std::uint64_t cycles = ev.cycles * static_cast<std::uint64_t>(l.repeat);
    double e = ev.energy_pj * rep;
    t.cycles += cycles;
    t.energy_pj += e;
    t.util_weighted += ev.utilization * static_cast<double>(l.macs());
    t.area_um2 = std::max(t.area_um2, ev.area_um2);
    csv << csv_field(l.name) << "," << csv_field(network::workload_summary(l.workload)) << ","
        << l.repeat << "," << l.macs() << "," << cycles << "," << e;
    for (std::size_t k = 0; k < ev.levels.size() && k < levels.size(); ++k) {
      double le = ev.levels[k].energy_pj * rep;
      t.level_pj[k] += le;
      csv << "," << le;
      for (std::size_t d = 0; d < ev.levels[k].data_spaces.size(); ++d)
        t.data_space_pj[s.in->model.workload.data_spaces[d].name] +=
            ev.levels[k].data_spaces[d].energy_total_pj * rep;
    }
    t.mac_energy_pj += ev.compute.energy_pj * rep;
    csv << "," << ev.compute.energy_pj * rep;
    if (count_ops) csv << ",0";
    csv << "," << ev.utilization << "," << s.id << "," << (hit ? "true" : "false") << "\n";
  }
  int searches = 0, reused = 0;
  for (const auto& s : r.shapes) {
    searches += s.searched;
    reused += s.reused;
  }
  const double seconds = static_cast<double>(t.cycles) * cycle_s;
  const double energy_j = t.energy_pj * 1e-12;
  const double util = t.macs_mapped ? t.util_weighted / static_cast<double>(t.macs_mapped) : 0;
  nlohmann::ordered_json j;
  j["network"] = {{"name", net.name}, {"source", net.source}, {"file", net.file},
                  {"stated_macs", net.stated_macs}};
  j["layers"] = t.layers;
  j["operation_layers"] = {
      {"count", t.ops},
      {"operations", t.op_count},
      {"modelled", count_ops},
      {"energy_per_operation_pj", count_ops ? r.op_energy_pj : 0.0},
      {"energy_pj", t.op_energy_pj},
      {"energy_source", count_ops ? r.op_energy_source : "skipped: not modelled"}};
  j["operation_layers_not_modelled"] = count_ops ? 0 : t.ops;
  j["layers_mapped"] = t.mapped;
  j["distinct_shapes"] = r.shapes.size();
  j["searches"] = searches;
  j["mappings_reused"] = reused;
  j["cache_hits"] = t.cache_hits;
  j["complete"] = t.mapped == t.layers;
  j["interrupted"] = r.interrupted;
  j["macs"] = t.macs;
  j["macs_mapped"] = t.macs_mapped;
  j["cycles"] = t.cycles;
  j["latency_s"] = seconds;
  j["energy_pj"] = t.energy_pj;
  j["energy_j"] = energy_j;
  j["edp_j_cycles"] = energy_j * static_cast<double>(t.cycles);
  j["edp_j_s"] = energy_j * seconds;
  j["pj_per_mac"] = t.macs_mapped ? t.energy_pj / static_cast<double>(t.macs_mapped) : 0;
  j["utilization_mac_weighted"] = util;
  j["area_um2"] = t.area_um2;
  nlohmann::ordered_json lv = nlohmann::ordered_json::object();
  for (std::size_t k = 0; k < levels.size(); ++k) lv[levels[k]] = t.level_pj[k];
  lv["MAC"] = t.mac_energy_pj;
  if (count_ops) lv["operations"] = t.op_energy_pj;
  j["energy_per_level_pj"] = lv;
  j["energy_per_data_space_pj"] = t.data_space_pj;
  j["search"] = {{"wall_seconds", r.wall_seconds},
                 {"parallel_shapes", r.parallel_shapes},
                 {"threads_per_search", r.threads_per_search}};
  nlohmann::ordered_json w = nlohmann::ordered_json::array();
  if (r.warnings)
    for (const auto& x : *r.warnings) w.push_back(format_warning(x));
  j["warnings"] = w;
  write_file(dir / "network.stats.json", [&](std::ostream& os) { os << j.dump(2) << "\n"; });
  std::ostringstream os;
  os << std::setprecision(4);
  os << "Network: " << (net.name.empty() ? net.file : net.name) << "\n";
  if (!net.source.empty()) os << "Source: " << net.source << "\n";
  os << "Layers: " << t.layers << " (" << r.shapes.size() << " distinct shapes, " << searches
     << " searches, " << reused << " mappings reused, " << t.cache_hits << " cache hits); " << t.ops
     << " operation layers (pooling, add, concat, flatten, elementwise, reshape, slice; "
     << t.op_count << " arithmetic operations) " << (count_ops ? "counted at " : "not modelled");
  if (count_ops) os << r.op_energy_pj << " pJ/op (" << r.op_energy_source << ")";
  os << "\n";
  if (t.mapped != t.layers)
    os << "INCOMPLETE: " << t.mapped << " of " << t.layers
       << " layers mapped; the totals below cover those only\n";
  os << "MACs: " << t.macs_mapped << " (" << static_cast<double>(t.macs_mapped) / 1e9 << " G)\n";
  os << "Energy: " << t.energy_pj / 1e6 << " uJ (" << (t.macs_mapped ? t.energy_pj / static_cast<double>(t.macs_mapped) : 0)
     << " pJ/MAC)\n";
  os << "Latency (layers in sequence): " << t.cycles << " cycles, " << seconds * 1e3 << " ms\n";
  os << "EDP: " << energy_j * seconds << " J*s (" << energy_j * static_cast<double>(t.cycles)
     << " J*cycles)\n";
  os << "Utilization (MAC-weighted): " << 100 * util << " %\n";
  os << "Area: " << t.area_um2 / 1e6 << " mm^2\n";
  os << "Energy per level:\n";
  for (std::size_t k = 0; k < levels.size(); ++k)
    os << "  " << levels[k] << ": " << t.level_pj[k] / 1e6 << " uJ ("
       << (t.energy_pj > 0 ? 100 * t.level_pj[k] / t.energy_pj : 0) << " %)\n";
  os << "  MAC: " << t.mac_energy_pj / 1e6 << " uJ ("
     << (t.energy_pj > 0 ? 100 * t.mac_energy_pj / t.energy_pj : 0) << " %)\n";
  if (count_ops)
    os << "  operations: " << t.op_energy_pj / 1e6 << " uJ ("
       << (t.energy_pj > 0 ? 100 * t.op_energy_pj / t.energy_pj : 0) << " %)\n";
  os << "Energy per data space (accesses; leakage excluded):\n";
  for (const auto& [name, pj] : t.data_space_pj) os << "  " << name << ": " << pj / 1e6 << " uJ\n";
  os << "Search wall time: " << r.wall_seconds << " s (" << r.parallel_shapes
     << " shapes in parallel, " << r.threads_per_search << " thread(s) per search)\n";
  if (r.warnings && !r.warnings->empty()) os << "Warnings: " << r.warnings->size() << "\n";
  write_file(dir / "network.summary.txt", [&](std::ostream& out) { out << os.str(); });
  if (!quiet) std::cout << os.str();
  return NetworkTotals{t.macs_mapped, t.energy_pj, t.cycles, cycle_s,
                       t.mapped == t.layers && !r.interrupted};
}

}  // namespace loopsim::cli
