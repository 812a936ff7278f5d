// A design-space sweep (docs/sweep.md): the `sweep:` file parsed into parameters, how they
// combine, filters and objectives, and its expansion into numbered points. No I/O beyond
// reading the sweep file; running a point is run_point.hpp.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "loopsim/frontend/options.hpp"

namespace loopsim::explore {

// Where a value of the sweep file is written (for file:line errors).
struct Place {
  std::string file;
  int line = 0;
  std::string key_path;
};

enum class ParamKind { Set, Dataflow, Workload, Mapping, Mapper };

struct Parameter {
  std::string name;
  ParamKind kind = ParamKind::Set;
  std::string target;               // Set: the --set path; Mapper: the setting's name
  std::vector<std::string> values;  // as text (numbers in their shortest exact form)
  std::string expr;                 // derived from other parameters (no values of its own)
  Place where;
  [[nodiscard]] bool derived() const { return !expr.empty(); }
};

enum class Combine { Grid, Zip, Random, LatinHypercube };
enum class RunKind { Model, Map, Network };

struct LoadedNetwork;  // run: network (point_internal.hpp)

struct Filter {
  std::string expr;
  Place where;
  bool uses_figures = false;  // names area_um2: applied per point after loading, before mapping
};

// Settings of every point's mapper search (the sweep file's `mapper:`). A sweep's result must
// not depend on timing: a search is bounded by work (max_evaluations, with a seed) or is the
// proving `optimal` algorithm.
struct MapperOverrides {
  std::string algorithm;  // empty: the inputs' own
  std::int64_t max_evaluations = 0;
  std::uint64_t seed = 1;
};

struct SweepSpec {
  std::string file;                 // the sweep file
  std::vector<std::string> inputs;  // base input files, paths resolved
  RunKind run = RunKind::Map;
  std::string network;  // run: network: the network file, resolved
  std::shared_ptr<const LoadedNetwork> loaded_network;
  Combine combine = Combine::Grid;
  std::vector<std::vector<int>> zip_groups;  // grid: parameters that move together
  int samples = 0;                           // random / latin-hypercube
  std::uint64_t seed = 1;
  std::vector<Parameter> params;  // swept first, then derived, in written order
  std::vector<Filter> filters;
  std::vector<std::string> objectives;  // energy_pj, cycles, edp, area_um2, energy_per_mac_pj
  MapperOverrides mapper;
  // `energy:` a component a parameter changes while a user ERT prices it is re-estimated
  // (default) or keeps the ERT's energies with a warning (pin).
  frontend::ErtPolicy energy = frontend::ErtPolicy::Reestimate;
  bool has_ert = false;  // an input file gives an ERT (the policy is then part of the hash)
  // Per input file (and per workload/mapping parameter file, resolved): the files it
  // includes, read when the sweep file is loaded; their contents are part of a point's hash.
  std::map<std::string, std::vector<std::string>> included;
  [[nodiscard]] int index_of(const std::string& name) const;  // -1 when unknown
};

// A point: one value per parameter (derived ones included), in SweepSpec::params order.
struct Point {
  int id = 0;
  std::vector<std::string> values;
};

// The figures objectives, filters and the outputs name (all minimized).
const std::vector<std::string>& objective_names();

// Parses a sweep file. `dataflow_path` resolves a preset name to its file (ConfigError
// otherwise). ConfigError (file:line) for anything without meaning: unknown keys, a range
// with step 0, an expression naming an unknown parameter, ...
SweepSpec load_sweep(const std::string& path,
                     const std::function<std::string(const std::string&)>& dataflow_path);

// The points in order (ids 0..n-1), after the filters over parameters alone. ConfigError at
// the first filter when they remove every point.
std::vector<Point> expand(const SweepSpec& spec);

// A number in its shortest text that reads back exactly (whole numbers without a point).
std::string number_text(double v);

// The value of a point's parameter as a number, or nullopt when it is not one.
std::optional<double> numeric_value(const std::string& text);

// Evaluates `expr` over the point's numeric parameters and `figures` (name, value); throws
// ConfigError at `where` for an unknown name or a non-numeric parameter.
double evaluate_over(const SweepSpec& spec, const Point& p, const std::string& expr,
                     const Place& where,
                     const std::vector<std::pair<std::string, double>>& figures = {});

}  // namespace loopsim::explore
