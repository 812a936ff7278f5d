// Issue 12, a mapper whose answer can be trusted: a search bounded by work gives the same
// mapping for a seed on any thread count; the lower bound on the metric never exceeds the
// optimum found by enumerating small random spaces; a space where nothing is valid is not
// "proven"; Timeloop's axis assignment for a partial spatial permutation without split.
// Cases: tests/golden/matmul_2x2_pe and random variants of it (bounds, sizes, mesh).
#include <gtest/gtest.h>

#include <random>
#include <set>
#include <sstream>

#include "test_util.hpp"
#include "loopsim/io/emit.hpp"
#include "loopsim/io/load.hpp"
#include "loopsim/mapper/search.hpp"

using namespace loopsim;

namespace {

const std::string kGolden = std::string(LOOPSIM_SOURCE_DIR) + "/tests/golden/matmul_2x2_pe/";
using loopsim::testing::write_temp;

struct SearchRun {
  io::MapperInputs in;
  SearchResult r;
  std::string yaml;
};

SearchRun search(io::MapperInputs in, const MapperSettings& s) {
  SearchRun out{std::move(in), {}, {}};
  auto table = EnergyTable::resolve(out.in.model.arch, out.in.model.energy);
  out.r = search_mappings(out.in.model.workload, out.in.model.arch, table, out.in.constraints, s,
                          nullptr, {});
  if (out.r.best) {
    io::EmitContext ctx{out.in.model.workload, out.in.model.arch, table, *out.r.best,
                        *out.r.eval};
    std::ostringstream os;
    io::write_map_yaml(os, ctx);
    out.yaml = os.str();
  }
  return out;
}

io::MapperInputs golden(const std::string& extra = "") {
  std::vector<std::string> files = {kGolden + "arch.yaml", kGolden + "problem.yaml",
                                    kGolden + "ERT.yaml"};
  if (!extra.empty()) files.push_back(write_temp("extra.yaml", extra));
  return io::load_mapper_inputs(files);
}

// A random small GEMM space (tests/golden/matmul_2x2_pe's hierarchy with random bounds,
// buffer sizes and mesh): its input files, and a description for messages.
struct RandomSpace {
  std::vector<std::string> files;
  std::string what;
};

RandomSpace random_space(std::mt19937& rng, int space) {
  auto pick = [&](std::vector<int> v) { return v[rng() % v.size()]; };
  int m = pick({1, 2, 3, 4}), n = pick({2, 3, 4}), k = pick({1, 2, 4});
  int glb = pick({8, 16, 64}), acc = pick({1, 2, 4}), mx = pick({1, 2, 4}), my = pick({1, 2});
  std::string arch = loopsim::testing::arch_with_dram() + R"(  - !Component
    name: glb
    class: SRAM
    attributes: {depth: )" + std::to_string(glb) + R"(, width: 8, datawidth: 8}
  - !Container
    name: PE
    spatial: {meshX: )" + std::to_string(mx) + ", meshY: " + std::to_string(my) + R"(}
  - !Component
    name: acc
    class: regfile
    attributes: {depth: )" + std::to_string(acc) + R"(, width: 8, datawidth: 8}
  - !Component
    name: mac
    class: intmac
    attributes: {width: 8}
)";
  std::string prob = R"(problem:
  version: 0.4
  shape:
    name: matmul
    dimensions: [M, N, K]
    data_spaces:
    - {name: A, projection: [[[M]], [[K]]]}
    - {name: B, projection: [[[K]], [[N]]]}
    - {name: Z, projection: [[[M]], [[N]]], read_write: true}
  instance: {M: )" + std::to_string(m) + ", N: " + std::to_string(n) + ", K: " +
                     std::to_string(k) + "}\n";
  std::string cons = R"(constraints:
  targets:
  - {target: acc, type: bypass, keep: [Z], bypass: [A, B]}
)";
  std::vector<std::string> files = {write_temp("arch" + std::to_string(space) + ".yaml", arch),
                                    write_temp("prob" + std::to_string(space) + ".yaml", prob),
                                    write_temp("cons" + std::to_string(space) + ".yaml", cons)};
  std::ostringstream what;
  what << "space " << space << ": M" << m << " N" << n << " K" << k << " glb " << glb
       << " acc " << acc << " mesh " << mx << "x" << my;
  return {files, what.str()};
}

}  // namespace

