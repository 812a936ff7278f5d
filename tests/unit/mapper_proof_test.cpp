// Issue 12, "proof in seconds": the optimal search's pruning (a first incumbent, the
// per-tiling lower bound; src/mapper/bound.hpp, search_bound.cpp) never changes the answer.
// On random small convolutions (sliding windows with stride, 2 or 3 storage levels, a row
// of PEs, free keep/bypass choices) the pruned search returns the same metric and the same
// mapping as the exhaustive enumeration, and the per-tiling bound never exceeds the best
// metric of any of the tiling's loop orders (every temporal and spatial order evaluated).
#include <gtest/gtest.h>

#include <algorithm>
#include <iostream>
#include <random>
#include <sstream>

#include "../../src/mapper/bound.hpp"
#include "test_util.hpp"
#include "loopsim/io/emit.hpp"
#include "loopsim/io/load.hpp"
#include "loopsim/mapper/search.hpp"

using namespace loopsim;

namespace {

using loopsim::testing::write_temp;

struct Space {
  std::vector<std::string> files;
  std::string what;
};

// A random small convolution on DRAM -> [glb ->] PEs (meshX) -> rf.
Space random_space(std::mt19937& rng, int i) {
  auto pick = [&](std::vector<int> v) { return v[rng() % v.size()]; };
  int c = pick({1, 2}), m = pick({1, 2}), r = pick({1, 2, 3}), p = pick({2, 3, 4}),
      q = pick({1, 2}), stride = pick({1, 2});
  int mx = pick({1, 2, 4}), rf = pick({2, 4, 8}), glb = pick({0, 16, 64});
  std::ostringstream arch;
  arch << loopsim::testing::arch_with_dram();
  if (glb > 0)
    arch << "  - !Component\n    name: glb\n    class: SRAM\n    attributes: {depth: " << glb
         << ", width: 8, datawidth: 8}\n";
  arch << "  - !Container\n    name: PE\n    spatial: {meshX: " << mx << "}\n"
       << "  - !Component\n    name: rf\n    class: regfile\n    attributes: {depth: " << rf
       << ", width: 8, datawidth: 8}\n"
       << "  - !Component\n    name: mac\n    class: intmac\n    attributes: {width: 8}\n";
  std::ostringstream prob;
  prob << "problem:\n  version: 0.4\n  instance: {C: " << c << ", M: " << m << ", R: " << r
       << ", S: 1, N: 1, P: " << p << ", Q: " << q << ", Wstride: " << stride
       << ", Hstride: " << stride << "}\n";
  std::ostringstream what;
  what << "space " << i << ": C" << c << " M" << m << " R" << r << " P" << p << " Q" << q
       << " stride " << stride << " meshX " << mx << " rf " << rf << " glb " << glb;
  const std::string tag = std::to_string(i);
  return {{write_temp("proof_arch" + tag + ".yaml", arch.str()),
           write_temp("proof_prob" + tag + ".yaml", prob.str())},
          what.str()};
}

struct ProofRun {
  SearchResult r;
  std::string yaml;
};

ProofRun search(const io::MapperInputs& in, Algorithm a, const std::vector<Metric>& metrics) {
  MapperSettings s;
  s.algorithm = a;
  s.metrics = metrics;
  s.threads = 2;
  auto table = EnergyTable::resolve(in.model.arch, in.model.energy);
  ProofRun out{search_mappings(in.model.workload, in.model.arch, table, in.constraints, s, nullptr, {}),
          {}};
  if (out.r.best) {
    io::EmitContext ctx{in.model.workload, in.model.arch, table, *out.r.best, *out.r.eval};
    std::ostringstream os;
    io::write_map_yaml(os, ctx);
    out.yaml = os.str();
  }
  return out;
}

// Every loop order of the point's tiling: each level's free temporal loops and each
// spatial axis's free loops in every order (an odometer over all the lists).
template <class F>
void for_each_order(const MapSpace& sp, MapPoint p, F&& f) {
  const auto n = static_cast<std::size_t>(sp.num_levels());
  p.perm.assign(n, {});
  p.sperm.assign(n, {});
  std::vector<std::vector<int>*> lists;
  for (int l = 0; l < sp.num_levels(); ++l) {
    p.perm[static_cast<std::size_t>(l)] = sp.free_dims(p.factorization, l);
    for (int axis = 0; axis < 2; ++axis)
      sp.spatial_free_dims(p.factorization, l, axis,
                           p.sperm[static_cast<std::size_t>(l)][static_cast<std::size_t>(axis)]);
  }
  for (auto& pm : p.perm) lists.push_back(&pm);
  for (auto& s : p.sperm)
    for (auto& pm : s) lists.push_back(&pm);
  for (;;) {
    f(p);
    std::size_t i = 0;
    while (i < lists.size() && !std::next_permutation(lists[i]->begin(), lists[i]->end())) ++i;
    if (i == lists.size()) return;
  }
}

}  // namespace

