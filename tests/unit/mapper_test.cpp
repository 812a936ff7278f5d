// Mapper: each constraint kind restricts the mapspace as specified (no_reuse, which does
// not, changes every mapping's evaluation as specified); search determinism, thread-count
// independence of the optimal search, the map.yaml round trip.
// Cases: tests/golden/matmul_2x2_pe (M=N=K=4 on DRAM -> glb -> 2x2 PEs with a 1-word acc);
// tests/golden/conv1d_dram_rf for no_reuse.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <sstream>

#include "test_util.hpp"
#include "mapper_test_util.hpp"
#include "loopsim/core/error.hpp"
#include "loopsim/io/emit.hpp"
#include "loopsim/io/load.hpp"
#include "loopsim/mapper/search.hpp"

using namespace loopsim;
namespace fs = std::filesystem;

namespace {

const std::string kGolden = std::string(LOOPSIM_SOURCE_DIR) + "/tests/golden/matmul_2x2_pe/";

using loopsim::testing::run;
using loopsim::testing::slot_of;
using loopsim::testing::write_temp;
using loopsim::testing::yaml_of;

io::MapperInputs load(const std::string& constraints_yaml, const std::string& name) {
  std::vector<std::string> files = {kGolden + "arch.yaml", kGolden + "problem.yaml",
                                    kGolden + "ERT.yaml"};
  if (!constraints_yaml.empty()) files.push_back(write_temp(name, constraints_yaml));
  return io::load_mapper_inputs(files);
}

std::string error_of(const std::string& yaml, const std::string& name) {
  try {
    (void)load(yaml, name);
  } catch (const ConfigError& e) {
    return e.message() + " @" + std::to_string(e.line());
  }
  return "";
}

// Small space for full searches: keeps fixed, DRAM takes no loops.
const char* kSmall = R"(constraints:
  targets:
  - {target: DRAM, type: temporal, factors: M=1 N=1 K=1}
  - {target: glb, type: bypass, keep: [A, B, Z]}
  - {target: acc, type: bypass, keep: [Z], bypass: [A, B]}
)";

}  // namespace

TEST(MapperConstraints, FactorsEqualAtMostAtLeast) {
  auto in = load(R"(constraints:
  targets:
  - {target: glb, type: temporal, factors: "M=2 N<=2 K>=2"}
)", "factors.yaml");
  const auto& a = in.model.arch;
  MapSpace ms(in.model.workload, a, in.constraints);
  int glb = a.find_level("glb");
  int s = slot_of(ms, glb, Spacetime::Time);
  ASSERT_GE(s, 0);
  const auto& w = in.model.workload;
  for (const auto& f : ms.factorizations(w.dim_index("M"))) EXPECT_EQ(f[s], 2);
  bool saw_n1 = false;
  for (const auto& f : ms.factorizations(w.dim_index("N"))) {
    EXPECT_LE(f[s], 2);
    saw_n1 |= f[s] == 1;
  }
  EXPECT_TRUE(saw_n1);
  for (const auto& f : ms.factorizations(w.dim_index("K"))) EXPECT_GE(f[s], 2);
  // M=2 at glb leaves 2 over acc, PE X, PE Y, DRAM: 4 placements (one spatial loop per dim).
  EXPECT_EQ(ms.factorizations(w.dim_index("M")).size(), 4u);
}

TEST(MapperConstraints, PartialPermutationIsInnermost) {
  auto in = load(R"(constraints:
  targets:
  - {target: glb, type: temporal, factors: M=2 N=2 K=2, permutation: [K, M]}
)", "perm.yaml");
  const auto& w = in.model.workload;
  MapSpace ms(w, in.model.arch, in.constraints);
  int glb = in.model.arch.find_level("glb");
  MapPoint p;
  p.factorization.assign(3, 0);
  p.keep.assign(static_cast<std::size_t>(ms.num_levels()), 0);
  p.perm.resize(static_cast<std::size_t>(ms.num_levels()));
  for (int l = 0; l < ms.num_levels(); ++l) p.perm[l] = ms.free_dims(p.factorization, l);
  EXPECT_EQ(ms.free_dims(p.factorization, glb), std::vector<int>{w.dim_index("N")});
  Mapping m;
  ms.build(p, m);
  const auto& t = m.levels[glb].temporal;
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t[0].dim, w.dim_index("K"));
  EXPECT_EQ(t[1].dim, w.dim_index("M"));
  EXPECT_EQ(t[2].dim, w.dim_index("N"));
}

