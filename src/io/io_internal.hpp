// Parsers of each top-level section (private to io/).
#pragma once

#include <map>

#include "loopsim/estimate/compound.hpp"
#include "loopsim/io/energy.hpp"
#include "loopsim/io/load.hpp"
#include "yaml_cursor.hpp"

namespace loopsim::io {

// The input files merged by top-level key (like `timeloop-model *.yaml`): a key given twice
// is an error unless one of the two is empty; an unknown top-level key is an error.
struct MergedInputs {
  struct Entry {
    Cursor value, key;  // the value, and where the key itself is written
  };
  std::map<std::string, Entry> top;
  // `components:` and `compound_components:` may be given in several files (one class
  // file each, as the exercises' _components/*.yaml): all of them, in file order.
  std::vector<Entry> class_sections;
  std::vector<std::string> files;
  // With --set overrides: copies of `architecture:` and `variables:` as the files give them
  // (before the overrides), to find the components the overrides changed (ert_follow.cpp).
  std::optional<YAML::Node> base_architecture, base_variables;
  frontend::ErtPolicy ert_policy = frontend::ErtPolicy::Pin;
  // The resolved tree of each file, in order (the overrides apply to these; --render-only).
  std::vector<std::pair<std::string, YAML::Node>> roots;
  // The section's value, or nullopt when absent or empty.
  [[nodiscard]] std::optional<Cursor> get(const std::string& key) const;
  // The error for a needed section that is absent or empty.
  [[nodiscard]] ConfigError missing(const std::string& key, const std::string& what) const;
};
// Each file is read by the front end (templates rendered with `options`, includes and merges
// resolved: frontend/frontend.hpp).
MergedInputs merge_input_files(const std::vector<std::string>& files,
                               Diagnostics* diag = nullptr,
                               const frontend::Options& options = {});
// load_inputs on inputs already merged (load_mapper_inputs merges once for both parts).
ModelInputs load_merged_inputs(MergedInputs& merged, const std::vector<std::string>& files,
                               bool need_mapping, Diagnostics* diag, bool dummy_table);

// --set PATH=VALUE (frontend::Options::sets): replaces values of the merged tree in place;
// ConfigError "--set:0: PATH: no such key (did you mean ...)" for a path that names nothing.
void apply_set_overrides(MergedInputs& merged,
                         const std::vector<std::pair<std::string, std::string>>& sets);

// Energy follows the design: a component priced by a user ERT whose estimator attributes
// differ from those of the design before the overrides is re-estimated or kept with a
// warning (merged.ert_policy); recorded in in.ert_notes.
void follow_design(const MergedInputs& merged, ModelInputs& in, const Variables& vars,
                   Diagnostics* diag);
// The attributes loopsim's estimator would see for a component (expressions evaluated).
std::map<std::string, std::string> estimator_attributes(const std::string& cls,
                                                        const Attributes& attrs,
                                                        const Variables& vars,
                                                        double cycle_seconds);
// The estimate of one component: storage level `level`, or the arithmetic level when -1.
EstimatedComponent estimate_component(const ArchSpec& arch, int level,
                                      const estimate::ComponentLibrary& library,
                                      const Variables& vars);

// Compound classes and user tables of every components:/compound_components: section,
// on top of loopsim's built-in estimators.
estimate::ComponentLibrary load_component_library(const MergedInputs& merged);

// `vars`: the top-level variables, for instance bounds written as a variable's name or an
// expression over variables (timeloopfe evaluates them: `I: INPUT_BITS`).
Workload parse_problem(const Cursor& problem, const Variables* vars = nullptr);
// Where the workload's numbers are written, for the limit checks' messages.
struct WorkloadPlaces {
  Cursor instance;                             // the instance: map
  std::vector<std::optional<Cursor>> bounds;        // per dimension, when written
  std::vector<std::optional<Cursor>> coefficients;  // per coefficient, when written
};
// Errors when a data space's coordinates cannot fit 32 bits, or an access count could reach
// 2^62 (docs/formats.md, Limits).
void check_workload_limits(const Workload& w, const WorkloadPlaces& at);
// The variables, parsed only when first needed (a container's meshX/meshY written as an
// expression over them), so that loaders that do not need them do not pay for a large map.
class LazyVariables {
 public:
  explicit LazyVariables(const Variables* parsed) : parsed_(parsed) {}
  explicit LazyVariables(std::optional<Cursor> source) : source_(std::move(source)) {}
  [[nodiscard]] const Variables& get() const;

