// loopsim's energy/area estimator: laws, scaling, estimator choice, compounds, user tables.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <tuple>

#include "test_util.hpp"
#include "loopsim/core/error.hpp"
#include "loopsim/estimate/compound.hpp"
#include "loopsim/estimate/estimator.hpp"
#include "loopsim/io/energy.hpp"

using namespace loopsim;
using namespace loopsim::estimate;

namespace {

Query q(const std::string& cls, std::map<std::string, std::string> attrs) {
  Query x;
  x.cls = cls;
  x.attrs = std::move(attrs);
  x.loc = SourceLoc{"test.yaml", 3, "architecture.nodes[1].attributes"};
  return x;
}

Estimate sram(double depth, double width, const std::string& tech) {
  return Registry::builtin().estimate(q("SRAM", {{"depth", std::to_string(depth)},
                                                 {"width", std::to_string(width)},
                                                 {"technology", tech}}));
}

}  // namespace

// Aladdin's 40 nm register file (tutorial exercise 00, derived by hand from Aladdin's table
// structure: 0.009 pJ/bit read + 64 entries x 0.02947 pJ x 6/32 comparator bits).
TEST(Estimate, AladdinRegfileByHand) {
  Estimate e = Registry::builtin().estimate(
      q("regfile", {{"depth", "64"}, {"width", "8"}, {"technology", "40nm"}}));
  EXPECT_EQ(e.estimator, "Aladdin_table");
  EXPECT_NEAR(e.actions.at("read"), 0.009 * 8 + 64 * 0.02947 * 6 / 32, 1e-12);
  EXPECT_NEAR(e.area_um2, 5.98 * 8 + 64 * 70.0 * 6 / 32, 1e-9);  // 887.84
}

TEST(Estimate, DramIsPicojoulesPerBitTimesWidth) {
  Estimate e = Registry::builtin().estimate(q("DRAM", {{"type", "HBM2"}, {"width", "64"}}));
  EXPECT_DOUBLE_EQ(e.actions.at("read"), 3.9 * 64);
  EXPECT_DOUBLE_EQ(e.area_um2, 0.0);
}

// CACTI's behaviour: energy per access grows with depth (longer bit lines) but less than
// linearly (a 4x deeper array does not cost 4x per access), and grows with width.
TEST(Estimate, SramMonotoneAndSublinearInDepth) {
  double prev = 0;
  for (double d = 16; d <= 1 << 20; d *= 4) {
    double e = sram(d, 64, "45nm").actions.at("read");
    EXPECT_GT(e, prev) << "depth " << d;
    if (prev > 0) EXPECT_LT(e / prev, 4.0) << "depth " << d;
    prev = e;
  }
  prev = 0;
  for (double w = 8; w <= 1024; w *= 2) {
    Estimate e = sram(4096, w, "45nm");
    EXPECT_GT(e.actions.at("read"), prev) << "width " << w;
    prev = e.actions.at("read");
  }
  EXPECT_GT(sram(65536, 64, "45nm").area_um2, sram(1024, 64, "45nm").area_um2);
}

// Timeloop #161 / Accelergy #28: a technology change must change energy and area.
TEST(Estimate, TechnologyChangesEnergyAndArea) {
  for (const char* cls : {"SRAM", "regfile", "intmac", "aladdin_adder"}) {
    auto at = [&](const std::string& t) {
      return Registry::builtin().estimate(
          q(cls, {{"depth", "1024"}, {"width", "16"}, {"technology", t}}));
    };
    Estimate small = at("22nm"), big = at("130nm");
    std::string action = small.actions.count("read") ? "read" : small.actions.count("compute") ? "compute" : "add";
    EXPECT_LT(small.actions.at(action), big.actions.at(action)) << cls;
    EXPECT_LT(small.area_um2, big.area_um2) << cls;
  }
  // Scaling is monotone in the node for energy and area.
  double pe = 0, pa = 0;
  for (double n : {5.0, 7.0, 16.0, 22.0, 32.0, 40.0, 45.0, 65.0, 90.0, 130.0}) {
    TechFactors f = tech_factors(n);
    EXPECT_GT(f.energy, pe) << n;
    EXPECT_GT(f.area, pa) << n;
    pe = f.energy;
    pa = f.area;
  }
  EXPECT_DOUBLE_EQ(tech_factors(45).energy, 1.0);
}

