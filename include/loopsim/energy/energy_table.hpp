// Energy and area per action for every level (Accelergy's ERT/ART resolved against the
// flattened architecture once, so evaluation does O(1) lookups).
#pragma once

#include <cstdint>
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
  // Every argument set of each action as written (a SimpleMulticast network picks the one
  // whose multicast-factor argument equals the transfer's multicast factor).
  struct Variant {
    std::map<std::string, std::string> arguments;
    double energy = 0;
  };
  std::map<std::string, std::vector<Variant>> variants;
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

// One network of the architecture (ArchSpec::networks) resolved against the tables
// (docs/cost-model.md §9).
struct NetworkEnergy {
  double energy_per_hop_pj = 0;  // as written, else word bits * tile width * wire energy
  double router_pj = 0, ingress_pj = 0;
  double tile_width_um = 0;      // as written, else the floorplan's (sqrt of the inner tile area)
  double wire_energy_pj_per_bit_mm = 0;
  // SimpleMulticast: per ERT action, its variants as (multicast factor from the argument,
  // -1 when absent; energy), in the order written.
  std::map<std::string, std::vector<std::pair<std::int64_t, double>>> actions;
  // Whether the energy depends on the hop counts (which only the walk computes).
  [[nodiscard]] bool needs_hops() const { return energy_per_hop_pj != 0 || router_pj != 0; }
};

class EnergyTable {
 public:
  // Matches ERT/ART components to levels by their last name component without "[a..b]".
  // Throws ConfigError for a level without an entry or an entry without a level.
  static EnergyTable resolve(const ArchSpec& arch, const EnergyInputs& inputs);

  [[nodiscard]] const StorageEnergy& storage(int level) const { return storage_[level]; }
  [[nodiscard]] const ComputeEnergy& compute() const { return compute_; }
  [[nodiscard]] const NetworkEnergy& network(int i) const { return networks_[i]; }
  [[nodiscard]] int num_networks() const { return static_cast<int>(networks_.size()); }
  [[nodiscard]] bool networks_need_hops() const;
  // Whether any network has a non-zero energy (else the model skips them).
  [[nodiscard]] bool networks_priced() const;
  // Scales every entry (used by property tests: energy is linear in the table).
  void scale(double factor);

 private:
  std::vector<StorageEnergy> storage_;
  ComputeEnergy compute_;
  std::vector<NetworkEnergy> networks_;  // per ArchSpec::networks
};

// The networks of `arch` priced from the tables and the levels' areas (network_energy.cpp).
std::vector<NetworkEnergy> resolve_networks(const ArchSpec& arch, const EnergyInputs& inputs,
                                            const std::vector<StorageEnergy>& storage,
                                            const ComputeEnergy& compute);
// Whether an ERT component name belongs to a network or Timeloop's `wire` entry.
bool is_network_ert_name(const ArchSpec& arch, const std::string& component);

// "a.b.c[1..4]" -> "c"
std::string ert_component_name(const std::string& full);

}  // namespace loopsim
