// timeloopfe's Python in `variables:` (core/pyexpr, io/python_variables.cpp): the subset
// CiMLoop's files use (raella's variables.yaml: list-valued variables, `[x] * n`, a lambda
// with a generator expression), evaluated as Python evaluates it; clear errors beyond it.
#include <gtest/gtest.h>

#include "loopsim/core/diagnostics.hpp"
#include "loopsim/core/error.hpp"
#include "loopsim/core/pyexpr.hpp"
#include "loopsim/io/energy.hpp"
#include "loopsim/io/load.hpp"
#include "test_util.hpp"

using namespace loopsim;
using loopsim::testing::write_temp;

namespace {

py::Value eval(const std::string& text) {
  return py::evaluate(text, [](const std::string& n) -> std::optional<py::Value> {
    if (n == "X") return py::Value::list({py::Value::of(0.8), py::Value::of(0.2)});
    if (n == "N") return py::Value::of(8);
    return std::nullopt;
  });
}

double number(const std::string& text) {
  py::Value v = eval(text);
  EXPECT_TRUE(v.is_number()) << text << " gave " << py::repr(v);
  return v.number;
}

std::string error_of(const std::string& text) {
  try {
    (void)eval(text);
  } catch (const ExprError& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

// Values Python prints for the same expressions (python3 -c 'print(...)').
TEST(PyExpr, ListsLambdasAndGenerators) {
  EXPECT_EQ(py::repr(eval("[0.2] * 3")), "[0.2, 0.2, 0.2]");
  EXPECT_EQ(py::repr(eval("([32] + [1] * 3)")), "[32, 1, 1, 1]");
  EXPECT_EQ(py::repr(eval("list(enumerate(X))")), "[[0, 0.8], [1, 0.2]]");
  // raella's AVG_DIST: sum(i * v) / sum(v) / (len - 1); for [0.8, 0.2]: 0.2 / 1 / 1.
  EXPECT_DOUBLE_EQ(number("(lambda x: sum(i * v for i, v in enumerate(x)) / sum(x) / (len(x) - 1))(X)"), 0.2);
  // For [32] + [1] * 31: sum(i for i in 1..31) = 496, / 63 / 31.
  EXPECT_DOUBLE_EQ(number("(lambda x: sum(i * v for i, v in enumerate(x)) / sum(x) / (len(x) - 1))([32] + [1] * 31)"),
                   496.0 / 63 / 31);
  EXPECT_DOUBLE_EQ(number("[v * 2 for v in X if v > 0.5][0]"), 1.6);
  EXPECT_DOUBLE_EQ(number("X[-1] + N // 3 + 7 % 3 + 2 ** 3"), 0.2 + 2 + 1 + 8);
  EXPECT_DOUBLE_EQ(number("0.43 if N else 1"), 0.43);
  EXPECT_DOUBLE_EQ(number("max(X) + min(3, 1, 2) + len([]) + round(2.5) + round(3.5)"), 0.8 + 1 + 0 + 2 + 4);
  EXPECT_EQ(py::repr(eval("N > 3 and 0.5 in X")), "False");
  EXPECT_EQ(py::repr(eval("not [] or 'x'")), "True");
  EXPECT_DOUBLE_EQ(number("-7 // 2 + -7 % 3"), -4 + 2);  // Python floors
}

TEST(PyExpr, ErrorsSayWhatIsOutsideTheSubset) {
  EXPECT_NE(error_of("CIM_UNIT_UTILIZED_BITS * 2").find("name 'CIM_UNIT_UTILIZED_BITS' is not defined"),
            std::string::npos);
  EXPECT_NE(error_of("{1: 2}").find("dicts and sets are outside the subset"), std::string::npos);
  EXPECT_NE(error_of("X[0:1]").find("slices are outside the subset"), std::string::npos);
  EXPECT_NE(error_of("X.count(1)").find("attributes ('x.y') are outside the subset"), std::string::npos);
  EXPECT_NE(error_of("sum(X, start=1)").find("keyword arguments are outside the subset"), std::string::npos);
  EXPECT_NE(error_of("X[2]").find("out of range"), std::string::npos);
  EXPECT_NE(error_of("[0] * 10000000").find("more than loopsim allows"), std::string::npos);
  EXPECT_NE(error_of("1 / 0").find("division by zero"), std::string::npos);
  EXPECT_NE(error_of("X + 1").find("needs a number, got list"), std::string::npos);
}

// A CiMLoop-style file: list-valued variables and a lambda feed a number used by an
// attribute and by the problem's instance (raella's INPUT_BITS, AVERAGE_INPUT_VALUE).
TEST(PyExpr, VariablesFeedAttributesAndInstances) {
  std::string f = write_temp("cim.yaml", R"(variables:
  version: 0.4
  INPUT_BITS: 4
  INPUTS_VALUE_DISTRIBUTION: [0.8, 0.2]
  INPUT_BIT_DISTRIBUTION: ([0.25] * INPUT_BITS)
  AVG_DIST: >
    lambda x: sum(i * v for i, v in enumerate(x)) / sum(x) / (len(x) - 1)
  AVERAGE_INPUT_VALUE: AVG_DIST(INPUTS_VALUE_DISTRIBUTION)
  RF_DEPTH: int(sum(INPUT_BIT_DISTRIBUTION) * 64)
  technology: "40nm"
architecture:
  version: 0.4
  nodes:
  - !Container {name: top}
  - !Component {name: DRAM, class: DRAM, attributes: {width: 64, datawidth: 8}}
  - !Component {name: RF, class: regfile, attributes: {depth: RF_DEPTH, width: 8, datawidth: 8,
                average_input_value: AVERAGE_INPUT_VALUE}}
  - !Component {name: MAC, class: intmac, attributes: {width: 8}}
)");
  io::EnergyModelInputs in = io::load_energy_inputs({f});
  EXPECT_EQ(in.variables.values.find("AVERAGE_INPUT_VALUE")->text, "0.2");
  EXPECT_EQ(in.variables.values.find("RF_DEPTH")->text, "64");
  const StorageLevel& rf = in.arch.storage.front();
  EXPECT_EQ(rf.name, "RF");
  EXPECT_EQ(rf.size_words, 64);  // int(4 * 0.25 * 64)
}

TEST(PyExpr, VariableErrorsNameTheVariableAndTheMissingName) {
  std::string f = write_temp("bad.yaml", R"(variables:
  version: 0.4
  CIM_UNIT_WIDTH_BITS: 6
  DIST: [0.5, 0.5]
  N_VIRTUAL: len(DIST) * CIM_UNIT_UTILIZED_BITS + [1][0]
architecture:
  version: 0.4
  nodes:
  - !Container {name: top, attributes: {technology: "40nm"}}
  - !Component {name: DRAM, class: DRAM, attributes: {width: 64, datawidth: 8}}
  - !Component {name: MAC, class: intmac, attributes: {width: 8}}
)");
  try {
    (void)io::load_energy_inputs({f});
    FAIL() << "an undefined name in a Python variable was accepted";
  } catch (const ConfigError& e) {
    std::string m = e.what();
    EXPECT_NE(m.find("bad.yaml:5: variables.N_VIRTUAL:"), std::string::npos) << m;
    EXPECT_NE(m.find("name 'CIM_UNIT_UTILIZED_BITS' is not defined"), std::string::npos) << m;
    EXPECT_NE(m.find("did you mean 'CIM_UNIT_WIDTH_BITS'"), std::string::npos) << m;
  }
}