// The most accurate estimator that supports a query wins: at 40/45 nm the Aladdin table
// answers an intadder, elsewhere NeuroSim (as in Accelergy), and at 7 nm only loopsim's
// scaled tables support a regfile.
TEST(Estimate, RegistryPicksTheMostAccurate) {
  auto est = [](const std::string& cls, const std::string& t) {
    return Registry::builtin()
        .estimate(q(cls, {{"width", "16"}, {"depth", "32"}, {"technology", t}}))
        .estimator;
  };
  EXPECT_EQ(est("intadder", "45nm"), "Aladdin_table");
  EXPECT_EQ(est("intadder", "32nm"), "Neurosim Plug-In");
  EXPECT_EQ(est("aladdin_adder", "45nm"), "Library");
  EXPECT_EQ(est("regfile", "7nm"), "loopsim_scaled");
}

// A user adds an estimator without touching the core.
class FixedSram : public Estimator {
 public:
  std::string name() const override { return "my_sram_model"; }
  double accuracy() const override { return 95; }
  std::vector<std::string> classes() const override { return {"SRAM"}; }
  bool supports(const Query& x) const override { return x.cls == "SRAM"; }
  Estimate estimate(const Query& x) const override {
    Estimate e;
    e.cls = x.cls;
    e.estimator = name();
    e.actions = {{"read", 1.5}, {"write", 2.5}};
    e.area_um2 = 100;
    return e;
  }
};

TEST(Estimate, UserEstimatorWinsByAccuracy) {
  Registry r = Registry::builtin();
  r.add(std::make_shared<FixedSram>());
  Estimate e = r.estimate(q("SRAM", {{"depth", "64"}, {"width", "16"}, {"technology", "45nm"}}));
  EXPECT_EQ(e.estimator, "my_sram_model");
  EXPECT_DOUBLE_EQ(e.actions.at("read"), 1.5);
}

TEST(Estimate, ErrorsNameFileLineAndKey) {
  try {
    (void)Registry::builtin().estimate(q("SRAMM", {{"technology", "45nm"}}));
    FAIL() << "expected a ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.file(), "test.yaml");
    EXPECT_EQ(e.line(), 3);
    EXPECT_NE(e.message().find("did you mean 'SRAM'"), std::string::npos) << e.message();
  }
  try {
    (void)Registry::builtin().estimate(q("SRAM", {{"width", "8"}, {"technology", "45nm"}}));
    FAIL() << "expected a ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.key_path(), "architecture.nodes[1].attributes.depth");
  }
  // Negative sizes and cycle times are rejected, never turned into negative energies.
  for (auto [cls, key, value] : {std::tuple{"aladdin_adder", "width", "-8"},
                                 std::tuple{"DRAM", "width", "-64"},
                                 std::tuple{"SRAM", "global_cycle_seconds", "-1"}}) {
    std::map<std::string, std::string> attrs{
        {"width", "8"}, {"depth", "64"}, {"technology", "45nm"}};
    attrs[key] = value;
    try {
      (void)Registry::builtin().estimate(q(cls, attrs));
      FAIL() << cls << " " << key << "=" << value << " was accepted";
    } catch (const ConfigError& e) {
      EXPECT_EQ(e.key_path(), std::string("architecture.nodes[1].attributes.") + key);
    }
  }
}

namespace {
using loopsim::testing::write_temp;
std::string query_json(const std::vector<std::string>& files, const std::vector<std::string>& args) {
  std::ostringstream os;
  io::energy_query(files, args, os);
  return os.str();
}
// The number after "key": in a --query answer.
double json_number(const std::string& out, const std::string& key) {
  auto at = out.find("\"" + key + "\":");
  EXPECT_NE(at, std::string::npos) << out;
  return at == std::string::npos ? NAN : std::stod(out.substr(at + key.size() + 3));
}
}  // namespace

