// loopsim command line. Only main() catches: ConfigError -> "file:line: key: message",
// exit 2; a rejected mapping -> exit 3; anything else -> exit 1.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "loopsim/core/error.hpp"
#include "loopsim/io/emit.hpp"
#include "loopsim/core/text.hpp"
#include "loopsim/io/energy.hpp"
#include "loopsim/io/load.hpp"

namespace fs = std::filesystem;
using namespace loopsim;

namespace {

void write_file(const fs::path& p, const std::function<void(std::ostream&)>& f) {
  std::ofstream out(p);
  if (!out) throw ConfigError(p.string(), 0, "-o", "cannot write this file");
  f(out);
}

int run_model(const std::vector<std::string>& files, const std::string& out_dir, bool quiet,
              const std::string& engine) {
  io::ModelInputs in = io::load_inputs(files, /*need_mapping=*/true);
  EnergyTable table = EnergyTable::resolve(in.arch, in.energy);
  EvalResult r = evaluate(in.workload, in.arch, table, *in.mapping,
                          engine == "walk" ? Engine::Walk : Engine::Auto);
  if (auto* rej = std::get_if<Rejection>(&r)) {
    std::cerr << "loopsim: the mapping is not valid on this architecture: " << rej->describe()
              << "\n";
    return 3;
  }
  const Evaluation& ev = std::get<Evaluation>(r);
  io::EmitContext ctx{in.workload, in.arch, table, *in.mapping, ev};
  std::error_code ec;
  fs::create_directories(out_dir, ec);
  if (ec) throw ConfigError(out_dir, 0, "-o", "cannot create the output directory: " + ec.message());
  fs::path dir(out_dir);
  write_file(dir / "loopsim-model.stats.txt", [&](std::ostream& o) { io::write_stats_txt(o, ctx); });
  write_file(dir / "loopsim-model.map.txt", [&](std::ostream& o) { io::write_map_txt(o, ctx); });
  write_file(dir / "loopsim-model.stats.json", [&](std::ostream& o) { io::write_stats_json(o, ctx); });
  if (!quiet) io::write_summary(std::cout, ctx);
  return 0;
}

std::atomic<bool> g_stop{false};
// First Ctrl-C: stop the search and write the best found; a second one ends the process.
extern "C" void on_sigint(int) {
  g_stop.store(true);
  std::signal(SIGINT, SIG_DFL);
}

struct MapOptions {
  std::vector<std::string> files;
  std::string out_dir = ".";
  std::string algorithm;
  int threads = -1;
  double time_budget = -1;
  std::int64_t seed = -1;
  bool quiet = false;
  std::string dataflow;
};

std::string dataflow_path(const std::string& name) {
  if (fs::exists(name) && fs::is_regular_file(name)) return name;
  fs::path dir(LOOPSIM_DATAFLOW_DIR);
  fs::path p = dir / (name + ".yaml");
  if (fs::exists(p)) return p.string();
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.path().extension() == ".yaml") names.push_back(e.path().stem().string());
  std::sort(names.begin(), names.end());
  throw ConfigError("--dataflow", 0, "--dataflow",
                    "no dataflow preset '" + name + "'" + did_you_mean(name, names) +
                        "; presets: " + join(names) + " (or give a preset file)");
}

