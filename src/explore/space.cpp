// The sweep file (docs/sweep.md): `sweep:` parsed into a SweepSpec, and its expansion into
// points (grid with zip groups, zip, random, Latin hypercube), then the parameter filters.
// Map: load_sweep -> parse_parameter (values, range, expr) -> expand -> combine_* ->
// derive (expressions) -> filters.
#include "loopsim/explore/space.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>

#include "loopsim/core/error.hpp"
#include "loopsim/core/expr.hpp"
#include "loopsim/core/text.hpp"
#include "loopsim/frontend/frontend.hpp"
#include "point_internal.hpp"

namespace fs = std::filesystem;

namespace loopsim::explore {

namespace {

constexpr std::size_t kMaxValues = 1000000;

// A node with its key path, for errors at its file and line.
struct Node {
  YAML::Node n;
  std::string path;
  std::string file;
  [[nodiscard]] Place place() const {
    auto at = frontend::locate(n);
    return Place{at ? at->file : file, at ? at->line : 0, path};
  }
  [[noreturn]] void fail(const std::string& msg) const {
    Place p = place();
    throw ConfigError(p.file, p.line, p.key_path, msg);
  }
  [[nodiscard]] std::optional<Node> get(const std::string& key) const {
    if (!n.IsMap()) return std::nullopt;
    for (auto it = n.begin(); it != n.end(); ++it)
      if (it->first.IsScalar() && it->first.Scalar() == key)
        return Node{it->second, path + "." + key, file};
    return std::nullopt;
  }
  [[nodiscard]] std::vector<std::pair<std::string, Node>> entries() const {
    if (!n.IsMap()) fail("expected a map");
    std::vector<std::pair<std::string, Node>> out;
    for (auto it = n.begin(); it != n.end(); ++it)
      out.emplace_back(it->first.Scalar(), Node{it->second, path + "." + it->first.Scalar(), file});
    return out;
  }
  [[nodiscard]] std::vector<Node> items() const {
    if (!n.IsSequence()) fail("expected a list");
    std::vector<Node> out;
    for (std::size_t i = 0; i < n.size(); ++i)
      out.push_back(Node{n[i], path + "[" + std::to_string(i) + "]", file});
    return out;
  }
  [[nodiscard]] std::string str() const {
    if (!n.IsScalar()) fail("expected a single value");
    return n.Scalar();
  }
  [[nodiscard]] double number() const {
    auto v = parse_number(str());
    if (!v || !std::isfinite(*v)) fail("expected a number, got '" + str() + "'");
    return *v;
  }
  [[nodiscard]] std::int64_t integer(std::int64_t lo, std::int64_t hi) const {
    double v = number();
    if (std::floor(v) != v || v < double(lo) || v > double(hi))
      fail("expected a whole number from " + std::to_string(lo) + " to " + std::to_string(hi) +
           ", got '" + str() + "'");
    return static_cast<std::int64_t>(v);
  }
  void allow(const std::vector<std::string>& keys) const {
    for (const auto& [k, v] : entries())
      if (std::find(keys.begin(), keys.end(), k) == keys.end())
        Node{v.n, path + "." + k, file}.fail("unknown key '" + k + "'" + did_you_mean(k, keys) +
                                             "; expected one of: " + join(keys));
  }
};

std::vector<std::string> range_values(const Node& r) {
  r.allow({"from", "to", "step", "factor"});
  auto from = r.get("from"), to = r.get("to");
  if (!from || !to) r.fail("a range needs 'from' and 'to' (and 'step' or 'factor')");
  double a = from->number(), b = to->number();
  auto step = r.get("step"), factor = r.get("factor");
  if (!!step == !!factor)
    r.fail("a range needs exactly one of 'step' (linear) or 'factor' (geometric)");
  std::vector<std::string> out;
  if (step) {
    double s = step->number();
    if (s == 0) step->fail("a range's step must not be 0");
    if ((b - a) / s < 0)
      step->fail("the step goes away from 'to': no value after 'from' reaches it");
    double count = std::floor((b - a) / s * (1 + 1e-12) + 1e-9) + 1;
    if (count > double(kMaxValues)) step->fail("the range has more than 1000000 values");
    for (std::int64_t i = 0; i < static_cast<std::int64_t>(count); ++i)
      out.push_back(number_text(a + double(i) * s));
  } else {
    double f = factor->number();
    if (f <= 0 || f == 1) factor->fail("a geometric range's factor must be > 0 and not 1");
    if (a == 0 || (a > 0) != (b > 0))
      r.fail("a geometric range needs 'from' and 'to' of the same sign, not 0");
    double count = std::floor(std::log(b / a) / std::log(f) + 1e-9) + 1;
    if (!(count >= 1))
      factor->fail("the factor goes away from 'to': no value after 'from' reaches it");
    if (count > double(kMaxValues)) factor->fail("the range has more than 1000000 values");
    double v = a;
    for (std::int64_t i = 0; i < static_cast<std::int64_t>(count); ++i, v *= f)
      out.push_back(number_text(std::round(v * 1e9) / 1e9 == std::round(v) ? std::round(v) : v));
  }
  return out;
}

std::vector<std::string> list_values(const Node& v) {
  std::vector<std::string> out;
  if (v.n.IsScalar()) return {v.str()};
  for (const auto& item : v.items()) {
    std::string s = item.str();
    auto num = parse_number(s);
    out.push_back(num ? number_text(*num) : s);
  }
  if (out.empty()) v.fail("expected at least one value");
  return out;
}

Parameter parse_parameter(const std::string& name, const Node& p) {
  Parameter out;
  out.name = name;
  out.where = p.place();
  if (p.n.IsSequence() || p.n.IsScalar())
    p.fail(
        "expected a map: {set: PATH, values: [...]} (or range:, expr:), {dataflow: [...]}, "
        "{workload: [...]}, {mapping: [...]} or {mapper: SETTING, values: [...]}");
  p.allow({"set", "values", "range", "expr", "dataflow", "workload", "mapping", "mapper"});
  int kinds = 0;
  for (const char* k : {"set", "dataflow", "workload", "mapping", "mapper"}) kinds += !!p.get(k);
  if (kinds > 1) p.fail("a parameter has one of set, dataflow, workload, mapping or mapper");
  for (auto [key, kind] :
       {std::pair{"dataflow", ParamKind::Dataflow}, std::pair{"workload", ParamKind::Workload},
        std::pair{"mapping", ParamKind::Mapping}}) {
    if (auto v = p.get(key)) {
      out.kind = kind;
      if (p.get("values") || p.get("range") || p.get("expr"))
        p.fail(std::string("a ") + key + " parameter lists its values under '" + key + "'");
      out.values = list_values(*v);
      return out;
    }
  }
  if (auto m = p.get("mapper")) {
    out.kind = ParamKind::Mapper;
    out.target = m->str();
    const std::vector<std::string> settings = {"algorithm", "max_evaluations", "seed"};
    if (std::find(settings.begin(), settings.end(), out.target) == settings.end())
      m->fail("unknown mapper setting '" + out.target + "'" + did_you_mean(out.target, settings) +
              "; a sweep can vary: " + join(settings));
  } else if (auto s = p.get("set")) {
    out.target = s->str();
    out.where = s->place();
    if (out.target.find('.') == std::string::npos)
      s->fail("expected a path below a top-level key, such as variables." + out.target);
  }
  int given = !!p.get("values") + !!p.get("range") + !!p.get("expr");
  if (given != 1) p.fail("a parameter needs exactly one of 'values', 'range' or 'expr'");
  if (auto v = p.get("values")) out.values = list_values(*v);
  if (auto r = p.get("range")) out.values = range_values(*r);
  if (auto e = p.get("expr")) {
    out.expr = e->str();
    out.where = e->place();
  }
  return out;
}

// The files `file` includes (!include, include(), line includes; not itself), as the front
// end reads them. A file that does not load records what it read up to its error (the
// point reports the error).
std::vector<std::string> included_files(const std::string& file, bool* has_ert = nullptr) {
  frontend::ReadRecorder rec;
  try {
    YAML::Node tree = frontend::load_file(file);
    if (has_ert && tree.IsMap() && (tree["ERT"] || tree["ERT_summary"])) *has_ert = true;
  } catch (const ConfigError&) {
  }
  std::vector<std::string> out;
  for (const auto& f : rec.files())
    if (f != file) out.push_back(f);
  return out;
}

// A simple, portable generator (std::mt19937_64 is specified; its distributions are not).
struct Rng {
  std::mt19937_64 g;
  explicit Rng(std::uint64_t seed) : g(seed) {}
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(g() % n); }
  double unit() { return static_cast<double>(g() >> 11) * 0x1.0p-53; }
};

}  // namespace

