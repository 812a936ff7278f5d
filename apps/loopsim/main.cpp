// loopsim command line. Only main() catches: ConfigError -> "file:line: key: message",
// exit 2; a rejected mapping -> exit 3; anything else -> exit 1.
#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "loopsim/core/error.hpp"
#include "loopsim/io/emit.hpp"
#include "loopsim/io/energy.hpp"
#include "loopsim/io/load.hpp"

namespace fs = std::filesystem;
using namespace loopsim;

namespace {

void write_file(const fs::path& p, const std::function<void(std::ostream&)>& f) {
  std::ofstream out(p);
  if (!out) throw ConfigError(p.string(), 0, "-o", "cannot write this file");
  f(out);
}

int run_model(const std::vector<std::string>& files, const std::string& out_dir, bool quiet,
              const std::string& engine) {
  io::ModelInputs in = io::load_inputs(files, /*need_mapping=*/true);
  EnergyTable table = EnergyTable::resolve(in.arch, in.energy);
  EvalResult r = evaluate(in.workload, in.arch, table, *in.mapping,
                          engine == "walk" ? Engine::Walk : Engine::Auto);
  if (auto* rej = std::get_if<Rejection>(&r)) {
    std::cerr << "loopsim: the mapping is not valid on this architecture: " << rej->describe()
              << "\n";
    return 3;
  }
  const Evaluation& ev = std::get<Evaluation>(r);
  io::EmitContext ctx{in.workload, in.arch, table, *in.mapping, ev};
  std::error_code ec;
  fs::create_directories(out_dir, ec);
  if (ec) throw ConfigError(out_dir, 0, "-o", "cannot create the output directory: " + ec.message());
  fs::path dir(out_dir);
  write_file(dir / "loopsim-model.stats.txt", [&](std::ostream& o) { io::write_stats_txt(o, ctx); });
  write_file(dir / "loopsim-model.map.txt", [&](std::ostream& o) { io::write_map_txt(o, ctx); });
  write_file(dir / "loopsim-model.stats.json", [&](std::ostream& o) { io::write_stats_json(o, ctx); });
  if (!quiet) io::write_summary(std::cout, ctx);
  return 0;
}

// `loopsim energy`: estimate ERT/ART of an architecture, or query one primitive.
int run_energy(const std::vector<std::string>& files, const std::vector<std::string>& query,
               const std::string& out_dir) {
  if (!query.empty()) {
    io::energy_query(files, query, std::cout);
    return 0;
  }
  if (files.empty())
    throw ConfigError("<command line>", 0, "energy",
                      "expected architecture files (or --query CLASS name=value...)");
  io::write_energy_tables(files, out_dir);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"loopsim: a fast simulator of DNN accelerators (Timeloop-compatible inputs)"};
  app.require_subcommand(1);
  std::vector<std::string> files;
  std::string out_dir = ".";
  bool quiet = false;
  auto* model = app.add_subcommand(
      "model", "Evaluate a mapping: accesses, energy, cycles (like timeloop-model)");
  model->add_option("files", files, "YAML files: problem, architecture, mapping, ERT, ART ...")
      ->required()
      ->check(CLI::ExistingFile);
  model->add_option("-o,--output", out_dir, "Output directory (default: .)");
  model->add_flag("-q,--quiet", quiet, "Do not print the summary");
  std::string engine = "auto";
  model->add_option("--engine", engine,
                    "Nest analysis: auto (closed form when factors divide evenly) or walk "
                    "(Timeloop's loop-by-loop walk; slow, for cross-checking)")
      ->check(CLI::IsMember({"auto", "walk"}));
  std::vector<std::string> energy_files, energy_query;
  std::string energy_out = ".";
  auto* energy = app.add_subcommand(
      "energy", "Estimate energy per action and area (ERT/ART, like Accelergy)");
  energy->add_option("files", energy_files, "YAML files: architecture, components ...")
      ->check(CLI::ExistingFile);
  energy->add_option("--query", energy_query, "CLASS name=value ...: estimate one primitive")
      ->allow_extra_args();
  energy->add_option("-o,--output", energy_out, "Output directory (default: .)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }
  try {
    if (*model) return run_model(files, out_dir, quiet, engine);
    if (*energy) return run_energy(energy_files, energy_query, energy_out);
  } catch (const ConfigError& e) {
    std::cerr << e.file() << ":" << e.line() << ": " << (e.key_path().empty() ? "" : e.key_path() + ": ")
              << e.message() << "\n";
    return 2;
  } catch (const InternalError& e) {
    std::cerr << "loopsim: " << e.what() << " (please report this)\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "loopsim: error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