TEST(MapperConstraints, KeepBypassAndOutermostKeepsAll) {
  auto in = load(R"(mapspace_constraints:
  - {target: acc, type: datatype, keep: [Z], bypass: [A]}
)", "keep.yaml");
  MapSpace ms(in.model.workload, in.model.arch, in.constraints);
  const auto& a = in.model.arch;
  // acc: Z kept, A bypassed, B free -> 2 options; glb: 8; DRAM: 1; the PE fan-out level: 1.
  EXPECT_EQ(ms.keep_options(a.find_level("acc")).size(), 2u);
  for (const auto& o : ms.keep_options(a.find_level("acc"))) {
    EXPECT_FALSE(o[0]);
    EXPECT_TRUE(o[2]);
  }
  EXPECT_EQ(ms.keep_options(a.find_level("glb")).size(), 8u);
  EXPECT_EQ(ms.keep_options(a.find_level("DRAM")).size(), 1u);
  EXPECT_EQ(ms.keep_options(a.find_level("inter_PE_spatial")).size(), 1u);
}

TEST(MapperConstraints, SplitAssignsAxes) {
  auto in = load(R"(constraints:
  targets:
  - {target: PE, type: spatial, permutation: [M, N, K], split: 1}
)", "split.yaml");
  const auto& w = in.model.workload;
  MapSpace ms(w, in.model.arch, in.constraints);
  int l = in.model.arch.find_level("inter_PE_spatial");
  int x = slot_of(ms, l, Spacetime::SpaceX), y = slot_of(ms, l, Spacetime::SpaceY);
  ASSERT_GE(x, 0);
  ASSERT_GE(y, 0);
  bool m_on_x = false;
  for (const auto& f : ms.factorizations(w.dim_index("M"))) {
    EXPECT_EQ(f[y], 1);
    m_on_x |= f[x] == 2;
  }
  EXPECT_TRUE(m_on_x);
  for (const char* d : {"N", "K"})
    for (const auto& f : ms.factorizations(w.dim_index(d))) EXPECT_EQ(f[x], 1);
}

namespace {

// The golden architecture with v0.4 node constraints: `pe` on the PE container (the text
// after its `spatial:` line) and `before` inserted in front of the node header `node` (so
// at the end of the node above it).
io::MapperInputs load_node_constraints(const std::string& pe, const std::string& node,
                                       const std::string& before, const std::string& name) {
  std::ifstream arch_in(kGolden + "arch.yaml");
  std::stringstream ss;
  ss << arch_in.rdbuf();
  std::string arch = ss.str();
  const std::string mesh = "    spatial: {meshX: 2, meshY: 2}\n";
  arch.insert(arch.find(mesh) + mesh.size(), pe);
  arch.insert(arch.find(node), before);
  return io::load_mapper_inputs(
      {write_temp(name, arch), kGolden + "problem.yaml", kGolden + "ERT.yaml"});
}

}  // namespace

TEST(MapperConstraints, MinUtilizationAndNodeConstraints) {
  // The architecture's own node constraints (v0.4) plus a utilization constraint.
  auto in = load_node_constraints("    constraints:\n      spatial: {min_utilization: 1.0}\n",
                                  "  - !Component\n    name: mac",
                                  "    constraints:\n"
                                  "      dataspace: {keep: [Z], bypass: [A, B]}\n",
                                  "arch_nc.yaml");
  MapSpace ms(in.model.workload, in.model.arch, in.constraints);
  EXPECT_EQ(ms.keep_options(in.model.arch.find_level("acc")).size(), 1u);
  // Every factorization the search may use fills all 4 PEs; count by brute force.
  int ok = 0, total = 0;
  std::vector<int> f(3);
  for (f[0] = 0; f[0] < static_cast<int>(ms.factorizations(0).size()); ++f[0])
    for (f[1] = 0; f[1] < static_cast<int>(ms.factorizations(1).size()); ++f[1])
      for (f[2] = 0; f[2] < static_cast<int>(ms.factorizations(2).size()); ++f[2]) {
        ++total;
        if (!ms.spatial_ok(f)) continue;
        ++ok;
        EXPECT_EQ(ms.spatial_product(f), 4);
      }
  EXPECT_GT(ok, 0);
  EXPECT_LT(ok, total);
}

