// loopsim compare's pure parts (docs/compare.md): dataflow names, normalisation of the
// summary, the rows of compare.csv, and the equal-area derivation. Numbers derived by hand
// in the comments.
#include "loopsim/explore/compare.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "loopsim/explore/equal_area.hpp"

using namespace loopsim;
using namespace loopsim::explore;

namespace {

ComparePoint point(const std::string& c, const std::string& l, double energy, std::int64_t macs,
                  std::int64_t repeat, double util, bool proven, double bound) {
  ComparePoint p;
  p.config = c;
  p.layer = l;
  p.repeat = repeat;
  p.macs = macs;
  p.eval.energy_pj = energy;
  p.eval.cycles = static_cast<std::uint64_t>(macs);
  p.eval.utilization = util;
  p.eval.compute.computes = static_cast<std::uint64_t>(macs);
  p.proven = proven;
  p.max_evaluations = 500;
  p.lower_bound_pj = bound;
  return p;
}

const SummaryRow& row(const std::vector<SummaryRow>& rows, const std::string& c,
                      const std::string& l) {
  for (const auto& r : rows)
    if (r.config == c && r.layer == l) return r;
  throw std::runtime_error("no row " + c + "/" + l);
}

}  // namespace

TEST(CompareNames, ShortFormsExpandToThePresetNames) {
  EXPECT_EQ(expand_dataflow_name("ws"), "weight-stationary");
  EXPECT_EQ(expand_dataflow_name("OS"), "output-stationary");
  EXPECT_EQ(expand_dataflow_name("rs"), "row-stationary");
  EXPECT_EQ(expand_dataflow_name("NLR"), "no-local-reuse");
  EXPECT_EQ(expand_dataflow_name("is"), "input-stationary");
  EXPECT_EQ(expand_dataflow_name("OS_B"), "output-stationary-b");
  EXPECT_EQ(expand_dataflow_name("Row_Stationary"), "row-stationary");
  EXPECT_EQ(split_list(" ws, os ,,rs"), (std::vector<std::string>{"ws", "os", "rs"}));
}

// A: L1 100 pJ (10 MACs, best of 500, bound 60), L2 50 pJ x 2 runs (proven, 10 MACs each).
// B: L1 80 pJ (proven), L2 70 pJ x 2 (proven).
// Totals: A 200 pJ / 30 MACs, B 220 pJ. Best: L1 80 (B), L2 100 (A), total 200 (A).
TEST(CompareSummary, NormalisesToTheBestConfigPerLayerAndInTotal) {
  std::vector<ComparePoint> pts = {
      point("A", "L1", 100, 10, 1, 0.5, false, 60), point("A", "L2", 50, 10, 2, 1.0, true, 0),
      point("B", "L1", 80, 10, 1, 0.25, true, 0), point("B", "L2", 70, 10, 2, 0.5, true, 0)};
  auto rows = summarise(pts, {"A", "B"}, {"L1", "L2"});
  ASSERT_EQ(rows.size(), 6u);
  EXPECT_DOUBLE_EQ(row(rows, "A", "L1").relative_to_best, 1.25);  // 100 / 80
  EXPECT_DOUBLE_EQ(row(rows, "B", "L1").relative_to_best, 1.0);
  EXPECT_DOUBLE_EQ(row(rows, "B", "L2").relative_to_best, 1.4);  // 140 / 100
  EXPECT_DOUBLE_EQ(row(rows, "A", "L2").energy_pj, 100);
  EXPECT_EQ(row(rows, "A", "L2").macs, 20);
  EXPECT_EQ(row(rows, "A", "L2").cycles, 20u);
  EXPECT_DOUBLE_EQ(row(rows, "B", "total").relative_to_best, 1.1);  // 220 / 200
  EXPECT_DOUBLE_EQ(row(rows, "A", "total").relative_to_best, 1.0);
  EXPECT_DOUBLE_EQ(row(rows, "A", "total").energy_per_mac_pj, 200.0 / 30.0);
  EXPECT_DOUBLE_EQ(row(rows, "B", "L1").energy_per_mac_pj, 8.0);
  // Utilization weighted by MACs: (0.5 * 10 + 1.0 * 20) / 30.
  EXPECT_DOUBLE_EQ(row(rows, "A", "total").utilization, 25.0 / 30.0);
  EXPECT_EQ(row(rows, "A", "L1").result, "best of 500");
  EXPECT_DOUBLE_EQ(row(rows, "A", "L1").gap, 0.4);  // (100 - 60) / 100
  EXPECT_EQ(row(rows, "A", "L2").result, "proven");
  EXPECT_DOUBLE_EQ(row(rows, "A", "L2").gap, 0.0);
  // Total: bound 60 + 100 (proven: the optimum) = 160; gap (200 - 160) / 200.
  EXPECT_EQ(row(rows, "A", "total").result, "best of 500");
  EXPECT_DOUBLE_EQ(row(rows, "A", "total").gap, 0.2);
  EXPECT_EQ(row(rows, "B", "total").result, "proven");
  // Order: per config its layers, then its total.
  EXPECT_EQ(rows[2].layer, "total");
  EXPECT_EQ(rows[3].config, "B");
}

TEST(CompareSummary, CsvHeadersAreTheContract) {
  std::ostringstream a, b;
  write_compare_csv(a, {});
  write_summary_csv(b, {});
  EXPECT_EQ(a.str(), "config,layer,level,dataspace,energy_pj,accesses\n");
  EXPECT_EQ(b.str(),
            "config,layer,macs,energy_pj,energy_per_mac_pj,relative_to_best,cycles,"
            "utilization,result,gap\n");
}

