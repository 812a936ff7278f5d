// Aladdin_table's FIFO and floating-point adder and multiplier, as Accelergy's Aladdin plug-in
// prices them (accelergy-aladdin-plug-in, aladdin_table.py, and its data/*.csv: Aladdin's
// 40 nm tables). Like the other Aladdin classes (primitives.cpp), energies come from the 1 ns
// rows of the tables (the rows Timeloop's 2024 references show) and areas from the 5 ns rows
// (the plug-in's default latency for area); leak per cycle is the table's "idle energy" at
// 1 ns, scaled by global_cycle_seconds. Every constant is a cell of the plug-in's CSV files:
//   reg.csv                1 ns: 0.009 pJ per bit, idle 7e-5 pJ per bit; 5.98 um^2 per bit
//   comparator.csv (32 b)  1 ns: 0.02947 pJ, idle 2.51e-5 pJ; 5 ns: 70 um^2
//   fp_sp_adder.csv (32 b) 1 ns: 16.679 pJ, idle 0.159 pJ; 5 ns: 2060 um^2
//   fp_sp_multiplier.csv   1 ns: 35.3 pJ, idle 0.3595236 pJ; 5 ns: 2060 um^2
//   fp_dp_adder.csv (64 b) 1 ns: 43.754 pJ, idle 0.4 pJ; 5 ns: 5120 um^2
//   fp_dp_multiplier.csv   1 ns: 113.763 pJ, idle 0.829 pJ; 5 ns: 4910 um^2
// The plug-in's formulas: a FIFO is `datawidth` registers plus one log2(depth)-bit comparator
// (the pointer), every action but idle costing the dynamic energy; a floating-point adder of
// exponent + mantissa = n bits is the single-precision table (n <= 32) or the double-precision
// one scaled linearly (E n / 32 or E n / 64), a multiplier the same tables scaled
// quadratically; a reused multiplier operand costs 0.85 x, a gated multiplier its idle energy.
// Other nodes than 40/45 nm: the same values x tech_factors(), as loopsim_scaled does for the
// other Aladdin classes (docs/energy-model.md).
#include <cmath>
#include <memory>

#include "aladdin_extra.hpp"
#include "loopsim/core/expr.hpp"

namespace loopsim::estimate {

namespace {

using Actions = std::map<std::string, double>;

struct Row {
  double energy, idle, area;  // pJ at 1 ns, idle pJ at 1 ns, um^2 at 5 ns
};
constexpr Row kRegPerBit{0.009, 7e-5, 5.98};
constexpr Row kComparator32{0.02947, 2.51e-5, 70};
constexpr Row kFpSpAdder{16.679, 0.159, 2060};
constexpr Row kFpSpMultiplier{35.3, 0.3595236, 2060};
constexpr Row kFpDpAdder{43.754, 0.4, 5120};
constexpr Row kFpDpMultiplier{113.763, 0.829, 4910};
constexpr double kReusedOperand = 0.85;  // aladdin_table.py: mult_reused

double cycle_scale(const Query& q) {
  double s = q.number_or("global_cycle_seconds", 1e-9);
  if (!(s > 0)) q.fail("global_cycle_seconds", "expected a positive cycle time in seconds");
  return s / 1e-9;
}

// A whole number of bits (0 or more) from the first present key.
double bit_count(const Query& q, const char* key) {
  double v = q.number(key);
  if (!(v >= 0) || v != std::floor(v)) q.fail(key, "expected a whole number of bits (0 or more)");
  return v;
}

// FIFO: `datawidth` (else `width`) bits of register and a log2(depth)-bit pointer comparator.
Row fifo(const Query& q) {
  const char* wkey = q.has("datawidth") ? "datawidth" : "width";
  if (!q.has(wkey))
    q.fail("datawidth", "missing attribute 'datawidth' (or 'width'): the bits of one entry");
  double w = bit_count(q, wkey);
  double depth = q.number("depth");
  if (!(depth >= 0) || depth != std::floor(depth))
    q.fail("depth", "expected a whole number of entries (0 or more)");
  if (depth == 0) return {0, 0, 0};  // the plug-in: an empty FIFO costs nothing
  double b = std::log2(depth) / 32;
  return {kRegPerBit.energy * w + kComparator32.energy * b,
          kRegPerBit.idle * w + kComparator32.idle * b, kRegPerBit.area * w + kComparator32.area * b};
}

// Floating-point units: n = exponent + mantissa bits, single- or double-precision table.
Row floating(const Query& q, bool multiplier) {
  if (!q.has("exponent") || !q.has("mantissa"))
    q.fail(q.has("exponent") ? "mantissa" : "exponent",
           "missing attribute: class '" + q.cls + "' needs 'exponent' and 'mantissa' (bits; "
           "e.g. 8 and 24 for single precision)");
  double n = bit_count(q, "exponent") + bit_count(q, "mantissa");
  bool single = n <= 32;
  Row r = multiplier ? (single ? kFpSpMultiplier : kFpDpMultiplier)
                     : (single ? kFpSpAdder : kFpDpAdder);
  double s = n / (single ? 32.0 : 64.0);
  if (multiplier) s *= s;
  return {r.energy * s, r.idle * s, r.area * s};
}

class AladdinExtra : public Estimator {
 public:
  AladdinExtra(std::string name, double accuracy, bool scaled)
      : name_(std::move(name)), accuracy_(accuracy), scaled_(scaled) {}
  std::string name() const override { return name_; }
  double accuracy() const override { return accuracy_; }
  std::vector<std::string> classes() const override { return {"FIFO", "fpadder", "fpmultiplier"}; }
  bool supports(const Query& q) const override {
    if (q.cls != "FIFO" && q.cls != "fpadder" && q.cls != "fpmultiplier") return false;
    if (!q.has("technology")) return false;
    double n = q.technology_nm();
    bool table = std::abs(n - 40) < 1e-9 || std::abs(n - 45) < 1e-9;
    return scaled_ ? n >= 5 - 1e-9 && n <= 180 + 1e-9 : table;
  }
  Estimate estimate(const Query& q) const override {
    TechFactors f = scaled_ ? tech_factors(q.technology_nm()) : TechFactors{};
    Row r = q.cls == "FIFO" ? fifo(q) : floating(q, q.cls == "fpmultiplier");
    double e = r.energy * f.energy, leak = r.idle * f.energy * cycle_scale(q);
    Actions a{{"leak", leak}, {"idle", leak}, {"read", e}, {"compute", e}};
    if (q.cls == "FIFO") {
      for (const char* k : {"push", "pop", "write", "update"}) a[k] = e;
    } else if (q.cls == "fpadder") {
      a["add"] = e;
    } else {
      a["multiply"] = e;
      a["mult_random"] = e;
      a["mult_reused"] = kReusedOperand * e;
      a["mult_gated"] = leak;
    }
    Estimate out;
    out.cls = q.cls;
    out.estimator = name_;
    out.actions = std::move(a);
    out.area_um2 = r.area * f.area;
    return out;
  }

 private:
  std::string name_;
  double accuracy_;
  bool scaled_;
};

}  // namespace

void add_aladdin_extra(Registry& r) {
  r.add(std::make_shared<AladdinExtra>("Aladdin_table", 70, false));
  r.add(std::make_shared<AladdinExtra>("loopsim_scaled", 50, true));
}

}  // namespace loopsim::estimate
