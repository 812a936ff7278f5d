// Timeloop's and timeloopfe's leniencies and their meanings (docs/formats.md, Leniency):
// factor 0 is the whole bound, permutations with spaces, hyphenated mapper keys, timeloopfe's
// constraint macros, !Pipelined/!ArrayContainer, one-sided ERT tables, the dummy table.
#include <gtest/gtest.h>

#include "loopsim/core/diagnostics.hpp"
#include "loopsim/core/error.hpp"
#include "loopsim/io/load.hpp"
#include "loopsim/model/evaluate.hpp"
#include "test_util.hpp"

using namespace loopsim;
using loopsim::testing::write_temp;

namespace {

const char* kProblem = R"(problem:
  shape:
    name: Conv1D
    dimensions: [R, P]
    data_spaces:
    - {name: Weights, projection: [[[R]]]}
    - {name: Inputs, projection: [[[R], [P]]]}
    - {name: Outputs, projection: [[[P]]], read_write: true}
  instance: {R: 3, P: 16}
)";

// Block size 1 everywhere, so every scalar access is one vector access.
const char* kArch = R"(architecture:
  version: 0.4
  nodes:
  - !Container {name: top, attributes: {technology: "40nm"}}
  - !Component {name: DRAM, class: DRAM, attributes: {width: 8, datawidth: 8}}
  - !Container {name: PE, spatial: {meshX: 4}}
  - !Component {name: RF, class: regfile, attributes: {depth: 64, width: 8, datawidth: 8}}
  - !Component {name: MAC, class: intmac, attributes: {width: 8}}
)";

const char* kErt = R"(ERT:
  version: '0.4'
  tables:
  - name: top.DRAM[1..1]
    actions: [{name: read, energy: 100}, {name: write, energy: 100}, {name: update, energy: 100}]
  - name: top.PE.RF[1..4]
    actions: [{name: access, energy: 2.5}, {name: leak, energy: 0.5}]
  - name: top.PE.MAC[1..4]
    actions: [{name: multiply_add, energy: 0.75}]
)";

Evaluation run(const io::ModelInputs& in) {
  EnergyTable t = EnergyTable::resolve(in.arch, in.energy);
  auto r = evaluate(in.workload, in.arch, t, *in.mapping);
  EXPECT_TRUE(std::holds_alternative<Evaluation>(r));
  return std::get<Evaluation>(r);
}

io::ModelInputs load_with_mapping(const std::string& name, const std::string& mapping,
                                  Diagnostics* diag = nullptr) {
  return io::load_inputs({write_temp("p.yaml", kProblem), write_temp("a.yaml", kArch),
                          write_temp("e.yaml", kErt), write_temp(name, mapping)},
                         true, diag);
}

}  // namespace

// Timeloop reads factor 0 as the whole bound of the dimension: the same mapping as P=16.
TEST(Leniency, FactorZeroIsTheWholeBoundAndWarns) {
  Diagnostics diag;
  auto zero = load_with_mapping("m0.yaml", R"(mapping:
  - {target: RF, type: temporal, factors: R=3 P=1, permutation: RP}
  - {target: PE, type: spatial, factors: R=1 P=1}
  - {target: DRAM, type: temporal, factors: R=1 P=0, permutation: RP}
)",
                                &diag);
  auto explicit16 = load_with_mapping("m16.yaml", R"(mapping:
  - {target: RF, type: temporal, factors: R=3 P=1, permutation: RP}
  - {target: PE, type: spatial, factors: R=1 P=1}
  - {target: DRAM, type: temporal, factors: R=1 P=16, permutation: RP}
)");
  ASSERT_EQ(diag.warnings().size(), 1u);
  EXPECT_NE(diag.warnings()[0].message.find("P=0 is read as the whole bound of P (16)"),
            std::string::npos);
  Evaluation a = run(zero), b = run(explicit16);
  EXPECT_EQ(a.cycles, b.cycles);
  EXPECT_DOUBLE_EQ(a.energy_pj, b.energy_pj);
  EXPECT_EQ(a.cycles, 48u);  // one MAC unit used: 3 * 16 steps
  Diagnostics strict(true);
  EXPECT_THROW(load_with_mapping("m0s.yaml", R"(mapping:
  - {target: DRAM, type: temporal, factors: R=1 P=0, permutation: RP}
)",
                                 &strict),
               ConfigError);
}

