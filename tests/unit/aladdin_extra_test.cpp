// Aladdin_table's FIFO, fpadder and fpmultiplier (src/estimate/aladdin_extra.cpp), and the
// v0.2/v0.3 DRAM priced at Accelergy 0.3's default width. Every expected number is derived by
// hand from the Aladdin plug-in's CSV tables (accelergy-aladdin-plug-in, data/reg.csv,
// comparator.csv, fp_sp_adder.csv, fp_sp_multiplier.csv, fp_dp_adder.csv) and checked against
// what Accelergy wrote for the corpus's exercises, as cited at each test.
#include <gtest/gtest.h>

#include "loopsim/core/diagnostics.hpp"
#include "loopsim/core/error.hpp"
#include "loopsim/estimate/compound.hpp"
#include "loopsim/estimate/estimator.hpp"
#include "loopsim/io/energy.hpp"
#include "test_util.hpp"

using namespace loopsim;
using namespace loopsim::estimate;
using loopsim::testing::write_temp;

namespace {

Estimate est(const std::string& cls, std::map<std::string, std::string> attrs) {
  Query x;
  x.cls = cls;
  x.attrs = std::move(attrs);
  x.loc = SourceLoc{"test.yaml", 7, "architecture.nodes[2].attributes"};
  return Registry::builtin().estimate(x);
}

}  // namespace

// FIFO of 2 entries of 32 bits (the output FIFO of tutorial 01's accelergy/03 mac_fifo):
// 32 register bits (reg.csv 1 ns: 0.009 pJ, idle 7e-5 pJ; 5.98 um^2 per bit) and one
// log2(2) = 1-bit pointer comparator (comparator.csv, 32 bits: 0.02947 pJ at 1 ns, idle
// 2.51e-5 pJ, 70 um^2 at 5 ns).
TEST(AladdinExtra, FifoFromTheTables) {
  Estimate e = est("FIFO", {{"technology", "45nm"}, {"depth", "2"}, {"datawidth", "32"}});
  EXPECT_EQ(e.estimator, "Aladdin_table");
  EXPECT_NEAR(e.actions.at("push"), 0.288 + 0.02947 / 32, 1e-12);  // 0.288920938
  EXPECT_NEAR(e.actions.at("pop"), 0.288920938, 1e-9);
  EXPECT_NEAR(e.actions.at("idle"), 0.00224 + 2.51e-5 / 32, 1e-12);
  EXPECT_NEAR(e.actions.at("leak"), e.actions.at("idle"), 0);
  // 191.36 + 2.1875 um^2. Accelergy 0.4 with the Aladdin plug-in gave the exercise's MAC
  // (Aladdin intmac of 16 bits, 89.5 + 1150 um^2, plus this FIFO) 1433.0475 um^2
  // (accelergy/03_compound_architecture/output/ART.yaml).
  EXPECT_NEAR(e.area_um2, 193.5475, 1e-9);
  Estimate mac = est("intmac", {{"technology", "45nm"}, {"width", "16"}});
  EXPECT_NEAR(mac.area_um2 + e.area_um2, 1433.0475, 1e-9);
}

TEST(AladdinExtra, FifoEdgesAndErrors) {
  // An empty FIFO costs nothing (the plug-in returns 0); one entry needs no pointer bits.
  Estimate empty = est("FIFO", {{"technology", "40nm"}, {"depth", "0"}, {"width", "16"}});
  EXPECT_EQ(empty.actions.at("push"), 0.0);
  EXPECT_EQ(empty.area_um2, 0.0);
  Estimate one = est("FIFO", {{"technology", "40nm"}, {"depth", "1"}, {"width", "16"}});
  EXPECT_NEAR(one.actions.at("push"), 0.009 * 16, 1e-12);
  try {
    (void)est("FIFO", {{"technology", "45nm"}, {"depth", "4"}});
    FAIL() << "a FIFO without a width was accepted";
  } catch (const ConfigError& err) {
    EXPECT_NE(std::string(err.what()).find("missing attribute 'datawidth' (or 'width')"),
              std::string::npos)
        << err.what();
  }
}

