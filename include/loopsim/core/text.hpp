// Small text helpers: "did you mean" suggestions and number formatting.
#pragma once

#include <string>
#include <vector>

namespace loopsim {

// Edit distance between two strings (case-sensitive).
int edit_distance(const std::string& a, const std::string& b);

// Returns " (did you mean 'x'?)" for the closest candidate, or "" when none is close.
std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates);

// "a, b, c"
std::string join(const std::vector<std::string>& items, const std::string& sep = ", ");

// Fixed-point formatting with `digits` decimals, like iostream std::fixed.
std::string fixed(double value, int digits);
// `value` with `digits` significant digits, trailing zeros dropped (as std::ostream prints it).
std::string significant(double value, int digits);
// One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break, with
// inner quotes doubled.
std::string csv_field(const std::string& s);

}  // namespace loopsim
