// Networks between storage levels, as Timeloop's topology attaches them (docs/cost-model.md
// §9): every storage level feeds its inner level through a read-fill network and takes
// updates back through a drain-update network. Unless the level names a network component
// (`network_read` / `network_update`), both are one inferred Legacy network whose
// parameters are the level's own attributes.
#pragma once

#include <optional>
#include <string>

namespace loopsim {

struct SourceLoc;

enum class NetworkKind { Legacy, SimpleMulticast };

struct NetworkSpec {
  std::string name;  // the component's name, or "outer <==> inner" for an inferred network
  std::string cls;   // as written (XY_NoC, Legacy, SimpleMulticast); "Legacy" when inferred
  NetworkKind kind = NetworkKind::Legacy;
  bool inferred = true;
  int word_bits = 16;  // network_word_bits, else word_bits/word_width/datawidth, else 16
  // Legacy: energy per hop (pJ) as written, else word_bits * tile width (mm) * wire energy
  // (pJ per bit per mm, `wire_energy`, or an ERT `wire` entry's transfer_random).
  std::optional<double> energy_per_hop_pj;
  std::optional<double> wire_energy_pj_per_bit_mm;
  std::optional<double> tile_width_um;  // else the floorplan's inner tile width
  double router_energy_pj = 0;          // per router touched
  double ingress_energy_pj = 0;         // per ingress (`energy-per-ingress`)
  // SimpleMulticast: the ERT action priced per transfer, its multicast-factor argument
  // ("none" when absent) and whether actions are per data space (`<action>_<DataSpace>`).
  std::string action_name;
  std::string multicast_factor_argument = "none";
  bool per_datatype_ert = false;
  std::string file;  // where the component is written (for messages)
  int line = 0;
};

// Network classes (timeloopfe's NETWORK_CLASSES), matched as a part of the class name.
bool is_network_class(const std::string& cls);

}  // namespace loopsim
