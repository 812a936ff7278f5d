// Rows, normalisation and output files of `loopsim compare` (docs/compare.md).
//   expand_dataflow_name   short names -> preset names
//   level_rows             compare.csv rows of one point
//   summarise              summary.csv rows: per layer and total, relative to the best
//   write_* / print_table  the files and the normalised table
#include "loopsim/explore/compare.hpp"
#include "loopsim/core/text.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>

#include "loopsim/core/error.hpp"

namespace loopsim::explore {

namespace {

std::string num(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.12g", v);
  return buf;
}

std::string result_text(bool proven, std::int64_t n) {
  return proven ? "proven" : "best of " + std::to_string(n);
}

}  // namespace

std::string expand_dataflow_name(const std::string& name) {
  std::string s;
  for (char c : name)
    s += c == '_' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  static const std::map<std::string, std::string> kShort = {
      {"ws", "weight-stationary"},     {"os", "output-stationary"},
      {"rs", "row-stationary"},        {"nlr", "no-local-reuse"},
      {"is", "input-stationary"},      {"os-a", "output-stationary-a"},
      {"os-b", "output-stationary-b"}, {"os-c", "output-stationary-c"}};
  auto it = kShort.find(s);
  return it == kShort.end() ? s : it->second;
}

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  std::string cur;
  auto flush = [&] {
    auto b = cur.find_first_not_of(" \t");
    auto e = cur.find_last_not_of(" \t");
    if (b != std::string::npos) out.push_back(cur.substr(b, e - b + 1));
    cur.clear();
  };
  for (char c : text) {
    if (c == ',')
      flush();
    else
      cur += c;
  }
  flush();
  return out;
}

std::vector<LevelRow> level_rows(const ComparePoint& p, const Workload& w, const ArchSpec& arch) {
  std::vector<LevelRow> rows;
  const double rep = static_cast<double>(p.repeat);
  LOOPSIM_CHECK(p.eval.levels.size() == arch.storage.size(), "levels of the evaluation");
  for (std::size_t l = 0; l < arch.storage.size(); ++l) {
    if (arch.storage[l].dummy) continue;
    const StorageStats& st = p.eval.levels[l];
    for (std::size_t d = 0; d < w.data_spaces.size() && d < st.data_spaces.size(); ++d) {
      const DataSpaceStats& ds = st.data_spaces[d];
      rows.push_back(
          {p.config, p.layer, st.name, w.data_spaces[d].name, ds.energy_total_pj * rep,
           static_cast<double>(ds.accesses()) * static_cast<double>(ds.utilized_instances) * rep});
    }
  }
  // Networks with an energy (docs/cost-model.md §9): one row per data space, the level
  // named after the network; accesses are its ingresses over the sending instances.
  for (const NetworkStats& ns : p.eval.networks) {
    if (!ns.evaluated || ns.energy_pj == 0.0) continue;
    for (std::size_t d = 0; d < w.data_spaces.size() && d < ns.data_spaces.size(); ++d) {
      const NetworkDataSpaceStats& nd = ns.data_spaces[d];
      rows.push_back({p.config, p.layer, ns.name, w.data_spaces[d].name, nd.energy_total_pj * rep,
                      nd.total_ingresses * static_cast<double>(nd.utilized_instances) * rep});
    }
  }
  rows.push_back({p.config, p.layer, arch.arithmetic.name, "-", p.eval.compute.energy_pj * rep,
                  static_cast<double>(p.eval.compute.computes) * rep});
  for (std::size_t l = 0; l < arch.storage.size(); ++l)
    if (p.eval.levels[l].leakage_pj > 0)
      rows.push_back({p.config, p.layer, p.eval.levels[l].name, "leakage",
                      p.eval.levels[l].leakage_pj * rep, 0});
  return rows;
}

std::vector<SummaryRow> summarise(const std::vector<ComparePoint>& points,
                                  const std::vector<std::string>& configs,
                                  const std::vector<std::string>& layers) {
  std::map<std::pair<std::string, std::string>, const ComparePoint*> at;
  for (const auto& p : points) at[{p.config, p.layer}] = &p;
  std::vector<SummaryRow> rows;
  std::map<std::string, double> best;  // per layer (and "total"): the lowest energy
  for (const auto& c : configs) {
    SummaryRow total;
    total.config = c;
    total.layer = "total";
    double bound = 0, weighted_util = 0;
    bool all_proven = true;
    std::int64_t n_max = 0;
    for (const auto& l : layers) {
      auto it = at.find({c, l});
      LOOPSIM_CHECK(it != at.end(), "no point for config " + c + ", layer " + l);
      const ComparePoint& p = *it->second;
      const double rep = static_cast<double>(p.repeat);
      SummaryRow r;
      r.config = c;
      r.layer = l;
      r.macs = p.macs * p.repeat;
      r.energy_pj = p.eval.energy_pj * rep;
      r.energy_per_mac_pj = r.macs > 0 ? r.energy_pj / static_cast<double>(r.macs) : 0;
      r.cycles = p.eval.cycles * static_cast<std::uint64_t>(p.repeat);
      r.utilization = p.eval.utilization;
      r.result = result_text(p.proven, p.max_evaluations);
      double lb = p.proven ? p.eval.energy_pj : p.lower_bound_pj;
      r.gap = p.proven || r.energy_pj <= 0
                  ? 0
                  : std::max(0.0, (p.eval.energy_pj - lb) / p.eval.energy_pj);
      total.macs += r.macs;
      total.energy_pj += r.energy_pj;
      total.cycles += r.cycles;
      weighted_util += r.utilization * static_cast<double>(r.macs);
      bound += lb * rep;
      all_proven = all_proven && p.proven;
      if (!p.proven) n_max = std::max(n_max, p.max_evaluations);
      auto [b, fresh] = best.emplace(l, r.energy_pj);
      if (!fresh) b->second = std::min(b->second, r.energy_pj);
      rows.push_back(std::move(r));
    }
    total.energy_per_mac_pj =
        total.macs > 0 ? total.energy_pj / static_cast<double>(total.macs) : 0;
    total.utilization = total.macs > 0 ? weighted_util / static_cast<double>(total.macs) : 0;
    total.result = result_text(all_proven, n_max);
    total.gap = all_proven || total.energy_pj <= 0
                    ? 0
                    : std::max(0.0, (total.energy_pj - bound) / total.energy_pj);
    auto [b, fresh] = best.emplace("total", total.energy_pj);
    if (!fresh) b->second = std::min(b->second, total.energy_pj);
    rows.push_back(std::move(total));
  }
  for (auto& r : rows) {
    double b = best[r.layer];
    r.relative_to_best = b > 0 ? r.energy_pj / b : 1.0;
  }
  // Order: per config its layers, then its total (as built).
  return rows;
}