TEST(MapperConstraints, ErrorsNameTheUnknownThing) {
  EXPECT_NE(error_of("constraints:\n  targets:\n  - {target: gbl, type: temporal, factors: M=1}\n",
                     "e1.yaml")
                .find("no storage level named 'gbl'"),
            std::string::npos);
  EXPECT_NE(error_of("constraints:\n  targets:\n  - {target: glb, type: temporal, factors: Q=1}\n",
                     "e2.yaml")
                .find("unknown dimension 'Q'"),
            std::string::npos);
  EXPECT_NE(error_of("constraints:\n  targets:\n  - {target: glb, type: bypass, keep: [Y]}\n",
                     "e3.yaml")
                .find("'Y'"),
            std::string::npos);
  EXPECT_NE(error_of("mapper:\n  num_thread: 2\n", "e4.yaml").find("did you mean 'num_threads'"),
            std::string::npos);
  EXPECT_NE(error_of("constraints:\n  targets:\n  - {target: glb, type: temporal, factors: M=3}\n",
                     "e5.yaml")
                .find("cannot hold"),
            std::string::npos);
}

TEST(MapperSettingsTest, TimeloopKeys) {
  auto in = load(R"(mapper:
  optimization_metrics: [delay, energy]
  num_threads: 3
  timeout: 0
  victory_condition: 500
  algorithm: random-pruned
  max_permutations_per_if_visit: 4
  live_status: false
  search_size: 10
  seed: 9
  time_budget_s: 2.5
)", "mapper.yaml");
  const auto& s = in.settings;
  EXPECT_EQ(s.metrics, (std::vector<Metric>{Metric::Delay, Metric::Energy}));
  EXPECT_EQ(s.threads, 3);
  EXPECT_EQ(s.timeout, 0);
  EXPECT_EQ(s.victory_condition, 500);
  EXPECT_EQ(s.algorithm, Algorithm::RandomPruned);
  EXPECT_EQ(s.max_permutations_per_if_visit, 4);
  EXPECT_FALSE(s.live_status);
  EXPECT_EQ(s.search_size, 10);
  EXPECT_EQ(s.seed, 9u);
  EXPECT_DOUBLE_EQ(s.time_budget_s, 2.5);
}


TEST(MapperSearch, OptimalIsThreadCountIndependentAndMatchesExhaustive) {
  auto in = load(kSmall, "small.yaml");
  auto r1 = run(in, Algorithm::Optimal, 1, 0, 1);
  auto r2 = run(in, Algorithm::Optimal, 2, 0, 1);
  auto rx = run(in, Algorithm::Exhaustive, 2, 0, 1);
  ASSERT_TRUE(r1.best && r2.best && rx.best);
  EXPECT_TRUE(r1.stats.proven_optimal);
  EXPECT_TRUE(r2.stats.proven_optimal);
  EXPECT_EQ(yaml_of(in, r1), yaml_of(in, r2));
  EXPECT_DOUBLE_EQ(r1.eval->edp(), rx.eval->edp());
  // Every candidate the exhaustive search evaluated is no better than the optimum; the
  // random search cannot beat it either.
  auto rr = run(in, Algorithm::Random, 2, 300, 5);
  ASSERT_TRUE(rr.best);
  EXPECT_GE(rr.eval->edp(), r1.eval->edp() * (1 - 1e-12));
}

TEST(MapperSearch, SameSeedAndThreadsGiveTheSameResult) {
  auto in = load("", "none.yaml");
  for (Algorithm a : {Algorithm::Random, Algorithm::RandomPruned, Algorithm::Hybrid,
                      Algorithm::Anneal}) {
    auto r1 = run(in, a, 2, 150, 42);
    auto r2 = run(in, a, 2, 150, 42);
    ASSERT_TRUE(r1.best && r2.best) << to_string(a);
    EXPECT_EQ(r1.stats.evaluated, r2.stats.evaluated) << to_string(a);
    EXPECT_EQ(yaml_of(in, r1), yaml_of(in, r2)) << to_string(a);
  }
}

TEST(MapperSearch, MapYamlRoundTrip) {
  auto in = load(kSmall, "small_rt.yaml");
  auto r = run(in, Algorithm::Optimal, 2, 0, 1);
  ASSERT_TRUE(r.best);
  std::string map = write_temp("best.map.yaml", yaml_of(in, r));
  auto back = io::load_inputs({kGolden + "arch.yaml", kGolden + "problem.yaml",
                               kGolden + "ERT.yaml", map},
                              true);
  auto table = EnergyTable::resolve(back.arch, back.energy);
  auto e = evaluate(back.workload, back.arch, table, *back.mapping);
  ASSERT_TRUE(std::holds_alternative<Evaluation>(e));
  EXPECT_EQ(std::get<Evaluation>(e).cycles, r.eval->cycles);
  EXPECT_DOUBLE_EQ(std::get<Evaluation>(e).energy_pj, r.eval->energy_pj);
}

