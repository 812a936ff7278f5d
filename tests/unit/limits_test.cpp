// The numeric limits (docs/formats.md, Limits): checked products, whole numbers read exactly,
// bounds and coordinate reach within 32 bits, the access-count limit, linear attribute maps.
#include <gtest/gtest.h>

#include "loopsim/arch/arch_spec.hpp"
#include "loopsim/core/error.hpp"
#include "loopsim/core/limits.hpp"
#include "loopsim/io/load.hpp"
#include "test_util.hpp"

using namespace loopsim;
using loopsim::testing::write_temp;

namespace {

std::string problem(const std::string& instance, const std::string& coefficients = "") {
  return "problem:\n  shape:\n    name: G\n    dimensions: [M, N, K]\n" + coefficients +
         "    data_spaces:\n"
         "    - {name: A, projection: [[[M]], [[K]]]}\n"
         "    - {name: B, projection: [[[K]], [[N]]]}\n"
         "    - {name: Z, projection: [[[M]], [[N]]], read_write: true}\n"
         "  instance: " + instance + "\n";
}

// The message of the ConfigError that loading `text` raises, as file:line: key: message.
std::string load_error(const std::string& text) {
  try {
    (void)io::load_workload_file(write_temp("limits.yaml", text));
  } catch (const ConfigError& e) {
    return std::to_string(e.line()) + ": " + e.key_path() + ": " + e.message();
  }
  return "";
}

}  // namespace

TEST(Limits, CheckedMultiplicationReportsOverflow) {
  EXPECT_EQ(limits::checked_mul(3037000499, 3037000499), 9223372030926249001);
  EXPECT_FALSE(limits::checked_mul(3037000500, 3037000500));
  EXPECT_FALSE(limits::checked_add(INT64_MAX, 1));
  EXPECT_EQ(limits::describe(limits::kMaxInteger), "2^53 = 9007199254740992");
  EXPECT_EQ(limits::describe(limits::kMaxCoordinate), "2^31-1 = 2147483647");
}

TEST(Limits, LargestBoundLoadsAndOneMoreIsRejected) {
  // 2^31-1 fits: M reaches coordinate 2^31-2.
  EXPECT_EQ(load_error(problem("{M: 2147483647, N: 1, K: 1}")), "");
  EXPECT_EQ(load_error(problem("{M: 2147483648, N: 1, K: 1}")),
            "9: problem.instance.M: a bound must be between 1 and 2^31-1 = 2147483647, got "
            "2147483648 (docs/formats.md, Limits)");
}

TEST(Limits, WholeNumbersBeyondTwoToTheFiftyThreeSayTheLimit) {
  EXPECT_EQ(load_error(problem("{M: 1000000000000000000, N: 1, K: 1}")),
            "9: problem.instance.M: the whole number '1000000000000000000' is too large: "
            "loopsim reads whole numbers up to 2^53 = 9007199254740992 (docs/formats.md, "
            "Limits)");
  EXPECT_NE(load_error(problem("{M: 1e20, N: 1, K: 1}")).find("too large"), std::string::npos);
}

TEST(Limits, OperationCountBeyondTwoToTheSixtyTwoIsRejected) {
  // 2^21 * 2^21 * 2^20 = 2^62 operations: at the limit, rejected; 2^61 loads.
  EXPECT_NE(load_error(problem("{M: 2097152, N: 2097152, K: 1048576}")).find(
                "the workload is too large: 2^62 or more operations"),
            std::string::npos);
  EXPECT_EQ(load_error(problem("{M: 2097152, N: 2097152, K: 524288}")), "");
}

TEST(Limits, CoordinateReachOfAStridedRankMustFitThirtyTwoBits) {
  std::string coeffs = "    coefficients: [{name: S, default: 1}]\n";
  std::string text = problem("{M: 3, N: 1, K: 1073741825, S: 2}", coeffs);
  // Rank K*S reaches 2 * (1073741825 - 1) = 2^31 > 2^31-1.
  std::string strided = text;
  strided.replace(strided.find("[[[K]], [[N]]]"), 14, "[[[K, S]], [[N]]]");
  EXPECT_NE(load_error(strided).find("data space 'B' rank 0 (K*S) reaches coordinate "
                                     "2147483648"),
            std::string::npos);
  EXPECT_EQ(load_error(text), "");  // unstrided, K reaches 1073741824
}

TEST(Limits, AttributesReplaceInPlaceAndFindByName) {
  Attributes a;
  for (int i = 0; i < 1000; ++i) a.set("v" + std::to_string(i), AttrValue{std::to_string(i)});
  a.set("v7", AttrValue{"seven"});
  ASSERT_EQ(a.items.size(), 1000u);
  EXPECT_EQ(a.items[7].second.text, "seven");
  EXPECT_EQ(a.find("v999")->text, "999");
  EXPECT_EQ(a.find("v1000"), nullptr);
}
