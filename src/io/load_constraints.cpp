// Mapspace constraints and mapper settings:
//  - v0.4 node constraints: `constraints: {temporal: {...}, spatial: {...}, dataspace: {...}}`
//    on !Component (its level), !Container with `spatial:` (its inter_<name>_spatial level);
//  - files: `constraints`, `mapspace_constraints`, `architecture_constraints`,
//    `mapspace: {constraints|targets}`: a list of targets, or {targets: [...]}, each
//    {target, type: temporal|spatial|bypass|datatype|dataspace|utilization|no_multicast|
//    no_reduction|no_multicast_no_reduction, ...};
//  - no_reuse (temporal: Timeloop's no_temporal_reuse; spatial: no_multicast_no_reduction)
//    is not a mapspace restriction: it is copied onto every mapping and changes its
//    evaluation (see parse_no_reuse, docs/mapper.md);
//  `mapper:` settings are read in load_mapper_settings.cpp.
#include <cctype>

#include <iostream>

#include "io_internal.hpp"
#include "loopsim/core/expr.hpp"
#include "loopsim/core/text.hpp"
#include "loopsim/mapper/constraints.hpp"

namespace loopsim::io {

namespace {

// factors: "R=1 P<=4 K>=2", "R=1,P=1", [N=1, C=1], or the old "R1 P1".
SourceLoc loc_of(const Cursor& c) { return SourceLoc{c.file(), c.line(), c.path()}; }

void parse_factor_constraints(const Cursor& c, const Workload& w, std::vector<FactorRange>& out,
                              std::vector<bool>& mentioned, std::vector<SourceLoc>& at) {
  std::string text;
  if (c.is_seq()) {
    for (const auto& item : c.items()) text += item.str() + " ";
  } else {
    text = c.str();
  }
  std::size_t i = 0, n = text.size();
  auto skip = [&]() {
    while (i < n && (std::isspace(static_cast<unsigned char>(text[i])) || text[i] == ',')) ++i;
  };
  skip();
  while (i < n) {
    std::size_t start = i;
    while (i < n && (std::isalnum(static_cast<unsigned char>(text[i])) || text[i] == '_') &&
           !(i > start && std::isdigit(static_cast<unsigned char>(text[i])) &&
             w.dim_index(text.substr(start, i - start)) >= 0))
      ++i;
    std::string name = text.substr(start, i - start);
    if (name.empty())
      c.fail("bad factors '" + text + "': expected a dimension name at '" + text.substr(start) +
             "'");
    int d = w.dim_index(name);
    if (d < 0)
      c.fail("unknown dimension '" + name + "'" + did_you_mean(name, w.dims) +
             "; dimensions are: " + join(w.dims));
    std::string op = "=";
    if (text.compare(i, 2, "<=") == 0 || text.compare(i, 2, ">=") == 0) {
      op = text.substr(i, 2);
      i += 2;
    } else if (i < n && text[i] == '=') {
      ++i;
    }
    std::size_t ds = i;
    while (i < n && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
    if (ds == i || i - ds > 15)
      c.fail("bad factors '" + text + "': expected a whole number after " + name + op);
    std::int64_t v = std::stoll(text.substr(ds, i - ds));
    std::int64_t bound = w.bounds[static_cast<std::size_t>(d)];
    if (v == 0 && op == "=") {
      // Timeloop: 0 means the full problem dimension, with a warning.
      v = bound;
      c.warn("factor " + name + "=0 is read as the whole bound of " + name + " (" +
             std::to_string(bound) + "), as Timeloop does; write " + name + "=" +
             std::to_string(bound) + " to say so");
    }
    if (v <= 0) c.fail("factor of " + name + " must be at least 1");
    if (mentioned[static_cast<std::size_t>(d)])
      c.fail("dimension " + name + " is constrained twice in '" + text + "'");
    mentioned[static_cast<std::size_t>(d)] = true;
    if (op == "=" && v > bound) {
      // Timeloop warns and ignores an exact factor larger than the dimension.
      c.warn("factor constraint " + name + "=" + std::to_string(v) + " exceeds the bound of " +
             name + " (" + std::to_string(bound) + "); ignored, as Timeloop does");
      skip();
      continue;
    }
    at[static_cast<std::size_t>(d)] = loc_of(c);
    auto& r = out[static_cast<std::size_t>(d)];
    if (op == "=") { r.min = std::max(r.min, v); r.max = std::min(r.max, v); }
    else if (op == "<=") r.max = std::min(r.max, v);
    else r.min = std::max(r.min, v);
    if (r.min > r.max)
      c.fail("the factor constraints on " + name + " cannot all hold (another constraint on "
             "this level already excludes " + op + std::to_string(v) + ")");
    if ((op == "=" && bound % v != 0) || (op == ">=" && v > bound))
      c.fail("factor " + name + op + std::to_string(v) + " cannot hold: the bound of " + name +
             " is " + std::to_string(bound) + " and factors divide it");
    skip();
  }
}

// split: a whole number, or timeloopfe's len(spec.problem.instance) (every dimension on X).
std::int64_t split_value(const Cursor& c, const Workload& w) {
  std::string text;
  for (char ch : c.str())
    if (!std::isspace(static_cast<unsigned char>(ch))) text += ch;
  if (text == "len(spec.problem.instance)" || text == "len(spec.problem.shape.dimensions)")
    return w.num_dims();
  if (!parse_number(text))
    c.fail("expected a whole number or len(spec.problem.instance), got '" + c.str() + "'");
  std::int64_t v = c.integer();
  if (v < 0) c.fail("split must be >= 0");
  return v;
}

double fraction(const Cursor& c) {
  double v = c.number();
  if (v < 0 || v > 1) c.fail("expected a fraction between 0 and 1");
  return v;
}

// The dimensions a data space's projection uses (timeloopfe's "factors" of a data space).
std::vector<bool> dims_of(const Workload& w, const std::vector<bool>& data_spaces) {
  std::vector<bool> out(static_cast<std::size_t>(w.num_dims()), false);
  for (int pv = 0; pv < w.num_data_spaces(); ++pv)
    if (data_spaces[static_cast<std::size_t>(pv)])
      for (const auto& rank : w.data_spaces[static_cast<std::size_t>(pv)].projection)
        for (const auto& term : rank) out[static_cast<std::size_t>(term.dim)] = true;
  return out;
}

struct Applier {
  const Workload& w;
  const ArchSpec& arch;
  Constraints& out;
  std::vector<MaximizeDims> maximize;  // applied after every constraint is read
  std::optional<Cursor> remainders;   // the first `remainders` (load_ruby.cpp)
  std::optional<Cursor> target_at_;   // the level of the constraint being read

  // timeloopfe keys that change how Timeloop evaluates a mapping in ways loopsim does not
  // model yet: accepted with a warning (the data spaces are still checked).
  void unmodelled_keys(const Cursor& t) {
    static const char* const keys[] = {"no_link_transfer", "rmw_first_update", "no_coalesce"};
    for (const char* k : keys) {
      auto x = t.optional(k);
      if (!x || x->is_empty()) continue;
      (void)data_space_list(*x, w);
      x->warn(std::string(k) + " is not modelled by loopsim; the mapping is evaluated as if it "
              "were not given");
    }
  }

  // timeloopfe's iteration macros: factors_only (the listed factors; every other dimension
  // 1), no_iteration_over_dataspaces (the dimensions of these data spaces 1),
  // must_iterate_over_dataspaces (every dimension not in these data spaces 1).
  void iteration_macros(const Cursor& t, std::vector<FactorRange>& ranges,
                        std::vector<bool>& mentioned, std::vector<SourceLoc>& locs) {
    auto force_one = [&](const Cursor& at, int d, const std::string& key) {
      auto& r = ranges[static_cast<std::size_t>(d)];
      if (r.min > 1)
        at.fail(key + " sets the factor of " + w.dims[static_cast<std::size_t>(d)] +
                " to 1, but another constraint here needs at least " + std::to_string(r.min));
      r.min = 1;
      r.max = 1;
      mentioned[static_cast<std::size_t>(d)] = true;
      locs[static_cast<std::size_t>(d)] = loc_of(at);
    };
    if (auto f = t.optional("factors_only")) {
      parse_factor_constraints(*f, w, ranges, mentioned, locs);
      for (int d = 0; d < w.num_dims(); ++d)
        if (!mentioned[static_cast<std::size_t>(d)]) force_one(*f, d, "factors_only");
    }
    for (const char* key : {"no_iteration_over_dataspaces", "must_iterate_over_dataspaces"}) {
      auto list = t.optional(key);
      if (!list) continue;
      std::vector<bool> used = dims_of(w, data_space_list(*list, w));
      bool inside = std::string(key).rfind("no_", 0) == 0;
      for (int d = 0; d < w.num_dims(); ++d)
        if (used[static_cast<std::size_t>(d)] == inside) force_one(*list, d, key);
    }
  }

  // keep/bypass, and timeloopfe's keep_only (the others bypassed) and bypass_only (the
  // others kept).
  void keep_bypass(const Cursor& t, int l) {
    auto& lc = out.levels[static_cast<std::size_t>(l)];
    unmodelled_keys(t);
    for (const char* key : {"keep", "bypass", "keep_only", "bypass_only"}) {
      auto list = t.optional(key);
      if (!list) continue;
      auto ds = data_space_list(*list, w);
      const std::string kind = key;
      const bool only = kind.size() > 6;
      for (int i = 0; i < w.num_data_spaces(); ++i) {
        bool listed = ds[static_cast<std::size_t>(i)];
        if (!listed && !only) continue;
        KeepRule rule =
            (kind.rfind("keep", 0) == 0) == listed ? KeepRule::Keep : KeepRule::Bypass;
        auto& k = lc.keep[static_cast<std::size_t>(i)];
        if (k != KeepRule::Free && k != rule)
          list->fail("data space '" + w.data_spaces[static_cast<std::size_t>(i)].name +
                     "' is both kept and bypassed at " + arch.storage[static_cast<std::size_t>(l)].name);
        if (rule == KeepRule::Keep && arch.storage[static_cast<std::size_t>(l)].dummy)
          list->fail("level '" + arch.storage[static_cast<std::size_t>(l)].name +
                     "' is a container's spatial fan-out and cannot keep data");
        k = rule;
        lc.keep_at[static_cast<std::size_t>(i)] = loc_of(*list);
      }
    }
  }

  void factors_perm(const Cursor& t, int l, bool spatial) {
    auto& lc = out.levels[static_cast<std::size_t>(l)];
    auto& ranges = spatial ? lc.spatial : lc.temporal;
    auto& at = spatial ? lc.spatial_at : lc.temporal_at;
    std::vector<bool> mentioned(static_cast<std::size_t>(w.num_dims()), false);
    if (auto f = t.optional("factors")) parse_factor_constraints(*f, w, ranges, mentioned, at);
    iteration_macros(t, ranges, mentioned, at);
    for (const char* key : {"default_max_factor", "default_min_factor"}) {
      auto v = t.optional(key);
      if (!v) continue;
      std::int64_t x = v->positive_integer();
      for (int d = 0; d < w.num_dims(); ++d) {
        if (mentioned[static_cast<std::size_t>(d)]) continue;
        auto& r = ranges[static_cast<std::size_t>(d)];
        at[static_cast<std::size_t>(d)] = loc_of(*v);
        if (std::string(key) == "default_max_factor") r.max = std::min(r.max, x);
        else r.min = std::max(r.min, x);
      }
    }
    if (auto p = t.optional("permutation")) {
      auto perm = parse_permutation(*p, w);
      auto& dst = spatial ? lc.spatial_perm : lc.temporal_perm;
      if (!dst.empty() && dst != perm)
        p->fail("a different permutation is already given for this level");
      dst = perm;
    }
    if (auto s = t.optional("split")) {
      if (!spatial) s->fail("'split' applies to spatial constraints only");
      lc.split = split_value(*s, w);
    }
    if (auto m = t.optional("maximize_dims"); m && !m->is_empty())
      maximize.push_back(MaximizeDims{l, spatial, *m, t.optional("maximize_dims_capacity")});
    else if (auto c = t.optional("maximize_dims_capacity"))
      c->warn("maximize_dims_capacity without maximize_dims has no effect");
    for (const char* key : {"min_utilization", "utilization"}) {
      if (auto u = t.optional(key)) {
        if (!spatial) u->fail(std::string("'") + key + "' applies to spatial constraints only");
        lc.min_spatial_utilization = std::max(lc.min_spatial_utilization, fraction(*u));
        lc.utilization_at = loc_of(*u);
      }
    }
    parse_no_reuse(t, spatial, w, arch, l, spatial ? lc.no_multicast : lc.no_reuse);
    if (auto r = t.optional("remainders")) {
      parse_remainders(*r, spatial, lc);
      if (!remainders) remainders = *r;
    }
    unmodelled_keys(t);
  }

  // Timeloop's older constraint types no_multicast (read-only data), no_reduction
  // (read-write data) and no_multicast_no_reduction (either), with a `datatypes:` list: the
  // level's fan-out serves each child on its own, as a spatial no_reuse does.
  void no_multicast_type(const Cursor& t, int l, const std::string& ty) {
    auto list = t.required("datatypes");
    auto ds = data_space_list(list, w);
    auto& lc = out.levels[static_cast<std::size_t>(l)];
    for (int pv = 0; pv < w.num_data_spaces(); ++pv) {
      if (!ds[static_cast<std::size_t>(pv)]) continue;
      const std::string& name = w.data_spaces[static_cast<std::size_t>(pv)].name;
      if (ty == "no_multicast" && w.is_read_write(pv))
        list.fail("'" + name + "' is read-write: it is reduced, not multicast; use type "
                  "no_reduction or no_multicast_no_reduction");
      if (ty == "no_reduction" && !w.is_read_write(pv))
        list.fail("'" + name + "' is read-only: it is multicast, not reduced; use type "
                  "no_multicast or no_multicast_no_reduction");
      lc.no_multicast[static_cast<std::size_t>(pv)] = true;
    }
    if (arch.fanout(l) <= 1)
      target_at_->fail("level '" + arch.storage[static_cast<std::size_t>(l)].name +
                                "' has no spatial fan-out to the next-inner level; a " + ty +
                                " constraint has nothing to act on");
  }

  // One entry of a `targets:` list. Timeloop also reads two older forms (ParseUserConstraints,
  // src/mapping/constraints.cpp): the constraint's settings under `attributes:`, and a target
  // holding a list, {name: L, constraints: [{type: T, attributes: {...}}, ...]}.
  void target(const Cursor& t) {
    t.expect_map();
    auto target_at = t.optional_any({"target", "name"});
    if (!target_at) t.fail("missing required key 'target' (the level constrained)");
    auto list = t.optional("constraints");
    for (const auto& c : list ? list->items() : std::vector<Cursor>{t}) {
      c.expect_map();
      auto attrs = c.optional("attributes");
      if (list || attrs)
        c.allow_keys(list ? std::vector<std::string>{"type", "attributes"}
                          : std::vector<std::string>{"target", "name", "type", "attributes"});
      one(*target_at, c.required("type"), attrs ? *attrs : c);
    }
    if (list) t.allow_keys({"target", "name", "constraints"});
  }

  // One constraint: the level (`at`), its type and its settings (`t`).
  void one(const Cursor& at, const Cursor& type, const Cursor& t) {
    t.expect_map();
    target_at_ = at;
    t.allow_keys({"target", "type", "factors", "permutation", "split", "keep", "bypass",
                  "default_max_factor", "default_min_factor", "min_utilization",
                  "utilization", "no_reuse", "no_temporal_reuse", "no_multicast_no_reduction",
                  "datatypes", "min", "factors_only", "no_iteration_over_dataspaces",
                  "must_iterate_over_dataspaces", "maximize_dims", "maximize_dims_capacity",
                  "keep_only", "bypass_only", "name", "no_link_transfer", "rmw_first_update",
                  "no_coalesce", "remainders"});
    // Some constraint files name the level with `name:` instead of `target:`.
    int l = resolve_target(at, arch);
    std::string ty = type.str();
    // Timeloop's other names of two types (constraints.cpp, ParseSingleConstraint).
    if (ty == "bypassing") ty = "bypass";
    if (ty == "parallelism") ty = "utilization";
    static const std::vector<std::string> types = {
        "temporal", "spatial", "bypass", "datatype", "dataspace", "utilization",
        "no_multicast", "no_reduction", "no_multicast_no_reduction"};
    auto forbid = [&](std::initializer_list<const char*> keys) {
      for (const char* k : keys)
        if (auto x = t.optional(k))
          x->fail(std::string("'") + k + "' does not belong in a " + ty + " constraint");
    };
    if (ty == "temporal" || ty == "spatial") {
      forbid({"keep", "bypass", "min", "datatypes", "keep_only", "bypass_only"});
      factors_perm(t, l, ty == "spatial");
    } else if (ty == "bypass" || ty == "datatype" || ty == "dataspace") {
      forbid({"factors", "permutation", "split", "min", "datatypes", "factors_only",
              "maximize_dims", "remainders"});
      reject_no_reuse(t, ty + " constraint");
      keep_bypass(t, l);
    } else if (ty == "no_multicast" || ty == "no_reduction" || ty == "no_multicast_no_reduction") {
      forbid({"factors", "permutation", "split", "keep", "bypass", "min", "default_max_factor",
              "default_min_factor", "min_utilization", "utilization", "remainders"});
      reject_no_reuse(t, ty + " constraint (its data spaces go in 'datatypes')");
      no_multicast_type(t, l, ty);
    } else if (ty == "utilization") {
      reject_no_reuse(t, "utilization constraint");
      auto m = t.optional_any({"min", "min_utilization", "utilization"});
      if (!m) t.fail("a utilization constraint needs 'min' (a fraction of the fan-out)");
      auto& lc = out.levels[static_cast<std::size_t>(l)];
      lc.min_spatial_utilization = std::max(lc.min_spatial_utilization, fraction(*m));
      lc.utilization_at = loc_of(*m);
    } else {
      type.fail("unknown constraint type '" + ty + "'" + did_you_mean(ty, types) +
                "; expected one of: " + join(types));
    }
  }

  void target_list(const Cursor& c) {
    if (c.is_empty()) return;
    if (c.is_map()) {
      // Timeloop's older mapspace names a set: {constraints: NAME, constraints_NAME: [...]}.
      std::vector<std::string> keys = {"version", "targets", "constraints", "template"};
      for (const auto& [k, v] : c.entries())
        if (k.rfind("constraints_", 0) == 0) keys.push_back(k);
      c.allow_keys(keys);
      if (auto tpl = c.optional("template")) parse_mapspace_template(*tpl, out);
      if (auto t = c.optional("targets"); t && !t->is_empty()) target_list(*t);
      if (auto t = c.optional("constraints"); t && !t->is_empty()) {
        if (!t->is_scalar()) {
          target_list(*t);
        } else {
          std::vector<std::string> sets;
          for (const auto& k : keys)
            if (k.rfind("constraints_", 0) == 0) sets.push_back(k.substr(12));
          auto named = c.optional("constraints_" + t->str());
          if (!named)
            t->fail("no constraint set 'constraints_" + t->str() + "'" +
                    did_you_mean(t->str(), sets) + "; sets given: " + join(sets));
          target_list(*named);
        }
      }
      return;
    }
    c.expect_seq();
    for (const auto& t : c.items()) target(t);
  }

  void node(const NodeConstraint& nc) {
    const Cursor& c = nc.value;
    c.expect_map();
    int l = -1;
    if (nc.kind == NodeKind::Component) {
      l = arch.find_level(nc.node);
    } else if (nc.kind == NodeKind::Container && nc.spatial > 1) {
      l = arch.find_level("inter_" + nc.node + "_spatial");
    }
    if (nc.kind == NodeKind::Nothing || nc.kind == NodeKind::Parallel) {
      // A !Nothing or !Parallel has no storage level: only data-space names are checked.
      c.allow_keys({"dataspace"});
      if (auto ds = c.optional("dataspace")) {
        ds->allow_keys({"keep", "bypass", "keep_only", "bypass_only"});
        for (const char* k : {"keep", "bypass", "keep_only", "bypass_only"})
          if (auto x = ds->optional(k)) (void)data_space_list(*x, w);
      }
      return;
    }
    if (l < 0) {
      if (nc.kind == NodeKind::Container)
        c.fail("constraints on container '" + nc.node + "', which has no spatial fan-out "
               "(no `spatial: {meshX, meshY}`); put them on a component");
      return;  // a compute component: only `constraints` keys below are checked
    }
    c.allow_keys({"temporal", "spatial", "dataspace"});
    if (auto t = c.optional("temporal")) {
      t->allow_keys({"factors", "permutation", "default_max_factor", "default_min_factor",
                     "no_reuse", "no_temporal_reuse", "factors_only", "maximize_dims",
                     "maximize_dims_capacity", "no_iteration_over_dataspaces",
                     "must_iterate_over_dataspaces", "rmw_first_update", "remainders"});
      factors_perm(*t, l, false);
    }
    if (auto s = c.optional("spatial")) {
      s->allow_keys({"factors", "permutation", "split", "default_max_factor",
                     "default_min_factor", "min_utilization", "utilization", "no_reuse",
                     "no_multicast_no_reduction", "factors_only", "maximize_dims",
                     "maximize_dims_capacity", "no_iteration_over_dataspaces",
                     "must_iterate_over_dataspaces", "no_link_transfer", "rmw_first_update",
                     "remainders"});
      factors_perm(*s, l, true);
    }
    if (auto d = c.optional("dataspace")) {
      d->allow_keys({"keep", "bypass", "no_reuse", "keep_only", "bypass_only", "no_coalesce"});
      reject_no_reuse(*d, "dataspace constraint");
      keep_bypass(*d, l);
    }
  }
};

}  // namespace

Constraints parse_constraints(const MergedInputs& merged, const std::vector<NodeConstraint>& nodes,
                              const Workload& w, const ArchSpec& arch) {
  Constraints out = Constraints::unconstrained(w, arch);
  Applier ap{w, arch, out, {}, std::nullopt, std::nullopt};
  for (const auto& nc : nodes) ap.node(nc);
  for (const char* k : {"constraints", "mapspace_constraints", "architecture_constraints",
                        "mapspace"})
    if (auto c = merged.get(k)) ap.target_list(*c);
  apply_maximize_dims(ap.maximize, w, arch, out);
  warn_unused_remainders(ap.remainders, out);
  return out;
}

}  // namespace loopsim::io
