// Loading one input file into its resolved tree: render (when a template), parse with
// provenance, replace include placeholders and tags by the included files' trees, merge,
// drop `*ignore*` keys. Map:
//   load_with_dirs -> render_template (render.cpp) / parse_yaml_text (sources.cpp)
//                  -> resolve_includes -> resolve_merges (merge.cpp)
#include "loopsim/frontend/frontend.hpp"

#include <glob.h>

#include <filesystem>

#include "loopsim/core/error.hpp"
#include "loopsim/core/text.hpp"
#include "render.hpp"

namespace fs = std::filesystem;

namespace loopsim::frontend {

namespace {

constexpr int kMaxDepth = 32;

struct Context {
  std::string file;
  const Options& options;
  std::vector<std::string> dirs;
  int depth;
};

[[noreturn]] void fail_at(const YAML::Node& n, const std::string& fallback_file,
                          const std::string& msg) {
  auto at = locate(n);
  throw ConfigError(at ? at->file : fallback_file, at ? at->line : 0, "", msg);
}

std::vector<std::string> glob_files(const std::string& pattern) {
  std::vector<std::string> out;
  glob_t g{};
  if (::glob(pattern.c_str(), 0, nullptr, &g) == 0)
    for (std::size_t i = 0; i < g.gl_pathc; ++i)
      if (fs::is_regular_file(g.gl_pathv[i])) out.emplace_back(g.gl_pathv[i]);
  globfree(&g);
  return out;
}

// The value at a dotted key path ("compound_components.classes") of an included tree.
YAML::Node select_key(const YAML::Node& tree, const std::string& key, const YAML::Node& where,
                      const Context& ctx, const std::string& from) {
  YAML::Node cur = tree;
  if (key.empty()) return cur;
  std::size_t start = 0;
  while (start <= key.size()) {
    std::size_t end = key.find('.', start);
    if (end == std::string::npos) end = key.size();
    std::string part = key.substr(start, end - start);
    std::vector<std::string> have;
    YAML::Node next(YAML::NodeType::Undefined);
    if (cur.IsMap())
      for (auto it = cur.begin(); it != cur.end(); ++it) {
        if (!it->first.IsScalar()) continue;
        have.push_back(it->first.Scalar());
        if (it->first.Scalar() == part) next = it->second;
      }
    if (!next.IsDefined())
      fail_at(where, ctx.file,
              "include of '" + from + "': no key '" + part + "' (of '" + key + "') in it" +
                  did_you_mean(part, have) + (have.empty() ? "" : "; it has: " + join(have)));
    cur = next;
    start = end + 1;
  }
  return cur;
}

YAML::Node resolve_includes(YAML::Node n, const Context& ctx);

// A `!loopsim_include [mode, key, include_dirs, files...]` placeholder of include() or
// include_all() in a rendered template.
YAML::Node placeholder(const YAML::Node& n, const Context& ctx) {
  if (!n.IsSequence() || n.size() < 4) fail_at(n, ctx.file, "malformed !loopsim_include");
  std::string mode = n[0].Scalar(), key = n[1].Scalar();
  std::vector<std::string> dirs;
  for (const auto& d : n[2]) dirs.push_back(d.Scalar());
  std::vector<YAML::Node> parts;
  for (std::size_t i = 3; i < n.size(); ++i) {
    std::string f = n[i].Scalar();
    parts.push_back(
        select_key(detail::load_with_dirs(f, ctx.options, dirs, ctx.depth + 1), key, n, ctx, f));
  }
  if (mode == "one") return parts.front();
  // include_all: the values of every file, lists joined into one list.
  YAML::Node out(YAML::NodeType::Sequence);
  for (const auto& p : parts) {
    if (p.IsSequence())
      for (const auto& item : p) out.push_back(item);
    else
      out.push_back(p);
  }
  return out;
}

// `!include path`, `!include_all glob`, `!includedir dir`: relative to the including file.
YAML::Node include_tag(const YAML::Node& n, const std::string& tag, const Context& ctx) {
  if (!n.IsScalar() || n.Scalar().empty()) fail_at(n, ctx.file, tag + " expects a file path");
  std::string p = n.Scalar();
  if (!p.empty() && p.back() == ',') p.pop_back();
  fs::path base = fs::path(ctx.file).parent_path();
  std::string full = fs::path(p).is_absolute() ? p : (base / p).lexically_normal().string();
  if (tag == "!include") {
    if (!fs::is_regular_file(full)) fail_at(n, ctx.file, "!include: no file '" + full + "'");
    return detail::load_with_dirs(full, ctx.options, ctx.dirs, ctx.depth + 1);
  }
  std::string pattern = tag == "!includedir" ? full + "/*.yaml" : full;
  auto files = glob_files(pattern);
  if (files.empty()) fail_at(n, ctx.file, tag + ": no file matches '" + pattern + "'");
  YAML::Node out(YAML::NodeType::Sequence);
  for (const auto& f : files)
    out.push_back(detail::load_with_dirs(f, ctx.options, ctx.dirs, ctx.depth + 1));
  return out;
}

YAML::Node resolve_includes(YAML::Node n, const Context& ctx) {
  const std::string& tag = n.Tag();
  if (tag == "!loopsim_include") return placeholder(n, ctx);
  if (tag == "!include" || tag == "!include_all" || tag == "!includedir")
    return include_tag(n, tag, ctx);
  if (n.IsMap()) {
    for (auto it = n.begin(); it != n.end(); ++it) {
      YAML::Node v = it->second;
      YAML::Node r = resolve_includes(v, ctx);
      if (!r.is(v)) v = r;  // the map's value now is the included tree
    }
  } else if (n.IsSequence()) {
    for (std::size_t i = 0; i < n.size(); ++i) {
      YAML::Node v = n[i];
      YAML::Node r = resolve_includes(v, ctx);
      if (!r.is(v)) v = r;
    }
  }
  return n;
}

// Lines that are only `!include PATH` (Accelergy's older loader, still in timeloop-python's
// raella example): replaced by that file's text, so its anchors serve the rest of this file.
// `origins` (per line of `text`) is extended alongside.
void paste_line_includes(std::string& text, std::vector<Origin>& origins, const std::string& file,
                         int depth) {
  if (text.find("!include") == std::string::npos) return;
  std::string out;
  std::vector<Origin> out_origins;
  std::size_t start = 0, index = 0;
  bool pasted = false;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string row = text.substr(start, end - start);
    Origin at = index < origins.size() ? origins[index] : Origin{file, static_cast<int>(index) + 1};
    std::size_t lead = row.find_first_not_of(" \t");
    std::string body = lead == std::string::npos ? "" : row.substr(lead);
    while (!body.empty() && (body.back() == ' ' || body.back() == '\r')) body.pop_back();
    if (body.rfind("!include ", 0) == 0 && body.find(':') == std::string::npos) {
      if (depth > kMaxDepth)
        throw ConfigError(at.file, at.line, "", "!include lines nest too deep");
      std::string p = body.substr(9);
      fs::path full = fs::path(p).is_absolute() ? fs::path(p) : fs::path(at.file).parent_path() / p;
      if (!fs::is_regular_file(full))
        throw ConfigError(at.file, at.line, "",
                          "!include: no file '" + full.lexically_normal().string() + "'");
      std::string inner = read_text_file(full.lexically_normal().string());
      std::vector<Origin> inner_origins;
      paste_line_includes(inner, inner_origins, full.lexically_normal().string(), depth + 1);
      std::string indent = row.substr(0, lead);
      std::size_t s2 = 0, k = 0;
      while (s2 <= inner.size()) {
        std::size_t e2 = inner.find('\n', s2);
        if (e2 == std::string::npos) e2 = inner.size();
        out += indent + inner.substr(s2, e2 - s2) + "\n";
        out_origins.push_back(k < inner_origins.size() ? inner_origins[k]
                                                       : Origin{full.lexically_normal().string(),
                                                                static_cast<int>(k) + 1});
        s2 = e2 + 1;
        ++k;
      }
      pasted = true;
    } else {
      out += row + (end < text.size() ? "\n" : "");
      out_origins.push_back(at);
    }
    start = end + 1;
    ++index;
  }
  if (!pasted) return;
  text = std::move(out);
  origins = std::move(out_origins);
}

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

namespace detail {

YAML::Node load_with_dirs(const std::string& path, const Options& options,
                          const std::vector<std::string>& include_dirs, int depth) {
  if (depth > kMaxDepth)
    throw ConfigError(path, 0, "",
                      "includes nest more than " + std::to_string(kMaxDepth) +
                          " deep; does a file include itself?");
  std::string text = read_text_file(path);
  std::vector<Origin> origins;
  if (ends_with(path, ".cfg")) {
    text = libconfig_to_yaml(text);
  } else if (is_template(path, text)) {
    Rendered r = render_template(path, options, include_dirs);
    text = std::move(r.text);
    origins = std::move(r.origins);
  }
  paste_line_includes(text, origins, path, depth);
  YAML::Node root = parse_yaml_text(text, path, origins);
  Context ctx{path, options, include_dirs, depth};
  root = resolve_includes(root, ctx);
  return resolve_merges(root);
}

}  // namespace detail

bool is_template(const std::string& path, const std::string& text) {
  for (const char* ext : {".jinja2", ".j2", ".jinja"})
    if (ends_with(path, ext)) return true;
  return text.find("{{") != std::string::npos || text.find("{%") != std::string::npos ||
         text.find("{#") != std::string::npos;
}

YAML::Node load_file(const std::string& path, const Options& options) {
  return detail::load_with_dirs(path, options, {}, 0);
}

namespace {
// Block style for every map or list that holds maps or lists (flow input such as a .cfg file
// would print on one line); lists and maps of scalars stay as written.
bool block_style(YAML::Node n) {
  if (!n.IsMap() && !n.IsSequence()) return false;
  bool nested = false;
  if (n.IsMap())
    for (auto it = n.begin(); it != n.end(); ++it) nested |= block_style(it->second);
  else
    for (auto item : n) nested |= block_style(item);
  if (nested) n.SetStyle(YAML::EmitterStyle::Block);
  return true;
}
}  // namespace

std::string render_trees(const std::vector<std::pair<std::string, YAML::Node>>& trees) {
  std::string out;
  for (const auto& [f, t] : trees) {
    YAML::Emitter e;
    YAML::Node tree = t;
    block_style(tree);
    e << tree;
    if (trees.size() > 1) out += "--- # " + f + "\n";
    out += e.c_str();
    out += "\n";
  }
  return out;
}

std::string render_only(const std::vector<std::string>& files, const Options& options) {
  std::vector<std::pair<std::string, YAML::Node>> trees;
  for (const auto& f : files) trees.emplace_back(f, load_file(f, options));
  return render_trees(trees);
}

std::pair<std::string, std::string> parse_var(const std::string& arg) {
  auto eq = arg.find('=');
  if (eq == std::string::npos || eq == 0)
    throw ConfigError(
        "<command line>", 0, "--var",
        "expected NAME=VALUE (a Jinja2 variable of the templates), got '" + arg + "'");
  return {arg.substr(0, eq), arg.substr(eq + 1)};
}

std::pair<std::string, std::string> parse_set(const std::string& arg) {
  auto eq = arg.find('=');
  if (eq == std::string::npos || eq == 0)
    throw ConfigError("--set", 0, "",
                      "expected PATH=VALUE (e.g. variables.GLB_DEPTH=32768), got '" + arg + "'");
  return {arg.substr(0, eq), arg.substr(eq + 1)};
}

}  // namespace loopsim::frontend