void write_compare_csv(std::ostream& os, const std::vector<LevelRow>& rows) {
  os << "config,layer,level,dataspace,energy_pj,accesses\n";
  for (const auto& r : rows)
    os << csv_field(r.config) << "," << csv_field(r.layer) << "," << csv_field(r.level) << ","
       << csv_field(r.dataspace) << "," << num(r.energy_pj) << "," << num(r.accesses) << "\n";
}

void write_summary_csv(std::ostream& os, const std::vector<SummaryRow>& rows) {
  os << "config,layer,macs,energy_pj,energy_per_mac_pj,relative_to_best,cycles,utilization,"
        "result,gap\n";
  for (const auto& r : rows)
    os << csv_field(r.config) << "," << csv_field(r.layer) << "," << r.macs << "," << num(r.energy_pj) << ","
       << num(r.energy_per_mac_pj) << "," << num(r.relative_to_best) << "," << r.cycles << ","
       << num(r.utilization) << "," << csv_field(r.result) << "," << num(r.gap) << "\n";
}

void write_compare_json(std::ostream& os, const std::vector<ConfigInfo>& configs,
                        const std::vector<std::string>& layers,
                        const std::vector<SummaryRow>& summary) {
  nlohmann::ordered_json j;
  j["configs"] = nlohmann::ordered_json::array();
  for (const auto& c : configs) {
    nlohmann::ordered_json e;
    e["name"] = c.name;
    e["dataflow"] = c.dataflow;
    e["files"] = c.files;
    if (c.pe_words) e["pe_words"] = *c.pe_words;
    if (c.glb_words) e["glb_words"] = *c.glb_words;
    if (c.storage_area_um2) e["storage_area_um2"] = *c.storage_area_um2;
    for (const auto& r : summary)
      if (r.config == c.name && r.layer == "total") {
        e["energy_pj"] = r.energy_pj;
        e["energy_per_mac_pj"] = r.energy_per_mac_pj;
        e["relative_to_best"] = r.relative_to_best;
        e["result"] = r.result;
        e["gap"] = r.gap;
      }
    j["configs"].push_back(std::move(e));
  }
  j["layers"] = layers;
  j["objective"] = "energy";
  os << j.dump(2) << "\n";
}

void print_table(std::ostream& os, const std::vector<SummaryRow>& summary,
                 const std::vector<std::string>& configs, const std::vector<std::string>& layers) {
  std::size_t w0 = 6;
  for (const auto& c : configs) w0 = std::max(w0, c.size());
  char buf[64];
  os << "Energy per MAC (pJ) by config and layer; relative: the config's total over the best's\n";
  std::snprintf(buf, sizeof buf, "%-*s", static_cast<int>(w0), "config");
  os << buf;
  for (const auto& l : layers) {
    std::snprintf(buf, sizeof buf, " %9.9s", l.c_str());
    os << buf;
  }
  os << "     total  relative  result\n";
  for (const auto& c : configs) {
    std::snprintf(buf, sizeof buf, "%-*s", static_cast<int>(w0), c.c_str());
    os << buf;
    for (const auto& l : layers)
      for (const auto& r : summary)
        if (r.config == c && r.layer == l) {
          std::snprintf(buf, sizeof buf, " %9.4f", r.energy_per_mac_pj);
          os << buf;
        }
    for (const auto& r : summary)
      if (r.config == c && r.layer == "total") {
        std::snprintf(buf, sizeof buf, " %9.4f  %8.3f  ", r.energy_per_mac_pj, r.relative_to_best);
        os << buf << r.result;
        if (r.result != "proven") {
          std::snprintf(buf, sizeof buf, " (gap %.1f%%)", 100 * r.gap);
          os << buf;
        }
        os << "\n";
      }
  }
}

}  // namespace loopsim::explore
