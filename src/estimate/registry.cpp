// Query helpers, the registry's choice of estimator, and technology scaling.
#include <algorithm>
#include <array>
#include <cmath>
#include <set>

#include "loopsim/core/error.hpp"
#include "loopsim/core/expr.hpp"
#include "loopsim/core/text.hpp"
#include "loopsim/estimate/estimator.hpp"

namespace loopsim::estimate {

void Query::fail(const std::string& key, const std::string& message) const {
  std::string path = loc.key_path.empty() ? key : loc.key_path + "." + key;
  throw ConfigError(loc.file.empty() ? "<query>" : loc.file, loc.line, path,
                    "class '" + cls + "': " + message);
}

SourceLoc Query::where_class() const {
  if (!class_loc.file.empty()) return class_loc;
  SourceLoc at = loc;
  if (at.file.empty()) at.file = "<query>";
  at.key_path = at.key_path.empty() ? "class" : at.key_path + ".class";
  return at;
}

double Query::number(const std::string& key) const {
  auto it = attrs.find(key);
  if (it == attrs.end()) fail(key, "missing attribute '" + key + "' (a number)");
  auto v = parse_number(it->second);
  if (!v) fail(key, "expected a number, got '" + it->second + "'");
  return *v;
}

double Query::number_or(const std::string& key, double fallback) const {
  return has(key) ? number(key) : fallback;
}

double Query::first_number(std::initializer_list<const char*> keys) const {
  std::vector<std::string> names;
  for (const char* k : keys) {
    if (has(k)) return number(k);
    names.emplace_back(k);
  }
  fail(names.front(), "missing attribute: expected one of " + join(names) + " (bits)");
}

double Query::technology_nm() const {
  auto it = attrs.find("technology");
  if (it == attrs.end()) fail("technology", "missing attribute 'technology' (e.g. 45nm)");
  std::string t = it->second;
  bool nm = t.size() > 2 && t.compare(t.size() - 2, 2, "nm") == 0;
  if (nm) t = t.substr(0, t.size() - 2);
  auto v = parse_number(t);
  if (!v || *v <= 0) fail("technology", "expected a node like 45nm, got '" + it->second + "'");
  double n = *v;
  if (!nm && n < 1e-3) n *= 1e9;  // metres
  return n;
}

bool Registry::knows_class(const std::string& cls) const {
  for (const auto& e : estimators_) {
    auto c = e->classes();
    if (std::find(c.begin(), c.end(), cls) != c.end()) return true;
  }
  return false;
}

std::vector<std::string> Registry::class_names() const {
  std::set<std::string> s;
  for (const auto& e : estimators_)
    for (const auto& c : e->classes()) s.insert(c);
  return {s.begin(), s.end()};
}

Estimate Registry::estimate(const Query& q) const {
  if (!knows_class(q.cls)) {
    SourceLoc at = q.where_class();
    throw ConfigError(at.file, at.line, at.key_path,
                      "unknown component class '" + q.cls + "'" +
                          did_you_mean(q.cls, class_names()) + "; known classes: " +
                          join(class_names()));
  }
  const Estimator* best = nullptr;
  for (const auto& e : estimators_)
    if ((!best || e->accuracy() > best->accuracy()) && e->supports(q)) best = e.get();
  if (!best) {
    if (!q.has("technology")) q.fail("technology", "missing attribute 'technology' (e.g. 45nm)");
    std::vector<std::string> names;
    for (const auto& e : estimators_) {
      auto c = e->classes();
      if (std::find(c.begin(), c.end(), q.cls) != c.end()) names.push_back(e->name());
    }
    q.fail("technology", "no estimator supports technology '" + q.attrs.at("technology") +
                             "' (estimators for this class: " + join(names) + ")");
  }
  return best->estimate(q);
}

// Technology scaling relative to 45 nm. At 32, 40 and 65 nm: the factors of Accelergy's
// Library plug-in (measured on the Accelergy sweep: every Library row at those nodes is the
// 45 nm row times one energy and one area factor). Between them: interpolation in
// ln(node). Outside 32-65 nm: first-order scaling from the nearest end, dynamic energy
// proportional to the node (C ~ L at a roughly constant supply voltage since ~45 nm) and
// area to its square.
TechFactors tech_factors(double node_nm) {
  struct Row {
    double node, energy, area;
  };
  static constexpr std::array<Row, 4> rows{{{32, 0.65934, 0.46},
                                            {40, 0.790363, 0.667692},
                                            {45, 1.0, 1.0},
                                            {65, 1.240657, 1.5}}};
  if (node_nm <= rows.front().node) {
    double r = node_nm / rows.front().node;
    return {rows.front().energy * r, rows.front().area * r * r};
  }
  if (node_nm >= rows.back().node) {
    double r = node_nm / rows.back().node;
    return {rows.back().energy * r, rows.back().area * r * r};
  }
  for (std::size_t i = 0; i + 1 < rows.size(); ++i) {
    const Row& a = rows[i];
    const Row& b = rows[i + 1];
    if (node_nm >= a.node && node_nm <= b.node) {
      double f = std::log(node_nm / a.node) / std::log(b.node / a.node);
      return {std::exp(std::log(a.energy) + f * std::log(b.energy / a.energy)),
              std::exp(std::log(a.area) + f * std::log(b.area / a.area))};
    }
  }
  return {1, 1};
}

}  // namespace loopsim::estimate
