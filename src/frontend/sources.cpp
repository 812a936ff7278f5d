// Parsing with provenance: every text gets its own range of yaml-cpp positions (Mark::pos).
// The text is prefixed with one comment line as long as the range's start, so the parser's
// positions for this text start there; locate() finds the text by position and maps the line
// back (one line less, then through the template's line map when the text was rendered).
#include "loopsim/frontend/sources.hpp"

#include "loopsim/core/limits.hpp"
#include "read_file.hpp"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <map>
#include <mutex>
#include <tuple>

#include "loopsim/core/error.hpp"

namespace loopsim::frontend {

namespace {

struct Text {
  std::int64_t base = 0, size = 0;
  std::string file;
  std::vector<Origin> origins;
};

// The texts parsed by this process, by position (process-wide: a node may be located long
// after its file was parsed, by any cursor of io/).
struct Registry {
  std::mutex mutex;
  std::vector<Text> texts;  // sorted by base
  std::int64_t next = 2;
  // A text parsed again (a sweep loads the same files for every point) keeps its range, so
  // the positions do not grow with the number of loads: file, text -> base.
  std::map<std::pair<std::string, std::string>, std::int64_t> seen;
};

Registry& registry() {
  static Registry r;
  return r;
}

// Line (1-based) of the first byte that is not part of valid UTF-8, or 0.
int first_bad_utf8_line(const std::string& text) {
  int line = 1;
  std::size_t i = 0, n = text.size();
  while (i < n) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c == '\n') ++line;
    std::size_t len = c < 0x80           ? 1
                      : (c >> 5) == 0x6  ? 2
                      : (c >> 4) == 0xE  ? 3
                      : (c >> 3) == 0x1E ? 4
                                         : 0;
    if (len == 0 || i + len > n || (len == 2 && c < 0xC2)) return line;
    for (std::size_t k = 1; k < len; ++k)
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return line;
    if (c == 0) return line;  // NUL bytes are not YAML text either
    i += len;
  }
  return 0;
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

// The last line at or before `line` that opens more `open` brackets than it closes, or 0.
int unclosed_line(const std::vector<std::string>& lines, int line, char open, char close) {
  for (int l = std::min<int>(line, static_cast<int>(lines.size())); l >= 1; --l) {
    std::string row = lines[l - 1].substr(0, lines[l - 1].find(" #"));
    int depth = 0;
    for (char ch : row) depth += ch == open ? 1 : ch == close ? -1 : 0;
    if (depth > 0) return l;
  }
  return 0;
}

// A plainer explanation of yaml-cpp's most common syntax messages; may move `line` to where
// the mistake is (an unclosed bracket is reported by yaml-cpp only where it gives up).
// `shown` gives the line number to print for a line of `text` (the template's, when rendered).
template <class Shown>
std::string syntax_hint(const std::string& text, int& line, const std::string& msg, Shown shown) {
  auto lines = split_lines(text);
  std::string row = line >= 1 && line <= static_cast<int>(lines.size()) ? lines[line - 1] : "";
  std::string lead = row.substr(0, row.find_first_not_of(" \t"));
  if (lead.find('\t') != std::string::npos)
    return " (this line is indented with a tab; YAML indentation must use spaces)";
  for (auto [what, open, close] :
       {std::tuple{"end of sequence flow", '[', ']'}, std::tuple{"end of map flow", '{', '}'}}) {
    if (msg.find(what) == std::string::npos) continue;
    std::string hint = std::string(" (a '") + open + "' is not closed with '" + close + "'";
    if (int at = unclosed_line(lines, line, open, close); at > 0 && at != line) {
      hint += "; found while reading line " + std::to_string(shown(line));
      line = at;
    }
    return hint + ")";
  }
  if (msg.find("illegal map value") != std::string::npos ||
      msg.find("end of map not found") != std::string::npos ||
      msg.find("end of sequence not found") != std::string::npos)
    return " (check the indentation of this line against the lines above it)";
  if (msg.find("end of string") != std::string::npos) return " (a quoted string is not closed)";
  return "";
}

Origin origin_of(const Text& t, int local_line) {  // local_line: 1-based line of the text
  if (!t.origins.empty()) {
    if (local_line >= 1 && local_line <= static_cast<int>(t.origins.size()))
      return t.origins[static_cast<std::size_t>(local_line - 1)];
    return Origin{t.file, 0};
  }
  return Origin{t.file, local_line};
}

}  // namespace

