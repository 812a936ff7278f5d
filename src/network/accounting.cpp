// Compute and carbon accounting: every formula is in docs/accounting.md with its source.
#include "loopsim/network/accounting.hpp"

#include <cstdio>

namespace loopsim::network {

double petaflops_days(double ops) { return ops / kOpsPerPetaflopsDay; }

double method1_ops(double macs_per_forward_pass, double examples, double epochs,
                   double ops_per_mac, double passes_per_example) {
  return macs_per_forward_pass * ops_per_mac * passes_per_example * examples * epochs;
}

double method2_ops(const HardwareSpec& hw) {
  return hw.devices * hw.peak_ops_per_s * hw.days * kSecondsPerDay * hw.utilization;
}

Carbon carbon_of(double it_energy_j, double pue, double grid_lb_per_kwh) {
  Carbon c;
  c.it_kwh = it_energy_j / kJoulesPerKwh;
  c.facility_kwh = c.it_kwh * pue;
  c.co2e_lb = c.facility_kwh * grid_lb_per_kwh;
  c.co2e_kg = c.co2e_lb * kKgPerLb;
  return c;
}

Carbon carbon_of(const MeasuredPower& m, double pue, double grid_lb_per_kwh) {
  return carbon_of(m.power_w * m.hours * 3600.0, pue, grid_lb_per_kwh);
}

AccountingReport account(const TrainingSpec& spec, const InferenceFigures& fig) {
  AccountingReport r;
  r.name = spec.name;
  r.ops_per_mac = spec.ops_per_mac;
  r.passes_per_example = spec.passes_per_example;
  r.pue = spec.pue;
  r.grid_lb_per_kwh = spec.grid_lb_per_kwh;
  const double batch = fig.batch > 0 ? fig.batch : 1.0;
  if (fig.macs > 0) {
    r.macs_per_inference = fig.macs / batch;
    r.source = fig.source;
  } else if (spec.macs_per_inference) {
    r.macs_per_inference = *spec.macs_per_inference;
    r.source = "training file (macs_per_inference)";
  }
  if (r.macs_per_inference) r.ops_per_inference = *r.macs_per_inference * spec.ops_per_mac;
  if (fig.energy_pj) {
    r.energy_per_inference_j = *fig.energy_pj * 1e-12 / batch;
    if (*r.energy_per_inference_j > 0) r.inferences_per_j = 1.0 / *r.energy_per_inference_j;
  }
  if (fig.cycles && spec.clock_hz) r.seconds_per_inference = *fig.cycles / *spec.clock_hz / batch;

  const bool have_run = spec.examples && spec.epochs;
  if (have_run && r.macs_per_inference) {
    r.method1_ops = method1_ops(*r.macs_per_inference, *spec.examples, *spec.epochs,
                                spec.ops_per_mac, spec.passes_per_example);
    r.method1_pfs_days = petaflops_days(*r.method1_ops);
  }
  if (spec.hardware) {
    r.method2_ops = method2_ops(*spec.hardware);
    r.method2_pfs_days = petaflops_days(*r.method2_ops);
  }
  if (have_run) {
    // The backward pass is taken to cost twice the forward pass in energy and time, as in
    // operations (passes_per_example forward-pass equivalents per example).
    const double passes = spec.passes_per_example * *spec.examples * *spec.epochs;
    if (r.energy_per_inference_j) {
      r.training_energy_j = *r.energy_per_inference_j * passes;
      r.training_carbon = carbon_of(*r.training_energy_j, spec.pue, spec.grid_lb_per_kwh);
    }
    if (r.seconds_per_inference) r.training_seconds = *r.seconds_per_inference * passes;
  }
  if (spec.measured) r.measured_carbon = carbon_of(*spec.measured, spec.pue, spec.grid_lb_per_kwh);
  return r;
}

namespace {

std::string num(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

void row(std::ostream& out, const std::string& label, const std::string& value) {
  std::string l = label;
  if (l.size() < 44) l.append(44 - l.size(), ' ');
  out << "  " << l << value << "\n";
}

void opt_row(std::ostream& out, const std::string& label, const std::optional<double>& v,
             const std::string& unit) {
  row(out, label, v ? num(*v) + (unit.empty() ? "" : " " + unit) : "-");
}

void carbon_rows(std::ostream& out, const Carbon& c) {
  row(out, "energy drawn (IT)", num(c.it_kwh) + " kWh");
  row(out, "energy with PUE", num(c.facility_kwh) + " kWh");
  row(out, "CO2e", num(c.co2e_lb) + " lb = " + num(c.co2e_kg) + " kg");
}

}  // namespace

void print_accounting(std::ostream& out, const AccountingReport& r) {
  out << "Compute and carbon accounting" << (r.name.empty() ? "" : ": " + r.name) << "\n";
  if (!r.source.empty()) out << "  (per-inference figures from " << r.source << ")\n";
  out << "Per inference (one forward pass of one example)\n";
  opt_row(out, "MACs", r.macs_per_inference, "");
  opt_row(out, "operations (" + num(r.ops_per_mac) + " per MAC)", r.ops_per_inference, "");
  opt_row(out, "energy", r.energy_per_inference_j, "J");
  opt_row(out, "inferences per joule", r.inferences_per_j, "");
  opt_row(out, "latency", r.seconds_per_inference, "s");
  out << "Training compute (OpenAI, AI and Compute)\n";
  opt_row(out, "method 1: operations", r.method1_ops, "");
  opt_row(out, "method 1: petaflop/s-days", r.method1_pfs_days, "");
  opt_row(out, "method 2: operations", r.method2_ops, "");
  opt_row(out, "method 2: petaflop/s-days", r.method2_pfs_days, "");
  out << "Training on the modelled accelerator (PUE " << num(r.pue) << ", "
      << num(r.grid_lb_per_kwh) << " lb CO2e/kWh)\n";
  opt_row(out, "energy", r.training_energy_j, "J");
  opt_row(out, "time on one accelerator", r.training_seconds, "s");
  if (r.training_carbon) carbon_rows(out, *r.training_carbon);
  if (r.measured_carbon) {
    out << "Measured power x time (Strubell et al. 2019)\n";
    carbon_rows(out, *r.measured_carbon);
  }
}

}  // namespace loopsim::network
