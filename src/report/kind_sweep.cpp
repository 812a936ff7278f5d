// The page of `loopsim sweep` results (the files' contract: docs/report.md): sweep.json
// (objectives, parameters, counts), points.csv and pareto.csv (one row per point:
// point,status,param.<name>...,energy_pj,cycles,edp,area_um2,utilization,macs,
// energy_per_mac_pj,energy_pj.<level>...).
#include <set>

#include "loopsim/report/report.hpp"
#include "page.hpp"

namespace loopsim::report::detail {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// The column of an objective: its own name, or the metric's column with its unit.
int objective_column(const CsvFile& f, const std::string& name) {
  if (int c = f.column(name); c >= 0) return c;
  static const std::pair<const char*, const char*> kAlias[] = {
      {"energy", "energy_pj"},
      {"delay", "cycles"},
      {"latency", "cycles"},
      {"area", "area_um2"},
      {"energy_per_mac", "energy_per_mac_pj"},
      {"EDP", "edp"},
      {"util", "utilization"}};
  for (const auto& [a, col] : kAlias)
    if (name == a) return f.column(col);
  for (const char* unit : {"_pj", "_um2"})
    if (int c = f.column(name + unit); c >= 0) return c;
  return -1;
}

std::string label(const std::string& column) {
  if (column == "energy_pj") return "energy (pJ)";
  if (column == "area_um2") return "area (um^2)";
  if (column == "energy_per_mac_pj") return "energy per MAC (pJ)";
  return column;
}

}  // namespace

Page sweep_page(const fs::path& dir) {
  json s = read_json(dir / "sweep.json");
  CsvFile pts = read_csv(dir / "points.csv");
  CsvFile par = read_csv(dir / "pareto.csv");
  const int c_point = pts.require("point"), c_status = pts.require("status");
  const int pp_point = par.require("point");
  std::vector<std::string> objectives;
  if (auto o = s.find("objectives"); o != s.end() && o->is_array())
    for (const auto& x : *o)
      if (x.is_string()) objectives.push_back(x.get<std::string>());
  int cx = -1, cy = -1;
  if (objectives.size() >= 2) {
    cx = objective_column(pts, objectives[0]);
    cy = objective_column(pts, objectives[1]);
  }
  if (cx < 0 || cy < 0 || cx == cy) {
    cx = pts.require("energy_pj");
    cy = pts.require("cycles");
  }
  std::vector<int> params, levels;
  for (std::size_t i = 0; i < pts.header.size(); ++i) {
    if (pts.header[i].rfind("param.", 0) == 0) params.push_back(static_cast<int>(i));
    if (pts.header[i].rfind("energy_pj.", 0) == 0) levels.push_back(static_cast<int>(i));
  }
  std::set<std::string> front;
  for (const auto& r : par.rows) front.insert(r[static_cast<std::size_t>(pp_point)]);

  Page p;
  p.title = "loopsim sweep";
  p.subtitle = "Results in " + dir.string() + " (sweep.json, points.csv, pareto.csv)";
  auto count = [&](const char* k) {
    auto it = s.find(k);
    return it != s.end() && it->is_number() ? fmt_number(it->get<double>(), 12) : "?";
  };
  std::string obj_text, param_text;
  for (const auto& o : objectives) obj_text += (obj_text.empty() ? "" : ", ") + o;
  if (auto ps = s.find("parameters"); ps != s.end() && ps->is_array())
    for (const auto& x : *ps)
      param_text +=
          (param_text.empty() ? "" : ", ") + (x.is_string() ? x.get<std::string>() : x.dump());
  p.summary = {{"Points", count("points") + " (" + count("finished") + " finished, " +
                              count("failed") + " failed)"},
               {"Objectives", obj_text.empty() ? "(none given)" : obj_text},
               {"Parameters", param_text},
               {"Pareto front", std::to_string(front.size()) + " points"}};

  const std::string xn = pts.header[static_cast<std::size_t>(cx)],
                    yn = pts.header[static_cast<std::size_t>(cy)];
  Chart scatter{"pareto_scatter",
                "Design space: " + label(xn) + " vs " + label(yn),
                "Every finished point; the Pareto front (pareto.csv) in red, joined.",
                {},
                {}};
  scatter.data.columns = {"point", "status", xn, yn, "front"};
  for (int c : params) scatter.data.columns.push_back(pts.header[static_cast<std::size_t>(c)]);
  int plotted = 0;
  for (const auto& r : pts.rows) {
    auto x = to_number(r[static_cast<std::size_t>(cx)]),
         y = to_number(r[static_cast<std::size_t>(cy)]);
    if (!x || !y) continue;  // failed or rejected points have no figures
    const std::string& id = r[static_cast<std::size_t>(c_point)];
    std::vector<Cell> row{id, r[static_cast<std::size_t>(c_status)], *x, *y,
                          std::string(front.count(id) ? "Pareto front" : "dominated")};
    for (int c : params) {
      const std::string& v = r[static_cast<std::size_t>(c)];
      if (auto n = to_number(v))
        row.emplace_back(*n);
      else
        row.emplace_back(v);
    }
    scatter.data.add(std::move(row));
    ++plotted;
  }
  p.summary.emplace_back("Plotted", std::to_string(plotted) + " points with both figures");
  scatter.spec = scatter_spec(scatter.data, {xn, yn, "front", label(xn), label(yn)});
  p.blocks.emplace_back(std::move(scatter));

  if (!levels.empty() && !par.rows.empty()) {
    Chart by_level{"pareto_energy_by_level",
                   "Energy by level of the Pareto points",
                   "pJ (energy_pj.<level> columns of pareto.csv).",
                   {},
                   {}};
    by_level.data.columns = {"point", "level", "energy_pj"};
    for (const auto& r : par.rows)
      for (int c : levels) {
        const std::string& h = pts.header[static_cast<std::size_t>(c)];
        int pc = par.column(h);
        auto v = pc >= 0 ? to_number(r[static_cast<std::size_t>(pc)]) : std::nullopt;
        if (v)
          by_level.data.add({"point " + r[static_cast<std::size_t>(pp_point)],
                             h.substr(std::string("energy_pj.").size()), *v});
      }
    by_level.spec = bar_spec(by_level.data, {"point", "energy_pj", "level", BarMode::Stacked,
                                             "Pareto point", "energy (pJ)", "level"});
    p.blocks.emplace_back(std::move(by_level));
  }

  HtmlTable t{"Pareto points (pareto.csv)", {}, {}, {}};
  std::vector<int> cols{pp_point};
  for (const auto& h : par.header)
    if (h.rfind("param.", 0) == 0) cols.push_back(par.column(h));
  for (const char* h :
       {"energy_pj", "cycles", "edp", "area_um2", "utilization", "energy_per_mac_pj"})
    if (int c = par.column(h); c >= 0) cols.push_back(c);
  for (int c : cols) t.header.push_back(par.header[static_cast<std::size_t>(c)]);
  for (const auto& r : par.rows) {
    std::vector<std::string> row;
    for (int c : cols) {
      const std::string& v = r[static_cast<std::size_t>(c)];
      auto n = to_number(v);
      row.push_back(n && c != pp_point ? fmt_number(*n) : v);
    }
    t.rows.push_back(std::move(row));
  }
  p.blocks.emplace_back(std::move(t));
  return p;
}

}  // namespace loopsim::report::detail