std::string number_text(double v) {
  if (std::floor(v) == v && std::fabs(v) < 9007199254740992.0) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(v));
    return buf;
  }
  char buf[40];
  for (int digits = 15; digits <= 17; ++digits) {
    std::snprintf(buf, sizeof buf, "%.*g", digits, v);
    if (std::strtod(buf, nullptr) == v) break;
  }
  return buf;
}

const std::vector<std::string>& objective_names() {
  static const std::vector<std::string> k = {"energy_pj", "cycles", "edp", "area_um2",
                                             "energy_per_mac_pj"};
  return k;
}

int SweepSpec::index_of(const std::string& name) const {
  for (std::size_t i = 0; i < params.size(); ++i)
    if (params[i].name == name) return static_cast<int>(i);
  return -1;
}

std::optional<double> numeric_value(const std::string& text) { return parse_number(text); }

SweepSpec load_sweep(const std::string& path,
                     const std::function<std::string(const std::string&)>& dataflow_path) {
  Node root{frontend::load_file(path), "", path};
  if (!root.n.IsMap()) root.fail("expected a map with a 'sweep:' key");
  root.allow({"sweep"});
  auto s = root.get("sweep");
  if (!s) root.fail("no 'sweep:' key");
  Node sw{s->n, "sweep", path};
  sw.allow({"inputs", "run", "mapper", "parameters", "combine", "zip", "samples", "seed", "filters",
            "objectives", "energy", "network"});
  SweepSpec spec;
  spec.file = path;
  fs::path dir = fs::path(path).parent_path();
  auto inputs = sw.get("inputs");
  if (!inputs) sw.fail("no 'inputs:' (the base input files: architecture, workload, ...)");
  for (const auto& f : inputs->items()) {
    fs::path p = fs::path(f.str());
    std::string full = (p.is_absolute() ? p : dir / p).lexically_normal().string();
    if (!fs::is_regular_file(full)) f.fail("no input file '" + full + "'");
    spec.inputs.push_back(full);
    spec.included[full] = included_files(full, &spec.has_ert);
  }
  if (auto r = sw.get("run")) {
    std::string v = r->str();
    if (v == "map")
      spec.run = RunKind::Map;
    else if (v == "model")
      spec.run = RunKind::Model;
    else if (v == "network")
      spec.run = RunKind::Network;
    else
      r->fail("expected 'map', 'model' or 'network', got '" + v + "'" +
              did_you_mean(v, {"map", "model", "network"}));
  }
  if (auto n = sw.get("network")) {
    if (spec.run != RunKind::Network) n->fail("a network file is for run: network");
    fs::path p = fs::path(n->str());
    std::string full = (p.is_absolute() ? p : dir / p).lexically_normal().string();
    if (!fs::is_regular_file(full)) n->fail("no network file '" + full + "'");
    spec.network = full;
    spec.loaded_network = load_sweep_network(full);
    spec.included[full] = spec.loaded_network->included;
  } else if (spec.run == RunKind::Network) {
    sw.fail("run: network needs 'network: FILE' (a network of docs/network.md)");
  }
  if (auto e = sw.get("energy")) {
    std::string v = e->str();
    if (v == "reestimate")
      spec.energy = frontend::ErtPolicy::Reestimate;
    else if (v == "pin")
      spec.energy = frontend::ErtPolicy::Pin;
    else
      e->fail("expected 'reestimate' or 'pin', got '" + v + "'" +
              did_you_mean(v, {"reestimate", "pin"}));
  }
  if (auto m = sw.get("mapper")) {
    m->allow({"algorithm", "max_evaluations", "seed"});
    if (auto a = m->get("algorithm")) spec.mapper.algorithm = a->str();
    if (auto e = m->get("max_evaluations"))
      spec.mapper.max_evaluations = e->integer(1, std::int64_t(1) << 50);
    if (auto e = m->get("seed"))
      spec.mapper.seed = static_cast<std::uint64_t>(e->integer(0, std::int64_t(1) << 50));
  }
  if (spec.run != RunKind::Model && spec.mapper.max_evaluations == 0 &&
      spec.mapper.algorithm != "optimal")
    sw.fail(
        "a mapping sweep needs a result that does not depend on timing: give "
        "mapper: {max_evaluations: N} (with a seed) or mapper: {algorithm: optimal}");
  auto params = sw.get("parameters");
  if (!params) sw.fail("no 'parameters:'");
  for (const auto& [name, p] : params->entries()) {
    Parameter par = parse_parameter(name, p);
    if (par.kind == ParamKind::Dataflow)
      for (std::size_t i = 0; i < par.values.size(); ++i) try {
          (void)dataflow_path(par.values[i]);
        } catch (const ConfigError& e) {
          Node at = p.get("dataflow")->n.IsSequence() ? p.get("dataflow")->items()[i]
                                                      : *p.get("dataflow");
          at.fail(e.message());
        }
    if (par.kind == ParamKind::Workload || par.kind == ParamKind::Mapping)
      for (auto& v : par.values) {
        fs::path f = fs::path(v).is_absolute() ? fs::path(v) : dir / v;
        if (!fs::is_regular_file(f)) p.fail("no file '" + f.lexically_normal().string() + "'");
        spec.included[f.lexically_normal().string()] = included_files(f.lexically_normal().string());
      }
    if (par.kind == ParamKind::Mapping && spec.run != RunKind::Model)
      p.fail("a mapping parameter needs run: model");
    if (par.kind == ParamKind::Workload && spec.run == RunKind::Network)
      p.fail("a workload parameter is for run: map or model (the network gives the workloads)");
    spec.params.push_back(std::move(par));
  }
  if (spec.params.empty()) params->fail("expected at least one parameter");
  auto swept = std::count_if(spec.params.begin(), spec.params.end(),
                             [](const Parameter& p) { return !p.derived(); });
  if (swept == 0) params->fail("every parameter is an expression: nothing is swept");
  if (auto c = sw.get("combine")) {
    std::string v = c->str();
    const std::vector<std::string> ways = {"grid", "zip", "random", "latin-hypercube"};
    if (v == "grid")
      spec.combine = Combine::Grid;
    else if (v == "zip")
      spec.combine = Combine::Zip;
    else if (v == "random")
      spec.combine = Combine::Random;
    else if (v == "latin-hypercube")
      spec.combine = Combine::LatinHypercube;
    else
      c->fail("unknown combination '" + v + "'" + did_you_mean(v, ways) +
              "; expected one of: " + join(ways));
  }
  if (auto z = sw.get("zip")) {
    if (spec.combine != Combine::Grid) z->fail("zip groups are for combine: grid");
    for (const auto& g : z->items()) {
      std::vector<int> group;
      for (const auto& name : g.items()) {
        int i = spec.index_of(name.str());
        if (i < 0 || spec.params[i].derived()) name.fail("no swept parameter '" + name.str() + "'");
        for (const auto& other : spec.zip_groups)
          if (std::find(other.begin(), other.end(), i) != other.end())
            name.fail("parameter '" + name.str() + "' is in two zip groups");
        if (!group.empty() && spec.params[i].values.size() != spec.params[group[0]].values.size())
          name.fail("parameters zipped together need as many values each ('" + name.str() +
                    "' has " + std::to_string(spec.params[i].values.size()) + ", '" +
                    spec.params[group[0]].name + "' " +
                    std::to_string(spec.params[group[0]].values.size()) + ")");
        group.push_back(i);
      }
      spec.zip_groups.push_back(group);
    }
  }
  if (auto n = sw.get("samples")) spec.samples = static_cast<int>(n->integer(1, 10000000));
  if (auto n = sw.get("seed"))
    spec.seed = static_cast<std::uint64_t>(n->integer(0, std::int64_t(1) << 50));
  bool sampled = spec.combine == Combine::Random || spec.combine == Combine::LatinHypercube;
  if (sampled && spec.samples == 0) sw.fail("random and latin-hypercube need 'samples: N'");
  if (!sampled && sw.get("samples"))
    sw.get("samples")->fail("samples are for combine: random or latin-hypercube");
  if (spec.combine == Combine::Zip)
    for (const auto& p : spec.params)
      if (!p.derived() && p.values.size() != spec.params[0].values.size())
        throw ConfigError(p.where.file, p.where.line, p.where.key_path,
                          "combine: zip needs as many values in every parameter");
  if (auto f = sw.get("filters"))
    for (const auto& e : f->items()) {
      Filter flt{e.str(), e.place(), false};
      // Names of figures (area_um2, ...) make a filter one of a loaded point.
      std::string word;
      for (char ch : flt.expr + " ") {
        if (std::isalnum(static_cast<unsigned char>(ch)) || ch == '_') {
          word += ch;
          continue;
        }
        flt.uses_figures |= word == "area_um2";
        word.clear();
      }
      spec.filters.push_back(flt);
    }
  if (auto o = sw.get("objectives")) {
    for (const auto& e : o->items()) {
      std::string v = e.str();
      if (std::find(objective_names().begin(), objective_names().end(), v) ==
          objective_names().end())
        e.fail("unknown objective '" + v + "'" + did_you_mean(v, objective_names()) +
               "; expected one of: " + join(objective_names()));
      spec.objectives.push_back(v);
    }
  }
  if (spec.objectives.empty()) spec.objectives = {"energy_pj", "cycles"};
  return spec;
}