// A compound's actions are sums of its subcomponents' actions, arrays count their elements
// and attributes are expressions: 4 Library adders of ceil(log2(256)) = 8 bits at 45 nm add
// 4 x 0.21 x 8/32 pJ = 0.21 pJ and take 4 x 278 x 8/32 um^2 = 278 um^2.
TEST(Estimate, CompoundSumsSubcomponents) {
  std::string f = write_temp("compound.yaml", R"(components:
  version: 0.4
  classes:
  - name: adder_tree
    attributes: {technology: "must_specify", depth: "must_specify"}
    subcomponents:
    - name: adders[1..4]
      class: aladdin_adder
      attributes: {width: ceil(log2(depth))}
    actions:
    - name: add
      subcomponents: [{name: "adders[1..4]", actions: [{name: add}]}]
    - name: half_add
      subcomponents: [{name: "adders[1..2]", actions: [{name: add, energy_scale: 0.5}]}]
)");
  std::string out = query_json({f}, {"adder_tree", "depth=256", "technology=45nm"});
  EXPECT_NE(out.find("\"estimator\":\"Library\""), std::string::npos) << out;
  EXPECT_NE(out.find("\"add\":0.21"), std::string::npos) << out;
  EXPECT_NE(out.find("\"half_add\":0.0525"), std::string::npos) << out;
  EXPECT_NE(out.find("\"area_um2\":278"), std::string::npos) << out;
}

// A user table overrides the built-in estimate for matching attribute values only.
TEST(Estimate, UserTableOverridesBuiltIn) {
  std::string f = write_temp("table.yaml", R"(components:
  version: 0.4
  tables:
  - class: SRAM
    rows:
    - attributes: {depth: 1024, width: 64}
      actions: {read: 3.25, write: 4.5, update: 4.5, leak: 0.001}
      area: 12345
)");
  std::string hit = query_json({f}, {"SRAM", "depth=1024", "width=64", "technology=45nm"});
  EXPECT_NE(hit.find("\"estimator\":\"user_table\""), std::string::npos) << hit;
  EXPECT_NE(hit.find("\"read\":3.25"), std::string::npos) << hit;
  EXPECT_NE(hit.find("\"area_um2\":12345"), std::string::npos) << hit;
  std::string miss = query_json({f}, {"SRAM", "depth=2048", "width=64", "technology=45nm"});
  EXPECT_NE(miss.find("\"estimator\":\"CactiSRAM\""), std::string::npos) << miss;
}

// loopsim's DRAM types, each by hand from its published per-bit energy (docs/energy-model.md,
// "DRAM"): DDR4 1300 pJ per 64-bit access (Horowitz ISSCC 2014), LPDDR5 8 x 0.7 pJ/bit
// (LPDDR4 less Samsung's 30%), GDDR6 7.5 pJ/bit and HBM3 6.0 / 2.5 pJ/bit (Micron).
TEST(Estimate, DramLoopsimTypesByHand) {
  auto dram = [](const std::string& type, const std::string& width) {
    return Registry::builtin().estimate(q("DRAM", {{"type", type}, {"width", width}}));
  };
  for (auto [type, width, pj] : {std::tuple{"DDR4", "64", 1300.0}, std::tuple{"LPDDR5", "32", 179.2},
                                 std::tuple{"GDDR6", "32", 240.0}, std::tuple{"HBM3", "64", 153.6}}) {
    Estimate e = dram(type, width);
    EXPECT_EQ(e.estimator, "loopsim_DRAM") << type;
    for (const char* a : {"read", "write", "update"}) EXPECT_NEAR(e.actions.at(a), pj, 1e-9) << type;
    EXPECT_EQ(e.actions.at("leak"), 0.0) << type;
    EXPECT_EQ(e.area_um2, 0.0) << type;
  }
  // The plug-in's types are still the plug-in's, with its numbers.
  Estimate lp4 = dram("LPDDR4", "64");
  EXPECT_EQ(lp4.estimator, "CactiDRAM");
  EXPECT_DOUBLE_EQ(lp4.actions.at("read"), 512.0);
  try {
    (void)dram("DDR5", "64");
    FAIL() << "an unknown DRAM type was accepted";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.key_path(), "architecture.nodes[1].attributes.type");
    EXPECT_NE(e.message().find("HBM3"), std::string::npos) << e.message();
  }
}