int run_map(const MapOptions& o) {
  io::MapperInputs in = io::load_mapper_inputs(o.files);
  MapperSettings s = in.settings;
  if (!o.algorithm.empty()) {
    auto a = algorithm_from_string(o.algorithm);
    if (!a)
      throw ConfigError("--algorithm", 0, "--algorithm",
                        "unknown algorithm '" + o.algorithm + "'; expected one of: " +
                            join(algorithm_names()));
    s.algorithm = *a;
  }
  if (o.threads >= 0) s.threads = o.threads;
  if (o.time_budget >= 0) {
    // The flag sets the stopping rule: search for this long (the files' count-based stops,
    // victory_condition, timeout and search_size, are overridden).
    s.time_budget_s = o.time_budget;
    s.victory_condition = 0;
    s.timeout = 0;
    s.search_size = 0;
  }
  if (o.seed >= 0) s.seed = static_cast<std::uint64_t>(o.seed);
  if (!o.dataflow.empty())
    io::apply_dataflow_file(dataflow_path(o.dataflow), in.model.workload, in.model.arch,
                            in.constraints);
  EnergyTable table = EnergyTable::resolve(in.model.arch, in.model.energy);
  std::signal(SIGINT, on_sigint);
  bool show = s.live_status && !o.quiet;
  auto progress = [&](const Progress& p) {
    if (!show) return;
    double rate = p.seconds > 0 ? static_cast<double>(p.evaluated) / p.seconds : 0;
    std::fprintf(stderr, "\rloopsim map: %llu tried, %llu valid, best %.6g, %.0f/s, %.1f s",
                 static_cast<unsigned long long>(p.evaluated),
                 static_cast<unsigned long long>(p.valid), p.best_metric, rate, p.seconds);
    if (p.fraction_done > 0 && p.fraction_done < 1)
      std::fprintf(stderr, ", ETA %.0f s", p.seconds * (1 - p.fraction_done) / p.fraction_done);
    std::fprintf(stderr, "   ");
    std::fflush(stderr);
  };
  SearchResult r = search_mappings(in.model.workload, in.model.arch, table, in.constraints, s,
                                   &g_stop, progress);
  std::signal(SIGINT, SIG_DFL);
  if (show) std::fprintf(stderr, "\n");
  const auto& st = r.stats;
  auto table_out = [&](std::ostream& os) {
    os << "Search: " << st.algorithm << ", " << st.threads << " thread(s), " << st.evaluated
       << " evaluated, " << st.valid << " valid, " << st.seconds << " s"
       << (st.proven_optimal ? ", proven optimal" : "")
       << (st.interrupted ? ", interrupted" : "") << "\n";
    os << "Rejected mappings by reason:\n";
    const char* names[] = {"capacity", "fan-out", "instances", "min-utilization", "mapping"};
    for (std::size_t i = 0; i < st.rejected.size(); ++i) {
      os << "  " << names[i] << ": " << st.rejected[i] + (i == 0 ? st.capacity_prechecked : 0);
      if (i == 0) os << " (" << st.capacity_prechecked << " found before evaluation)";
      os << "\n";
    }
    os << "  constraint (cut before evaluation): " << st.constraint_rejected << "\n";
  };
  if (!r.best) {
    std::cerr << "loopsim map: no valid mapping found"
              << (st.empty_reason.empty() ? "" : ": " + st.empty_reason) << ".\n";
    table_out(std::cerr);
    return 3;
  }
  if (!o.quiet || s.diagnostics || s.log_stats) table_out(std::cerr);
  io::EmitContext ctx{in.model.workload, in.model.arch, table, *r.best, *r.eval};
  std::error_code ec;
  fs::create_directories(o.out_dir, ec);
  if (ec) throw ConfigError(o.out_dir, 0, "-o", "cannot create the output directory: " + ec.message());
  fs::path dir(o.out_dir);
  std::string prefix = s.out_prefix.empty() || s.out_prefix == "timeloop-mapper" ? "loopsim-mapper"
                                                                                 : s.out_prefix;
  write_file(dir / (prefix + ".stats.txt"), [&](std::ostream& os) { io::write_stats_txt(os, ctx); });
  write_file(dir / (prefix + ".map.txt"), [&](std::ostream& os) { io::write_map_txt(os, ctx); });
  write_file(dir / (prefix + ".stats.json"),
             [&](std::ostream& os) { io::write_mapper_stats_json(os, ctx, st); });
  write_file(dir / (prefix + ".map.yaml"), [&](std::ostream& os) { io::write_map_yaml(os, ctx); });
  if (!o.quiet) io::write_summary(std::cout, ctx);
  return 0;
}

