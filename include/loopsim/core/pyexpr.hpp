// The subset of Python expressions that timeloopfe's inputs use in `variables:` (timeloopfe
// evaluates each variable with Python's eval, through Accelergy's
// parse_expression_for_arithmetic): numbers, booleans, strings, lists and tuples, `[x] * n`,
// `a + b` of lists, indexing, lambdas and calls of them, list comprehensions and generator
// expressions (`sum(i * v for i, v in enumerate(x))`), `a if c else b`, `and`/`or`/`not`,
// comparisons, and Accelergy's functions (sum, len, enumerate, range, min, max, abs, round,
// int, float, bool, list, tuple, ceil, floor, sqrt, exp, log, log2, log10, pow, fabs, trunc,
// prod; pi, e, inf). Anything else (dicts, attributes `x.y`, slicing, keyword arguments,
// other functions) is an ExprError that says it is outside the subset.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "loopsim/core/expr.hpp"  // ExprError

namespace loopsim::py {

struct Function;

struct Value {
  enum class Kind { None, Bool, Number, String, List, Function };
  Kind kind = Kind::None;
  double number = 0;  // Number, and Bool as 0/1
  std::string text;   // String
  std::shared_ptr<const std::vector<Value>> items;  // List (and tuples)
  std::shared_ptr<const Function> function;

  static Value of(double x);
  static Value boolean(bool b);
  static Value string(std::string s);
  static Value list(std::vector<Value> v);
  [[nodiscard]] bool is_number() const { return kind == Kind::Number || kind == Kind::Bool; }
};

// Python's repr of a value, as an error message or a written variable shows it.
std::string repr(const Value& v);

// Resolves a global name (a variable) to its value, or std::nullopt when there is none.
using Resolver = std::function<std::optional<Value>(const std::string&)>;

// Evaluates `text`; throws ExprError naming the problem ("name 'X' is not defined", "outside
// the subset of Python loopsim evaluates" ...).
Value evaluate(const std::string& text, const Resolver& resolve);

}  // namespace loopsim::py
