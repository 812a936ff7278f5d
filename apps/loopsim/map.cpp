// `loopsim map`: search the mapspace for the best mapping (like timeloop-mapper).
#include <algorithm>
#include <atomic>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>

#include "cli.hpp"
#include "loopsim/core/error.hpp"
#include "loopsim/core/expr.hpp"
#include "loopsim/core/text.hpp"
#include "loopsim/io/emit.hpp"
#include "loopsim/io/load.hpp"
#include "loopsim/mapper/feasibility.hpp"

namespace loopsim::cli {

namespace {

// The budget of a run given no stopping rule at all (no --time-budget, --max-evaluations,
// nor the files' timeout, victory_condition, search_size or time_budget_s): `auto` stops
// when the optimum is proven or after this many seconds.
constexpr double kDefaultBudgetS = 60;

const char* metric_label(Metric m) {
  switch (m) {
    case Metric::Energy: return "energy";
    case Metric::Delay: return "delay";
    case Metric::Edp: return "EDP";
    case Metric::LastLevelAccesses: return "last-level accesses";
  }
  return "?";
}

struct MapOptions {
  std::vector<std::string> files;
  std::string out_dir = ".";
  std::string algorithm;
  int threads = -1;
  double time_budget = -1;
  std::int64_t max_evaluations = -1;
  std::int64_t seed = -1;
  std::string dataflow;
  std::string model;  // empty: the files' loopsim_model: (default timeloop)
  bool dummy_table = false;
  bool report = false;  // --report: DIR/report.html
  CommonOptions common;
};

void print_search_table(std::ostream& os, const SearchStats& st) {
  os << "Search: " << st.algorithm << ", " << st.threads << " thread(s), " << st.evaluated
     << " evaluated, " << st.valid << " valid, " << st.seconds << " s"
     << (st.proven_optimal ? ", proven optimal" : "") << (st.interrupted ? ", interrupted" : "")
     << "\n";
  if (!st.proven_optimal && st.gap >= 0)
    os << "Not proven optimal: the first metric is at least " << st.lower_bound
       << (st.lower_bound_from == "unexplored"
               ? " (the best found, or the bounds of the subtrees the search left unexplored)"
               : " (compulsory traffic, every PE busy)")
       << "; gap " << significant(100 * st.gap, 3)
       << "% of the best found\n";
  if (st.answer_from_incumbent)
    os << "The answer is the incumbent (the seeded annealing run before the enumeration), "
          "which the enumeration did not beat before it stopped\n";
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
  if (render_only(o.common, o.files)) return 0;
  Diagnostics diag(o.common.strict);
  io::MapperInputs in =
      io::load_mapper_inputs(o.files, &diag, o.common.frontend(), o.dummy_table);
  ModelConfig mc = resolve_model(in.model.model, o.model, diag);
  print_warnings(diag);
  MapperSettings s = in.settings;
  s.model = mc;
  if (!o.algorithm.empty()) {
    auto a = algorithm_from_string(o.algorithm);
    if (!a)
      throw ConfigError("--algorithm", 0, "--algorithm",
                        "unknown algorithm '" + o.algorithm +
                            "'; expected one of: " + join(algorithm_names()));
    s.algorithm = *a;
  }
  if (o.threads >= 0) s.threads = o.threads;
  apply_stopping_flags(s, o.time_budget, o.max_evaluations);
  if (o.seed >= 0) s.seed = static_cast<std::uint64_t>(o.seed);
  if (!o.dataflow.empty()) {
    std::string note;
    io::apply_dataflow_file(dataflow_path(o.dataflow), in.model.workload, in.model.arch,
                            in.constraints, &note);
    if (!note.empty()) std::cerr << "note: " << note << "\n";
  }
  // A space with no valid mapping is reported before searching, naming the constraints.
  if (auto bad = find_infeasibility(in.model.workload, in.model.arch, in.constraints))
    throw ConfigError(bad->where.file, bad->where.line, bad->where.key_path, bad->message);
  EnergyTable table = EnergyTable::resolve(in.model.arch, in.model.energy);
  if (o.time_budget < 0 && o.max_evaluations < 0 && !s.stopping_rule_given) {
    s.time_budget_s = kDefaultBudgetS;
    if (!o.common.quiet)
      std::cerr << "loopsim map: no stopping rule given: " << to_string(s.algorithm)
                << " searches until the optimum is proven or for " << kDefaultBudgetS
                << " s (--time-budget S, --max-evaluations N or the mapper's search_size, "
                   "victory_condition, timeout to choose)\n";
  }
  std::optional<StopSignals> stop_signals(std::in_place);
  const std::atomic<bool>* stop = stop_signals->flag();
  bool show = s.live_status && !o.common.quiet;
  // "best EDP 1.23e+09" (the first metric; the others, which only break ties, in brackets).
  std::string metric_name = metric_label(s.metrics.front());
  if (s.metrics.size() > 1) {
    metric_name += " [then";
    for (std::size_t i = 1; i < s.metrics.size(); ++i)
      metric_name += std::string(i > 1 ? ", " : " ") + metric_label(s.metrics[i]);
    metric_name += "]";
  }
  auto progress = [&](const Progress& p) {
    if (!show) return;
    double rate = p.seconds > 0 ? static_cast<double>(p.evaluated) / p.seconds : 0;
    char best[64] = "none yet";
    if (p.valid > 0) std::snprintf(best, sizeof best, "%.6g", p.best_metric);
    std::fprintf(stderr, "\rloopsim map: %llu tried, %llu valid, best %s %s, %.0f/s, %.1f s",
                 static_cast<unsigned long long>(p.evaluated),
                 static_cast<unsigned long long>(p.valid), metric_name.c_str(), best, rate,
                 p.seconds);
    if (p.fraction_done > 0 && p.fraction_done < 1)
      std::fprintf(stderr, ", ETA %.0f s", p.seconds * (1 - p.fraction_done) / p.fraction_done);
    std::fprintf(stderr, "   ");
    std::fflush(stderr);
  };
  SearchResult r = search_mappings(in.model.workload, in.model.arch, table, in.constraints, s,
                                   stop, progress);
  stop_signals.reset();
  if (show) std::fprintf(stderr, "\n");
  const auto& st = r.stats;
  if (!r.best) {
    std::cerr << "loopsim map: no valid mapping found"
              << (st.interrupted ? " before the search was interrupted" : "")
              << (st.empty_reason.empty() ? "" : ": " + st.empty_reason) << ".\n";
    print_search_table(std::cerr, st);
    return st.interrupted ? kInterruptedExit : 3;
  }
  if (!o.common.quiet || s.diagnostics || s.log_stats) print_search_table(std::cerr, st);
  io::EmitContext ctx{in.model.workload, in.model.arch, table, *r.best, *r.eval, &diag.warnings(), &mc};
  fs::path dir = output_dir(o.out_dir);
  std::string prefix = s.out_prefix.empty() || s.out_prefix == "timeloop-mapper" ? "loopsim-mapper"
                                                                                 : s.out_prefix;
  write_file(dir / (prefix + ".stats.txt"), [&](std::ostream& os) { io::write_stats_txt(os, ctx); });
  write_file(dir / (prefix + ".map.txt"), [&](std::ostream& os) { io::write_map_txt(os, ctx); });
  write_file(dir / (prefix + ".stats.json"),
             [&](std::ostream& os) { io::write_mapper_stats_json(os, ctx, st); });
  write_file(dir / (prefix + ".map.yaml"), [&](std::ostream& os) { io::write_map_yaml(os, ctx); });
  if (!o.common.quiet) io::write_summary(std::cout, ctx);
  if (o.report)
    if (int rc = write_report_at_end(dir, o.common.quiet); rc != 0) return rc;
  if (st.interrupted)
    std::cerr << "loopsim map: interrupted: the best mapping found so far was written (not "
                 "proven optimal)\n";
  return st.interrupted ? kInterruptedExit : 0;
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
                  "hybrid (overrides mapper.algorithm). auto: the proving branch and bound "
                  "(optimal), except annealing on a space above 2e7 mappings when the run is "
                  "bounded by work");
  sub->add_option("--threads", o->threads, "Threads (overrides mapper.num_threads; 0: all)")
      ->check(CLI::Range(0, 1024));
  sub->add_option("--time-budget", o->time_budget,
                  "Seconds (0: no limit); replaces the files' victory_condition, timeout and "
                  "search_size. With no stopping rule at all, the search stops when the "
                  "optimum is proven or after 60 s")
      ->check(CLI::Validator(
          [](std::string& s) -> std::string {
            auto v = parse_number(s);
            if (!v || !std::isfinite(*v) || *v < 0)
              return "expected a number of seconds >= 0 (0: no limit), got '" + s + "'";
            return "";
          },
          "SECONDS"));
  sub->add_option("--max-evaluations", o->max_evaluations,
                  "Stop after N candidate mappings in all (evaluated or ruled out before "
                  "evaluation): the same answer for a seed on any thread count (0: no limit)")
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--seed", o->seed, "Random seed")->check(CLI::NonNegativeNumber);
  sub->add_option("--model", o->model,
                  "Evaluation model of the search: timeloop (the default) or accurate "
                  "(docs/cost-model.md section 8); overrides loopsim_model.mode")
      ->check(CLI::IsMember({"timeloop", "accurate"}));
  sub->add_option("--dataflow", o->dataflow,
                  "Dataflow preset: weight-stationary, output-stationary, row-stationary, "
                  "input-stationary, no-local-reuse (mappings/dataflows/), or a preset file");
  sub->add_flag("-q,--quiet", o->common.quiet, "No progress line, summary or search table");
  sub->add_flag("--dummy-table", o->dummy_table,
                "Placeholder energies (1 pJ per action, no leakage, 1 um^2), as timeloopfe's "
                "dummy table: ignores any ERT and loopsim's estimates");
  sub->add_flag("--report", o->report,
                "Also write DIR/report.html: charts of the results (docs/report.md)");
  add_common_options(sub, o->common);
  return Subcommand{sub, [o] { return run_map(*o); }};
}

}  // namespace loopsim::cli
