// `loopsim report DIR -o report.html`: an HTML page with charts from any output folder
// (docs/report.md); `--report` of model, map and network calls write_report_at_end().
#include "loopsim/report/report.hpp"

#include <iostream>
#include <memory>

#include "cli.hpp"

namespace loopsim::cli {

namespace {

struct ReportOptions {
  std::string dir;
  std::string out;  // empty: DIR/report.html
  bool quiet = false;
};

int run_report(const ReportOptions& o) {
  fs::path out = o.out.empty() ? fs::path(o.dir) / "report.html" : fs::path(o.out);
  try {
    report::ReportInfo info = report::write_report(o.dir, out);
    if (!o.quiet)
      std::cout << "loopsim report: " << out.string() << " (" << report::to_string(info.kind)
                << " results, " << info.charts.size() << " charts; their data in "
                << info.data_dir.string() << "/)\n";
  } catch (const report::ReportError& e) {
    std::cerr << "loopsim report: " << e.what() << "\n";
    return 2;
  }
  return 0;
}

}  // namespace

int write_report_at_end(const fs::path& dir, bool quiet) {
  ReportOptions o;
  o.dir = dir.string();
  o.quiet = quiet;
  return run_report(o);
}

Subcommand add_report(CLI::App& app) {
  auto o = std::make_shared<ReportOptions>();
  auto* sub =
      app.add_subcommand("report",
                         "An HTML page with charts (Vega, inlined: opens offline) from the output "
                         "folder of model, map, network, sweep or compare (docs/report.md)");
  sub->add_option("dir", o->dir, "Output folder of a loopsim run")->required();
  sub->add_option("-o,--output", o->out,
                  "HTML file to write (default: DIR/report.html); each chart's data goes to "
                  "<name>-data/<chart>.csv beside it");
  sub->add_flag("-q,--quiet", o->quiet, "Do not print what was written");
  return Subcommand{sub, [o] { return run_report(*o); }};
}

}  // namespace loopsim::cli
