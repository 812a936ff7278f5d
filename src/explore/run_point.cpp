// One point of a sweep: inputs with the parameters applied, the area filters, then the model
// or a search bounded by work (thread-count independent; docs/mapper.md, Stopping).
#include "loopsim/explore/run_point.hpp"

#include "point_internal.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "loopsim/core/error.hpp"
#include "loopsim/frontend/sources.hpp"
#include "loopsim/io/emit.hpp"
#include "loopsim/io/load.hpp"
#include "loopsim/mapper/feasibility.hpp"

namespace fs = std::filesystem;

namespace loopsim::explore {

namespace {

std::string relative_file(const SweepSpec& spec, const std::string& v) {
  fs::path p(v);
  if (p.is_absolute()) return v;
  return (fs::path(spec.file).parent_path() / p).lexically_normal().string();
}

}  // namespace

PointInputs point_inputs(const SweepSpec& spec, const Point& p,
                         const std::function<std::string(const std::string&)>& dataflow_path) {
  PointInputs in;
  in.files = spec.inputs;
  in.mapper = spec.mapper;
  in.options.ert_policy = spec.energy;
  for (std::size_t i = 0; i < spec.params.size(); ++i) {
    const Parameter& par = spec.params[i];
    const std::string& v = p.values[i];
    switch (par.kind) {
      case ParamKind::Set:
        if (!par.target.empty()) in.options.sets.emplace_back(par.target, v);
        break;
      case ParamKind::Dataflow:
        in.dataflow = dataflow_path ? dataflow_path(v) : v;
        break;
      case ParamKind::Workload:
      case ParamKind::Mapping:
        in.files.push_back(relative_file(spec, v));
        break;
      case ParamKind::Mapper:
        if (par.target == "algorithm")
          in.mapper.algorithm = v;
        else if (par.target == "max_evaluations")
          in.mapper.max_evaluations = std::stoll(v);
        else if (par.target == "seed")
          in.mapper.seed = std::stoull(v);
        break;
    }
  }
  return in;
}

std::string located(const ConfigError& e) {
  return e.file() + ":" + std::to_string(e.line()) + ": " +
         (e.key_path().empty() ? "" : e.key_path() + ": ") + e.message();
}

namespace {

std::uint64_t fnv(std::uint64_t h, const std::string& s) {
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
  return (h ^ 0xff) * 1099511628211ull;  // a separator, so that ("ab","c") != ("a","bc")
}

}  // namespace

// Area of the architecture before mapping (what the model reports as area_um2).
double design_area(const ArchSpec& arch, const EnergyTable& t) {
  double a = t.compute().area_um2 * static_cast<double>(arch.arithmetic.instances);
  for (std::size_t l = 0; l < arch.storage.size(); ++l)
    a += t.storage(static_cast<int>(l)).area_um2 * static_cast<double>(arch.storage[l].instances);
  return a;
}

// The point's notes of energy following the design, as JSON (also put in its stats.json).
nlohmann::ordered_json notes_json(const std::vector<io::ErtNote>& notes) {
  nlohmann::ordered_json a = nlohmann::ordered_json::array();
  for (const auto& n : notes)
    a.push_back({{"component", n.component},
                 {"action", n.action},
                 {"change", n.change},
                 {"entry", n.entry.file + ":" + std::to_string(n.entry.line)}});
  return a;
}

namespace {

void fill_figures(PointResult& r, const Workload& w, const ArchSpec& arch, const EnergyTable& t,
                  const Mapping& m, const Evaluation& ev, const SearchStats* search,
                  const std::vector<Warning>* warnings) {
  r.energy_pj = ev.energy_pj;
  r.cycles = ev.cycles;
  r.edp = ev.edp();
  r.area_um2 = ev.area_um2;
  r.utilization = ev.utilization;
  r.macs = static_cast<std::uint64_t>(w.operations());
  for (std::size_t l = 0; l < ev.levels.size(); ++l)
    if (!arch.storage[l].dummy)
      r.level_energy_pj.emplace_back(ev.levels[l].name, ev.levels[l].energy_pj);
  r.level_energy_pj.emplace_back(arch.arithmetic.name, ev.compute.energy_pj);
  io::EmitContext ctx{w, arch, t, m, ev, warnings};
  std::ostringstream map, stats;
  io::write_map_yaml(map, ctx);
  if (search)
    io::write_mapper_stats_json(stats, ctx, *search);
  else
    io::write_stats_json(stats, ctx);
  r.mapping_yaml = map.str();
  auto j = nlohmann::ordered_json::parse(stats.str());
  j["ert"] = nlohmann::ordered_json::parse(r.ert_notes);
  r.stats_json = j.dump(2) + "\n";
}

}  // namespace

std::vector<std::string> PointResult::ert_components(const std::string& action) const {
  std::vector<std::string> out;
  auto j = nlohmann::json::parse(ert_notes, nullptr, false);
  if (j.is_array())
    for (const auto& n : j)
      if (n.value("action", "") == action) out.push_back(n.value("component", ""));
  return out;
}

double PointResult::figure(const std::string& name) const {
  if (name == "energy_pj") return energy_pj;
  if (name == "cycles") return static_cast<double>(cycles);
  if (name == "edp") return edp;
  if (name == "area_um2") return area_um2;
  if (name == "energy_per_mac_pj") return energy_per_mac_pj();
  return 0;
}

std::string point_hash(const SweepSpec& spec, const Point& p) {
  std::uint64_t h = 1469598103934665603ull;
  h = fnv(h, spec.run == RunKind::Map ? "map" : spec.run == RunKind::Model ? "model" : "network");
  h = fnv(h, spec.mapper.algorithm);
  h = fnv(h, std::to_string(spec.mapper.max_evaluations) + "/" + std::to_string(spec.mapper.seed));
  // The energy policy matters only with an ERT (stores without one keep their hashes).
  if (spec.has_ert)
    h = fnv(h, spec.energy == frontend::ErtPolicy::Pin ? "energy=pin" : "energy=reestimate");
  // A file's text, then the names and texts of the files it includes (none: as before).
  auto file = [&](const std::string& f) {
    h = fnv(h, frontend::read_text_file(f));
    auto inc = spec.included.find(f);
    if (inc == spec.included.end()) return;
    for (const auto& g : inc->second) {
      h = fnv(h, "include " + g);
      try {
        h = fnv(h, frontend::read_text_file(g));
      } catch (const ConfigError&) {
        h = fnv(h, "(unreadable)");
      }
    }
  };
  for (const auto& f : spec.inputs) file(f);
  if (!spec.network.empty()) file(spec.network);
  for (std::size_t i = 0; i < spec.params.size(); ++i) {
    const Parameter& par = spec.params[i];
    h = fnv(h, par.name + "=" + p.values[i] + "@" + par.target);
    if (par.kind == ParamKind::Workload || par.kind == ParamKind::Mapping)
      file(relative_file(spec, p.values[i]));
  }
  char buf[24];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

std::string params_json(const SweepSpec& spec, const Point& p) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  for (std::size_t i = 0; i < spec.params.size(); ++i) {
    auto v = numeric_value(p.values[i]);
    if (v && std::floor(*v) == *v && std::fabs(*v) < 9007199254740992.0)
      j[spec.params[i].name] = static_cast<std::int64_t>(*v);
    else if (v)
      j[spec.params[i].name] = *v;
    else
      j[spec.params[i].name] = p.values[i];
  }
  return j.dump();
}

void check_point_inputs(const SweepSpec& spec, const Point& p) {
  PointInputs in = point_inputs(spec, p, nullptr);
  // A network sweep: the design with the first mapped layer's problem.
  if (spec.loaded_network)
    for (int i : spec.loaded_network->net.order)
      if (spec.loaded_network->net.layers[static_cast<std::size_t>(i)].is_problem()) {
        in.files.insert(in.files.begin(),
                        spec.loaded_network->net.layers[static_cast<std::size_t>(i)].problem_file);
        break;
      }
  Diagnostics diag(false);
  try {
    (void)io::load_inputs(in.files, spec.run == RunKind::Model, &diag, in.options);
  } catch (const ConfigError& e) {
    if (e.file() != "--set") throw;
    // A path that names nothing: the sweep file's mistake, at the parameter.
    for (const auto& par : spec.params)
      if (par.kind == ParamKind::Set && !par.target.empty() &&
          (e.key_path() == par.target || par.target.rfind(e.key_path(), 0) == 0))
        throw ConfigError(par.where.file, par.where.line, par.where.key_path,
                          "set: " + par.target + ": " + e.key_path() + ": " + e.message());
    throw;
  }
}

PointResult run_point(const SweepSpec& spec, const Point& p, int threads,
                      const std::atomic<bool>* stop, std::mutex& load_mutex,
                      const std::function<std::string(const std::string&)>& dataflow_path) {
  auto t0 = std::chrono::steady_clock::now();
  PointResult r;
  r.id = p.id;
  r.hash = point_hash(spec, p);
  r.params_json = params_json(spec, p);
  auto done = [&]() -> PointResult {
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return r;
  };
  try {
    PointInputs in = point_inputs(spec, p, dataflow_path);
    if (spec.run == RunKind::Network) {
      run_network_point(spec, p, in, threads, stop, load_mutex, r);
      return done();
    }
    Diagnostics diag(false);
    io::MapperInputs mi;
    {
      std::lock_guard<std::mutex> lock(load_mutex);
      if (spec.run == RunKind::Map)
        mi = io::load_mapper_inputs(in.files, &diag, in.options);
      else
        mi.model = io::load_inputs(in.files, true, &diag, in.options);
    }
    const auto& m = mi.model;
    r.ert_notes = notes_json(m.ert_notes).dump();
    EnergyTable table = EnergyTable::resolve(m.arch, m.energy);
    double area = design_area(m.arch, table);
    for (const auto& f : spec.filters)
      if (f.uses_figures && evaluate_over(spec, p, f.expr, f.where, {{"area_um2", area}}) == 0.0) {
        r.status = "filtered";
        r.area_um2 = area;
        r.error =
            "removed by the filter '" + f.expr + "' (area_um2 = " + std::to_string(area) + ")";
        return done();
      }
    if (spec.run == RunKind::Model) {
      EvalResult ev = evaluate(m.workload, m.arch, table, *m.mapping, Engine::Auto, m.model);
      if (auto* rej = std::get_if<Rejection>(&ev)) {
        r.status = "failed";
        r.error = "the mapping is not valid: " + rej->describe();
        return done();
      }
      fill_figures(r, m.workload, m.arch, table, *m.mapping, std::get<Evaluation>(ev), nullptr,
                   &diag.warnings());
      r.status = "ok";
      return done();
    }
    MapperSettings s = point_settings(spec, in, mi, threads);
    if (!in.dataflow.empty())
      io::apply_dataflow_file(in.dataflow, mi.model.workload, mi.model.arch, mi.constraints);
    if (auto bad = find_infeasibility(m.workload, m.arch, mi.constraints)) {
      r.status = "failed";
      r.error = "no possible mapping: " + bad->message;
      return done();
    }
    SearchResult sr = search_mappings(m.workload, m.arch, table, mi.constraints, s, stop, nullptr);
    if (sr.stats.interrupted) {
      r.status = "interrupted";
      return done();
    }
    if (!sr.best) {
      r.status = "failed";
      r.error = "no valid mapping found" +
                (sr.stats.empty_reason.empty() ? "" : ": " + sr.stats.empty_reason);
      return done();
    }
    fill_figures(r, m.workload, m.arch, table, *sr.best, *sr.eval, &sr.stats, &diag.warnings());
    r.status = "ok";
  } catch (const ConfigError& e) {
    r.status = "failed";
    r.error = located(e);
  } catch (const std::exception& e) {
    r.status = "failed";
    r.error = e.what();
  }
  return done();
}

MapperSettings point_settings(const SweepSpec& spec, const PointInputs& in,
                              const io::MapperInputs& mi, int threads) {
  MapperSettings s = mi.settings;
  s.model = mi.model.model;
  if (!in.mapper.algorithm.empty()) {
    auto a = algorithm_from_string(in.mapper.algorithm);
    if (!a)
      throw ConfigError(spec.file, 0, "sweep.mapper.algorithm",
                        "unknown algorithm '" + in.mapper.algorithm + "'");
    s.algorithm = *a;
  }
  // Bounded by work alone (no time budget, no count-based stops of the files).
  s.time_budget_s = 0;
  s.victory_condition = 0;
  s.timeout = 0;
  s.search_size = 0;
  s.max_evaluations = in.mapper.max_evaluations;
  s.seed = in.mapper.seed;
  s.threads = threads;
  s.live_status = false;
  return s;
}

std::string result_to_json(const PointResult& r) {
  nlohmann::json levels = nlohmann::json::array();
  for (const auto& [n, e] : r.level_energy_pj) levels.push_back({n, e});
  nlohmann::json j = {{"id", r.id},
                      {"hash", r.hash},
                      {"params", r.params_json},
                      {"status", r.status},
                      {"error", r.error},
                      {"energy_pj", r.energy_pj},
                      {"edp", r.edp},
                      {"area_um2", r.area_um2},
                      {"utilization", r.utilization},
                      {"cycles", r.cycles},
                      {"macs", r.macs},
                      {"levels", levels},
                      {"mapping", r.mapping_yaml},
                      {"stats", r.stats_json},
                      {"seconds", r.seconds},
                      {"ert_notes", r.ert_notes}};
  return j.dump();
}

PointResult result_from_json(const std::string& text) {
  auto j = nlohmann::json::parse(text);
  PointResult r;
  r.id = j.at("id").get<int>();
  r.hash = j.at("hash").get<std::string>();
  r.params_json = j.at("params").get<std::string>();
  r.status = j.at("status").get<std::string>();
  r.error = j.at("error").get<std::string>();
  r.energy_pj = j.at("energy_pj").get<double>();
  r.edp = j.at("edp").get<double>();
  r.area_um2 = j.at("area_um2").get<double>();
  r.utilization = j.at("utilization").get<double>();
  r.cycles = j.at("cycles").get<std::uint64_t>();
  r.macs = j.at("macs").get<std::uint64_t>();
  for (const auto& l : j.at("levels"))
    r.level_energy_pj.emplace_back(l[0].get<std::string>(), l[1].get<double>());
  r.mapping_yaml = j.at("mapping").get<std::string>();
  r.stats_json = j.at("stats").get<std::string>();
  r.seconds = j.at("seconds").get<double>();
  r.ert_notes = j.value("ert_notes", std::string("[]"));
  return r;
}

}  // namespace loopsim::explore
