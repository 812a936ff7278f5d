// loopsim's built-in estimators. Every constant below cites its source; the derivations
// and the fit are in docs/energy-model.md and scripts/fit_energy_models.py.
//
// "Accelergy sweep" = ../shared/reference/accelergy-sweep-train.csv, what Accelergy 2024-05-29
// (CACTI, Aladdin, Library and NeuroSim plug-ins) estimates per component (see its README,
// accelergy-sweep.md). The Aladdin and Library constants are read off the 45 nm rows and the
// structure of Aladdin's tables (per-bit register, per-entry comparator, linear adders,
// quadratic multipliers); the CACTI SRAM law and the NeuroSim adder law are least-squares fits.
#include <algorithm>
#include <array>
#include <cmath>
#include <utility>

#include "loopsim/core/error.hpp"
#include "loopsim/core/expr.hpp"
#include "loopsim/core/text.hpp"
#include "aladdin_extra.hpp"
#include "loopsim/estimate/estimator.hpp"

namespace loopsim::estimate {

namespace {

using Actions = std::map<std::string, double>;

// Leak energy per cycle is leakage power x cycle time; the tables are at 1 ns.
double cycle_scale(const Query& q) {
  double s = q.number_or("global_cycle_seconds", 1e-9);
  if (!(s > 0)) q.fail("global_cycle_seconds", "expected a positive cycle time in seconds");
  return s / 1e-9;
}

// The first present key among `keys` as a bit count. Zero is allowed (a 0-bit counter costs
// nothing: the exercises' regfile_metadata defaults its counter width to 0).
double bits(const Query& q, std::initializer_list<const char*> keys) {
  double v = q.first_number(keys);
  if (!(v >= 0)) {
    for (const char* k : keys)
      if (q.has(k)) q.fail(k, "expected a bit count (0 or more), got " + q.attrs.at(k));
  }
  return v;
}

bool node_in(const Query& q, double lo, double hi) {
  if (!q.has("technology")) return false;
  double n = q.technology_nm();
  return n >= lo - 1e-9 && n <= hi + 1e-9;
}

// Word width of Accelergy's Aladdin/Library tables: "width|datawidth", the first given.
double table_width(const Query& q) { return bits(q, {"width", "datawidth"}); }

class Simple : public Estimator {
 public:
  Simple(std::string name, double accuracy, std::vector<std::string> classes)
      : name_(std::move(name)), accuracy_(accuracy), classes_(std::move(classes)) {}
  std::string name() const override { return name_; }
  double accuracy() const override { return accuracy_; }
  std::vector<std::string> classes() const override { return classes_; }

 protected:
  bool has_class(const Query& q) const {
    return std::find(classes_.begin(), classes_.end(), q.cls) != classes_.end();
  }
  // Every primitive also answers Accelergy 0.3's `idle` (its old primitive library gives
  // every class one): the energy of a cycle without an access, i.e. the leak per cycle. The
  // 0.3 plug-ins answered it so: Aladdin's tables' "idle energy" is the leakage over one
  // cycle of the table's latency, CACTI's SRAM idle its standby leakage over one cycle, and
  // CACTI's DRAM idle 0 (docs/energy-model.md, "Accelergy 0.3 action names").
  Estimate make(const Query& q, Actions a, double area) const {
    Estimate e;
    e.cls = q.cls;
    e.estimator = name_;
    if (auto leak = a.find("leak"); leak != a.end()) a.try_emplace("idle", leak->second);
    e.actions = std::move(a);
    e.area_um2 = area;
    return e;
  }

