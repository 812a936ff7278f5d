// explore/: the Pareto front (exact dominance, ties kept) and the expansion of sweep files
// (ranges, grid order with zip groups, derived parameters, Latin hypercube strata).
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "loopsim/core/error.hpp"
#include "loopsim/explore/pareto.hpp"
#include "loopsim/explore/space.hpp"

namespace fs = std::filesystem;
using namespace loopsim;
using namespace loopsim::explore;

namespace {

std::string write_sweep(const std::string& name, const std::string& body) {
  fs::path dir = fs::temp_directory_path() / ("loopsim_explore_test-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "in.yaml") << "problem: {}\n";
  fs::path p = dir / name;
  std::ofstream(p) << "sweep:\n  inputs: [in.yaml]\n  run: model\n" << body;
  return p.string();
}

std::string no_dataflow(const std::string& s) { return s; }

}  // namespace

TEST(Pareto, KeepsOnlyPointsNoOtherDominates) {
  // (1,5) (2,2) (5,1) are the front; (3,3) is dominated by (2,2); (2,6) by (1,5).
  std::vector<std::vector<double>> c = {{3, 3}, {1, 5}, {2, 2}, {5, 1}, {2, 6}};
  EXPECT_EQ(pareto_front(c), (std::vector<int>{1, 2, 3}));
}

TEST(Pareto, TiesAreKeptAndDominanceIsExact) {
  // Two equal points are both kept; a point worse by one ulp in one objective is dominated.
  double e = 1.0, worse = std::nextafter(1.0, 2.0);
  std::vector<std::vector<double>> c = {{e, 2}, {e, 2}, {worse, 2}, {0.5, 3}};
  EXPECT_EQ(pareto_front(c), (std::vector<int>{0, 1, 3}));
}

TEST(Pareto, EqualInOneObjectiveBetterInAnotherDominates) {
  std::vector<std::vector<double>> c = {{1, 2, 3}, {1, 2, 4}};
  EXPECT_EQ(pareto_front(c), (std::vector<int>{0}));
}

TEST(SweepSpace, GeometricRangeAndGridOrderWithZip) {
  auto spec = load_sweep(write_sweep("grid.yaml", R"(
  parameters:
    depth: {set: variables.D, range: {from: 1024, to: 8192, factor: 2}}
    x: {set: variables.X, values: [14, 16]}
    y: {set: variables.Y, values: [12, 16]}
    pes: {expr: x * y}
  zip: [[x, y]]
)"),
                         no_dataflow);
  auto pts = expand(spec);
  ASSERT_EQ(pts.size(), 8u);  // 4 depths x 2 zipped shapes
  EXPECT_EQ(pts[0].values, (std::vector<std::string>{"1024", "14", "12", "168"}));
  EXPECT_EQ(pts[1].values, (std::vector<std::string>{"1024", "16", "16", "256"}));
  EXPECT_EQ(pts[7].values, (std::vector<std::string>{"8192", "16", "16", "256"}));
  EXPECT_EQ(pts[7].id, 7);
}

TEST(SweepSpace, LinearRangeIncludesItsEndAndFiltersRenumber) {
  auto spec = load_sweep(write_sweep("lin.yaml", R"(
  parameters:
    a: {set: variables.A, range: {from: 0.5, to: 2, step: 0.5}}
  filters: [a != 1]
)"),
                         no_dataflow);
  auto pts = expand(spec);
  ASSERT_EQ(pts.size(), 3u);
  EXPECT_EQ(pts[0].values[0], "0.5");
  EXPECT_EQ(pts[1].values[0], "1.5");
  EXPECT_EQ(pts[2].values[0], "2");
  EXPECT_EQ(pts[2].id, 2);
}

TEST(SweepSpace, LatinHypercubeTakesOneValueFromEachStratum) {
  auto spec = load_sweep(write_sweep("lhs.yaml", R"(
  parameters:
    a: {set: variables.A, range: {from: 0, to: 9, step: 1}}
    b: {set: variables.B, range: {from: 0, to: 9, step: 1}}
  combine: latin-hypercube
  samples: 10
  seed: 3
)"),
                         no_dataflow);
  auto pts = expand(spec);
  ASSERT_EQ(pts.size(), 10u);
  // 10 samples of 10 values: every value of each parameter exactly once.
  for (int k = 0; k < 2; ++k) {
    std::vector<int> seen(10, 0);
    for (const auto& p : pts) ++seen[std::stoi(p.values[k])];
    EXPECT_EQ(seen, std::vector<int>(10, 1));
  }
  // The same seed gives the same samples.
  auto again = expand(spec);
  for (std::size_t i = 0; i < pts.size(); ++i) EXPECT_EQ(pts[i].values, again[i].values);
}

TEST(SweepSpace, ErrorsAreAtTheirLine) {
  try {
    (void)load_sweep(write_sweep("bad.yaml", R"(
  parameters:
    a: {set: variables.A, range: {from: 1, to: 4, factor: 1}}
)"),
                     no_dataflow);
    FAIL() << "expected an error";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.line(), 6);
    EXPECT_EQ(e.key_path(), "sweep.parameters.a.range.factor");
    EXPECT_NE(e.message().find("factor must be > 0 and not 1"), std::string::npos);
  }
}
