// Evaluation: accesses, energy, cycles and utilization of a mapping on an architecture.
// Equations: docs/cost-model.md.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "loopsim/analysis/closed_form.hpp"
#include "loopsim/analysis/tiling.hpp"
#include "loopsim/energy/energy_table.hpp"
#include "loopsim/model/accuracy.hpp"

namespace loopsim {

enum class RejectReason { Capacity, Fanout, Instances, MinUtilization, Mapping };

struct Rejection {
  int level = -1;  // storage level, -1 for the arithmetic level or the whole mapping
  std::string level_name;
  RejectReason reason = RejectReason::Mapping;
  std::string detail;
  [[nodiscard]] std::string describe() const;
};

struct DataSpaceStats {
  bool keep = false;
  std::uint64_t partition_size = 0;
  std::uint64_t utilized_capacity = 0;
  std::uint64_t utilized_instances = 0;
  std::uint64_t utilized_clusters = 0;
  std::uint64_t reads = 0, fills = 0, updates = 0;  // scalar, per instance
  std::uint64_t temporal_reductions = 0;
  std::uint64_t address_generations = 0;            // per cluster
  double energy_per_instance_pj = 0;
  double energy_total_pj = 0;
  double read_bandwidth = 0, write_bandwidth = 0;   // words/cycle per instance
  [[nodiscard]] std::uint64_t accesses() const { return reads + fills + updates; }
};

struct StorageStats {
  std::string name;
  std::vector<DataSpaceStats> data_spaces;
  std::vector<Loop> loops;  // innermost first (trivial loops included)
  std::uint64_t cycles = 0;
  double slowdown = 1.0;
  double leakage_pj = 0;   // all instances, whole run
  double energy_pj = 0;    // data spaces + leakage
  double area_um2 = 0;     // all instances
  [[nodiscard]] bool keeps_anything() const;
};

struct ComputeStats {
  std::uint64_t computes = 0;            // all instances
  std::uint64_t cycles = 0;
  std::uint64_t utilized_instances = 0;
  double energy_pj = 0;
  double area_um2 = 0;
};

// One network (ArchSpec::networks), per data space: what Timeloop's LegacyNetwork or
// SimpleMulticastNetwork reports (docs/cost-model.md §9). Per instance of the level that
// sends (the outer level of the connection); totals over its utilized instances.
struct NetworkDataSpaceStats {
  std::uint64_t fanout = 0;
  std::uint64_t multicast_factor = 0;
  // Ingresses per instance by (multicast, scatter), after the read-modify-write doubling.
  std::vector<std::pair<std::pair<std::uint64_t, std::uint64_t>, double>> ingresses;
  double total_ingresses = 0;
  std::uint64_t link_transfers = 0;   // per instance
  double spatial_reductions = 0;      // per instance
  double average_hops = 0;
  double energy_per_hop_pj = 0;
  double energy_per_instance_pj = 0;       // wire, routers and ingresses
  double link_energy_per_instance_pj = 0;  // link transfers
  std::uint64_t utilized_instances = 0;
  double energy_total_pj = 0;              // (energy + link energy) * utilized instances
};

struct NetworkStats {
  std::string name;
  bool evaluated = false;  // attached to a level (Timeloop evaluates only those)
  std::vector<NetworkDataSpaceStats> data_spaces;
  double energy_pj = 0;    // all data spaces
};

struct Evaluation {
  ComputeStats compute;
  std::vector<StorageStats> levels;  // innermost first
  std::vector<NetworkStats> networks;  // per ArchSpec::networks
  std::uint64_t cycles = 0;
  double utilization = 0;
  double energy_pj = 0;
  double area_um2 = 0;
  [[nodiscard]] double edp() const { return energy_pj * 1e-12 * static_cast<double>(cycles); }
  [[nodiscard]] double fj_per_compute() const {
    return compute.computes ? energy_pj * 1000.0 / static_cast<double>(compute.computes) : 0.0;
  }
};

using EvalResult = std::variant<Evaluation, Rejection>;

// The networks' stats and energy from the collapsed tiles (network_model.cpp); fills
// ev.networks, whose energies the caller adds to the total.
void evaluate_networks(const Workload& workload, const ArchSpec& arch, const EnergyTable& energy,
                       const CollapsedNest& tiles, Evaluation& ev);

// Structural checks that do not need the nest analysis (fan-out, factor products).
std::optional<Rejection> precheck(const Workload& workload, const ArchSpec& arch,
                                  const Mapping& mapping);

// How the nest is analysed: Auto uses the closed form when every factor divides evenly and
// the Timeloop-style walk otherwise; Walk always walks (slow; the reference the closed form
// is checked against).
enum class Engine { Auto, Walk };

// `model`: Timeloop's numbers (the default) or the accurate model (accuracy.hpp), which
// always walks the nest.
EvalResult evaluate(const Workload& workload, const ArchSpec& arch, const EnergyTable& energy,
                    const Mapping& mapping, Engine engine = Engine::Auto,
                    const ModelConfig& model = {});

// Repeated evaluations of mappings of one workload on one architecture (what the mapper
// does): holds the inputs by reference and reuses its work buffers between calls. One
// Evaluator per thread; the referenced inputs must outlive it.
class Evaluator {
 public:
  Evaluator(const Workload& workload, const ArchSpec& arch, const EnergyTable& energy,
            Engine engine = Engine::Auto, const ModelConfig& model = {});
  // The evaluation (a copy) or the rejection.
  [[nodiscard]] EvalResult evaluate(const Mapping& mapping);
  // Evaluates into this evaluator's buffers without copying: nullptr when the mapping is
  // valid (then result() holds the evaluation), else the rejection. Both stay valid until
  // the next call.
  const Rejection* run(const Mapping& mapping);
  [[nodiscard]] const Evaluation& result() const { return ev_; }
  // After a valid run(): per storage level, whether another order of its spatial loops
  // within an axis may evaluate differently (CollapsedNest::link_order_sensitive). Unless
  // track_link_order(true) was called, every level says it may.
  void track_link_order(bool on) { track_link_order_ = on; }
  [[nodiscard]] const std::vector<char>& link_order_sensitive() const {
    return tiles_.link_order_sensitive;
  }
  [[nodiscard]] const Workload& workload() const { return workload_; }
  [[nodiscard]] const ArchSpec& arch() const { return arch_; }
  [[nodiscard]] const EnergyTable& energy() const { return energy_; }

 private:
  const Workload& workload_;
  const ArchSpec& arch_;
  const EnergyTable& energy_;
  Engine engine_;
  ModelConfig model_;
  bool track_link_order_ = false;
  std::vector<std::int64_t> fanout_x_, fanout_y_;
  ClosedFormAnalyzer closed_form_;
  LoopNest nest_;
  NestAnalysisResult analysis_;
  CollapsedNest tiles_;
  std::vector<std::uint64_t> above_x_, above_y_;
  std::vector<std::uint64_t> utilized_per_level_;  // storage instances in use, per level
  std::vector<Ratio> utilized_;                     // per loop, when factors are imperfect
  Evaluation ev_;
  Rejection rejection_;
};

}  // namespace loopsim
