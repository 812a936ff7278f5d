// `loopsim compare`: several configurations (architecture + dataflow + energy table) on the
// same layers (docs/compare.md). Every point (config x distinct layer shape, the network's
// shape cache) is searched by `auto` bounded by work with a fixed seed, so the table does
// not depend on timing or on the thread count: "proven" where the search proves the optimum
// within the bound, else "best of N" with its gap to the lower bound.
#include "loopsim/explore/compare.hpp"

#include <omp.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <set>

#include "cli.hpp"
#include "loopsim/core/error.hpp"
#include "loopsim/core/text.hpp"
#include "loopsim/explore/equal_area.hpp"
#include "loopsim/io/compare_spec.hpp"
#include "loopsim/io/energy.hpp"
#include "loopsim/io/load.hpp"
#include "loopsim/mapper/feasibility.hpp"
#include "loopsim/mapper/search.hpp"
#include "loopsim/network/network.hpp"

namespace loopsim::cli {

namespace {

// Work bound of each point's search when neither the flag nor the compare file gives one.
constexpr std::int64_t kDefaultMaxEvaluations = 100000;

struct CompareOptions {
  std::vector<std::string> files;
  std::string out_dir = ".";
  std::string dataflows, layers;
  int threads = 0;
  std::int64_t max_evaluations = -1;
  std::int64_t seed = -1;
  bool report = false;  // --report: DIR/report.html
  CommonOptions common;
};

struct Layer {
  std::string name, problem_file;
  std::int64_t repeat = 1;
  int shape = -1;
};

struct Config {
  std::string name, dataflow_path, dataflow_label;
  std::vector<std::string> files;
  std::optional<std::int64_t> pe_words;
  explore::ConfigInfo info;
};

// One search: a config on a distinct layer shape.
struct Point {
  int config = -1, shape = -1;
  std::unique_ptr<io::MapperInputs> in;
  std::unique_ptr<EnergyTable> table;
  SearchResult result;
  std::string failure;
};

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// A preset name (short forms expanded) or a file, as a file; ConfigError at `loc`.
std::string resolve_dataflow(const std::string& name, const SourceLoc& loc) {
  if (std::filesystem::is_regular_file(name)) return name;
  try {
    return dataflow_path(explore::expand_dataflow_name(name));
  } catch (const ConfigError& e) {
    if (loc.file.empty()) throw;
    throw ConfigError(loc.file, loc.line, loc.key_path, e.message());
  }
}

// Layers of a network (optionally a subset) or of one problem file.
std::vector<Layer> load_layers(const std::string& workload, const std::vector<std::string>& pick,
                               const SourceLoc& pick_loc, const std::filesystem::path& dir,
                               Diagnostics& diag) {
  std::vector<Layer> out;
  if (io::input_kind(workload) == "network") {
    network::Network net = network::load_network(workload, (dir / "problems").string(), &diag);
    std::vector<std::string> names;
    // In the order written (the rows' order; any order works, the layers are independent).
    for (std::size_t i = 0; i < net.layers.size(); ++i)
      if (net.layers[i].is_problem()) {
        const auto& l = net.layers[i];
        names.push_back(l.name);
        out.push_back({l.name, l.problem_file, l.repeat});
      }
    if (pick.empty()) return out;
    std::vector<Layer> chosen;
    for (const auto& p : pick) {
      auto it = std::find_if(out.begin(), out.end(),
                             [&](const Layer& l) { return lower(l.name) == lower(p); });
      if (it == out.end())
        throw ConfigError(pick_loc.file, pick_loc.line, pick_loc.key_path,
                          "no layer '" + p + "' in " + workload + did_you_mean(p, names) +
                              "; layers: " + join(names));
      chosen.push_back(*it);
    }
    return chosen;
  }
  if (!pick.empty())
    throw ConfigError(pick_loc.file, pick_loc.line, pick_loc.key_path,
                      "layers are chosen from a network file; " + workload + " is one problem");
  return {Layer{std::filesystem::path(workload).stem().string(), workload, 1}};
}

// The equal-area variant of a config: the PE-local level at pe_words (or its template size)
// and the largest global buffer within the budget, by loopsim's area estimates.
void apply_equal_area(const io::EqualAreaSpec& ea, Config& cfg, ArchSpec& arch,
                      const CommonOptions& common) {
  auto fail = [&](const std::string& m) {
    throw ConfigError(ea.loc.file, ea.loc.line, ea.loc.key_path, "config '" + cfg.name + "': " + m);
  };
  int pe = arch.find_level(ea.pe_level), glb = arch.find_level(ea.glb_level);
  std::vector<std::string> names;
  for (const auto& s : arch.storage)
    if (!s.dummy) names.push_back(s.name);
  if (pe < 0) fail("no storage level '" + ea.pe_level + "'" + did_you_mean(ea.pe_level, names));
  if (glb < 0) fail("no storage level '" + ea.glb_level + "'" + did_you_mean(ea.glb_level, names));
  io::EnergyModelInputs em = io::load_energy_inputs(cfg.files, nullptr, common.frontend());
  auto area_of = [&](const ArchSpec& a) {
    auto comps = io::estimate_architecture(a, em.library, em.variables);
    std::map<std::string, double> area;  // by level name (Accelergy's name minus prefix/range)
    for (const auto& c : comps) {
      std::string n = c.name.substr(c.name.find('.') + 1);
      area[n.substr(0, n.find('['))] = c.estimate.area_um2;
    }
    return explore::storage_area_um2(
        a, [&](int l) { return area[a.storage[static_cast<std::size_t>(l)].name]; });
  };
  const double budget = ea.budget_um2 > 0 ? ea.budget_um2 : area_of(em.arch);
  std::int64_t pe_words =
      cfg.pe_words.value_or(arch.storage[static_cast<std::size_t>(pe)].size_words.value_or(0));
  if (!explore::resize_level(em.arch, pe, pe_words) || !explore::resize_level(arch, pe, pe_words))
    fail("pe_words " + std::to_string(pe_words) + " is not a positive multiple of " + ea.pe_level +
         "'s block size");
  auto area_at = [&](std::int64_t glb_words) {
    if (!explore::resize_level(em.arch, glb, glb_words)) return 1e300;
    return area_of(em.arch);
  };
  std::int64_t step = arch.storage[static_cast<std::size_t>(glb)].block_size;
  auto r = explore::largest_glb_within(budget, step, ea.max_glb_words, area_at);
  if (!r)
    fail("the budget of " + std::to_string(budget) + " um^2 does not hold " +
         std::to_string(pe_words) + " words per PE and the smallest global buffer (" +
         std::to_string(area_at(step)) + " um^2)");
  (void)explore::resize_level(arch, glb, r->glb_words);
  cfg.info.pe_words = pe_words;
  cfg.info.glb_words = r->glb_words;
  cfg.info.storage_area_um2 = r->area_um2;
}

// No local reuse on an architecture whose constraints make a PE-local level keep a data
// space (the Eyeriss-like design: one scratchpad per data type): comparing dataflows means
// running NLR on that hardware, so the PE-local keep rules give way to the preset's bypass
// (a warning names them). Bypass rules stay: they say what a level cannot hold.
void drop_pe_keeps(const std::string& config, const ArchSpec& arch, const Workload& w,
                   Constraints& c, Diagnostics& diag, bool warn) {
  int array = -1;
  for (int l = 0; l < arch.num_storage_levels(); ++l)
    if (arch.fanout(l) > 1) {
      array = l;
      break;
    }
  std::vector<std::string> dropped;
  SourceLoc first;
  for (int l = 0; l < array; ++l)
    for (int ds = 0; ds < w.num_data_spaces(); ++ds) {
      auto& k = c.levels[static_cast<std::size_t>(l)].keep[static_cast<std::size_t>(ds)];
      if (k != KeepRule::Keep) continue;
      k = KeepRule::Free;
      if (dropped.empty())
        first = c.levels[static_cast<std::size_t>(l)].keep_at[static_cast<std::size_t>(ds)];
      dropped.push_back(arch.storage[static_cast<std::size_t>(l)].name + " keeps " +
                        w.data_spaces[static_cast<std::size_t>(ds)].name);
    }
  if (!dropped.empty() && warn)
    diag.warn(first.file, first.line, first.key_path,
              "config '" + config + "' (no local reuse): the PE-local keep constraints (" +
                  join(dropped) + ") give way to the preset's bypass");
}

// The configs: from the compare file, or one per --dataflow name on the command line's files.
std::vector<Config> make_configs(const CompareOptions& o,
                                 const std::optional<io::CompareSpec>& spec,
                                 const std::vector<std::string>& common_files) {
  std::vector<Config> configs;
  if (spec && !o.dataflows.empty())
    throw ConfigError("--dataflow", 0, "--dataflow",
                      "the configs come from " + spec->file +
                          "; --dataflow expands one "
                          "architecture given on the command line instead: give one or the other");
  if (spec) {
    for (const auto& c : spec->configs) {
      Config cfg;
      cfg.name = c.name;
      cfg.files = c.files;
      cfg.files.insert(cfg.files.end(), common_files.begin(), common_files.end());
      cfg.pe_words = c.pe_words;
      if (!c.dataflow.empty()) {
        cfg.dataflow_label = c.dataflow;
        cfg.dataflow_path = resolve_dataflow(c.dataflow, c.dataflow_loc);
      }
      configs.push_back(std::move(cfg));
    }
  } else {
    auto names = explore::split_list(o.dataflows);
    if (names.empty())
      throw ConfigError("--dataflow", 0, "--dataflow",
                        "no configs: give a compare file or --dataflow ws,os,rs,... with the "
                        "architecture files");
    if (common_files.empty())
      throw ConfigError("--dataflow", 0, "--dataflow", "no architecture files to expand");
    for (const auto& n : names) {
      Config cfg;
      cfg.name = n;
      cfg.files = common_files;
      cfg.dataflow_label = explore::expand_dataflow_name(n);
      cfg.dataflow_path = resolve_dataflow(n, {});
      if (std::any_of(configs.begin(), configs.end(), [&](const Config& c) { return c.name == n; }))
        throw ConfigError("--dataflow", 0, "--dataflow", "dataflow '" + n + "' is given twice");
      configs.push_back(std::move(cfg));
    }
  }
  return configs;
}

// Loads a point's inputs (the layer shape's problem and the config's files), applies the
// equal-area sizes and the dataflow, and sets the search: auto, energy first, bounded by work.
Point prepare_point(Config& cfg, int c, int s, const std::string& shape_file,
                    const std::optional<io::CompareSpec>& spec, const CompareOptions& o,
                    Diagnostics& diag, std::int64_t max_eval, std::uint64_t seed) {
  Point p;
  p.config = c;
  p.shape = s;
  std::vector<std::string> files{shape_file};
  files.insert(files.end(), cfg.files.begin(), cfg.files.end());
  p.in =
      std::make_unique<io::MapperInputs>(io::load_mapper_inputs(files, &diag, o.common.frontend()));
  auto& m = p.in->model;
  if (spec && spec->equal_area) {
    if (!cfg.info.glb_words) {
      apply_equal_area(*spec->equal_area, cfg, m.arch, o.common);
    } else {  // derived for the config's first shape: the same sizes
      (void)explore::resize_level(m.arch, m.arch.find_level(spec->equal_area->pe_level),
                                  *cfg.info.pe_words);
      (void)explore::resize_level(m.arch, m.arch.find_level(spec->equal_area->glb_level),
                                  *cfg.info.glb_words);
    }
  }
  if (std::filesystem::path(cfg.dataflow_path).stem() == "no-local-reuse")
    drop_pe_keeps(cfg.name, m.arch, m.workload, p.in->constraints, diag, s == 0);
  if (!cfg.dataflow_path.empty()) {
    std::string note;
    io::apply_dataflow_file(cfg.dataflow_path, m.workload, m.arch, p.in->constraints, &note);
    if (!note.empty()) std::cerr << "note: config '" << cfg.name << "', " << shape_file << ": " << note << "\n";
  }
  if (auto bad = find_infeasibility(m.workload, m.arch, p.in->constraints))
    throw ConfigError(bad->where.file, bad->where.line, bad->where.key_path,
                      "config '" + cfg.name + "': " + bad->message);
  p.table = std::make_unique<EnergyTable>(EnergyTable::resolve(m.arch, m.energy));
  MapperSettings& st = p.in->settings;
  st.algorithm = Algorithm::Auto;
  st.metrics = {Metric::Energy, Metric::Delay};
  st.time_budget_s = 0;
  st.victory_condition = st.timeout = st.search_size = 0;
  st.max_evaluations = max_eval;
  st.seed = seed;
  st.live_status = false;
  return p;
}

// Runs the searches, points in parallel (one thread each; a single point gets them all).
// Returns the wall time; `interrupted` is set when a signal stopped them.
double search_points(std::vector<Point>& points, const CompareOptions& o, bool& interrupted) {
  std::optional<StopSignals> stop_signals(std::in_place);
  const std::atomic<bool>* stop = stop_signals->flag();
  const int threads = o.threads > 0 ? o.threads : omp_get_max_threads();
  const int outer = std::max(1, std::min<int>(threads, static_cast<int>(points.size())));
  const int inner = outer == 1 ? threads : 1;
  auto t0 = std::chrono::steady_clock::now();
  std::mutex mu;
  int done = 0;
#pragma omp parallel for schedule(dynamic, 1) num_threads(outer)
  for (int k = 0; k < static_cast<int>(points.size()); ++k) {
    Point& p = points[static_cast<std::size_t>(k)];
    if (stop->load()) continue;
    try {  // nothing may leave an OpenMP region
      MapperSettings st = p.in->settings;
      st.threads = inner;
      p.result = search_mappings(p.in->model.workload, p.in->model.arch, *p.table,
                                 p.in->constraints, st, stop, nullptr);
      if (!p.result.best)
        p.failure = "no valid mapping found" +
                    (p.result.stats.empty_reason.empty() ? "" : ": " + p.result.stats.empty_reason);
    } catch (const std::exception& e) {
      p.failure = e.what();
    }
    std::lock_guard<std::mutex> lock(mu);
    ++done;
    if (!o.common.quiet) {
      double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      std::fprintf(stderr, "\rloopsim compare: %d/%zu points searched, %.1f s   ", done,
                   points.size(), secs);
      std::fflush(stderr);
    }
  }
  stop_signals.reset();
  if (!o.common.quiet) std::fprintf(stderr, "\n");
  interrupted = stop->load();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

int run_compare(const CompareOptions& o) {
  namespace fs = std::filesystem;
  Diagnostics diag(o.common.strict);
  std::optional<io::CompareSpec> spec;
  std::string workload;
  std::vector<std::string> common_files;
  for (const auto& f : o.files) {
    std::string kind = io::input_kind(f);
    if (kind == "compare") {
      if (spec)
        throw ConfigError(f, 0, "", "a second compare file (" + spec->file + " is the first)");
      spec = io::load_compare_file(f, &diag);
    } else if (kind == "network" || kind == "problem") {
      if (!workload.empty())
        throw ConfigError(
            f, 0, "",
            "a second workload (" + workload + " is the first): give one problem or network");
      workload = f;
    } else {
      common_files.push_back(f);
    }
  }
  if (workload.empty() && spec) workload = spec->workload;
  if (workload.empty())
    throw ConfigError("loopsim compare", 0, "workload",
                      "no workload: give a problem file or a network (workloads/networks/), "
                      "on the command line or as compare.workload");
  std::vector<Config> configs = make_configs(o, spec, common_files);
  fs::path dir = output_dir(o.out_dir);
  std::vector<std::string> pick = explore::split_list(o.layers);
  SourceLoc pick_loc{"--layers", 0, "--layers"};
  if (pick.empty() && spec) {
    pick = spec->layers;
    pick_loc = spec->layers_loc;
  }
  std::vector<Layer> layers = load_layers(workload, pick, pick_loc, dir, diag);
  // Distinct shapes (the network's cache key).
  std::vector<std::string> shape_file;
  std::map<std::string, int> by_key;
  for (auto& l : layers) {
    std::string key = network::workload_key(io::load_workload_file(l.problem_file));
    auto [it, fresh] = by_key.emplace(key, static_cast<int>(shape_file.size()));
    if (fresh) shape_file.push_back(l.problem_file);
    l.shape = it->second;
  }
  const std::int64_t max_eval = o.max_evaluations > 0           ? o.max_evaluations
                                : spec && spec->max_evaluations ? *spec->max_evaluations
                                                                : kDefaultMaxEvaluations;
  const std::uint64_t seed = static_cast<std::uint64_t>(o.seed >= 0          ? o.seed
                                                        : spec && spec->seed ? *spec->seed
                                                                             : 1);
  // Load every point's inputs (serially: the front end and the estimator).
  std::vector<Point> points;
  for (std::size_t c = 0; c < configs.size(); ++c) {
    Config& cfg = configs[c];
    cfg.info.name = cfg.name;
    cfg.info.dataflow = cfg.dataflow_label;
    cfg.info.files = cfg.files;
    for (std::size_t s = 0; s < shape_file.size(); ++s) {
      points.push_back(prepare_point(cfg, static_cast<int>(c), static_cast<int>(s), shape_file[s],
                                     spec, o, diag, max_eval, seed));
    }
  }
  std::set<std::string> seen;
  for (const auto& w : diag.warnings())
    if (seen.insert(format_warning(w)).second) std::cerr << format_warning(w) << "\n";
  bool interrupted = false;
  const double wall = search_points(points, o, interrupted);
  if (interrupted) {
    std::cerr << "loopsim compare: interrupted; no table written (every point is needed)\n";
    return kInterruptedExit;
  }
  for (const auto& p : points)
    if (!p.failure.empty()) {
      std::cerr << "loopsim compare: config '" << configs[static_cast<std::size_t>(p.config)].name
                << "', layer shape of " << shape_file[static_cast<std::size_t>(p.shape)] << ": "
                << p.failure << "\n";
      return 3;
    }
  // Results per config x layer (layers of one shape share the point).
  std::vector<explore::ComparePoint> results;
  std::vector<explore::LevelRow> rows;
  std::vector<std::string> config_names, layer_names;
  for (const auto& l : layers) layer_names.push_back(l.name);
  for (std::size_t c = 0; c < configs.size(); ++c) {
    config_names.push_back(configs[c].name);
    for (const auto& l : layers) {
      const Point& p = points[c * shape_file.size() + static_cast<std::size_t>(l.shape)];
      explore::ComparePoint r;
      r.config = configs[c].name;
      r.layer = l.name;
      r.repeat = l.repeat;
      r.macs = p.in->model.workload.operations();
      r.eval = *p.result.eval;
      r.proven = p.result.stats.proven_optimal;
      r.max_evaluations = max_eval;
      r.lower_bound_pj = p.result.stats.lower_bound;
      auto lr = explore::level_rows(r, p.in->model.workload, p.in->model.arch);
      rows.insert(rows.end(), lr.begin(), lr.end());
      results.push_back(std::move(r));
    }
  }
  auto summary = explore::summarise(results, config_names, layer_names);
  std::vector<explore::ConfigInfo> infos;
  for (const auto& c : configs) infos.push_back(c.info);
  write_file(dir / "compare.csv", [&](std::ostream& os) { explore::write_compare_csv(os, rows); });
  write_file(dir / "summary.csv",
             [&](std::ostream& os) { explore::write_summary_csv(os, summary); });
  write_file(dir / "compare.json", [&](std::ostream& os) {
    explore::write_compare_json(os, infos, layer_names, summary);
  });
  if (!o.common.quiet) {
    explore::print_table(std::cout, summary, config_names, layer_names);
    for (const auto& c : configs)
      if (c.info.glb_words)
        std::cout << "  " << c.name << ": " << *c.info.pe_words << " words per PE, global buffer "
                  << *c.info.glb_words << " words, storage area " << *c.info.storage_area_um2
                  << " um^2\n";
    std::cout << points.size() << " searches (" << configs.size() << " configs x "
              << shape_file.size() << " shapes), each auto with at most " << max_eval
              << " candidates, seed " << seed << "; " << significant(wall, 3) << " s\n";
  }
  if (o.report) return write_report_at_end(dir, o.common.quiet);
  return 0;
}

}  // namespace

Subcommand add_compare(CLI::App& app) {
  auto o = std::make_shared<CompareOptions>();
  auto* sub = app.add_subcommand(
      "compare",
      "Compare configurations (architecture, dataflow, energy table) on the same "
      "layers (docs/compare.md)");
  sub->add_option("files", o->files,
                  "A compare file (compare:), and/or architecture files with --dataflow; a "
                  "problem or network file (workloads/networks/)")
      ->required()
      ->check(CLI::ExistingFile);
  sub->add_option("-o,--output", o->out_dir, "Output directory (default: .)");
  sub->add_option("--dataflow", o->dataflows,
                  "Comma-separated dataflows, one config each: ws, os, rs, nlr, is (or the "
                  "preset names weight-stationary, ..., or preset files)");
  sub->add_option("--layers", o->layers, "Comma-separated layers of the network (default: all)");
  sub->add_option("--threads", o->threads, "Threads (0: all); the answer does not depend on it")
      ->check(CLI::Range(0, 1024));
  sub->add_option("--max-evaluations", o->max_evaluations,
                  "Candidates per search (default: the compare file's, else 100000); a search "
                  "that completes within it proves the optimum")
      ->check(CLI::PositiveNumber);
  sub->add_option("--seed", o->seed, "Random seed (default 1)")->check(CLI::NonNegativeNumber);
  sub->add_flag("-q,--quiet", o->common.quiet, "No progress line or table");
  sub->add_flag("--report", o->report,
                "Also write DIR/report.html: charts of the results (docs/report.md)");
  add_common_options(sub, o->common);
  return Subcommand{sub, [o] { return run_compare(*o); }};
}

}  // namespace loopsim::cli
