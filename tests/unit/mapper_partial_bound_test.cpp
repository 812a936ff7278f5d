// Issue 12: the optimal search's bound on partial tilings (src/mapper/partial_bound.hpp)
// never exceeds what the evaluator gives for any mapping that completes the partial tiling.
// Random mappings of random convolutions and matrix products on the four shipped designs
// (meshes on two axes, bypassed levels, vector accesses, multicast and link transfers) and
// on random small hierarchies; for each valid one, every prefix of a random order of its
// dims is the partial tiling: its energy and cycle bounds must not exceed the evaluated
// energy and cycles, and its capacity check must pass; in the mapping's own loop orders,
// each data space's share of the bound must not exceed its evaluated energy.
#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <iostream>
#include <random>
#include <sstream>

#include "../../src/mapper/partial_bound.hpp"
#include "test_util.hpp"
#include "loopsim/io/load.hpp"
#include "loopsim/mapper/search.hpp"

using namespace loopsim;

namespace {

using loopsim::testing::write_temp;

// A matrix product only on the random hierarchies (the shipped ones name conv data spaces).
std::string random_problem(std::mt19937& rng, int i, bool gemm) {
  auto pick = [&](std::vector<int> v) { return v[rng() % v.size()]; };
  std::ostringstream prob;
  if (gemm && i % 3 == 0) {
    // A's rows may be strided (every other row of its box used: not dense).
    prob << "problem:\n  version: 0.4\n  shape:\n    name: gemm\n    dimensions: [M, N, K]\n"
         << "    coefficients: [{name: Ms, default: 1}]\n"
         << "    data_spaces:\n"
         << "    - {name: A, projection: [[[M, Ms]], [[K]]]}\n"
         << "    - {name: B, projection: [[[K]], [[N]]]}\n"
         << "    - {name: Z, projection: [[[M]], [[N]]], read_write: true}\n"
         << "  instance: {M: " << pick({4, 6, 8, 12, 16, 32}) << ", N: " << pick({2, 4, 8, 14, 16})
         << ", K: " << pick({3, 4, 8, 16, 24}) << ", Ms: " << pick({1, 2}) << "}\n";
    return write_temp("pb_prob" + std::to_string(i) + ".yaml", prob.str());
  }
  const int stride = pick({1, 1, 2});
  prob << "problem:\n  version: 0.4\n  instance: {C: " << pick({1, 2, 3, 4, 8, 16})
       << ", M: " << pick({2, 4, 6, 8, 16, 32}) << ", R: " << pick({1, 3}) << ", S: "
       << pick({1, 3}) << ", N: " << pick({1, 2}) << ", P: " << pick({2, 4, 7, 8, 14})
       << ", Q: " << pick({1, 2, 4, 7, 8}) << ", Wstride: " << stride << ", Hstride: " << stride
       << "}\n";
  return write_temp("pb_prob" + std::to_string(i) + ".yaml", prob.str());
}

// A random small hierarchy: DRAM with vector accesses, an optional buffer with a 2-D mesh
// under it, a register file per PE; DRAM and the buffer with or without read, write or
// shared bandwidths; half of them with an ERT whose buffer and register files leak (up to
// a few times their access energy per cycle). Returns its files.
std::vector<std::string> random_arch(std::mt19937& rng, int i) {
  auto pick = [&](std::vector<int> v) { return v[rng() % v.size()]; };
  auto bandwidth = [&]() -> std::string {
    switch (rng() % 4) {
      case 0: return "";
      case 1: return ", read_bandwidth: " + std::to_string(pick({1, 2, 4}));
      case 2: return ", read_bandwidth: " + std::to_string(pick({1, 4})) +
                     ", write_bandwidth: " + std::to_string(pick({1, 2}));
      default: return ", shared_bandwidth: " + std::to_string(pick({1, 2, 8}));
    }
  };
  const int dram_width = pick({8, 64});
  std::ostringstream arch;
  arch << loopsim::testing::arch_with_dram(dram_width);
  arch.seekp(-2, std::ios_base::end);  // reopen DRAM's attributes for its bandwidth
  arch << bandwidth() << "}\n";
  const int glb = pick({0, 64, 512});
  if (glb > 0)
    arch << "  - !Component\n    name: glb\n    class: SRAM\n    attributes: {depth: " << glb
         << ", width: " << pick({8, 32}) << ", datawidth: 8" << bandwidth() << "}\n";
  const int mx = pick({1, 2, 4}), my = pick({1, 3});
  arch << "  - !Container\n    name: PE\n    spatial: {meshX: " << mx << ", meshY: " << my
       << "}\n  - !Component\n    name: rf\n    class: regfile\n"
       << "    attributes: {depth: " << pick({4, 16, 64}) << ", width: 8, datawidth: 8}\n"
       << "  - !Component\n    name: mac\n    class: intmac\n    attributes: {width: 8}\n";
  std::vector<std::string> files{write_temp("pb_arch" + std::to_string(i) + ".yaml", arch.str())};
  if (rng() % 2 != 0) return files;
  auto table = [](const std::string& name, double access, double leak) {
    std::ostringstream t;
    t << "  - name: " << name << "\n    actions:\n    - {name: read, energy: " << access
      << "}\n    - {name: write, energy: " << access << "}\n    - {name: update, energy: "
      << access << "}\n    - {name: leak, energy: " << leak << "}\n";
    return t.str();
  };
  const int pes = mx * my;
  std::ostringstream ert;
  ert << "ERT:\n  version: 0.4\n  tables:\n"
      << table("system.DRAM[1..1]", 8.0 * dram_width, 0.0);
  if (glb > 0) ert << table("system.glb[1..1]", 6.0, 6.0 * pick({0, 1, 4}));
  ert << table("system.PE.rf[1.." + std::to_string(pes) + "]", 0.1, 0.1 * pick({1, 3}))
      << "  - name: system.PE.mac[1.." << pes << "]\n    actions:\n"
      << "    - {name: compute, energy: 0.25}\n";
  files.push_back(write_temp("pb_ert" + std::to_string(i) + ".yaml", ert.str()));
  return files;
}

std::vector<std::string> design(const std::string& name) {
  const std::string dir = std::string(LOOPSIM_SOURCE_DIR) + "/arch-specs/" + name + "/";
  return {dir + "arch.yaml", dir + "ERT.yaml", dir + "ART.yaml"};
}

}  // namespace

