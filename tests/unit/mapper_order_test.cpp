// Mapper, continued: no_reuse refetches, and the order of the spatial loops within an axis
// (link transfers between grid neighbours), searched by every algorithm and written to map.yaml.
// Cases: tests/golden/conv1d_dram_rf, tests/golden/conv1d_k_link_order.

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
#include "mapper_test_util.hpp"

using namespace loopsim;
namespace fs = std::filesystem;
using loopsim::testing::run;
using loopsim::testing::slot_of;
using loopsim::testing::write_temp;
using loopsim::testing::yaml_of;

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
