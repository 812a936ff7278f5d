// Imperfect factors (Timeloop's residual syntax) and exact integer counts:
//  * residual.hpp: utilized spatial instances averaged over the outer iterations, cycles
//    as full steps, the nest Timeloop cannot evaluate;
//  * the walk runs exactly the residual iterations (operations = the product of bounds on
//    one instance);
//  * property: on random strided/dilated convolutions whose only spatial reuse is one
//    multicast axis (M on Y, Inputs partitioned over N and C on X; mappings with neighbour
//    link transfers are set aside), the reads of Inputs at the level above equal the X
//    groups times the Input fills of one instance below, with perfect and imperfect
//    temporal factors; the closed form (perfect ones) agrees.
#include <gtest/gtest.h>

#include <random>
#include <sstream>

#include "loopsim/analysis/closed_form.hpp"
#include "loopsim/analysis/residual.hpp"
#include "loopsim/analysis/tiling.hpp"

using namespace loopsim;

namespace {

enum { C, M, R, S, N, P, Q };

Loop make_loop(int dim, std::int64_t end, std::int64_t residual, Spacetime st = Spacetime::Time) {
  Loop l;
  l.dim = dim;
  l.end = end;
  l.residual_end = residual;
  l.spacetime = st;
  return l;
}

}  // namespace

// Q=27 as DRAM Q2 x PE columns Q14,13 with 12 rows: (14 + 13) / 2 x 12 = 162 instances in
// use (Timeloop 0fc43fb on the ex06-eyeriss-P27Q27 case reports 162 of 168).
TEST(Residual, UtilizedInstancesAverageTheSpatialResidualOverOuterIterations) {
  LoopNest nest;
  nest.loops = {make_loop(C, 4, 4), make_loop(Q, 14, 13, Spacetime::SpaceX),
                make_loop(M, 12, 12, Spacetime::SpaceY), make_loop(N, 1, 1), make_loop(Q, 2, 2)};
  nest.boundaries = {0, 4};
  auto u = utilized_spatial_elems(nest);
  EXPECT_EQ(u[0].floor(), 162u);            // below both spatial loops: 13.5 x 12
  EXPECT_EQ(u[0].num * 2, u[0].den * 324);  // exactly 162, not rounded
  EXPECT_EQ(u[1].floor(), 12u);             // below the M loop only
  EXPECT_EQ(u[4].floor(), 1u);
  // Cycles count the residual step as a full one: 4 x 1 x 2 temporal steps.
  EXPECT_EQ(max_temporal_iterations(nest), 8u);
  EXPECT_TRUE(has_residual(nest));
  Workload w = Workload::default_cnn_shape();
  EXPECT_FALSE(residual_problem(nest, w).has_value());
  // Without the outer Q loop Timeloop exits: nothing to average over.
  nest.loops.pop_back();
  nest.boundaries = {0, 3};
  auto why = residual_problem(nest, w);
  ASSERT_TRUE(why.has_value());
  EXPECT_NE(why->find("Q=14,13"), std::string::npos) << *why;
}

// C=30 as DRAM C2 x 16 PEs C16,14: (16 + 14) / 2 = 15 PEs in use (Timeloop: 15 of 16).
TEST(Residual, SixteenAndFourteenAverageToFifteen) {
  LoopNest nest;
  nest.loops = {make_loop(P, 16, 16), make_loop(C, 16, 14, Spacetime::SpaceX), make_loop(C, 2, 2)};
  nest.boundaries = {0, 2};
  EXPECT_EQ(utilized_spatial_elems(nest)[0].floor(), 15u);
}

// One instance, temporal residuals at two levels: the walk performs exactly the bounded
// iterations (P=30 as 4 x (8,6): 3 x 8 + 6; K=30 as 2 x (16,14)).
TEST(Residual, WalkRunsExactlyTheResidualIterations) {
  Workload w = Workload::default_cnn_shape();
  w.bounds = {1, 30, 3, 1, 1, 30, 1};
  LoopNest nest;
  nest.loops = {make_loop(P, 8, 6), make_loop(R, 3, 3), make_loop(M, 16, 14), make_loop(P, 4, 4),
                make_loop(M, 2, 2)};
  nest.boundaries = {1, 3, 4};
  NestAnalysisResult r = analyze_nest(w, nest, {1, 1, 1}, {1, 1, 1});
  ASSERT_GT(r.compute_samples, 0u);
  EXPECT_EQ(r.compute_accesses / r.compute_samples, 30u * 3u * 30u);
  EXPECT_EQ(r.compute_replication, 1u);
  // Weights (M x R): level 1 keeps its M16 (last time M14) x R3 tile across its P loop,
  // so the outermost level reads each weight once (48 + 42); level 0 holds one M's three
  // weights, so level 1 reads all 90 once per P step of level 1 (4).
  CollapsedNest levels;
  gather_levels(r, 3, levels);
  Mapping m;
  m.levels.resize(3);
  for (auto& l : m.levels) l.keep = {true, true, true};
  finish_levels(w, m, levels);
  EXPECT_EQ(levels.data[0][2].reads, 90u);
  EXPECT_EQ(levels.data[0][1].reads, 90u * 4u);
  EXPECT_EQ(levels.data[0][0].fills, 90u * 4u);
}

