// points.csv, pareto.csv, sweep.json and the summary table (outputs.hpp; docs/sweep.md).
#include "loopsim/explore/outputs.hpp"
#include "loopsim/core/text.hpp"

#include <algorithm>
#include <cstdio>
#include <iomanip>
#include <nlohmann/json.hpp>

#include "loopsim/explore/pareto.hpp"
#include "loopsim/io/emit.hpp"

namespace loopsim::explore {

namespace {

const std::vector<std::string> kFigures = {
    "energy_pj", "cycles", "edp", "area_um2", "utilization", "macs", "energy_per_mac_pj"};

std::vector<std::string> level_names(const std::vector<PointResult>& points) {
  std::vector<std::string> names;
  for (const auto& p : points)
    for (const auto& [n, e] : p.level_energy_pj)
      if (std::find(names.begin(), names.end(), n) == names.end()) names.push_back(n);
  return names;
}

std::string param_text(const nlohmann::ordered_json& params, const std::string& name) {
  if (!params.is_object() || !params.contains(name)) return "";
  const auto& v = params[name];
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_float()) return number_text(v.get<double>());
  return v.dump();
}

}  // namespace

std::vector<std::string> csv_header(const SweepSpec& spec, const std::vector<PointResult>& points) {
  std::vector<std::string> h = {"point", "status"};
  for (const auto& p : spec.params) h.push_back("param." + p.name);
  h.insert(h.end(), kFigures.begin(), kFigures.end());
  for (const auto& l : level_names(points)) h.push_back("energy_pj." + l);
  h.emplace_back("ert.reestimated");
  h.emplace_back("ert.pinned");
  return h;
}

void write_csv(std::ostream& os, const SweepSpec& spec, const std::vector<std::string>& header,
               const std::vector<PointResult>& points) {
  for (std::size_t i = 0; i < header.size(); ++i) os << (i ? "," : "") << csv_field(header[i]);
  os << "\n";
  std::size_t first_level = 2 + spec.params.size() + kFigures.size();
  for (const auto& p : points) {
    auto params = nlohmann::ordered_json::parse(p.params_json, nullptr, false);
    os << p.id << "," << p.status;
    for (const auto& par : spec.params) os << "," << csv_field(param_text(params, par.name));
    bool ok = p.status == "ok";
    auto num = [&](double v) { os << "," << (ok ? number_text(v) : ""); };
    num(p.energy_pj);
    num(static_cast<double>(p.cycles));
    num(p.edp);
    os << "," << (ok || p.status == "filtered" ? number_text(p.area_um2) : "");
    num(p.utilization);
    num(static_cast<double>(p.macs));
    num(p.energy_per_mac_pj());
    for (std::size_t c = first_level; c + 2 < header.size(); ++c) {
      std::string level = header[c].substr(std::string("energy_pj.").size());
      std::string cell;
      for (const auto& [n, e] : p.level_energy_pj)
        if (n == level && ok) cell = number_text(e);
      os << "," << cell;
    }
    for (const char* action : {"reestimated", "pinned"}) {
      std::string names;
      for (const auto& n : p.ert_components(action)) names += (names.empty() ? "" : ";") + n;
      os << "," << csv_field(names);
    }
    os << "\n";
  }
}

std::vector<PointResult> pareto_points(const SweepSpec& spec,
                                       const std::vector<PointResult>& points) {
  std::vector<const PointResult*> ok;
  std::vector<std::vector<double>> costs;
  for (const auto& p : points)
    if (p.status == "ok") {
      ok.push_back(&p);
      std::vector<double> c;
      for (const auto& o : spec.objectives) c.push_back(p.figure(o));
      costs.push_back(c);
    }
  std::vector<PointResult> out;
  for (int i : pareto_front(costs)) out.push_back(*ok[i]);
  return out;
}

void write_points_json(std::ostream& os, const std::vector<PointResult>& points) {
  nlohmann::ordered_json arr = nlohmann::ordered_json::array();
  for (const auto& p : points) {
    nlohmann::ordered_json j;
    j["point"] = p.id;
    j["status"] = p.status;
    j["params"] = nlohmann::ordered_json::parse(p.params_json, nullptr, false);
    if (!p.error.empty()) j["error"] = p.error;
    if (p.status == "ok") {
      j["energy_pj"] = p.energy_pj;
      j["cycles"] = p.cycles;
      j["edp"] = p.edp;
      j["area_um2"] = p.area_um2;
      j["utilization"] = p.utilization;
      j["macs"] = p.macs;
      j["energy_per_mac_pj"] = p.energy_per_mac_pj();
      for (const auto& [n, e] : p.level_energy_pj) j["energy_pj_per_level"][n] = e;
    }
    auto notes = nlohmann::ordered_json::parse(p.ert_notes, nullptr, false);
    if (notes.is_array() && !notes.empty()) j["ert"] = notes;
    arr.push_back(j);
  }
  os << arr.dump(1) << "\n";
}

void write_outputs(const std::filesystem::path& dir, const SweepSpec& spec, std::size_t planned,
                   const std::vector<PointResult>& points) {
  auto header = csv_header(spec, points);
  io::write_file_atomic((dir / "points.csv").string(),
                        [&](std::ostream& os) { write_csv(os, spec, header, points); });
  io::write_file_atomic((dir / "pareto.csv").string(), [&](std::ostream& os) {
    write_csv(os, spec, header, pareto_points(spec, points));
  });
  nlohmann::ordered_json j;
  j["objectives"] = spec.objectives;
  nlohmann::ordered_json params = nlohmann::ordered_json::array();
  for (const auto& p : spec.params) params.push_back(p.name);
  j["parameters"] = params;
  j["points"] = planned;
  j["finished"] = std::count_if(points.begin(), points.end(),
                                [](const PointResult& p) { return p.status == "ok"; });
  j["failed"] = std::count_if(points.begin(), points.end(),
                              [](const PointResult& p) { return p.status == "failed"; });
  io::write_file_atomic((dir / "sweep.json").string(),
                        [&](std::ostream& os) { os << j.dump(1) << "\n"; });
}

void write_summary(std::ostream& os, const SweepSpec& spec,
                   const std::vector<PointResult>& points) {
  os << std::left << std::setw(20) << "objective" << std::setw(14) << "best" << std::setw(8)
     << "point"
     << "parameters\n";
  for (const auto& o : spec.objectives) {
    const PointResult* best = nullptr;
    for (const auto& p : points)
      if (p.status == "ok" && (!best || p.figure(o) < best->figure(o))) best = &p;
    os << std::setw(20) << o;
    if (!best) {
      os << "(no finished point)\n";
      continue;
    }
    auto params = nlohmann::ordered_json::parse(best->params_json, nullptr, false);
    std::string desc;
    for (const auto& par : spec.params)
      desc += (desc.empty() ? "" : " ") + par.name + "=" + param_text(params, par.name);
    char val[32];
    std::snprintf(val, sizeof val, "%.6g", best->figure(o));
    os << std::setw(14) << val << std::setw(8) << best->id << desc << "\n";
  }
}

}  // namespace loopsim::explore
