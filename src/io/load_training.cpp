// The `training:` section (docs/accounting.md), the per-inference figures of a stats.json,
// and accounting.json.
#include "load_training.hpp"

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "loopsim/io/accounting.hpp"

namespace loopsim::io {

namespace {

// A finite number above `min` (or at least `min` when `min_inclusive`).
double number_at_least(const Cursor& c, double min, bool min_inclusive, const std::string& what) {
  double v = c.number();
  bool ok = std::isfinite(v) && (min_inclusive ? v >= min : v > min);
  if (!ok) c.fail("expected " + what + ", got '" + c.str() + "'");
  return v;
}

double positive(const Cursor& c) { return number_at_least(c, 0, false, "a positive number"); }

std::optional<double> optional_positive(const Cursor& c, const std::string& key) {
  if (auto v = c.optional(key)) return positive(*v);
  return std::nullopt;
}

// Exactly one of two keys (e.g. days or hours), as a positive number; `scale` converts the
// second into the first's unit.
double one_of(const Cursor& c, const std::string& a, const std::string& b, double scale) {
  auto va = c.optional(a), vb = c.optional(b);
  if (va && vb) vb->fail("give '" + a + "' or '" + b + "', not both");
  if (!va && !vb) c.fail("missing required key '" + a + "' (or '" + b + "')");
  return va ? positive(*va) : positive(*vb) * scale;
}

network::HardwareSpec parse_hardware(const Cursor& c) {
  c.allow_keys({"devices", "peak_ops_per_s", "days", "hours", "utilization"});
  network::HardwareSpec hw;
  hw.devices = positive(c.required("devices"));
  hw.peak_ops_per_s = positive(c.required("peak_ops_per_s"));
  hw.days = one_of(c, "days", "hours", 1.0 / 24.0);
  if (auto u = c.optional("utilization")) {
    hw.utilization = positive(*u);
    if (hw.utilization > 1) u->fail("expected a utilization in (0, 1], got '" + u->str() + "'");
  }
  return hw;
}

network::MeasuredPower parse_measured(const Cursor& c) {
  c.allow_keys({"power_w", "cpu_w", "dram_w", "gpu_w", "gpus", "hours"});
  network::MeasuredPower m;
  m.hours = positive(c.required("hours"));
  auto total = c.optional("power_w");
  auto gpu = c.optional("gpu_w");
  if (total && (gpu || c.optional("cpu_w") || c.optional("dram_w") || c.optional("gpus")))
    total->fail("give the total 'power_w' or its parts (cpu_w, dram_w, gpu_w, gpus), not both");
  if (total) {
    m.power_w = positive(*total);
    return m;
  }
  if (!gpu) c.fail("missing required key 'power_w' (or its parts: cpu_w, dram_w, gpu_w, gpus)");
  // Strubell et al.: p_c + p_r + g * p_g.
  auto nonneg = [&](const std::string& k) {
    auto v = c.optional(k);
    return v ? number_at_least(*v, 0, true, "a number >= 0") : 0.0;
  };
  double gpus = c.optional("gpus") ? positive(c.required("gpus")) : 1.0;
  m.power_w = nonneg("cpu_w") + nonneg("dram_w") + gpus * positive(*gpu);
  return m;
}

}  // namespace

network::TrainingSpec parse_training(const Cursor& c) {
  c.expect_map();
  c.allow_keys({"name", "examples", "epochs", "macs_per_inference", "ops_per_mac",
                "passes_per_example", "hardware", "measured", "clock_hz", "pue",
                "grid_lb_per_kwh", "grid_kg_per_kwh"});
  network::TrainingSpec s;
  if (auto n = c.optional("name")) s.name = n->str();
  s.examples = optional_positive(c, "examples");
  s.epochs = optional_positive(c, "epochs");
  if (s.examples.has_value() != s.epochs.has_value())
    c.fail(std::string("missing required key '") + (s.examples ? "epochs" : "examples") +
           "' (method 1 needs both examples and epochs)");
  s.macs_per_inference = optional_positive(c, "macs_per_inference");
  if (auto v = c.optional("ops_per_mac")) s.ops_per_mac = positive(*v);
  if (auto v = c.optional("passes_per_example")) s.passes_per_example = positive(*v);
  if (auto h = c.optional("hardware")) s.hardware = parse_hardware(*h);
  if (auto m = c.optional("measured")) s.measured = parse_measured(*m);
  s.clock_hz = optional_positive(c, "clock_hz");
  if (auto p = c.optional("pue")) s.pue = number_at_least(*p, 1, true, "a PUE >= 1");
  auto lb = c.optional("grid_lb_per_kwh"), kg = c.optional("grid_kg_per_kwh");
  if (lb && kg) kg->fail("give 'grid_lb_per_kwh' or 'grid_kg_per_kwh', not both");
  if (lb) s.grid_lb_per_kwh = number_at_least(*lb, 0, true, "a number >= 0");
  if (kg) s.grid_lb_per_kwh = number_at_least(*kg, 0, true, "a number >= 0") / network::kKgPerLb;
  if (!s.examples && !s.hardware && !s.measured)
    c.fail("nothing to account: give examples and epochs (method 1), hardware (method 2) or "
           "measured (power and hours)");
  return s;
}

network::TrainingSpec load_training_file(const std::string& path, Diagnostics* diag) {
  Cursor root(load_yaml_file(path), path, "", diag);
  root.expect_map();
  root.allow_keys({"training"});
  return parse_training(root.required("training"));
}

std::optional<network::TrainingSpec> load_network_training(const std::string& path,
                                                           Diagnostics* diag) {
  Cursor root(load_yaml_file(path), path, "", diag);
  if (!root.is_map()) return std::nullopt;
  auto net = root.optional("network");
  if (!net || !net->is_map()) return std::nullopt;
  auto t = net->optional("training");
  if (!t) return std::nullopt;
  return parse_training(*t);
}

network::InferenceFigures load_inference_figures(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw ConfigError(path, 0, "--from-stats", "cannot read this file");
  nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    throw ConfigError(path, 0, "--from-stats", "not a JSON object (expected a stats.json)");
  auto get = [&](const char* section, const char* key) -> const nlohmann::json& {
    std::string where = std::string(section) + "." + key;
    if (!j.contains(section) || !j[section].is_object() || !j[section].contains(key))
      throw ConfigError(path, 0, where, "missing (expected a stats.json of loopsim model/map)");
    const auto& v = j[section][key];
    if (!v.is_number() || v.get<double>() < 0)
      throw ConfigError(path, 0, where, "expected a number >= 0");
    return v;
  };
  network::InferenceFigures f;
  f.macs = get("workload", "operations").get<double>();
  f.energy_pj = get("summary", "energy_pj").get<double>();
  f.cycles = get("summary", "cycles").get<double>();
  const auto& w = j["workload"];
  if (w.contains("bounds") && w["bounds"].is_object() && w["bounds"].contains("N") &&
      w["bounds"]["N"].is_number() && w["bounds"]["N"].get<double>() > 0)
    f.batch = w["bounds"]["N"].get<double>();
  f.source = path;
  return f;
}

void write_accounting_json(std::ostream& out, const network::AccountingReport& r) {
  using nlohmann::json;
  auto opt = [](const std::optional<double>& v) { return v ? json(*v) : json(nullptr); };
  auto carbon = [](const std::optional<network::Carbon>& c) {
    if (!c) return json(nullptr);
    return json{{"it_kwh", c->it_kwh},
                {"facility_kwh", c->facility_kwh},
                {"co2e_lb", c->co2e_lb},
                {"co2e_kg", c->co2e_kg}};
  };
  json j;
  j["name"] = r.name;
  j["source"] = r.source;
  j["per_inference"] = {{"macs", opt(r.macs_per_inference)},
                        {"operations", opt(r.ops_per_inference)},
                        {"energy_j", opt(r.energy_per_inference_j)},
                        {"inferences_per_j", opt(r.inferences_per_j)},
                        {"seconds", opt(r.seconds_per_inference)}};
  j["training_compute"] = {{"ops_per_mac", r.ops_per_mac},
                           {"passes_per_example", r.passes_per_example},
                           {"method1_ops", opt(r.method1_ops)},
                           {"method1_pfs_days", opt(r.method1_pfs_days)},
                           {"method2_ops", opt(r.method2_ops)},
                           {"method2_pfs_days", opt(r.method2_pfs_days)}};
  j["training_on_accelerator"] = {{"energy_j", opt(r.training_energy_j)},
                                  {"seconds", opt(r.training_seconds)},
                                  {"carbon", carbon(r.training_carbon)}};
  j["measured"] = carbon(r.measured_carbon);
  j["pue"] = r.pue;
  j["grid_lb_per_kwh"] = r.grid_lb_per_kwh;
  out << j.dump(2) << "\n";
}

}  // namespace loopsim::io
