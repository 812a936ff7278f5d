// Arithmetic expressions in attribute values, as Accelergy/Timeloop v0.4 allow them:
// numbers, names, + - * / // % **, comparisons, `a if cond else b`, and the functions
// min, max, ceil, floor, round, log2, log10, log, sqrt, abs, int.
#pragma once

#include <functional>
#include <optional>
#include <stdexcept>
#include <string>

namespace loopsim {

class ExprError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Resolves a name to a value, or std::nullopt when the name is unknown.
using NameResolver = std::function<std::optional<double>(const std::string&)>;

// Evaluates `text`; throws ExprError naming the problem.
double evaluate_expression(const std::string& text, const NameResolver& resolve);

// Parses a plain number (integer, decimal or scientific); std::nullopt otherwise.
std::optional<double> parse_number(const std::string& text);

}  // namespace loopsim
