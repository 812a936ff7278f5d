// The evaluator of the Python subset of pyexpr.hpp: values, Accelergy's functions, and the
// tree walk (the parser is pyexpr_parse.cpp).
#include "loopsim/core/pyexpr.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>

#include "pyexpr_internal.hpp"

namespace loopsim::py {

using detail::fail;
using detail::kMaxDepth;
using detail::kMaxListItems;
using detail::Node;
using detail::NodePtr;


Value Value::of(double x) {
  Value v;
  v.kind = Kind::Number;
  v.number = x;
  return v;
}
Value Value::boolean(bool b) {
  Value v;
  v.kind = Kind::Bool;
  v.number = b ? 1 : 0;
  return v;
}
Value Value::string(std::string s) {
  Value v;
  v.kind = Kind::String;
  v.text = std::move(s);
  return v;
}
Value Value::list(std::vector<Value> items) {
  if (items.size() > kMaxListItems)
    fail("a list of " + std::to_string(items.size()) + " items is longer than loopsim allows (" +
         std::to_string(kMaxListItems) + ")");
  Value v;
  v.kind = Kind::List;
  v.items = std::make_shared<const std::vector<Value>>(std::move(items));
  return v;
}

std::string repr(const Value& v) {
  switch (v.kind) {
    case Value::Kind::None: return "None";
    case Value::Kind::Bool: return v.number != 0 ? "True" : "False";
    case Value::Kind::Number: {
      char buf[40];
      if (std::isinf(v.number)) return v.number > 0 ? "inf" : "-inf";
      if (v.number == std::floor(v.number) && std::fabs(v.number) < 9007199254740992.0)
        std::snprintf(buf, sizeof buf, "%.0f", v.number);
      else  // the shortest text that reads back as the same double, as Python prints it
        for (int p = 1; p <= 17; ++p) {
          std::snprintf(buf, sizeof buf, "%.*g", p, v.number);
          if (std::strtod(buf, nullptr) == v.number) break;
        }
      return buf;
    }
    case Value::Kind::String: return "'" + v.text + "'";
    case Value::Kind::List: {
      std::string out = "[";
      for (std::size_t i = 0; i < v.items->size(); ++i)
        out += (i ? ", " : "") + repr((*v.items)[i]);
      return out + "]";
    }
    case Value::Kind::Function: return "<function " + v.function->name + ">";
  }
  return "?";
}

namespace {

bool truthy(const Value& v) {
  switch (v.kind) {
    case Value::Kind::None: return false;
    case Value::Kind::Bool:
    case Value::Kind::Number: return v.number != 0;
    case Value::Kind::String: return !v.text.empty();
    case Value::Kind::List: return !v.items->empty();
    case Value::Kind::Function: return true;
  }
  return false;
}

const char* kind_name(const Value& v) {
  switch (v.kind) {
    case Value::Kind::None: return "None";
    case Value::Kind::Bool: return "bool";
    case Value::Kind::Number: return "number";
    case Value::Kind::String: return "string";
    case Value::Kind::List: return "list";
    case Value::Kind::Function: return "function";
  }
  return "?";
}

double num(const Value& v, const std::string& what) {
  if (!v.is_number()) fail(what + " needs a number, got " + kind_name(v) + " " + repr(v));
  return v.number;
}

const std::vector<Value>& seq(const Value& v, const std::string& what) {
  if (v.kind != Value::Kind::List) fail(what + " needs a list, got " + kind_name(v) + " " + repr(v));
  return *v.items;
}

std::size_t count_of(const Value& v, const std::string& what) {
  double n = num(v, what);
  if (n != std::floor(n)) fail(what + " needs a whole number, got " + repr(v));
  if (n > static_cast<double>(kMaxListItems))
    fail(what + ": " + repr(v) + " items are more than loopsim allows (" +
         std::to_string(kMaxListItems) + ")");
  return n < 0 ? 0 : static_cast<std::size_t>(n);
}

bool equal(const Value& a, const Value& b) {
  if (a.is_number() && b.is_number()) return a.number == b.number;
  if (a.kind != b.kind) return false;
  if (a.kind == Value::Kind::String) return a.text == b.text;
  if (a.kind == Value::Kind::None) return true;
  if (a.kind == Value::Kind::List) {
    if (a.items->size() != b.items->size()) return false;
    for (std::size_t i = 0; i < a.items->size(); ++i)
      if (!equal((*a.items)[i], (*b.items)[i])) return false;
    return true;
  }
  return a.function == b.function;
}

Value builtin(const std::string& name, std::function<Value(const std::vector<Value>&)> f) {
  auto fn = std::make_shared<Function>();
  fn->name = name;
  fn->builtin = std::move(f);
  Value v;
  v.kind = Value::Kind::Function;
  v.function = fn;
  return v;
}

void arity(const std::string& name, const std::vector<Value>& a, std::size_t lo, std::size_t hi) {
  if (a.size() < lo || a.size() > hi)
    fail(name + "() takes " + std::to_string(lo) + (hi != lo ? " to " + std::to_string(hi) : "") +
         " arguments, got " + std::to_string(a.size()));
}

// min/max over their arguments, or the items of a single list.
Value extreme(const std::string& name, const std::vector<Value>& a, bool want_max) {
  const std::vector<Value>& xs = a.size() == 1 ? seq(a[0], name + "()") : a;
  if (xs.empty()) fail(name + "() of an empty list");
  Value best = xs[0];
  for (const auto& x : xs)
    if (want_max ? num(x, name + "()") > num(best, name + "()") : num(x, name + "()") < num(best, name + "()"))
      best = x;
  return best;
}

using Math1 = double (*)(double);
Value math1(const std::string& name, Math1 f) {
  return builtin(name, [name, f](const std::vector<Value>& a) {
    arity(name, a, 1, 1);
    double r = f(num(a[0], name + "()"));
    if (std::isnan(r)) fail(name + "(" + repr(a[0]) + "): math domain error");
    return Value::of(r);
  });
}

const std::map<std::string, Value>& builtins() {
  static const std::map<std::string, Value> b = [] {
    std::map<std::string, Value> m;
    m["pi"] = Value::of(M_PI);
    m["e"] = Value::of(M_E);
    m["inf"] = Value::of(INFINITY);
    m["sum"] = builtin("sum", [](const std::vector<Value>& a) {
      arity("sum", a, 1, 2);
      double s = a.size() > 1 ? num(a[1], "sum()") : 0;
      for (const auto& x : seq(a[0], "sum()")) s += num(x, "sum()");
      return Value::of(s);
    });
    m["prod"] = builtin("prod", [](const std::vector<Value>& a) {
      arity("prod", a, 1, 1);
      double s = 1;
      for (const auto& x : seq(a[0], "prod()")) s *= num(x, "prod()");
      return Value::of(s);
    });
    m["len"] = builtin("len", [](const std::vector<Value>& a) {
      arity("len", a, 1, 1);
      if (a[0].kind == Value::Kind::String) return Value::of(static_cast<double>(a[0].text.size()));
      return Value::of(static_cast<double>(seq(a[0], "len()").size()));
    });
    m["enumerate"] = builtin("enumerate", [](const std::vector<Value>& a) {
      arity("enumerate", a, 1, 2);
      double start = a.size() > 1 ? num(a[1], "enumerate()") : 0;
      std::vector<Value> out;
      for (const auto& x : seq(a[0], "enumerate()"))
        out.push_back(Value::list({Value::of(start++), x}));
      return Value::list(std::move(out));
    });
    m["range"] = builtin("range", [](const std::vector<Value>& a) {
      arity("range", a, 1, 3);
      double lo = a.size() > 1 ? num(a[0], "range()") : 0;
      double hi = num(a[a.size() > 1 ? 1 : 0], "range()");
      double step = a.size() > 2 ? num(a[2], "range()") : 1;
      if (step == 0) fail("range() arg 3 must not be zero");
      double n = std::max(0.0, std::ceil((hi - lo) / step));
      std::vector<Value> out(count_of(Value::of(n), "range()"));
      for (std::size_t i = 0; i < out.size(); ++i) out[i] = Value::of(lo + step * static_cast<double>(i));
      return Value::list(std::move(out));
    });
    m["min"] = builtin("min", [](const std::vector<Value>& a) { return extreme("min", a, false); });
    m["max"] = builtin("max", [](const std::vector<Value>& a) { return extreme("max", a, true); });
    m["abs"] = math1("abs", [](double x) { return std::fabs(x); });
    m["fabs"] = math1("fabs", [](double x) { return std::fabs(x); });
    m["ceil"] = math1("ceil", [](double x) { return std::ceil(x); });
    m["floor"] = math1("floor", [](double x) { return std::floor(x); });
    m["trunc"] = math1("trunc", [](double x) { return std::trunc(x); });
    m["int"] = math1("int", [](double x) { return std::trunc(x); });
    m["float"] = math1("float", [](double x) { return x; });
    m["sqrt"] = math1("sqrt", [](double x) { return std::sqrt(x); });
    m["exp"] = math1("exp", [](double x) { return std::exp(x); });
    m["log2"] = math1("log2", [](double x) { return std::log2(x); });
    m["log10"] = math1("log10", [](double x) { return std::log10(x); });
    m["log"] = builtin("log", [](const std::vector<Value>& a) {
      arity("log", a, 1, 2);
      double r = std::log(num(a[0], "log()"));
      if (a.size() > 1) r /= std::log(num(a[1], "log()"));
      if (std::isnan(r)) fail("log(" + repr(a[0]) + "): math domain error");
      return Value::of(r);
    });
    m["pow"] = builtin("pow", [](const std::vector<Value>& a) {
      arity("pow", a, 2, 2);
      return Value::of(std::pow(num(a[0], "pow()"), num(a[1], "pow()")));
    });
    // Python rounds halves to even (round(2.5) == 2), as nearbyint does by default.
    m["round"] = builtin("round", [](const std::vector<Value>& a) {
      arity("round", a, 1, 2);
      double x = num(a[0], "round()");
      double scale = a.size() > 1 ? std::pow(10.0, num(a[1], "round()")) : 1;
      return Value::of(std::nearbyint(x * scale) / scale);
    });
    m["bool"] = builtin("bool", [](const std::vector<Value>& a) {
      arity("bool", a, 1, 1);
      return Value::boolean(truthy(a[0]));
    });
    for (const char* n : {"list", "tuple"})
      m[n] = builtin(n, [n](const std::vector<Value>& a) {
        arity(n, a, 1, 1);
        return Value::list(seq(a[0], std::string(n) + "()"));
      });
    return m;
  }();
  return b;
}

struct Scope {
  const std::map<std::string, Value>* locals = nullptr;
  const Scope* parent = nullptr;
};

class Evaluator {
 public:
  explicit Evaluator(const Resolver& resolve) : resolve_(resolve) {}

