// The page of `loopsim network` results: network.stats.json (totals, energy by level and by
// data space) and layers.csv (one row per layer: cycles, energy, energy by level).
#include <algorithm>
#include <regex>

#include "loopsim/report/report.hpp"
#include "page.hpp"

namespace loopsim::report::detail {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

double num(const json& j, const char* key) { return json_number(j, key); }

std::string text(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

double field_number(const CsvFile& f, const std::vector<std::string>& row, int col) {
  auto v = to_number(row[static_cast<std::size_t>(col)]);
  if (!v)
    throw ReportError(f.path.string() + ": column '" + f.header[static_cast<std::size_t>(col)] +
                      "' of layer '" + row[0] + "': not a number: '" +
                      row[static_cast<std::size_t>(col)] + "'");
  return *v;
}

}  // namespace

Page network_page(const fs::path& dir) {
  json s = read_json(dir / "network.stats.json");
  CsvFile layers = read_csv(dir / "layers.csv");
  const int c_name = layers.require("name"), c_macs = layers.require("macs"),
            c_cycles = layers.require("cycles"), c_energy = layers.require("energy_pj"),
            c_util = layers.require("utilization");
  const int c_mac = layers.column("energy_mac_pj");
  // Per-level columns energy_<level>_pj, innermost first as written.
  const std::regex level_col("energy_(.+)_pj");
  std::vector<std::pair<std::string, int>> level_cols;
  for (std::size_t i = 0; i < layers.header.size(); ++i) {
    std::smatch m;
    if (static_cast<int>(i) != c_mac && std::regex_match(layers.header[i], m, level_col))
      level_cols.emplace_back(m[1].str(), static_cast<int>(i));
  }
  if (c_mac >= 0) level_cols.emplace_back("MAC", c_mac);
  // A level that costs nothing in every layer (a container's fan-out) gets no bars.
  std::erase_if(level_cols, [&](const auto& lc) {
    return std::all_of(layers.rows.begin(), layers.rows.end(), [&](const auto& r) {
      auto v = to_number(r[static_cast<std::size_t>(lc.second)]);
      return v && *v == 0;
    });
  });

  Page p;
  const json net = s.value("network", json::object());
  std::string name = text(net, "name").empty() ? text(net, "file") : text(net, "name");
  p.title = "loopsim network: " + name;
  p.subtitle = "Results in " + dir.string() + " (network.stats.json, layers.csv)";
  const double macs = num(s, "macs_mapped");
  p.summary = {
      {"Network", name + (text(net, "source").empty() ? "" : " (" + text(net, "source") + ")")},
      {"Layers", fmt_number(num(s, "layers_mapped")) + " of " + fmt_number(num(s, "layers")) +
                     " mapped; " + fmt_number(num(s, "distinct_shapes")) + " distinct shapes, " +
                     fmt_number(num(s, "cache_hits")) + " cache hits"},
      {"MACs", fmt_number(macs, 12)},
      {"Energy", fmt_number(num(s, "energy_pj") / 1e6) + " uJ (" +
                     fmt_number(num(s, "pj_per_mac"), 4) + " pJ/MAC)"},
      {"Latency (layers in sequence)", fmt_number(num(s, "cycles"), 12) + " cycles, " +
                                           fmt_number(num(s, "latency_s") * 1e3) + " ms"},
      {"EDP", fmt_number(num(s, "edp_j_s")) + " J*s"},
      {"Utilization (MAC-weighted)",
       fmt_number(100 * num(s, "utilization_mac_weighted"), 4) + " %"},
      {"Area", fmt_number(num(s, "area_um2") / 1e6) + " mm^2"}};
  if (s.value("interrupted", false) || !s.value("complete", true))
    p.summary.emplace_back("Incomplete",
                           "not every layer was mapped: totals cover the mapped ones");
  if (auto w = s.find("warnings"); w != s.end() && w->is_array())
    for (const auto& x : *w) p.notes.push_back(x.is_string() ? x.get<std::string>() : x.dump());

  Chart energy{"layer_energy",
               "Energy per layer, by level",
               "Stacked by storage level and MAC "
               "(pJ; a layer repeated n times counts n times).",
               {},
               {}};
  energy.data.columns = {"layer", "level", "energy_pj"};
  Chart cycles{"layer_cycles", "Latency per layer", "Cycles of each layer.", {}, {}};
  cycles.data.columns = {"layer", "cycles"};
  Chart util{
      "layer_utilization", "Utilization per layer", "Fraction of the MAC array busy.", {}, {}};
  util.data.columns = {"layer", "utilization"};
  HtmlTable table{
      "Layers", {"layer", "MACs", "cycles", "energy (pJ)", "pJ/MAC", "utilization"}, {}, {}};
  for (const auto& row : layers.rows) {
    const std::string& layer = row[static_cast<std::size_t>(c_name)];
    for (const auto& [level, col] : level_cols)
      energy.data.add({layer, level, field_number(layers, row, col)});
    double cyc = field_number(layers, row, c_cycles), e = field_number(layers, row, c_energy),
           m = field_number(layers, row, c_macs), u = field_number(layers, row, c_util);
    cycles.data.add({layer, cyc});
    util.data.add({layer, u});
    table.rows.push_back({layer, fmt_number(m, 12), fmt_number(cyc, 12), fmt_number(e),
                          m > 0 ? fmt_number(e / m, 4) : "", fmt_number(u, 4)});
  }
  if (layers.rows.empty()) throw ReportError((dir / "layers.csv").string() + ": no layer rows");
  energy.spec = bar_spec(energy.data, {"layer", "energy_pj", "level", BarMode::Stacked, "layer",
                                       "energy (pJ)", "level"});
  cycles.spec =
      bar_spec(cycles.data, {"layer", "cycles", "", BarMode::Single, "layer", "cycles", ""});
  util.spec = bar_spec(util.data,
                       {"layer", "utilization", "", BarMode::Single, "layer", "utilization", ""});
  Chart by_level{
      "energy_by_level", "Energy by level (whole network)", "pJ, summed over layers.", {}, {}};
  by_level.data.columns = {"level", "energy_pj"};
  // In the levels' order (layers.csv's columns; JSON objects are read in key order).
  const json per_level = s.value("energy_per_level_pj", json::object());
  std::vector<std::string> order;
  for (const auto& lc : level_cols) order.push_back(lc.first);
  for (const auto& [k, v] : per_level.items())
    if (std::find(order.begin(), order.end(), k) == order.end()) order.push_back(k);
  for (const auto& k : order)
    if (auto it = per_level.find(k);
        it != per_level.end() && it->is_number() && it->get<double>() != 0)
      by_level.data.add({k, it->get<double>()});
  by_level.spec = bar_spec(by_level.data,
                           {"level", "energy_pj", "", BarMode::Single, "level", "energy (pJ)", ""});
  Chart by_ds{"energy_by_data_space",
              "Energy by data space (whole network)",
              "pJ of accesses (leakage and MACs excluded).",
              {},
              {}};
  by_ds.data.columns = {"data_space", "energy_pj"};
  const json per_ds = s.value("energy_per_data_space_pj", json::object());
  for (const auto& [k, v] : per_ds.items())
    if (v.is_number()) by_ds.data.add({k, v.get<double>()});
  by_ds.spec = bar_spec(by_ds.data, {"data_space", "energy_pj", "", BarMode::Single, "data space",
                                     "energy (pJ)", ""});
  p.blocks = {std::move(energy), std::move(cycles), std::move(by_level),
              std::move(by_ds),  std::move(util),   std::move(table)};
  return p;
}

}  // namespace loopsim::report::detail