TEST(MapperSearch, CapacityPrecheckAgreesWithEvaluator) {
  // Random points of the unconstrained space: fits() must accept exactly the points the
  // evaluator does not reject for capacity.
  auto in = load("", "none_cap.yaml");
  auto table = EnergyTable::resolve(in.model.arch, in.model.energy);
  MapSpace ms(in.model.workload, in.model.arch, in.constraints);
  Evaluator ev(in.model.workload, in.model.arch, table);
  std::mt19937_64 rng(3);
  int fit = 0, nofit = 0;
  Mapping m;
  for (int i = 0; i < 3000; ++i) {
    MapPoint p;
    for (int d = 0; d < ms.num_dims(); ++d)
      p.factorization.push_back(static_cast<int>(rng() % ms.factorizations(d).size()));
    for (int l = 0; l < ms.num_levels(); ++l)
      p.keep.push_back(static_cast<int>(rng() % ms.keep_options(l).size()));
    if (!ms.spatial_ok(p.factorization) || !ms.keeps_ok(p.keep)) continue;
    for (int l = 0; l < ms.num_levels(); ++l) p.perm.push_back(ms.free_dims(p.factorization, l));
    ms.build(p, m);
    auto r = ev.evaluate(m);
    bool cap = std::holds_alternative<Rejection>(r) &&
               std::get<Rejection>(r).reason == RejectReason::Capacity;
    EXPECT_EQ(ms.fits(p), !cap) << "point " << i;
    (ms.fits(p) ? fit : nofit)++;
  }
  EXPECT_GT(fit, 10);
  EXPECT_GT(nofit, 10);
}

namespace {

// Eyeriss-like (arch-specs/) on VGG-16 conv3_2 with a dataflow preset; a short random search.
struct DataflowRun {
  io::MapperInputs in;
  SearchResult r;
};

DataflowRun run_dataflow(const std::string& name) {
  std::string root = LOOPSIM_SOURCE_DIR;
  std::string a = root + "/arch-specs/eyeriss_like/";
  DataflowRun d{io::load_mapper_inputs({a + "arch.yaml", a + "ERT.yaml", a + "ART.yaml",
                                        root + "/workloads/vgg16/conv3_2.yaml"}),
                {}};
  io::apply_dataflow_file(root + "/mappings/dataflows/" + name + ".yaml", d.in.model.workload,
                          d.in.model.arch, d.in.constraints);
  MapperSettings s;
  s.algorithm = Algorithm::Random;
  s.threads = 1;
  s.search_size = 3;
  s.time_budget_s = 20;  // a safety net only; 3 valid mappings take well under a second
  s.seed = 11;
  auto table = EnergyTable::resolve(d.in.model.arch, d.in.model.energy);
  d.r = search_mappings(d.in.model.workload, d.in.model.arch, table, d.in.constraints, s,
                        nullptr, {});
  return d;
}

bool relevant(const Workload& w, int ds, int dim) {
  for (const auto& rank : w.data_spaces[static_cast<std::size_t>(ds)].projection)
    for (const auto& t : rank)
      if (t.dim == dim) return true;
  return false;
}

// The PE-local store of a tensor keeps it, and its loops never change the tensor's tile.
void expect_stationary(const std::string& preset, const std::string& level,
                       const std::string& tensor) {
  auto d = run_dataflow(preset);
  ASSERT_TRUE(d.r.best) << preset;
  const auto& w = d.in.model.workload;
  int l = d.in.model.arch.find_level(level);
  int ds = w.data_space_index(tensor);
  EXPECT_TRUE(d.r.best->levels[l].keep[ds]) << preset;
  for (const auto& lp : d.r.best->levels[l].temporal)
    EXPECT_FALSE(relevant(w, ds, lp.dim)) << preset << ": loop over " << w.dims[lp.dim];
  // The tile stays resident: each element is read once per iteration of the level's loops.
  const auto& st = d.r.eval->levels[l].data_spaces[ds];
  std::int64_t iters = 1;
  for (const auto& lp : d.r.best->levels[l].temporal) iters *= lp.end;
  EXPECT_GE(st.reads, st.fills * static_cast<std::uint64_t>(iters) / 2) << preset;
}

}  // namespace

