// The page of `loopsim model` and `loopsim map` results: <prefix>.stats.json (summary,
// arithmetic, per level and data space: energy, utilized capacity and instances, accesses,
// loops; the mapper's `search`) and <prefix>.map.txt beside it (the loop nest).
#include <algorithm>
#include <cmath>

#include "loopsim/report/report.hpp"
#include "page.hpp"

namespace loopsim::report::detail {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

double num(const json& j, const char* key) { return json_number(j, key); }

const json& need(const json& j, const char* key, const char* type, const fs::path& file) {
  auto it = j.find(key);
  bool ok = it != j.end() && (std::string(type) == "array" ? it->is_array() : it->is_object());
  if (!ok)
    throw ReportError(file.string() + ": no '" + key + "' " + type +
                      " (a stats.json of loopsim model or map was expected)");
  return *it;
}

// The loop nest from the levels' loops (outermost level first), when map.txt is absent.
std::string loop_nest(const json& levels) {
  std::string out;
  int depth = 0;
  for (auto it = levels.rbegin(); it != levels.rend(); ++it) {
    out += std::string(static_cast<std::size_t>(2 * depth), ' ') + it->value("name", "?") + "\n";
    if (auto l = it->find("loops"); l != it->end() && l->is_array())
      for (const auto& loop : *l) {
        out += std::string(static_cast<std::size_t>(2 * depth + 2), ' ') +
               (loop.is_string() ? loop.get<std::string>() : loop.dump()) + "\n";
        ++depth;
      }
  }
  return out;
}

std::string bounds_text(const json& w) {
  std::string out;
  if (auto b = w.find("bounds"); b != w.end() && b->is_object())
    for (const auto& [k, v] : b->items())
      if (v.is_number())
        out += (out.empty() ? "" : " ") + k + "=" + fmt_number(v.get<double>(), 12);
  return out;
}

}  // namespace