// Keckler et al. (IEEE Micro 2011), 40 nm: 310 pJ for 256 bits over 10 mm, so 16 bits over
// 2 mm cost 16 x 2 x 310 / 2560 = 3.875 pJ. At 10 nm the table's per-transition energy is
// 150/240 of 40 nm's.
TEST(Estimate, WireByHandAndScaling) {
  auto wire = [](const std::string& length, const std::string& tech) {
    return Registry::builtin().estimate(
        q("wire", {{"length", length}, {"datawidth", "16"}, {"technology", tech}}));
  };
  Estimate e = wire("2mm", "40nm");
  EXPECT_EQ(e.estimator, "loopsim_wire");
  EXPECT_NEAR(e.actions.at("transfer"), 3.875, 1e-12);
  EXPECT_EQ(e.actions.at("repeated_transfer"), 0.0);
  EXPECT_EQ(e.area_um2, 0.0);
  EXPECT_NEAR(wire("2000um", "40nm").actions.at("transfer"), 3.875, 1e-12);
  EXPECT_NEAR(wire("2", "40nm").actions.at("transfer"), 3.875, 1e-12);  // bare number: mm
  EXPECT_NEAR(wire("2mm", "10nm").actions.at("transfer"), 3.875 * 150 / 240, 1e-12);
  double prev = 0;
  for (const char* t : {"5nm", "7nm", "16nm", "45nm", "65nm", "130nm", "180nm"}) {
    double x = wire("1mm", t).actions.at("transfer");
    EXPECT_GT(x, prev) << t;
    prev = x;
  }
  try {
    (void)wire("-1mm", "40nm");
    FAIL() << "a negative length was accepted";
  } catch (const ConfigError& err) {
    EXPECT_EQ(err.key_path(), "architecture.nodes[1].attributes.length");
  }
}

// Ports (CACTI's multiported cell): one read/write port is today's SRAM exactly; every extra
// port grows energy and area. Two ports by hand: the cell grows from 10 F x 14.6 F to
// 15 F x 19.6 F, so area x 1.5 x 19.6/14.6 and energy x its square root.
TEST(Estimate, SramPortsGrowEnergyAndArea) {
  auto at = [](std::map<std::string, std::string> ports) {
    ports.insert({{"depth", "1024"}, {"width", "64"}, {"technology", "45nm"}});
    return Registry::builtin().estimate(q("SRAM", ports));
  };
  Estimate base = at({});
  for (const auto& one : {std::map<std::string, std::string>{{"n_rw_ports", "1"}},
                          std::map<std::string, std::string>{{"n_rdwr_ports", "1"}},
                          std::map<std::string, std::string>{{"n_rw_ports", "1"}, {"n_rd_ports", "0"}}}) {
    Estimate e = at(one);
    EXPECT_EQ(e.actions, base.actions);
    EXPECT_EQ(e.area_um2, base.area_um2);
  }
  double cell = 1.5 * 19.6 / 14.6;
  Estimate two = at({{"n_rw_ports", "2"}});
  EXPECT_NEAR(two.area_um2 / base.area_um2, cell, 1e-12);
  EXPECT_NEAR(two.actions.at("leak") / base.actions.at("leak"), cell, 1e-12);
  EXPECT_NEAR(two.actions.at("read") / base.actions.at("read"), std::sqrt(cell), 1e-12);
  EXPECT_NEAR(two.actions.at("write") / base.actions.at("write"), std::sqrt(cell), 1e-12);
  // 1R1W next to the read/write port: three ports, as CACTI counts them.
  Estimate three = at({{"n_rd_ports", "1"}, {"n_wr_ports", "1"}});
  EXPECT_EQ(three.area_um2, at({{"n_rw_ports", "3"}}).area_um2);
  Estimate prev = base;
  for (int p = 2; p <= 6; ++p) {
    Estimate e = at({{"n_rw_ports", std::to_string(p)}});
    for (const char* a : {"read", "write", "update", "leak"})
      EXPECT_GT(e.actions.at(a), prev.actions.at(a)) << a << " at " << p << " ports";
    EXPECT_GT(e.area_um2, prev.area_um2) << p << " ports";
    prev = e;
  }
}

