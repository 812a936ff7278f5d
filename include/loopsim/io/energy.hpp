// `loopsim energy`: loopsim's own Accelergy. Estimates the energy per action (ERT) and area
// (ART) of every component of an architecture, or of one primitive (--query).
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "loopsim/arch/arch_spec.hpp"
#include "loopsim/core/diagnostics.hpp"
#include "loopsim/energy/energy_table.hpp"
#include "loopsim/estimate/compound.hpp"
#include "loopsim/frontend/options.hpp"

namespace loopsim::io {

// `--query CLASS name=value...`: prints {"class","estimator","actions":{...},"area_um2"}.
// `files` may give compound classes and user tables (components:).
void energy_query(const std::vector<std::string>& files, const std::vector<std::string>& args,
                  std::ostream& out, const frontend::Options& options = {});

// One estimated component of an architecture, named as Accelergy names it.
struct EstimatedComponent {
  std::string name;  // e.g. "system_top_level.shared_glb[1..1]"
  estimate::Estimate estimate;
  SourceLoc loc;  // the component's class in the architecture
};
// `vars`: the architecture's `variables:`, for attributes written as expressions over them.
std::vector<EstimatedComponent> estimate_architecture(const ArchSpec& arch,
                                                      const estimate::ComponentLibrary& library,
                                                      const Variables& vars,
                                                      Diagnostics* diag = nullptr);
// The estimates as EnergyInputs for EnergyTable::resolve.
EnergyInputs to_energy_inputs(const std::vector<EstimatedComponent>& components);

// The architecture and component classes of some input files (no problem or mapping needed).
struct EnergyModelInputs {
  ArchSpec arch;
  estimate::ComponentLibrary library;
  Variables variables;
};
EnergyModelInputs load_energy_inputs(const std::vector<std::string>& files,
                                     Diagnostics* diag = nullptr,
                                     const frontend::Options& options = {});

// `loopsim energy FILES... -o DIR`: writes ERT.yaml, ERT_summary.yaml, ART.yaml and
// ART_summary.yaml (Accelergy v0.4 layout) into `out_dir`.
void write_energy_tables(const std::vector<std::string>& files, const std::string& out_dir,
                         Diagnostics* diag = nullptr, const frontend::Options& options = {});

}  // namespace loopsim::io
