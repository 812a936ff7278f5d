// Hand-derived checks of the evaluation engine on tiny problems (derivations inline).
#include <gtest/gtest.h>

#include <array>

#include "loopsim/model/evaluate.hpp"

using namespace loopsim;

namespace {

// 1-D convolution: Weights[R], Inputs[R+P], Outputs[P] (read-write).
Workload conv1d(std::int64_t r, std::int64_t p) {
  Workload w;
  w.shape_name = "Conv1D";
  w.dims = {"R", "P"};
  w.bounds = {r, p};
  w.data_spaces.push_back({"Weights", {{{0, -1}}}, false});
  w.data_spaces.push_back({"Inputs", {{{0, -1}, {1, -1}}}, false});
  w.data_spaces.push_back({"Outputs", {{{1, -1}}}, true});
  return w;
}

StorageLevel level(const std::string& name, std::int64_t instances, std::optional<std::int64_t> size) {
  StorageLevel l;
  l.name = name;
  l.cls = "regfile";
  l.word_bits = 8;
  l.size_words = size;
  l.effective_size_words = size;
  l.instances = instances;
  l.mesh_x = instances;
  l.mesh_y = 1;
  return l;
}

// Inner RF (instances `pes`), outer DRAM, MACs under the RF.
ArchSpec two_level(std::int64_t pes, std::optional<std::int64_t> rf_size = 64) {
  ArchSpec a;
  a.storage.push_back(level("RF", pes, rf_size));
  a.storage.push_back(level("DRAM", 1, std::nullopt));
  a.storage[1].technology = StorageTech::DRAM;
  a.arithmetic.name = "MAC";
  a.arithmetic.instances = pes;
  a.arithmetic.mesh_x = pes;
  return a;
}

EnergyTable table(const ArchSpec& arch) {
  EnergyInputs in;
  in.ert_file = "test";
  ErtEntry rf{"RF", {{"read", 1.0}, {"write", 2.0}}, {}};
  ErtEntry dram{"DRAM", {{"read", 100.0}, {"write", 100.0}}, {}};
  ErtEntry mac{"MAC", {{"compute", 0.5}}, {}};
  in.ert = {rf, dram, mac};
  return EnergyTable::resolve(arch, in);
}

Loop loop(int dim, std::int64_t end, Spacetime st = Spacetime::Time) {
  Loop l;
  l.dim = dim;
  l.end = end;
  l.residual_end = end;
  l.spacetime = st;
  return l;
}

// RF and DRAM loops (innermost first), every data space kept at both levels.
Mapping rf_dram(std::vector<Loop> rf, std::vector<Loop> dram, std::vector<Loop> dram_spatial = {}) {
  Mapping m;
  m.levels.resize(2);
  m.levels[0].temporal = std::move(rf);
  m.levels[1].temporal = std::move(dram);
  m.levels[1].spatial = std::move(dram_spatial);
  for (auto& l : m.levels) l.keep = {true, true, true};
  return m;
}

// RF: for R in [0:3); DRAM: for P in [0:16).
Mapping output_stationary() { return rf_dram({loop(0, 3)}, {loop(1, 16)}); }

// {reads, fills, updates} of each data space at a level.
using Counts = std::vector<std::array<std::uint64_t, 3>>;
Counts counts(const Evaluation& ev, int level) {
  Counts c;
  for (const auto& d : ev.levels[static_cast<std::size_t>(level)].data_spaces)
    c.push_back({d.reads, d.fills, d.updates});
  return c;
}

// Evaluates and requires a valid mapping.
Evaluation evaluated(const Workload& w, const ArchSpec& a, const Mapping& m) {
  auto r = evaluate(w, a, table(a), m);
  if (auto* rej = std::get_if<Rejection>(&r)) ADD_FAILURE() << rej->describe();
  return std::holds_alternative<Evaluation>(r) ? std::get<Evaluation>(r) : Evaluation{};
}

}  // namespace

// R=3, P=16, output stationary in the RF. Per P step the RF reads 3 weights, 3 inputs and
// read-modify-writes one output 3 times. Weights stay resident: 3 fills. The input window
// slides by one: 3 + 15 = 18 fills. Outputs: 48 updates, 48 - 16 = 32 reads (the first
// update of each output is not read back); DRAM receives each output once (16 updates).
TEST(Evaluate, OutputStationaryConv1dAccessCounts) {
  Workload w = conv1d(3, 16);
  ArchSpec a = two_level(1);
  Evaluation ev = evaluated(w, a, output_stationary());
  ASSERT_EQ(ev.levels.size(), 2u);
  EXPECT_EQ(counts(ev, 0), (Counts{{48, 3, 0}, {48, 18, 0}, {32, 0, 48}}));
  EXPECT_EQ(counts(ev, 1), (Counts{{3, 0, 0}, {18, 0, 0}, {0, 0, 16}}));
  EXPECT_EQ(ev.cycles, 48u);
  EXPECT_DOUBLE_EQ(ev.utilization, 1.0);
  // Energy: RF (48+48+32)*1 + (3+18)*2 + 48*2 = 266; DRAM (3+18+16)*100 = 3700; MAC 24.
  EXPECT_DOUBLE_EQ(ev.levels[0].energy_pj, 266.0);
  EXPECT_DOUBLE_EQ(ev.levels[1].energy_pj, 3700.0);
  EXPECT_DOUBLE_EQ(ev.compute.energy_pj, 24.0);
  EXPECT_DOUBLE_EQ(ev.energy_pj, 3990.0);
}

