// problem: {version, shape: {name, dimensions, coefficients, data_spaces}, instance: {...}}
// Keys with hyphens (data-spaces, read-write) are the v0.2/v0.3 spelling.
#include <cctype>
#include <cmath>

#include "io_internal.hpp"
#include "loopsim/core/limits.hpp"
#include "loopsim/core/expr.hpp"
#include "loopsim/core/text.hpp"

namespace loopsim::io {

namespace {

// One projection term: [dim], [dim, coeff] or [coeff, dim].
ProjectionTerm parse_term(const Cursor& t, const Workload& w) {
  std::vector<std::string> names;
  if (t.is_scalar()) {
    names.push_back(t.str());
  } else {
    for (const auto& x : t.items()) names.push_back(x.str());
  }
  if (names.empty() || names.size() > 2)
    t.fail("a projection term is [dimension] or [dimension, coefficient]");
  ProjectionTerm term;
  int dim = -1, coeff = -1;
  for (const auto& n : names) {
    int d = w.dim_index(n), c = w.coeff_index(n);
    if (d >= 0 && dim < 0) {
      dim = d;
    } else if (c >= 0 && coeff < 0) {
      coeff = c;
    } else {
      std::vector<std::string> all = w.dims;
      all.insert(all.end(), w.coeff_names.begin(), w.coeff_names.end());
      t.fail("'" + n + "' is neither a dimension nor a coefficient" + did_you_mean(n, all));
    }
  }
  if (dim < 0) t.fail("a projection term needs a dimension");
  term.dim = dim;
  term.coeff = coeff;
  return term;
}

// A rank written as text: "R*Wdilation + P*Wstride" or "C".
std::vector<ProjectionTerm> parse_rank_text(const Cursor& r, const Workload& w) {
  std::vector<ProjectionTerm> out;
  std::string s = r.str();
  std::string cur;
  auto flush = [&]() {
    std::string term;
    for (char c : cur)
      if (!std::isspace(static_cast<unsigned char>(c))) term += c;
    if (term.empty()) r.fail("empty term in projection '" + s + "'");
    ProjectionTerm t;
    t.dim = -1;
    std::size_t star = term.find('*');
    std::vector<std::string> parts;
    if (star == std::string::npos) parts = {term};
    else parts = {term.substr(0, star), term.substr(star + 1)};
    for (const auto& p : parts) {
      if (p.empty())
        r.fail("term '" + term + "' in projection '" + s +
               "' has an empty factor; expected DIMENSION or DIMENSION*COEFFICIENT");
      if (w.dim_index(p) >= 0 && t.dim < 0) t.dim = w.dim_index(p);
      else if (w.coeff_index(p) >= 0 && t.coeff < 0) t.coeff = w.coeff_index(p);
      else r.fail("'" + p + "' in projection '" + s + "' is neither a dimension nor a coefficient" +
                  did_you_mean(p, w.dims));
    }
    if (t.dim < 0) r.fail("projection term '" + term + "' has no dimension");
    out.push_back(t);
    cur.clear();
  };
  for (char c : s) {
    if (c == '+') flush();
    else cur += c;
  }
  flush();
  return out;
}

// An instance value written as an expression over the top-level variables.
double instance_expression(const Cursor& v, const Variables& vars) {
  std::function<std::optional<double>(const std::string&, int)> lookup =
      [&](const std::string& name, int depth) -> std::optional<double> {
    const AttrValue* a = vars.values.find(name);
    if (!a || a->is_null || depth > 32) return std::nullopt;
    if (auto n = parse_number(a->text)) return *n;
    return evaluate_expression(a->text, [&](const std::string& n) { return lookup(n, depth + 1); });
  };
  try {
    return evaluate_expression(v.str(), [&](const std::string& n) { return lookup(n, 0); });
  } catch (const ExprError& e) {
    v.fail("expected a number, got '" + v.str() + "' (not an expression over the variables either: " +
           e.what() + ")");
  }
}

}  // namespace

Workload parse_problem(const Cursor& problem, const Variables* vars) {
  problem.expect_map();
  // Timeloop's older form gives the bounds directly under problem: (no instance:).
  const bool flat = !problem.optional("instance");
  if (!flat) problem.allow_keys({"version", "shape", "instance"});
  Workload w;
  std::vector<std::optional<Cursor>> coeff_at;  // where each coefficient's default is written
  auto shape = problem.optional("shape");
  if (shape && shape->is_scalar() && !shape->is_null()) {
    // A built-in shape by name (Timeloop's problem-shapes/ files); loopsim has cnn_layer.
    std::string name = shape->str();
    if (name != "cnn_layer" && name != "cnn-layer")
      shape->fail("unknown built-in shape '" + name + "'" +
                  did_you_mean(name, {"cnn_layer", "cnn-layer"}) +
                  "; give the shape (dimensions, data_spaces) or cnn_layer");
  }
  if (!shape || shape->is_null() || shape->is_scalar()) {
    w = Workload::default_cnn_shape();
    // Timeloop's cnn_layer shape names the output channels K; loopsim's default, M.
    const Cursor& bounds = flat ? problem : problem.required("instance");
    if (bounds.is_map() && bounds.optional("K") && !bounds.optional("M"))
      for (auto& d : w.dims)
        if (d == "M") d = "K";
  } else {
    const Cursor& s = *shape;
    s.allow_keys({"name", "dimensions", "coefficients", "data_spaces", "data-spaces"});
    w.shape_name = s.optional("name") ? s.required("name").str() : "";
    auto dims = s.required("dimensions");
    if (dims.is_scalar()) {
      // "[C, M]" written as a flow string is parsed as a list by YAML; a plain "CMRS" too.
      for (char c : dims.str()) w.dims.emplace_back(1, c);
    } else {
      for (const auto& d : dims.items()) {
        std::string n = d.str();
        for (const auto& e : w.dims)
          if (e == n) d.fail("dimension '" + n + "' is listed twice");
        w.dims.push_back(n);
      }
    }
    if (w.dims.empty()) dims.fail("at least one dimension is needed");
    if (static_cast<int>(w.dims.size()) > kMaxDims)
      dims.fail("at most " + std::to_string(kMaxDims) + " dimensions are supported");
    w.bounds.assign(w.dims.size(), 1);
    if (auto coeffs = s.optional("coefficients"); coeffs && !coeffs->is_null()) {
      for (const auto& c : coeffs->items()) {
        c.allow_keys({"name", "default"});
        w.coeff_names.push_back(c.required("name").str());
        w.coeff_values.push_back(c.optional("default") ? c.required("default").integer_in(
                                                             -limits::kMaxCoordinate,
                                                             limits::kMaxCoordinate,
                                                             "a coefficient")
                                                       : 1);
        coeff_at.push_back(c.optional("default"));
      }
    }
    auto ds = s.optional_any({"data_spaces", "data-spaces"});
    if (!ds) s.fail("missing required key 'data_spaces'");
    for (const auto& d : ds->items()) {
      d.allow_keys({"name", "projection", "read_write", "read-write"});
      DataSpace space;
      space.name = d.required("name").str();
      if (w.data_space_index(space.name) >= 0) d.fail("data space '" + space.name + "' is listed twice");
      auto proj = d.required("projection");
      for (const auto& rank : proj.items()) {
        if (rank.is_scalar()) {
          space.projection.push_back(parse_rank_text(rank, w));
        } else {
          std::vector<ProjectionTerm> terms;
          for (const auto& t : rank.items()) terms.push_back(parse_term(t, w));
          if (terms.empty()) rank.fail("a projection rank needs at least one term");
          space.projection.push_back(terms);
        }
      }
      if (space.projection.empty()) proj.fail("a projection needs at least one rank");
      if (static_cast<int>(space.projection.size()) > kMaxRanks)
        proj.fail("at most " + std::to_string(kMaxRanks) + " ranks are supported");
      if (auto rw = d.optional_any({"read_write", "read-write"})) space.read_write = rw->boolean();
      w.data_spaces.push_back(std::move(space));
      if (static_cast<int>(w.data_spaces.size()) > kMaxDataSpaces)
        d.fail("at most " + std::to_string(kMaxDataSpaces) + " data spaces are supported");
    }
  }

  Cursor inst = flat ? problem : problem.required("instance");
  inst.expect_map();
  WorkloadPlaces places{inst, std::vector<std::optional<Cursor>>(w.dims.size()), coeff_at};
  places.coefficients.resize(w.coeff_names.size());
  std::vector<bool> seen(w.dims.size(), false);
  std::int64_t h = 0, wd = 0, hpad = 0, wpad = 0;
  std::optional<Cursor> h_at, w_at;
  auto inst_entries = inst.entries();
  auto key_it = inst.node().begin();
  for (const auto& [key, v] : inst_entries) {
    Cursor key_at(key_it->first, inst.file(), v.path(), inst.diagnostics());
    ++key_it;
    if (flat && (key == "version" || key == "shape")) continue;
    int d = w.dim_index(key);
    int c = w.coeff_index(key);
    if ((d >= 0 || c >= 0) && vars && v.is_scalar() && !parse_number(v.str())) {
      // timeloopfe evaluates instance values over the variables (`I: INPUT_BITS`).
      double x = instance_expression(v, *vars);
      double lo = d >= 0 ? 1.0 : -static_cast<double>(limits::kMaxCoordinate);
      double hi = static_cast<double>(limits::kMaxCoordinate);
      if (x != std::floor(x) || x < lo || x > hi)
        v.fail("'" + v.str() + "' evaluates to " + std::to_string(x) + "; expected a whole " +
               "number from " + std::to_string(static_cast<std::int64_t>(lo)) + " to " +
               std::to_string(limits::kMaxCoordinate) + " (docs/formats.md, Limits)");
      if (d >= 0) {
        w.bounds[d] = static_cast<std::int64_t>(x);
        seen[d] = true;
        places.bounds[static_cast<std::size_t>(d)] = v;
      } else {
        w.coeff_values[c] = static_cast<std::int64_t>(x);
        places.coefficients[static_cast<std::size_t>(c)] = v;
      }
    } else if (d >= 0) {
      w.bounds[d] = v.integer_in(1, limits::kMaxCoordinate, "a bound");
      seen[d] = true;
      places.bounds[static_cast<std::size_t>(d)] = v;
    } else if (c >= 0) {
      w.coeff_values[c] = v.integer_in(-limits::kMaxCoordinate, limits::kMaxCoordinate,
                                       "a coefficient");
      places.coefficients[static_cast<std::size_t>(c)] = v;
    } else if (key == "densities") {
      if (!v.is_empty())
        v.fail("densities (sparse tensors) are not supported yet; remove them for a dense run");
    } else if (key == "H" || key == "W" || key == "Hpad" || key == "Wpad") {
      // Informational input size and padding of a CNN layer; compared with P and Q below.
      std::int64_t val = v.integer();
      if (key == "H") { h = val; h_at = v; }
      if (key == "W") { wd = val; w_at = v; }
      if (key == "Hpad") hpad = val;
      if (key == "Wpad") wpad = val;
    } else {
      std::vector<std::string> all = w.dims;
      all.insert(all.end(), w.coeff_names.begin(), w.coeff_names.end());
      // Timeloop reads only the shape's own names from the instance and ignores any other
      // key; a spelling that differs from a name only in case (the layer_shapes files' HStride
      // for Hstride) is ignored as Timeloop does, with a warning: the default value stays.
      auto lower = [](std::string t) {
        for (auto& ch : t) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        return t;
      };
      std::string same_but_case;
      for (const auto& n : all)
        if (lower(n) == lower(key)) same_but_case = n;
      if (!same_but_case.empty()) {
        key_at.warn("'" + key + "' is not a dimension or coefficient of " +
                    (w.shape_name.empty() ? std::string("the shape")
                                          : "shape '" + w.shape_name + "'") +
                    " (did you mean '" + same_but_case +
                    "'?); ignored as Timeloop does: " + same_but_case +
                    " keeps the value the shape or the instance gives it");
        continue;
      }
      if (flat) all.push_back("instance");
      key_at.fail("'" + key + "' is not a dimension or coefficient of shape '" + w.shape_name +
                  "'" + did_you_mean(key, all) + "; dimensions are: " + join(w.dims));
    }
  }
  for (std::size_t d = 0; d < w.dims.size(); ++d)
    if (!seen[d] && shape && !shape->is_null() && !shape->is_scalar())
      inst.fail("missing the bound of dimension '" + w.dims[d] + "'");
  // Input sizes given with the CNN shape should agree with the output sizes (a warning).
  auto check_io = [&](const std::optional<Cursor>& at, std::int64_t in, std::int64_t pad,
                      const char* out, const char* kernel, const char* stride, const char* dil) {
    int o = w.dim_index(out), k = w.dim_index(kernel);
    int s = w.coeff_index(stride), dl = w.coeff_index(dil);
    if (!at || o < 0 || k < 0 || s < 0 || dl < 0 || w.coeff_values[s] <= 0) return;
    std::int64_t span = (w.bounds[k] - 1) * w.coeff_values[dl] + 1;
    std::int64_t expect = (in + 2 * pad - span) / w.coeff_values[s] + 1;
    // Timeloop reads only the dimensions and coefficients of the shape: W/H are ignored.
    if (expect != w.bounds[o])
      at->warn("input size " + std::string(at->path().substr(at->path().rfind('.') + 1)) + "=" +
               std::to_string(in) + " with padding " + std::to_string(pad) + " gives " + out +
               "=" + std::to_string(expect) + ", but " + out + " is " +
               std::to_string(w.bounds[o]) + "; ignored as Timeloop does (only the "
               "dimensions in the projections count)");
  };
  check_io(w_at, wd, wpad, "P", "R", "Wstride", "Wdilation");
  check_io(h_at, h, hpad, "Q", "S", "Hstride", "Hdilation");
  check_workload_limits(w, places);
  return w;
}

}  // namespace loopsim::io
