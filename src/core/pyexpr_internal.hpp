// Internals shared by the parser (pyexpr_parse.cpp) and the evaluator (pyexpr.cpp) of the
// Python subset of loopsim/core/pyexpr.hpp.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "loopsim/core/pyexpr.hpp"

namespace loopsim::py {

namespace detail {

constexpr std::size_t kMaxListItems = 1'000'000;  // `[0] * n`, range(n): bounded memory
constexpr int kMaxDepth = 200;                      // nesting and lambda calls

struct Node;
using NodePtr = std::shared_ptr<const Node>;

struct Node {
  enum class Kind {
    Literal, Name, List, Tuple, Comprehension, Lambda, Call, Index, Unary, Binary, Compare,
    And, Or, Not, IfElse
  };
  Kind kind;
  Value literal;                   // Literal
  std::string op;                  // Name: the name; Unary/Binary: the operator
  std::vector<std::string> names;  // Lambda: parameters; Comprehension: loop targets;
                                   // Compare: the operators
  std::vector<NodePtr> kids;       // operands; Comprehension: element, iterable[, condition]
};

[[noreturn]] void fail(const std::string& msg);

// The expression tree of `text`; ExprError for text outside the subset.
NodePtr parse(const std::string& text);

}  // namespace detail

struct Function {
  std::string name;                 // for messages
  std::vector<std::string> params;  // a lambda's
  detail::NodePtr body;             // a lambda's; null for a built-in
  std::map<std::string, Value> captured;
  std::function<Value(const std::vector<Value>&)> builtin;
};

}  // namespace loopsim::py
