// loopsim._core.run_subcommand: `loopsim sweep` and `loopsim compare` run in this process by
// the CLI's own code (apps/loopsim/sweep.cpp, compare.cpp), so a sweep or a comparison from
// Python writes the same store and files as the CLI; the package reads them back
// (python/loopsim/_explore.py). The GIL is released while it runs; Ctrl-C reaches the
// subcommand's own signal handling (it stops, keeps what is finished, returns 130).
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <string>
#include <vector>

#include "cli.hpp"
#include "loopsim/core/error.hpp"

namespace py = pybind11;

namespace loopsim::python {

// Runs `loopsim ARGS...` for the subcommands sweep and compare; returns the exit code (0,
// 3: nothing valid, 130: interrupted). ConfigError propagates (loopsim.ConfigError).
int run_subcommand(const std::vector<std::string>& args) {
  if (args.empty() || (args[0] != "sweep" && args[0] != "compare"))
    throw ConfigError("<python>", 0, "run_subcommand", "expected 'sweep' or 'compare' first");
  CLI::App app{"loopsim"};
  app.require_subcommand(1);
  std::vector<cli::Subcommand> subs = {cli::add_sweep(app), cli::add_compare(app)};
  std::vector<std::string> argv(args.rbegin(), args.rend());  // CLI11 takes them reversed
  try {
    app.parse(argv);
  } catch (const CLI::ParseError& e) {
    throw ConfigError("<python>", 0, args[0], std::string("bad arguments: ") + e.what());
  }
  py::gil_scoped_release release;
  for (const auto& s : subs)
    if (s.app->parsed()) return s.run();
  return 2;
}

void add_subcommands(py::module_& m) {
  m.def("run_subcommand", &run_subcommand, py::arg("args"));
}

}  // namespace loopsim::python
