// `loopsim sweep SWEEP.yaml -o DIR`: a design-space sweep (docs/sweep.md). Points run in
// parallel (--jobs at once, --threads in all; the mapper's own threads within a point), each
// finished point is committed to DIR/sweep.sqlite at once; a rerun resumes (finished points
// are skipped, changed ones refused unless --force). --export writes and prints the outputs
// of an existing store without evaluating anything.
#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>

#include "cli.hpp"
#include "loopsim/core/error.hpp"
#include "loopsim/explore/outputs.hpp"
#include "loopsim/explore/store.hpp"
#include "sweep_mpi.hpp"

namespace loopsim::cli {

namespace {

struct SweepOptions {
  std::string file;
  std::string out_dir;
  int threads = 0;
  int jobs = 0;
  bool retry_failed = false;
  bool force = false;
  bool quiet = false;
  bool report = false;  // --report: DIR/report.html
  std::string export_format;
  std::string energy;  // --energy: overrides the sweep file's energy:
};

explore::SweepSpec load_spec(const SweepOptions& o) {
  explore::SweepSpec spec = explore::load_sweep(o.file, dataflow_path);
  if (!o.energy.empty())
    spec.energy = o.energy == "pin" ? frontend::ErtPolicy::Pin : frontend::ErtPolicy::Reestimate;
  return spec;
}

// Once per component: an ERT entry kept (energy: pin) although points changed the component.
void warn_pinned(const explore::PointResult& r, std::set<std::string>& warned) {
  auto notes = nlohmann::json::parse(r.ert_notes, nullptr, false);
  if (!notes.is_array()) return;
  for (const auto& n : notes) {
    std::string c = n.value("component", "");
    if (n.value("action", "") != "pinned" || !warned.insert(c).second) continue;
    std::fprintf(stderr,
                 "\n%s: warning: the ERT entry of '%s' no longer matches the component in point "
                 "%d (%s) and is kept (energy: pin); every such point names it in points.csv, "
                 "column ert.pinned\n",
                 n.value("entry", "").c_str(), c.c_str(), r.id, n.value("change", "").c_str());
  }
}

// Points of the store that the current sweep would compute differently (or does not have).
std::vector<int> changed_points(const std::map<int, std::pair<std::string, std::string>>& stored,
                                const std::vector<std::string>& hashes) {
  std::vector<int> out;
  for (const auto& [id, row] : stored)
    if (id < 0 || static_cast<std::size_t>(id) >= hashes.size() || row.first != hashes[id])
      out.push_back(id);
  return out;
}

std::string list_ids(const std::vector<int>& ids) {
  std::string s;
  for (std::size_t i = 0; i < ids.size() && i < 8; ++i)
    s += (i ? ", " : "") + std::to_string(ids[i]);
  if (ids.size() > 8) s += ", ...";
  return s;
}

int export_store(const SweepOptions& o, const explore::SweepSpec& spec, std::size_t planned) {
  fs::path db = fs::path(o.out_dir) / "sweep.sqlite";
  if (!fs::is_regular_file(db))
    throw ConfigError(db.string(), 0, "--export",
                      "no sweep database here: run the sweep first (loopsim sweep " + o.file +
                          " -o " + o.out_dir + ")");
  explore::Store store(db.string());
  auto points = store.all();
  explore::write_outputs(fs::path(o.out_dir), spec, planned, points);
  if (o.export_format == "json") {
    explore::write_points_json(std::cout, points);
  } else {
    explore::write_csv(std::cout, spec, explore::csv_header(spec, points), points);
  }
  return 0;
}

// Rank 0 of an MPI run (or the only process): resume checks, the store, the points run here
// in parallel or handed out to the other ranks, the outputs.
int run_store(const SweepOptions& o, const explore::SweepSpec& spec,
              const std::vector<explore::Point>& points, const MpiSession& mpi) {
  explore::check_point_inputs(spec, points.front());
  fs::path dir = output_dir(o.out_dir);
  explore::Store store((dir / "sweep.sqlite").string());
  std::vector<std::string> hashes;
  for (const auto& p : points) hashes.push_back(explore::point_hash(spec, p));
  auto stored = store.index();
  std::vector<int> changed = changed_points(stored, hashes);
  if (!changed.empty()) {
    if (!o.force)
      throw ConfigError(o.file, 0, "sweep",
                        std::to_string(changed.size()) + " point(s) stored in " +
                            (dir / "sweep.sqlite").string() +
                            " were computed from other inputs or are no longer in the sweep "
                            "(points " +
                            list_ids(changed) +
                            "): the sweep file or its inputs changed; rerun with --force to "
                            "recompute them, or give another -o");
    store.erase(changed);
    for (int id : changed) stored.erase(id);
  }
  std::vector<int> todo;
  int skipped = 0;
  for (const auto& p : points) {
    auto it = stored.find(p.id);
    if (it == stored.end() || (o.retry_failed && it->second.second == "failed"))
      todo.push_back(p.id);
    else
      ++skipped;
  }
  store.set_meta("sweep_file", o.file);
  int threads = o.threads > 0 ? o.threads : omp_get_max_threads();
  int jobs = o.jobs > 0 ? o.jobs : threads;
  jobs = std::max(1, std::min<int>(jobs, static_cast<int>(std::max<std::size_t>(1, todo.size()))));
  int inner = std::max(1, threads / jobs);
  if (jobs > 1 && inner > 1) omp_set_max_active_levels(2);
  std::optional<StopSignals> stop_signals(std::in_place);
  const std::atomic<bool>* stop = stop_signals->flag();
  std::mutex load_mutex, store_mutex;
  int done = 0, failed = 0;
  double best = 0;
  int best_id = -1;
  const std::string& first = spec.objectives.front();
  auto t0 = std::chrono::steady_clock::now();
  const bool show = !o.quiet;
  if (show && mpi.size() > 1)
    std::fprintf(stderr,
                 "loopsim sweep: %zu points, %d already in the store, %zu to run (on %d "
                 "MPI ranks)\n",
                 points.size(), skipped, todo.size(), mpi.size() - 1);
  else if (show)
    std::fprintf(stderr,
                 "loopsim sweep: %zu points, %d already in the store, %zu to run (%d at "
                 "once, %d mapper thread(s) each)\n",
                 points.size(), skipped, todo.size(), jobs, inner);
  std::string error;
  std::set<std::string> warned;
  // A finished point: committed at once (one writer), then the progress line.
  auto on_result = [&](const explore::PointResult& r) {
    std::lock_guard<std::mutex> lock(store_mutex);
    try {
      store.put(r);
    } catch (const std::exception& e) {
      if (error.empty()) error = e.what();
      return;
    }
    ++done;
    warn_pinned(r, warned);
    if (r.status == "failed") ++failed;
    if (r.status == "ok" && (best_id < 0 || r.figure(first) < best)) {
      best = r.figure(first);
      best_id = r.id;
    }
    if (!show) return;
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    double eta = secs / done * static_cast<double>(todo.size() - static_cast<std::size_t>(done));
    char best_text[64] = "none yet";
    if (best_id >= 0) std::snprintf(best_text, sizeof best_text, "%.6g (point %d)", best, best_id);
    std::fprintf(stderr,
                 "\rloopsim sweep: %d/%zu done, %d failed, best %s %s, %.1f s, ETA %.0f s   ", done,
                 todo.size(), failed, first.c_str(), best_text, secs, eta);
    std::fflush(stderr);
  };
  if (mpi.size() > 1) {
    mpi_coordinate(todo, stop, on_result);
  } else {
#pragma omp parallel for schedule(dynamic, 1) num_threads(jobs)
    for (int k = 0; k < static_cast<int>(todo.size()); ++k) {
      if (stop->load()) continue;
      explore::PointResult r;
      try {  // nothing may leave an OpenMP region
        r = explore::run_point(spec, points[todo[k]], inner, stop, load_mutex, dataflow_path);
      } catch (const std::exception& e) {
        r.id = todo[k];
        r.status = "failed";
        r.error = e.what();
      }
      if (r.status != "interrupted") on_result(r);
    }
  }
  stop_signals.reset();
  if (show && !todo.empty()) std::fprintf(stderr, "\n");
  if (!error.empty()) throw ConfigError((dir / "sweep.sqlite").string(), 0, "", error);
  auto all = store.all();
  explore::write_outputs(dir, spec, points.size(), all);
  if (show) explore::write_summary(std::cout, spec, all);
  int all_failed = static_cast<int>(std::count_if(
      all.begin(), all.end(), [](const explore::PointResult& p) { return p.status == "failed"; }));
  if (all_failed > 0 && show)
    std::cerr << "loopsim sweep: " << all_failed << " point(s) failed (status and error in "
              << (dir / "points.csv").string() << " and the store; --retry-failed runs them "
              << "again)\n";
  if (stop->load()) {
    std::cerr << "loopsim sweep: interrupted: the finished points are in "
              << (dir / "sweep.sqlite").string() << "; run the same command to resume\n";
    return kInterruptedExit;
  }
  if (o.report) return write_report_at_end(dir, o.quiet);
  return 0;
}

// A rank > 0 of an MPI run: runs the points rank 0 hands out.
int run_worker(const SweepOptions& o) {
  std::optional<explore::SweepSpec> spec;
  std::vector<explore::Point> points;
  try {
    spec = load_spec(o);
    points = explore::expand(*spec);
  } catch (...) {
    mpi_worker({}, /*broken=*/true);
    throw;
  }
  int threads = o.threads > 0 ? o.threads : omp_get_max_threads();
  StopSignals stop_signals;
  std::mutex load_mutex;
  mpi_worker(
      [&](int id) {
        try {
          return explore::run_point(*spec, points.at(static_cast<std::size_t>(id)), threads,
                                    stop_signals.flag(), load_mutex, dataflow_path);
        } catch (const std::exception& e) {
          explore::PointResult r;
          r.id = id;
          r.status = "failed";
          r.error = e.what();
          return r;
        }
      },
      false);
  return 0;
}

int run_sweep(const SweepOptions& o) {
  MpiSession mpi;
  if (mpi.size() > 1 && mpi.rank() > 0) return run_worker(o);
  try {
    explore::SweepSpec spec = load_spec(o);
    std::vector<explore::Point> points = explore::expand(spec);
    if (!o.export_format.empty()) {
      int rc = export_store(o, spec, points.size());
      if (mpi.size() > 1) mpi_coordinate({}, nullptr, {});  // releases the other ranks
      return rc;
    }
    return run_store(o, spec, points, mpi);
  } catch (...) {
    if (mpi.size() > 1) mpi_coordinate({}, nullptr, {});
    throw;
  }
}

}  // namespace

Subcommand add_sweep(CLI::App& app) {
  auto o = std::make_shared<SweepOptions>();
  auto* sub = app.add_subcommand("sweep",
                                 "Run a design-space sweep from one YAML file, into an "
                                 "SQLite store that resumes (docs/sweep.md)");
  sub->add_option("sweep", o->file, "Sweep YAML (a 'sweep:' key; arch-specs/sweeps/)")
      ->required()
      ->check(CLI::ExistingFile);
  sub->add_option("-o,--output", o->out_dir,
                  "Output directory: sweep.sqlite, points.csv, "
                  "pareto.csv, sweep.json")
      ->required();
  sub->add_option("--threads", o->threads, "Threads in all (0: all)")->check(CLI::Range(0, 1024));
  sub->add_option("--jobs", o->jobs,
                  "Points evaluated at once (default: --threads); each "
                  "point's mapper gets threads/jobs threads")
      ->check(CLI::Range(0, 1024));
  sub->add_flag("--retry-failed", o->retry_failed, "Run the points that failed before again");
  sub->add_flag("--force", o->force, "Recompute stored points whose inputs changed");
  sub->add_option("--export", o->export_format,
                  "csv or json: write the outputs of the existing store and print its points; "
                  "evaluates nothing")
      ->check(CLI::IsMember({"csv", "json"}));
  sub->add_option("--energy", o->energy,
                  "reestimate or pin: a component a parameter changes while a user ERT prices "
                  "it is re-estimated or keeps the ERT's energies (default: the sweep file's "
                  "energy:, else reestimate)")
      ->check(CLI::IsMember({"pin", "reestimate"}));
  sub->add_flag("-q,--quiet", o->quiet, "No progress line or summary");
  sub->add_flag("--report", o->report,
                "Also write DIR/report.html: charts of the results (docs/report.md)");
  return Subcommand{sub, [o] { return run_sweep(*o); }};
}

}  // namespace loopsim::cli
