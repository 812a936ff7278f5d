// components: / compound_components: -> estimate::ComponentLibrary (compound classes in
// Accelergy's v0.4 class format, and user tables that override the built-in estimators).
#include "io_internal.hpp"
#include "loopsim/core/limits.hpp"
#include "loopsim/core/text.hpp"

namespace loopsim::io {

namespace {

SourceLoc loc_of(const Cursor& c) { return SourceLoc{c.file(), c.line(), c.path()}; }

// "storage[1..width*depth]" -> ("storage", "1", "width*depth"); "ag[0]" -> ("ag", "0", "0").
struct NameRange {
  std::string name, lo, hi;
};
NameRange split_range(const Cursor& at, const std::string& text) {
  auto open = text.find('[');
  if (open == std::string::npos) return {text, "", ""};
  if (text.back() != ']')
    at.fail("expected a name like 'storage[1..8]', got '" + text + "'");
  std::string inside = text.substr(open + 1, text.size() - open - 2);
  auto dots = inside.find("..");
  if (dots == std::string::npos) return {text.substr(0, open), inside, inside};
  return {text.substr(0, open), inside.substr(0, dots), inside.substr(dots + 2)};
}

Attributes parse_class_attributes(const Cursor& c) {
  Attributes a;
  if (c.is_null()) return a;
  for (const auto& [key, v] : c.entries()) {
    a.set(key, parse_attr_value(v));
  }
  return a;
}

std::string scalar_text(const Cursor& c) {
  if (!c.is_scalar()) c.fail("expected a number or an expression");
  return c.str();
}

estimate::CompoundSub parse_sub(const Cursor& s) {
  s.expect_map();
  s.allow_keys({"name", "class", "attributes", "area_scale", "area_share", "description"});
  estimate::CompoundSub sub;
  Cursor name = s.required("name");
  NameRange r = split_range(name, name.str());
  sub.name = r.name;
  sub.range_lo = r.lo;
  sub.range_hi = r.hi;
  Cursor cls = s.required("class");
  sub.cls = cls.str();
  sub.class_loc = loc_of(cls);
  sub.loc = loc_of(s);
  if (auto a = s.optional("attributes")) sub.attributes = parse_class_attributes(*a);
  if (auto a = s.optional_any({"area_scale", "area_share"})) sub.area_scale = scalar_text(*a);
  return sub;
}

std::vector<estimate::CompoundTerm> parse_terms(const Cursor& list) {
  list.expect_seq();
  std::vector<estimate::CompoundTerm> out;
  for (const auto& t : list.items()) {
    t.expect_map();
    t.allow_keys({"name", "actions"});
    Cursor name = t.required("name");
    NameRange r = split_range(name, name.str());
    Cursor acts = t.required("actions");
    acts.expect_seq();
    for (const auto& a : acts.items()) {
      a.expect_map();
      // Subcomponent action arguments (0.3: `data_delta: data_delta`) go to primitives,
      // which loopsim's estimators do not parameterize; they are accepted and not used.
      a.allow_keys({"name", "arguments", "energy_scale", "action_share", "repeat"});
      estimate::CompoundTerm term;
      term.sub = r.name;
      term.range_lo = r.lo;
      term.range_hi = r.hi;
      Cursor an = a.required("name");
      term.action = an.str();
      term.loc = loc_of(an);
      if (auto e = a.optional_any({"energy_scale", "action_share", "repeat"}))
        term.energy_scale = scalar_text(*e);
      out.push_back(std::move(term));
    }
  }
  return out;
}

estimate::CompoundAction parse_action(const Cursor& a) {
  a.expect_map();
  a.allow_keys({"name", "subcomponents", "arguments", "<<", "description"});
  estimate::CompoundAction act;
  Cursor name = a.required("name");
  act.name = name.str();
  act.loc = loc_of(name);
  if (auto args = a.optional("arguments"); args && !args->is_empty()) {
    for (const auto& [key, v] : args->entries()) {
      // "lo..hi" (a range, Accelergy 0.3) or a single value; both may be expressions.
      std::string text = scalar_text(v);
      auto dots = text.find("..");
      std::string lo = dots == std::string::npos ? text : text.substr(0, dots);
      std::string hi = dots == std::string::npos ? text : text.substr(dots + 2);
      if (lo.empty() || hi.empty()) v.fail("expected a value or a range like 0..1, got '" + text + "'");
      act.arguments.push_back({key, lo, hi, loc_of(v)});
    }
  }
  if (auto s = a.optional("subcomponents")) {
    act.terms = parse_terms(*s);
  } else if (auto m = a.optional("<<")) {  // YAML merge key: `<< : *write_action`
    m->expect_map();
    act.terms = parse_terms(m->required("subcomponents"));
  } else {
    a.fail("action '" + act.name + "' needs 'subcomponents' (the subcomponent actions it sums)");
  }
  return act;
}

estimate::CompoundClass parse_class(const Cursor& c) {
  c.expect_map();
  // primitive_type: Accelergy 0.3's hint of what a compound stands for; not used.
  c.allow_keys({"name", "attributes", "subcomponents", "actions", "description",
                "primitive_type"});
  estimate::CompoundClass out;
  Cursor name = c.required("name");
  out.name = name.str();
  out.loc = loc_of(name);
  if (auto a = c.optional("attributes")) out.attributes = parse_class_attributes(*a);
  if (auto s = c.optional("subcomponents"); s && !s->is_empty()) {
    s->expect_seq();
    for (const auto& sub : s->items()) out.subs.push_back(parse_sub(sub));
  }
  Cursor acts = c.required("actions");
  acts.expect_seq();
  for (const auto& a : acts.items()) out.actions.push_back(parse_action(a));
  return out;
}

// tables: [{class: SRAM, rows: [{attributes: {...}, actions: {read: pJ, ...}, area: um2}]}]
estimate::UserTable parse_table(const Cursor& t) {
  t.expect_map();
  t.allow_keys({"class", "rows", "description"});
  estimate::UserTable out;
  Cursor cls = t.required("class");
  out.cls = cls.str();
  out.loc = loc_of(cls);
  Cursor rows = t.required("rows");
  rows.expect_seq();
  for (const auto& r : rows.items()) {
    r.expect_map();
    r.allow_keys({"attributes", "actions", "area"});
    estimate::UserTableRow row;
    row.loc = loc_of(r);
    if (auto a = r.optional("attributes"); a && !a->is_empty())
      for (const auto& [k, v] : a->entries()) row.match[k] = scalar_text(v);
    Cursor acts = r.required("actions");
    acts.expect_map();
    for (const auto& [k, v] : acts.entries()) {
      double e = v.number();
      if (e < 0 || e > limits::kMaxEnergyPj)
        v.fail("expected a non-negative energy in pJ of at most 1e15 (docs/formats.md, Limits)");
      row.actions[k] = e;
    }
    if (auto a = r.optional("area")) {
      double x = a->number();
      if (x < 0 || x > limits::kMaxEnergyPj)
        a->fail("expected a non-negative area in um^2 of at most 1e15 (docs/formats.md, Limits)");
      row.area_um2 = x;
    }
    out.rows.push_back(std::move(row));
  }
  return out;
}

}  // namespace

estimate::ComponentLibrary load_component_library(const MergedInputs& merged) {
  estimate::ComponentLibrary lib(estimate::Registry::builtin());
  for (const auto& entry : merged.class_sections) {
    const Cursor& sec = entry.value;
    std::vector<Cursor> classes;
    if (sec.is_seq()) {
      classes = sec.items();
    } else {
      sec.expect_map();
      sec.allow_keys({"version", "classes", "tables"});
      if (auto v = sec.optional("version")) {
        std::string ver = v->str();
        if (ver != "0.4" && ver != "0.3")
          v->fail("unsupported version '" + ver + "'; expected 0.4 (or 0.3)");
      }
      if (auto c = sec.optional("classes"); c && !c->is_empty()) {
        c->expect_seq();
        classes = c->items();
      }
      if (auto t = sec.optional("tables"); t && !t->is_empty()) {
        t->expect_seq();
        for (const auto& x : t->items()) lib.add_table(parse_table(x));
      }
    }
    for (const auto& c : classes) lib.add_class(parse_class(c));
  }
  return lib;
}

}  // namespace loopsim::io