double evaluate_over(const SweepSpec& spec, const Point& p, const std::string& expr,
                     const Place& where,
                     const std::vector<std::pair<std::string, double>>& figures) {
  std::string unknown;
  try {
    return evaluate_expression(expr, [&](const std::string& name) -> std::optional<double> {
      for (const auto& [k, v] : figures)
        if (k == name) return v;
      int i = spec.index_of(name);
      if (i < 0 || static_cast<std::size_t>(i) >= p.values.size() ||
          (p.values[i].empty() && spec.params[i].derived())) {
        unknown = name;
        return std::nullopt;
      }
      auto v = numeric_value(p.values[i]);
      if (!v)
        throw ConfigError(
            where.file, where.line, where.key_path,
            "parameter '" + name + "' is not a number (a value is '" + p.values[i] + "')");
      return v;
    });
  } catch (const ExprError& e) {
    std::string msg = std::string("cannot evaluate '") + expr + "': " + e.what();
    if (!unknown.empty()) {
      std::vector<std::string> names;
      for (const auto& q : spec.params) names.push_back(q.name);
      for (const auto& [k, v] : figures) names.push_back(k);
      msg = "'" + expr + "' names '" + unknown + "', which is no parameter" +
            did_you_mean(unknown, names) + "; parameters: " + join(names);
    }
    throw ConfigError(where.file, where.line, where.key_path, msg);
  }
}