// Single precision (exponent 8 + mantissa 24 = 32 bits) is the tables' own row: fp_sp_adder
// 16.679 pJ (idle 0.159, 2060 um^2), fp_sp_multiplier 35.3 pJ (idle 0.3595236, 2060 um^2).
// Their sum is the fpmac Timeloop's fresh reference shows (tutorial 01 timeloop+accelergy,
// ref-output/fpmac/timeloop-mapper.ERT_summary.yaml: compute 51.979, leak 0.518524;
// ART_summary: 4120 um^2).
TEST(AladdinExtra, SinglePrecisionMatchesTheFpmacReference) {
  std::map<std::string, std::string> sp{{"technology", "45nm"}, {"exponent", "8"}, {"mantissa", "24"}};
  Estimate add = est("fpadder", sp), mul = est("fpmultiplier", sp);
  EXPECT_EQ(add.estimator, "Aladdin_table");
  EXPECT_DOUBLE_EQ(add.actions.at("add"), 16.679);
  EXPECT_DOUBLE_EQ(mul.actions.at("multiply"), 35.3);
  EXPECT_NEAR(add.actions.at("add") + mul.actions.at("multiply"), 51.979, 1e-9);
  EXPECT_NEAR(add.actions.at("leak") + mul.actions.at("leak"), 0.5185236, 1e-12);
  EXPECT_DOUBLE_EQ(add.area_um2 + mul.area_um2, 4120.0);
}

// Other widths: adders linear, multipliers quadratic in exponent + mantissa, from the
// single-precision table up to 32 bits and the double-precision one above.
TEST(AladdinExtra, WidthsAndMultiplierActions) {
  Estimate half = est("fpmultiplier", {{"technology", "40nm"}, {"exponent", "5"}, {"mantissa", "11"}});
  EXPECT_NEAR(half.actions.at("mult_random"), 35.3 / 4, 1e-12);          // (16/32)^2
  EXPECT_NEAR(half.actions.at("mult_reused"), 0.85 * 35.3 / 4, 1e-12);   // aladdin_table.py
  EXPECT_NEAR(half.actions.at("mult_gated"), 0.3595236 / 4, 1e-12);      // its idle energy
  EXPECT_NEAR(half.area_um2, 2060.0 / 4, 1e-9);
  Estimate dp = est("fpadder", {{"technology", "45nm"}, {"exponent", "11"}, {"mantissa", "53"}});
  EXPECT_DOUBLE_EQ(dp.actions.at("add"), 43.754);  // fp_dp_adder.csv, 1 ns
  EXPECT_DOUBLE_EQ(dp.area_um2, 5120.0);            // 5 ns
  Estimate bf16 = est("fpadder", {{"technology", "45nm"}, {"exponent", "8"}, {"mantissa", "8"}});
  EXPECT_NEAR(bf16.actions.at("add"), 16.679 / 2, 1e-12);
  // Leak per cycle scales with the cycle time: 2 ns cycles leak twice per cycle.
  Estimate slow = est("fpadder", {{"technology", "45nm"}, {"exponent", "8"}, {"mantissa", "24"},
                                  {"global_cycle_seconds", "2e-9"}});
  EXPECT_NEAR(slow.actions.at("leak"), 0.318, 1e-12);
}

// Away from 40/45 nm the same values scale as the other Aladdin classes (loopsim_scaled).
TEST(AladdinExtra, OtherNodesScale) {
  std::map<std::string, std::string> sp{{"exponent", "8"}, {"mantissa", "24"}, {"technology", "65nm"}};
  Estimate e = est("fpadder", sp);
  EXPECT_EQ(e.estimator, "loopsim_scaled");
  EXPECT_NEAR(e.actions.at("add"), 16.679 * tech_factors(65).energy, 1e-9);
  EXPECT_NEAR(e.area_um2, 2060 * tech_factors(65).area, 1e-9);
  try {
    (void)est("fpadder", {{"technology", "45nm"}, {"exponent", "8"}});
    FAIL() << "an fpadder without a mantissa was accepted";
  } catch (const ConfigError& err) {
    EXPECT_NE(std::string(err.what()).find("needs 'exponent' and 'mantissa'"), std::string::npos)
        << err.what();
  }
}

