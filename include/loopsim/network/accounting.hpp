// Compute and carbon accounting of a model (docs/accounting.md): operations, energy and time
// per inference on the modelled accelerator, training compute by OpenAI's two methods ("AI and
// Compute", 2018) in petaflop/s-days, and energy, kWh and CO2e by Strubell et al. (ACL 2019).
// Pure functions of plain values; no I/O (the YAML parser and the JSON writer are in io/).
#pragma once

#include <optional>
#include <ostream>
#include <string>

namespace loopsim::network {

// 1 petaflop/s-day = 10^15 operations per second for 86,400 s (OpenAI).
inline constexpr double kSecondsPerDay = 86400.0;
inline constexpr double kOpsPerPetaflopsDay = 1e15 * kSecondsPerDay;  // 8.64e19
inline constexpr double kJoulesPerKwh = 3.6e6;
inline constexpr double kKgPerLb = 0.45359237;  // international avoirdupois pound
// Defaults of Strubell et al. 2019: the 2018 global average PUE, and the EPA's 2018 US
// average grid intensity in lb CO2e per kWh.
inline constexpr double kDefaultPue = 1.58;
inline constexpr double kDefaultGridLbPerKwh = 0.954;
// OpenAI's method 2: the utilization assumed for GPUs ("usually 0.33").
inline constexpr double kDefaultUtilization = 0.33;

// OpenAI's method 2: devices x peak x time x utilization.
struct HardwareSpec {
  double devices = 0;         // number of GPUs/accelerators (may be fractional)
  double peak_ops_per_s = 0;  // peak operations per second of one device
  double days = 0;            // wall-clock training time
  double utilization = kDefaultUtilization;  // in (0, 1]
};

// Strubell et al.'s measured power: total draw (CPU + DRAM + GPUs) in watts, over `hours`.
struct MeasuredPower {
  double power_w = 0;
  double hours = 0;
};

// A training run (the `training:` YAML section; docs/accounting.md).
struct TrainingSpec {
  std::string name;
  // Method 1 (both or neither): training examples per epoch, and epochs.
  std::optional<double> examples;
  std::optional<double> epochs;
  // Multiply-accumulates of one forward pass of one example, when no model measured them
  // (InferenceFigures take precedence when they carry MACs).
  std::optional<double> macs_per_inference;
  // Method 1's factors: operations per MAC (an add and a multiply counted separately), and
  // passes per example (forward + backward = 3 forward passes).
  double ops_per_mac = 2;
  double passes_per_example = 3;
  std::optional<HardwareSpec> hardware;  // method 2
  std::optional<MeasuredPower> measured;  // Strubell's measured power
  std::optional<double> clock_hz;         // the modelled accelerator's clock (for seconds)
  double pue = kDefaultPue;
  double grid_lb_per_kwh = kDefaultGridLbPerKwh;
};

// What the model measured for one evaluation of the workload (a layer or a whole network).
struct InferenceFigures {
  double macs = 0;                   // multiply-accumulates of one evaluation (0: unknown)
  std::optional<double> energy_pj;   // energy of one evaluation on the modelled accelerator
  std::optional<double> cycles;      // latency of one evaluation, in cycles
  double batch = 1;                  // examples per evaluation (the workload's N)
  std::string source;                // where the figures come from (for the report)
};

// Electricity and emissions of an amount of IT energy.
struct Carbon {
  double it_kwh = 0;        // energy drawn by the hardware
  double facility_kwh = 0;  // x PUE
  double co2e_lb = 0;       // facility_kwh x grid intensity
  double co2e_kg = 0;
};

struct AccountingReport {
  std::string name;
  std::string source;
  // Per inference (one forward pass of one example).
  std::optional<double> macs_per_inference;
  std::optional<double> ops_per_inference;  // ops_per_mac x MACs
  std::optional<double> energy_per_inference_j;
  std::optional<double> inferences_per_j;
  std::optional<double> seconds_per_inference;
  // Method 1: ops per forward pass x passes x examples x epochs.
  std::optional<double> method1_ops;
  std::optional<double> method1_pfs_days;
  // Method 2: devices x peak ops/s x seconds x utilization.
  std::optional<double> method2_ops;
  std::optional<double> method2_pfs_days;
  // Training on the modelled accelerator: energy per inference x passes x examples x epochs.
  std::optional<double> training_energy_j;
  std::optional<double> training_seconds;  // on one accelerator
  std::optional<Carbon> training_carbon;
  // Strubell's measured power x hours.
  std::optional<Carbon> measured_carbon;
  double ops_per_mac = 2;
  double passes_per_example = 3;
  double pue = kDefaultPue;
  double grid_lb_per_kwh = kDefaultGridLbPerKwh;
};

// Operations / 8.64e19.
[[nodiscard]] double petaflops_days(double ops);
// OpenAI's method 1 in operations: ops_per_mac x macs x passes x examples x epochs.
[[nodiscard]] double method1_ops(double macs_per_forward_pass, double examples, double epochs,
                                 double ops_per_mac = 2, double passes_per_example = 3);
// OpenAI's method 2 in operations: devices x peak x days x 86400 x utilization.
[[nodiscard]] double method2_ops(const HardwareSpec& hw);
// Strubell's p_t = PUE x IT energy, and CO2e = grid x p_t.
[[nodiscard]] Carbon carbon_of(double it_energy_j, double pue, double grid_lb_per_kwh);
[[nodiscard]] Carbon carbon_of(const MeasuredPower& m, double pue, double grid_lb_per_kwh);

// Everything the spec and the figures allow. Contract: the spec is validated (positive
// numbers, utilization in (0, 1], PUE >= 1); figures with macs == 0 take the spec's
// macs_per_inference; quantities that cannot be computed stay empty.
[[nodiscard]] AccountingReport account(const TrainingSpec& spec, const InferenceFigures& figures);

// The report as a human-readable table (what `loopsim account` prints).
void print_accounting(std::ostream& out, const AccountingReport& r);

}  // namespace loopsim::network
