// loopsim command line. Each subcommand lives in its own file (model.cpp, map.cpp,
// energy.cpp, network.cpp); main() is the only place that catches: ConfigError -> "file:line: key:
// message", exit 2; a rejected mapping -> exit 3 (returned by the subcommand); anything
// else -> exit 1.
#include <iostream>
#include <vector>

#include "cli.hpp"
#include "loopsim/core/error.hpp"

using namespace loopsim;

int main(int argc, char** argv) {
  CLI::App app{"loopsim: a fast simulator of DNN accelerators (Timeloop-compatible inputs)"};
  app.require_subcommand(1);
  std::vector<cli::Subcommand> subs = {cli::add_model(app), cli::add_map(app),
                                       cli::add_energy(app), cli::add_network(app),
                                       cli::add_account(app), cli::add_compare(app),
                                       cli::add_sweep(app)};
  subs.push_back(cli::add_report(app));
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }
  try {
    for (const auto& s : subs)
      if (s.app->parsed()) return s.run();
  } catch (const ConfigError& e) {
    std::cerr << e.file() << ":" << e.line() << ": "
              << (e.key_path().empty() ? "" : e.key_path() + ": ") << e.message() << "\n";
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