TEST(MapperProof, PrunedOptimalEqualsExhaustive) {
  std::mt19937 rng(1212);
  int compared = 0, big = 0;
  for (int i = 0; i < 20; ++i) {
    Space sp = random_space(rng, i);
    auto in = io::load_mapper_inputs(sp.files);
    // EDP, energy, and delay then energy (exercise 06's metrics: the bound cuts by the
    // second metric where the first cannot be better).
    std::vector<Metric> metrics = i % 3 == 0   ? std::vector<Metric>{Metric::Edp}
                                  : i % 3 == 1 ? std::vector<Metric>{Metric::Energy}
                                               : std::vector<Metric>{Metric::Delay, Metric::Energy};
    {
      ProofRun full = search(in, Algorithm::Exhaustive, metrics);
      big += full.r.stats.space_size > 1e6 ? 1 : 0;
      ProofRun pruned = search(in, Algorithm::Optimal, metrics);
      ASSERT_EQ(full.r.best.has_value(), pruned.r.best.has_value()) << sp.what;
      if (!full.r.best) continue;
      ASSERT_TRUE(full.r.stats.proven_optimal) << sp.what;
      ASSERT_TRUE(pruned.r.stats.proven_optimal) << sp.what;
      EXPECT_EQ(metric_values(*pruned.r.eval, metrics), metric_values(*full.r.eval, metrics))
          << sp.what << " " << to_string(metrics.front());
      EXPECT_EQ(pruned.yaml, full.yaml) << sp.what << " " << to_string(metrics.front());
      ++compared;
    }
  }
  EXPECT_GE(compared, 18);
  EXPECT_GE(big, 5);  // the incumbent search runs on spaces estimated above 1e6
}

TEST(MapperProof, TilingBoundNeverExceedsTheBestOrderOfItsTiling) {
  std::mt19937 rng(1212);
  std::uint64_t tilings = 0;
  double ratio = 0;
  for (int i = 0; i < 20; ++i) {
    Space sp = random_space(rng, i);
    auto in = io::load_mapper_inputs(sp.files);
    const Workload& w = in.model.workload;
    const ArchSpec& arch = in.model.arch;
    auto table = EnergyTable::resolve(arch, in.model.energy);
    MapSpace space(w, arch, in.constraints);
    Evaluator ev(w, arch, table);
    Mapping scratch;
    for (Metric metric : {i % 2 ? Metric::Edp : Metric::Energy}) {
      detail::TilingBound bound(w, space, metric);
      MapPoint p;
      p.factorization.assign(static_cast<std::size_t>(space.num_dims()), 0);
      p.keep.assign(static_cast<std::size_t>(space.num_levels()), 0);
      // Odometer over factorizations and keep masks.
      for (;;) {
        if (space.spatial_ok(p.factorization) && space.keeps_ok(p.keep) && space.fits(p)) {
          auto r = bound(p, ev, scratch);
          double best = -1;
          for_each_order(space, p, [&](const MapPoint& q) {
            space.build(q, scratch);
            if (ev.run(scratch) != nullptr) return;
            double m = metric_values(ev.result(), {metric}).front();
            if (best < 0 || m < best) best = m;
          });
          if (best >= 0 && r.bound >= 0) {
            ++tilings;
            EXPECT_LE(r.bound, best * (1 + 1e-9)) << sp.what << " " << to_string(metric);
            ratio += r.bound / best;
          }
        }
        int d = 0;
        for (; d < space.num_dims(); ++d) {
          auto& f = p.factorization[static_cast<std::size_t>(d)];
          if (++f < static_cast<int>(space.factorizations(d).size())) break;
          f = 0;
        }
        if (d < space.num_dims()) continue;
        int l = 0;
        for (; l < space.num_levels(); ++l) {
          auto& k = p.keep[static_cast<std::size_t>(l)];
          if (++k < static_cast<int>(space.keep_options(l).size())) break;
          k = 0;
        }
        if (l == space.num_levels()) break;
      }
    }
  }
  EXPECT_GE(tilings, 200u);
  // The bound says something: on average it is within a factor of the tiling's best.
  std::cout << "tilings " << tilings << " mean bound/best " << ratio / static_cast<double>(tilings) << "\n";
  EXPECT_GE(ratio / static_cast<double>(tilings), 0.5);
}