  Value eval(const Node& n, const Scope& s) {
    if (++depth_ > kMaxDepth) fail("expression nested too deeply (or a lambda calls itself)");
    Value v = eval_node(n, s);
    --depth_;
    return v;
  }

 private:
  Value lookup(const std::string& name, const Scope& s) {
    for (const Scope* p = &s; p; p = p->parent)
      if (p->locals)
        if (auto it = p->locals->find(name); it != p->locals->end()) return it->second;
    if (auto v = resolve_(name)) return *v;
    if (auto it = builtins().find(name); it != builtins().end()) return it->second;
    fail("name '" + name + "' is not defined");
  }

  // Every name visible in `s` (a lambda captures them, as a Python closure would).
  static void visible(const Scope& s, std::map<std::string, Value>& out) {
    if (s.parent) visible(*s.parent, out);
    if (s.locals)
      for (const auto& [k, v] : *s.locals) out[k] = v;
  }

  Value call(const Value& f, const std::vector<Value>& args) {
    if (f.kind != Value::Kind::Function) fail("a " + std::string(kind_name(f)) + " (" + repr(f) + ") is not callable");
    const Function& fn = *f.function;
    if (!fn.body) return fn.builtin(args);
    if (args.size() != fn.params.size())
      fail("the lambda takes " + std::to_string(fn.params.size()) + " arguments, got " +
           std::to_string(args.size()));
    std::map<std::string, Value> locals = fn.captured;
    for (std::size_t i = 0; i < args.size(); ++i) locals[fn.params[i]] = args[i];
    Scope inner{&locals, nullptr};
    return eval(*fn.body, inner);
  }