namespace {

struct PropertyCase {
  Workload w;
  Mapping mapping;
  std::int64_t x = 1, y = 1;
  bool imperfect = false;
  // A residual below a spatial loop of its dimension: Timeloop simulates the first instance
  // of a spatial loop only, which never reaches the residual step; it counts its operations
  // for every instance (so more than the bounds' product).
  bool residual_under_spatial = false;
  std::string text;
};

// A strided/dilated convolution on a PE array: DRAM (level 1) fans out N and C over X and
// M over Y to PE buffers (level 0) that keep everything. Every dimension's bound is split
// into a PE factor and a DRAM factor, some imperfectly (PE f,r under DRAM g: (g-1) f + r).
PropertyCase random_case(std::mt19937& rng) {
  auto between = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  PropertyCase pc;
  Workload& w = pc.w;
  w = Workload::default_cnn_shape();
  w.coeff_values = {between(1, 3), between(1, 3), between(1, 3), between(1, 3)};
  LevelMapping pe, dram;
  pe.keep = dram.keep = {true, true, true};
  w.bounds.assign(7, 1);
  std::ostringstream text;
  for (int d = 0; d < 7; ++d) {
    std::int64_t spatial = 1;
    if (d == N || d == C || d == M) spatial = between(1, 3);
    std::int64_t f = between(1, d == R || d == S ? 3 : 5);
    std::int64_t g = between(1, 4);
    std::int64_t r = f;
    if (g > 1 && f > 1 && between(0, 2) == 0) {
      r = between(1, static_cast<int>(f) - 1);
      pc.imperfect = true;
      if (spatial > 1) pc.residual_under_spatial = true;
    }
    // Order (innermost first): PE temporal f,r; DRAM spatial; DRAM temporal g.
    w.bounds[d] = ((g - 1) * spatial + (spatial - 1)) * f + r;
    if (f > 1) pe.temporal.push_back(make_loop(d, f, r));
    if (spatial > 1) {
      Spacetime st = d == M ? Spacetime::SpaceY : Spacetime::SpaceX;
      dram.spatial.push_back(make_loop(d, spatial, spatial, st));
      (d == M ? pc.y : pc.x) *= spatial;
    }
    if (g > 1) dram.temporal.push_back(make_loop(d, g, g));
    text << w.dims[d] << "=" << w.bounds[d] << " (" << f << "," << r << " x" << spatial << " x" << g
         << ") ";
  }
  std::shuffle(pe.temporal.begin(), pe.temporal.end(), rng);
  std::shuffle(dram.temporal.begin(), dram.temporal.end(), rng);
  std::shuffle(dram.spatial.begin(), dram.spatial.end(), rng);
  text << "coefficients:";
  for (auto c : w.coeff_values) text << " " << c;
  text << " PE order:";
  for (const auto& l : pe.temporal) text << " " << w.dims[l.dim];
  text << " DRAM order:";
  for (const auto& l : dram.temporal) text << " " << w.dims[l.dim];
  pc.text = text.str();
  pc.mapping.levels = {pe, dram};
  return pc;
}

}  // namespace

TEST(Residual, ReadsAboveEqualGroupsTimesFillsBelowOnStridedDilatedProblems) {
  std::mt19937 rng(20261204);
  int imperfect = 0, perfect = 0, linked = 0;
  for (int trial = 0; trial < 400; ++trial) {
    PropertyCase pc = random_case(rng);
    const Workload& w = pc.w;
    LoopNest nest = build_loop_nest(pc.mapping, w);
    std::vector<std::int64_t> fx{1, pc.x}, fy{1, pc.y};
    const std::string where = "trial " + std::to_string(trial) + ": " + pc.text;
    NestAnalysisResult r = analyze_nest(w, nest, fx, fy);
    CollapsedNest levels;
    gather_levels(r, 2, levels);
    finish_levels(w, pc.mapping, levels);
    const int inputs = 1;
    const DataMovement& below = levels.data[inputs][0];
    const DataMovement& above = levels.data[inputs][1];
    ASSERT_GT(below.fills, 0u) << where;
    // Neighbour (link) transfers are spatial reuse of another kind: when the loop order
    // makes an instance need what a neighbour held one step before, Timeloop credits it.
    if (above.link_transfers != 0) {
      ++linked;
      continue;
    }
    ASSERT_EQ(above.reads, static_cast<std::uint64_t>(pc.x) * below.fills) << where;
    // Operations: every point of the iteration space once, over all instances.
    std::uint64_t macs = 1;
    for (auto b : w.bounds) macs *= static_cast<std::uint64_t>(b);
    const std::uint64_t computes = r.compute_accesses * r.compute_replication / r.compute_samples;
    if (pc.residual_under_spatial)
      ASSERT_GT(computes, macs) << where;
    else
      ASSERT_EQ(computes, macs) << where;
    if (has_residual(nest)) {
      ++imperfect;
      continue;
    }
    ++perfect;
    ClosedFormAnalyzer cf(w);
    CollapsedNest closed;
    ASSERT_TRUE(cf.run_levels(nest, fx, fy, closed)) << where;
    finish_levels(w, pc.mapping, closed);
    ASSERT_EQ(closed.data[inputs][1].reads, above.reads) << where;
    ASSERT_EQ(closed.data[inputs][0].fills, below.fills) << where;
  }
  EXPECT_GT(imperfect, 50);
  EXPECT_GT(perfect, 50);
  EXPECT_LT(linked, 100);
}
