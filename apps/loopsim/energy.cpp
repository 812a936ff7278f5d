// `loopsim energy`: estimate energy per action and area (like Accelergy), or one primitive.
#include <iostream>
#include <memory>

#include "cli.hpp"
#include "loopsim/core/error.hpp"
#include "loopsim/io/energy.hpp"

namespace loopsim::cli {

namespace {

struct EnergyOptions {
  std::vector<std::string> files, query;
  std::string out_dir = ".";
  CommonOptions common;
};

int run_energy(const EnergyOptions& o) {
  if (render_only(o.common, o.files)) return 0;
  if (!o.query.empty()) {
    io::energy_query(o.files, o.query, std::cout, o.common.frontend());
    return 0;
  }
  if (o.files.empty())
    throw ConfigError("<command line>", 0, "energy",
                      "expected architecture files (or --query CLASS name=value...)");
  Diagnostics diag(o.common.strict);
  io::write_energy_tables(o.files, o.out_dir, &diag, o.common.frontend());
  print_warnings(diag);
  return 0;
}

}  // namespace

Subcommand add_energy(CLI::App& app) {
  auto o = std::make_shared<EnergyOptions>();
  auto* sub = app.add_subcommand(
      "energy", "Estimate energy per action and area (ERT/ART, like Accelergy)");
  sub->add_option("files", o->files, "YAML files: architecture, components ...")
      ->check(CLI::ExistingFile);
  sub->add_option("--query", o->query, "CLASS name=value ...: estimate one primitive")
      ->allow_extra_args();
  sub->add_option("-o,--output", o->out_dir, "Output directory (default: .)");
  add_common_options(sub, o->common);
  return Subcommand{sub, [o] { return run_energy(*o); }};
}

}  // namespace loopsim::cli
