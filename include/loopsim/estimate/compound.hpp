// Compound components (Accelergy's `components: {version: 0.4, classes: [...]}` and the
// older `compound_components`): a class made of subcomponents (possibly arrays such as
// `storage[1..width*depth]`) whose attributes are expressions over the compound's own, and
// whose actions are sums of subcomponent actions. User tables (a class's energy and area per
// attribute values) also live here: both take precedence over the built-in estimators.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "loopsim/arch/arch_spec.hpp"
#include "loopsim/estimate/estimator.hpp"

namespace loopsim::estimate {

struct CompoundSub {
  std::string name;       // without the range, e.g. "storage"
  std::string range_lo, range_hi;  // expressions; empty when the name has no range
  std::string cls;
  Attributes attributes;  // expressions over the compound's attributes
  std::string area_scale;  // expression (v0.4 area_scale, 0.3 area_share); empty = 1
  SourceLoc loc, class_loc;
};

struct CompoundTerm {
  std::string sub;                  // subcomponent name without range
  std::string range_lo, range_hi;   // which elements (count = hi - lo + 1); empty = all
  std::string action;
  std::string energy_scale;  // expression (v0.4 energy_scale, 0.3 action_share/repeat); empty = 1
  SourceLoc loc;
};

// An argument of a compound action (Accelergy 0.3: `data_delta: 0..1`). Accelergy writes one
// ERT entry per argument value; loopsim writes one energy per action, with every argument at
// the top of its range (`hi`), where a subcomponent action's scale or range names it.
struct ActionArgument {
  std::string name;
  std::string lo, hi;  // expressions over the class's attributes; equal for a single value
  SourceLoc loc;
};

struct CompoundAction {
  std::string name;
  std::vector<ActionArgument> arguments;
  std::vector<CompoundTerm> terms;
  SourceLoc loc;
};

struct CompoundClass {
  std::string name;
  Attributes attributes;  // defaults; "must_specify" marks required ones
  std::vector<CompoundSub> subs;
  std::vector<CompoundAction> actions;
  SourceLoc loc;
};

// A user table (Accelergy's table-based style): for one class and the listed attribute
// values, energy per action and area.
struct UserTableRow {
  std::map<std::string, std::string> match;  // attribute -> value as text
  std::map<std::string, double> actions;
  std::optional<double> area_um2;
  SourceLoc loc;
};
struct UserTable {
  std::string cls;
  std::vector<UserTableRow> rows;
  SourceLoc loc;
};

// Answers queries with the user's compound classes and tables first, then `base`.
class ComponentLibrary {
 public:
  explicit ComponentLibrary(Registry base) : base_(std::move(base)) {}
  // Throws ConfigError when a class is defined twice.
  void add_class(CompoundClass c);
  void add_table(UserTable t);
  [[nodiscard]] bool has_class(const std::string& cls) const;
  [[nodiscard]] Estimate estimate(const Query& q) const;
  [[nodiscard]] const Registry& base() const { return base_; }

 private:
  Estimate estimate_in(const Query& q, std::vector<std::string>& stack) const;
  Estimate estimate_without_table(const Query& q, std::vector<std::string>& stack) const;
  Estimate compound(const CompoundClass& c, const Query& q, std::vector<std::string>& stack) const;
  const UserTableRow* table_row(const Query& q) const;

  Registry base_;
  std::map<std::string, CompoundClass> classes_;
  std::map<std::string, UserTable> tables_;
};

}  // namespace loopsim::estimate
