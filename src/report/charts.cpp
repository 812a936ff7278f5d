// Vega specs of the report's charts: bars (single, stacked, grouped) and a scatter with a
// Pareto front. The data is inlined as the dataset "table"; domains are given explicitly in
// the order the data lists them, so the page shows what the CSV lists, in that order.
#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "page.hpp"

namespace loopsim::report::detail {

using nlohmann::json;

namespace {

// A column name as a Vega field reference (dots and brackets would mean nested access).
std::string field(const std::string& name) {
  std::string out;
  for (char c : name) {
    if (c == '.' || c == '[' || c == ']' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

// The distinct text values of a column in order of first appearance.
json domain_of(const DataTable& t, const std::string& col) {
  auto it = std::find(t.columns.begin(), t.columns.end(), col);
  json d = json::array();
  if (it == t.columns.end()) return d;
  auto i = static_cast<std::size_t>(it - t.columns.begin());
  std::set<std::string> seen;
  for (const auto& r : t.rows) {
    if (i >= r.size()) continue;
    const auto* s = std::get_if<std::string>(&r[i]);
    std::string v = s ? *s : fmt_number(std::get<double>(r[i]));
    if (seen.insert(v).second) d.push_back(v);
  }
  return d;
}

json base_spec(const DataTable& data, int width, int height) {
  return {{"$schema", "https://vega.github.io/schema/vega/v5.json"},
          {"width", width},
          {"height", height},
          {"padding", 5},
          {"autosize", {{"type", "fit-y"}, {"contains", "padding"}}},
          {"data", json::array({{{"name", "table"}, {"values", data.to_json()}}})}};
}

json tooltip() { return {{"signal", "datum"}}; }

// Labels turn when they would not fit side by side (about 6.5 px per character).
json x_axis(const std::string& title, const json& categories, int width) {
  std::size_t longest = 0;
  for (const auto& c : categories) longest = std::max(longest, c.get<std::string>().size());
  json a = {{"orient", "bottom"}, {"scale", "x"}, {"title", title}, {"labelLimit", 140}};
  if (static_cast<double>(categories.size() * (longest + 1)) * 6.5 > width) {
    a["labelAngle"] = -40;
    a["labelAlign"] = "right";
    a["labelBaseline"] = "middle";
  }
  return a;
}

// SI prefixes (2.5G, 300M) for large figures; plain numbers below 10,000 (no "600m" for 0.6).
std::string axis_format(double max_abs) { return max_abs >= 1e4 ? "~s" : "~g"; }

// The largest magnitude of a numeric column; with `group` (stacked bars), of its sums per group.
double max_abs(const DataTable& t, const std::string& col, const std::string& group = "") {
  auto index = [&](const std::string& c) {
    auto it = std::find(t.columns.begin(), t.columns.end(), c);
    return it == t.columns.end() ? t.columns.size()
                                 : static_cast<std::size_t>(it - t.columns.begin());
  };
  const std::size_t i = index(col), g = group.empty() ? t.columns.size() : index(group);
  std::map<std::string, double> sums;
  double m = 0;
  for (const auto& r : t.rows) {
    if (i >= r.size()) continue;
    const auto* v = std::get_if<double>(&r[i]);
    if (!v || !std::isfinite(*v)) continue;
    if (g < r.size()) {
      const auto* k = std::get_if<std::string>(&r[g]);
      double& s = sums[k ? *k : fmt_number(std::get<double>(r[g]))];
      s += *v;
      m = std::max(m, std::abs(s));
    } else {
      m = std::max(m, std::abs(*v));
    }
  }
  return m;
}

json y_axis(const std::string& title, double max_value) {
  return {{"orient", "left"},
          {"scale", "y"},
          {"title", title},
          {"grid", true},
          {"format", axis_format(max_value)}};
}

}  // namespace

json bar_spec(const DataTable& data, const BarOptions& o) {
  json xs = domain_of(data, o.x);
  json cs = o.color.empty() ? json::array() : domain_of(data, o.color);
  if (!o.color_order.empty()) {
    json ordered = json::array();
    for (const auto& v : o.color_order)
      if (std::find(cs.begin(), cs.end(), json(v)) != cs.end() &&
          std::find(ordered.begin(), ordered.end(), json(v)) == ordered.end())
        ordered.push_back(v);
    for (const auto& v : cs)
      if (std::find(ordered.begin(), ordered.end(), v) == ordered.end()) ordered.push_back(v);
    cs = ordered;
  }
  std::size_t per = o.mode == BarMode::Grouped ? std::max<std::size_t>(1, cs.size()) : 1;
  int step = static_cast<int>(std::min<std::size_t>(60, 16 + 14 * per));
  int width = std::max(320, std::min(1000, static_cast<int>(xs.size()) * step));
  json spec = base_spec(data, width, 260);
  const std::string y = field(o.y), x = field(o.x), c = field(o.color);
  json& table = spec["data"][0];
  if (o.mode == BarMode::Stacked) {
    table["transform"] =
        json::array({{{"type", "formula"},
                      {"as", "series_order"},
                      {"expr", "indexof(" + cs.dump() + ", datum['" + o.color + "'])"}},
                     {{"type", "stack"},
                      {"groupby", {x}},
                      {"field", y},
                      {"sort", {{"field", "series_order"}, {"order", "ascending"}}}}});
  }
  json y_domain = o.mode == BarMode::Stacked ? json{{"data", "table"}, {"field", "y1"}}
                                             : json{{"data", "table"}, {"field", y}};
  spec["scales"] = json::array(
      {{{"name", "x"}, {"type", "band"}, {"domain", xs}, {"range", "width"}, {"padding", 0.2}},
       {{"name", "y"},
        {"type", "linear"},
        {"domain", y_domain},
        {"range", "height"},
        {"nice", true},
        {"zero", true}}});
  spec["axes"] =
      json::array({x_axis(o.x_title, xs, width),
                   y_axis(o.y_title, max_abs(data, o.y, o.mode == BarMode::Stacked ? o.x : ""))});
  if (!o.color.empty()) {
    spec["scales"].push_back({{"name", "color"},
                              {"type", "ordinal"},
                              {"domain", cs},
                              {"range", {{"scheme", "tableau10"}}}});
    spec["legends"] = json::array({{{"fill", "color"}, {"title", o.color_title}}});
  }
  json fill = o.color.empty() ? json{{"value", "#4c78a8"}} : json{{"scale", "color"}, {"field", c}};
  if (o.mode == BarMode::Grouped) {
    json inner = {{"type", "rect"},
                  {"from", {{"data", "facet"}}},
                  {"encode",
                   {{"enter",
                     {{"x", {{"scale", "pos"}, {"field", c}}},
                      {"width", {{"scale", "pos"}, {"band", 1}}},
                      {"y", {{"scale", "y"}, {"field", y}}},
                      {"y2", {{"scale", "y"}, {"value", 0}}},
                      {"fill", fill},
                      {"tooltip", tooltip()}}}}}};
    spec["marks"] = json::array(
        {{{"type", "group"},
          {"from", {{"facet", {{"data", "table"}, {"name", "facet"}, {"groupby", x}}}}},
          {"encode", {{"enter", {{"x", {{"scale", "x"}, {"field", x}}}}}}},
          {"signals", json::array({{{"name", "width"}, {"update", "bandwidth('x')"}}})},
          {"scales",
           json::array({{{"name", "pos"}, {"type", "band"}, {"range", "width"}, {"domain", cs}}})},
          {"marks", json::array({inner})}}});
  } else {
    bool stacked = o.mode == BarMode::Stacked;
    spec["marks"] = json::array({{{"type", "rect"},
                                  {"from", {{"data", "table"}}},
                                  {"encode",
                                   {{"enter",
                                     {{"x", {{"scale", "x"}, {"field", x}}},
                                      {"width", {{"scale", "x"}, {"band", 1}}},
                                      {"y", {{"scale", "y"}, {"field", stacked ? "y0" : y}}},
                                      {"y2", stacked ? json{{"scale", "y"}, {"field", "y1"}}
                                                     : json{{"scale", "y"}, {"value", 0}}},
                                      {"fill", fill},
                                      {"tooltip", tooltip()}}}}}}});
  }
  return spec;
}

json scatter_spec(const DataTable& data, const ScatterOptions& o) {
  json spec = base_spec(data, 560, 360);
  const std::string x = field(o.x), y = field(o.y), f = field(o.front);
  spec["data"].push_back(
      {{"name", "front"},
       {"source", "table"},
       {"transform",
        json::array({{{"type", "filter"}, {"expr", "datum['" + o.front + "'] === 'Pareto front'"}},
                     {{"type", "collect"}, {"sort", {{"field", x}}}}})}});
  spec["scales"] = json::array({{{"name", "x"},
                                 {"type", "linear"},
                                 {"domain", {{"data", "table"}, {"field", x}}},
                                 {"range", "width"},
                                 {"nice", true},
                                 {"zero", false}},
                                {{"name", "y"},
                                 {"type", "linear"},
                                 {"domain", {{"data", "table"}, {"field", y}}},
                                 {"range", "height"},
                                 {"nice", true},
                                 {"zero", false}},
                                {{"name", "color"},
                                 {"type", "ordinal"},
                                 {"domain", {"dominated", "Pareto front"}},
                                 {"range", {"#9ecae1", "#d62728"}}}});
  spec["axes"] = json::array({{{"orient", "bottom"},
                               {"scale", "x"},
                               {"title", o.x_title},
                               {"grid", true},
                               {"format", axis_format(max_abs(data, o.x))}},
                              y_axis(o.y_title, max_abs(data, o.y))});
  spec["legends"] = json::array({{{"fill", "color"}, {"title", ""}}});
  spec["marks"] = json::array({{{"type", "line"},
                                {"from", {{"data", "front"}}},
                                {"encode",
                                 {{"enter",
                                   {{"x", {{"scale", "x"}, {"field", x}}},
                                    {"y", {{"scale", "y"}, {"field", y}}},
                                    {"stroke", {{"value", "#d62728"}}},
                                    {"strokeWidth", {{"value", 1.5}}},
                                    {"interpolate", {{"value", "step-after"}}}}}}}},
                               {{"type", "symbol"},
                                {"from", {{"data", "table"}}},
                                {"encode",
                                 {{"enter",
                                   {{"x", {{"scale", "x"}, {"field", x}}},
                                    {"y", {{"scale", "y"}, {"field", y}}},
                                    {"fill", {{"scale", "color"}, {"field", f}}},
                                    {"stroke", {{"value", "#333"}}},
                                    {"strokeWidth", {{"value", 0.3}}},
                                    {"size", {{"value", 50}}},
                                    {"tooltip", tooltip()}}}}}}});
  return spec;
}

}  // namespace loopsim::report::detail
