// report/: one self-contained HTML page with Vega charts (and a CSV per chart) from any
// loopsim output folder: model, map, network, sweep or compare (docs/report.md).
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace loopsim::report {

// What kind of results a folder holds, told by the files present.
enum class ResultsKind { Model, Map, Network, Sweep, Compare };
[[nodiscard]] const char* to_string(ResultsKind k);

// A folder that holds no results, a results file that cannot be read or lacks what the
// report needs, Vega not installed, an output that cannot be written (exit 2 in the CLI).
class ReportError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The kind of `dir` (ReportError naming the files looked for when it is none).
[[nodiscard]] ResultsKind detect_kind(const std::filesystem::path& dir);

// What write_report wrote.
struct ReportInfo {
  ResultsKind kind = ResultsKind::Model;
  std::vector<std::string> charts;  // chart ids, in page order
  std::filesystem::path data_dir;   // <html stem>-data/, one <chart id>.csv per chart
};

// Contract: reads the results in `results_dir`, writes `html_out` (Vega and the charts'
// data inlined: opens offline) and `<html_out stem>-data/<chart>.csv` beside it. Throws
// ReportError (never writes a partial page).
ReportInfo write_report(const std::filesystem::path& results_dir,
                        const std::filesystem::path& html_out);

// The folder holding Debian's libjs-vega modules (vega-view.min.js, ...): $LOOPSIM_VEGA_DIR
// (when set, only it),
// the one found at configure time, /usr/share/javascript/vega. ReportError when absent.
[[nodiscard]] std::filesystem::path find_vega_dir();

}  // namespace loopsim::report