// Two storage levels (rf: 4 instances, a dummy fan-out level between) and one data space
// kept: accesses are (reads + fills + updates) per instance x instances in use x repeat.
TEST(CompareRows, LevelRowsCountAllInstancesAndRepeats) {
  Workload w;
  w.data_spaces.resize(2);
  w.data_spaces[0].name = "Weights";
  w.data_spaces[1].name = "Outputs";
  ArchSpec arch;
  arch.storage.resize(3);
  arch.storage[0].name = "rf";
  arch.storage[1].name = "inter_PE_spatial";
  arch.storage[1].dummy = true;
  arch.storage[2].name = "DRAM";
  arch.arithmetic.name = "mac";
  ComparePoint p;
  p.config = "WS";
  p.layer = "conv";
  p.repeat = 3;
  p.eval.levels.resize(3);
  for (int l = 0; l < 3; ++l) {
    p.eval.levels[static_cast<std::size_t>(l)].name =
        arch.storage[static_cast<std::size_t>(l)].name;
    p.eval.levels[static_cast<std::size_t>(l)].data_spaces.resize(2);
  }
  auto& ds = p.eval.levels[0].data_spaces[0];
  ds.reads = 10;
  ds.fills = 2;
  ds.updates = 0;
  ds.utilized_instances = 4;
  ds.energy_total_pj = 5;
  p.eval.levels[2].data_spaces[1].updates = 7;
  p.eval.levels[2].data_spaces[1].utilized_instances = 1;
  p.eval.levels[2].leakage_pj = 0.5;
  p.eval.compute.computes = 100;
  p.eval.compute.energy_pj = 25;
  auto rows = level_rows(p, w, arch);
  ASSERT_EQ(rows.size(), 6u);  // rf x 2, DRAM x 2, mac, DRAM leakage
  EXPECT_EQ(rows[0].level, "rf");
  EXPECT_EQ(rows[0].dataspace, "Weights");
  EXPECT_DOUBLE_EQ(rows[0].accesses, (10 + 2) * 4 * 3);
  EXPECT_DOUBLE_EQ(rows[0].energy_pj, 15);
  EXPECT_EQ(rows[3].level, "DRAM");
  EXPECT_DOUBLE_EQ(rows[3].accesses, 21);
  EXPECT_EQ(rows[4].level, "mac");
  EXPECT_EQ(rows[4].dataspace, "-");
  EXPECT_DOUBLE_EQ(rows[4].accesses, 300);
  EXPECT_DOUBLE_EQ(rows[4].energy_pj, 75);
  EXPECT_EQ(rows[5].dataspace, "leakage");
  EXPECT_DOUBLE_EQ(rows[5].energy_pj, 1.5);
}

// area(g) = 1000 + 3 g um^2, budget 10000: g <= 3000, in steps of 16: 187 * 16 = 2992
// (area 9976); a budget of 1040 holds one step (1048 > 1040: none).
TEST(CompareEqualArea, LargestBufferWithinTheBudget) {
  auto area = [](std::int64_t g) { return 1000.0 + 3.0 * static_cast<double>(g); };
  auto r = largest_glb_within(10000, 16, 1 << 20, area);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->glb_words, 2992);
  EXPECT_DOUBLE_EQ(r->area_um2, 9976);
  EXPECT_FALSE(largest_glb_within(1040, 16, 1 << 20, area));
  auto capped = largest_glb_within(10000, 16, 1024, area);  // the cap: 1024 words
  ASSERT_TRUE(capped);
  EXPECT_EQ(capped->glb_words, 1024);
}

// The paper's trade: 256 PEs x rf(d) + glb(g) at the area of rf 256 words and glb 65536
// words, with rf(d) = 20 d and glb(g) = 2 g: 256 * 5120 + 131072 = 1441792 um^2. With 64
// words per PE: 256 * 1280 = 327680, so g <= (1441792 - 327680) / 2 = 557056.
TEST(CompareEqualArea, TradesRegisterFileForBuffer) {
  ArchSpec arch;
  arch.storage.resize(3);
  arch.storage[0].name = "rf";
  arch.storage[0].instances = 256;
  arch.storage[0].block_size = 1;
  arch.storage[1].name = "glb";
  arch.storage[1].block_size = 4;
  arch.storage[1].multiple_buffering = 2;
  arch.storage[2].name = "DRAM";
  arch.storage[2].technology = StorageTech::DRAM;
  auto total = [&](std::int64_t rf, std::int64_t glb) {
    EXPECT_TRUE(resize_level(arch, 0, rf));
    EXPECT_TRUE(resize_level(arch, 1, glb));
    return storage_area_um2(arch, [&](int l) {
      return l == 0   ? 20.0 * static_cast<double>(*arch.storage[0].size_words)
             : l == 1 ? 2.0 * static_cast<double>(*arch.storage[1].size_words)
                      : 1e9;
    });
  };
  double budget = total(256, 65536);
  EXPECT_DOUBLE_EQ(budget, 1441792);
  auto r = largest_glb_within(budget, 4, 1 << 24, [&](std::int64_t g) { return total(64, g); });
  ASSERT_TRUE(r);
  EXPECT_EQ(r->glb_words, 557056);
  // resize_level: depth = words / block size; effective size = words / multiple buffering.
  EXPECT_EQ(arch.storage[1].attributes.find("depth")->text, "139264");
  EXPECT_EQ(*arch.storage[1].effective_size_words, 278528);
  EXPECT_FALSE(resize_level(arch, 1, 557055));  // not a multiple of the block size
  EXPECT_FALSE(resize_level(arch, 5, 64));
}
