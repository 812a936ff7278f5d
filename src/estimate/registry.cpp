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
    q.fail("technology", "no estimator supports this " + q.cls + " at technology '" +
                             q.attrs.at("technology") + "' with these attributes (estimators "
                             "for this class: " + join(names) + "; see docs/energy-model.md "
                             "for their nodes and attributes)");
  }
  return best->estimate(q);
}

// Technology scaling relative to 45 nm: Stillmaker and Baas, "Scaling equations for the
// accurate prediction of CMOS device performance from 180 nm to 7 nm", Integration 58
// (2017) 74-81, the model Accelergy's Library plug-in (and its successor hwcomponents)
// applies. Area: the published node-to-node factors from 45 nm. Energy: the published
// per-node fit a*Vdd^2 + b*Vdd + c at Vdd = 0.8 V (the plug-in's default), divided by 45 nm's.
// At 40 nm, a node the paper does not list, the Library plug-in's own interpolated factors
// (0.790363 energy, 0.667692 area, measured on the Accelergy sweep) so that its rows match.
// Between nodes: interpolation in (ln node, ln factor); below 7 nm and above 130 nm,
// first-order scaling from the end node (energy ~ node, area ~ node^2).
namespace {
struct TechRow {
  double node, a, b, c, area;  // energy fit coefficients; area factor from 45 nm
};
constexpr std::array<TechRow, 10> kStillmaker{{{130, 7.171, -6.709, 2.904, 6.4},
                                              {90, 4.762, -4.781, 2.092, 2.8},
                                              {65, 3.755, -4.398, 1.975, 1.5},
                                              {45, 1.103, -0.362, 0.2767, 1.0},
                                              {32, 0.9559, -0.7823, 0.471, 0.46},
                                              {20, 0.373, -0.1582, 0.04104, 0.21},
                                              {16, 0.2958, -0.1241, 0.03024, 0.19},
                                              {14, 0.2363, -0.09675, 0.02239, 0.17},
                                              {10, 0.2068, -0.09311, 0.02375, 0.1},
                                              {7, 0.1776, -0.09097, 0.02447, 0.059}}};
constexpr double kVdd = 0.8;

double stillmaker_energy(const TechRow& r) { return r.a * kVdd * kVdd + r.b * kVdd + r.c; }

struct Point {
  double node, energy, area;
};
std::vector<Point> tech_points() {
  double e45 = stillmaker_energy(kStillmaker[3]);
  std::vector<Point> pts;
  for (const auto& r : kStillmaker) pts.push_back({r.node, stillmaker_energy(r) / e45, r.area});
  pts.push_back({40, 0.790363, 0.667692});
  std::sort(pts.begin(), pts.end(), [](const Point& x, const Point& y) { return x.node < y.node; });
  return pts;
}
}  // namespace

TechFactors tech_factors(double node_nm) {
  static const std::vector<Point> pts = tech_points();
  if (node_nm <= pts.front().node) {
    double r = node_nm / pts.front().node;
    return {pts.front().energy * r, pts.front().area * r * r};
  }
  if (node_nm >= pts.back().node) {
    double r = node_nm / pts.back().node;
    return {pts.back().energy * r, pts.back().area * r * r};
  }
  for (std::size_t i = 0; i + 1 < pts.size(); ++i) {
    const Point& a = pts[i];
    const Point& b = pts[i + 1];
    if (node_nm >= a.node && node_nm <= b.node) {
      double f = std::log(node_nm / a.node) / std::log(b.node / a.node);
      return {std::exp(std::log(a.energy) + f * std::log(b.energy / a.energy)),
              std::exp(std::log(a.area) + f * std::log(b.area / a.area))};
    }
  }
  return {1, 1};
}

}  // namespace loopsim::estimate