// R=3, P=4 over two PEs (P split spatially): both PEs need the same 3 weights, read once
// from DRAM and multicast; their input windows [0,4) and [2,6) differ: 8 unicast reads.
TEST(Evaluate, SpatialMulticastOfWeights) {
  Workload w = conv1d(3, 4);
  ArchSpec a = two_level(2);
  Mapping m = rf_dram({loop(0, 3), loop(1, 2)}, {}, {loop(1, 2, Spacetime::SpaceX)});
  Evaluation ev = evaluated(w, a, m);
  ASSERT_EQ(ev.levels.size(), 2u);
  const auto& rf = ev.levels[0].data_spaces;
  EXPECT_EQ(rf[0].utilized_instances, 2u);
  EXPECT_EQ(rf[0].utilized_capacity, 3u);
  EXPECT_EQ(rf[1].utilized_capacity, 4u);
  EXPECT_EQ(rf[2].utilized_capacity, 2u);
  EXPECT_EQ(rf[0].fills, 3u);
  EXPECT_EQ(rf[1].fills, 4u);
  EXPECT_EQ(rf[2].updates, 6u);
  EXPECT_EQ(rf[2].reads, 4u);
  const auto& dram = ev.levels[1].data_spaces;
  EXPECT_EQ(dram[0].reads, 3u);
  EXPECT_EQ(dram[1].reads, 8u);
  EXPECT_EQ(dram[2].updates, 4u);
  EXPECT_EQ(ev.compute.computes, 12u);
  EXPECT_EQ(ev.cycles, 6u);
}

// Capacity boundary: the RF tile of the output-stationary mapping is 3 + 3 + 1 = 7 words.
TEST(Evaluate, CapacityExactFitAcceptedOneWordLessRejected) {
  Workload w = conv1d(3, 16);
  ArchSpec fits = two_level(1, 7);
  EXPECT_TRUE(std::holds_alternative<Evaluation>(evaluate(w, fits, table(fits), output_stationary())));
  ArchSpec small = two_level(1, 6);
  auto r = evaluate(w, small, table(small), output_stationary());
  ASSERT_TRUE(std::holds_alternative<Rejection>(r));
  EXPECT_EQ(std::get<Rejection>(r).reason, RejectReason::Capacity);
  EXPECT_EQ(std::get<Rejection>(r).level_name, "RF");
}

TEST(Evaluate, FactorProductMustEqualBound) {
  Workload w = conv1d(3, 16);
  ArchSpec a = two_level(1);
  Mapping m = output_stationary();
  m.levels[1].temporal = {loop(1, 8)};
  auto r = evaluate(w, a, table(a), m);
  ASSERT_TRUE(std::holds_alternative<Rejection>(r));
  EXPECT_EQ(std::get<Rejection>(r).reason, RejectReason::Mapping);
}

TEST(Evaluate, EnergyIsLinearInTheTable) {
  Workload w = conv1d(3, 16);
  ArchSpec a = two_level(1);
  EnergyTable t = table(a);
  double base = std::get<Evaluation>(evaluate(w, a, t, output_stationary())).energy_pj;
  t.scale(3.0);
  double scaled = std::get<Evaluation>(evaluate(w, a, t, output_stationary())).energy_pj;
  EXPECT_DOUBLE_EQ(scaled, 3.0 * base);
}

// Outermost traffic is at least the tensor sizes, and MACs are the product of bounds.
TEST(Evaluate, OutermostTrafficCoversEveryTensor) {
  Workload w = conv1d(3, 16);
  ArchSpec a = two_level(1);
  Evaluation ev = evaluated(w, a, output_stationary());
  EXPECT_EQ(ev.compute.computes, static_cast<std::uint64_t>(w.operations()));
  for (int d = 0; d < w.num_data_spaces(); ++d) {
    const auto& s = ev.levels[1].data_spaces[d];
    EXPECT_GE(s.reads + s.updates, static_cast<std::uint64_t>(w.tensor_size(d)));
  }
}

// Timeloop's no-reuse modifiers (the `no_reuse` constraint; mapping keys no_temporal_reuse
// and no_multicast_no_reduction). They change the evaluation only; every case is evaluated
// by both engines (closed form and walk) and compared with the same mapping without the
// modifier.
namespace {

Evaluation evaluated_both(const Workload& w, const ArchSpec& a, const Mapping& m) {
  Evaluation ev = evaluated(w, a, m);
  auto walk = evaluate(w, a, table(a), m, Engine::Walk);
  EXPECT_TRUE(std::holds_alternative<Evaluation>(walk));
  if (auto* e = std::get_if<Evaluation>(&walk)) EXPECT_DOUBLE_EQ(e->energy_pj, ev.energy_pj);
  return ev;
}

}  // namespace

