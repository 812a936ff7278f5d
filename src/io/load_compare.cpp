// The `compare:` file (docs/compare.md).
#include <filesystem>
#include <set>

#include "loopsim/core/text.hpp"
#include "loopsim/io/compare_spec.hpp"
#include "yaml_cursor.hpp"

namespace loopsim::io {

namespace fs = std::filesystem;

namespace {

SourceLoc loc_of(const Cursor& c) { return SourceLoc{c.file(), c.line(), c.path()}; }

// A file path relative to the compare file's folder; it must exist.
std::string existing_path(const Cursor& c, const fs::path& base) {
  std::string s = c.str();
  if (s.empty()) c.fail("expected a file path");
  fs::path p = fs::path(s).is_absolute() ? fs::path(s) : base / s;
  if (!fs::is_regular_file(p)) c.fail("no such file '" + p.string() + "'");
  return p.lexically_normal().string();
}

// A path or a list of paths.
std::vector<std::string> path_list(const Cursor& c, const fs::path& base) {
  std::vector<std::string> out;
  if (c.is_seq()) {
    for (const auto& e : c.items()) out.push_back(existing_path(e, base));
  } else {
    out.push_back(existing_path(c, base));
  }
  return out;
}

}  // namespace

std::string input_kind(const std::string& path) {
  std::string ext = fs::path(path).extension().string();
  if (ext == ".jinja2" || ext == ".j2") return "";
  YAML::Node n;
  try {
    n = load_yaml_file(path);
  } catch (const std::exception&) {
    return "";  // the loader that reads it reports the error
  }
  if (!n.IsMap()) return "";
  for (const char* k : {"compare", "network", "problem"})
    if (n[k]) return k;
  return "";
}

CompareSpec load_compare_file(const std::string& path, Diagnostics* diag) {
  Cursor root(load_yaml_file(path), path, "", diag);
  root.expect_map();
  root.allow_keys({"compare"});
  Cursor c = root.required("compare");
  c.expect_map();
  c.allow_keys({"workload", "layers", "max_evaluations", "seed", "architecture", "energy",
                "equal_area", "configs", "description"});
  const fs::path base = fs::path(path).parent_path();
  CompareSpec spec;
  spec.file = path;
  if (auto w = c.optional("workload")) spec.workload = existing_path(*w, base);
  if (auto l = c.optional("layers")) {
    spec.layers_loc = loc_of(*l);
    if (l->is_seq())
      for (const auto& e : l->items()) spec.layers.push_back(e.str());
    else
      spec.layers.push_back(l->str());
  }
  if (auto m = c.optional("max_evaluations"))
    spec.max_evaluations = m->integer_in(1, std::int64_t{1} << 40, "a number of candidates");
  if (auto s = c.optional("seed")) spec.seed = s->integer_in(0, std::int64_t{1} << 53, "a seed");
  std::vector<std::string> arch_default, energy_default;
  if (auto a = c.optional("architecture")) arch_default = path_list(*a, base);
  if (auto e = c.optional("energy")) energy_default = path_list(*e, base);
  if (auto ea = c.optional("equal_area")) {
    ea->expect_map();
    ea->allow_keys({"budget_um2", "trade", "max_glb_words"});
    EqualAreaSpec e;
    e.loc = loc_of(*ea);
    Cursor b = ea->required("budget_um2");
    if (b.is_scalar() && b.str() == "template") {
      e.budget_um2 = -1;  // the template's own storage area
    } else {
      e.budget_um2 = b.number();
      if (!(e.budget_um2 > 0) || e.budget_um2 > 1e15)
        b.fail("expected an area in um^2 above 0 (or 'template'), got '" + b.str() + "'");
    }
    Cursor t = ea->required("trade");
    auto items = t.is_seq() ? t.items() : std::vector<Cursor>{};
    if (items.size() != 2)
      t.fail("expected [PE-local level, global buffer level], e.g. [pe_spad, shared_glb]");
    e.pe_level = items[0].str();
    e.glb_level = items[1].str();
    if (auto m = ea->optional("max_glb_words"))
      e.max_glb_words = m->integer_in(1, std::int64_t{1} << 40, "a number of words");
    spec.equal_area = e;
  }
  Cursor cfgs = c.required("configs");
  if (!cfgs.is_seq()) cfgs.fail("expected a list of configs ({name, architecture, dataflow, ...})");
  auto items = cfgs.items();
  if (items.empty()) cfgs.fail("the config list is empty: give at least one config");
  std::set<std::string> names;
  for (const auto& e : items) {
    e.expect_map();
    e.allow_keys(
        {"name", "architecture", "dataflow", "constraints", "energy", "pe_words", "description"});
    CompareConfigSpec cs;
    cs.loc = loc_of(e);
    Cursor n = e.required("name");
    cs.name = n.str();
    if (cs.name.empty() || cs.name == "total" ||
        cs.name.find_first_of(",\"\n") != std::string::npos)
      n.fail("expected a config name without commas or quotes (and not 'total'), got '" + cs.name +
             "'");
    if (!names.insert(cs.name).second) n.fail("config name '" + cs.name + "' is used twice");
    auto a = e.optional("architecture");
    if (!a && arch_default.empty())
      e.fail("missing required key 'architecture' (or compare.architecture for every config)");
    cs.files = a ? path_list(*a, base) : arch_default;
    if (auto k = e.optional("constraints")) {
      auto more = path_list(*k, base);
      cs.files.insert(cs.files.end(), more.begin(), more.end());
    }
    auto en = e.optional("energy");
    auto energy = en ? path_list(*en, base) : energy_default;
    cs.files.insert(cs.files.end(), energy.begin(), energy.end());
    if (auto d = e.optional("dataflow")) {
      cs.dataflow = d->str();
      cs.dataflow_loc = loc_of(*d);
      fs::path p = base / cs.dataflow;
      if (cs.dataflow.find('/') != std::string::npos || fs::is_regular_file(p))
        cs.dataflow = existing_path(*d, base);
    }
    if (auto p = e.optional("pe_words")) {
      if (!spec.equal_area) p->fail("pe_words needs compare.equal_area (the trade it sizes)");
      cs.pe_words = p->integer_in(1, std::int64_t{1} << 32, "a number of words");
    }
    spec.configs.push_back(std::move(cs));
  }
  return spec;
}

}  // namespace loopsim::io
