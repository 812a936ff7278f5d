// Energy and area per action for every level (Accelergy's ERT/ART resolved against the
// flattened architecture once, so evaluation does O(1) lookups).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "loopsim/arch/arch_spec.hpp"

namespace loopsim {

// One component of an ERT as read from a file: action name -> energy (pJ); when an action
// is listed with several argument sets (Accelergy v0.3), the largest energy is kept, as
// Timeloop does.
struct ErtEntry {
  std::string name;  // as written, e.g. "system_top_level.shared_glb[1..1]"
  std::map<std::string, double> actions;
  SourceLoc loc;
  std::string source;  // for the stats' "energy source": empty means "ERT"
};

struct ArtEntry {
  std::string name;
  double area_um2 = 0;
  SourceLoc loc;
};

struct EnergyInputs {
  std::vector<ErtEntry> ert;
  std::vector<ArtEntry> art;
  std::string ert_file;  // for messages; empty when no ERT was given
  SourceLoc tables_loc;  // where the ERT's table list is written (for missing-entry errors)
};

struct StorageEnergy {
  double read_pj = 0, fill_pj = 0, update_pj = 0;  // per vector access
  double leak_pj = 0;                              // per instance per cycle
  double area_um2 = 0;                             // per instance
  std::string source = "ERT";
};

struct ComputeEnergy {
  double compute_pj = 0;
  double area_um2 = 0;
  std::string source = "ERT";
};

class EnergyTable {
 public:
  // Matches ERT/ART components to levels by their last name component without "[a..b]".
  // Throws ConfigError for a level without an entry or an entry without a level.
  static EnergyTable resolve(const ArchSpec& arch, const EnergyInputs& inputs);

  [[nodiscard]] const StorageEnergy& storage(int level) const { return storage_[level]; }
  [[nodiscard]] const ComputeEnergy& compute() const { return compute_; }
  // Scales every entry (used by property tests: energy is linear in the table).
  void scale(double factor);

 private:
  std::vector<StorageEnergy> storage_;
  ComputeEnergy compute_;
};

// "a.b.c[1..4]" -> "c"
std::string ert_component_name(const std::string& full);

}  // namespace loopsim
