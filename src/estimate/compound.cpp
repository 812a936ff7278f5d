// Compound classes and user tables on top of the built-in estimators.
#include "loopsim/estimate/compound.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>

#include "loopsim/core/error.hpp"
#include "loopsim/core/expr.hpp"
#include "loopsim/core/text.hpp"

namespace loopsim::estimate {

namespace {

std::string num(double v) { return significant(v, 17); }

[[noreturn]] void fail_at(const SourceLoc& at, const std::string& message) {
  throw ConfigError(at.file.empty() ? "<query>" : at.file, at.line, at.key_path, message);
}

bool is_identifier(const std::string& s) {
  if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  return std::all_of(s.begin(), s.end(), [](char ch) {
    return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_';
  });
}

// The attributes of one compound instance: the class's defaults overridden by the query's.
class Scope {
 public:
  Scope(const CompoundClass& c, const Query& q) : cls_(c) {
    for (const auto& [k, v] : c.attributes.items) values_[k] = v;
    for (const auto& [k, v] : q.attrs) {
      AttrValue a;
      a.text = v;
      a.loc = q.loc;
      values_[k] = a;
    }
    for (const auto& [k, v] : c.attributes.items)
      if (v.text == "must_specify" && !q.has(k)) {
        // Accelergy stops here too ("Attribute width for compound class ... must be
        // specified"). A v0.3 architecture written for the 2020 classes gives memory_width.
        std::string hint;
        for (const std::string pre : {"memory_", "data_storage_"})
          if (q.has(pre + k))
            hint = "; the component gives '" + pre + k + "' (the spelling of the 2020 (v0.3) "
                   "component classes), this class reads '" + k + "'";
        fail_at(q.loc, "compound class '" + c.name + "' (" + c.loc.file + ":" +
                           std::to_string(c.loc.line) + ") needs attribute '" + k +
                           "', which is not given" + hint);
      }
  }

  // A named attribute as a number; nullopt for unknown names and for strings.
  std::optional<double> number(const std::string& name, int depth) const {
    auto it = values_.find(name);
    if (it == values_.end() || it->second.is_null) return std::nullopt;
    const AttrValue& v = it->second;
    if (auto n = parse_number(v.text)) return n;
    // Quoted text is a string unless it reads as an expression (timeloopfe evaluates it).
    if ((v.quoted && v.text.find_first_of("()+*/") == std::string::npos) || depth > 32)
      return std::nullopt;
    try {
      return evaluate_expression(v.text, [&](const std::string& n) { return number(n, depth + 1); });
    } catch (const ExprError&) {
      return std::nullopt;  // a string such as 45nm
    }
  }

  // The attribute's text when it holds a string (not a number or an expression).
  std::optional<std::string> string(const std::string& name) const {
    auto it = values_.find(name);
    if (it == values_.end() || number(name, 0)) return std::nullopt;
    return it->second.text;
  }

  // `args`: a compound action's arguments, which hide attributes of the same name.
  // `siblings`: the subcomponent's attributes written before this one, for names the class
  // does not know (`mantissa: adder_width - exponent` with `exponent: 8` beside it).
  double eval(const std::string& expr, const SourceLoc& at,
              const std::map<std::string, double>& args = {},
              const std::map<std::string, double>* siblings = nullptr) const {
    if (auto n = parse_number(expr)) return *n;
    try {
      return evaluate_expression(expr, [&](const std::string& n) -> std::optional<double> {
        if (auto a = args.find(n); a != args.end()) return a->second;
        if (auto v = number(n, 0)) return v;
        if (siblings)
          if (auto b = siblings->find(n); b != siblings->end()) return b->second;
        return std::nullopt;
      });
    } catch (const ExprError& e) {
      fail_at(at, std::string("in compound class '") + cls_.name + "': " + e.what() +
                      " (attributes of the class and of the component are known)");
    }
  }

  // A subcomponent's attribute value as query text.
  std::string pass(const AttrValue& v, const std::map<std::string, double>* siblings = nullptr) const {
    if ((v.quoted && v.text.find_first_of("()+*/") == std::string::npos) ||
        parse_number(v.text))
      return v.text;
    if (is_identifier(v.text))
      if (auto s = string(v.text)) return *s;
    return num(eval(v.text, v.loc, {}, siblings));
  }