 private:
  std::string name_;
  double accuracy_;
  std::vector<std::string> classes_;
};

// ---------------------------------------------------------------------------------------
// DRAM: energy = pJ/bit x width; no leak, no area. The first five types are Accelergy's
// CactiDRAM plug-in values, reproduced exactly by every DRAM row of the Accelergy sweep:
// LPDDR4 8 ("public data" in the plug-in), LPDDR 40 and DDR3 70 (Malladi et al., "Towards
// energy-proportional datacenter memory with mobile DRAM", ISCA 2012), GDDR5 14 and HBM2 3.9
// (O'Connor et al., "Fine-Grained DRAM: Energy-Efficient DRAM for Extreme Bandwidth Systems",
// MICRO 2017). The other four are loopsim's, each from a published figure (the search that
// found them, and how far each was checked, is in docs/energy-model.md, "DRAM"):
//   DDR4   20.3125 = 1300 pJ per 64-bit access / 64: Horowitz, "Computing's energy problem
//          (and what we can do about it)", ISSCC 2014 (DRAM 1.3-2.6 nJ per 64-bit access,
//          lower end; Jouppi et al., ISCA 2021, Table 2, lists 1300 pJ for DDR3/4). Neither
//          text could be checked here: the weakest of the four (docs).
//   LPDDR5 5.6 = 8 x (1 - 0.30): LPDDR4's 8 pJ/bit less the "up to 30% lower power than
//          LPDDR4X" Samsung stated when JEDEC published LPDDR5 (JESD209-5, Feb 2019).
//   GDDR6  7.5: Micron's ultra-bandwidth memory comparison, "average device power (pJ/bit)"
//          GDDR6 7.5, GDDR6X 7.25, HBM2E 6.0.
//   HBM3   2.4 = 6.0 / 2.5: Micron's HBM2E 6.0 pJ/bit (same table) over the 2.5x better
//          performance per watt Micron states for its HBM3 Gen2 against its HBM2E (July 2023).
struct DramType {
  const char* name;
  double pj_per_bit;
};
constexpr std::array<DramType, 9> kDramTypes{{{"LPDDR4", 8.0},
                                              {"LPDDR", 40.0},
                                              {"DDR3", 70.0},
                                              {"GDDR5", 14.0},
                                              {"HBM2", 3.9},
                                              {"DDR4", 1300.0 / 64},
                                              {"LPDDR5", 8.0 * (1 - 0.30)},
                                              {"GDDR6", 7.5},
                                              {"HBM3", 6.0 / 2.5}}};

// The type a DRAM query names (LPDDR4 when none is given, as the plug-in defaults).
std::string dram_type(const Query& q) {
  auto it = q.attrs.find("type");
  return it == q.attrs.end() ? "LPDDR4" : it->second;
}

// Two estimators share the table: CactiDRAM answers the plug-in's five types (and reports
// itself, as Accelergy's summaries do); loopsim_DRAM, less accurate, answers loopsim's four
// and names every known type when a query asks for another.
class Dram : public Simple {
 public:
  Dram(std::string name, double accuracy, std::size_t first, std::size_t last)
      : Simple(std::move(name), accuracy, {"DRAM"}), first_(first), last_(last) {}
  bool supports(const Query& q) const override {
    return has_class(q) && (last_ == kDramTypes.size() || find(dram_type(q)));
  }
  Estimate estimate(const Query& q) const override {
    std::string type = dram_type(q);
    if (const DramType* t = find(type)) {
      double e = t->pj_per_bit * bits(q, {"width"});
      return make(q, {{"read", e}, {"write", e}, {"update", e}, {"leak", 0.0}}, 0.0);
    }
    std::vector<std::string> names;
    for (const auto& t : kDramTypes) names.emplace_back(t.name);
    q.fail("type", "unknown DRAM type '" + type + "'" + did_you_mean(type, names) +
                       "; expected one of " + join(names));
  }