// An Accelergy 0.3 class file: compound_components version 0.3, `primitive_type`, a
// subcomponent `area_share`, action `arguments` as ranges, subcomponent action `arguments`
// and `repeat`/`action_share`. Arguments take the top of their range, so the storage is read
// address_delta = n_banks = 4 times: 4 x (0.009 x 16 + 256 x 0.02947 x 8/32) pJ for the 256 x 16
// Aladdin regfile, plus 2 x 0.21 x 8/32 pJ for the 8-bit Library adder; area 2 x (5.98 x 16 +
// 256 x 70 x 8/32) + 2 x 278 x 8/32 um^2.
TEST(Estimate, AccelergyV03ClassFileLoads) {
  std::string f = write_temp("v03.yaml", R"(compound_components:
  version: 0.3
  classes:
  - name: banked_buffer
    primitive_type: buffer
    attributes: {technology: 45nm, depth: 256, width: 16, n_banks: 4}
    subcomponents:
    - name: storage
      class: regfile
      attributes: {technology: technology, depth: depth, width: width}
      area_share: 2
    - name: address_generators[0..1]
      class: aladdin_adder
      attributes: {technology: technology, width: log2(depth)}
    actions:
    - name: read
      arguments:
        data_delta: 0..1
        address_delta: 0..n_banks
      subcomponents:
      - name: storage
        actions:
        - name: read
          arguments: {data_delta: data_delta, address_delta: address_delta}
          repeat: address_delta
      - name: address_generators[0]
        actions:
        - {name: add, action_share: 2}
)");
  std::string out = query_json({f}, {"banked_buffer"});
  double rf = 0.009 * 16 + 256 * 0.02947 * 8 / 32;
  double read = 4 * rf + 2 * 0.21 * 8 / 32;
  double area = 2 * (5.98 * 16 + 256 * 70.0 * 8 / 32) + 2 * 278.0 * 8 / 32;
  EXPECT_NEAR(json_number(out, "read"), read, 1e-9) << out;
  EXPECT_NEAR(json_number(out, "area_um2"), area, 1e-9) << out;
}