// Output stationary (R=3 in the RF, P=16 at DRAM) with no temporal reuse of Weights and
// Inputs at the RF: every P step moves the whole RF tile (3 weights, 3 inputs) again, so
// fills are 3 x 16 = 48 each instead of 3 (weights resident) and 3 + 15 = 18 (window
// sliding by one). Outputs are untouched.
TEST(Evaluate, NoTemporalReuseRefetchesTheWholeTile) {
  Workload w = conv1d(3, 16);
  ArchSpec a = two_level(1);
  Mapping m = output_stationary();
  m.levels[0].no_temporal_reuse = {true, true, false};
  Evaluation ev = evaluated_both(w, a, m);
  EXPECT_EQ(counts(ev, 0), (Counts{{48, 48, 0}, {48, 48, 0}, {32, 0, 48}}));
  EXPECT_EQ(counts(ev, 1), (Counts{{48, 0, 0}, {48, 0, 0}, {0, 0, 16}}));
  // Energy: 3990 (OutputStationaryConv1dAccessCounts) + (45 + 30) fills x (2 + 100).
  EXPECT_DOUBLE_EQ(ev.energy_pj, 3990.0 + 75 * 102.0);
  // The flag of a level that does not keep the data space changes nothing there.
  m.levels[0].keep = {false, true, true};
  m.levels[0].no_temporal_reuse = {true, false, false};
  Mapping plain = m;
  plain.levels[0].no_temporal_reuse.clear();
  EXPECT_DOUBLE_EQ(evaluated_both(w, a, m).energy_pj, evaluated(w, a, plain).energy_pj);
}

// RF: for P in [0:16), DRAM: for R in [0:3). The 16 partial sums stay in the RF across R
// (DRAM sees 16 updates); with no temporal reuse of Outputs at the RF they are flushed at
// every R step: 3 x 16 = 48 updates at DRAM, and the two later passes read them back:
// 32 DRAM reads = 32 RF fills.
TEST(Evaluate, NoTemporalReuseFlushesPartialSums) {
  Workload w = conv1d(3, 16);
  ArchSpec a = two_level(1);
  Mapping m = rf_dram({loop(1, 16)}, {loop(0, 3)});
  // Weights: 1 per R step; Inputs: a 16-wide window sliding by one, 16 + 1 + 1.
  Evaluation plain = evaluated(w, a, m);
  EXPECT_EQ(counts(plain, 0), (Counts{{48, 3, 0}, {48, 18, 0}, {32, 0, 48}}));
  EXPECT_EQ(counts(plain, 1), (Counts{{3, 0, 0}, {18, 0, 0}, {0, 0, 16}}));
  m.levels[0].no_temporal_reuse = {false, false, true};
  Evaluation ev = evaluated_both(w, a, m);
  EXPECT_EQ(counts(ev, 0), (Counts{{48, 3, 0}, {48, 18, 0}, {32, 32, 48}}));
  EXPECT_EQ(counts(ev, 1), (Counts{{3, 0, 0}, {18, 0, 0}, {32, 0, 48}}));
}

// SpatialMulticastOfWeights without multicast of Weights at DRAM: each of the two PEs gets
// its own copy of the 3 weights (6 DRAM reads instead of 3); the inputs were unicast
// anyway (8 reads).
TEST(Evaluate, NoMulticastServesEachInstanceAlone) {
  Workload w = conv1d(3, 4);
  ArchSpec a = two_level(2);
  Mapping m = rf_dram({loop(0, 3), loop(1, 2)}, {}, {loop(1, 2, Spacetime::SpaceX)});
  m.levels[1].no_multicast = {true, false, false};
  Evaluation ev = evaluated_both(w, a, m);
  EXPECT_EQ(counts(ev, 1), (Counts{{6, 0, 0}, {8, 0, 0}, {0, 0, 4}}));
  EXPECT_EQ(ev.levels[0].data_spaces[0].fills, 3u);  // per PE, as before
}

// R=2 split over two PEs, P=4 in each RF: both PEs hold partial sums of the same 4 outputs.
// Normally they are reduced on the way up (DRAM: 4 updates, no reads); without spatial
// reduction each PE's 4 partial sums reach DRAM alone: 8 updates, and the second of each
// pair is a read-modify-write: 4 reads.
TEST(Evaluate, NoReductionSendsEachPartialSum) {
  Workload w = conv1d(2, 4);
  ArchSpec a = two_level(2);
  Mapping m = rf_dram({loop(1, 4)}, {}, {loop(0, 2, Spacetime::SpaceX)});
  Evaluation plain = evaluated(w, a, m);
  EXPECT_EQ(counts(plain, 1)[2], (std::array<std::uint64_t, 3>{0, 0, 4}));
  m.levels[1].no_multicast = {false, false, true};
  Evaluation ev = evaluated_both(w, a, m);
  EXPECT_EQ(counts(ev, 1)[2], (std::array<std::uint64_t, 3>{4, 0, 8}));
  EXPECT_EQ(ev.levels[0].data_spaces[2].fills, 0u);
}
