// The closed-form nest analysis against the simulated one (Timeloop's walk), field by field,
// on random loop nests: random workloads (convolutions with strides and dilations, GEMMs),
// 1-4 storage levels, random factorizations, loop orders and spatial X/Y splits. The
// simulation is itself checked against Timeloop's outputs by the conformance test.
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <sstream>

#include "loopsim/analysis/closed_form.hpp"

using namespace loopsim;

namespace {

Workload random_workload(std::mt19937& rng) {
  std::uniform_int_distribution<int> pick(0, 2);
  auto between = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  if (pick(rng) < 2) {
    Workload w = Workload::default_cnn_shape();
    const std::int64_t choices[] = {1, 2, 3, 4, 6, 8, 12};
    auto any = [&](int hi) { return choices[between(0, hi)]; };
    w.bounds = {any(4), any(4), any(2), any(2), any(1), any(6), any(5)};
    w.coeff_values = {between(1, 2), between(1, 2), between(1, 2), between(1, 2)};
    return w;
  }
  // GEMM: Z[m][n] += A[m][k] * B[k][n]
  Workload w;
  w.shape_name = "GEMM";
  w.dims = {"M", "N", "K"};
  const std::int64_t choices[] = {1, 2, 4, 6, 8, 12, 16};
  for (int d = 0; d < 3; ++d) w.bounds.push_back(choices[between(0, 6)]);
  w.data_spaces.push_back({"A", {{{0, -1}}, {{2, -1}}}, false});
  w.data_spaces.push_back({"B", {{{2, -1}}, {{1, -1}}}, false});
  w.data_spaces.push_back({"Z", {{{0, -1}}, {{1, -1}}}, true});
  return w;
}

struct RandomNest {
  LoopNest nest;
  std::vector<std::int64_t> fx, fy;
  std::string text;
};

RandomNest random_nest(const Workload& w, std::mt19937& rng) {
  auto between = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  int levels = between(1, 4);
  // Slots: per level, temporal and spatial (X/Y). Each dimension's bound is split into
  // random factors over random slots.
  struct Slot {
    std::vector<Loop> temporal, spatial;
  };
  std::vector<Slot> slots(static_cast<std::size_t>(levels));
  for (int d = 0; d < w.num_dims(); ++d) {
    std::int64_t rest = w.bounds[d];
    while (rest > 1) {
      std::vector<std::int64_t> divisors;
      for (std::int64_t f = 2; f <= rest; ++f)
        if (rest % f == 0) divisors.push_back(f);
      std::int64_t f = divisors[static_cast<std::size_t>(between(0, static_cast<int>(divisors.size()) - 1))];
      rest /= f;
      int level = between(0, levels - 1);
      Loop l;
      l.dim = d;
      l.end = l.residual_end = f;
      int kind = between(0, 3);
      if (kind == 0) {
        l.spacetime = Spacetime::SpaceX;
        slots[level].spatial.push_back(l);
      } else if (kind == 1) {
        l.spacetime = Spacetime::SpaceY;
        slots[level].spatial.push_back(l);
      } else {
        slots[level].temporal.push_back(l);
      }
    }
  }
  RandomNest r;
  std::ostringstream text;
  for (int s = 0; s < levels; ++s) {
    auto& slot = slots[s];
    std::shuffle(slot.temporal.begin(), slot.temporal.end(), rng);
    std::shuffle(slot.spatial.begin(), slot.spatial.end(), rng);
    std::int64_t x = 1, y = 1;
    for (const auto& l : slot.spatial) {
      (l.spacetime == Spacetime::SpaceX ? x : y) *= l.end;
      r.nest.loops.push_back(l);
    }
    std::size_t before = r.nest.loops.size();
    for (const auto& l : slot.temporal) r.nest.loops.push_back(l);
    if (r.nest.loops.size() == before) {
      Loop t;
      t.dim = w.num_dims() - 1;
      r.nest.loops.push_back(t);
    }
    r.nest.boundaries.push_back(static_cast<int>(r.nest.loops.size()) - 1);
    r.fx.push_back(x + between(0, 1));
    r.fy.push_back(y + between(0, 1));
    text << "level " << s << " (fan-out " << r.fx.back() << "x" << r.fy.back() << "):";
    for (const auto& l : slot.spatial)
      text << " " << w.dims[l.dim] << l.end << (l.spacetime == Spacetime::SpaceX ? "X" : "Y");
    text << " |";
    for (const auto& l : slot.temporal) text << " " << w.dims[l.dim] << l.end;
    text << "\n";
  }
  text << "bounds:";
  for (int d = 0; d < w.num_dims(); ++d) text << " " << w.dims[d] << "=" << w.bounds[d];
  text << " coefficients:";
  for (auto c : w.coeff_values) text << " " << c;
  r.text = text.str();
  return r;
}

using StatKeys = std::map<std::pair<std::uint64_t, std::uint64_t>, std::uint64_t>;

// Access statistics: the (multicast, scatter) keys with nonzero counts.
StatKeys keys(const AccessStatMatrix& m) {
  StatKeys k;
  for (const auto& v : m.stats)
    if (v.accesses) k[{v.multicast, v.scatter}] = v.accesses;
  return k;
}

void expect_same(const NestAnalysisResult& sim, const NestAnalysisResult& cf,
                 const std::string& where) {
  // Operations per instance: the walk sums over the instances it samples.
  ASSERT_EQ(sim.compute_accesses % sim.compute_samples, 0u) << where;
  ASSERT_EQ(sim.compute_accesses / sim.compute_samples, cf.compute_accesses) << where;
  ASSERT_EQ(cf.compute_samples, 1u) << where;
  ASSERT_EQ(sim.compute_replication, cf.compute_replication) << where;
  ASSERT_EQ(sim.tiles.size(), cf.tiles.size()) << where;
  for (std::size_t pv = 0; pv < sim.tiles.size(); ++pv) {
    ASSERT_EQ(sim.tiles[pv].size(), cf.tiles[pv].size()) << where;
    for (std::size_t i = 0; i < sim.tiles[pv].size(); ++i) {
      const LoopTile& a = sim.tiles[pv][i];
      const LoopTile& b = cf.tiles[pv][i];
      std::string at = where + " data space " + std::to_string(pv) + " tile " + std::to_string(i);
      EXPECT_EQ(a.size, b.size) << at;
      EXPECT_EQ(a.samples, 1u) << at;  // one simulated instance per loop when factors divide
      EXPECT_EQ(b.samples, 1u) << at;
      EXPECT_EQ(a.link_transfers, b.link_transfers) << at;
      EXPECT_EQ(a.replication_factor, b.replication_factor) << at;
      EXPECT_EQ(a.fanout, b.fanout) << at;
      EXPECT_EQ(a.on_storage_boundary, b.on_storage_boundary) << at;
      EXPECT_EQ(a.master_spatial, b.master_spatial) << at;
      EXPECT_EQ(a.first_loop, b.first_loop) << at;
      EXPECT_EQ(a.loop, b.loop) << at;
      // The same (multicast, scatter) keys with the same counts (keys with zero accesses
      // are not significant).
      EXPECT_EQ(keys(a.access_stats), keys(b.access_stats)) << at;
    }
  }
}

// The per-level records of the closed form (run_levels) against gather_levels() of the
// simulation.
void expect_same_levels(const CollapsedNest& sim, const CollapsedNest& cf, const std::string& where) {
  // Operations per instance: the walk sums over the instances it samples.
  ASSERT_EQ(sim.compute_accesses % sim.compute_samples, 0u) << where;
  ASSERT_EQ(sim.compute_accesses / sim.compute_samples, cf.compute_accesses) << where;
  ASSERT_EQ(cf.compute_samples, 1u) << where;
  ASSERT_EQ(sim.compute_replication, cf.compute_replication) << where;
  ASSERT_EQ(sim.data.size(), cf.data.size()) << where;
  for (std::size_t pv = 0; pv < sim.data.size(); ++pv) {
    ASSERT_EQ(sim.data[pv].size(), cf.data[pv].size()) << where;
    for (std::size_t l = 0; l < sim.data[pv].size(); ++l) {
      const DataMovement& a = sim.data[pv][l];
      const DataMovement& b = cf.data[pv][l];
      std::string at = where + " data space " + std::to_string(pv) + " level " + std::to_string(l);
      EXPECT_EQ(a.size, b.size) << at;
      EXPECT_EQ(keys(a.access_stats), keys(b.access_stats)) << at;
      EXPECT_EQ(a.samples, b.samples) << at;
      EXPECT_EQ(a.content_accesses, b.content_accesses) << at;
      EXPECT_EQ(a.link_transfers, b.link_transfers) << at;
      EXPECT_EQ(a.replication_factor, b.replication_factor) << at;
      EXPECT_EQ(a.fanout, b.fanout) << at;
      EXPECT_EQ(a.partition_fraction_denominator, b.partition_fraction_denominator) << at;
      EXPECT_EQ(a.first_loop, b.first_loop) << at;
      EXPECT_EQ(a.last_loop, b.last_loop) << at;
    }
  }
}

// Both engines on `trials` random nests from `seed`; with `modifiers`, random no-reuse
// modifiers (no temporal reuse, no multicast/reduction) on random levels and data spaces.
void compare_on_random_nests(unsigned seed, int trials, bool modifiers) {
  std::mt19937 rng(seed);
  int compared = 0;
  for (int trial = 0; trial < trials; ++trial) {
    Workload w = random_workload(rng);
    RandomNest r = random_nest(w, rng);
    if (modifiers) {
      auto bits = [&]() {
        std::uint32_t m = 0;
        for (int pv = 0; pv < w.num_data_spaces(); ++pv)
          if (rng() % 3 == 0) m |= 1u << pv;
        return m;
      };
      r.text += "modifiers (no temporal reuse / no multicast bits per level):";
      for (std::size_t s = 0; s < r.nest.boundaries.size(); ++s) {
        r.nest.no_temporal_reuse.push_back(bits());
        r.nest.no_multicast.push_back(bits());
        r.text += " " + std::to_string(r.nest.no_temporal_reuse.back()) + "/" +
                  std::to_string(r.nest.no_multicast.back());
      }
    }
    NestAnalysisResult sim = analyze_nest(w, r.nest, r.fx, r.fy);
    auto cf = analyze_nest_closed_form(w, r.nest, r.fx, r.fy);
    ASSERT_TRUE(cf.has_value());
    const std::string where = "trial " + std::to_string(trial) + "\n" + r.text;
    expect_same(sim, *cf, where);
    if (::testing::Test::HasFailure()) return;
    // The per-level path: one analyzer reused across trials of one workload is what the
    // evaluator does; here each trial has its own workload.
    const int levels = static_cast<int>(r.nest.boundaries.size());
    CollapsedNest sim_levels, cf_levels;
    gather_levels(sim, levels, sim_levels);
    ClosedFormAnalyzer analyzer(w);
    ASSERT_TRUE(analyzer.run_levels(r.nest, r.fx, r.fy, cf_levels));
    expect_same_levels(sim_levels, cf_levels, where);
    // Twice on one analyzer: its reused buffers give the same records.
    ASSERT_TRUE(analyzer.run_levels(r.nest, r.fx, r.fy, cf_levels));
    expect_same_levels(sim_levels, cf_levels, where + " (second run)");
    if (::testing::Test::HasFailure()) return;
    ++compared;
  }
  EXPECT_EQ(compared, trials);
}

}  // namespace

