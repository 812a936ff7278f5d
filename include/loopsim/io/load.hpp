// Loading Timeloop/Accelergy inputs: several YAML files merged into one tree (like
// `timeloop-model *.yaml`), then parsed into domain types. The only yaml-cpp user.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "loopsim/arch/arch_spec.hpp"
#include "loopsim/core/diagnostics.hpp"
#include "loopsim/energy/energy_table.hpp"
#include "loopsim/frontend/options.hpp"
#include "loopsim/mapper/constraints.hpp"
#include "loopsim/mapping/mapping.hpp"
#include "loopsim/model/accuracy.hpp"
#include "loopsim/workload/workload.hpp"

namespace loopsim::io {

// The merged top-level keys of all input files (opaque; see load.cpp).
class InputTree;

// A component whose attributes a --set override changed while a user ERT prices it
// (docs/sweep.md, Energy follows the design).
struct ErtNote {
  std::string component;  // the level's name
  std::string action;     // "reestimated" or "pinned"
  std::string change;     // e.g. "depth: 13824 -> 27648"
  SourceLoc entry;        // the ERT entry the design no longer matches
};

struct ModelInputs {
  Workload workload;
  ArchSpec arch;
  std::optional<Mapping> mapping;
  EnergyInputs energy;
  bool hide_inconsequential = false;  // globals.environment_variables
  ModelConfig model;                  // loopsim_model: (the default: Timeloop's model)
  std::vector<std::string> files;
  std::vector<ErtNote> ert_notes;  // components --set moved away from their ERT entries
};

// Merges the files; a top-level key given in two files is combined as timeloopfe does (lists
// joined, maps merged, equal values kept; a warning), two different values are an error.
// `purpose` is "model" or "map" (what the keys are for, in messages).
// `diag` collects warnings (inputs Timeloop accepts that look like a mistake); without one
// they are printed on stderr. `options`: the front end's (Jinja2 variables of templates).
// `dummy_table`: every component gets timeloopfe's placeholder energies instead of an ERT or
// loopsim's estimates (EnableDummyTableProcessor with Accelergy's dummy table: 1 pJ per
// action, 0 leakage, 1 um^2), so a mapping can be searched before any energy table exists.
// With a mapping needed (`loopsim model`), errors in the constraints and `mapper:` settings,
// which model does not use, are warnings (`loopsim map` rejects them).
ModelInputs load_inputs(const std::vector<std::string>& files, bool need_mapping,
                        Diagnostics* diag = nullptr, const frontend::Options& options = {},
                        bool dummy_table = false);
// The placeholder energies of `dummy_table` for an architecture.
EnergyInputs dummy_energy_inputs(const ArchSpec& arch);

// Inputs of `loopsim map`: the model inputs (a mapping is not needed), the constraints
// from the architecture nodes and the constraint sections, and the `mapper:` settings.
struct MapperInputs {
  ModelInputs model;
  Constraints constraints;
  MapperSettings settings;
};
MapperInputs load_mapper_inputs(const std::vector<std::string>& files,
                                Diagnostics* diag = nullptr,
                                const frontend::Options& options = {},
                                bool dummy_table = false);
// Applies a dataflow preset (mappings/dataflows/*.yaml; docs/mapper.md) to the constraints.
// When the preset's `array_when_trivial` roles replace its `array` roles (every array
// dimension has bound 1 in this layer), `note` (if given) says so.
void apply_dataflow_file(const std::string& path, const Workload& w, const ArchSpec& arch,
                         Constraints& constraints, std::string* note = nullptr);

// `--render-only` with --set: every file as the front end resolves it, with the overrides
// applied where they land (ConfigError for a path that names nothing, as any run); a key
// given in several files and overridden is shown once more, merged, at the end.
std::string render_with_overrides(const std::vector<std::string>& files,
                                  const frontend::Options& options);

// Individual parsers, exposed for tests.
Workload load_workload_file(const std::string& path);

}  // namespace loopsim::io
