// `loopsim account TRAINING.yaml [--macs-per-inference N | --from-stats STATS_JSON] -o DIR`:
// compute and carbon accounting (docs/accounting.md); prints the table, writes accounting.json.
#include <iostream>
#include <memory>

#include "cli.hpp"
#include "loopsim/core/error.hpp"
#include "loopsim/io/accounting.hpp"

namespace loopsim::cli {

namespace {

struct AccountOptions {
  std::string training_file;
  double macs_per_inference = 0;
  std::string from_stats;
  std::string out_dir = ".";
  CommonOptions common;
};

int run_account(const AccountOptions& o) {
  if (!o.common.sets.empty())
    throw ConfigError("--set", 0, "--set",
                      "loopsim account reads a training file, not the architecture inputs --set "
                      "overrides; write the value in the training file");
  if (render_only(o.common, {o.training_file})) return 0;
  Diagnostics diag(o.common.strict);
  network::TrainingSpec spec = io::load_training_file(o.training_file, &diag);
  network::InferenceFigures figures;
  if (!o.from_stats.empty()) {
    figures = io::load_inference_figures(o.from_stats);
  } else if (o.macs_per_inference > 0) {
    figures.macs = o.macs_per_inference;
    figures.source = "--macs-per-inference";
  }
  network::AccountingReport report = network::account(spec, figures);
  if (!report.macs_per_inference && spec.examples)
    throw ConfigError(o.training_file, 0, "training.macs_per_inference",
                      "method 1 needs the MACs of one forward pass: give macs_per_inference, "
                      "--macs-per-inference N or --from-stats STATS_JSON");
  print_warnings(diag);
  if (!o.common.quiet) network::print_accounting(std::cout, report);
  auto dir = output_dir(o.out_dir);
  write_file(dir / "accounting.json",
             [&](std::ostream& out) { io::write_accounting_json(out, report); });
  return 0;
}

}  // namespace

Subcommand add_account(CLI::App& app) {
  auto o = std::make_shared<AccountOptions>();
  auto* sub = app.add_subcommand(
      "account", "Compute and carbon accounting of inference and training (docs/accounting.md)");
  sub->add_option("training", o->training_file, "YAML file with a training: section")
      ->required()
      ->check(CLI::ExistingFile);
  auto* macs = sub->add_option("--macs-per-inference", o->macs_per_inference,
                               "MACs of one forward pass of one example")
                   ->check(CLI::PositiveNumber);
  sub->add_option("--from-stats", o->from_stats,
                  "stats.json of loopsim model/map: its MACs, energy and cycles per inference")
      ->check(CLI::ExistingFile)
      ->excludes(macs);
  sub->add_option("-o,--output", o->out_dir, "Output directory (default: .)");
  add_common_options(sub, o->common);
  return Subcommand{sub, [o] { return run_account(*o); }};
}

}  // namespace loopsim::cli