namespace {
thread_local ReadRecorder* active_recorder = nullptr;
}  // namespace

ReadRecorder::ReadRecorder() : outer_(active_recorder) { active_recorder = this; }
ReadRecorder::~ReadRecorder() { active_recorder = outer_; }

std::string read_text_file(const std::string& path) {
  for (ReadRecorder* r = active_recorder; r; r = r->outer_)
    if (std::find(r->files_.begin(), r->files_.end(), path) == r->files_.end())
      r->files_.push_back(path);
  std::string text = read_input_file(path);
  if (int bad = first_bad_utf8_line(text))
    throw ConfigError(path, bad, "", "not valid UTF-8 text; expected a UTF-8 YAML file");
  return text;
}

YAML::Node parse_yaml_text(const std::string& text, const std::string& file,
                           const std::vector<Origin>& line_origins) {
  Text entry{0, static_cast<std::int64_t>(text.size()), file, line_origins};
  {
    Registry& r = registry();
    std::lock_guard<std::mutex> lock(r.mutex);
    auto key = std::make_pair(file, text);
    auto again = r.seen.find(key);
    if (again != r.seen.end() && line_origins.empty()) {
      entry.base = again->second;
    } else {
      entry.base = r.next;
      r.next += entry.size + 2;
      r.texts.push_back(entry);
      if (line_origins.empty()) r.seen.emplace(std::move(key), entry.base);
    }
  }
  if (int deep = too_deep_line(text)) {
    Origin at = origin_of(entry, deep);
    throw ConfigError(at.file, at.line, "",
                      "lists and maps are nested too deeply (more than " +
                          std::to_string(limits::kMaxNesting) + " levels)");
  }
  std::string padded = "#" + std::string(static_cast<std::size_t>(entry.base - 2), ' ') + "\n";
  padded += text;
  try {
    return YAML::Load(padded);
  } catch (const YAML::ParserException& e) {
    int line = e.mark.line >= 1 ? e.mark.line : 0;  // the prefix line is not the user's
    int reported = line;
    std::string hint =
        syntax_hint(text, line, e.msg, [&](int l) { return origin_of(entry, l).line; });
    std::string where = e.mark.column >= 0 && line == reported && reported > 0
                            ? " at column " + std::to_string(e.mark.column + 1)
                            : "";
    Origin at = origin_of(entry, line);
    throw ConfigError(at.file, at.line, "", "YAML syntax error" + where + ": " + e.msg + hint);
  } catch (const YAML::Exception& e) {
    Origin at = origin_of(entry, e.mark.line >= 1 ? e.mark.line : 0);
    throw ConfigError(at.file, at.line, "", "YAML error: " + e.msg);
  }
}

std::optional<Origin> locate(const YAML::Node& node) {
  if (!node) return std::nullopt;
  YAML::Mark m = node.Mark();
  if (m.pos < 0) {
    // Built by a merge or a copy: the first entry's place.
    if (node.IsMap() && node.size() > 0) return locate(node.begin()->first);
    if (node.IsSequence() && node.size() > 0) return locate(node[0]);
    return std::nullopt;
  }
  Registry& r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  auto it = std::upper_bound(r.texts.begin(), r.texts.end(), static_cast<std::int64_t>(m.pos),
                             [](std::int64_t pos, const Text& t) { return pos < t.base; });
  if (it == r.texts.begin()) return std::nullopt;
  --it;
  if (m.pos > it->base + it->size) return std::nullopt;
  return origin_of(*it, m.line);  // line 0 is the prefix: the user's line 1 is mark line 1
}

}  // namespace loopsim::frontend
