// report/ internals: a page is a title, summary figures and blocks (charts with their data,
// tables, preformatted text); each results kind fills one (kind_*.cpp), html.cpp writes it.
#pragma once

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace loopsim::report::detail {

// A value of a data table: text or number (a JSON number in the page, %.10g in the CSV).
using Cell = std::variant<std::string, double>;

// Rows of named columns: the data of one chart, written as CSV and inlined as JSON.
struct DataTable {
  std::vector<std::string> columns;
  std::vector<std::vector<Cell>> rows;
  void add(std::vector<Cell> row);
  [[nodiscard]] nlohmann::json to_json() const;  // [{column: value, ...}, ...]
  [[nodiscard]] std::string to_csv() const;
};

struct Chart {
  std::string id;  // the CSV's name (<id>.csv) and the element's id (chart-<id>)
  std::string title;
  std::string caption;
  DataTable data;
  nlohmann::json spec;  // a Vega spec whose dataset "table" holds `data`
};

struct HtmlTable {
  std::string title;
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<bool> highlight;  // per row (may be empty)
};

struct Pre {
  std::string title;
  std::string text;
};

using Block = std::variant<Chart, HtmlTable, Pre>;

struct Page {
  std::string title;
  std::string subtitle;
  std::vector<std::pair<std::string, std::string>> summary;  // label, value
  std::vector<std::string> notes;                            // warnings of the run
  std::vector<Block> blocks;
};

// Writes the page (Vega modules from `vega_dir` inlined) to `html_out` and each chart's data
// to `data_dir`/<id>.csv.
void write_page(const Page& page, const std::filesystem::path& vega_dir,
                const std::filesystem::path& html_out, const std::filesystem::path& data_dir);

// The inlined Vega library: a tiny CommonJS loader plus Debian's libjs-vega modules; defines
// the global `vega` as Vega's own bundle does (transforms registered).
std::string vega_script(const std::filesystem::path& vega_dir);

// ---- Inputs (csv.cpp) ----
// A CSV file with a header row (RFC 4180 quoting). ReportError naming the file and line
// when it cannot be read or a row has another number of fields than the header.
struct CsvFile {
  std::filesystem::path path;
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  [[nodiscard]] int column(const std::string& name) const;  // -1 when absent
  // The column's index; ReportError naming the file when absent.
  [[nodiscard]] int require(const std::string& name) const;
};
CsvFile read_csv(const std::filesystem::path& p);
nlohmann::json read_json(const std::filesystem::path& p);
std::string read_text(const std::filesystem::path& p);
// A number of a CSV field (nullopt when empty or not a number).
std::optional<double> to_number(const std::string& s);
// A JSON object's number member; 0 when absent or not a number.
double json_number(const nlohmann::json& j, const char* key);
// A number as the page shows it (6 significant digits, thousands not grouped).
std::string fmt_number(double v, int digits = 6);

// ---- Charts (charts.cpp) ----
enum class BarMode { Single, Stacked, Grouped };
struct BarOptions {
  std::string x, y, color;  // columns of the data; color empty for Single
  BarMode mode = BarMode::Single;
  std::string x_title, y_title, color_title;
  // The order of the colours (values absent from the data are dropped); empty: the order of
  // first appearance, as for x.
  std::vector<std::string> color_order = {};
};
// x and color domains follow the order of first appearance in the data.
nlohmann::json bar_spec(const DataTable& data, const BarOptions& o);
struct ScatterOptions {
  std::string x, y;   // numeric columns
  std::string front;  // text column: "Pareto front" or "dominated"
  std::string x_title, y_title;
};
nlohmann::json scatter_spec(const DataTable& data, const ScatterOptions& o);

// ---- Kinds (kind_*.cpp) ----
Page model_page(const std::filesystem::path& stats_json, bool mapper);
Page network_page(const std::filesystem::path& dir);
Page sweep_page(const std::filesystem::path& dir);
Page compare_page(const std::filesystem::path& dir);

}  // namespace loopsim::report::detail
