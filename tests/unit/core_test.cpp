#include <gtest/gtest.h>

#include "loopsim/analysis/point_set.hpp"
#include "loopsim/core/expr.hpp"
#include "loopsim/core/text.hpp"
#include "loopsim/workload/workload.hpp"

using namespace loopsim;

TEST(Expr, ArithmeticFunctionsAndConditionals) {
  auto vars = [](const std::string& n) -> std::optional<double> {
    if (n == "width") return 16.0;
    if (n == "depth") return 8.0;
    return std::nullopt;
  };
  EXPECT_DOUBLE_EQ(evaluate_expression("max(32, width) * 2", vars), 64.0);
  EXPECT_DOUBLE_EQ(evaluate_expression("width / max(32, width)", vars), 0.5);
  EXPECT_DOUBLE_EQ(evaluate_expression("max(1, ceil(log2(depth))) if depth >= 1 else 1", vars), 3.0);
  EXPECT_DOUBLE_EQ(evaluate_expression("2 ** 3 ** 2", vars), 512.0);
  EXPECT_DOUBLE_EQ(evaluate_expression("-(3 - 5) // 2", vars), 1.0);
  EXPECT_THROW(evaluate_expression("width + nope", vars), ExprError);
  EXPECT_THROW(evaluate_expression("1 / 0", vars), ExprError);
}

TEST(Text, CsvFieldQuotesAndDoublesInnerQuotes) {
  EXPECT_EQ(csv_field("conv1"), "conv1");
  EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
  // RFC 4180: a quote inside a quoted field is written twice.
  EXPECT_EQ(csv_field("say \"hi\", now"), "\"say \"\"hi\"\", now\"");
  EXPECT_EQ(csv_field("two\nlines"), "\"two\nlines\"");
}

TEST(Text, DidYouMeanSuggestsCloseNames) {
  EXPECT_EQ(did_you_mean("Wieghts", {"Weights", "Inputs", "Outputs"}), " (did you mean 'Weights'?)");
  EXPECT_EQ(did_you_mean("datawidht", {"datawidth", "depth"}), " (did you mean 'datawidth'?)");
  EXPECT_EQ(did_you_mean("zzzzzz", {"Weights", "Inputs"}), "");
  // One-letter dimension names: only a case difference is a near miss.
  EXPECT_EQ(did_you_mean("X", {"C", "M", "R", "S", "N", "P", "Q"}), "");
  EXPECT_EQ(did_you_mean("p", {"C", "M", "R", "S", "N", "P", "Q"}), " (did you mean 'P'?)");
  EXPECT_EQ(did_you_mean("PQ", {"P", "Q", "C"}), " (did you mean 'P'?)");
}

// Default CNN layer C=2 M=3 R=S=3 P=Q=4, stride 1: Inputs 2 x 6 x 6 = 72, Weights 54.
TEST(Workload, DefaultCnnTensorSizes) {
  Workload w = Workload::default_cnn_shape();
  w.bounds = {2, 3, 3, 3, 1, 4, 4};
  EXPECT_EQ(w.operations(), 2 * 3 * 9 * 16);
  EXPECT_EQ(w.tensor_size(0), 54);
  EXPECT_EQ(w.tensor_size(1), 72);
  EXPECT_EQ(w.tensor_size(2), 48);
  w.coeff_values[0] = 2;  // Wstride 2: W extent (4-1)*2 + 3 = 9
  EXPECT_EQ(w.tensor_size(1), 2 * 9 * 6);
}

// A window [0,10) sliding to [4,14) leaves a delta [10,14) of 4 points.
TEST(PointSet, SlidingWindowDelta) {
  Aahr prev(1), cur(1);
  prev.set(0, 0, 10);
  cur.set(0, 4, 14);
  Aahr delta = cur;
  delta.subtract(prev);
  EXPECT_EQ(delta.size(), 4);
  EXPECT_EQ(delta.lo(0), 10);
  // Disjoint sets: everything is new. Identical: nothing is.
  Aahr far(1);
  far.set(0, 20, 30);
  Aahr d2 = far;
  d2.subtract(prev);
  EXPECT_EQ(d2.size(), 10);
  Aahr d3 = prev;
  d3.subtract(prev);
  EXPECT_EQ(d3.size(), 0);
  // Changing along two ranks keeps the whole set (Timeloop's AAHR rule).
  Aahr a(2), b(2);
  a.set(0, 0, 4);
  a.set(1, 0, 4);
  b.set(0, 2, 6);
  b.set(1, 2, 6);
  Aahr d4 = b;
  d4.subtract(a);
  EXPECT_EQ(d4.size(), 16);
}
