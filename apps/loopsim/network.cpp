// `loopsim network`: map every layer of a network (docs/network.md) and add it up.
// Each distinct layer shape (the problem; the constraints follow from it, the architecture
// and the dataflow, which are the run's) is searched once. Shapes run in parallel, one
// single-threaded search per OpenMP thread: with a per-layer time budget the wall time of a
// search is the budget whatever its threads, so running T shapes at once is T times faster
// than T threads on one shape (one distinct shape gets all the threads instead).
#include <omp.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>

#include "cli.hpp"
#include "loopsim/core/error.hpp"
#include "loopsim/core/expr.hpp"
#include "loopsim/core/text.hpp"
#include "loopsim/io/accounting.hpp"
#include "loopsim/io/emit.hpp"
#include "loopsim/io/load.hpp"
#include "loopsim/mapper/feasibility.hpp"
#include "loopsim/network/network.hpp"
#include "network_report.hpp"

namespace loopsim::cli {

namespace {

// Per-layer budget when neither the flags nor the mapper settings give a stopping rule.
constexpr double kDefaultLayerBudgetS = 10;

struct NetworkOptions {
  std::string net;
  std::vector<std::string> arch_files;
  std::string out_dir = ".";
  std::string algorithm, dataflow, mapping_dir;
  int threads = 0;
  double time_budget = -1;
  std::int64_t max_evaluations = -1;
  std::int64_t seed = -1;
  bool dummy_table = false;
  std::string op_energy = "skip";  // skip | mac | a number of pJ
  std::string training;            // --training FILE
  bool report = false;  // --report: DIR/report.html
  CommonOptions common;
};

// --op-energy: the energy of one operation of an operation layer (negative: skipped).
std::pair<double, std::string> resolve_op_energy(const std::string& flag,
                                                 const EnergyTable* table) {
  if (flag == "skip") return {-1.0, ""};
  if (flag == "mac") {
    if (!table) return {-1.0, ""};
    return {table->compute().compute_pj,
            "the energy of one MAC of the architecture's arithmetic unit"};
  }
  auto v = parse_number(flag);
  if (!v || *v < 0)
    throw ConfigError(
        "--op-energy", 0, "--op-energy",
        "expected skip, mac or a number of pJ per operation >= 0, got '" + flag + "'");
  return {*v, "--op-energy " + flag + " pJ per operation"};
}

std::string mapping_id(const std::string& key) {
  std::uint64_t h = 1469598103934665603ull;  // FNV-1a
  for (unsigned char c : key) h = (h ^ c) * 1099511628211ull;
  char buf[24];
  std::snprintf(buf, sizeof buf, "shape-%012llx", static_cast<unsigned long long>(h >> 16));
  return buf;
}

int run_network(const NetworkOptions& o) {
  // The architecture files as the layers' searches read them (templates rendered).
  if (render_only(o.common, o.arch_files)) return 0;
  Diagnostics diag(o.common.strict);
  // From here a Ctrl-C skips the shapes not yet started and writes what is done.
  std::optional<StopSignals> stop_signals(std::in_place);
  const std::atomic<bool>* stop = stop_signals->flag();
  fs::path dir = output_dir(o.out_dir);
  std::vector<std::pair<std::string, std::string>> overrides;
  for (const auto& v : o.common.vars) overrides.push_back(frontend::parse_var(v));
  network::Network net =
      network::load_network(o.net, (dir / "problems").string(), &diag, overrides);
  std::optional<network::TrainingSpec> training =
      o.training.empty() ? io::load_network_training(o.net, &diag)
                         : std::optional(io::load_training_file(o.training, &diag));
  if (o.op_energy != "skip" && o.op_energy != "mac") (void)resolve_op_energy(o.op_energy, nullptr);
  // Distinct shapes, in topological order of first use.
  std::vector<ShapeRun> shapes;
  std::map<std::string, int> by_key;
  std::vector<int> shape_of(net.layers.size(), -1);
  for (int i : net.order) {
    const auto& l = net.layers[i];
    if (!l.is_problem()) continue;
    std::string key = network::workload_key(l.workload);
    auto [it, fresh] = by_key.emplace(key, static_cast<int>(shapes.size()));
    if (fresh) {
      ShapeRun s;
      s.key = key;
      s.id = mapping_id(key);
      s.first_layer = i;
      shapes.push_back(std::move(s));
    }
    shape_of[i] = it->second;
  }
  // Load each distinct shape's inputs (serially: loading runs the front end and estimator).
  for (auto& s : shapes) {
    const auto& l = net.layers[s.first_layer];
    std::vector<std::string> files{l.problem_file};
    files.insert(files.end(), o.arch_files.begin(), o.arch_files.end());
    fs::path reuse = o.mapping_dir.empty() ? fs::path() : fs::path(o.mapping_dir) / (s.id + ".map.yaml");
    s.reused = !reuse.empty() && fs::exists(reuse);
    if (s.reused) files.push_back(reuse.string());
    s.in = std::make_unique<io::MapperInputs>(
        io::load_mapper_inputs(files, &diag, o.common.frontend(), o.dummy_table));
    MapperSettings& st = s.in->settings;
    if (!o.algorithm.empty()) {
      auto a = algorithm_from_string(o.algorithm);
      if (!a)
        throw ConfigError("--algorithm", 0, "--algorithm", "unknown algorithm '" + o.algorithm +
                                                              "'; expected one of: " + join(algorithm_names()));
      st.algorithm = *a;
    }
    apply_stopping_flags(st, o.time_budget, o.max_evaluations);
    if (o.time_budget < 0 && o.max_evaluations < 0 && !st.stopping_rule_given)
      st.time_budget_s = kDefaultLayerBudgetS;
    if (o.seed >= 0) st.seed = static_cast<std::uint64_t>(o.seed);
    st.live_status = false;
    if (!o.dataflow.empty())
      io::apply_dataflow_file(dataflow_path(o.dataflow), s.in->model.workload, s.in->model.arch,
                              s.in->constraints);
    if (!s.reused)
      if (auto bad = find_infeasibility(s.in->model.workload, s.in->model.arch, s.in->constraints))
        throw ConfigError(bad->where.file, bad->where.line, bad->where.key_path,
                          "layer '" + l.name + "': " + bad->message);
    s.table = std::make_unique<EnergyTable>(EnergyTable::resolve(s.in->model.arch, s.in->model.energy));
  }
  // The architecture's warnings come once per shape loaded: keep one of each.
  std::vector<Warning> warnings;
  std::set<std::string> seen_warnings;
  for (const auto& w : diag.warnings())
    if (seen_warnings.insert(format_warning(w)).second) {
      warnings.push_back(w);
      std::cerr << format_warning(w) << "\n";
    }
  int threads = o.threads > 0 ? o.threads : omp_get_max_threads();
  int outer = std::max(1, std::min<int>(threads, static_cast<int>(shapes.size())));
  int inner = outer == 1 ? threads : 1;
  // Largest shapes first, so that the last ones to finish are short.
  std::vector<int> todo(shapes.size());
  for (std::size_t i = 0; i < todo.size(); ++i) todo[i] = static_cast<int>(i);
  std::stable_sort(todo.begin(), todo.end(), [&](int a, int b) {
    return shapes[a].in->model.workload.operations() > shapes[b].in->model.workload.operations();
  });
  const bool show = !o.common.quiet;
  const int layer_count = static_cast<int>(std::count_if(
      net.layers.begin(), net.layers.end(), [](const auto& l) { return l.is_problem(); }));
  auto t0 = std::chrono::steady_clock::now();
  std::vector<int> layers_of(shapes.size(), 0);
  for (int si : shape_of)
    if (si >= 0) ++layers_of[si];
  std::mutex mu;
  int done = 0, layers_done = 0;
#pragma omp parallel for schedule(dynamic, 1) num_threads(outer)
  for (int k = 0; k < static_cast<int>(todo.size()); ++k) {
    ShapeRun& s = shapes[todo[k]];
    if (stop->load()) continue;
    const auto& m = s.in->model;
    try {  // nothing may leave an OpenMP region
    if (s.reused && !m.mapping) {
      s.failure = "the reused mapping file has no mapping";
    } else if (s.reused) {
      EvalResult r = evaluate(m.workload, m.arch, *s.table, *m.mapping);
      if (auto* ev = std::get_if<Evaluation>(&r)) {
        s.mapping = *m.mapping;
        s.eval = *ev;
      } else {
        s.failure = "the reused mapping is not valid: " + std::get<Rejection>(r).describe();
      }
    } else {
      MapperSettings st = s.in->settings;
      st.threads = inner;
      SearchResult r = search_mappings(m.workload, m.arch, *s.table, s.in->constraints, st,
                                       stop, nullptr);
      s.stats = r.stats;
      s.searched = true;
      if (r.best) {
        s.mapping = *r.best;
        s.eval = *r.eval;
      } else {
        s.failure = "no valid mapping found" + (r.stats.empty_reason.empty() ? "" : ": " + r.stats.empty_reason);
      }
    }
    } catch (const std::exception& e) {
      s.failure = e.what();
    }
    std::lock_guard<std::mutex> lock(mu);
    ++done;
    layers_done += layers_of[todo[k]];
    if (show) {
      // Layers done (a shape's search serves all its layers: the rest are cache hits), and
      // the time left at the mean time per shape so far.
      double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      int left = static_cast<int>(shapes.size()) - done;
      std::fprintf(stderr,
                   "\rloopsim network: %d/%d layers done (%d/%zu shapes searched, %d cache hits), "
                   "%.1f s, ETA %.0f s   ",
                   layers_done, layer_count, done, shapes.size(), layers_done - done, secs,
                   secs / done * left);
      std::fflush(stderr);
    }
  }
  stop_signals.reset();
  if (show) std::fprintf(stderr, "\n");
  double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  bool interrupted = stop->load();
  fs::create_directories(dir / "mappings");
  for (auto& s : shapes)
    if (s.eval) write_file(dir / "mappings" / (s.id + ".map.yaml"), [&](std::ostream& os) {
        io::EmitContext ctx{s.in->model.workload, s.in->model.arch, *s.table, *s.mapping, *s.eval, nullptr};
        io::write_map_yaml(os, ctx);
      });
  auto [op_pj, op_source] =
      resolve_op_energy(o.op_energy, shapes.empty() ? nullptr : shapes.front().table.get());
  ReportInputs rep{net,   shapes,      shape_of,  wall,  outer,
                   inner, interrupted, &warnings, op_pj, op_source};
  NetworkTotals totals = write_network_report(dir, rep, o.common.quiet);
  if (training && totals.complete) {
    // One run of the network is one inference (docs/network.md, Accounting).
    if (!training->clock_hz) training->clock_hz = 1.0 / totals.cycle_seconds;
    network::InferenceFigures f;
    f.macs = static_cast<double>(totals.macs);
    f.energy_pj = totals.energy_pj;
    f.cycles = static_cast<double>(totals.cycles);
    f.source = "loopsim network " + o.net;
    network::AccountingReport report = network::account(*training, f);
    if (!o.common.quiet) {
      std::cout << "\n";
      network::print_accounting(std::cout, report);
    }
    write_file(dir / "accounting.json",
               [&](std::ostream& out) { io::write_accounting_json(out, report); });
  }
  if (o.report)
    if (int rc = write_report_at_end(dir, o.common.quiet); rc != 0) return rc;
  for (const auto& s : shapes)
    if (!s.failure.empty() && !(interrupted && !s.eval)) {
      std::cerr << "loopsim network: layer '" << net.layers[s.first_layer].name << "': " << s.failure << "\n";
      if (!interrupted) return 3;
    }
  if (interrupted) {
    std::cerr << "loopsim network: interrupted: the layers mapped so far were written\n";
    return kInterruptedExit;
  }
  return 0;
}

}  // namespace

Subcommand add_network(CLI::App& app) {
  auto o = std::make_shared<NetworkOptions>();
  auto* sub = app.add_subcommand("network", "Map every layer of a network and add it up (docs/network.md)");
  sub->add_option("network", o->net, "Network YAML (workloads/networks/)")->required()->check(CLI::ExistingFile);
  sub->add_option("files", o->arch_files, "Architecture files: architecture, constraints, mapper settings, ERT, ART ...")
      ->required()
      ->check(CLI::ExistingFile);
  sub->add_option("-o,--output", o->out_dir, "Output directory (default: .)");
  sub->add_option("--algorithm", o->algorithm, "Mapper algorithm (as loopsim map)");
  sub->add_option("--dataflow", o->dataflow, "Dataflow preset or file (as loopsim map)");
  sub->add_option("--threads", o->threads, "Threads (0: all); shapes are mapped in parallel")
      ->check(CLI::Range(0, 1024));
  sub->add_option("--time-budget-per-layer", o->time_budget,
                  "Seconds of search per distinct layer shape (default: the mapper settings' "
                  "stopping rule, else 10 s)")
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--max-evaluations-per-layer", o->max_evaluations,
                  "Stop each layer's search after N candidates (reproducible)")
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--seed", o->seed, "Random seed")->check(CLI::NonNegativeNumber);
  sub->add_option("--mapping-dir", o->mapping_dir,
                  "Reuse the mappings of an earlier run (its -o DIR/mappings): a shape with a "
                  "mapping there is evaluated, not searched");
  sub->add_flag("-q,--quiet", o->common.quiet, "No progress line or summary");
  sub->add_flag("--dummy-table", o->dummy_table, "Placeholder energies (as loopsim map)");
  sub->add_option("--op-energy", o->op_energy,
                  "Operation layers (elementwise, add, pooling): skip (default: not modelled), "
                  "mac (each operation costs one MAC's energy) or pJ per operation");
  sub->add_option("--training", o->training,
                  "A file with a training: section: compute and carbon accounting of the network "
                  "(docs/accounting.md); else the network file's network.training, if any")
      ->check(CLI::ExistingFile);
  sub->add_flag("--report", o->report,
                "Also write DIR/report.html: charts of the results (docs/report.md)");
  add_common_options(sub, o->common);
  return Subcommand{sub, [o] { return run_network(*o); }};
}

}  // namespace loopsim::cli