TEST(MapperDataflow, WeightStationary) { expect_stationary("weight-stationary", "weights_spad", "Weights"); }
TEST(MapperDataflow, OutputStationary) { expect_stationary("output-stationary", "psum_spad", "Outputs"); }
TEST(MapperDataflow, InputStationary) { expect_stationary("input-stationary", "ifmap_spad", "Inputs"); }

TEST(MapperDataflow, RowStationary) {
  auto d = run_dataflow("row-stationary");
  ASSERT_TRUE(d.r.best);
  const auto& w = d.in.model.workload;
  const auto& arch = d.in.model.arch;
  // Array: X only output rows (Q); Y only filter rows and channel groups (S, M, C).
  for (const auto& lp : d.r.best->levels[arch.find_level("inter_PE_spatial")].spatial) {
    if (lp.spacetime == Spacetime::SpaceX) EXPECT_EQ(w.dims[lp.dim], "Q");
    else EXPECT_TRUE(w.dims[lp.dim] == "S" || w.dims[lp.dim] == "M" || w.dims[lp.dim] == "C");
  }
  // Each PE's weight scratchpad holds whole filter rows: its Weights tile spans R = 3.
  int l = arch.find_level("weights_spad");
  std::int64_t r = 1;
  for (int k = 0; k <= l; ++k)
    for (const auto* loops : {&d.r.best->levels[k].temporal, &d.r.best->levels[k].spatial})
      for (const auto& lp : *loops)
        if (w.dims[lp.dim] == "R") r *= lp.end;
  EXPECT_EQ(r, 3);
  for (const auto& lp : d.r.best->levels[l].temporal)
    EXPECT_TRUE(w.dims[lp.dim] == "R" || w.dims[lp.dim] == "C" || w.dims[lp.dim] == "M");
}

TEST(MapperDataflow, NoLocalReuse) {
  // Eyeriss-like's scratchpads must keep their data (node constraints): a clear error.
  std::string root = LOOPSIM_SOURCE_DIR;
  std::string msg;
  try {
    (void)run_dataflow("no-local-reuse");
  } catch (const ConfigError& e) {
    msg = e.message();
  }
  EXPECT_NE(msg.find("'psum_spad' keep 'Outputs'"), std::string::npos) << msg;
  // The 2x2-PE golden design: the PE's accumulator keeps nothing and runs no loop, so it
  // sees no access at all (every operand comes from the global buffer).
  auto in = load("", "nlr.yaml");
  io::apply_dataflow_file(root + "/mappings/dataflows/no-local-reuse.yaml", in.model.workload,
                          in.model.arch, in.constraints);
  auto r = run(in, Algorithm::Optimal, 2, 0, 1);
  ASSERT_TRUE(r.best);
  int acc = in.model.arch.find_level("acc");
  EXPECT_TRUE(r.best->levels[acc].temporal.empty());
  for (bool k : r.best->levels[acc].keep) EXPECT_FALSE(k);
  for (const auto& st : r.eval->levels[acc].data_spaces) EXPECT_EQ(st.accesses(), 0u);
}

TEST(MapperConstraints, InfeasibleFactorsAreExplained) {
  auto in = load(R"(constraints:
  targets:
  - {target: glb, type: temporal, factors: M>=4}
  - {target: acc, type: temporal, factors: M>=2}
)", "infeasible.yaml");
  MapSpace ms(in.model.workload, in.model.arch, in.constraints);
  EXPECT_TRUE(ms.factorizations(in.model.workload.dim_index("M")).empty());
  EXPECT_NE(ms.empty_reason().find("dimension M (bound 4)"), std::string::npos);
  auto r = run(in, Algorithm::Optimal, 1, 0, 1);
  EXPECT_FALSE(r.best);
  EXPECT_EQ(r.stats.evaluated, 0u);
  EXPECT_FALSE(r.stats.empty_reason.empty());
}