TEST(ClosedForm, MatchesSimulationOnRandomNests) { compare_on_random_nests(20261121, 3000, false); }

TEST(ClosedForm, MatchesSimulationWithNoReuseModifiers) {
  compare_on_random_nests(20260707, 1500, true);
}

TEST(ClosedForm, DeclinesImperfectFactors) {
  Workload w = Workload::default_cnn_shape();
  w.bounds = {1, 1, 1, 1, 1, 7, 1};
  LoopNest nest;
  Loop p;
  p.dim = 5;
  p.end = 4;
  p.residual_end = 3;  // 4 + 3 = 7
  Loop outer = p;
  outer.end = outer.residual_end = 2;
  nest.loops = {p, outer};
  nest.boundaries = {0, 1};
  EXPECT_FALSE(analyze_nest_closed_form(w, nest, {1, 1}, {1, 1}).has_value());
}

// Imperfect nests go to the walk (the closed form declines them). On a dimension whose only
// residual is at its outermost loop, every iteration of that loop is a last global one, so
// Timeloop runs its residual count each time: the walk of `X=e,r` outermost must give the
// records of the closed form of the perfect nest with `X=r` there (with both engines, for
// the per-loop and per-level results).
TEST(ClosedForm, ImperfectNestsGoToTheWalkAndAnOutermostResidualIsItsCount) {
  std::mt19937 rng(20261204);
  int compared = 0;
  for (int trial = 0; trial < 1500; ++trial) {
    Workload w = random_workload(rng);
    RandomNest r = random_nest(w, rng);
    LoopNest imperfect = r.nest;
    bool any = false;
    for (int d = 0; d < w.num_dims(); ++d) {
      for (int l = static_cast<int>(imperfect.loops.size()) - 1; l >= 0; --l) {
        Loop& loop = imperfect.loops[l];
        if (loop.dim != d) continue;
        if (!loop.spatial() && loop.end > 1 && rng() % 2 == 0) {
          loop.end += 1 + static_cast<std::int64_t>(rng() % 3);  // residual_end unchanged
          any = true;
        }
        break;  // only the outermost loop of d
      }
    }
    if (!any) continue;
    const std::string where = "trial " + std::to_string(trial) + "\n" + r.text;
    EXPECT_FALSE(analyze_nest_closed_form(w, imperfect, r.fx, r.fy).has_value()) << where;
    ClosedFormAnalyzer analyzer(w);
    CollapsedNest declined;
    EXPECT_FALSE(analyzer.run_levels(imperfect, r.fx, r.fy, declined)) << where;
    NestAnalysisResult walked = analyze_nest(w, imperfect, r.fx, r.fy);
    auto cf = analyze_nest_closed_form(w, r.nest, r.fx, r.fy);
    ASSERT_TRUE(cf.has_value()) << where;
    expect_same(walked, *cf, where);
    const int levels = static_cast<int>(r.nest.boundaries.size());
    CollapsedNest walked_levels, cf_levels;
    gather_levels(walked, levels, walked_levels);
    ASSERT_TRUE(analyzer.run_levels(r.nest, r.fx, r.fy, cf_levels)) << where;
    expect_same_levels(walked_levels, cf_levels, where);
    if (::testing::Test::HasFailure()) return;
    ++compared;
  }
  EXPECT_GT(compared, 300);
}