 private:
  const Variables* parsed_ = nullptr;
  std::optional<Cursor> source_;
  mutable std::optional<Variables> own_;
};

// `vars`: the variables, for container meshX/meshY written as expressions over them.
ArchTree parse_architecture(const Cursor& architecture, const LazyVariables* vars = nullptr);
// Timeloop's legacy `arch: {storage: [...] (innermost first), arithmetic: {...}}`.
ArchTree parse_legacy_arch(const Cursor& arch);
Variables parse_variables(const std::optional<Cursor>& variables);
// timeloopfe's Python in variables (python_variables.cpp): a YAML list as Python text, and
// the variables that need lists or lambdas evaluated, each replaced by its value when that is
// a number, a boolean or a string.
std::string python_text(const Cursor& value);
void evaluate_python_variables(Variables& vars);
// The prefix of the attributes under which a v0.2/v0.3 primitive carries Accelergy 0.3's
// library defaults (a DRAM's width 64) to the energy queries only (a name no YAML key can
// have; load_arch.cpp, default_v03_attributes).
inline constexpr const char* kAccelergyDefault = "\x01" "accelergy_default:";
Mapping parse_mapping(const Cursor& mapping, const Workload& workload, const ArchSpec& arch);
ModelConfig parse_model_config(const Cursor& c, const Workload& w);  // loopsim_model:
void parse_ert(const Cursor& ert, EnergyInputs& out);
void parse_art(const Cursor& art, EnergyInputs& out);
void parse_ert_summary(const Cursor& ert, EnergyInputs& out);
void parse_art_summary(const Cursor& art, EnergyInputs& out);

// One attribute as written: a scalar (number, string or expression) or null, with its place.
AttrValue parse_attr_value(const Cursor& v);

// Shared by the mapping and constraint parsers: a permutation (string or list, innermost
// first), a target level (a storage level, or a container's spatial level), a data-space list.
std::vector<int> parse_permutation(const Cursor& c, const Workload& w);
int resolve_target(const Cursor& t, const ArchSpec& arch);
std::vector<bool> data_space_list(const Cursor& c, const Workload& w);
// The no-reuse modifiers of a temporal or spatial constraint/directive `c` at `level`: the
// keys no_reuse (v0.4) and Timeloop's no_temporal_reuse (temporal) or
// no_multicast_no_reduction (spatial), each a data-space list, "*" or true; ORed into
// `flags` (resized to the data spaces). The other kind's key is an error, and so is a
// spatial one at a level without fan-out.
void parse_no_reuse(const Cursor& c, bool spatial, const Workload& w, const ArchSpec& arch,
                    int level, std::vector<bool>& flags);
// Errors on any no-reuse key in `c` (a `kind` that is neither temporal nor spatial).
void reject_no_reuse(const Cursor& c, const std::string& kind);

// v0.4 `constraints:` written on an architecture node, kept for the mapper.
struct NodeConstraint {
  std::string node;  // the node's name
  NodeKind kind = NodeKind::Component;
  std::int64_t spatial = 1;  // container fan-out (meshX * meshY)
  Cursor value;
};
ArchTree parse_architecture(const Cursor& architecture, std::vector<NodeConstraint>* constraints,
                            const LazyVariables* vars = nullptr);

// timeloopfe's maximize_dims on a temporal or spatial constraint of `level`: lists of
// dimensions whose factors are made as large as fit in the capacity (the level's fan-out for a
// spatial constraint, maximize_dims_capacity for a temporal one). Applied after every other
// constraint is read (constraint_macros.cpp).
struct MaximizeDims {
  int level = 0;
  bool spatial = false;
  Cursor dims;
  std::optional<Cursor> capacity;
};
void apply_maximize_dims(const std::vector<MaximizeDims>& requests, const Workload& w,
                         const ArchSpec& arch, Constraints& out);

Constraints parse_constraints(const MergedInputs& merged, const std::vector<NodeConstraint>& nodes,
                              const Workload& w, const ArchSpec& arch);
MapperSettings parse_mapper_settings(const std::optional<Cursor>& mapper);
// `loopsim model` does not use constraints or `mapper:` settings (as timeloop-model), but
// checks them as `map` would: an error there becomes a warning at the error's file:line.
void warn_on_constraint_errors(const MergedInputs& merged, const ModelInputs& in,
                               Diagnostics* diag);

// Timeloop's imperfect-factorization mapspace (load_ruby.cpp): the mapspace `template`
// (uber | ruby; anything else is an error with a suggestion) and a temporal or spatial
// constraint's `remainders` (the factors there may be imperfect, at most this value).
void parse_mapspace_template(const Cursor& tpl, Constraints& out);
void parse_remainders(const Cursor& r, bool spatial, LevelConstraints& lc);
// After every constraint is read: `remainders` without the ruby template has no effect in
// Timeloop (a warning at the first one).
void warn_unused_remainders(const std::optional<Cursor>& first, const Constraints& c);

// Splits "PE[0..167]" into ("PE", 168); no range gives (name, 1).
std::pair<std::string, std::int64_t> split_name_range(const Cursor& where, const std::string& name);

}  // namespace loopsim::io