  // The items of a comprehension: its element for every binding of the targets.
  std::vector<Value> comprehend(const Node& n, const Scope& s) {
    Value it = eval(*n.kids[1], s);
    std::vector<Value> out;
    for (const auto& x : seq(it, "a 'for' clause")) {
      std::map<std::string, Value> locals;
      if (n.names.size() == 1) {
        locals[n.names[0]] = x;
      } else {
        const auto& parts = seq(x, "unpacking into " + std::to_string(n.names.size()) + " names");
        if (parts.size() != n.names.size())
          fail("cannot unpack " + repr(x) + " into " + std::to_string(n.names.size()) + " names");
        for (std::size_t i = 0; i < parts.size(); ++i) locals[n.names[i]] = parts[i];
      }
      Scope inner{&locals, &s};
      if (n.kids.size() > 2 && !truthy(eval(*n.kids[2], inner))) continue;
      out.push_back(eval(*n.kids[0], inner));
      if (out.size() > kMaxListItems) fail("a comprehension makes more items than loopsim allows");
    }
    return out;
  }

  Value binary(const std::string& op, const Value& a, const Value& b) {
    if (op == "+") {
      if (a.kind == Value::Kind::List && b.kind == Value::Kind::List) {
        std::vector<Value> v = *a.items;
        v.insert(v.end(), b.items->begin(), b.items->end());
        return Value::list(std::move(v));
      }
      if (a.kind == Value::Kind::String && b.kind == Value::Kind::String) return Value::string(a.text + b.text);
    }
    if (op == "*" && (a.kind == Value::Kind::List || b.kind == Value::Kind::List)) {
      const Value& l = a.kind == Value::Kind::List ? a : b;
      std::size_t n = count_of(a.kind == Value::Kind::List ? b : a, "repeating a list");
      if (n != 0 && l.items->size() > kMaxListItems / n) fail("a repeated list is longer than loopsim allows");
      std::vector<Value> v;
      for (std::size_t i = 0; i < n; ++i) v.insert(v.end(), l.items->begin(), l.items->end());
      return Value::list(std::move(v));
    }
    std::string what = "'" + op + "'";
    double x = num(a, what), y = num(b, what);
    if (op == "+") return Value::of(x + y);
    if (op == "-") return Value::of(x - y);
    if (op == "*") return Value::of(x * y);
    if (op == "**") return Value::of(std::pow(x, y));
    if (y == 0) fail("division by zero (" + repr(a) + " " + op + " " + repr(b) + ")");
    if (op == "/") return Value::of(x / y);
    if (op == "//") return Value::of(std::floor(x / y));
    return Value::of(x - y * std::floor(x / y));  // Python's % takes the divisor's sign
  }

