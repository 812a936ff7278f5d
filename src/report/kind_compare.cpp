// The page of `loopsim compare` results (the files' contract: docs/report.md):
// compare.json (configs, layers, objective), compare.csv (config,layer,level,dataspace,
// energy_pj,accesses) and summary.csv (config,layer,macs,energy_pj,energy_per_mac_pj,
// relative_to_best,cycles,utilization,result,gap; a `total` row per config).
#include <map>

#include "loopsim/report/report.hpp"
#include "page.hpp"

namespace loopsim::report::detail {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

const char* kTotal = "total";

double number_at(const CsvFile& f, const std::vector<std::string>& row, int col) {
  auto v = to_number(row[static_cast<std::size_t>(col)]);
  if (!v)
    throw ReportError(f.path.string() + ": column '" + f.header[static_cast<std::size_t>(col)] +
                      "': not a number: '" + row[static_cast<std::size_t>(col)] + "'");
  return *v;
}

// Stacked energy per MAC of each config, split by `by` (a column of compare.csv).
Chart split_chart(const CsvFile& cmp, const std::vector<std::string>& configs,
                  const std::map<std::string, double>& total_macs, const std::string& by,
                  const std::string& id, const std::string& title, const std::string& what) {
  const int c_cfg = cmp.require("config"), c_layer = cmp.require("layer"),
            c_level = cmp.require("level"), c_by = cmp.require(by), c_e = cmp.require("energy_pj");
  // compare.csv may carry `total` rows of its own: then those, else the sum over the layers.
  bool has_total = false;
  for (const auto& r : cmp.rows) has_total |= r[static_cast<std::size_t>(c_layer)] == kTotal;
  std::vector<std::string> keys;
  std::map<std::pair<std::string, std::string>, double> sum;
  for (const auto& r : cmp.rows) {
    if ((r[static_cast<std::size_t>(c_layer)] == kTotal) != has_total) continue;
    std::string key = r[static_cast<std::size_t>(c_by)];
    if (key.empty()) key = r[static_cast<std::size_t>(c_level)];  // MAC: no data space
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) keys.push_back(key);
    sum[{r[static_cast<std::size_t>(c_cfg)], key}] += number_at(cmp, r, c_e);
  }
  Chart c{id,
          title,
          "Energy per MAC (pJ) of each config over all its layers, split by " + what +
              " (compare.csv; MACs from the total rows of summary.csv).",
          {},
          {}};
  c.data.columns = {"config", by, "energy_per_mac_pj"};
  for (const auto& cfg : configs) {
    auto m = total_macs.find(cfg);
    if (m == total_macs.end() || m->second <= 0) continue;
    for (const auto& k : keys)
      if (auto it = sum.find({cfg, k}); it != sum.end())
        c.data.add({cfg, k, it->second / m->second});
  }
  c.spec = bar_spec(c.data, {"config", "energy_per_mac_pj", by, BarMode::Stacked, "config",
                             "energy per MAC (pJ)", what});
  return c;
}

}  // namespace

