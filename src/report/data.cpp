// Reading results (CSV with a header, JSON, text) and the data tables of the charts.
#include <cmath>
#include "loopsim/core/text.hpp"
#include <cstdio>
#include <fstream>
#include <sstream>

#include "loopsim/report/report.hpp"
#include "page.hpp"

namespace loopsim::report::detail {

namespace fs = std::filesystem;

namespace {

// Results files are ours and small; anything past this is not a results file.
constexpr std::uintmax_t kMaxInputBytes = 256u << 20;

std::string cell_text(const Cell& c) {
  if (const auto* s = std::get_if<std::string>(&c)) return *s;
  double v = std::get<double>(c);
  if (!std::isfinite(v)) return "";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

// Splits one CSV record starting at `pos` (quoted fields may hold commas, quotes, newlines).
bool next_record(const std::string& text, std::size_t& pos, std::vector<std::string>& out,
                 int& line) {
  out.clear();
  if (pos >= text.size()) return false;
  std::string field;
  bool quoted = false;
  while (pos < text.size()) {
    char c = text[pos++];
    if (quoted) {
      if (c == '"' && pos < text.size() && text[pos] == '"') {
        field += '"';
        ++pos;
      } else if (c == '"') {
        quoted = false;
      } else {
        if (c == '\n') ++line;
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out.push_back(std::move(field));
      field.clear();
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && pos < text.size() && text[pos] == '\n') ++pos;
      ++line;
      break;
    } else {
      field += c;
    }
  }
  out.push_back(std::move(field));
  return true;
}

}  // namespace

void DataTable::add(std::vector<Cell> row) { rows.push_back(std::move(row)); }

nlohmann::json DataTable::to_json() const {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& r : rows) {
    nlohmann::json o = nlohmann::json::object();
    for (std::size_t i = 0; i < columns.size() && i < r.size(); ++i) {
      if (const auto* s = std::get_if<std::string>(&r[i]))
        o[columns[i]] = *s;
      else if (std::isfinite(std::get<double>(r[i])))
        o[columns[i]] = std::get<double>(r[i]);
      else
        o[columns[i]] = nullptr;
    }
    a.push_back(std::move(o));
  }
  return a;
}

std::string DataTable::to_csv() const {
  std::string out;
  for (std::size_t i = 0; i < columns.size(); ++i) out += (i ? "," : "") + csv_field(columns[i]);
  out += "\n";
  for (const auto& r : rows) {
    for (std::size_t i = 0; i < r.size(); ++i) out += (i ? "," : "") + csv_field(cell_text(r[i]));
    out += "\n";
  }
  return out;
}

std::string read_text(const fs::path& p) {
  std::error_code ec;
  if (!fs::is_regular_file(p, ec)) throw ReportError(p.string() + ": not a regular file");
  if (fs::file_size(p, ec) > kMaxInputBytes)
    throw ReportError(p.string() + ": larger than 256 MiB: not a loopsim results file");
  std::ifstream in(p, std::ios::binary);
  if (!in) throw ReportError(p.string() + ": cannot be read");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

nlohmann::json read_json(const fs::path& p) {
  std::string text = read_text(p);
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object())
    throw ReportError(p.string() + ": not a JSON object (a loopsim results file was expected)");
  return j;
}

CsvFile read_csv(const fs::path& p) {
  CsvFile f;
  f.path = p;
  std::string text = read_text(p);
  std::size_t pos = 0;
  int line = 1;
  std::vector<std::string> rec;
  if (!next_record(text, pos, f.header, line) || f.header.empty() ||
      (f.header.size() == 1 && f.header[0].empty()))
    throw ReportError(p.string() + ": empty (a header row was expected)");
  while (true) {
    int at = line;
    if (!next_record(text, pos, rec, line)) break;
    if (rec.size() == 1 && rec[0].empty()) continue;  // blank line
    if (rec.size() != f.header.size())
      throw ReportError(p.string() + ":" + std::to_string(at) + ": " + std::to_string(rec.size()) +
                        " fields, the header has " + std::to_string(f.header.size()));
    f.rows.push_back(rec);
  }
  return f;
}

int CsvFile::column(const std::string& name) const {
  for (std::size_t i = 0; i < header.size(); ++i)
    if (header[i] == name) return static_cast<int>(i);
  return -1;
}

int CsvFile::require(const std::string& name) const {
  int c = column(name);
  if (c < 0) throw ReportError(path.string() + ":1: no column '" + name + "' in the header");
  return c;
}

std::optional<double> to_number(const std::string& s) {
  if (s.empty()) return std::nullopt;
  char* end = nullptr;
  double v = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

double json_number(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_number() ? it->get<double>() : 0.0;
}

std::string fmt_number(double v, int digits) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.*g", digits, v);
  return buf;
}

}  // namespace loopsim::report::detail