std::vector<Point> expand(const SweepSpec& spec) {
  std::vector<int> swept;
  for (std::size_t i = 0; i < spec.params.size(); ++i)
    if (!spec.params[i].derived()) swept.push_back(static_cast<int>(i));
  std::vector<std::vector<std::size_t>> picks;  // per point, a value index per swept param
  if (spec.combine == Combine::Zip) {
    for (std::size_t k = 0; k < spec.params[swept[0]].values.size(); ++k)
      picks.emplace_back(swept.size(), k);
  } else if (spec.combine == Combine::Grid) {
    // Axes: zip groups and the other parameters, in the order of their first parameter.
    std::vector<std::vector<int>> axes;
    for (int i : swept) {
      std::vector<int> axis{i};
      for (const auto& g : spec.zip_groups)
        if (std::find(g.begin(), g.end(), i) != g.end()) axis = g;
      if (std::find(axes.begin(), axes.end(), axis) == axes.end()) axes.push_back(axis);
    }
    double total = 1;
    for (const auto& a : axes) total *= double(spec.params[a[0]].values.size());
    if (total > double(kMaxValues) * 10)
      throw ConfigError(spec.file, 0, "sweep.parameters",
                        "the grid has " + significant(total, 3) + " points; at most 10000000");
    std::vector<std::size_t> idx(axes.size(), 0);
    for (std::size_t n = 0; n < static_cast<std::size_t>(total); ++n) {
      std::vector<std::size_t> pick(swept.size(), 0);
      for (std::size_t a = 0; a < axes.size(); ++a)
        for (int i : axes[a])
          pick[std::find(swept.begin(), swept.end(), i) - swept.begin()] = idx[a];
      picks.push_back(pick);
      for (std::size_t a = axes.size(); a-- > 0;) {  // the last axis varies fastest
        if (++idx[a] < spec.params[axes[a][0]].values.size()) break;
        idx[a] = 0;
      }
    }
  } else {
    Rng rng(spec.seed);
    std::size_t n = static_cast<std::size_t>(spec.samples);
    picks.assign(n, std::vector<std::size_t>(swept.size(), 0));
    for (std::size_t s = 0; s < swept.size(); ++s) {
      std::size_t len = spec.params[swept[s]].values.size();
      if (spec.combine == Combine::Random) {
        for (std::size_t k = 0; k < n; ++k) picks[k][s] = rng.below(len);
      } else {  // one sample in each of n equal strata of the parameter's values
        std::vector<std::size_t> perm(n);
        for (std::size_t k = 0; k < n; ++k) perm[k] = k;
        for (std::size_t k = n; k > 1; --k) std::swap(perm[k - 1], perm[rng.below(k)]);
        for (std::size_t k = 0; k < n; ++k) {
          double u = (double(perm[k]) + rng.unit()) / double(n);
          picks[k][s] = std::min(len - 1, static_cast<std::size_t>(u * double(len)));
        }
      }
    }
  }
  std::vector<Point> out;
  for (const auto& pick : picks) {
    Point p;
    p.values.assign(spec.params.size(), "");
    for (std::size_t s = 0; s < swept.size(); ++s)
      p.values[swept[s]] = spec.params[swept[s]].values[pick[s]];
    for (std::size_t i = 0; i < spec.params.size(); ++i)
      if (spec.params[i].derived())
        p.values[i] =
            number_text(evaluate_over(spec, p, spec.params[i].expr, spec.params[i].where));
    bool keep = true;
    for (const auto& f : spec.filters) {
      if (!f.uses_figures) {
        keep = keep && evaluate_over(spec, p, f.expr, f.where) != 0.0;
      } else if (out.empty()) {  // checked once for unknown names; applied per point later
        std::vector<std::pair<std::string, double>> stub;
        stub.emplace_back("area_um2", 1.0);
        (void)evaluate_over(spec, p, f.expr, f.where, stub);
      }
    }
    if (!keep) continue;
    p.id = static_cast<int>(out.size());
    out.push_back(std::move(p));
  }
  if (out.empty()) {
    const Filter* first = nullptr;
    for (const auto& f : spec.filters)
      if (!f.uses_figures) first = first ? first : &f;
    if (first)
      throw ConfigError(first->where.file, first->where.line, first->where.key_path,
                        "the filters remove every point of the sweep (" +
                            std::to_string(picks.size()) + " before filtering)");
  }
  return out;
}

}  // namespace loopsim::explore