Page compare_page(const fs::path& dir) {
  json j = read_json(dir / "compare.json");
  CsvFile cmp = read_csv(dir / "compare.csv");
  CsvFile sum = read_csv(dir / "summary.csv");
  const int s_cfg = sum.require("config"), s_layer = sum.require("layer"),
            s_macs = sum.require("macs"), s_e = sum.require("energy_pj"),
            s_epm = sum.require("energy_per_mac_pj"), s_rel = sum.require("relative_to_best"),
            s_cyc = sum.require("cycles"), s_util = sum.require("utilization"),
            s_res = sum.require("result"), s_gap = sum.require("gap");
  std::vector<std::string> configs;
  if (auto c = j.find("configs"); c != j.end() && c->is_array())
    for (const auto& x : *c)
      if (x.is_string()) configs.push_back(x.get<std::string>());
  for (const auto& r : sum.rows) {
    const std::string& cfg = r[static_cast<std::size_t>(s_cfg)];
    if (std::find(configs.begin(), configs.end(), cfg) == configs.end()) configs.push_back(cfg);
  }
  const std::string objective = j.value("objective", std::string("energy"));

  Page p;
  p.title = "loopsim compare";
  p.subtitle = "Results in " + dir.string() + " (compare.json, compare.csv, summary.csv)";
  std::string cfg_text, layer_text;
  for (const auto& c : configs) cfg_text += (cfg_text.empty() ? "" : ", ") + c;
  int layer_count = 0;
  if (auto l = j.find("layers"); l != j.end() && l->is_array())
    for (const auto& x : *l) {
      ++layer_count;
      if (layer_count <= 12)
        layer_text +=
            (layer_text.empty() ? "" : ", ") + (x.is_string() ? x.get<std::string>() : x.dump());
    }
  if (layer_count > 12) layer_text += ", ... (" + std::to_string(layer_count) + " layers)";
  p.summary = {{"Configs", cfg_text}, {"Layers", layer_text}, {"Objective", objective}};

  Chart grouped{"energy_per_mac_by_layer",
                "Energy per MAC by layer and config",
                "pJ/MAC of each layer (summary.csv), the configs side by side; `total` is the "
                "whole workload.",
                {},
                {}};
  grouped.data.columns = {"layer", "config", "energy_per_mac_pj"};
  std::map<std::string, double> total_macs;
  HtmlTable totals{"Totals by config (relative to the best on " + objective + ")",
                   {"config", "MACs", "energy (pJ)", "pJ/MAC", "relative to best", "cycles",
                    "utilization", "result", "gap"},
                   {},
                   {}};
  HtmlTable per_layer{"Per layer",
                      {"config", "layer", "MACs", "pJ/MAC", "relative to best", "cycles",
                       "utilization", "result", "gap"},
                      {},
                      {}};
  // Layers first, the total last; the x axis keeps this order.
  for (int pass = 0; pass < 2; ++pass)
    for (const auto& r : sum.rows) {
      const std::string& layer = r[static_cast<std::size_t>(s_layer)];
      bool total = layer == kTotal;
      if (total != (pass == 1)) continue;
      const std::string& cfg = r[static_cast<std::size_t>(s_cfg)];
      auto epm = to_number(r[static_cast<std::size_t>(s_epm)]);
      if (epm) grouped.data.add({layer, cfg, *epm});
      auto f = [&](int c, int digits = 6) {
        auto v = to_number(r[static_cast<std::size_t>(c)]);
        return v ? fmt_number(*v, digits) : r[static_cast<std::size_t>(c)];
      };
      std::vector<std::string> cells{cfg,
                                     f(s_macs, 12),
                                     f(s_e),
                                     f(s_epm, 4),
                                     f(s_rel, 4),
                                     f(s_cyc, 12),
                                     f(s_util, 4),
                                     r[static_cast<std::size_t>(s_res)],
                                     r[static_cast<std::size_t>(s_gap)]};
      auto rel = to_number(r[static_cast<std::size_t>(s_rel)]);
      if (total) {
        total_macs[cfg] = number_at(sum, r, s_macs);
        totals.rows.push_back(cells);
        totals.highlight.push_back(rel && *rel <= 1.0 + 1e-12);
      } else {
        cells.erase(cells.begin() + 2);  // energy (pJ): the per-layer table shows pJ/MAC
        cells.insert(cells.begin() + 1, layer);
        per_layer.rows.push_back(cells);
        per_layer.highlight.push_back(rel && *rel <= 1.0 + 1e-12);
      }
    }
  if (totals.rows.empty())
    throw ReportError((dir / "summary.csv").string() +
                      ": no `total` row (one per config expected)");
  grouped.spec = bar_spec(grouped.data, {"layer", "energy_per_mac_pj", "config", BarMode::Grouped,
                                         "layer", "energy per MAC (pJ)", "config"});
  p.blocks.emplace_back(std::move(grouped));
  p.blocks.emplace_back(split_chart(cmp, configs, total_macs, "level", "energy_per_mac_by_level",
                                    "Energy per MAC by level", "level"));
  p.blocks.emplace_back(split_chart(cmp, configs, total_macs, "dataspace",
                                    "energy_per_mac_by_data_space", "Energy per MAC by data space",
                                    "data space"));
  p.blocks.emplace_back(std::move(totals));
  p.blocks.emplace_back(std::move(per_layer));
  return p;
}

}  // namespace loopsim::report::detail