// Timeloop reads a permutation string one letter at a time and skips whitespace.
TEST(Leniency, PermutationWithSpacesIsReadLetterByLetter) {
  auto in = load_with_mapping("m.yaml", R"(mapping:
  - {target: RF, type: temporal, factors: R=3 P=2, permutation: " P R"}
  - {target: DRAM, type: temporal, factors: R=1 P=8, permutation: "R,P"}
)");
  const auto& rf = in.mapping->levels[0].temporal;
  ASSERT_EQ(rf.size(), 2u);
  EXPECT_EQ(in.workload.dims[static_cast<std::size_t>(rf[0].dim)], "P");  // innermost
  EXPECT_EQ(in.workload.dims[static_cast<std::size_t>(rf[1].dim)], "R");
}

// An ERT table with only `access` (and leak): Timeloop costs every missing action at the
// table's largest energy (2.5 pJ, not the 0.5 pJ leak); a compute table without `compute`
// costs its largest action (0.75 pJ).
TEST(Leniency, AccessOnlyTableCostsItsLargestEnergyForEveryAction) {
  auto in = load_with_mapping("m.yaml", R"(mapping:
  - {target: RF, type: temporal, factors: R=3 P=4, permutation: RP}
  - {target: DRAM, type: temporal, factors: R=1 P=4, permutation: RP}
)");
  EnergyTable t = EnergyTable::resolve(in.arch, in.energy);
  int rf = in.arch.find_level("RF");
  EXPECT_DOUBLE_EQ(t.storage(rf).read_pj, 2.5);
  EXPECT_DOUBLE_EQ(t.storage(rf).fill_pj, 2.5);
  EXPECT_DOUBLE_EQ(t.storage(rf).update_pj, 2.5);
  EXPECT_DOUBLE_EQ(t.storage(rf).leak_pj, 0.5);
  EXPECT_DOUBLE_EQ(t.compute().compute_pj, 0.75);
}

