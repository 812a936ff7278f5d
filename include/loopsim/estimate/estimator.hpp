// loopsim's own Accelergy: energy per action and area of hardware components as functions
// of their attributes. Estimators are registered by class with a stated accuracy; for each
// query the most accurate estimator that supports it wins (ties: the one registered first),
// as Accelergy chooses among its plug-ins. See docs/energy-model.md for every law and the
// source of every constant.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "loopsim/arch/arch_spec.hpp"

namespace loopsim::estimate {

// One component to estimate: its class and attribute values (as text: numbers,
// "45nm", "LPDDR4"...). `loc` locates the attributes (errors append the attribute's name)
// and `class_loc` the class, for error messages.
struct Query {
  std::string cls;
  std::map<std::string, std::string> attrs;
  SourceLoc loc;
  SourceLoc class_loc;  // when empty, `loc` with ".class"
  [[nodiscard]] SourceLoc where_class() const;

  [[nodiscard]] bool has(const std::string& key) const { return attrs.count(key) != 0; }
  // The attribute as a number; throws ConfigError naming the key when it is absent or
  // not a number.
  [[nodiscard]] double number(const std::string& key) const;
  [[nodiscard]] double number_or(const std::string& key, double fallback) const;
  // The first present key among `keys` as a number; throws naming all of them when none is.
  [[nodiscard]] double first_number(std::initializer_list<const char*> keys) const;
  // `technology` in nm ("45nm", "45", "4.5e-8" in metres); throws when absent or bad.
  [[nodiscard]] double technology_nm() const;
  [[noreturn]] void fail(const std::string& key, const std::string& message) const;
};

// Energy per action (pJ; `leak` per cycle at the query's global_cycle_seconds) and area
// (um^2) of one instance.
struct Estimate {
  std::string cls;
  std::string estimator;  // e.g. "CactiSRAM"; compounds join distinct sub-estimators with '+'
  std::map<std::string, double> actions;
  double area_um2 = 0;
  // Compounds: (subcomponent name, estimator) for the summary files.
  std::vector<std::pair<std::string, std::string>> parts;
  // Compounds and user tables: where the class or table is defined (for messages about
  // its actions); empty for built-in estimators.
  SourceLoc defined_at;
};

class Estimator {
 public:
  virtual ~Estimator() = default;
  [[nodiscard]] virtual std::string name() const = 0;
  [[nodiscard]] virtual double accuracy() const = 0;  // 0..100, as Accelergy's plug-ins state
  [[nodiscard]] virtual std::vector<std::string> classes() const = 0;
  // Whether this estimator can answer (class and technology node); the attributes are
  // checked by estimate(), which throws ConfigError for a missing or bad one.
  [[nodiscard]] virtual bool supports(const Query& q) const = 0;
  [[nodiscard]] virtual Estimate estimate(const Query& q) const = 0;
};

class Registry {
 public:
  // An empty registry; Registry::builtin() has loopsim's estimators.
  Registry() = default;
  static Registry builtin();

  void add(std::shared_ptr<const Estimator> e) { estimators_.push_back(std::move(e)); }
  // The winning estimator's answer; throws ConfigError for an unknown class (with "did you
  // mean") or when no estimator supports the query (naming the technology).
  [[nodiscard]] Estimate estimate(const Query& q) const;
  [[nodiscard]] bool knows_class(const std::string& cls) const;
  [[nodiscard]] std::vector<std::string> class_names() const;

 private:
  std::vector<std::shared_ptr<const Estimator>> estimators_;
};

// Technology scaling of energy and area relative to 45 nm (see technology.cpp).
struct TechFactors {
  double energy = 1, area = 1;
};
TechFactors tech_factors(double node_nm);

}  // namespace loopsim::estimate