TEST(MapperPartialBound, NeverExceedsTheEvaluationOfACompletion) {
  std::mt19937 rng(4242);
  std::uint64_t checked = 0, designs_checked = 0, full = 0, tight = 0, ordered = 0,
                ordered_tight = 0, bandwidth_bound = 0, leaky = 0;
  const std::vector<std::string> shipped = {"eyeriss_like", "simba_like",
                                            "simple_weight_stationary", "simple_output_stationary"};
  for (int i = 0; i < 48; ++i) {
    std::vector<std::string> files =
        i < 24 ? design(shipped[static_cast<std::size_t>(i) % shipped.size()])
               : random_arch(rng, i);
    files.push_back(random_problem(rng, i, i >= 24));
    auto in = io::load_mapper_inputs(files);
    const Workload& w = in.model.workload;
    const ArchSpec& arch = in.model.arch;
    auto table = EnergyTable::resolve(arch, in.model.energy);
    MapSpace space(w, arch, in.constraints);
    if (!space.empty_reason().empty()) continue;
    // The compulsory traffic: every element of a dense data space read (updated, for
    // read-write data) once at the outermost level, in vectors of its block size.
    std::vector<double> compulsory;
    const int top = arch.num_storage_levels() - 1;
    for (int ds = 0; ds < w.num_data_spaces(); ++ds) {
      const auto& en = table.storage(top);
      compulsory.push_back(detail::dense(w, ds)
                               ? 0.999 * static_cast<double>(w.tensor_size(ds)) *
                                     (w.is_read_write(ds) ? en.update_pj : en.read_pj) /
                                     arch.storage[static_cast<std::size_t>(top)].block_size
                               : 0.0);
    }
    detail::PartialBound bound(w, arch, table, space, compulsory);
    ASSERT_TRUE(bound.usable());
    Evaluator ev(w, arch, table);
    Mapping m;
    const auto nd = static_cast<std::size_t>(space.num_dims());
    for (int trial = 0; trial < 400; ++trial) {
      MapPoint p;
      for (std::size_t d = 0; d < nd; ++d)
        p.factorization.push_back(static_cast<int>(rng() % space.factorizations(static_cast<int>(d)).size()));
      for (int l = 0; l < space.num_levels(); ++l)
        p.keep.push_back(static_cast<int>(rng() % space.keep_options(l).size()));
      if (!space.keeps_ok(p.keep) || !space.spatial_ok(p.factorization)) continue;
      p.perm.resize(static_cast<std::size_t>(space.num_levels()));
      p.sperm.resize(static_cast<std::size_t>(space.num_levels()));
      for (int l = 0; l < space.num_levels(); ++l) {
        auto& pm = p.perm[static_cast<std::size_t>(l)];
        pm = space.free_dims(p.factorization, l);
        std::shuffle(pm.begin(), pm.end(), rng);
        for (int axis = 0; axis < 2; ++axis) {
          auto& sp = p.sperm[static_cast<std::size_t>(l)][static_cast<std::size_t>(axis)];
          space.spatial_free_dims(p.factorization, l, axis, sp);
          std::shuffle(sp.begin(), sp.end(), rng);
        }
      }
      space.build(p, m);
      const Rejection* rej = ev.run(m);
      std::vector<int> order(nd);
      std::iota(order.begin(), order.end(), 0);
      std::shuffle(order.begin(), order.end(), rng);
      char assigned[kMaxDims] = {};
      if (rej) {
        // A partial tiling that does not fit has no completion that fits.
        if (rej->reason != RejectReason::Capacity) {
          for (std::size_t k = 0; k <= nd; ++k) {
            if (k > 0) assigned[order[k - 1]] = 1;
            EXPECT_TRUE(bound.fits(p, assigned)) << files.back() << " k=" << k;
          }
        }
        continue;
      }
      const Evaluation& e = ev.result();
      double leak = 0;
      for (const auto& st : e.levels) leak += st.leakage_pj;
      if (leak > 0.1 * e.energy_pj) ++leaky;
      // In the mapping's own loop orders, each data space's share bounds its energy.
      detail::PartialBound::OrderTerms terms;
      bound.prepare(p, terms);
      // The cycles the bandwidths allow in this order, and with only one level's order.
      for (int l = -1; l < space.num_levels(); ++l) {
        const double bw = bound.bandwidth_cycles(terms, p, l);
        EXPECT_LE(bw, static_cast<double>(e.cycles) * (1 + 1e-9))
            << files.front() << " " << files.back() << " trial " << trial << " level " << l;
        if (l < 0 && bw > static_cast<double>(e.compute.cycles)) ++bandwidth_bound;
      }
      for (int ds = 0; ds < w.num_data_spaces(); ++ds) {
        double own = 0;
        for (const auto& st : e.levels) own += st.data_spaces[static_cast<std::size_t>(ds)].energy_total_pj;
        EXPECT_LE(bound.order_energy(terms, p, ds), own * (1 + 1e-9) + 1e-9)
            << files.front() << " " << files.back() << " trial " << trial << " ds " << ds;
        ++ordered;
        if (bound.plain(ds) && bound.order_energy(terms, p, ds) > 0.7 * own) ++ordered_tight;
      }
      for (std::size_t k = 0; k <= nd; ++k) {
        if (k > 0) assigned[order[k - 1]] = 1;
        EXPECT_TRUE(bound.fits(p, assigned)) << files.front() << " " << files.back() << " k=" << k;
        const double eb = bound.energy(p, assigned), cb = bound.cycles(p, assigned);
        std::vector<double> delay;
        bound.metrics(p, assigned, {Metric::Delay}, delay);  // with the bandwidths
        EXPECT_LE(delay.front(), static_cast<double>(e.cycles) * (1 + 1e-9))
            << files.front() << " " << files.back() << " trial " << trial << " k=" << k;
        EXPECT_LE(eb, e.energy_pj * (1 + 1e-9))
            << files.front() << " " << files.back() << " trial " << trial << " k=" << k;
        EXPECT_LE(cb, static_cast<double>(e.cycles) * (1 + 1e-9)) << files.back() << " k=" << k;
        ++checked;
        if (k == nd) ++full;
        if (k == nd && eb > 0.7 * e.energy_pj) ++tight;
      }
      if (i < 24) ++designs_checked;
    }
  }
  std::cout << "checked " << checked << " on designs " << designs_checked << " full " << full << " tight " << tight << " ordered " << ordered
            << " ordered tight " << ordered_tight << " bandwidth-bound " << bandwidth_bound
            << " leakage above 10% " << leaky << "\n";
  // Mappings where leakage is more than a tenth of the energy were checked.
  EXPECT_GE(leaky, 100u);
  // Mappings whose bandwidth cycles exceed the compute cycles were bounded that way.
  EXPECT_GE(bandwidth_bound, 20u);
  EXPECT_GE(designs_checked, 200u);
  EXPECT_GE(checked, 3000u);
  // The bound says something on full tilings: within 30% of the evaluated energy on one random
  // mapping in eight (random mappings are mostly poor ones).
  EXPECT_GE(tight, full / 8);
  EXPECT_GE(ordered_tight, ordered / 8);
}

