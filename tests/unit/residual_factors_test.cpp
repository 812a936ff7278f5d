// The ruby template's imperfect factorizations (src/mapper/residual_factors.cpp) against an
// independent brute force over every factor and last step, and the mapspace built with it.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "loopsim/io/load.hpp"
#include "loopsim/mapper/residual_factors.hpp"
#include "loopsim/mapper/search.hpp"

namespace loopsim {
namespace {

using Row = std::vector<std::int64_t>;

// Every (factors, last steps) over the slots, each factor 1..bound and each last step
// 1..factor, kept when it covers [0, bound) exactly (Timeloop's rule: the largest index is
// sum_i (r_i - 1) * prod_{j<i} e_j), the outermost non-trivial loop is perfect, perfect-only
// slots have r = e, an imperfect slot's factor is at most its cap, and both factor and last
// step lie within the slot's range. Rows as residual_factorizations writes them.
std::set<Row> brute_force(std::int64_t bound, const std::vector<ResidualSlot>& slots) {
  const std::size_t k = slots.size();
  std::set<Row> out;
  std::vector<std::int64_t> e(k, 1), r(k, 1);
  // Odometer over (e_i, r_i) pairs, r_i <= e_i.
  for (;;) {
    std::int64_t last = 0, stride = 1;
    for (std::size_t i = 0; i < k; ++i) {
      last += (r[i] - 1) * stride;
      stride *= e[i];
    }
    bool ok = last + 1 == bound;
    std::ptrdiff_t top = -1;
    for (std::size_t i = 0; i < k; ++i)
      if (e[i] > 1) top = static_cast<std::ptrdiff_t>(i);
    if (top >= 0 && r[static_cast<std::size_t>(top)] != e[static_cast<std::size_t>(top)]) ok = false;
    for (std::size_t i = 0; i < k && ok; ++i) {
      const auto& s = slots[i];
      if (!s.imperfect && r[i] != e[i]) ok = false;
      if (s.imperfect && e[i] > s.max_factor) ok = false;
      for (std::int64_t v : {e[i], r[i]})
        if (v < s.range.min || v > s.range.max) ok = false;
    }
    if (ok) {
      Row row = e;
      if (r != e) row.insert(row.end(), r.begin(), r.end());
      out.insert(row);
    }
    std::size_t i = 0;
    for (; i < k; ++i) {
      if (r[i] < e[i]) { ++r[i]; break; }
      r[i] = 1;
      if (e[i] < bound) { ++e[i]; break; }
      e[i] = 1;
    }
    if (i == k) break;
  }
  return out;
}

std::vector<Row> enumerate(std::int64_t bound, const std::vector<ResidualSlot>& slots) {
  std::vector<Row> out;
  EXPECT_TRUE(residual_factorizations(bound, slots, out));
  return out;
}

TEST(MapperRuby, ImperfectFactorizationsEqualABruteForce) {
  // Slot kinds: perfect, imperfect without a cap, imperfect at most 4, a range 2..5.
  ResidualSlot perfect, free, capped, ranged;
  free.imperfect = capped.imperfect = true;
  capped.max_factor = 4;
  ranged.imperfect = true;
  ranged.range = {2, 5};
  const std::vector<std::vector<ResidualSlot>> layouts = {
      {free, free, free},       {perfect, capped, perfect}, {capped, perfect, free},
      {perfect, perfect, perfect}, {ranged, free, perfect}, {capped, capped, capped}};
  std::size_t imperfect_rows = 0;
  for (const auto& slots : layouts)
    for (std::int64_t bound = 1; bound <= 12; ++bound) {
      auto got = enumerate(bound, slots);
      std::set<Row> as_set(got.begin(), got.end());
      EXPECT_EQ(as_set.size(), got.size()) << "a row twice, bound " << bound;
      EXPECT_EQ(as_set, brute_force(bound, slots)) << "bound " << bound;
      EXPECT_TRUE(std::is_sorted(got.begin(), got.end(), [](const Row& a, const Row& b) {
        return std::lexicographical_compare(a.begin(), a.begin() + 3, b.begin(), b.begin() + 3);
      })) << "factors in increasing order, bound " << bound;
      for (const auto& row : got) imperfect_rows += row.size() > 3 ? 1 : 0;
    }
  EXPECT_GT(imperfect_rows, 100u);
}

TEST(MapperRuby, SevenOverThreeSlotsByHand) {
  // P = 7 over (a PE row of at most 4, imperfect) then two perfect temporal slots; the
  // largest index 6 is written in digits. Perfect: 7 on one temporal slot (7 > 4 on the
  // row). The row with e = 2: 6 = 0 + 2*3, last step 1 and 4 steps above (4, or 2 x 2);
  // e = 3: 6 = 0 + 3*2, last step 1 and 3 steps above; e = 4: 6 = 2 + 4*1, last step 3
  // and 2 steps above.
  ResidualSlot row, time;
  row.imperfect = true;
  row.max_factor = 4;
  std::vector<Row> want = {
      {1, 1, 7},          {1, 7, 1},          {2, 1, 4, 1, 1, 4}, {2, 2, 2, 1, 2, 2},
      {2, 4, 1, 1, 4, 1}, {3, 1, 3, 1, 1, 3}, {3, 3, 1, 1, 3, 1}, {4, 1, 2, 3, 1, 2},
      {4, 2, 1, 3, 2, 1}};
  EXPECT_EQ(enumerate(7, {row, time, time}), want);
}

TEST(MapperRuby, PerfectOnlyIsTheOldEnumeration) {
  // With no imperfect slot the rows are the ordered perfect factorizations, as the uber
  // mapspace builds them (same rows, same order), for composite, prime and unit bounds.
  ResidualSlot any, low;
  low.range = {1, 3};
  for (std::int64_t bound : {1, 2, 12, 13, 36, 64}) {
    auto got = enumerate(bound, {any, low, any, any});
    std::vector<Row> want;
    for (std::int64_t a = 1; a <= bound; ++a)
      for (std::int64_t b = 1; b <= 3; ++b)
        for (std::int64_t c = 1; c <= bound; ++c)
          if (bound % (a * b * c) == 0) want.push_back({a, b, c, bound / (a * b * c)});
    EXPECT_EQ(got, want) << "bound " << bound;
  }
}

TEST(MapperRuby, LimitStopsTheEnumeration) {
  ResidualSlot free;
  free.imperfect = true;
  std::vector<Row> out;
  EXPECT_FALSE(residual_factorizations(1000, {free, free, free}, out, 50));
  EXPECT_EQ(out.size(), 50u);
}

// The mapspace of tests/mapper/ruby: P's factorizations with the ruby template are the
// brute force over its slots (the PE row imperfect, at most 4); with uber, the perfect ones.
TEST(MapperRuby, MapSpaceUsesTheTemplate) {
  const std::string dir = std::string(LOOPSIM_SOURCE_DIR) + "/tests/mapper/ruby/";
  for (const char* which : {"ruby.yaml", "perfect.yaml"}) {
    auto in = io::load_mapper_inputs({dir + "arch.yaml", dir + "problem.yaml", dir + "ERT.yaml",
                                      dir + which});
    const bool ruby = std::string(which) == "ruby.yaml";
    EXPECT_EQ(in.constraints.imperfect, ruby);
    MapSpace ms(in.model.workload, in.model.arch, in.constraints);
    std::vector<ResidualSlot> spec(ms.slots().size());
    for (std::size_t s = 0; s < spec.size(); ++s)
      if (ms.slots()[s].st != Spacetime::Time) {
        spec[s].range.max = 4;  // the row's fan-out
        spec[s].imperfect = ruby;
        spec[s].max_factor = 4;
      }
    const int p = in.model.workload.dim_index("P");
    std::set<Row> got(ms.factorizations(p).begin(), ms.factorizations(p).end());
    EXPECT_EQ(got, brute_force(7, spec)) << which;
    EXPECT_EQ(ms.has_imperfect(), ruby);
  }
}

// The mapspace's capacity pre-check (extents capped at the bound with imperfect factors)
// agrees with the evaluator on every tiling and keep choice of the ruby space: a point that
// does not fit is rejected for capacity by the evaluator, and one that fits is not.
TEST(MapperRuby, CapacityPrecheckAgreesWithTheEvaluator) {
  const std::string dir = std::string(LOOPSIM_SOURCE_DIR) + "/tests/mapper/ruby/";
  auto in = io::load_mapper_inputs({dir + "arch.yaml", dir + "problem.yaml", dir + "ERT.yaml",
                                    dir + "ruby.yaml"});
  const auto& w = in.model.workload;
  MapSpace ms(w, in.model.arch, in.constraints);
  auto table = EnergyTable::resolve(in.model.arch, in.model.energy);
  Evaluator ev(w, in.model.arch, table);
  MapPoint p;
  p.factorization.assign(static_cast<std::size_t>(w.num_dims()), 0);
  p.keep.assign(static_cast<std::size_t>(ms.num_levels()), 0);
  std::size_t checked = 0, unfit = 0, imperfect = 0;
  Mapping m;
  for (std::size_t a = 0; a < ms.factorizations(0).size(); ++a)
    for (std::size_t b = 0; b < ms.factorizations(1).size(); ++b) {
      p.factorization = {static_cast<int>(a), static_cast<int>(b)};
      if (!ms.spatial_ok(p.factorization)) continue;
      p.perm.assign(static_cast<std::size_t>(ms.num_levels()), {});
      p.sperm.assign(static_cast<std::size_t>(ms.num_levels()), {});
      for (int l = 0; l < ms.num_levels(); ++l) {
        p.perm[static_cast<std::size_t>(l)] = ms.free_dims(p.factorization, l);
        for (int axis = 0; axis < 2; ++axis)
          ms.spatial_free_dims(p.factorization, l, axis,
                               p.sperm[static_cast<std::size_t>(l)][static_cast<std::size_t>(axis)]);
      }
      // Every keep combination (levels innermost first, an odometer).
      std::fill(p.keep.begin(), p.keep.end(), 0);
      for (;;) {
        if (ms.keeps_ok(p.keep)) {
          ms.build(p, m);
          const Rejection* r = ev.run(m);
          const bool capacity = r != nullptr && r->reason == RejectReason::Capacity;
          EXPECT_EQ(ms.fits(p), !capacity) << "factorizations " << a << ", " << b;
          ++checked;
          unfit += ms.fits(p) ? 0 : 1;
          imperfect += ms.imperfect(p.factorization) ? 1 : 0;
        }
        std::size_t l = 0;
        for (; l < p.keep.size(); ++l) {
          if (++p.keep[l] < static_cast<int>(ms.keep_options(static_cast<int>(l)).size())) break;
          p.keep[l] = 0;
        }
        if (l == p.keep.size()) break;
      }
    }
  EXPECT_GT(unfit, 0u);
  EXPECT_GT(imperfect, 0u);
  EXPECT_GT(checked, unfit);
}

}  // namespace
}  // namespace loopsim