// no_reuse (Timeloop: temporal -> no_temporal_reuse, spatial -> no_multicast_no_reduction)
// is accepted in every place and spelling Timeloop takes, and lands on the level's flags.
TEST(MapperConstraints, NoReuseFormsAndPlaces) {
  auto in = load(R"(constraints:
  targets:
  - {target: acc, type: temporal, no_reuse: [Z]}
  - {target: glb, type: temporal, no_temporal_reuse: [A, B]}
  - {target: PE, type: spatial, no_reuse: [A]}
  - {target: inter_PE_spatial, type: spatial, no_multicast_no_reduction: [B]}
  - {target: DRAM, type: temporal, no_reuse: "*"}
mapspace_constraints:
- {target: PE, type: no_reduction, datatypes: [Z]}
)", "nr_forms.yaml");
  const auto& a = in.model.arch;
  const auto& c = in.constraints.levels;
  auto lvl = [&](const char* n) { return static_cast<std::size_t>(a.find_level(n)); };
  EXPECT_EQ(c[lvl("acc")].no_reuse, (std::vector<bool>{false, false, true}));
  EXPECT_EQ(c[lvl("glb")].no_reuse, (std::vector<bool>{true, true, false}));
  EXPECT_EQ(c[lvl("DRAM")].no_reuse, (std::vector<bool>{true, true, true}));
  EXPECT_EQ(c[lvl("inter_PE_spatial")].no_multicast, (std::vector<bool>{true, true, true}));
  EXPECT_EQ(c[lvl("glb")].no_multicast, (std::vector<bool>{false, false, false}));
  // Every mapping of the space carries them; the mapspace itself is not restricted.
  MapSpace ms(in.model.workload, a, in.constraints);
  MapSpace free_ms(in.model.workload, a, Constraints::unconstrained(in.model.workload, a));
  EXPECT_EQ(ms.size(), free_ms.size());
  MapPoint p;
  p.factorization.assign(3, 0);
  p.keep.assign(static_cast<std::size_t>(ms.num_levels()), 0);
  for (int l = 0; l < ms.num_levels(); ++l) p.perm.push_back(ms.free_dims(p.factorization, l));
  Mapping m;
  ms.build(p, m);
  EXPECT_EQ(m.levels[lvl("glb")].no_temporal_reuse, (std::vector<bool>{true, true, false}));
  EXPECT_EQ(m.levels[lvl("inter_PE_spatial")].no_multicast, (std::vector<bool>{true, true, true}));

  // v0.4 node constraints: the spatial block of the PE container, the temporal block of the
  // glb component (the node above the PE container).
  auto node = load_node_constraints("    constraints:\n      spatial: {no_reuse: [B]}\n",
                                    "  - !Container\n    name: PE",
                                    "    constraints:\n      temporal: {no_reuse: true}\n",
                                    "arch_nr.yaml");
  const auto& nc = node.constraints.levels;
  EXPECT_EQ(nc[lvl("inter_PE_spatial")].no_multicast, (std::vector<bool>{false, true, false}));
  EXPECT_EQ(nc[lvl("glb")].no_reuse, (std::vector<bool>{true, true, true}));
}

TEST(MapperConstraints, NoReuseErrors) {
  auto has = [](const std::string& msg, const std::string& part) {
    EXPECT_NE(msg.find(part), std::string::npos) << msg;
  };
  has(error_of("constraints:\n  targets:\n  - {target: glb, type: temporal, no_reuse: [Zz]}\n",
               "n1.yaml"),
      "unknown data space 'Zz' (did you mean 'Z'?)");
  has(error_of("constraints:\n  targets:\n  - {target: glb, type: temporal,\n"
               "     no_reuse: [A, Bb]}\n",
               "n1b.yaml"),
      "@4");  // the line of the list
  has(error_of("constraints:\n  targets:\n  - {target: glb, type: bypass, no_reuse: [A]}\n",
               "n2.yaml"),
      "'no_reuse' does not belong in a bypass constraint");
  has(error_of("constraints:\n  targets:\n  - {target: glb, type: spatial, no_reuse: [A]}\n",
               "n3.yaml"),
      "has no spatial fan-out");
  has(error_of("constraints:\n  targets:\n"
               "  - {target: PE, type: spatial, no_multicast_no_reuse: [A]}\n",
               "n4.yaml"),
      "did you mean 'no_multicast_no_reduction'");
  has(error_of("constraints:\n  targets:\n"
               "  - {target: PE, type: spatial, no_temporal_reuse: [A]}\n",
               "n5.yaml"),
      "'no_temporal_reuse' belongs in a temporal");
  has(error_of("constraints:\n  targets:\n  - {target: PE, type: no_multicast, datatypes: [Z]}\n",
               "n6.yaml"),
      "'Z' is read-write");
}
