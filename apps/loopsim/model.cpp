// `loopsim model`: evaluate one mapping (like timeloop-model).
#include <iostream>
#include <memory>

#include "cli.hpp"
#include "loopsim/io/emit.hpp"
#include "loopsim/io/load.hpp"

namespace loopsim::cli {

namespace {

struct ModelOptions {
  std::vector<std::string> files;
  std::string out_dir = ".";
  std::string engine = "auto";
  std::string model;  // empty: the files' loopsim_model: (default timeloop)
  bool dummy_table = false;
  bool report = false;  // --report: DIR/report.html
  CommonOptions common;
};

int run_model(const ModelOptions& o) {
  if (render_only(o.common, o.files)) return 0;
  Diagnostics diag(o.common.strict);
  io::ModelInputs in = io::load_inputs(o.files, /*need_mapping=*/true, &diag,
                                       o.common.frontend(), o.dummy_table);
  ModelConfig mc = resolve_model(in.model, o.model, diag);
  print_warnings(diag);
  EnergyTable table = EnergyTable::resolve(in.arch, in.energy);
  EvalResult r = evaluate(in.workload, in.arch, table, *in.mapping,
                          o.engine == "walk" ? Engine::Walk : Engine::Auto, mc);
  if (auto* rej = std::get_if<Rejection>(&r)) {
    std::cerr << "loopsim: the mapping is not valid on this architecture: " << rej->describe()
              << "\n";
    return 3;
  }
  const Evaluation& ev = std::get<Evaluation>(r);
  io::EmitContext ctx{in.workload, in.arch, table, *in.mapping, ev, &diag.warnings(), &mc};
  fs::path dir = output_dir(o.out_dir);
  write_file(dir / "loopsim-model.stats.txt", [&](std::ostream& s) { io::write_stats_txt(s, ctx); });
  write_file(dir / "loopsim-model.map.txt", [&](std::ostream& s) { io::write_map_txt(s, ctx); });
  write_file(dir / "loopsim-model.stats.json", [&](std::ostream& s) { io::write_stats_json(s, ctx); });
  if (!o.common.quiet) io::write_summary(std::cout, ctx);
  return o.report ? write_report_at_end(dir, o.common.quiet) : 0;
}

}  // namespace

Subcommand add_model(CLI::App& app) {
  auto o = std::make_shared<ModelOptions>();
  auto* sub = app.add_subcommand(
      "model", "Evaluate a mapping: accesses, energy, cycles (like timeloop-model)");
  sub->add_option("files", o->files, "YAML files: problem, architecture, mapping, ERT, ART ...")
      ->required()
      ->check(CLI::ExistingFile);
  sub->add_option("-o,--output", o->out_dir, "Output directory (default: .)");
  sub->add_flag("-q,--quiet", o->common.quiet, "Do not print the summary");
  sub->add_option("--engine", o->engine,
                  "Nest analysis: auto (closed form when factors divide evenly) or walk "
                  "(Timeloop's loop-by-loop walk; slow, for cross-checking)")
      ->check(CLI::IsMember({"auto", "walk"}));
  sub->add_option("--model", o->model,
                  "Evaluation model: timeloop (Timeloop's numbers; the default) or accurate "
                  "(multicast by word across nested spatial levels, RLC-coded DRAM traffic "
                  "from loopsim_model.densities; docs/cost-model.md section 8); overrides "
                  "loopsim_model.mode")
      ->check(CLI::IsMember({"timeloop", "accurate"}));
  sub->add_flag("--dummy-table", o->dummy_table,
                "Placeholder energies (1 pJ per action, no leakage, 1 um^2), as timeloopfe's "
                "dummy table: ignores any ERT and loopsim's estimates");
  sub->add_flag("--report", o->report,
                "Also write DIR/report.html: charts of the results (docs/report.md)");
  add_common_options(sub, o->common);
  return Subcommand{sub, [o] { return run_model(*o); }};
}

}  // namespace loopsim::cli
