// Loading Timeloop YAML: factor syntaxes, imperfect factors, container targets, merging.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "test_util.hpp"
#include "loopsim/core/error.hpp"
#include "loopsim/io/load.hpp"

using namespace loopsim;
namespace fs = std::filesystem;

namespace {

using loopsim::testing::write_temp;

const char* kProblem = R"(problem:
  shape:
    name: Conv1D
    dimensions: [R, P]
    data_spaces:
    - {name: Weights, projection: [[[R]]]}
    - {name: Inputs, projection: [[[R], [P]]]}
    - {name: Outputs, projection: [[[P]]], read_write: true}
  instance: {R: 3, P: 13}
)";

const char* kArch = R"(architecture:
  version: 0.4
  nodes:
  - !Container {name: top, attributes: {technology: "40nm"}}
  - !Component {name: DRAM, class: DRAM, attributes: {width: 8, datawidth: 8}}
  - !Container {name: PE, spatial: {meshX: 2}}
  - !Component {name: RF, class: regfile, attributes: {depth: 16, width: 8, datawidth: 8}}
  - !Component {name: MAC, class: intmac, attributes: {width: 8}}
)";

}  // namespace

TEST(Load, V04NodesMakeADummySpatialLevelForContainers) {
  auto in = io::load_inputs({write_temp("p.yaml", kProblem), write_temp("a.yaml", kArch)}, false);
  ASSERT_EQ(in.arch.num_storage_levels(), 3);
  EXPECT_EQ(in.arch.storage[0].name, "RF");
  EXPECT_EQ(in.arch.storage[1].name, "inter_PE_spatial");
  EXPECT_TRUE(in.arch.storage[1].dummy);
  EXPECT_EQ(in.arch.storage[0].instances, 2);
  EXPECT_EQ(in.arch.fanout_x(1), 2);
  EXPECT_EQ(in.arch.storage[2].block_size, 1);
}

// Imperfect factors: a loop of 7 steps whose last step is 6, over tiles of 2, covers
// 1 + 1*(2-1) + 2*(6-1) = 12 iterations; so P=13 needs P=2 inside and P=7,6 outside only
// when the inner tile's last step is also shortened. Extent = 1 + sum(scale*(residual-1)).
TEST(Load, FactorSyntaxesAndImperfectFactors) {
  std::string map = R"(mapping:
  - {target: DRAM, type: temporal, factors: "P=7,6", permutation: P}
  - {target: PE, type: spatial, factors: [P=2, R=1], permutation: [P, R], split: 2}
  - {target: RF, type: temporal, factors: R3 P1, permutation: RP}
)";
  // Spatial P2 inside DRAM P=7,6: covers 1 + 1*(2-1) + 2*(6-1) = 12 iterations, not 13.
  EXPECT_THROW(io::load_inputs({write_temp("p.yaml", kProblem), write_temp("a.yaml", kArch),
                                write_temp("m.yaml", map)},
                               true),
               ConfigError);
  std::string ok = R"(mapping:
  - {target: DRAM, type: temporal, factors: "P=7", permutation: P}
  - {target: RF, type: temporal, factors: "R=3,P=2,1", permutation: RP}
)";
  // RF: P=2 with a last step of 1; DRAM: 7 steps with a last step of 6... no: DRAM P=7,6
  // gives 1 + 1*(1-1) + 2*(6-1) = 11. Use DRAM P=7 perfect: 1 + 1*(1-1) + 2*(7-1) = 13.
  auto in = io::load_inputs({write_temp("p.yaml", kProblem), write_temp("a.yaml", kArch),
                             write_temp("m.yaml", ok)},
                            true);
  const auto& rf = in.mapping->levels[0].temporal;
  ASSERT_EQ(rf.size(), 2u);
  EXPECT_EQ(rf[1].end, 2);
  EXPECT_EQ(rf[1].residual_end, 1);
  EXPECT_EQ(mapped_extent(*in.mapping)[1], 13);
  EXPECT_FALSE(in.mapping->levels[1].keep[0]);  // dummy levels keep nothing
  EXPECT_TRUE(in.mapping->levels[0].keep[0]);
}

TEST(Load, TopLevelKeyTwiceIsCombinedAsTimeloopfeDoes) {
  std::string empty_map = "mapping: []\n";
  EXPECT_NO_THROW(io::load_inputs({write_temp("p.yaml", kProblem), write_temp("a.yaml", kArch),
                                   write_temp("e.yaml", empty_map)},
                                  false));
  // Equal values combine; lists are joined (timeloopfe's Node.try_combine): both files'
  // constraints apply.
  auto in = io::load_mapper_inputs(
      {write_temp("p.yaml", kProblem), write_temp("p2.yaml", kProblem), write_temp("a.yaml", kArch),
       write_temp("c1.yaml", "constraints:\n- {target: RF, type: temporal, factors: R=3}\n"),
       write_temp("c2.yaml", "constraints:\n- {target: DRAM, type: temporal, factors: P=13}\n")});
  auto rf = static_cast<std::size_t>(in.model.arch.find_level("RF"));
  auto dram = static_cast<std::size_t>(in.model.arch.find_level("DRAM"));
  ASSERT_LT(dram, in.constraints.levels.size());
  EXPECT_EQ(in.constraints.levels[rf].temporal[0].min, 3);  // R at RF, from c1.yaml
  EXPECT_EQ(in.constraints.levels[rf].temporal[0].max, 3);
  EXPECT_EQ(in.constraints.levels[dram].temporal[1].min, 13);  // P at DRAM, from c2.yaml
  EXPECT_EQ(in.model.workload.bounds[1], 13);
  // Two different scalars cannot be combined: an error at the second.
  std::string other = kProblem;
  other.replace(other.find("P: 13"), 5, "P: 12");
  try {
    io::load_inputs({write_temp("p.yaml", kProblem), write_temp("p2.yaml", other),
                     write_temp("a.yaml", kArch)},
                    false);
    FAIL() << "expected a ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_NE(e.message().find("different value"), std::string::npos);
    EXPECT_NE(e.file().find("p2.yaml"), std::string::npos);
  }
}