// Where the closed form says no order of a level's spatial loops can give a link transfer
// (CollapsedNest::link_order_sensitive = 0; the mapper then evaluates one order), the walk
// of the nest with that level's spatial loops shuffled gives the same records. Where it
// says one may, some shuffles do differ (so the check is not vacuous).
TEST(ClosedForm, LinkOrderInsensitiveLevelsGiveTheSameRecordsInAnyOrder) {
  std::mt19937 rng(777);
  int insensitive = 0, differing = 0;
  for (int trial = 0; trial < 1000; ++trial) {
    Workload w = random_workload(rng);
    RandomNest r = random_nest(w, rng);
    if (trial % 2 == 1)
      for (std::size_t s = 0; s < r.nest.boundaries.size(); ++s) {
        r.nest.no_temporal_reuse.push_back(static_cast<std::uint32_t>(rng() % 8));
        r.nest.no_multicast.push_back(static_cast<std::uint32_t>(rng() % 8));
      }
    const int levels = static_cast<int>(r.nest.boundaries.size());
    CollapsedNest base;
    ClosedFormAnalyzer analyzer(w);
    ASSERT_TRUE(analyzer.run_levels(r.nest, r.fx, r.fy, base));
    ASSERT_EQ(base.link_order_sensitive.size(), static_cast<std::size_t>(levels));
    for (int s = 0; s < levels; ++s) {
      const int lo = s == 0 ? 0 : r.nest.boundaries[static_cast<std::size_t>(s) - 1] + 1;
      int hi = lo;
      while (hi <= r.nest.boundaries[static_cast<std::size_t>(s)] && r.nest.loops[static_cast<std::size_t>(hi)].spatial()) ++hi;
      if (hi - lo < 2) continue;
      const bool sensitive = base.link_order_sensitive[static_cast<std::size_t>(s)] != 0;
      insensitive += sensitive ? 0 : 1;
      for (int shuffle = 0; shuffle < 3; ++shuffle) {
        RandomNest o = r;
        std::shuffle(o.nest.loops.begin() + lo, o.nest.loops.begin() + hi, rng);
        CollapsedNest walked;
        gather_levels(analyze_nest(w, o.nest, o.fx, o.fy), levels, walked);
        const std::string where = "trial " + std::to_string(trial) + " level " + std::to_string(s) + "\n" + r.text;
        if (!sensitive) {
          expect_same_levels(walked, base, where);
          if (::testing::Test::HasFailure()) return;
          continue;
        }
        bool same = true;
        for (std::size_t pv = 0; pv < base.data.size(); ++pv)
          for (std::size_t l = 0; l < base.data[pv].size(); ++l)
            same = same && walked.data[pv][l].link_transfers == base.data[pv][l].link_transfers &&
                   keys(walked.data[pv][l].access_stats) == keys(base.data[pv][l].access_stats);
        differing += same ? 0 : 1;
      }
    }
  }
  EXPECT_GT(insensitive, 100);
  EXPECT_GT(differing, 0);
}