// Which data spaces the bound treats as dense: every element of the box is used.
TEST(MapperPartialBound, DenseWhenTheStrideIsNoLongerThanTheWindow) {
  auto inputs_dense = [](int r, int p, int stride, int dilation) {
    std::ostringstream prob;
    prob << "problem:\n  version: 0.4\n  instance: {C: 2, M: 2, R: " << r << ", S: 1, N: 1, P: "
         << p << ", Q: 1, Wstride: " << stride << ", Hstride: 1, Wdilation: " << dilation << "}\n";
    auto w = io::load_workload_file(write_temp("dense.yaml", prob.str()));
    return detail::dense(w, 1);  // Inputs
  };
  EXPECT_TRUE(inputs_dense(3, 4, 1, 1));   // x = r + p covers 0..5
  EXPECT_TRUE(inputs_dense(3, 4, 2, 1));   // r + 2p: 0..8, stride 2 <= window 3
  EXPECT_TRUE(inputs_dense(3, 4, 3, 1));   // r + 3p: 0..11, stride 3 <= window 3
  EXPECT_FALSE(inputs_dense(3, 4, 4, 1));  // r + 4p skips 3, 7, ...
  EXPECT_FALSE(inputs_dense(1, 4, 2, 1));  // 2p: odd columns unused
  EXPECT_TRUE(inputs_dense(3, 4, 1, 2));   // 2r + p: 0..7 (p fills the gaps)
  EXPECT_FALSE(inputs_dense(3, 1, 1, 2));  // 2r alone: 0, 2, 4
}