// Accelergy 0.3's action names on loopsim's primitives, priced as its Aladdin and CACTI
// plug-ins priced them (docs/energy-model.md, "Accelergy 0.3 action names"): idle = the leak
// per cycle (0 for DRAM), count on an adder = add, mult_reused = 0.85 x a random multiply,
// mult_gated = the multiplier's idle energy, a MAC = adder + multiplier.
TEST(Estimate, AccelergyV03ActionNames) {
  Registry r = Registry::builtin();
  auto at = [&](const std::string& cls, std::map<std::string, std::string> attrs) {
    attrs.emplace("technology", "45nm");
    return r.estimate(q(cls, std::move(attrs)));
  };
  // 16 bits at 45 nm: adder 0.21 x 16/32, multiplier 12.68 x (16/32)^2, leaks likewise.
  double add = 0.21 * 0.5, mul = 12.68 * 0.25, add_leak = 0.0023 * 0.5, mul_leak = 0.08 * 0.25;
  Estimate mac = at("intmac", {{"datawidth", "16"}});
  EXPECT_NEAR(mac.actions.at("mac_random"), add + mul, 1e-12);
  EXPECT_NEAR(mac.actions.at("mac_reused"), add + 0.85 * mul, 1e-12);
  EXPECT_NEAR(mac.actions.at("mac_gated"), add + mul_leak, 1e-12);
  EXPECT_NEAR(mac.actions.at("idle"), add_leak + mul_leak, 1e-12);
  Estimate m = at("intmultiplier", {{"datawidth", "16"}});
  EXPECT_NEAR(m.actions.at("mult_random"), mul, 1e-12);
  EXPECT_NEAR(m.actions.at("mult_reused"), 0.85 * mul, 1e-12);
  EXPECT_NEAR(m.actions.at("mult_gated"), mul_leak, 1e-12);
  Estimate a = at("intadder", {{"width", "16"}});
  EXPECT_EQ(a.actions.at("count"), a.actions.at("add"));
  EXPECT_EQ(a.actions.at("idle"), a.actions.at("leak"));
  Estimate fp = at("fpmac", {{"width", "16"}});
  for (const char* act : {"mac_random", "mac_reused", "mac_gated"})
    EXPECT_EQ(fp.actions.at(act), fp.actions.at("compute")) << act;
  for (const char* cls : {"regfile", "SRAM", "counter", "wire"}) {
    Estimate e = at(cls, {{"depth", "1024"}, {"width", "32"}, {"length", "1mm"}});
    EXPECT_EQ(e.actions.at("idle"), e.actions.at("leak")) << cls;
  }
  EXPECT_EQ(r.estimate(q("DRAM", {{"width", "64"}})).actions.at("idle"), 0.0);
  // Away from Aladdin's nodes (loopsim_scaled) at a 2 ns cycle, the gated MAC's multiplier
  // leaks for 2 ns and every part scales with the node.
  Estimate s = r.estimate(q("intmac", {{"datawidth", "16"},
                                       {"technology", "65nm"},
                                       {"global_cycle_seconds", "2e-9"}}));
  double f = tech_factors(65).energy;
  EXPECT_EQ(s.estimator, "loopsim_scaled");
  EXPECT_NEAR(s.actions.at("mac_gated"), f * (add + 2 * mul_leak), 1e-12);
  EXPECT_NEAR(s.actions.at("idle"), f * 2 * (add_leak + mul_leak), 1e-12);
}

// The 2020 exercises' smartbuffer_SRAM (compound_components 0.3) asks `count` of an intadder
// and `idle` of every subcomponent: it estimates, with write = SRAM write + one add + one
// adder's idle and idle = the SRAM's and both adders' leak.
TEST(Estimate, AccelergyV03SmartbufferEstimates) {
  std::string f = write_temp("sb.yaml", R"(compound_components:
  version: 0.3
  classes:
  - name: smartbuffer_SRAM
    attributes: {technology: 45nm, memory_depth: 12, memory_width: 16, n_rdwr_ports: 2, n_banks: 1}
    subcomponents:
      - name: storage
        class: SRAM
        attributes: {technology: technology, width: memory_width, depth: memory_depth,
                     n_rdwr_ports: n_rdwr_ports, n_banks: n_banks}
      - name: address_generators[0..1]
        class: intadder
        attributes: {technology: technology, width: log(memory_depth)}
    actions:
      - name: write
        arguments: {data_delta: 0..1, address_delta: 0..n_banks}
        subcomponents:
          - name: storage
            actions: [{name: write, arguments: {data_delta: data_delta, address_delta: address_delta}}]
          - name: address_generators[0]
            actions: [{name: count}]
          - name: address_generators[1]
            actions: [{name: idle}]
      - name: idle
        subcomponents:
          - {name: storage, actions: [{name: idle}]}
          - {name: "address_generators[0..1]", actions: [{name: idle}]}
)");
  std::string out = query_json({f}, {"smartbuffer_SRAM", "memory_depth=16384", "memory_width=64",
                                     "n_banks=32"});
  Registry r = Registry::builtin();
  Estimate sram = r.estimate(q("SRAM", {{"depth", "16384"}, {"width", "64"}, {"n_banks", "32"},
                                        {"n_rdwr_ports", "2"}, {"technology", "45nm"}}));
  Estimate adder = r.estimate(q("intadder", {{"width", std::to_string(std::log(16384.0))},
                                             {"technology", "45nm"}}));
  EXPECT_NEAR(json_number(out, "write"),
              sram.actions.at("write") + adder.actions.at("add") + adder.actions.at("leak"), 1e-6)
      << out;
  EXPECT_NEAR(json_number(out, "idle"), sram.actions.at("leak") + 2 * adder.actions.at("leak"),
              1e-9)
      << out;
}