// --max-evaluations (and search_size) bound the search by work: 1, 2 and 3 threads give the
// same best mapping and the same counts for every algorithm, and the run is not proven.
TEST(MapperStopping, WorkBoundGivesTheSameAnswerOnAnyThreadCount) {
  for (Algorithm a : {Algorithm::Random, Algorithm::RandomPruned, Algorithm::Hybrid,
                      Algorithm::Anneal, Algorithm::Optimal, Algorithm::LinearPruned}) {
    // The enumerating searches spend a small budget on the first tilings in enumeration
    // order, most of which do not fit: they get a larger one.
    const bool enumerating = a == Algorithm::Optimal || a == Algorithm::LinearPruned;
    const std::uint64_t budget = enumerating ? 20000 : 900;
    for (bool by_size : {false, true}) {
      std::vector<SearchRun> runs;
      for (int threads : {1, 2, 3}) {
        MapperSettings s;
        s.algorithm = a;
        s.threads = threads;
        s.seed = 11;
        (by_size ? s.search_size : s.max_evaluations) = static_cast<std::int64_t>(budget);
        runs.push_back(search(golden(), s));
      }
      for (const auto& run : runs) {
        ASSERT_TRUE(run.r.best) << to_string(a);
        EXPECT_FALSE(run.r.stats.proven_optimal) << to_string(a);
        EXPECT_EQ(run.yaml, runs[0].yaml) << to_string(a) << " search_size " << by_size;
        EXPECT_EQ(run.r.stats.evaluated, runs[0].r.stats.evaluated) << to_string(a);
        EXPECT_EQ(run.r.stats.valid, runs[0].r.stats.valid) << to_string(a);
      }
      // The budget is the total over all chains, as Timeloop divides search_size.
      const auto& st = runs[0].r.stats;
      if (by_size) EXPECT_LE(st.valid, budget + 100) << to_string(a);
      else EXPECT_LE(st.evaluated + st.constraint_rejected + st.capacity_prechecked, budget + 8 * 16 + 8)  // anneal: its start pool
          << to_string(a);
      EXPECT_GE(st.evaluated, 100u) << to_string(a);
    }
  }
}

// The lower bound (compulsory traffic, every PE busy) never exceeds the optimum, for EDP,
// energy and delay, on 20 random small spaces enumerated exhaustively (linear_pruned, which
// cuts only loop orders that evaluate the same, not by any bound). A proven run reports the
// optimum itself as the bound and a gap of 0.
TEST(MapperStopping, LowerBoundNeverExceedsTheOptimum) {
  std::mt19937 rng(2026);
  for (int space = 0; space < 20; ++space) {
    const RandomSpace rs = random_space(rng, space);
    const auto& files = rs.files;
    for (Metric metric : {Metric::Edp, Metric::Energy, Metric::Delay}) {
      MapperSettings s;
      s.metrics = {metric};
      s.threads = 2;
      s.algorithm = Algorithm::LinearPruned;
      SearchRun full = search(io::load_mapper_inputs(files), s);
      ASSERT_TRUE(full.r.best) << "space " << space;
      ASSERT_TRUE(full.r.stats.proven_optimal);
      double optimum = metric_values(*full.r.eval, s.metrics).front();
      EXPECT_DOUBLE_EQ(full.r.stats.lower_bound, optimum);
      EXPECT_EQ(full.r.stats.gap, 0);
      s.algorithm = Algorithm::Random;
      s.max_evaluations = 50;
      SearchRun cut = search(io::load_mapper_inputs(files), s);
      ASSERT_FALSE(cut.r.stats.proven_optimal);
      const double lb = cut.r.stats.lower_bound;
      EXPECT_GT(lb, 0) << "space " << space;
      EXPECT_LE(lb, optimum * (1 + 1e-9))
          << rs.what << " metric " << to_string(metric);
      if (cut.r.best) {
        double best = metric_values(*cut.r.eval, s.metrics).front();
        EXPECT_NEAR(cut.r.stats.gap, (best - lb) / best, 1e-12);
      }
    }
  }
}

// An optimal search stopped before it completes (here by a hard deadline, at a point that
// varies from run to run) bounds what it left unexplored: the least of the best found and
// the partial bounds of the subtrees it abandoned and of the units it never started. That
// bound never exceeds the optimum of exhaustive enumeration and, when it is used, is
// tighter than the compulsory one (on most of these runs).
TEST(MapperStopping, StoppedOptimalSearchBoundsWhatItLeftUnexplored) {
  std::mt19937 rng(2027);
  int stopped = 0, tighter = 0;
  for (int space = 0; space < 20; ++space) {
    const RandomSpace rs = random_space(rng, space);
    MapperSettings s;
    s.threads = 2;
    s.algorithm = Algorithm::LinearPruned;
    SearchRun full = search(io::load_mapper_inputs(rs.files), s);
    ASSERT_TRUE(full.r.best) << rs.what;
    const double optimum = metric_values(*full.r.eval, s.metrics).front();
    s.algorithm = Algorithm::Random;
    s.max_evaluations = 50;
    const double compulsory = search(io::load_mapper_inputs(rs.files), s).r.stats.lower_bound;
    s.max_evaluations = 0;
    s.algorithm = Algorithm::Optimal;
    for (double deadline : {2e-5, 1e-4, 4e-4, 2e-3}) {
      s.deadline_s = deadline;
      SearchRun cut = search(io::load_mapper_inputs(rs.files), s);
      const auto& st = cut.r.stats;
      if (st.proven_optimal) {
        EXPECT_DOUBLE_EQ(st.lower_bound, optimum) << rs.what;
        continue;
      }
      ++stopped;
      EXPECT_LE(st.lower_bound, optimum * (1 + 1e-9)) << rs.what << " deadline " << deadline;
      if (st.lower_bound_from == "unexplored") {
        EXPECT_GT(st.lower_bound, compulsory) << rs.what;
        ++tighter;
      } else {
        // A deadline met while the mapspace is still being built leaves a partial space,
        // whose compulsory bound may be lower than the whole space's (still a bound).
        EXPECT_EQ(st.lower_bound_from, "compulsory") << rs.what;
      }
    }
  }
  EXPECT_GT(stopped, 0);
  EXPECT_GT(tighter, 0) << stopped << " runs stopped";
  std::printf("%d of 80 runs stopped, %d with a bound tighter than the compulsory one\n",
              stopped, tighter);
}

