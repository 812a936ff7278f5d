#include "cli.hpp"

#include <algorithm>
#include <csignal>
#include <iterator>
#include <signal.h>
#include <fstream>
#include <iostream>

#include "loopsim/core/error.hpp"
#include "loopsim/core/text.hpp"
#include "loopsim/frontend/frontend.hpp"
#include "loopsim/io/emit.hpp"
#include "loopsim/io/load.hpp"

namespace loopsim::cli {

namespace {
std::atomic<bool> g_stop{false};
constexpr int kStopSignals[] = {SIGINT, SIGTERM, SIGHUP};
extern "C" void on_stop_signal(int sig) {
  g_stop.store(true);
  std::signal(sig, SIG_DFL);
}
}  // namespace

struct StopSignals::Saved {
  struct sigaction old[std::size(kStopSignals)];
};

StopSignals::StopSignals() : saved_(std::make_unique<Saved>()) {
  g_stop.store(false);
  for (std::size_t i = 0; i < std::size(kStopSignals); ++i) {
    struct sigaction sa {};
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(kStopSignals[i], &sa, &saved_->old[i]);
  }
}
StopSignals::~StopSignals() {
  for (std::size_t i = 0; i < std::size(kStopSignals); ++i)
    sigaction(kStopSignals[i], &saved_->old[i], nullptr);
}
const std::atomic<bool>* StopSignals::flag() const { return &g_stop; }

void apply_stopping_flags(MapperSettings& s, double time_budget, std::int64_t max_evaluations) {
  if (time_budget >= 0) {
    s.time_budget_s = time_budget;
    s.victory_condition = 0;
    s.timeout = 0;
    s.search_size = 0;
  }
  if (max_evaluations >= 0) {
    s.max_evaluations = max_evaluations;
    if (time_budget < 0) s.time_budget_s = 0;
  }
}

std::string dataflow_path(const std::string& name) {
  if (fs::is_regular_file(name)) return name;
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

void add_common_options(CLI::App* sub, CommonOptions& o) {
  sub->add_flag("--strict", o.strict,
                "Treat warnings (inputs Timeloop accepts that look like a mistake) as errors");
  sub->add_option("--var", o.vars,
                  "NAME=VALUE: a variable of the Jinja2 templates (.jinja2/.j2 files), as "
                  "timeloopfe's jinja_parse_data, and (loopsim network) of the network's "
                  "variables; repeatable; VALUE is read as a YAML scalar")
      ->take_all()
      ->allow_extra_args(false);
  sub->add_option("--set", o.sets,
                  "PATH=VALUE: replace one value of the inputs before they are read, e.g. "
                  "variables.GLB_DEPTH=32768 or architecture.nodes.glb.attributes.depth=32768 "
                  "(a list entry by its name or index); repeatable; VALUE is read as YAML")
      ->take_all()
      ->allow_extra_args(false);
  sub->add_option("--energy", o.energy,
                  "When --set changes a component that a user ERT prices: pin (keep the ERT's "
                  "energies, with a warning; the default) or reestimate (price it with "
                  "loopsim's estimator, as loopsim energy)")
      ->check(CLI::IsMember({"pin", "reestimate"}));
  sub->add_flag("--render-only", o.render_only,
                "Print the inputs as one resolved YAML (templates rendered, includes and "
                "<<< merges applied) and exit");
}

frontend::Options CommonOptions::frontend() const {
  frontend::Options f;
  for (const auto& v : vars) f.vars.push_back(frontend::parse_var(v));
  for (const auto& v : sets) f.sets.push_back(frontend::parse_set(v));
  f.ert_policy = energy == "reestimate" ? frontend::ErtPolicy::Reestimate : frontend::ErtPolicy::Pin;
  return f;
}

bool render_only(const CommonOptions& o, const std::vector<std::string>& files) {
  if (!o.render_only) return false;
  frontend::Options f = o.frontend();
  std::cout << (f.sets.empty() ? frontend::render_only(files, f)
                               : io::render_with_overrides(files, f));
  return true;
}

void write_file(const fs::path& p, const std::function<void(std::ostream&)>& f) {
  io::write_file_atomic(p.string(), f);
}

fs::path output_dir(const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw ConfigError(dir, 0, "-o", "cannot create the output directory: " + ec.message());
  return fs::path(dir);
}

ModelConfig resolve_model(const ModelConfig& from_files, const std::string& flag,
                          Diagnostics& diag) {
  ModelConfig mc = from_files;
  if (!flag.empty()) mc.mode = *model_mode_from_string(flag);
  if (!mc.accurate() && !mc.densities_file.empty())
    diag.warn(mc.densities_file, mc.densities_line, "loopsim_model.densities",
              "densities are used by the accurate model only (loopsim_model.mode: accurate or "
              "--model accurate); ignored under Timeloop's model");
  return mc;
}

void print_warnings(const Diagnostics& diag) {
  for (const auto& w : diag.warnings()) std::cerr << format_warning(w) << "\n";
}

}  // namespace loopsim::cli