  bool compare(const std::string& op, const Value& a, const Value& b) {
    if (op == "==") return equal(a, b);
    if (op == "!=") return !equal(a, b);
    if (op == "in" || op == "not in") {
      bool found = false;
      for (const auto& x : seq(b, "'in'")) found = found || equal(a, x);
      return op == "in" ? found : !found;
    }
    double x = num(a, "'" + op + "'"), y = num(b, "'" + op + "'");
    if (op == "<") return x < y;
    if (op == "<=") return x <= y;
    if (op == ">") return x > y;
    return x >= y;
  }

  Value eval_node(const Node& n, const Scope& s) {
    using K = Node::Kind;
    switch (n.kind) {
      case K::Literal: return n.literal;
      case K::Name: return lookup(n.op, s);
      case K::List:
      case K::Tuple: {
        std::vector<Value> v;
        for (const auto& k : n.kids) v.push_back(eval(*k, s));
        return Value::list(std::move(v));
      }
      case K::Comprehension: return Value::list(comprehend(n, s));
      case K::Lambda: {
        auto fn = std::make_shared<Function>();
        fn->name = "<lambda>";
        fn->params = n.names;
        fn->body = n.kids[0];
        visible(s, fn->captured);
        Value v;
        v.kind = Value::Kind::Function;
        v.function = fn;
        return v;
      }
      case K::Call: {
        Value f = eval(*n.kids[0], s);
        std::vector<Value> args;
        for (std::size_t i = 1; i < n.kids.size(); ++i) args.push_back(eval(*n.kids[i], s));
        return call(f, args);
      }
      case K::Index: {
        Value l = eval(*n.kids[0], s);
        const auto& items = seq(l, "indexing");
        double i = num(eval(*n.kids[1], s), "an index");
        double size = static_cast<double>(items.size());
        if (i != std::floor(i) || i >= size || i < -size)
          fail("index " + repr(Value::of(i)) + " is out of range for a list of " +
               std::to_string(items.size()) + " items");
        return items[static_cast<std::size_t>(i < 0 ? i + size : i)];
      }
      case K::Unary: {
        double x = num(eval(*n.kids[0], s), "unary '" + n.op + "'");
        return Value::of(n.op == "-" ? -x : x);
      }
      case K::Binary: return binary(n.op, eval(*n.kids[0], s), eval(*n.kids[1], s));
      case K::Compare: {
        Value left = eval(*n.kids[0], s);
        for (std::size_t i = 0; i < n.names.size(); ++i) {
          Value right = eval(*n.kids[i + 1], s);
          if (!compare(n.names[i], left, right)) return Value::boolean(false);
          left = right;
        }
        return Value::boolean(true);
      }
      case K::And: {
        Value a = eval(*n.kids[0], s);
        return truthy(a) ? eval(*n.kids[1], s) : a;
      }
      case K::Or: {
        Value a = eval(*n.kids[0], s);
        return truthy(a) ? a : eval(*n.kids[1], s);
      }
      case K::Not: return Value::boolean(!truthy(eval(*n.kids[0], s)));
      case K::IfElse:
        return truthy(eval(*n.kids[0], s)) ? eval(*n.kids[1], s) : eval(*n.kids[2], s);
    }
    fail("internal: unknown expression node");
  }

  const Resolver& resolve_;
  int depth_ = 0;
};

}  // namespace

Value evaluate(const std::string& text, const Resolver& resolve) {
  NodePtr tree = detail::parse(text);
  Evaluator ev(resolve);
  return ev.eval(*tree, Scope{});
}

}  // namespace loopsim::py