 private:
  const CompoundClass& cls_;
  std::map<std::string, AttrValue> values_;
};

double count(const Scope& s, const std::string& lo, const std::string& hi, const SourceLoc& at,
             const std::map<std::string, double>& args = {}) {
  if (lo.empty()) return 1;
  double n = s.eval(hi, at, args) - s.eval(lo, at, args) + 1;
  if (n < 0) fail_at(at, "the range [" + lo + ".." + hi + "] is empty");
  return n;
}

bool same_value(const std::string& a, const std::string& b) {
  if (a == b) return true;
  auto x = parse_number(a), y = parse_number(b);
  return x && y && std::abs(*x - *y) <= 1e-12 * std::max(std::abs(*x), std::abs(*y));
}

}  // namespace

void ComponentLibrary::add_class(CompoundClass c) {
  auto it = classes_.find(c.name);
  if (it != classes_.end())
    fail_at(c.loc, "compound class '" + c.name + "' is defined twice (also at " +
                       it->second.loc.file + ":" + std::to_string(it->second.loc.line) + ")");
  std::string name = c.name;
  classes_.emplace(name, std::move(c));
}

void ComponentLibrary::add_table(UserTable t) {
  auto it = tables_.find(t.cls);
  if (it == tables_.end()) {
    std::string name = t.cls;
    tables_.emplace(name, std::move(t));
  } else {
    for (auto& r : t.rows) it->second.rows.push_back(std::move(r));
  }
}

bool ComponentLibrary::has_class(const std::string& cls) const {
  return classes_.count(cls) || tables_.count(cls) || base_.knows_class(cls);
}

Estimate ComponentLibrary::estimate(const Query& q) const {
  std::vector<std::string> stack;
  return estimate_in(q, stack);
}

const UserTableRow* ComponentLibrary::table_row(const Query& q) const {
  auto it = tables_.find(q.cls);
  if (it == tables_.end()) return nullptr;
  for (const auto& row : it->second.rows) {
    bool ok = true;
    for (const auto& [k, v] : row.match) {
      auto a = q.attrs.find(k);
      ok = ok && a != q.attrs.end() && same_value(a->second, v);
    }
    if (ok) return &row;
  }
  return nullptr;
}

Estimate ComponentLibrary::estimate_in(const Query& q, std::vector<std::string>& stack) const {
  if (const UserTableRow* row = table_row(q)) {
    Estimate e;
    e.cls = q.cls;
    e.estimator = "user_table";
    e.actions = row->actions;
    if (row->area_um2) {
      e.area_um2 = *row->area_um2;
    } else if (classes_.count(q.cls) || base_.knows_class(q.cls)) {
      e.area_um2 = estimate_without_table(q, stack).area_um2;
    }
    return e;
  }
  return estimate_without_table(q, stack);
}

Estimate ComponentLibrary::estimate_without_table(const Query& q,
                                                  std::vector<std::string>& stack) const {
  auto c = classes_.find(q.cls);
  if (c != classes_.end()) return compound(c->second, q, stack);
  if (!base_.knows_class(q.cls) && tables_.count(q.cls))
    fail_at(q.loc, "no row of the user table for class '" + q.cls +
                       "' matches this component's attributes");
  if (!base_.knows_class(q.cls)) {
    std::vector<std::string> names = base_.class_names();
    for (const auto& [k, v] : classes_) names.push_back(k);
    SourceLoc at = q.where_class();
    throw ConfigError(at.file, at.line, at.key_path,
                      "unknown component class '" + q.cls + "'" + did_you_mean(q.cls, names) +
                          "; expected a built-in class or a compound class given with "
                          "components:/compound_components: (or give an ERT)");
  }
  return base_.estimate(q);
}

Estimate ComponentLibrary::compound(const CompoundClass& c, const Query& q,
                                    std::vector<std::string>& stack) const {
  if (std::find(stack.begin(), stack.end(), c.name) != stack.end()) {
    std::string chain = join(stack, " -> ") + " -> " + c.name;
    fail_at(q.where_class(), "circular compound definition: " + chain);
  }
  stack.push_back(c.name);
  Scope scope(c, q);
  Estimate out;
  out.cls = c.name;
  out.defined_at = c.loc;
  std::vector<Estimate> subs;
  std::vector<std::string> estimators;
  auto note = [&](const std::string& joined) {
    std::stringstream ss(joined);
    std::string part;
    while (std::getline(ss, part, '+'))
      if (std::find(estimators.begin(), estimators.end(), part) == estimators.end())
        estimators.push_back(part);
  };
  for (const auto& sub : c.subs) {
    Query sq;
    sq.cls = sub.cls;
    sq.loc = sub.loc;
    sq.loc.key_path += ".attributes";
    sq.class_loc = sub.class_loc;
    for (const char* inherited : {"technology", "global_cycle_seconds"})
      if (auto it = q.attrs.find(inherited); it != q.attrs.end()) sq.attrs[inherited] = it->second;
    std::map<std::string, double> siblings;
    for (const auto& [k, v] : sub.attributes.items) {
      sq.attrs[k] = scope.pass(v, &siblings);
      if (auto x = parse_number(sq.attrs[k])) siblings[k] = *x;
    }
    Estimate e = estimate_in(sq, stack);
    double n = count(scope, sub.range_lo, sub.range_hi, sub.loc);
    double scale = sub.area_scale.empty() ? 1.0 : scope.eval(sub.area_scale, sub.loc);
    out.area_um2 += n * scale * e.area_um2;
    std::string label = sub.name;
    if (!sub.range_lo.empty())
      label += "[" + num(scope.eval(sub.range_lo, sub.loc)) + ".." +
               num(scope.eval(sub.range_hi, sub.loc)) + "]";
    if (e.parts.empty()) {
      out.parts.emplace_back(label, e.estimator);
    } else {
      for (const auto& [p, est] : e.parts) out.parts.emplace_back(sub.name + "." + p, est);
    }
    note(e.estimator);
    subs.push_back(std::move(e));
  }
  for (const auto& act : c.actions) {
    // Arguments at the top of their ranges (compound.hpp, ActionArgument).
    std::map<std::string, double> args;
    for (const auto& a : act.arguments) {
      double lo = scope.eval(a.lo, a.loc), hi = scope.eval(a.hi, a.loc);
      if (hi < lo) fail_at(a.loc, "argument '" + a.name + "': the range is empty");
      args[a.name] = hi;
    }
    double total = 0;
    for (const auto& t : act.terms) {
      auto it = std::find_if(c.subs.begin(), c.subs.end(),
                             [&](const CompoundSub& s) { return s.name == t.sub; });
      if (it == c.subs.end()) {
        std::vector<std::string> names;
        for (const auto& s : c.subs) names.push_back(s.name);
        fail_at(t.loc, "action '" + act.name + "' names no subcomponent '" + t.sub + "'" +
                           did_you_mean(t.sub, names) + "; subcomponents: " + join(names));
      }
      const Estimate& e = subs[static_cast<std::size_t>(it - c.subs.begin())];
      auto a = e.actions.find(t.action);
      if (a == e.actions.end()) {
        std::vector<std::string> names;
        for (const auto& [k, v] : e.actions) names.push_back(k);
        fail_at(t.loc, "subcomponent '" + t.sub + "' (class " + e.cls + ") has no action '" +
                           t.action + "'" + did_you_mean(t.action, names) + "; it has " +
                           join(names));
      }
      double n = t.range_lo.empty() ? count(scope, it->range_lo, it->range_hi, t.loc)
                                    : count(scope, t.range_lo, t.range_hi, t.loc, args);
      double scale = t.energy_scale.empty() ? 1.0 : scope.eval(t.energy_scale, t.loc, args);
      total += n * scale * a->second;
    }
    out.actions[act.name] = total;
  }
  // Accelergy also scales a compound's whole area by its own `area_scale` attribute (the
  // example smartbuffer_RF then scales its storage twice; the sweep's rows show it).
  if (auto a = scope.number("area_scale", 0)) out.area_um2 *= *a;
  out.estimator = join(estimators, "+");
  stack.pop_back();
  return out;
}

}  // namespace loopsim::estimate
