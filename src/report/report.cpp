// write_report(): which kind of results a folder holds (by the files present), its page, and
// the files written (docs/report.md).
#include "loopsim/report/report.hpp"

#include "page.hpp"

namespace loopsim::report {

namespace fs = std::filesystem;

namespace {

bool is_file(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec);
}

// The stats.json of a model or map run: loopsim-mapper / loopsim-model, else any
// <prefix>.stats.json (the mapper's out_prefix); the newest when there are several.
fs::path find_stats_json(const fs::path& dir) {
  fs::path best;
  fs::file_time_type best_time{};
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename().string();
    const std::string suffix = ".stats.json";
    if (name.size() <= suffix.size() ||
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0)
      continue;
    if (name == "network.stats.json" || !e.is_regular_file(ec)) continue;
    auto t = e.last_write_time(ec);
    if (best.empty() || t > best_time) {
      best = e.path();
      best_time = t;
    }
  }
  return best;
}

}  // namespace

const char* to_string(ResultsKind k) {
  switch (k) {
    case ResultsKind::Model:
      return "model";
    case ResultsKind::Map:
      return "map";
    case ResultsKind::Network:
      return "network";
    case ResultsKind::Sweep:
      return "sweep";
    case ResultsKind::Compare:
      return "compare";
  }
  return "?";
}

ResultsKind detect_kind(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw ReportError(dir.string() + ": not a folder");
  if (is_file(dir / "compare.json")) return ResultsKind::Compare;
  if (is_file(dir / "sweep.json")) return ResultsKind::Sweep;
  if (is_file(dir / "network.stats.json")) return ResultsKind::Network;
  fs::path stats = find_stats_json(dir);
  if (!stats.empty()) {
    if (stats.filename() == "loopsim-mapper.stats.json") return ResultsKind::Map;
    if (stats.filename() == "loopsim-model.stats.json") return ResultsKind::Model;
    return detail::read_json(stats).contains("search") ? ResultsKind::Map : ResultsKind::Model;
  }
  throw ReportError(dir.string() +
                    ": no loopsim results here; expected the outputs of `loopsim model` or "
                    "`loopsim map` (*.stats.json), `loopsim network` (network.stats.json, "
                    "layers.csv), `loopsim sweep` (sweep.json, points.csv, pareto.csv) or "
                    "`loopsim compare` (compare.json, compare.csv, summary.csv)");
}

ReportInfo write_report(const fs::path& results_dir, const fs::path& html_out) {
  ReportInfo info;
  info.kind = detect_kind(results_dir);
  fs::path vega_dir = find_vega_dir();
  detail::Page page;
  switch (info.kind) {
    case ResultsKind::Model:
    case ResultsKind::Map:
      page = detail::model_page(find_stats_json(results_dir), info.kind == ResultsKind::Map);
      break;
    case ResultsKind::Network:
      page = detail::network_page(results_dir);
      break;
    case ResultsKind::Sweep:
      page = detail::sweep_page(results_dir);
      break;
    case ResultsKind::Compare:
      page = detail::compare_page(results_dir);
      break;
  }
  fs::path out = html_out;
  if (out.filename().empty()) throw ReportError(html_out.string() + ": not a file name");
  info.data_dir = out.parent_path() / (out.stem().string() + "-data");
  for (const auto& b : page.blocks)
    if (const auto* c = std::get_if<detail::Chart>(&b)) info.charts.push_back(c->id);
  detail::write_page(page, vega_dir, out, info.data_dir);
  return info;
}

}  // namespace loopsim::report
