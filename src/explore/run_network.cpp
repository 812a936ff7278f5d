// `run: network` in a sweep (docs/sweep.md): each point maps every distinct layer shape of a
// network (src/network) on the point's design, as `loopsim network` does, with a search
// bounded by work per shape, and its figures are the network's totals: energy and cycles
// summed over the layers (times their repeats), MACs of the mapped layers, utilization
// weighted by MACs, the design's area. Operation layers (pooling, add, ...) are not modelled,
// as `loopsim network` without --op-energy.
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <map>
#include <sstream>

#include "loopsim/frontend/sources.hpp"
#include "loopsim/io/emit.hpp"
#include "loopsim/mapper/feasibility.hpp"
#include "loopsim/mapper/search.hpp"
#include "point_internal.hpp"

namespace fs = std::filesystem;

namespace loopsim::explore {

LoadedNetwork::~LoadedNetwork() {
  std::error_code ec;
  if (!scratch.empty()) fs::remove_all(scratch, ec);
}

std::shared_ptr<const LoadedNetwork> load_sweep_network(const std::string& file) {
  static std::atomic<int> count{0};
  auto out = std::make_shared<LoadedNetwork>();
  out->scratch = (fs::temp_directory_path() / ("loopsim-sweep-" + std::to_string(getpid()) +
                                               "-" + std::to_string(count++)))
                     .string();
  Diagnostics diag(false);
  frontend::ReadRecorder rec;
  out->net = network::load_network(file, out->scratch, &diag);
  // Inline problems (written to the scratch folder) are the network file's own text.
  for (const auto& f : rec.files())
    if (f != file && f.rfind(out->scratch, 0) != 0) out->included.push_back(f);
  return out;
}

namespace {

struct Shape {
  std::string key, layers;
  int first_layer = -1;
  io::MapperInputs in;
  std::optional<EnergyTable> table;
  std::optional<Mapping> mapping;
  std::optional<Evaluation> eval;
};

}  // namespace

void run_network_point(const SweepSpec& spec, const Point& p, const PointInputs& in, int threads,
                       const std::atomic<bool>* stop, std::mutex& load_mutex, PointResult& r) {
  const network::Network& net = spec.loaded_network->net;
  std::vector<Shape> shapes;
  std::map<std::string, int> by_key;
  std::vector<int> shape_of(net.layers.size(), -1);
  for (int i : net.order) {
    const auto& l = net.layers[static_cast<std::size_t>(i)];
    if (!l.is_problem()) continue;
    auto [it, fresh] = by_key.emplace(network::workload_key(l.workload), int(shapes.size()));
    if (fresh) {
      shapes.emplace_back();
      shapes.back().key = it->first;
      shapes.back().first_layer = i;
    }
    Shape& s = shapes[static_cast<std::size_t>(it->second)];
    s.layers += (s.layers.empty() ? "" : ", ") + l.name;
    shape_of[static_cast<std::size_t>(i)] = it->second;
  }
  if (shapes.empty()) {
    r.status = "failed";
    r.error = net.file + ": the network has no layer to map";
    return;
  }
  Diagnostics diag(false);
  for (auto& s : shapes) {
    std::vector<std::string> files{net.layers[static_cast<std::size_t>(s.first_layer)].problem_file};
    files.insert(files.end(), in.files.begin(), in.files.end());
    {
      std::lock_guard<std::mutex> lock(load_mutex);
      s.in = io::load_mapper_inputs(files, &diag, in.options);
    }
    if (!in.dataflow.empty())
      io::apply_dataflow_file(in.dataflow, s.in.model.workload, s.in.model.arch, s.in.constraints);
    s.table = EnergyTable::resolve(s.in.model.arch, s.in.model.energy);
  }
  const auto& first = shapes.front().in.model;
  r.ert_notes = notes_json(first.ert_notes).dump();
  double area = design_area(first.arch, *shapes.front().table);
  for (const auto& f : spec.filters)
    if (f.uses_figures && evaluate_over(spec, p, f.expr, f.where, {{"area_um2", area}}) == 0.0) {
      r.status = "filtered";
      r.area_um2 = area;
      r.error = "removed by the filter '" + f.expr + "' (area_um2 = " + std::to_string(area) + ")";
      return;
    }
  for (auto& s : shapes) {
    const auto& m = s.in.model;
    const std::string& layer = net.layers[static_cast<std::size_t>(s.first_layer)].name;
    if (auto bad = find_infeasibility(m.workload, m.arch, s.in.constraints)) {
      r.status = "failed";
      r.error = "layer '" + layer + "': no possible mapping: " + bad->message;
      return;
    }
    MapperSettings st = point_settings(spec, in, s.in, threads);
    SearchResult sr = search_mappings(m.workload, m.arch, *s.table, s.in.constraints, st, stop,
                                      nullptr);
    if (sr.stats.interrupted) {
      r.status = "interrupted";
      return;
    }
    if (!sr.best) {
      r.status = "failed";
      r.error = "layer '" + layer + "': no valid mapping found" +
                (sr.stats.empty_reason.empty() ? "" : ": " + sr.stats.empty_reason);
      return;
    }
    s.mapping = *sr.best;
    s.eval = *sr.eval;
  }
  // The totals, layer by layer in topological order.
  nlohmann::ordered_json layers = nlohmann::ordered_json::array();
  double util_weighted = 0;
  std::vector<std::pair<std::string, double>> level_pj;
  auto add_level = [&](const std::string& name, double pj) {
    for (auto& [n, e] : level_pj)
      if (n == name) {
        e += pj;
        return;
      }
    level_pj.emplace_back(name, pj);
  };
  for (int i : net.order) {
    const auto& l = net.layers[static_cast<std::size_t>(i)];
    int si = shape_of[static_cast<std::size_t>(i)];
    if (si < 0) continue;
    const Shape& s = shapes[static_cast<std::size_t>(si)];
    const Evaluation& ev = *s.eval;
    const double rep = static_cast<double>(l.repeat);
    r.energy_pj += ev.energy_pj * rep;
    r.cycles += ev.cycles * static_cast<std::uint64_t>(l.repeat);
    r.macs += static_cast<std::uint64_t>(l.macs());
    util_weighted += ev.utilization * static_cast<double>(l.macs());
    r.area_um2 = std::max(r.area_um2, ev.area_um2);
    const ArchSpec& arch = s.in.model.arch;
    for (std::size_t k = 0; k < ev.levels.size(); ++k)
      if (!arch.storage[k].dummy) add_level(ev.levels[k].name, ev.levels[k].energy_pj * rep);
    add_level(arch.arithmetic.name, ev.compute.energy_pj * rep);
    layers.push_back({{"name", l.name},
                      {"repeat", l.repeat},
                      {"macs", l.macs()},
                      {"energy_pj", ev.energy_pj * rep},
                      {"cycles", ev.cycles * static_cast<std::uint64_t>(l.repeat)},
                      {"utilization", ev.utilization},
                      {"shape", si}});
  }
  r.level_energy_pj = level_pj;
  r.edp = r.energy_pj * 1e-12 * static_cast<double>(r.cycles);
  r.utilization = r.macs ? util_weighted / static_cast<double>(r.macs) : 0.0;
  std::ostringstream maps;
  for (std::size_t k = 0; k < shapes.size(); ++k) {
    const Shape& s = shapes[k];
    io::EmitContext ctx{s.in.model.workload, s.in.model.arch, *s.table, *s.mapping, *s.eval,
                        nullptr};
    maps << (k ? "---\n" : "") << "# shape " << k << ": layers " << s.layers << "\n";
    io::write_map_yaml(maps, ctx);
  }
  r.mapping_yaml = maps.str();
  nlohmann::ordered_json warnings = nlohmann::ordered_json::array();
  for (const auto& w : diag.warnings())
    warnings.push_back(
        {{"file", w.file}, {"line", w.line}, {"key_path", w.key_path}, {"message", w.message}});
  nlohmann::ordered_json j;
  j["network"] = {{"name", net.name}, {"file", net.file}};
  j["summary"] = {{"energy_pj", r.energy_pj}, {"cycles", r.cycles},
                  {"edp_j_cycles", r.edp},    {"area_um2", r.area_um2},
                  {"utilization", r.utilization}, {"macs", r.macs},
                  {"distinct_shapes", shapes.size()}};
  j["layers"] = layers;
  j["warnings"] = warnings;
  j["ert"] = nlohmann::ordered_json::parse(r.ert_notes);
  r.stats_json = j.dump(2) + "\n";
  r.status = "ok";
}

}  // namespace loopsim::explore
