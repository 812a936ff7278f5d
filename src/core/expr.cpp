// Recursive-descent evaluator. Grammar (lowest precedence first):
//   ternary := or ['if' or 'else' ternary]
//   or := and ('or' and)* ; and := not ('and' not)* ; not := 'not' not | cmp
//   cmp := sum (('<'|'<='|'>'|'>='|'=='|'!=') sum)?
//   sum := prod (('+'|'-') prod)* ; prod := unary (('*'|'/'|'//'|'%') unary)*
//   unary := ('-'|'+') unary | power ; power := atom ('**' unary)?
//   atom := number | name | name '(' args ')' | '(' ternary ')'
#include "loopsim/core/expr.hpp"

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <vector>

namespace loopsim {

namespace {

class Parser {
 public:
  Parser(const std::string& text, const NameResolver& resolve) : s_(text), resolve_(resolve) {}

  double run() {
    double v = ternary();
    skip();
    if (pos_ != s_.size()) fail("unexpected '" + s_.substr(pos_) + "'");
    return v;
  }

 private:
  [[noreturn]] void fail(const std::string& msg) const {
    throw ExprError("cannot evaluate '" + s_ + "': " + msg);
  }
  void skip() {
    while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_;
  }
  bool eat(const std::string& tok) {
    skip();
    if (s_.compare(pos_, tok.size(), tok) != 0) return false;
    // Keywords must not be followed by identifier characters.
    if (std::isalpha(static_cast<unsigned char>(tok[0]))) {
      std::size_t end = pos_ + tok.size();
      if (end < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[end])) || s_[end] == '_'))
        return false;
    }
    pos_ += tok.size();
    return true;
  }
  bool peek(const std::string& tok) {
    std::size_t save = pos_;
    bool r = eat(tok);
    pos_ = save;
    return r;
  }

  double ternary() {
    double v = logic_or();
    std::size_t save = pos_;
    if (eat("if")) {
      double cond = logic_or();
      if (!eat("else")) fail("expected 'else'");
      double other = ternary();
      return cond != 0.0 ? v : other;
    }
    pos_ = save;
    return v;
  }
  double logic_or() {
    double v = logic_and();
    while (eat("or")) {
      double r = logic_and();
      v = (v != 0.0 || r != 0.0) ? 1.0 : 0.0;
    }
    return v;
  }
  double logic_and() {
    double v = logic_not();
    while (eat("and")) {
      double r = logic_not();
      v = (v != 0.0 && r != 0.0) ? 1.0 : 0.0;
    }
    return v;
  }
  double logic_not() {
    if (eat("not")) return logic_not() == 0.0 ? 1.0 : 0.0;
    return compare();
  }
  double compare() {
    double v = sum();
    if (eat("<=")) return v <= sum() ? 1.0 : 0.0;
    if (eat(">=")) return v >= sum() ? 1.0 : 0.0;
    if (eat("==")) return v == sum() ? 1.0 : 0.0;
    if (eat("!=")) return v != sum() ? 1.0 : 0.0;
    if (eat("<")) return v < sum() ? 1.0 : 0.0;
    if (eat(">")) return v > sum() ? 1.0 : 0.0;
    return v;
  }
  double sum() {
    double v = product();
    for (;;) {
      if (eat("+")) v += product();
      else if (eat("-")) v -= product();
      else return v;
    }
  }
  double product() {
    double v = unary();
    for (;;) {
      if (peek("**")) return v;
      if (eat("//")) {
        double d = unary();
        if (d == 0.0) fail("division by zero");
        v = std::floor(v / d);
      } else if (eat("*")) {
        v *= unary();
      } else if (eat("/")) {
        double d = unary();
        if (d == 0.0) fail("division by zero");
        v /= d;
      } else if (eat("%")) {
        double d = unary();
        if (d == 0.0) fail("division by zero");
        v = std::fmod(v, d);
      } else {
        return v;
      }
    }
  }
  double unary() {
    if (eat("-")) return -unary();
    if (eat("+")) return unary();
    return power();
  }
  double power() {
    double base = atom();
    if (eat("**")) return std::pow(base, unary());
    return base;
  }
  double atom() {
    skip();
    if (pos_ >= s_.size()) fail("unexpected end");
    char c = s_[pos_];
    if (c == '(') {
      ++pos_;
      double v = ternary();
      if (!eat(")")) fail("missing ')'");
      return v;
    }
    if (std::isdigit(static_cast<unsigned char>(c)) || c == '.') {
      const char* begin = s_.c_str() + pos_;
      char* end = nullptr;
      double v = std::strtod(begin, &end);
      if (end == begin) fail("bad number");
      pos_ += static_cast<std::size_t>(end - begin);
      return v;
    }
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      std::size_t start = pos_;
      while (pos_ < s_.size() &&
             (std::isalnum(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '_'))
        ++pos_;
      std::string name = s_.substr(start, pos_ - start);
      if (eat("(")) return call(name);
      if (name == "True" || name == "true") return 1.0;
      if (name == "False" || name == "false") return 0.0;
      if (auto v = resolve_ ? resolve_(name) : std::nullopt) return *v;
      fail("unknown name '" + name + "'");
    }
    fail(std::string("unexpected '") + c + "'");
  }
  double call(const std::string& name) {
    std::vector<double> args;
    if (!eat(")")) {
      do {
        args.push_back(ternary());
      } while (eat(","));
      if (!eat(")")) fail("missing ')' after arguments of " + name);
    }
    auto need = [&](std::size_t n) {
      if (args.size() != n)
        fail(name + "() takes " + std::to_string(n) + " argument(s), got " +
             std::to_string(args.size()));
    };
    if (name == "max" || name == "min") {
      if (args.empty()) fail(name + "() needs arguments");
      double v = args[0];
      for (double a : args) v = (name == "max") ? std::max(v, a) : std::min(v, a);
      return v;
    }
    if (name == "ceil") return need(1), std::ceil(args[0]);
    if (name == "floor") return need(1), std::floor(args[0]);
    if (name == "round") return need(1), std::round(args[0]);
    if (name == "int") return need(1), std::trunc(args[0]);
    if (name == "abs") return need(1), std::fabs(args[0]);
    if (name == "sqrt") return need(1), std::sqrt(args[0]);
    if (name == "log2") return need(1), std::log2(args[0]);
    if (name == "log10") return need(1), std::log10(args[0]);
    if (name == "log") {
      if (args.size() == 2) return std::log(args[0]) / std::log(args[1]);
      return need(1), std::log(args[0]);
    }
    fail("unknown function '" + name + "'");
  }

  const std::string& s_;
  const NameResolver& resolve_;
  std::size_t pos_ = 0;
};

}  // namespace

double evaluate_expression(const std::string& text, const NameResolver& resolve) {
  Parser p(text, resolve);
  return p.run();
}

std::optional<double> parse_number(const std::string& text) {
  if (text.empty()) return std::nullopt;
  const char* begin = text.c_str();
  char* end = nullptr;
  double v = std::strtod(begin, &end);
  if (end == begin) return std::nullopt;
  while (*end && std::isspace(static_cast<unsigned char>(*end))) ++end;
  if (*end != '\0') return std::nullopt;
  // strtod accepts "inf"/"nan"/hex; we do not.
  for (char c : text)
    if (std::isalpha(static_cast<unsigned char>(c)) && c != 'e' && c != 'E') return std::nullopt;
  return v;
}

}  // namespace loopsim
