// stats.txt in Timeloop's layout (section by section), so lab scripts that read it work.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "loopsim/core/text.hpp"
#include "loopsim/io/emit.hpp"
#include "write_network_stats.hpp"

namespace loopsim::io {

namespace {

std::string f2(double v) { return fixed(v, 2); }

std::string opt_num(const std::optional<double>& v) { return v ? f2(*v) : "-"; }

void line(std::ostream& out, const std::string& indent, const std::string& label, int width,
          const std::string& value) {
  std::string l = label;
  if (static_cast<int>(l.size()) < width) l.append(static_cast<std::size_t>(width) - l.size(), ' ');
  out << indent << l << ": " << value << "\n";
}

double total_ops(const Workload& w, const Evaluation& ev) {
  double reductions = 0;
  for (int d = 0; d < w.num_data_spaces(); ++d)
    if (w.is_read_write(d))
      reductions += static_cast<double>(ev.compute.computes) - static_cast<double>(w.tensor_size(d));
  return static_cast<double>(ev.compute.computes) + reductions;
}

}  // namespace

void write_stats_txt(std::ostream& out, const EmitContext& c) {
  const auto& ev = c.eval;
  const auto& w = c.workload;
  const std::string in4 = "    ", in8 = "        ";
  out << "Buffer and Arithmetic Levels\n----------------------------\n";
  out << "Level 0\n-------\n=== " << c.arch.arithmetic.name << " ===\n\n";
  out << in4 << "SPECS\n" << in4 << "-----\n";
  line(out, in4, "Word bits", 22, std::to_string(c.arch.arithmetic.word_bits));
  line(out, in4, "Instances", 22,
       std::to_string(c.arch.arithmetic.instances) + " (" + std::to_string(c.arch.arithmetic.mesh_x) +
           "*" + std::to_string(c.arch.arithmetic.mesh_y) + ")");
  line(out, in4, "Compute energy", 22, f2(c.energy.compute().compute_pj) + " pJ");
  out << "\n" << in4 << "STATS\n" << in4 << "-----\n";
  line(out, in4, "Utilized instances", 24, std::to_string(ev.compute.utilized_instances));
  line(out, in4, "Computes (total)", 24, std::to_string(ev.compute.computes));
  line(out, in4, "Cycles", 24, std::to_string(ev.compute.cycles));
  line(out, in4, "Energy (total)", 24, f2(ev.compute.energy_pj) + " pJ");
  line(out, in4, "Area (total)", 24, f2(ev.compute.area_um2) + " um^2");
  out << "\n";

  for (int l = 0; l < static_cast<int>(ev.levels.size()); ++l) {
    const auto& st = ev.levels[l];
    const auto& spec = c.arch.storage[l];
    const auto& en = c.energy.storage(l);
    if (!st.keeps_anything() && st.energy_pj == 0.0) continue;
    out << "Level " << l + 1 << "\n-------\n=== " << st.name << " ===\n\n";
    out << in4 << "SPECS\n" << in4 << "-----\n";
    const int W = 32;
    line(out, in8, "Technology", W, spec.technology == StorageTech::DRAM ? "DRAM" : "SRAM");
    line(out, in8, "Size", W, spec.size_words ? std::to_string(*spec.size_words) : "-");
    line(out, in8, "Word bits", W, std::to_string(spec.word_bits));
    line(out, in8, "Block size", W, std::to_string(spec.block_size));
    line(out, in8, "Cluster size", W, std::to_string(spec.cluster_size));
    line(out, in8, "Instances", W,
         std::to_string(spec.instances) + " (" + std::to_string(spec.mesh_x) + "*" +
             std::to_string(spec.mesh_y) + ")");
    line(out, in8, "Shared bandwidth", W, opt_num(spec.shared_bandwidth));
    line(out, in8, "Read bandwidth", W, opt_num(spec.read_bandwidth));
    line(out, in8, "Write bandwidth", W, opt_num(spec.write_bandwidth));
    line(out, in8, "Multiple buffering", W, f2(spec.multiple_buffering));
    line(out, in8, "Effective size", W,
         spec.effective_size_words ? std::to_string(*spec.effective_size_words) : "-");
    line(out, in8, "Min utilization", W, f2(spec.min_utilization));
    double vae = std::max({en.read_pj, en.fill_pj, en.update_pj}) / spec.cluster_size;
    line(out, in8, "Vector access energy", W, f2(vae) + " pJ");
    line(out, in8, "Vector access energy source", W, en.source);
    line(out, in8, "Per-instance-cycle leakage", W, f2(en.leak_pj) + " pJ");
    line(out, in8, "Instances sharing power gating", W, "1.00");
    line(out, in8, "Non-power-gated utilization", W, "100.00%");
    line(out, in8, "Leakage energy (total)", W, f2(st.leakage_pj) + " pJ");
    // Timeloop keeps areas in single precision; print them the same way.
    line(out, in8, "Area", W, f2(static_cast<float>(en.area_um2)) + " um^2");
    out << "\n" << in4 << "MAPPING\n" << in4 << "-------\n" << in4 << "Loop nest:\n";
    std::string ind = "  ";
    for (auto it = st.loops.rbegin(); it != st.loops.rend(); ++it) {
      if (it->trivial()) continue;
      out << in4 << ind << describe_loop(*it, w) << "\n";
      ind += "  ";
    }
    out << "\n" << in4 << "STATS\n" << in4 << "-----\n";
    line(out, in4, "Cycles", 21, std::to_string(st.cycles));
    line(out, in4, "Bandwidth throttling", 21, f2(st.slowdown));
    for (int pv = 0; pv < w.num_data_spaces(); ++pv) {
      const auto& d = st.data_spaces[pv];
      if (!d.keep) continue;
      out << in4 << w.data_spaces[pv].name << ":\n";
      const int D = 41;
      double per_access = d.accesses() ? d.energy_per_instance_pj / static_cast<double>(d.accesses()) : 0;
      auto ui = static_cast<double>(d.utilized_instances);
      line(out, in8, "Partition size", D, std::to_string(d.partition_size));
      line(out, in8, "Utilized capacity", D, std::to_string(d.utilized_capacity));
      line(out, in8, "Utilized instances (max)", D, std::to_string(d.utilized_instances));
      line(out, in8, "Utilized clusters (max)", D, std::to_string(d.utilized_clusters));
      line(out, in8, "Scalar reads (per-instance)", D, std::to_string(d.reads));
      line(out, in8, "Scalar fills (per-instance)", D, std::to_string(d.fills));
      line(out, in8, "Scalar updates (per-instance)", D, std::to_string(d.updates));
      line(out, in8, "Temporal reductions (per-instance)", D, std::to_string(d.temporal_reductions));
      line(out, in8, "Address generations (per-cluster)", D, std::to_string(d.address_generations));
      line(out, in8, "Energy (per-scalar-access)", D, f2(per_access) + " pJ");
      line(out, in8, "Energy (per-instance)", D, f2(d.energy_per_instance_pj) + " pJ");
      line(out, in8, "Energy (total)", D, f2(d.energy_total_pj) + " pJ");
      line(out, in8, "Temporal Reduction Energy (per-instance)", D, "0.00 pJ");
      line(out, in8, "Temporal Reduction Energy (total)", D, "0.00 pJ");
      line(out, in8, "Address Generation Energy (per-cluster)", D, "0.00 pJ");
      line(out, in8, "Address Generation Energy (total)", D, "0.00 pJ");
      line(out, in8, "Bandwidth Consumption Scale", D, "1.00");
      double shared = d.read_bandwidth + d.write_bandwidth;
      line(out, in8, "Shared Bandwidth (per-instance)", D, f2(shared) + " words/cycle");
      line(out, in8, "Shared Bandwidth (total)", D, f2(shared * ui) + " words/cycle");
      line(out, in8, "Read Bandwidth (per-instance)", D, f2(d.read_bandwidth) + " words/cycle");
      line(out, in8, "Read Bandwidth (total)", D, f2(d.read_bandwidth * ui) + " words/cycle");
      line(out, in8, "Write Bandwidth (per-instance)", D, f2(d.write_bandwidth) + " words/cycle");
      line(out, in8, "Write Bandwidth (total)", D, f2(d.write_bandwidth * ui) + " words/cycle");
    }
    out << "\n";
  }

  out << "Networks\n--------\n";
  write_networks_txt(out, c);
  out << "\n";
  double ops = total_ops(w, ev);
  double required = 0;
  for (int d = 0; d < w.num_data_spaces(); ++d) required += static_cast<double>(w.tensor_size(d));
  double outer_bytes = c.arch.storage.back().word_bits / 8.0;
  out << "Operational Intensity Stats\n---------------------------\n";
  const int O = 40;
  line(out, in4, "Total elementwise ops", O, std::to_string(ev.compute.computes));
  line(out, in4, "Total reduction ops", O,
       std::to_string(static_cast<std::uint64_t>(ops) - ev.compute.computes));
  line(out, in4, "Total ops", O, std::to_string(static_cast<std::uint64_t>(ops)));
  line(out, in4, "Total memory accesses required", O, std::to_string(static_cast<std::uint64_t>(required)));
  line(out, in4, "Optimal Op per Byte", O, f2(ops / (required * outer_bytes)));
  out << "\n";
  for (int l = 0; l < static_cast<int>(ev.levels.size()); ++l) {
    const auto& st = ev.levels[l];
    out << "=== " << st.name << " ===\n";
    std::uint64_t accesses = 0;
    for (const auto& d : st.data_spaces)
      if (d.keep) accesses += d.utilized_instances * d.accesses();
    if (accesses == 0) continue;
    line(out, in4, "Total scalar accesses", O, std::to_string(accesses));
    line(out, in4, "Op per Byte", O,
         f2(ops / (static_cast<double>(accesses) * c.arch.storage[l].word_bits / 8.0)));
  }
  out << "\n\nSummary Stats\n-------------\n";
  double cycles = static_cast<double>(ev.cycles);
  out << "GFLOPs (@1GHz): " << f2(cycles ? ops / cycles : 0) << "\n";
  out << "Utilization: " << f2(ev.utilization * 100.0) << "%\n";
  out << "Cycles: " << ev.cycles << "\n";
  out << "Energy: " << f2(ev.energy_pj / 1e6) << " uJ\n";
  char edp[64];
  std::snprintf(edp, sizeof edp, "%.2e", ev.edp());
  out << "EDP(J*cycle): " << edp << "\n";
  out << "Area: " << f2(ev.area_um2 / 1e6) << " mm^2\n\n";
  out << "Computes = " << ev.compute.computes << "\n";
  out << "fJ/Compute\n";
  // Names are padded like Timeloop's, to the longest level or "outer <==> inner" name.
  std::size_t width = c.arch.arithmetic.name.size();
  for (int l = 0; l < c.arch.num_storage_levels(); ++l) {
    std::string inner = l == 0 ? c.arch.arithmetic.name : c.arch.storage[l - 1].name;
    width = std::max(width, c.arch.storage[l].name.size() + 6 + inner.size());
  }
  for (const auto& n : ev.networks) width = std::max(width, n.name.size());
  width += 1;
  double computes = static_cast<double>(std::max<std::uint64_t>(1, ev.compute.computes));
  auto fj = [&](const std::string& name, double pj) {
    std::string n = name;
    n.append(width - std::min(width, n.size()), ' ');
    out << in4 << n << "= " << f2(pj * 1000.0 / computes) << "\n";
  };
  fj(c.arch.arithmetic.name, ev.compute.energy_pj);
  for (const auto& st : ev.levels)
    if (st.keeps_anything() || st.energy_pj != 0.0) fj(st.name, st.energy_pj);
  for (int i : priced_networks(ev))
    fj(ev.networks[static_cast<std::size_t>(i)].name, ev.networks[static_cast<std::size_t>(i)].energy_pj);
  fj("Total", ev.energy_pj);
  out << "\n";
}

void write_summary(std::ostream& out, const EmitContext& c) {
  const auto& ev = c.eval;
  out << "Utilization: " << f2(ev.utilization * 100.0) << "% | pJ/Compute: "
      << fixed(ev.fj_per_compute() / 1000.0, 3) << " | Cycles: " << ev.cycles
      << " | Energy: " << f2(ev.energy_pj / 1e6) << " uJ";
  if (c.model && c.model->accurate()) out << " | Model: accurate";
  if (c.warnings && !c.warnings->empty())
    out << " | Warnings: " << c.warnings->size();
  out << "\n";
}

}  // namespace loopsim::io
