// The loopsim command line: one file per subcommand (model.cpp, map.cpp, energy.cpp), each
// adding itself to the CLI11 app; main.cpp dispatches and is the only place that catches.
#pragma once

#include <CLI/CLI.hpp>
#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include "loopsim/core/diagnostics.hpp"
#include "loopsim/mapper/constraints.hpp"
#include "loopsim/frontend/options.hpp"
#include "loopsim/model/accuracy.hpp"

namespace loopsim::cli {

namespace fs = std::filesystem;

// A subcommand: its CLI11 app, and what runs it (returns the exit code) once it is chosen.
struct Subcommand {
  CLI::App* app = nullptr;
  std::function<int()> run;
};

Subcommand add_model(CLI::App& app);
Subcommand add_map(CLI::App& app);
Subcommand add_energy(CLI::App& app);
Subcommand add_network(CLI::App& app);
Subcommand add_account(CLI::App& app);
Subcommand add_compare(CLI::App& app);
Subcommand add_report(CLI::App& app);
// `--report`: writes DIR/report.html with report::write_report (report.cpp); the exit code
// (0, or 2 with the reason on stderr).
int write_report_at_end(const std::filesystem::path& dir, bool quiet);
Subcommand add_sweep(CLI::App& app);

// Options every subcommand that reads inputs has.
struct CommonOptions {
  bool strict = false;  // warnings are errors (exit 2)
  bool quiet = false;
  std::vector<std::string> vars;  // --var NAME=VALUE (Jinja2 variables of templates)
  std::vector<std::string> sets;  // --set PATH=VALUE (overrides of the merged inputs)
  bool render_only = false;       // --render-only: print the resolved YAML and exit
  std::string energy = "pin";     // --energy pin|reestimate (docs/sweep.md, Energy follows ...)
  // The front end's options from --var and --set (ConfigError on a malformed one).
  [[nodiscard]] frontend::Options frontend() const;
};
void add_common_options(CLI::App* sub, CommonOptions& o);
// --render-only: prints the resolved YAML of `files` on stdout; returns true when it did.
bool render_only(const CommonOptions& o, const std::vector<std::string>& files);

// A dataflow preset's file: `name` itself when it is a file, else
// mappings/dataflows/<name>.yaml; ConfigError with the presets' names otherwise.
std::string dataflow_path(const std::string& name);

// The stopping flags of `map` and `network` (negative: not given): --time-budget replaces the
// files' count-based stops; --max-evaluations bounds the search by work (reproducible on any
// thread count, docs/mapper.md, Stopping) and, alone, lifts the time budget.
void apply_stopping_flags(MapperSettings& s, double time_budget, std::int64_t max_evaluations);

// Exit code of an interrupted run (as a shell reports a process ended by Ctrl-C).
inline constexpr int kInterruptedExit = 130;
// While alive, the first SIGINT, SIGTERM or SIGHUP sets the flag the searches poll (stop and
// write the best so far); a second one ends the process. The handlers are reset at the end.
class StopSignals {
 public:
  StopSignals();
  ~StopSignals();
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;
  [[nodiscard]] const std::atomic<bool>* flag() const;

 private:
  // The handlers before (restored at the end: the Python module runs subcommands inside a
  // process whose SIGINT handler is Python's).
  struct Saved;
  std::unique_ptr<Saved> saved_;
};

// Writes a whole output file (a temporary file renamed into place: complete or absent);
// an error names the file and the OS error (exit 2).
void write_file(const std::filesystem::path& p, const std::function<void(std::ostream&)>& f);
// Creates the output directory (-o).
std::filesystem::path output_dir(const std::string& dir);
// Prints the warnings of loading, one a line, on stderr.
void print_warnings(const Diagnostics& diag);
// The evaluation model: the files' loopsim_model:, its mode overridden by --model (`flag`,
// empty when not given); densities under Timeloop's model are ignored with a warning.
ModelConfig resolve_model(const ModelConfig& from_files, const std::string& flag,
                          Diagnostics& diag);

}  // namespace loopsim::cli