// Every tiling cut (a 2x2 array that must be fully used, with no spatial loop allowed): the
// whole space is enumerated, nothing is valid, and that is not reported as a proven optimum.
TEST(MapperStopping, NothingValidIsNotProven) {
  MapperSettings s;
  s.algorithm = Algorithm::Optimal;
  s.threads = 2;
  auto in = golden(R"(constraints:
  targets:
  - {target: inter_PE_spatial, type: spatial, factors: M=1 N=1 K=1, min_utilization: 1.0}
)");
  SearchRun run = search(std::move(in), s);
  EXPECT_FALSE(run.r.best);
  EXPECT_FALSE(run.r.stats.proven_optimal);
  EXPECT_FALSE(run.r.stats.interrupted);
  EXPECT_GT(run.r.stats.constraint_rejected, 0u);
}

// A stopping rule given in the files, even 0 (Timeloop: no limit, search to the end), turns
// off loopsim's default budget; a mapper section without one leaves it on.
TEST(MapperStopping, StoppingRuleGivenInTheFiles) {
  EXPECT_TRUE(golden("mapper: {victory_condition: 0, timeout: 0}\n").settings.stopping_rule_given);
  EXPECT_TRUE(golden("mapper: {search_size: 100}\n").settings.stopping_rule_given);
  EXPECT_EQ(golden("mapper: {max_evaluations: 7}\n").settings.max_evaluations, 7);
  EXPECT_FALSE(golden("mapper: {algorithm: random}\n").settings.stopping_rule_given);
  EXPECT_FALSE(golden().settings.stopping_rule_given);
}

// Timeloop's space with a partial spatial permutation and no split: the permutation is the
// listed dims, then the others in any order, and the searched split gives X a prefix of it.
// On the 2x2 array with permutation [M, N] (K unlisted): M on Y with N on X, and K on X with
// M or N on Y, are outside Timeloop's space; the other assignments are in it.
TEST(MapperStopping, PartialSpatialPermutationWithoutSplitFollowsTimeloop) {
  auto in = golden(R"(constraints:
  targets:
  - {target: inter_PE_spatial, type: spatial, permutation: [M, N]}
)");
  const auto& w = in.model.workload;
  MapSpace ms(w, in.model.arch, in.constraints);
  const int pe = in.model.arch.find_level("inter_PE_spatial");
  int x = -1, y = -1;
  for (std::size_t s = 0; s < ms.slots().size(); ++s)
    if (ms.slots()[s].level == pe)
      (ms.slots()[s].st == Spacetime::SpaceX ? x : y) = static_cast<int>(s);
  ASSERT_GE(x, 0);
  ASSERT_GE(y, 0);
  std::set<std::string> seen;
  std::vector<int> f(3);
  for (f[0] = 0; f[0] < static_cast<int>(ms.factorizations(0).size()); ++f[0])
    for (f[1] = 0; f[1] < static_cast<int>(ms.factorizations(1).size()); ++f[1])
      for (f[2] = 0; f[2] < static_cast<int>(ms.factorizations(2).size()); ++f[2]) {
        if (!ms.spatial_ok(f)) continue;
        std::string axes;
        for (const char* dim : {"M", "N", "K"}) {
          int d = w.dim_index(dim);
          if (ms.factor(f, d, x) > 1) axes += std::string(dim) + "x";
          if (ms.factor(f, d, y) > 1) axes += std::string(dim) + "y";
        }
        seen.insert(axes);
      }
  EXPECT_TRUE(seen.count("MxNy"));
  EXPECT_TRUE(seen.count("MxKy"));
  EXPECT_TRUE(seen.count("NxKy"));  // M trivial here: N is the first listed non-trivial dim
  EXPECT_TRUE(seen.count("My"));     // a listed dim alone on Y
  EXPECT_FALSE(seen.count("MyNx"));  // X after Y along the listed dims
  EXPECT_FALSE(seen.count("MyKx"));  // a free dim on X while a listed one is on Y
  EXPECT_FALSE(seen.count("NyKx"));
  EXPECT_TRUE(seen.count("Kx"));     // no listed dim spatial: K may take X
}