// timeloopfe's dummy table: 1 pJ per action, no leakage, 1 um^2; so the energy is the number
// of accesses plus the number of MACs.
TEST(Leniency, DummyTableGivesOnePicojoulePerAction) {
  auto in = io::load_inputs(
      {write_temp("p.yaml", kProblem), write_temp("a.yaml", kArch), write_temp("m.yaml", R"(mapping:
  - {target: RF, type: temporal, factors: R=3 P=4, permutation: RP}
  - {target: PE, type: spatial, factors: P=4}
  - {target: DRAM, type: temporal, factors: R=1 P=1, permutation: RP}
)")},
                            true, nullptr, {}, /*dummy_table=*/true);
  EnergyTable t = EnergyTable::resolve(in.arch, in.energy);
  for (int l = 0; l < in.arch.num_storage_levels(); ++l) {
    if (in.arch.storage[static_cast<std::size_t>(l)].dummy) continue;
    EXPECT_DOUBLE_EQ(t.storage(l).read_pj, 1.0);
    EXPECT_DOUBLE_EQ(t.storage(l).update_pj, 1.0);
    EXPECT_DOUBLE_EQ(t.storage(l).leak_pj, 0.0);
    EXPECT_DOUBLE_EQ(t.storage(l).area_um2, 1.0);
  }
  EXPECT_DOUBLE_EQ(t.compute().compute_pj, 1.0);
  Evaluation ev = run(in);
  double accesses = static_cast<double>(ev.compute.computes);
  for (const auto& lv : ev.levels)
    for (const auto& ds : lv.data_spaces)
      accesses += static_cast<double>(ds.accesses() * ds.utilized_instances);
  EXPECT_EQ(ev.compute.computes, 48u);
  EXPECT_DOUBLE_EQ(ev.energy_pj, accesses);
}

// Timeloop's own mapper keys have hyphens; heartbeat is its older name of timeout.
TEST(Leniency, HyphenatedMapperKeys) {
  auto in = io::load_mapper_inputs({write_temp("p.yaml", kProblem), write_temp("a.yaml", kArch),
                                    write_temp("e.yaml", kErt), write_temp("mapper.yaml", R"(
mapper:
  num-threads: 3
  victory-condition: 77
  heartbeat: 9
  optimization-metrics: [energy]
)")});
  EXPECT_EQ(in.settings.threads, 3);
  EXPECT_EQ(in.settings.victory_condition, 77);
  EXPECT_EQ(in.settings.timeout, 9);
  ASSERT_EQ(in.settings.metrics.size(), 1u);
  EXPECT_EQ(in.settings.metrics[0], Metric::Energy);
  EXPECT_THROW(io::load_mapper_inputs({write_temp("p.yaml", kProblem), write_temp("a.yaml", kArch),
                                       write_temp("e.yaml", kErt),
                                       write_temp("bad.yaml", "mapper: {num-thread: 3}\n")}),
               ConfigError);
}

// timeloopfe's constraint macros, resolved to factor ranges and keep rules.
TEST(Leniency, TimeloopfeConstraintMacros) {
  auto in = io::load_mapper_inputs({write_temp("p.yaml", kProblem), write_temp("a.yaml", kArch),
                                    write_temp("e.yaml", kErt), write_temp("c.yaml", R"(
constraints:
- {target: RF, type: temporal, factors_only: [R=3]}
- {target: DRAM, type: temporal, no_iteration_over_dataspaces: [Weights]}
- {target: RF, type: dataspace, keep_only: [Weights]}
- {target: DRAM, type: dataspace, bypass_only: [Inputs]}
- {target: PE, type: spatial, maximize_dims: [[P, R]], split: len(spec.problem.instance)}
)")});
  const auto& c = in.constraints;
  int rf = in.model.arch.find_level("RF"), pe = in.model.arch.find_level("inter_PE_spatial");
  int dram = in.model.arch.find_level("DRAM");
  int R = in.model.workload.dim_index("R"), P = in.model.workload.dim_index("P");
  // factors_only: R=3, every other dimension 1.
  EXPECT_EQ(c.levels[rf].temporal[R].min, 3);
  EXPECT_EQ(c.levels[rf].temporal[P].max, 1);
  // no iteration over Weights (projection R): R=1 at DRAM.
  EXPECT_EQ(c.levels[dram].temporal[R].max, 1);
  EXPECT_EQ(c.levels[dram].temporal[P].max, std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(c.levels[rf].keep[0], KeepRule::Keep);
  EXPECT_EQ(c.levels[rf].keep[1], KeepRule::Bypass);
  EXPECT_EQ(c.levels[rf].keep[2], KeepRule::Bypass);
  EXPECT_EQ(c.levels[dram].keep[1], KeepRule::Bypass);
  EXPECT_EQ(c.levels[dram].keep[0], KeepRule::Keep);
  // maximize P then R over the fan-out of 4: P=16 has 2*2 of it, R=3 gets nothing left.
  EXPECT_EQ(c.levels[pe].spatial[P].min, 4);
  EXPECT_EQ(c.levels[pe].spatial[P].max, 4);
  EXPECT_EQ(c.levels[pe].spatial[R].max, 1);
  EXPECT_EQ(c.levels[pe].split, 2);
}

// !Pipelined nodes are walked in order (as !Hierarchical); !ArrayContainer is a container;
// technology and global_cycle_seconds given only under variables reach every component.
TEST(Leniency, PipelinedArrayContainerAndVariables) {
  auto in = io::load_inputs({write_temp("p.yaml", kProblem), write_temp("a.yaml", R"(
variables: {technology: 40nm, global_cycle_seconds: 2e-9}
architecture:
  version: 0.4
  nodes:
  - !Container {name: top}
  - !Component {name: DRAM, class: DRAM, attributes: {width: 8, datawidth: 8}}
  - !ArrayContainer {name: PE, spatial: {meshX: 4}}
  - !Pipelined
    nodes:
    - !Component {name: RF, class: regfile, attributes: {depth: 64, width: 8, datawidth: 8}}
  - !Component {name: MAC, class: intmac, attributes: {width: 8}}
)")},
                            false);
  ASSERT_EQ(in.arch.num_storage_levels(), 3);
  EXPECT_EQ(in.arch.storage[0].name, "RF");
  EXPECT_EQ(in.arch.storage[0].instances, 4);
  EXPECT_DOUBLE_EQ(in.arch.global_cycle_seconds, 2e-9);
  const AttrValue* tech = in.arch.storage[0].attributes.find("technology");
  ASSERT_NE(tech, nullptr);
  EXPECT_EQ(tech->text, "40nm");
  EXPECT_FALSE(in.energy.ert.empty());  // estimated without an ERT, with the variables' node
}

// Timeloop's oldest form: bounds directly under problem: (the cnn_layer shape, with K),
// arch: {storage (innermost first), arithmetic}, a named mapspace constraint set.
TEST(Leniency, LegacyArchFlatProblemAndNamedConstraintSet) {
  auto in = io::load_mapper_inputs({write_temp("legacy.yaml", R"(
problem: {R: 3, S: 1, P: 8, Q: 1, C: 2, K: 4, N: 1, Wstride: 1}
arch:
  storage:
  - {name: RF, entries: 16, instances: 4, meshX: 4, word_bits: 8}
  - {name: DRAM, technology: DRAM, instances: 1, word_bits: 8, block_size: 4}
  arithmetic: {instances: 4, meshX: 4, word_bits: 8}
mapspace:
  constraints_ws:
  - {target: RF, type: temporal, factors: R=3}
  constraints: ws
)")},
                                   nullptr, {}, /*dummy_table=*/true);
  const auto& w = in.model.workload;
  EXPECT_GE(w.dim_index("K"), 0);
  EXPECT_LT(w.dim_index("M"), 0);
  EXPECT_EQ(w.bounds[static_cast<std::size_t>(w.dim_index("K"))], 4);
  const auto& a = in.model.arch;
  ASSERT_EQ(a.num_storage_levels(), 2);
  EXPECT_EQ(a.storage[0].name, "RF");
  EXPECT_EQ(a.storage[0].instances, 4);
  EXPECT_EQ(a.storage[0].size_words, 16);
  EXPECT_EQ(a.storage[1].technology, StorageTech::DRAM);
  EXPECT_EQ(a.storage[1].block_size, 4);
  EXPECT_EQ(a.arithmetic.name, "__ARITH__");
  EXPECT_EQ(a.fanout(0), 1);  // one RF per MAC
  EXPECT_EQ(a.fanout(1), 4);  // DRAM feeds the four RFs
  EXPECT_EQ(in.constraints.levels[0].temporal[static_cast<std::size_t>(w.dim_index("R"))].min, 3);
}

// A quoted expression is evaluated where a number is needed (timeloopfe evaluates strings);
// `name:` names the level of a constraint as `target:` does.
TEST(Leniency, QuotedExpressionsAndNameForTarget) {
  auto in = io::load_mapper_inputs({write_temp("p.yaml", kProblem), write_temp("a.yaml", R"y(
architecture:
  version: 0.4
  nodes:
  - !Container {name: top, attributes: {technology: "40nm"}}
  - !Component {name: DRAM, class: DRAM, attributes: {width: 8, datawidth: 8}}
  - !Component {name: RF, class: regfile, attributes: {depth: "max(1, 32 * 2)", width: 8, datawidth: 8}}
  - !Component {name: MAC, class: intmac, attributes: {width: 8}}
)y"),
                                    write_temp("c.yaml", R"(
constraints:
- {name: RF, type: temporal, factors: R=3}
)")});
  EXPECT_EQ(in.model.arch.storage[0].size_words, 64);
  int R = in.model.workload.dim_index("R");
  EXPECT_EQ(in.constraints.levels[0].temporal[static_cast<std::size_t>(R)].min, 3);
}

// `class: compute` with an Accelergy `subclass:`: the estimator uses the subclass, and the
// component stays the compute unit.
TEST(Leniency, ComputeClassWithSubclass) {
  auto in = io::load_inputs({write_temp("p.yaml", kProblem), write_temp("a.yaml", R"(
architecture:
  version: 0.4
  nodes:
  - !Container {name: top, attributes: {technology: "40nm"}}
  - !Component {name: DRAM, class: DRAM, attributes: {width: 8, datawidth: 8}}
  - !Component {name: MAC, class: compute, subclass: intmac, attributes: {width: 8}}
)")},
                            false);
  EXPECT_EQ(in.arch.arithmetic.name, "MAC");
  EXPECT_EQ(in.arch.arithmetic.cls, "intmac");
  EXPECT_EQ(in.energy.ert.size(), 2u);  // DRAM and MAC estimated
}

// A subcomponent attribute may name a sibling attribute written before it (Accelergy's
// `mantissa: adder_width - exponent`): the compound's adder is the same as a 24-bit adder.
TEST(Leniency, SubcomponentAttributeNamesASibling) {
  auto energy_of_mac = [](const std::string& name, const std::string& mac_line,
                          const std::string& classes) {
    std::string arch = R"(architecture:
  version: 0.4
  nodes:
  - !Container {name: top, attributes: {technology: "45nm"}}
  - !Component {name: DRAM, class: DRAM, attributes: {width: 8, datawidth: 8}}
)" + mac_line + "\n" + classes;
    auto in = io::load_inputs({write_temp("p.yaml", kProblem), write_temp(name, arch)}, false);
    for (const auto& e : in.energy.ert)
      if (ert_component_name(e.name) == "MAC")
        return e.actions.count("compute") ? e.actions.at("compute") : e.actions.at("add");
    ADD_FAILURE() << "no MAC entry";
    return 0.0;
  };
  double compound = energy_of_mac(
      "c.yaml", "  - !Component {name: MAC, class: mymac, attributes: {adder_width: 32}}",
      R"(compound_components:
  version: 0.4
  classes:
  - name: mymac
    attributes: {adder_width: 32}
    subcomponents:
    - {name: add, class: intadder, attributes: {exponent: 8, width: adder_width - exponent}}
    actions:
    - {name: compute, subcomponents: [{name: add, actions: [{name: add}]}]}
)");
  double plain = energy_of_mac(
      "p24.yaml", "  - !Component {name: MAC, class: intadder, attributes: {width: 24}}", "");
  EXPECT_GT(plain, 0.0);
  EXPECT_DOUBLE_EQ(compound, plain);
}

TEST(Leniency, ErtNamesWithRangesOnSeveralLevels) {
  // Accelergy's flattened names: the component is the last dot-separated part outside the
  // "[a..b]" ranges, whichever ranges come before it.
  EXPECT_EQ(ert_component_name("top.PE[0..3].RF[1..1]"), "RF");
  EXPECT_EQ(ert_component_name("system.PE[0..167].ifmap_spad[0..11]"), "ifmap_spad");
  EXPECT_EQ(ert_component_name("system.DRAM[1..1]"), "DRAM");
  EXPECT_EQ(ert_component_name("MAC"), "MAC");
  EXPECT_EQ(ert_component_name("a.b[0..1].c.d"), "d");
}

TEST(Leniency, InstanceBoundsGivenAsVariables) {
  // timeloopfe evaluates instance values over the top-level variables (`I: INPUT_BITS`).
  std::string problem = kProblem;
  problem.replace(problem.find("P: 16"), 5, "P: HALF * 2");
  auto in = io::load_inputs({write_temp("p.yaml", problem), write_temp("a.yaml", kArch),
                             write_temp("v.yaml", "variables: {FULL: 16, HALF: FULL / 2}\n")},
                            false);
  EXPECT_EQ(in.workload.bounds[1], 16);
  EXPECT_EQ(in.workload.bounds[0], 3);
  // A name no variable defines is an error at the instance key.
  problem.replace(problem.find("HALF * 2"), 8, "HALVE");
  try {
    io::load_inputs({write_temp("p.yaml", problem), write_temp("a.yaml", kArch),
                     write_temp("v.yaml", "variables: {HALF: 8}\n")},
                    false);
    FAIL() << "expected a ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_NE(e.key_path().find("instance.P"), std::string::npos) << e.what();
  }
}

TEST(Leniency, MappingTargetAsStorageLevelIndex) {
  // Timeloop's legacy (libconfig) mappings may name a storage level by its index, 0
  // innermost (FindTargetStorageLevel): the same mapping as by name.
  auto in = load_with_mapping("mi.yaml", R"(mapping:
  - {target: 0, type: temporal, factors: R=3 P=4, permutation: RP}
  - {target: PE, type: spatial, factors: R=1 P=4}
  - {target: 1, type: temporal, factors: R=1 P=1, permutation: RP}
)");
  auto named = load_with_mapping("mn.yaml", R"(mapping:
  - {target: RF, type: temporal, factors: R=3 P=4, permutation: RP}
  - {target: PE, type: spatial, factors: R=1 P=4}
  - {target: DRAM, type: temporal, factors: R=1 P=1, permutation: RP}
)");
  Evaluation a = run(in), b = run(named);
  EXPECT_EQ(a.cycles, 12u);  // four MAC units: 3 * 4 steps each
  EXPECT_EQ(a.cycles, b.cycles);
  EXPECT_DOUBLE_EQ(a.energy_pj, b.energy_pj);
  try {
    load_with_mapping("m9.yaml", "mapping:\n  - {target: 9, type: temporal, factors: R=3 P=16}\n");
    FAIL() << "expected a ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_NE(e.message().find("index 9 is out of range"), std::string::npos) << e.what();
  }
}

// Timeloop's oldest constraint forms (ParseUserConstraints, src/mapping/constraints.cpp, as
// its configs/mapper/chen-asplos2014.yaml writes them): a target holding a list of
// constraints with their settings under `attributes:`, and a flat entry with `attributes:`.
TEST(Leniency, NestedTargetConstraintsWithAttributes) {
  auto in = io::load_mapper_inputs({write_temp("p.yaml", kProblem), write_temp("a.yaml", kArch),
                                    write_temp("e.yaml", kErt), write_temp("c.yaml", R"(
mapspace:
  targets:
  - name: RF
    constraints:
    - {type: bypassing, attributes: {keep: [Weights], bypass: [Inputs, Outputs]}}
    - type: temporal
      attributes: {factors: R=3 P=1}
  - {name: DRAM, type: temporal, attributes: {factors: R=1}}
)")});
  const auto& c = in.constraints;
  int rf = in.model.arch.find_level("RF"), dram = in.model.arch.find_level("DRAM");
  int R = in.model.workload.dim_index("R"), P = in.model.workload.dim_index("P");
  EXPECT_EQ(c.levels[rf].keep[0], KeepRule::Keep);
  EXPECT_EQ(c.levels[rf].keep[1], KeepRule::Bypass);
  EXPECT_EQ(c.levels[rf].temporal[R].min, 3);
  EXPECT_EQ(c.levels[rf].temporal[P].max, 1);
  EXPECT_EQ(c.levels[dram].temporal[R].max, 1);
}
