// The accurate model (docs/cost-model.md §8):
//  * the RLC equation against a direct sum over the zero-run lengths (zeros independent at
//    density d: a run of k zeros before a nonzero has probability d (1-d)^k and costs
//    1 + floor(k / 2^run_bits) pairs);
//  * rounding of coded words, and no coding when it would not shrink the tensor;
//  * loopsim_model: parsed, with errors for a bad mode and an unknown data space.
#include <gtest/gtest.h>

#include <cmath>

#include "loopsim/core/error.hpp"
#include "loopsim/io/load.hpp"
#include "loopsim/model/accuracy.hpp"
#include "test_util.hpp"

using namespace loopsim;

namespace {

// Expected pairs per word by summing the run-length distribution term by term.
double pairs_per_word_by_sum(double d, int run_bits) {
  const long span = 1L << run_bits;
  double pairs_per_nonzero = 0, p = d;
  for (long k = 0; k < 200000 && p > 1e-18; ++k, p *= (1 - d))
    pairs_per_nonzero += p * static_cast<double>(1 + k / span);
  return d * pairs_per_nonzero;
}

}  // namespace

TEST(Accurate, RlcRatioMatchesTheSumOverRunLengths) {
  // Eyeriss's code: 5-bit runs, 16-bit values; and a short run field where long runs of
  // zeros cost extra pairs.
  struct Case {
    double d;
    int word, run;
  };
  for (auto [d, word, run] :
       {Case{0.5, 16, 5}, Case{0.6, 16, 5}, Case{0.1, 16, 2}, Case{0.3, 8, 3}}) {
    double want = pairs_per_word_by_sum(d, run) * (word + run) / word;
    EXPECT_NEAR(rlc_ratio(d, word, run), std::min(1.0, want), 1e-9)
        << d << " " << word << " " << run;
  }
  // By hand: d = 0.1, 2-bit runs (a pair covers up to 4 words): 0.1 / (1 - 0.9^4) = 0.1 /
  // 0.3439 pairs per word, 18 bits each for 16-bit words.
  EXPECT_NEAR(rlc_ratio(0.1, 16, 2), 0.1 / 0.3439 * 18.0 / 16.0, 1e-12);
}

TEST(Accurate, RlcWordsRoundUpAndNeverGrow) {
  // 1000 16-bit words at density 0.5 with 5-bit runs: 500 pairs (plus 2^-32 of overflow)
  // of 21 bits = 656.25... words, rounded up.
  EXPECT_EQ(rlc_words(1000, 0.5, 16, 5), 657u);
  // 8-bit words at density 0.9: 0.9 * 13 / 8 > 1, sent uncoded.
  EXPECT_EQ(rlc_words(1000, 0.9, 8, 5), 1000u);
  EXPECT_DOUBLE_EQ(rlc_ratio(1.0, 8, 5), 1.0);
  EXPECT_EQ(rlc_words(0, 0.5, 16, 5), 0u);
}

TEST(Accurate, ModelKeyIsParsed) {
  const std::string problem =
      "problem:\n  shape:\n    name: p\n    dimensions: [K]\n    data_spaces:\n"
      "    - {name: A, projection: [[[K]]]}\n    - {name: Z, projection: [[[K]]], read_write: true}\n"
      "  instance: {K: 4}\n";
  const std::string arch =
      "architecture:\n  version: 0.4\n  nodes:\n  - !Component\n    name: DRAM\n    class: DRAM\n"
      "    attributes: {width: 64, datawidth: 16}\n  - !Component\n    name: mac\n"
      "    class: intmac\n    attributes: {width: 16}\n";
  auto p = loopsim::testing::write_temp("p.yaml", problem);
  auto a = loopsim::testing::write_temp("a.yaml", arch);
  auto m = loopsim::testing::write_temp(
      "m.yaml", "loopsim_model:\n  mode: accurate\n  densities: {A: 0.25}\n  rlc_run_bits: 4\n");
  io::ModelInputs in = io::load_inputs(std::vector<std::string>{p, a, m}, false, nullptr, {}, true);
  EXPECT_TRUE(in.model.accurate());
  ASSERT_TRUE(in.model.density[0].has_value());
  EXPECT_DOUBLE_EQ(*in.model.density[0], 0.25);
  EXPECT_FALSE(in.model.density[1].has_value());
  EXPECT_EQ(in.model.rlc_run_bits, 4);

  auto bad_mode = loopsim::testing::write_temp("b.yaml", "loopsim_model: {mode: acurate}\n");
  try {
    (void)io::load_inputs(std::vector<std::string>{p, a, bad_mode}, false, nullptr, {}, true);
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("did you mean 'accurate'"), std::string::npos) << e.what();
  }
  auto bad_ds =
      loopsim::testing::write_temp("c.yaml", "loopsim_model: {densities: {Inputs: 0.5}}\n");
  try {
    (void)io::load_inputs(std::vector<std::string>{p, a, bad_ds}, false, nullptr, {}, true);
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("'Inputs' is not a data space"), std::string::npos)
        << e.what();
  }
}
