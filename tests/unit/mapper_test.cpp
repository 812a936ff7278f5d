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
#include "loopsim/core/error.hpp"
#include "loopsim/io/emit.hpp"
#include "loopsim/io/load.hpp"
#include "loopsim/mapper/search.hpp"

using namespace loopsim;
namespace fs = std::filesystem;

namespace {

const std::string kGolden = std::string(LOOPSIM_SOURCE_DIR) + "/tests/golden/matmul_2x2_pe/";

using loopsim::testing::write_temp;

io::MapperInputs load(const std::string& constraints_yaml, const std::string& name) {
  std::vector<std::string> files = {kGolden + "arch.yaml", kGolden + "problem.yaml",
                                    kGolden + "ERT.yaml"};
  if (!constraints_yaml.empty()) files.push_back(write_temp(name, constraints_yaml));
  return io::load_mapper_inputs(files);
}

int slot_of(const MapSpace& ms, int level, Spacetime st) {
  for (std::size_t s = 0; s < ms.slots().size(); ++s)
    if (ms.slots()[s].level == level && ms.slots()[s].st == st) return static_cast<int>(s);
  return -1;
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

namespace {

SearchResult run(const io::MapperInputs& in, Algorithm a, int threads, std::int64_t search_size,
                 std::uint64_t seed) {
  MapperSettings s = in.settings;
  s.algorithm = a;
  s.threads = threads;
  s.search_size = search_size;
  s.seed = seed;
  s.metrics = {Metric::Edp};
  auto table = EnergyTable::resolve(in.model.arch, in.model.energy);
  return search_mappings(in.model.workload, in.model.arch, table, in.constraints, s, nullptr, {});
}

std::string yaml_of(const io::MapperInputs& in, const SearchResult& r) {
  auto table = EnergyTable::resolve(in.model.arch, in.model.energy);
  io::EmitContext ctx{in.model.workload, in.model.arch, table, *r.best, *r.eval};
  std::ostringstream os;
  io::write_map_yaml(os, ctx);
  return os.str();
}

}  // namespace

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

namespace {

// The 1-D convolution golden case: DRAM -> 16-word register file `rf` -> one MAC.
const std::string kConv1d = std::string(LOOPSIM_SOURCE_DIR) + "/tests/golden/conv1d_dram_rf/";

io::MapperInputs load_conv1d(const std::string& constraints_yaml, const std::string& name) {
  std::vector<std::string> files = {kConv1d + "arch.yaml", kConv1d + "problem.yaml",
                                    kConv1d + "ERT.yaml"};
  if (!constraints_yaml.empty()) files.push_back(write_temp(name, constraints_yaml));
  return io::load_mapper_inputs(files);
}

// Calls f(mapping) for every point of the space (every factorization, keep mask and order
// of the non-trivial loops, temporal and spatial within each axis) that the evaluator
// accepts, with its evaluation.
template <class F>
int for_each_valid(const io::MapperInputs& in, F f) {
  auto table = EnergyTable::resolve(in.model.arch, in.model.energy);
  MapSpace ms(in.model.workload, in.model.arch, in.constraints);
  Evaluator ev(in.model.workload, in.model.arch, table);
  int valid = 0;
  // Factorization per dimension, then keep mask per level: one mixed-radix counter.
  std::vector<int> radix, digit;
  for (int d = 0; d < ms.num_dims(); ++d)
    radix.push_back(static_cast<int>(ms.factorizations(d).size()));
  for (int l = 0; l < ms.num_levels(); ++l)
    radix.push_back(static_cast<int>(ms.keep_options(l).size()));
  digit.assign(radix.size(), 0);
  if (std::find(radix.begin(), radix.end(), 0) != radix.end()) return 0;
  const auto nd = static_cast<std::size_t>(ms.num_dims());
  MapPoint p;
  for (;;) {
    p.factorization.assign(digit.begin(), digit.begin() + static_cast<std::ptrdiff_t>(nd));
    p.keep.assign(digit.begin() + static_cast<std::ptrdiff_t>(nd), digit.end());
    if (ms.keeps_ok(p.keep)) {
      // Every order of each level's non-trivial temporal loops and of its spatial loops
      // within each axis: one odometer over all the lists.
      p.perm.clear();
      p.sperm.assign(static_cast<std::size_t>(ms.num_levels()), {});
      std::vector<std::vector<int>*> lists;
      for (int l = 0; l < ms.num_levels(); ++l) {
        p.perm.push_back(ms.free_dims(p.factorization, l));
        for (int axis = 0; axis < 2; ++axis)
          ms.spatial_free_dims(p.factorization, l, axis, p.sperm[static_cast<std::size_t>(l)][static_cast<std::size_t>(axis)]);
      }
      for (auto& pm : p.perm) lists.push_back(&pm);
      for (auto& axes : p.sperm)
        for (auto& pm : axes) lists.push_back(&pm);
      for (;;) {
        Mapping m;
        ms.build(p, m);
        if (ev.run(m) == nullptr) {
          ++valid;
          f(m, ev.result());
        }
        std::size_t l = 0;
        while (l < lists.size() && !std::next_permutation(lists[l]->begin(), lists[l]->end()))
          ++l;
        if (l == lists.size()) break;
      }
    }
    std::size_t i = 0;
    while (i < digit.size() && ++digit[i] == radix[i]) digit[i++] = 0;
    if (i == digit.size()) return valid;
  }
}

// Temporal iterations of the loops above level l (how often its tile is entered).
std::uint64_t iterations_above(const Mapping& m, int l) {
  std::uint64_t n = 1;
  for (std::size_t k = static_cast<std::size_t>(l) + 1; k < m.levels.size(); ++k)
    for (const auto& lp : m.levels[k].temporal) n *= static_cast<std::uint64_t>(lp.end);
  return n;
}

}  // namespace

// A temporal no_reuse of Weights at the register file: in every valid mapping of the space
// that keeps Weights there, the rf loads its whole Weights tile each time the DRAM loops
// advance (fills = tile x DRAM iterations); without the constraint some mappings reuse it.
//
// The optimum, derived by hand (tests/golden/conv1d_dram_rf/README.md has the unconstrained
// one: 1406.6 pJ, DRAM P loop of 2, rf holding R=3 x P=4, every tensor kept at both levels):
// all of P in the rf (no DRAM loop) would need 3 + 10 + 8 = 21 > 16 words, so with the rf
// keeping Weights there is a DRAM loop; the fewest DRAM iterations, 2, give 2 x 3 = 6
// weight fills (DRAM loops over R instead make the input window refetch and cost more).
// Bypassing Weights at the rf costs 24 - 3 DRAM reads; bypassing Inputs or Outputs (the
// only ways to drop the DRAM loop) costs 14 and 32 DRAM accesses. So the optimum is the
// golden mapping with 3 more DRAM reads (64 pJ) and 3 more rf fills (0.6 pJ): +193.8 pJ.
TEST(MapperNoReuse, EveryMappingRefetchesAndTheOptimumPaysForIt) {
  auto free_in = load_conv1d("", "free.yaml");
  auto nr_in = load_conv1d(R"(constraints:
  targets:
  - {target: rf, type: temporal, no_reuse: [Weights]}
)", "nr.yaml");
  const auto rf = static_cast<std::size_t>(nr_in.model.arch.find_level("rf"));
  const auto wds = static_cast<std::size_t>(nr_in.model.workload.data_space_index("Weights"));
  auto refetches = [&](const Mapping& m, const Evaluation& e) {
    const auto& st = e.levels[rf].data_spaces[wds];
    return st.fills == st.utilized_capacity * iterations_above(m, static_cast<int>(rf));
  };
  int checked = 0, reusing = 0;
  int valid = for_each_valid(nr_in, [&](const Mapping& m, const Evaluation& e) {
    EXPECT_TRUE(m.levels[rf].no_temporal_reuse[wds]);
    if (!m.levels[rf].keep[wds]) return;
    ++checked;
    EXPECT_TRUE(refetches(m, e));
  });
  for_each_valid(free_in, [&](const Mapping& m, const Evaluation& e) {
    if (m.levels[rf].keep[wds] && !refetches(m, e)) ++reusing;
  });
  EXPECT_GT(valid, 20);
  EXPECT_GT(checked, 10);
  EXPECT_GT(reusing, 0);

  free_in.settings.metrics = nr_in.settings.metrics = {Metric::Energy};
  auto table = EnergyTable::resolve(nr_in.model.arch, nr_in.model.energy);
  auto search = [&](const io::MapperInputs& in, Algorithm a) {
    MapperSettings s = in.settings;
    s.algorithm = a;
    s.threads = 2;
    return search_mappings(in.model.workload, in.model.arch, table, in.constraints, s, nullptr,
                           {});
  };
  auto best_free = search(free_in, Algorithm::Optimal);
  auto best_nr = search(nr_in, Algorithm::Optimal);
  auto best_nr_x = search(nr_in, Algorithm::Exhaustive);
  ASSERT_TRUE(best_free.best && best_nr.best && best_nr_x.best);
  EXPECT_TRUE(best_nr.stats.proven_optimal);
  EXPECT_NEAR(best_free.eval->energy_pj, 1406.6, 1e-9);
  EXPECT_NEAR(best_nr.eval->energy_pj - best_free.eval->energy_pj, 3 * 64.0 + 3 * 0.6, 1e-9);
  EXPECT_NEAR(best_nr_x.eval->energy_pj, best_nr.eval->energy_pj, 1e-9);
  EXPECT_TRUE(refetches(*best_nr.best, *best_nr.eval));
  EXPECT_EQ(best_nr.eval->levels[rf].data_spaces[wds].fills, 6u);

  // map.yaml carries the modifier (Timeloop's mapping key) and evaluates the same.
  std::string yaml = yaml_of(nr_in, best_nr);
  EXPECT_NE(yaml.find("no_temporal_reuse: [Weights]"), std::string::npos) << yaml;
  auto back = io::load_inputs({kConv1d + "arch.yaml", kConv1d + "problem.yaml",
                               kConv1d + "ERT.yaml", write_temp("nr.map.yaml", yaml)},
                              true);
  auto e = evaluate(back.workload, back.arch, EnergyTable::resolve(back.arch, back.energy),
                    *back.mapping);
  ASSERT_TRUE(std::holds_alternative<Evaluation>(e));
  EXPECT_DOUBLE_EQ(std::get<Evaluation>(e).energy_pj, best_nr.eval->energy_pj);
}

namespace {

// Two spatial loops on one axis (K and P over a row of 4 PEs): the order decides which PEs
// are neighbours, hence which link transfers are possible. tests/golden/conv1d_k_link_order/
// README.md derives every number.
const std::string kLink = std::string(LOOPSIM_SOURCE_DIR) + "/tests/golden/conv1d_k_link_order/";

Evaluation evaluate_link_case(const std::string& map, Engine engine) {
  auto in = io::load_inputs({kLink + "arch.yaml", kLink + "problem.yaml", kLink + "ERT.yaml",
                             kLink + map},
                            true);
  auto e = evaluate(in.workload, in.arch, EnergyTable::resolve(in.arch, in.energy), *in.mapping,
                    engine);
  EXPECT_TRUE(std::holds_alternative<Evaluation>(e)) << map;
  return std::holds_alternative<Evaluation>(e) ? std::get<Evaluation>(e) : Evaluation{};
}

}  // namespace

TEST(MapperSpatialOrder, LinkTransfersDependOnTheOrderWithinAnAxis) {
  for (Engine engine : {Engine::Auto, Engine::Walk}) {
    // P innermost (PE x = 2k + p): the p0 PEs take I[1] from their p1 neighbours in step 1.
    Evaluation pk = evaluate_link_case("map.yaml", engine);
    // K innermost (PE x = 2p + k): only one PE has such a neighbour, and using it would not
    // save a multicast read, so no link transfer.
    Evaluation kp = evaluate_link_case("map_kp.yaml", engine);
    for (const Evaluation* e : {&pk, &kp}) {
      ASSERT_EQ(e->levels.size(), 4u);
      EXPECT_EQ(e->cycles, 2u);
      EXPECT_EQ(e->levels[2].data_spaces[0].reads, 4u);  // glb Weights: multicast only
    }
    const std::size_t rf = 0, glb = 2, inputs = 1;
    EXPECT_EQ(pk.levels[glb].data_spaces[inputs].reads, 3u);
    EXPECT_EQ(kp.levels[glb].data_spaces[inputs].reads, 4u);
    EXPECT_EQ(pk.levels[rf].data_spaces[inputs].fills, 2u);
    EXPECT_EQ(kp.levels[rf].data_spaces[inputs].fills, 2u);
    EXPECT_NEAR(pk.energy_pj, 852.2, 1e-9);
    EXPECT_NEAR(kp.energy_pj, 856.2, 1e-9);
  }
}

namespace {

io::MapperInputs load_link(const std::string& constraints_yaml, const std::string& name,
                           const std::string& arch = kLink + "arch.yaml") {
  std::vector<std::string> files = {arch, kLink + "problem.yaml", kLink + "ERT.yaml"};
  if (!constraints_yaml.empty()) files.push_back(write_temp(name, constraints_yaml));
  return io::load_mapper_inputs(files);
}

// The conv1d_k_link_order architecture with another PE mesh.
std::string link_arch_with_mesh(const std::string& mesh) {
  std::ifstream arch_in(kLink + "arch.yaml");
  std::stringstream ss;
  ss << arch_in.rdbuf();
  std::string arch = ss.str();
  const std::string row = "spatial: {meshX: 4}";
  return arch.replace(arch.find(row), row.size(), "spatial: " + mesh);
}

// Everything of the golden mappings fixed but the order of the two spatial loops.
std::string link_constraints(const std::string& spatial_extra) {
  return R"(constraints:
  targets:
  - {target: DRAM, type: temporal, factors: R=1 K=1 P=1}
  - {target: glb, type: temporal, factors: R=2 K=1 P=1}
  - {target: rf, type: temporal, factors: R=1 K=1 P=1}
  - {target: PE, type: spatial, factors: R=1 K=2 P=2)" + spatial_extra + R"(}
  - {target: glb, type: dataspace, keep: [Weights, Inputs, Outputs]}
  - {target: rf, type: dataspace, keep: [Weights, Inputs, Outputs]}
)";
}

}  // namespace

// The space is the two orders; in dimension order (K, P) the worse one comes first, so a
// search that did not order the spatial loops would return 856.2 pJ.
TEST(MapperSpatialOrder, EveryAlgorithmSearchesTheOrderWithinAnAxis) {
  auto in = load_link(link_constraints(""), "order.yaml");
  in.settings.metrics = {Metric::Energy};
  auto table = EnergyTable::resolve(in.model.arch, in.model.energy);
  for (Algorithm a : {Algorithm::Optimal, Algorithm::Exhaustive, Algorithm::LinearPruned,
                      Algorithm::Random, Algorithm::RandomPruned, Algorithm::Hybrid,
                      Algorithm::Anneal}) {
    MapperSettings s = in.settings;
    s.algorithm = a;
    s.threads = 1;
    s.search_size = 50;
    s.max_permutations_per_if_visit = 4;
    auto r = search_mappings(in.model.workload, in.model.arch, table, in.constraints, s, nullptr,
                             {});
    ASSERT_TRUE(r.best) << to_string(a);
    EXPECT_NEAR(r.eval->energy_pj, 852.2, 1e-9) << to_string(a);
    const auto& sp = r.best->levels[1].spatial;
    ASSERT_EQ(sp.size(), 2u) << to_string(a);
    EXPECT_EQ(sp[0].dim, in.model.workload.dim_index("P")) << to_string(a);
    if (a == Algorithm::Optimal || a == Algorithm::Exhaustive || a == Algorithm::LinearPruned) {
      EXPECT_TRUE(r.stats.proven_optimal) << to_string(a);
      EXPECT_EQ(r.stats.evaluated, 2u) << to_string(a);
    }
  }
}

TEST(MapperSpatialOrder, PermutationConstraintFixesTheListedDims) {
  auto in = load_link(link_constraints(""), "order_all.yaml");
  auto table = EnergyTable::resolve(in.model.arch, in.model.energy);
  // Listed dims are innermost on their axis in the listed order; the rest are permuted.
  for (const auto& [perm, energy] : std::vector<std::pair<std::string, double>>{
           {"[K, P]", 856.2}, {"[P, K]", 852.2}, {"[K]", 856.2}, {"[P]", 852.2}}) {
    auto c = load_link(link_constraints(", permutation: " + perm), "order_perm.yaml");
    MapperSettings s = c.settings;
    s.algorithm = Algorithm::Optimal;
    s.threads = 2;
    s.metrics = {Metric::Energy};
    auto r = search_mappings(c.model.workload, c.model.arch, table, c.constraints, s, nullptr, {});
    ASSERT_TRUE(r.best) << perm;
    EXPECT_TRUE(r.stats.proven_optimal) << perm;
    EXPECT_EQ(r.stats.evaluated, 1u) << perm;
    EXPECT_NEAR(r.eval->energy_pj, energy, 1e-9) << perm;
  }
  // The space size counts the two orders (and one with a constraint listing one of them).
  EXPECT_EQ(MapSpace(in.model.workload, in.model.arch, in.constraints).size(), 2.0);
}

// map.yaml writes the chosen order as the spatial permutation (X loops innermost first,
// then Y) with the split, and `loopsim model` evaluates it to the same numbers.
TEST(MapperSpatialOrder, MapYamlCarriesTheOrder) {
  auto in = load_link(link_constraints(""), "order_rt.yaml");
  auto r = run(in, Algorithm::Optimal, 2, 0, 1);
  ASSERT_TRUE(r.best);
  std::string yaml = yaml_of(in, r);
  EXPECT_NE(yaml.find("factors: \"R=1 K=2 P=2\"\n  permutation: [P, K, R]\n  split: 2"),
            std::string::npos)
      << yaml;
  auto back = io::load_inputs({kLink + "arch.yaml", kLink + "problem.yaml", kLink + "ERT.yaml",
                               write_temp("order.map.yaml", yaml)},
                              true);
  for (Engine engine : {Engine::Auto, Engine::Walk}) {
    auto e = evaluate(back.workload, back.arch, EnergyTable::resolve(back.arch, back.energy),
                      *back.mapping, engine);
    ASSERT_TRUE(std::holds_alternative<Evaluation>(e));
    EXPECT_EQ(std::get<Evaluation>(e).cycles, r.eval->cycles);
    EXPECT_DOUBLE_EQ(std::get<Evaluation>(e).energy_pj, r.eval->energy_pj);
    EXPECT_DOUBLE_EQ(std::get<Evaluation>(e).energy_pj, 852.2);
  }
}

// The search evaluates one spatial order of a level when the evaluation of it says no other
// can differ (Evaluator::link_order_sensitive). Checked against every order, with both
// engines, on all valid mappings of two small unconstrained spaces: a row of 8 PEs and a
// 4 x 4 array (up to three loops on one axis); the optimal search, which relies on it,
// matches the brute-force optimum, for 1 and 2 threads.
TEST(MapperSpatialOrder, SkippedOrdersEvaluateTheSame) {
  for (const auto& [name, mesh] : std::vector<std::pair<std::string, std::string>>{
           {"row8.yaml", "{meshX: 8}"}, {"grid.yaml", "{meshX: 4, meshY: 4}"}}) {
    auto in = load_link("", name, write_temp(name, link_arch_with_mesh(mesh)));
    const auto& w = in.model.workload;
    const auto& a = in.model.arch;
    auto table = EnergyTable::resolve(a, in.model.energy);
    MapSpace ms(w, a, in.constraints);
    Evaluator ev(w, a, table), walk(w, a, table, Engine::Walk);
    ev.track_link_order(true);
    const int pe = a.find_level("inter_PE_spatial");
    int skipped = 0, differing = 0;
    double best = -1;
    for_each_valid(in, [&](const Mapping& m, const Evaluation& e) {
      best = best < 0 ? e.energy_pj : std::min(best, e.energy_pj);
      // From every mapping in the canonical order (X then Y, each in dimension order).
      const auto& sp = m.levels[static_cast<std::size_t>(pe)].spatial;
      for (std::size_t i = 1; i < sp.size(); ++i)
        if (sp[i].spacetime == sp[i - 1].spacetime && sp[i].dim < sp[i - 1].dim) return;
      ASSERT_EQ(ev.run(m), nullptr);
      const bool sensitive = ev.link_order_sensitive()[static_cast<std::size_t>(pe)] != 0;
      const Evaluation first = ev.result();
      Mapping o = m;
      auto& loops = o.levels[static_cast<std::size_t>(pe)].spatial;
      auto by_axis = [](const Loop& x, const Loop& y) {
        return std::pair(x.spacetime, x.dim) < std::pair(y.spacetime, y.dim);
      };
      while (std::next_permutation(loops.begin(), loops.end(), by_axis)) {
        bool kept_axes = true;  // the permutation keeps X before Y
        for (std::size_t i = 1; i < loops.size(); ++i)
          kept_axes = kept_axes && loops[i].spacetime >= loops[i - 1].spacetime;
        if (!kept_axes) continue;
        for (Evaluator* x : {&ev, &walk}) {
          ASSERT_EQ(x->run(o), nullptr);
          const Evaluation& e2 = x->result();
          bool same = e2.cycles == first.cycles && std::abs(e2.energy_pj - first.energy_pj) <
                                                       1e-9 * first.energy_pj;
          for (std::size_t l = 0; l < e2.levels.size(); ++l)
            for (std::size_t ds = 0; ds < e2.levels[l].data_spaces.size(); ++ds) {
              const auto& u = e2.levels[l].data_spaces[ds];
              const auto& v = first.levels[l].data_spaces[ds];
              same = same && u.reads == v.reads && u.fills == v.fills && u.updates == v.updates;
            }
          if (!sensitive) EXPECT_TRUE(same) << name;
          if (!sensitive && x == &ev) ++skipped;
          if (!same && x == &ev) ++differing;
        }
      }
    });
    EXPECT_GT(skipped, 0) << name;
    EXPECT_GT(differing, 0) << name;
    MapperSettings s = in.settings;
    s.algorithm = Algorithm::Optimal;
    s.metrics = {Metric::Energy};
    std::string first_yaml;
    for (int threads : {1, 2}) {
      s.threads = threads;
      auto r = search_mappings(w, a, table, in.constraints, s, nullptr, {});
      ASSERT_TRUE(r.best) << name;
      EXPECT_TRUE(r.stats.proven_optimal) << name;
      EXPECT_NEAR(r.eval->energy_pj, best, 1e-9 * best) << name;
      if (threads == 1) first_yaml = yaml_of(in, r);
      else EXPECT_EQ(yaml_of(in, r), first_yaml) << name;
    }
  }
}

// Timeloop's spatial permutation is the listed dims, then the others in any order; split
// cuts it into X and Y. With [R] and split 2 on R, K, P: R is at index 0 (X), and one of
// K, P takes index 1 (X), the other index 2 (Y), either way round.
TEST(MapperConstraints, SplitWithAPartialPermutationLeavesTheOthersEitherAxis) {
  auto in = load_link(R"(constraints:
  targets:
  - {target: PE, type: spatial, permutation: [R], split: 2}
)", "split_partial.yaml", write_temp("grid.yaml", link_arch_with_mesh("{meshX: 4, meshY: 4}")));
  const auto& w = in.model.workload;
  MapSpace ms(w, in.model.arch, in.constraints);
  const int pe = in.model.arch.find_level("inter_PE_spatial");
  const int x = slot_of(ms, pe, Spacetime::SpaceX), y = slot_of(ms, pe, Spacetime::SpaceY);
  const int r = w.dim_index("R"), k = w.dim_index("K"), p = w.dim_index("P");
  std::set<std::string> seen;  // axes of the non-trivial loops: "R", "K", "P" on "X"/"Y"
  std::vector<int> f(3);
  for (f[0] = 0; f[0] < static_cast<int>(ms.factorizations(0).size()); ++f[0])
    for (f[1] = 0; f[1] < static_cast<int>(ms.factorizations(1).size()); ++f[1])
      for (f[2] = 0; f[2] < static_cast<int>(ms.factorizations(2).size()); ++f[2]) {
        if (!ms.spatial_ok(f)) continue;
        EXPECT_EQ(ms.factor(f, r, y), 1);
        int kx = ms.factor(f, k, x) > 1, ky = ms.factor(f, k, y) > 1;
        int px = ms.factor(f, p, x) > 1, py = ms.factor(f, p, y) > 1;
        EXPECT_LE(kx + px, 1);  // one place for them on X
        EXPECT_LE(ky + py, 1);  // one on Y
        std::string axes = std::string(kx ? "Kx" : ky ? "Ky" : "") + (px ? "Px" : py ? "Py" : "");
        seen.insert(axes);
      }
  EXPECT_TRUE(seen.count("KxPy"));
  EXPECT_TRUE(seen.count("KyPx"));  // not reachable when the others followed in dim order
  // The free one on X goes after R, the listed one, whatever the order search does.
  MapPoint pt;
  pt.factorization.assign(3, 0);
  for (int d = 0; d < 3; ++d)
    for (int i = 0; i < static_cast<int>(ms.factorizations(d).size()); ++i) {
      const auto& fd = ms.factorizations(d)[static_cast<std::size_t>(i)];
      bool want = d == r ? fd[static_cast<std::size_t>(x)] == 2 : d == p ? fd[static_cast<std::size_t>(x)] == 2 : fd[static_cast<std::size_t>(y)] == 2;
      if (want) pt.factorization[static_cast<std::size_t>(d)] = i;
    }
  ASSERT_TRUE(ms.spatial_ok(pt.factorization));
  pt.keep.assign(static_cast<std::size_t>(ms.num_levels()), 0);
  for (int l = 0; l < ms.num_levels(); ++l) pt.perm.push_back(ms.free_dims(pt.factorization, l));
  Mapping m;
  ms.build(pt, m);
  const auto& sp = m.levels[static_cast<std::size_t>(pe)].spatial;
  ASSERT_EQ(sp.size(), 3u);
  EXPECT_EQ(sp[0].dim, r);
  EXPECT_EQ(sp[1].dim, p);
  EXPECT_EQ(sp[1].spacetime, Spacetime::SpaceX);
  EXPECT_EQ(sp[2].dim, k);
  EXPECT_EQ(sp[2].spacetime, Spacetime::SpaceY);
}

// A dataflow preset's array lists give each dim its axis and leave the order within the
// axis to the search (on a level with both axes; they used to become a spatial permutation
// with split, which also fixed the order).
TEST(MapperSpatialOrder, DataflowArrayListsLeaveTheOrderFree) {
  auto in = load_link(link_constraints(""), "df_order.yaml",
                      write_temp("grid.yaml", link_arch_with_mesh("{meshX: 4, meshY: 4}")));
  io::apply_dataflow_file(write_temp("df.yaml", R"(dataflow:
  description: K and P across a row
  array: {X: [K, P], Y: [R]}
)"),
                          in.model.workload, in.model.arch, in.constraints);
  const auto& w = in.model.workload;
  MapSpace ms(w, in.model.arch, in.constraints);
  const int pe = in.model.arch.find_level("inter_PE_spatial");
  const int y = slot_of(ms, pe, Spacetime::SpaceY);
  for (const char* d : {"K", "P"})
    for (const auto& f : ms.factorizations(w.dim_index(d))) EXPECT_EQ(f[static_cast<std::size_t>(y)], 1) << d;
  auto r = run(in, Algorithm::Optimal, 2, 0, 1);
  ASSERT_TRUE(r.best);
  EXPECT_TRUE(r.stats.proven_optimal);
  EXPECT_EQ(r.stats.evaluated, 2u);
  const auto& sp = r.best->levels[static_cast<std::size_t>(pe)].spatial;
  ASSERT_EQ(sp.size(), 2u);
  EXPECT_EQ(sp[0].dim, w.dim_index("P"));  // P innermost: the link transfers of the README
  EXPECT_EQ(sp[1].dim, w.dim_index("K"));
  EXPECT_NEAR(r.eval->energy_pj, 852.2, 1e-9);
}