Page model_page(const fs::path& stats_path, bool mapper) {
  json s = read_json(stats_path);
  const json& summary = need(s, "summary", "object", stats_path);
  const json& levels = need(s, "levels", "array", stats_path);
  const json arith = s.value("arithmetic", json::object());
  const json work = s.value("workload", json::object());
  const std::string prefix =
      stats_path.filename().string().substr(0, stats_path.filename().string().size() - 11);

  Page p;
  p.title = std::string(mapper ? "loopsim map" : "loopsim model") + ": " +
            work.value("shape", std::string("workload")) + " " + bounds_text(work);
  p.subtitle = "Results in " + stats_path.parent_path().string() + " (" +
               stats_path.filename().string() + ")";
  const double macs = num(summary, "computes"), energy = num(summary, "energy_pj");
  p.summary = {{"Workload", work.value("shape", std::string("?")) + ": " + bounds_text(work)},
               {"MACs", fmt_number(macs, 15)},
               {"Energy", fmt_number(energy / 1e6) + " uJ (" +
                              (macs > 0 ? fmt_number(energy / macs, 4) : "?") + " pJ/MAC)"},
               {"Cycles", fmt_number(num(summary, "cycles"), 15)},
               {"Utilization", fmt_number(100 * num(summary, "utilization"), 4) + " %"},
               {"EDP", fmt_number(num(summary, "edp_j_cycles")) + " J*cycles"},
               {"Area", fmt_number(num(summary, "area_um2") / 1e6, 4) + " mm^2"}};
  if (auto st = s.find("search"); st != s.end() && st->is_object()) {
    std::string t = st->value("algorithm", std::string("?")) + ", " +
                    fmt_number(num(*st, "evaluated"), 15) + " evaluated, " +
                    fmt_number(num(*st, "valid"), 15) + " valid, " +
                    fmt_number(num(*st, "seconds"), 3) + " s";
    if (st->value("proven_optimal", false))
      t += ", proven optimal";
    else if (auto g = st->find("gap"); g != st->end() && g->is_number())
      t += ", not proven optimal (gap " + fmt_number(100 * g->get<double>(), 3) + " %)";
    if (st->value("interrupted", false)) t += ", interrupted";
    p.summary.emplace_back("Search", t);
  }
  if (auto w = s.find("warnings"); w != s.end() && w->is_array())
    for (const auto& x : *w)
      p.notes.push_back(x.is_object() ? x.value("file", std::string()) + ":" +
                                            std::to_string(x.value("line", 0)) + ": " +
                                            x.value("key_path", std::string()) +
                                            ": warning: " + x.value("message", std::string())
                                      : x.dump());

  Chart by_level{"energy_by_level",
                 "Energy by level",
                 "pJ per storage level (all instances), split by data space; leakage and the "
                 "arithmetic (MAC) on their own.",
                 {},
                 {}};
  by_level.data.columns = {"level", "data_space", "energy_pj"};
  Chart by_ds{"energy_by_data_space",
              "Energy by data space",
              "pJ of each data space's accesses, split by level.",
              {},
              {}};
  by_ds.data.columns = {"data_space", "level", "energy_pj"};
  Chart util{"utilization",
             "Utilization",
             "Per level: the fraction of its capacity the tiles use and of its instances in use; "
             "the arithmetic: the fraction of MACs in use.",
             {},
             {}};
  util.data.columns = {"level", "measure", "fraction"};
  HtmlTable acc{"Accesses per instance by level and data space",
                {"level", "data space", "kept", "tile (words)", "instances used", "reads", "fills",
                 "updates", "energy (pJ)"},
                {},
                {}};
  std::vector<std::pair<std::string, std::vector<Cell>>> ds_rows;  // grouped by data space
  for (const auto& lv : levels) {
    const std::string name = lv.value("name", std::string("?"));
    double ds_sum = 0, used_words = 0, used_inst = 0;
    int kept_spaces = 0;
    if (auto d = lv.find("data_spaces"); d != lv.end() && d->is_object())
      for (const auto& [ds, v] : d->items()) {
        double e = num(v, "energy_pj");
        const bool kept = v.value("keep", false);
        ds_sum += e;
        if (kept || e != 0) {  // a bypassed data space costs nothing here: no bar
          by_level.data.add({name, ds, e});
          ds_rows.push_back({ds, {ds, name, e}});
        }
        if (kept) {
          ++kept_spaces;
          used_words += num(v, "utilized_capacity");
          used_inst = std::max(used_inst, num(v, "utilized_instances"));
        }
        acc.rows.push_back({name, ds, v.value("keep", false) ? "yes" : "bypass",
                            fmt_number(num(v, "utilized_capacity"), 12),
                            fmt_number(num(v, "utilized_instances"), 12),
                            fmt_number(num(v, "reads"), 15), fmt_number(num(v, "fills"), 15),
                            fmt_number(num(v, "updates"), 15), fmt_number(e)});
      }
    double rest = num(lv, "energy_pj") - ds_sum;
    if (rest > 1e-9 * std::max(1.0, num(lv, "energy_pj")))
      by_level.data.add({name, std::string("leakage and other"), rest});
    if (kept_spaces == 0) continue;  // keeps nothing (a container's fan-out): no utilization
    if (auto size = lv.find("size_words");
        size != lv.end() && size->is_number() && size->get<double>() > 0)
      util.data.add({name, std::string("capacity"), used_words / size->get<double>()});
    if (num(lv, "instances") > 0)
      util.data.add({name, std::string("instances"), used_inst / num(lv, "instances")});
  }
  const std::string mac = arith.value("name", std::string("MAC"));
  by_level.data.add({mac, std::string("MAC"), num(arith, "energy_pj")});
  if (num(arith, "instances") > 0)
    util.data.add({mac, std::string("instances"),
                   num(arith, "utilized_instances") / num(arith, "instances")});
  util.data.add({mac, std::string("MAC utilization"), num(summary, "utilization")});
  std::stable_sort(ds_rows.begin(), ds_rows.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& r : ds_rows) by_ds.data.add(std::move(r.second));
  // Colours in a fixed order: data spaces by name, then leakage and MAC; levels innermost first.
  std::vector<std::string> ds_order, level_order;
  for (const auto& r : ds_rows) ds_order.push_back(r.first);
  ds_order.insert(ds_order.end(), {"leakage and other", "MAC"});
  for (const auto& lv : levels) level_order.push_back(lv.value("name", std::string("?")));
  by_level.spec =
      bar_spec(by_level.data, {"level", "energy_pj", "data_space", BarMode::Stacked,
                               "level (innermost first)", "energy (pJ)", "data space", ds_order});
  by_ds.spec = bar_spec(by_ds.data, {"data_space", "energy_pj", "level", BarMode::Stacked,
                                     "data space", "energy (pJ)", "level", level_order});
  util.spec = bar_spec(util.data, {"level", "fraction", "measure", BarMode::Grouped, "level",
                                   "fraction", "measure"});
  Pre nest{"Mapping (loop nest, outermost first)", ""};
  fs::path map_txt = stats_path.parent_path() / (prefix + ".map.txt");
  std::error_code ec;
  nest.text = fs::is_regular_file(map_txt, ec) ? read_text(map_txt) : loop_nest(levels);
  if (fs::is_regular_file(map_txt, ec)) nest.title += " (" + map_txt.filename().string() + ")";
  p.blocks = {std::move(by_level), std::move(by_ds), std::move(util), std::move(nest),
              std::move(acc)};
  return p;
}

}  // namespace loopsim::report::detail