// `loopsim energy`: estimate ERT/ART of an architecture, or query one primitive.
int run_energy(const std::vector<std::string>& files, const std::vector<std::string>& query,
               const std::string& out_dir) {
  if (!query.empty()) {
    io::energy_query(files, query, std::cout);
    return 0;
  }
  if (files.empty())
    throw ConfigError("<command line>", 0, "energy",
                      "expected architecture files (or --query CLASS name=value...)");
  io::write_energy_tables(files, out_dir);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"loopsim: a fast simulator of DNN accelerators (Timeloop-compatible inputs)"};
  app.require_subcommand(1);
  std::vector<std::string> files;
  std::string out_dir = ".";
  bool quiet = false;
  auto* model = app.add_subcommand(
      "model", "Evaluate a mapping: accesses, energy, cycles (like timeloop-model)");
  model->add_option("files", files, "YAML files: problem, architecture, mapping, ERT, ART ...")
      ->required()
      ->check(CLI::ExistingFile);
  model->add_option("-o,--output", out_dir, "Output directory (default: .)");
  model->add_flag("-q,--quiet", quiet, "Do not print the summary");
  MapOptions mo;
  auto* map = app.add_subcommand(
      "map", "Search the mapspace for the best mapping (like timeloop-mapper)");
  map->add_option("files", mo.files,
                  "YAML files: problem, architecture, constraints, mapper settings, ERT, ART ...")
      ->required()
      ->check(CLI::ExistingFile);
  map->add_option("-o,--output", mo.out_dir, "Output directory (default: .)");
  map->add_option("--algorithm", mo.algorithm,
                  "auto, optimal, anneal, exhaustive, linear_pruned, random, random_pruned, "
                  "hybrid (overrides mapper.algorithm)");
  map->add_option("--threads", mo.threads, "Threads (overrides mapper.num_threads; 0: all)")
      ->check(CLI::Range(0, 1024));
  map->add_option("--time-budget", mo.time_budget, "Seconds (0: no limit)")
      ->check(CLI::NonNegativeNumber);
  map->add_option("--seed", mo.seed, "Random seed")->check(CLI::NonNegativeNumber);
  map->add_option("--dataflow", mo.dataflow,
                  "Dataflow preset: weight-stationary, output-stationary, row-stationary, "
                  "input-stationary, no-local-reuse (mappings/dataflows/), or a preset file");
  map->add_flag("-q,--quiet", mo.quiet, "No progress line, summary or search table");
  std::string engine = "auto";
  model->add_option("--engine", engine,
                    "Nest analysis: auto (closed form when factors divide evenly) or walk "
                    "(Timeloop's loop-by-loop walk; slow, for cross-checking)")
      ->check(CLI::IsMember({"auto", "walk"}));
  std::vector<std::string> energy_files, energy_query;
  std::string energy_out = ".";
  auto* energy = app.add_subcommand(
      "energy", "Estimate energy per action and area (ERT/ART, like Accelergy)");
  energy->add_option("files", energy_files, "YAML files: architecture, components ...")
      ->check(CLI::ExistingFile);
  energy->add_option("--query", energy_query, "CLASS name=value ...: estimate one primitive")
      ->allow_extra_args();
  energy->add_option("-o,--output", energy_out, "Output directory (default: .)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }
  try {
    if (*map) return run_map(mo);
    if (*model) return run_model(files, out_dir, quiet, engine);
    if (*energy) return run_energy(energy_files, energy_query, energy_out);
  } catch (const ConfigError& e) {
    std::cerr << e.file() << ":" << e.line() << ": " << (e.key_path().empty() ? "" : e.key_path() + ": ")
              << e.message() << "\n";
    return 2;
  } catch (const InternalError& e) {
    std::cerr << "loopsim: " << e.what() << " (please report this)\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "loopsim: error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