// A v0.2/v0.3 DRAM without `width` is priced at Accelergy 0.3's primitive-library default,
// 64 bits: LPDDR4 8 pJ/bit x 64 = 512 pJ per access (a warning says so); Timeloop's model of
// the level is unchanged (no width: a block of one word).
TEST(AladdinExtra, V03DramWithoutWidthIsPricedAt64Bits) {
  std::string arch = write_temp("arch.yaml", R"(architecture:
  version: 0.3
  subtree:
  - name: chip
    attributes: {technology: 40nm}
    local:
    - {name: DRAM, class: DRAM, attributes: {word_bits: 16}}
    - {name: RF, class: regfile, attributes: {depth: 16, width: 16, word_bits: 16}}
    - {name: MAC, class: intmac, attributes: {width: 16}}
)");
  Diagnostics diag;
  io::EnergyModelInputs in = io::load_energy_inputs({arch}, &diag);
  ASSERT_EQ(diag.warnings().size(), 1u);
  EXPECT_NE(diag.warnings()[0].message.find("gives no 'width'"), std::string::npos);
  auto comps = io::estimate_architecture(in.arch, in.library, in.variables);
  ASSERT_FALSE(comps.empty());
  EXPECT_EQ(comps[0].name, "system_top_level.DRAM[1..1]");
  EXPECT_DOUBLE_EQ(comps[0].estimate.actions.at("read"), 512.0);
  const StorageLevel& dram = in.arch.storage.back();
  EXPECT_EQ(dram.block_size, 1);
  EXPECT_EQ(dram.attributes.find("width"), nullptr);
}

// v0.4 keeps the error: Accelergy 0.4's CactiDRAM plug-in requires a width.
TEST(AladdinExtra, V04DramWithoutWidthIsStillAnError) {
  std::string arch = write_temp("arch.yaml", R"(architecture:
  version: 0.4
  nodes:
  - !Container {name: top, attributes: {technology: 40nm}}
  - !Component {name: DRAM, class: DRAM, attributes: {datawidth: 16}}
  - !Component {name: RF, class: regfile, attributes: {depth: 16, width: 16, datawidth: 16}}
  - !Component {name: MAC, class: intmac, attributes: {width: 16}}
)");
  io::EnergyModelInputs in = io::load_energy_inputs({arch});
  EXPECT_THROW((void)io::estimate_architecture(in.arch, in.library, in.variables), ConfigError);
}

// A near miss of `width` is named in the warning (Accelergy 0.3 ignored `widht` too and
// priced the DRAM at 64 bits).
TEST(AladdinExtra, V03DramWarningSaysDidYouMean) {
  std::string arch = write_temp("arch.yaml", R"(architecture:
  version: 0.2
  subtree:
  - name: chip
    attributes: {technology: 40nm}
    local:
    - {name: MainMemory, class: DRAM, attributes: {word_bits: 16, widht: 128}}
    - {name: MAC, class: intmac, attributes: {width: 16}}
)");
  Diagnostics diag;
  io::EnergyModelInputs in = io::load_energy_inputs({arch}, &diag);
  bool found = false;
  for (const auto& w : diag.warnings())
    found |= w.message.find("DRAM 'MainMemory' gives no 'width' ('widht': did you mean "
                            "'width'?)") != std::string::npos;
  EXPECT_TRUE(found);
  auto comps = io::estimate_architecture(in.arch, in.library, in.variables);
  EXPECT_DOUBLE_EQ(comps[0].estimate.actions.at("read"), 512.0);
}
