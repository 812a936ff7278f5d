// `loopsim map`: search the mapspace for the best mapping (like timeloop-mapper).
#include <algorithm>
#include <atomic>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <memory>

#include "cli.hpp"
#include "loopsim/core/error.hpp"
#include "loopsim/core/expr.hpp"
#include "loopsim/core/text.hpp"
#include "loopsim/io/emit.hpp"
#include "loopsim/io/load.hpp"

namespace loopsim::cli {

namespace {

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
  std::string dataflow;
  CommonOptions common;
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

void print_search_table(std::ostream& os, const SearchStats& st) {
  os << "Search: " << st.algorithm << ", " << st.threads << " thread(s), " << st.evaluated
     << " evaluated, " << st.valid << " valid, " << st.seconds << " s"
     << (st.proven_optimal ? ", proven optimal" : "") << (st.interrupted ? ", interrupted" : "")
     << "\n";
  os << "Rejected mappings by reason:\n";
  const char* names[] = {"capacity", "fan-out", "instances", "min-utilization", "mapping"};
  for (std::size_t i = 0; i < st.rejected.size(); ++i) {
    os << "  " << names[i] << ": " << st.rejected[i] + (i == 0 ? st.capacity_prechecked : 0);
    if (i == 0) os << " (" << st.capacity_prechecked << " found before evaluation)";
    os << "\n";
  }
  os << "  constraint (cut before evaluation): " << st.constraint_rejected << "\n";
}

int run_map(const MapOptions& o) {
  Diagnostics diag(o.common.strict);
  io::MapperInputs in = io::load_mapper_inputs(o.files, &diag);
  print_warnings(diag);
  MapperSettings s = in.settings;
  if (!o.algorithm.empty()) {
    auto a = algorithm_from_string(o.algorithm);
    if (!a)
      throw ConfigError("--algorithm", 0, "--algorithm",
                        "unknown algorithm '" + o.algorithm +
                            "'; expected one of: " + join(algorithm_names()));
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
  bool show = s.live_status && !o.common.quiet;
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
  if (!r.best) {
    std::cerr << "loopsim map: no valid mapping found"
              << (st.empty_reason.empty() ? "" : ": " + st.empty_reason) << ".\n";
    print_search_table(std::cerr, st);
    return 3;
  }
  if (!o.common.quiet || s.diagnostics || s.log_stats) print_search_table(std::cerr, st);
  io::EmitContext ctx{in.model.workload, in.model.arch, table, *r.best, *r.eval, &diag.warnings()};
  fs::path dir = output_dir(o.out_dir);
  std::string prefix = s.out_prefix.empty() || s.out_prefix == "timeloop-mapper" ? "loopsim-mapper"
                                                                                 : s.out_prefix;
  write_file(dir / (prefix + ".stats.txt"), [&](std::ostream& os) { io::write_stats_txt(os, ctx); });
  write_file(dir / (prefix + ".map.txt"), [&](std::ostream& os) { io::write_map_txt(os, ctx); });
  write_file(dir / (prefix + ".stats.json"),
             [&](std::ostream& os) { io::write_mapper_stats_json(os, ctx, st); });
  write_file(dir / (prefix + ".map.yaml"), [&](std::ostream& os) { io::write_map_yaml(os, ctx); });
  if (!o.common.quiet) io::write_summary(std::cout, ctx);
  return 0;
}

}  // namespace

Subcommand add_map(CLI::App& app) {
  auto o = std::make_shared<MapOptions>();
  auto* sub = app.add_subcommand(
      "map", "Search the mapspace for the best mapping (like timeloop-mapper)");
  sub->add_option("files", o->files,
                  "YAML files: problem, architecture, constraints, mapper settings, ERT, ART ...")
      ->required()
      ->check(CLI::ExistingFile);
  sub->add_option("-o,--output", o->out_dir, "Output directory (default: .)");
  sub->add_option("--algorithm", o->algorithm,
                  "auto, optimal, anneal, exhaustive, linear_pruned, random, random_pruned, "
                  "hybrid (overrides mapper.algorithm)");
  sub->add_option("--threads", o->threads, "Threads (overrides mapper.num_threads; 0: all)")
      ->check(CLI::Range(0, 1024));
  sub->add_option("--time-budget", o->time_budget, "Seconds (0: no limit)")
      ->check(CLI::Validator(
          [](std::string& s) -> std::string {
            auto v = parse_number(s);
            if (!v || !std::isfinite(*v) || *v < 0)
              return "expected a number of seconds >= 0 (0: no limit), got '" + s + "'";
            return "";
          },
          "SECONDS"));
  sub->add_option("--seed", o->seed, "Random seed")->check(CLI::NonNegativeNumber);
  sub->add_option("--dataflow", o->dataflow,
                  "Dataflow preset: weight-stationary, output-stationary, row-stationary, "
                  "input-stationary, no-local-reuse (mappings/dataflows/), or a preset file");
  sub->add_flag("-q,--quiet", o->common.quiet, "No progress line, summary or search table");
  add_common_options(sub, o->common);
  return Subcommand{sub, [o] { return run_map(*o); }};
}

}  // namespace loopsim::cli