 private:
  const DramType* find(const std::string& type) const {
    for (std::size_t i = first_; i < last_; ++i)
      if (type == kDramTypes[i].name) return &kDramTypes[i];
    return nullptr;
  }
  std::size_t first_, last_;  // the rows of kDramTypes this estimator answers
};

// ---------------------------------------------------------------------------------------
// SRAM: fitted to the CACTI plug-in's rows of the Accelergy sweep (74 points, 16-65 nm).
// ln y = c0 + c1 L + c2 L^2 + c3 W + c4 W^2 + c5 L W + c6 B + c7 L T + c8 W T + c9 L^3 + t[node]
// with L = ln depth, W = ln width, B = ln n_banks, T = ln(node/45nm); t[node] is one
// offset per CACTI node, interpolated linearly in ln(node) between nodes. Fit:
// scripts/fit_energy_models.py (rows within 25%: read 98.6%, write, leak and area 100%).
// Outside the swept depths (64-65536) and widths (16-256) the law continues along its
// tangent in (ln depth, ln width), so it stays monotone and never bends back.
struct SramLaw {
  std::array<double, 10> c;
  std::array<double, 6> t;
};
constexpr std::array<double, 6> kSramNodes{16, 22, 32, 40, 45, 65};
constexpr SramLaw kSramRead{
    {-2.97006253, -0.564762774, 0.160220994, -0.230724691, 0.160302597, -0.012379824,
     -0.0438584482, -0.00238771309, -0.00824428009, -0.0068477139},
    {0, 0.335433657, 1.18909759, 1.59247901, 1.78164255, 2.42995666}};
constexpr SramLaw kSramWrite{
    {-5.30790727, 0.792529235, -0.0499858002, -0.369165826, 0.170568912, 0.00281878382,
     0.026045828, -0.013330101, -0.0371980738, 0.00221094462},
    {0, 0.401557174, 1.3497116, 1.82716126, 2.05370954, 2.78010685}};
constexpr SramLaw kSramLeak{
    {-16.4470352, 0.920886663, -0.0196632376, 0.783691813, 0.00238427402, 0.0154524469,
     0.142226792, 0.0144281606, 0.00986390277, 0.001219719},
    {0, 0.504486943, -0.83104771, -1.16727028, -1.43551962, 0.439940316}};
constexpr SramLaw kSramArea{
    {0.96888203, -0.422436355, 0.184772322, 0.924227937, 0.0338568348, -0.0205914968,
     0.0495558003, -0.0160811139, 0.00204144697, -0.00734884094},
    {0, 0.356571214, 1.114821, 1.59981813, 1.8151885, 2.58738738}};

double sram_law(const SramLaw& law, double depth, double width, double banks, double node) {
  // Outside the fitted nodes the caller applies tech_factors() (energy ~ node, area ~ node^2)
  // to the law at the nearest fitted node.
  double n = std::clamp(node, kSramNodes.front(), kSramNodes.back());
  double offset = law.t.front();
  for (std::size_t i = 0; i + 1 < kSramNodes.size(); ++i) {
    if (n >= kSramNodes[i] && n <= kSramNodes[i + 1]) {
      double f = std::log(n / kSramNodes[i]) / std::log(kSramNodes[i + 1] / kSramNodes[i]);
      offset = law.t[i] + f * (law.t[i + 1] - law.t[i]);
      break;
    }
  }
  double L0 = std::log(depth), W0 = std::log(width);
  double L = std::clamp(L0, std::log(64.0), std::log(65536.0));
  double W = std::clamp(W0, std::log(16.0), std::log(256.0));
  double B = std::log(banks), T = std::log(n / 45.0);
  const auto& c = law.c;
  double y = c[0] + c[1] * L + c[2] * L * L + c[3] * W + c[4] * W * W + c[5] * L * W + c[6] * B +
             c[7] * L * T + c[8] * W * T + c[9] * L * L * L + offset;
  double dy_dl = c[1] + 2 * c[2] * L + c[5] * W + c[7] * T + 3 * c[9] * L * L;
  double dy_dw = c[3] + 2 * c[4] * W + c[5] * L + c[8] * T;
  return std::exp(y + dy_dl * (L0 - L) + dy_dw * (W0 - W));
}

// Ports. The law above is CACTI's single read/write port array (the sweep has no other).
// More ports follow CACTI's multiported cell (parameter.cc, DynamicParameter): every port
// beyond the first adds one wordline and one bitline pair, 2 local-wire pitches to the cell's
// height and 2 to its width. CACTI's SRAM cell is 146 F^2 at aspect ratio 1.46, i.e. 10 F
// high and 14.6 F wide, and its local wire pitch is 2.5 F (technology.cc), so with P ports
//   h(P)/h(1) = (10 + 5 (P-1)) / 10,   w(P)/w(1) = (14.6 + 5 (P-1)) / 14.6.
// Area and leakage (transistors per cell, and the periphery each port repeats) scale with the
// cell area h w; an access drives one port's wordline (length ~ w) and bitlines (~ h) and
// the routing to the array (~ its side), so energy per access scales with the array's linear
// size sqrt(h w). One port gives exactly 1 (and today's numbers).
struct PortScale {
  double energy = 1, area = 1;
};
double port_count(const Query& q, const char* key, double fallback) {
  double n = q.number_or(key, fallback);
  if (!(n >= 0) || n != std::floor(n)) q.fail(key, "expected a port count (0, 1, 2...)");
  return n;
}
PortScale sram_ports(const Query& q) {
  // n_rw_ports (CACTI plug-in, hwcomponents) and n_rdwr_ports (Accelergy's older primitive
  // library) both count read/write ports; n_rd_ports and n_wr_ports the exclusive ones.
  double rw = port_count(q, "n_rw_ports", 1);
  if (q.has("n_rdwr_ports")) {
    double alt = port_count(q, "n_rdwr_ports", 1);
    if (q.has("n_rw_ports") && alt != rw)
      q.fail("n_rdwr_ports", "n_rw_ports and n_rdwr_ports both count read/write ports and "
                             "differ; give one");
    rw = alt;
  }
  double ports = rw + port_count(q, "n_rd_ports", 0) + port_count(q, "n_wr_ports", 0);
  if (ports < 1) q.fail("n_rw_ports", "an SRAM needs at least one port");
  double h = (10 + 5 * (ports - 1)) / 10, w = (14.6 + 5 * (ports - 1)) / 14.6;
  return {std::sqrt(h * w), h * w};
}

class Sram : public Simple {
 public:
  Sram() : Simple("CactiSRAM", 80, {"SRAM"}) {}
  // CACTI's technology files span 22-180 nm and the plug-in scales to 16 nm; loopsim
  // extends the fit from 5 to 180 nm with the first-order scaling law.
  bool supports(const Query& q) const override { return has_class(q) && node_in(q, 5, 180); }
  Estimate estimate(const Query& q) const override {
    double depth = q.number("depth"), width = q.number("width");
    double banks = q.number_or("n_banks", 1);
    if (depth < 1) q.fail("depth", "expected a depth of at least 1");
    if (width < 1) q.fail("width", "expected a width of at least 1 bit");
    if (banks < 1) q.fail("n_banks", "expected at least 1 bank");
    double node = q.technology_nm();
    double n = std::clamp(node, kSramNodes.front(), kSramNodes.back());
    TechFactors out = tech_factors(node), at = tech_factors(n);
    PortScale p = sram_ports(q);
    double es = out.energy / at.energy, as = out.area / at.area;
    double rd = sram_law(kSramRead, depth, width, banks, node) * es * p.energy;
    double wr = sram_law(kSramWrite, depth, width, banks, node) * es * p.energy;
    double lk = sram_law(kSramLeak, depth, width, banks, node) * es * cycle_scale(q) * p.area;
    double area = sram_law(kSramArea, depth, width, banks, node) * as * p.area;
    return make(q, {{"read", rd}, {"write", wr}, {"update", wr}, {"leak", lk}}, area);
  }
};

// ---------------------------------------------------------------------------------------
// Aladdin's tables (Shao et al., ISCA 2014; common/power_func.h of harvard-acc/ALADDIN, a
// commercial 40 nm library: energy from the 1 ns rows; area from the 5 ns rows for the
// Aladdin plug-in, the 1 ns rows for the Library) as Accelergy's Aladdin_table and Library
// plug-ins use them at 40/45 nm (every constant is a 45 nm row of the Accelergy sweep;
// w = word width in bits):
//   register:   read 0.009 pJ/bit, leak 0 (Library) or 7e-5 pJ/bit (Aladdin regfile), 5.98 um^2/bit
//   comparator: 0.02947 pJ, leak 2.51e-5 pJ, 71 um^2 at 32 bits, linear in w
//   adder:      0.21 pJ, 278 um^2 (Library) or 179 um^2 (Aladdin) at 32 bits, linear in w;
//               leak 0.0024 (Library) / 0.0023 (Aladdin) pJ
//   counter:    0.25074 pJ, leak 3.213e-4 pJ, 495.5 um^2 at 32 bits, linear in w
//   multiplier: 12.68 pJ, leak 0.08 pJ, 6350 um^2 (Library) / 4600 um^2 (Aladdin) at 32x32 bits,
//               quadratic in w
struct Unit {
  double energy, leak, area;
};
Unit linear(double e32, double l32, double a32, double w) {
  return {e32 * w / 32, l32 * w / 32, a32 * w / 32};
}
Unit quadratic(double e32, double l32, double a32, double wa, double wb) {
  double s = (wa / 32) * (wb / 32);
  return {e32 * s, l32 * s, a32 * s};
}

// Library plug-in classes at 45 nm; `action` is the class's main action.
struct LibraryPart {
  Unit u;
  const char* action;
};
LibraryPart library_45nm(const Query& q) {
  const std::string& c = q.cls;
  if (c == "aladdin_register" || c == "register") {
    // One bit unless a width is given (the example regfile compound instantiates one
    // register per bit without a width; Accelergy's Library answers 1-bit values).
    double w = q.has("width") || q.has("datawidth") ? table_width(q) : 1;
    return {{0.009 * w, 0.0, 5.98 * w}, "read"};
  }
  if (c == "aladdin_comparator" || c == "comparator") {
    // Library matches `width|datawidth` only, so a comparator given `n_bits` stays 32-bit.
    double w = q.has("width") || q.has("datawidth") ? table_width(q) : 32;
    return {linear(0.02947, 2.51e-5, 71, w), "compare"};
  }
  // Without a width, the Library answers its 32-bit row (the sweep's compound_intmac_2024
  // gives its second adder no width and gets the 32-bit energy).
  double w32 = q.has("width") || q.has("datawidth") ? table_width(q) : 32;
  if (c == "aladdin_adder") return {linear(0.21, 0.0024, 278, w32), "add"};
  if (c == "aladdin_counter" || c == "counter")
    return {linear(0.25074, 3.213e-4, 495.5, w32), "count"};
  // aladdin_multiplier
  double wa = q.has("width_a") ? bits(q, {"width_a"}) : w32;
  double wb = q.has("width_b") ? bits(q, {"width_b"}) : wa;
  return {quadratic(12.68, 0.08, 6350, wa, wb), "multiply"};
}

Actions library_actions(const LibraryPart& p, double es, double cyc) {
  double e = p.u.energy * es;
  Actions a{{"read", e}, {"write", 0.0}, {"update", 0.0}, {"leak", p.u.leak * es * cyc}};
  a[p.action] = e;
  if (std::string(p.action) == "multiply") a["compute"] = e;
  return a;
}

const std::vector<std::string> kLibraryClasses{"aladdin_register", "aladdin_comparator",
                                               "aladdin_adder", "aladdin_counter",
                                               "aladdin_multiplier"};
const std::vector<std::string> kGenericLibraryClasses{"register", "comparator", "counter"};

// Library: Aladdin's 45 nm values scaled by tech_factors() (Stillmaker-Baas, the Library's
// own scaling model; its range is 7-130 nm).
class Library : public Simple {
 public:
  Library() : Simple("Library", 90, kLibraryClasses) {}
  bool supports(const Query& q) const override { return has_class(q) && node_in(q, 7, 130); }
  Estimate estimate(const Query& q) const override {
    TechFactors f = tech_factors(q.technology_nm());
    LibraryPart p = library_45nm(q);
    return make(q, library_actions(p, f.energy, cycle_scale(q)), p.u.area * f.area);
  }
};

// Aladdin_table: the 40 and 45 nm tables (the same numbers at both nodes in the sweep).
// `cyc` (cycle_scale()) turns leakage, also inside the gated actions, into energy per cycle.
struct AladdinValues {
  Actions actions;
  double area;
};

// Accelergy 0.3's Aladdin plug-in (aladdin_table.py of that era) priced a reused multiplier
// operand (mult_reused, and the multiplier half of mac_reused) at 0.85 x a random one.
constexpr double kV03ReusedMultiply = 0.85;

AladdinValues aladdin_values(const Query& q, double cyc) {
  const std::string& c = q.cls;
  if (c == "regfile") {
    // Per-bit register read/write plus a ceil(log2 depth)-bit comparator per entry.
    double w = table_width(q), d = q.number("depth");
    if (d < 1) q.fail("depth", "expected a depth of at least 1");
    double b = std::ceil(std::log2(d) - 1e-12);
    double e = 0.009 * w + d * 0.02947 * b / 32;
    double leak = (7e-5 * w + d * 2.51e-5 * b / 32) * cyc;
    return {{{"read", e}, {"write", e}, {"update", e}, {"leak", leak}}, 5.98 * w + d * 70 * b / 32};
  }
  double w = table_width(q);
  Unit add = linear(0.21, 0.0023, 179, w);
  Unit mul = quadratic(12.68, 0.08, 4600, w, w);
  add.leak *= cyc;
  mul.leak *= cyc;
  // Accelergy 0.3 action names (its old primitive library: intadder add/idle, intmultiplier
  // mult_random/mult_reused/mult_gated/idle, intmac mac_random/mac_reused/mac_gated/idle), as
  // its Aladdin plug-in priced them: every action but idle is the dynamic energy (so `count`,
  // which the exercises' 0.3 smartbuffer_SRAM asks of an intadder, costs an add), a gated
  // multiplier costs its idle energy, a reused one 0.85 x a random one; a MAC is an adder plus
  // a multiplier. `idle` (= leak) is added by make().
  if (c == "intadder")
    return {{{"add", add.energy}, {"count", add.energy}, {"leak", add.leak}}, add.area};
  if (c == "intmultiplier")
    return {{{"compute", mul.energy},
             {"multiply", mul.energy},
             {"mult_random", mul.energy},
             {"mult_reused", kV03ReusedMultiply * mul.energy},
             {"mult_gated", mul.leak},
             {"leak", mul.leak}},
            mul.area};
  if (c == "intmac")
    return {{{"compute", add.energy + mul.energy},
             {"mac_random", add.energy + mul.energy},
             {"mac_reused", add.energy + kV03ReusedMultiply * mul.energy},
             {"mac_gated", add.energy + mul.leak},
             {"leak", add.leak + mul.leak}},
            add.area + mul.area};
  // fpmac: a w + b w^2 through the 8- and 32-bit rows (fit script); w = width. Accelergy 0.3's
  // plug-in passed a MAC action unchanged to its floating-point adder and multiplier, which
  // know neither mac_reused nor mac_gated, so all three MAC actions cost a full MAC there.
  double e = 0.52121875 * w + 0.0344726562 * w * w;
  double leak = (0.00496875 * w + 0.000351097266 * w * w) * cyc;
  return {{{"compute", e}, {"mac_random", e}, {"mac_reused", e}, {"mac_gated", e}, {"leak", leak}},
          64.375 * w + 2.01171875 * w * w};
}

const std::vector<std::string> kAladdinClasses{"regfile", "intmac", "intadder", "intmultiplier",
                                               "fpmac"};

class Aladdin : public Simple {
 public:
  Aladdin() : Simple("Aladdin_table", 70, kAladdinClasses) {}
  // Aladdin's tables are indexed by `width|datawidth`; without either (e.g. an adder given
  // only `n_bits`) another estimator answers, as in Accelergy.
  bool supports(const Query& q) const override {
    if (!has_class(q) || !q.has("technology")) return false;
    if (!q.has("width") && !q.has("datawidth")) return false;
    double n = q.technology_nm();
    return std::abs(n - 40) < 1e-9 || std::abs(n - 45) < 1e-9;
  }
  Estimate estimate(const Query& q) const override {
    AladdinValues v = aladdin_values(q, cycle_scale(q));
    return make(q, std::move(v.actions), v.area);
  }
};

// NeuroSim's adder, fitted at 32 and 65 nm (fit script): y = k (node/32nm)^p bits^q.
class NeuroSimAdder : public Simple {
 public:
  NeuroSimAdder() : Simple("Neurosim Plug-In", 70, {"intadder"}) {}
  bool supports(const Query& q) const override { return has_class(q) && node_in(q, 7, 130); }
  Estimate estimate(const Query& q) const override {
    double n = bits(q, {"n_bits", "width", "precision", "datawidth"});
    double r = q.technology_nm() / 32.0;
    double add = 0.00205773648 * std::pow(r, 2.02896488) * std::pow(n, 0.995381289);
    double leak = 2.23147695e-07 * std::pow(r, 1.37152013) * n * cycle_scale(q);
    double area = 2.94174735 * r * r * n;
    // `count`: as on the Aladdin intadder (Accelergy 0.3 exercises ask it of an adder).
    return make(q, {{"add", add}, {"count", add}, {"leak", leak}}, area);
  }
};

// loopsim_scaled: Aladdin's 45 nm values at any node from 5 to 180 nm, scaled by
// tech_factors(). Less accurate than any table at its own node, so it only answers where
// no plug-in of Accelergy does (e.g. a regfile at 65 nm or 7 nm).
class Scaled : public Simple {
 public:
  Scaled() : Simple("loopsim_scaled", 50, all_classes()) {}
  static std::vector<std::string> all_classes() {
    std::vector<std::string> v = kAladdinClasses;
    v.insert(v.end(), kLibraryClasses.begin(), kLibraryClasses.end());
    v.insert(v.end(), kGenericLibraryClasses.begin(), kGenericLibraryClasses.end());
    return v;
  }
  bool supports(const Query& q) const override { return has_class(q) && node_in(q, 5, 180); }
  Estimate estimate(const Query& q) const override {
    TechFactors f = tech_factors(q.technology_nm());
    double cyc = cycle_scale(q);
    if (std::find(kAladdinClasses.begin(), kAladdinClasses.end(), q.cls) != kAladdinClasses.end()) {
      AladdinValues v = aladdin_values(q, cyc);
      for (auto& [k, e] : v.actions) e *= f.energy;
      return make(q, std::move(v.actions), v.area * f.area);
    }
    LibraryPart p = library_45nm(q);
    return make(q, library_actions(p, f.energy, cyc), p.u.area * f.area);
  }
};

// ---------------------------------------------------------------------------------------
// wire: energy to move `width|datawidth` bits (1 when neither is given: one wire) over
// `length`. Keckler, Dally, Khailany, Garland, Glasco, "GPUs and the Future of Parallel
// Computing", IEEE Micro 31(5), 2011, Table 1, 40 nm: moving 256 bits 10 mm costs 310 pJ,
// i.e. 310 / 2560 = 0.12109375 pJ per bit per mm for random data (the table's "per
// transition" figure is 240 fJ per bit per mm; random data switches about half the bits).
// Other nodes follow the same table's wire figures rather than tech_factors(): a wire's
// capacitance per mm barely shrinks with the node, so Stillmaker-Baas device scaling would
// put 10 nm at 0.15x of 40 nm where the table projects 150 / 240 = 0.625x ("per transition",
// 10 nm high-frequency column). Energy ~ node^p with p = ln(240/150) / ln(40/10) = 0.339,
// through 40 nm; loopsim applies it from 5 to 180 nm. Area 0: wires are routed over the
// logic (Accelergy's wire plug-in reports 0 too). Actions are those of Accelergy's primitive
// library: transfer (also the plug-in's transfer_random), repeated_transfer (the same data
// again: no bit switches, 0), idle and leak 0.
constexpr double kWirePjPerBitMm40nm = 310.0 / (256 * 10);

// `length` with a unit (um, mm, nm, m, as Accelergy's primitive library writes "1um");
// a bare number is mm.
double wire_length_mm(const Query& q) {
  auto it = q.attrs.find("length");
  if (it == q.attrs.end()) q.fail("length", "missing attribute 'length' (e.g. 1mm or 250um)");
  std::string t = it->second;
  double scale = 1;
  for (auto [suffix, mm] : {std::pair{"mm", 1.0}, {"um", 1e-3}, {"nm", 1e-6}, {"m", 1e3}}) {
    std::string s(suffix);
    if (t.size() > s.size() && t.compare(t.size() - s.size(), s.size(), s) == 0) {
      t = t.substr(0, t.size() - s.size());
      scale = mm;
      break;
    }
  }
  auto v = parse_number(t);
  if (!v || *v < 0)
    q.fail("length", "expected a length like 1mm or 250um (a bare number is mm), got '" +
                         it->second + "'");
  return *v * scale;
}

class Wire : public Simple {
 public:
  Wire() : Simple("loopsim_wire", 60, {"wire"}) {}
  bool supports(const Query& q) const override { return has_class(q) && node_in(q, 5, 180); }
  Estimate estimate(const Query& q) const override {
    double w = q.has("width") || q.has("datawidth") ? table_width(q) : 1;
    double per_bit_mm = kWirePjPerBitMm40nm *
                        std::pow(q.technology_nm() / 40, std::log(240.0 / 150) / std::log(4.0));
    double e = w * wire_length_mm(q) * per_bit_mm;
    return make(q,
                {{"transfer", e},
                 {"transfer_random", e},
                 {"repeated_transfer", 0.0},
                 {"idle", 0.0},
                 {"leak", 0.0}},
                0.0);
  }
};

// Zero-cost placeholders of Accelergy's dummy_table (e.g. a DRAM-less test or a buffer whose
// energy is not of interest).
class Dummy : public Simple {
 public:
  Dummy() : Simple("dummy_table", 1, {"dummy_storage", "dummy_compute"}) {}
  bool supports(const Query& q) const override { return has_class(q); }
  Estimate estimate(const Query& q) const override {
    return make(q,
                {{"read", 0.0}, {"write", 0.0}, {"update", 0.0}, {"leak", 0.0}, {"compute", 0.0}},
                0.0);
  }
};

}  // namespace

Registry Registry::builtin() {
  Registry r;
  // Registration order breaks accuracy ties, like Accelergy's plug-in order in the sweep's
  // config: dummy_table, Aladdin_table, CACTI, Library, NeuroSim.
  r.add(std::make_shared<Dummy>());
  r.add(std::make_shared<Aladdin>());
  r.add(std::make_shared<Dram>("CactiDRAM", 80, 0, 5));
  r.add(std::make_shared<Dram>("loopsim_DRAM", 60, 5, kDramTypes.size()));
  r.add(std::make_shared<Sram>());
  r.add(std::make_shared<Library>());
  r.add(std::make_shared<NeuroSimAdder>());
  r.add(std::make_shared<Scaled>());
  r.add(std::make_shared<Wire>());
  add_aladdin_extra(r);  // FIFO, fpadder, fpmultiplier (aladdin_extra.cpp)
  return r;
}

}  // namespace loopsim::estimate
